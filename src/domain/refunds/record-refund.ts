import { AppError, isAppError } from '../../errors.js';
import type { Deal, Refund, Rep, Workspace } from '../../storage/models.js';
import type { Db, Tx } from '../../storage/db.js';
import { bumpIfTouchesHistory } from '../../storage/queries/history-version.js';
import { dealOfWorkspace, inWriteTransaction, insertRefund, refundsOfDeal } from '../../storage/queries/refunds.js';
import { assertCanEditDeal } from '../deals/permissions.js';
import { toReportingCurrency } from '../deals/to-reporting-currency.js';
import { writeAudit } from '../deals/write-audit.js';
import { oncePerRequest } from '../once-per-request.js';
import { checkRefundCap, type TRefundCap } from './refund-cap.js';
import { snapshotRefund } from './snapshot.js';

export type TRefundSource = 'slack-command' | 'slack-modal';

export interface RecordRefundOptions {
  db: Db;
  workspace: Workspace;
  actor: Rep;
  /** The won deal refunded (from findRefundTarget, or a sealed button). */
  dealId: number;
  amountMinor: bigint;
  currency: string;
  reason: string | null;
  /** The refund's `recordedAt`: it counts in the period it happens. */
  now: Date;
  /** The Slack delivery; a confirmation or a pick reuses the key of the request it answers. */
  requestKey: string | null;
  source: TRefundSource;
  /** True once the person confirmed a refund above what is left of the deal. */
  confirmedOverCap: boolean;
}

export type TRefundOutcome =
  | { kind: 'recorded'; refund: Refund; deal: Deal }
  /** Above what was won minus earlier refunds, not confirmed: nothing was written. */
  | { kind: 'needs-confirmation'; deal: Deal; cap: TRefundCap; amountReportingMinor: bigint };

/** toReportingCurrency's refusal, told about a refund rather than a deal. */
function refundCurrencyError(e: unknown, workspace: Pick<Workspace, 'currency'>, currency: string): unknown {
  if (isAppError(e) && e.code === 'NO_RATE') {
    return new AppError('NO_RATE', `This workspace reports in ${workspace.currency} and has no conversion rate for ${currency}, so the refund was not recorded. An admin can add one, then record it again.`, {
      example: `/kpi rate ${currency} 1.08`,
      field: 'currency',
      i18n: { key: 'error.refund.noRate', values: { reporting: workspace.currency, currency } },
    });
  }
  return e;
}

/**
 * Records a refund against a won deal, in the period it happens (`recordedAt = now`), in its own
 * currency converted to the reporting currency like a deal. A refund above what was won minus the
 * earlier refunds is only written when `confirmedOverCap`; otherwise nothing is written and the
 * cap is returned so the caller can ask. The refund, its audit entry (under the request key) and
 * the history-version bump are one transaction, so a repeated delivery (or a second click on
 * Confirm) writes nothing and answers ALREADY_DONE.
 *
 * @example
 * await recordRefund({ db, workspace, actor, dealId: 7, amountMinor: 200_000_000n, currency: 'USD', reason: null, now, requestKey: 'cmd:1.2', source: 'slack-command', confirmedOverCap: false });
 * // { kind: 'recorded', refund: { amountReportingMinor: 200000000n, … }, deal }
 */
export function recordRefund(opts: RecordRefundOptions): Promise<TRefundOutcome> {
  return oncePerRequest({ db: opts.db, workspaceId: opts.workspace.id, requestKey: opts.requestKey, now: opts.now }, () => recordInTransaction(opts), (r) => r.kind !== 'recorded');
}

function recordInTransaction(opts: RecordRefundOptions): Promise<TRefundOutcome> {
  const { workspace, actor, now } = opts;
  if (opts.amountMinor <= 0n) throw new AppError('INVALID_AMOUNT', 'A refund must be more than zero.', { field: 'amount', i18n: { key: 'error.refund.notMoreThanZero' } });
  return inWriteTransaction(opts.db, async (tx: Tx): Promise<TRefundOutcome> => {
    const deal = await dealOfWorkspace(tx, workspace.id, opts.dealId);
    if (!deal || deal.status !== 'won') {
      throw new AppError('NOT_FOUND', `That deal is ${deal ? `no longer won (it is ${deal.status})` : 'gone'}, so no refund was recorded. Run \`/deal refund\` again.`, {
        i18n: deal ? { key: 'error.refund.dealNotWon', values: { status: deal.status } } : { key: 'error.refund.dealGone' },
      });
    }
    assertCanEditDeal(actor, deal);
    let amountReportingMinor: bigint;
    try {
      amountReportingMinor = await toReportingCurrency(tx, workspace, opts.amountMinor, opts.currency);
    } catch (e) {
      throw refundCurrencyError(e, workspace, opts.currency);
    }
    const earlier = await refundsOfDeal(tx, deal.id);
    const cap = checkRefundCap({ deal, earlier, refund: { amountMinor: opts.amountMinor, currency: opts.currency, amountReportingMinor }, reportingCurrency: workspace.currency });
    if (cap.exceeds && !opts.confirmedOverCap) return { kind: 'needs-confirmation', deal, cap, amountReportingMinor };
    const refund = await insertRefund(tx, {
      workspaceId: workspace.id,
      dealId: deal.id,
      amountMinor: opts.amountMinor,
      currency: opts.currency,
      amountReportingMinor,
      reason: opts.reason,
      recordedAt: now,
      createdById: actor.id > 0 ? actor.id : null,
      source: opts.source,
    });
    await writeAudit(tx, { workspaceId: workspace.id, actor, entity: 'refund', entityId: refund.id, action: 'create', after: snapshotRefund(refund), now, requestKey: opts.requestKey });
    await bumpIfTouchesHistory(tx, workspace.id, [refund.recordedAt], now);
    return { kind: 'recorded', refund, deal };
  });
}
