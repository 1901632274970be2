import { AppError } from '../../errors.js';
import type { Deal, Rep, Workspace } from '../../storage/models.js';
import { inTransaction, WRITE_TX, type Db } from '../../storage/db.js';
import { isUniqueViolation } from '../../storage/direct-sql.js';
import { dealOfRequest, insertDealInTransaction, insertDealWithHistory, type TNewDealRow } from '../../storage/queries/deal-writes.js';
import { bumpIfTouchesHistory, touchesHistory } from '../../storage/queries/history-version.js';
import { customerKey } from '../../shared/customer-key.js';
import { assertCanLogFor } from './permissions.js';
import { ZDealInput, type TDealInput } from './schemas.js';
import { snapshotDeal } from './snapshot.js';
import { funnelStages, stageIndex } from './stages.js';
import { toReportingCurrency } from './to-reporting-currency.js';
import { writeAudit } from './write-audit.js';
import { continueRenewedSubscription } from '../subscriptions/continue-renewed-subscription.js';

export type TDealSource = 'slack-command' | 'slack-modal' | 'slack-shortcut' | 'import';

export interface LogDealOptions {
  db: Db;
  workspace: Workspace;
  actor: Rep;
  owner: Rep;
  input: TDealInput;
  /** Idempotency key of the Slack delivery (trigger id, view id, message ts). */
  requestKey: string | null;
  source: TDealSource;
  channelId: string | null;
  now: Date;
  /** Where the lead came from (`/deal lead Acme web`), already normalised; null or absent for none. */
  leadSource?: string | null;
}

export interface TLoggedDeal {
  deal: Deal;
  /** True when this request had already been stored (a retried delivery): nothing new was written. */
  duplicate: boolean;
}

const YEAR_MS = 366 * 24 * 3600 * 1000;

/** Checks that need the clock; shared by every way of writing a deal. */
export function assertCloseDate(input: Pick<TDealInput, 'status' | 'closedAt'>, now: Date): void {
  if (input.status === 'open' || !input.closedAt) return;
  if (input.closedAt.getTime() > now.getTime() + YEAR_MS) {
    throw new AppError('INVALID_INPUT', 'The close date is more than a year in the future. Pick the date the deal actually closed.', { field: 'close_date', i18n: { key: 'error.deal.yearAhead' } });
  }
  if (input.closedAt.getTime() > now.getTime() + 36 * 3600 * 1000) {
    throw new AppError('INVALID_INPUT', 'A won or lost deal cannot close in the future. Pick today or an earlier date.', { field: 'close_date', i18n: { key: 'error.deal.future' } });
  }
}

/**
 * Stores a new deal with its first stage change and audit entry in one transaction (statements
 * prepared once on the driver, storage/queries/deal-writes.ts). A delivery
 * seen before (same request key) returns the stored deal instead of writing a second one.
 */
export async function logDeal(opts: LogDealOptions): Promise<TLoggedDeal> {
  const { db, workspace, actor, owner, now } = opts;
  const input = ZDealInput.parse(opts.input);
  assertCanLogFor(actor, owner.id);
  assertCloseDate(input, now);
  // A delivery seen before is caught by the unique (workspaceId, requestKey) key below rather than
  // by a look-up first: one query less on the hot path, and race-free.
  const stages = funnelStages(workspace.funnelStages);
  const stage = input.status === 'open' ? input.stage : input.status;
  // Conversions first: a refusal (no rate, too large) writes nothing.
  const amountReportingMinor = await toReportingCurrency(db, workspace, input.amountMinor, input.currency);
  const discountReportingMinor = input.discountMinor === null ? null : await toReportingCurrency(db, workspace, input.discountMinor, input.currency, 'discount');
  const recurringReportingMinor = input.recurringMonthlyMinor === null ? null : await toReportingCurrency(db, workspace, input.recurringMonthlyMinor, input.currency, 'recurring');
  const closedAt = input.status === 'open' ? null : (input.closedAt ?? now);
  try {
    const row: TNewDealRow = {
        workspaceId: workspace.id,
        ownerId: owner.id,
        customer: input.customer,
        customerKey: customerKey(input.customer),
        amountMinor: input.amountMinor,
        currency: input.currency,
        amountReportingMinor,
        type: input.type,
        stage,
        maxStageIndex: input.status === 'won' ? stages.length : input.status === 'open' ? stageIndex(stage, stages) : 0,
        status: input.status,
        discountMinor: input.discountMinor,
        discountReportingMinor,
        lostReason: input.status === 'lost' ? input.lostReason : null,
        recurringMonthlyMinor: input.recurringMonthlyMinor,
        recurringReportingMinor,
        subscriptionStart: input.recurringMonthlyMinor !== null && input.status === 'won' ? closedAt : null,
        notes: input.notes,
        createdAt: closedAt && closedAt < now ? closedAt : now,
        closedAt,
        updatedAt: now,
        source: opts.source,
        requestKey: opts.requestKey,
        channelId: opts.channelId,
        leadSource: opts.leadSource ?? null,
    };
    const stageChange = { toStage: stage, changedAt: now, changedById: actor.id };
    if (row.type === 'renewal' && row.status === 'won' && row.recurringMonthlyMinor !== null) {
      // The renewal rule may continue the customer's running subscription: the deal and that change
      // in one transaction (continueRenewedSubscription); rare enough for the general write path.
      const deal = await inTransaction(
        db,
        async (tx) => {
          const created = await continueRenewedSubscription(tx, { deal: await insertDealInTransaction(tx, row, stageChange), createdById: actor.id, now });
          await writeAudit(tx, { workspaceId: workspace.id, actor, entity: 'deal', entityId: created.id, action: 'create', after: snapshotDeal(created), now, requestKey: opts.requestKey });
          await bumpIfTouchesHistory(tx, workspace.id, [closedAt], now);
          return created;
        },
        WRITE_TX,
      );
      return { deal, duplicate: false };
    }
    // The deal, its first stage change, its audit entry and the history bump: one transaction.
    const deal = await insertDealWithHistory(db, {
      deal: row,
      stageChange,
      audit: { actorRepId: actor.id, actorSlackUserId: actor.slackUserId, action: 'create', createdAt: now, requestKey: opts.requestKey },
      afterJson: (created) => JSON.stringify(snapshotDeal(created)),
      bumpHistoryVersion: touchesHistory([closedAt], now),
    });
    return { deal, duplicate: false };
  } catch (e) {
    if (opts.requestKey && isUniqueViolation(e)) {
      const seen = await dealOfRequest(db, workspace.id, opts.requestKey);
      if (seen) return { deal: seen, duplicate: true };
    }
    throw e;
  }
}
