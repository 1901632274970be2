import { AppError, type TErrorI18n, withoutExamples } from '../../errors.js';
import { parseAmount } from '../money.js';
import { checkedCustomer, closeDateProblem } from '../deals/text-input.js';

/**
 * The subscription quick forms of `/deal` (kept apart from parse-deal-command.ts, which hands
 * these verbs over):
 *
 * - `/deal churn Acme [YYYY-MM-DD]`: Acme's subscription ends on that day (default: today in the
 *   workspace's zone).
 * - `/deal mrr Acme 12m [YYYY-MM-DD]`: Acme's monthly amount is 12m from that day on.
 *
 * `#123` instead of a customer name picks that deal (when a customer has several subscriptions).
 */
export interface TSubscriptionTarget {
  /** The customer as typed ('' when a deal id was given). */
  readonly customer: string;
  readonly dealId: number | null;
}

export type TSubscriptionCommand =
  | { kind: 'churn'; target: TSubscriptionTarget; date: string | null }
  | { kind: 'mrr'; target: TSubscriptionTarget; amountMinor: bigint; currency: string; date: string | null };

export const SUBSCRIPTION_EXAMPLES = {
  churn: '/deal churn Acme 2026-11-30',
  mrr: '/deal mrr Acme 12k 2026-12-01',
} as const;

/** The `/deal help` lines of the subscription forms. */
export const SUBSCRIPTION_HELP_LINES: readonly string[] = [
  '`/deal churn Acme [2026-11-30]`: Acme’s subscription ends that day (default today); its MRR leaves from then on',
  '`/deal mrr Acme 12k [2026-12-01]`: Acme’s monthly recurring amount is 12k from that day on (expansion or contraction)',
];

const DATE_LIKE = /^\d{4}-\d{1,2}-\d{1,2}$/;

/** A trailing `YYYY-MM-DD` (checked to be a real day from 2000 on), or null. */
function takeDate(tokens: string[], example: string): string | null {
  const last = tokens[tokens.length - 1];
  if (!last || !DATE_LIKE.test(last)) return null;
  const [y, m, d] = last.split('-');
  const iso = `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
  const problem = closeDateProblem(iso);
  if (problem) throw new AppError('INVALID_INPUT', `"${last}" is not a date I can use: ${problem.replace(/ Pick .*$/, '').replace(/Close dates/, 'Dates')} Write it as YYYY-MM-DD.`, { example, i18n: { key: 'error.sub.badDate', values: { typed: last } } });
  tokens.pop();
  return iso;
}

function target(tokens: readonly string[], example: string): TSubscriptionTarget {
  const text = tokens.join(' ').trim();
  const id = /^#(\d{1,9})$/.exec(text);
  if (id) return { customer: '', dealId: Number(id[1]) };
  return { customer: checkedCustomer(text, example), dealId: null };
}

/**
 * Parses `churn …` or `mrr …` (the verb and its arguments, already split into tokens); null for any
 * other verb.
 *
 * @example parseSubscriptionCommand('churn', ['Acme', '2026-11-30'], 'VND') // { kind: 'churn', target: { customer: 'Acme', dealId: null }, date: '2026-11-30' }
 * @example parseSubscriptionCommand('mrr', ['Acme', '12m'], 'VND') // { kind: 'mrr', target: { customer: 'Acme', dealId: null }, amountMinor: 12000000n, currency: 'VND', date: null }
 */
export function parseSubscriptionCommand(verb: string, args: readonly string[], defaultCurrency: string, locale?: string): TSubscriptionCommand | null {
  if (verb === 'churn' || verb === 'cancel') {
    const rest = [...args];
    const date = takeDate(rest, SUBSCRIPTION_EXAMPLES.churn);
    if (rest.length === 0) throw new AppError('INVALID_INPUT', 'Whose subscription ended? Say the customer, then optionally the date.', { example: SUBSCRIPTION_EXAMPLES.churn, i18n: { key: 'error.sub.churnArgs' } });
    return { kind: 'churn', target: target(rest, SUBSCRIPTION_EXAMPLES.churn), date };
  }
  if (verb === 'mrr') {
    const rest = [...args];
    const date = takeDate(rest, SUBSCRIPTION_EXAMPLES.mrr);
    if (rest.length < 2) throw new AppError('INVALID_INPUT', 'Say the customer and the new monthly amount, then optionally the date it applies from.', { example: SUBSCRIPTION_EXAMPLES.mrr, i18n: { key: 'error.sub.mrrArgs' } });
    // The shortest trailing run of tokens (at most 3) that reads as an amount: `12m`, `800 triệu`,
    // `12,000 USD`; shortest first, so a name ending in a number (`Studio 54 12m`) keeps it.
    if (/^[-−]?0+(?:[.,]0+)?$/.test(rest[rest.length - 1] ?? '')) {
      throw new AppError('INVALID_AMOUNT', 'The new monthly amount must be above zero. To end a subscription, use `/deal churn`.', { example: SUBSCRIPTION_EXAMPLES.churn, i18n: { key: 'error.sub.mrrZero' } });
    }
    let firstError: unknown = null;
    for (let n = 1; n <= Math.min(3, rest.length - 1); n++) {
      const text = rest.slice(rest.length - n).join(' ');
      let money: { amountMinor: bigint; currency: string };
      try {
        money = parseAmount(text, { defaultCurrency, locale });
      } catch (e) {
        firstError ??= e;
        continue;
      }
      if (money.amountMinor <= 0n) {
        throw new AppError('INVALID_AMOUNT', 'The new monthly amount must be above zero. To end a subscription, use `/deal churn`.', { example: SUBSCRIPTION_EXAMPLES.churn, i18n: { key: 'error.sub.mrrZero' } });
      }
      return { kind: 'mrr', target: target(rest.slice(0, rest.length - n), SUBSCRIPTION_EXAMPLES.mrr), amountMinor: money.amountMinor, currency: money.currency, date };
    }
    const last = rest[rest.length - 1] ?? '';
    const why = firstError instanceof AppError ? firstError.message : `"${last}" is not an amount.`;
    const whyI18n: TErrorI18n = firstError instanceof AppError && firstError.i18n ? withoutExamples(firstError.i18n) : { key: 'error.deal.notAmount', values: { typed: last } };
    throw new AppError(firstError instanceof AppError ? firstError.code : 'INVALID_AMOUNT', `${why} The new monthly amount comes after the customer.`, {
      example: SUBSCRIPTION_EXAMPLES.mrr,
      i18n: { ...whyI18n, then: { key: 'error.sub.mrrAfter' } },
    });
  }
  return null;
}
