import { AppError } from '../../errors.js';
import type { Workspace } from '../../storage/models.js';
import type { Db, Tx } from '../../storage/db.js';
import { currencyRateOf } from '../../storage/queries/lookups.js';
import { convertMinor, exceedsReportingCap, formatMoney, isKnownCurrency, MAX_REPORTING_MINOR, rateCommandExample } from '../money.js';

/**
 * Converts an amount to the workspace's reporting currency with the rate the workspace set.
 * A currency without a rate is refused, never mixed silently (SPEC §3).
 *
 * The rate is read through `source`: the database, or the caller's transaction.
 *
 * @example await toReportingCurrency(tx, workspace, 1000n, 'EUR') // 1080n with a 1.08 rate to USD
 */
export async function toReportingCurrency(source: Db | Tx, workspace: Pick<Workspace, 'id' | 'currency'>, amountMinor: bigint, currency: string, field = 'amount'): Promise<bigint> {
  if (!isKnownCurrency(currency)) throw new AppError('UNKNOWN_CURRENCY', `${currency} is not a currency code I know. Use an ISO code such as USD, EUR or VND.`, { field: 'currency', i18n: { key: 'error.deal.unknownCurrency', values: { currency } } });
  if (currency === workspace.currency) return withinReportingCap(amountMinor, workspace.currency, field);
  const rate = await currencyRateOf(source, workspace.id, currency);
  if (!rate) {
    throw new AppError('NO_RATE', `This workspace reports in ${workspace.currency} and has no conversion rate for ${currency}, so the deal was not saved. An admin can add one, then log it again.`, {
      example: rateCommandExample(currency, workspace.currency),
      field,
      i18n: { key: 'error.deal.noRate', values: { reporting: workspace.currency, currency } },
    });
  }
  return withinReportingCap(convertMinor(amountMinor, currency, workspace.currency, rate.rate), workspace.currency, field);
}

/** Refuses an amount whose reporting value could make sums overflow (see MAX_REPORTING_MINOR). */
function withinReportingCap(reportingMinor: bigint, reportingCurrency: string, field: string): bigint {
  if (exceedsReportingCap(reportingMinor)) {
    throw new AppError('INVALID_AMOUNT', `That is worth more than ${formatMoney(MAX_REPORTING_MINOR, reportingCurrency)}, the largest single amount I can record. Check the amount and its currency.`, { field, i18n: { key: 'error.deal.tooLarge', money: { max: { amountMinor: MAX_REPORTING_MINOR.toString(), currency: reportingCurrency } } } });
  }
  return reportingMinor;
}
