import type { Rep, Workspace } from '../../storage/models.js';
import { findRefundTarget } from '../../domain/refunds/find-refund-target.js';
import { recordRefund, type TRefundOutcome, type TRefundSource } from '../../domain/refunds/record-refund.js';
import { buildRefundConfirmation, buildRefundOverCap, buildRefundPick } from '../blocks/refund-messages.js';
import type { AppDeps } from '../context.js';
import type { SlackMessage } from '../gateway.js';
import type { TRefundButton } from '../forms/refund-form.js';
import type { TLocale } from '../../i18n/locales.js';

/** A refund as asked (command, form or button), before it is recorded. */
export interface TRefundAsk {
  workspace: Workspace;
  rep: Rep;
  teamId: string;
  userId: string;
  customer: string;
  amountMinor: bigint;
  currency: string;
  reason: string | null;
  /** The key of the request that asked: a pick or Confirm reuses it, so it is recorded once. */
  requestKey: string;
  source: TRefundSource;
  now: Date;
  /** The asker's language (their private answers). */
  locale: TLocale;
}

/** The sealed value of a refund button for this deal (pick, Confirm, Cancel). */
export function refundButtonValue(deps: AppDeps, ask: Pick<TRefundAsk, 'teamId' | 'userId' | 'amountMinor' | 'currency' | 'reason' | 'requestKey' | 'source'>, dealId: number): string {
  const payload: TRefundButton = { d: dealId, a: ask.amountMinor.toString(), c: ask.currency, r: ask.reason, k: ask.requestKey, s: ask.source };
  return deps.sealer.seal('refund', { teamId: ask.teamId, userId: ask.userId }, JSON.stringify(payload));
}

/** The private answer to a recorded refund, or to one that needs a confirmation. */
export function outcomeMessage(deps: AppDeps, ask: TRefundAsk, outcome: TRefundOutcome): SlackMessage {
  if (outcome.kind === 'needs-confirmation') {
    const value = refundButtonValue(deps, ask, outcome.deal.id);
    return buildRefundOverCap({ deal: outcome.deal, amountMinor: ask.amountMinor, currency: ask.currency, cap: outcome.cap, timeZone: ask.workspace.timeZone, confirmValue: value, cancelValue: value, locale: ask.locale });
  }
  return buildRefundConfirmation({
    refund: outcome.refund,
    deal: outcome.deal,
    reportingCurrency: ask.workspace.currency,
    timeZone: ask.workspace.timeZone,
    undoValue: deps.sealer.seal('refund-undo', { teamId: ask.teamId, userId: ask.userId }, String(outcome.refund.id)),
    locale: ask.locale,
  });
}

/** Records the refund against that deal (or finds that it needs a confirmation). */
export function recordAsked(deps: AppDeps, ask: TRefundAsk, dealId: number, confirmedOverCap: boolean): Promise<TRefundOutcome> {
  return recordRefund({
    db: deps.db,
    workspace: ask.workspace,
    actor: ask.rep,
    dealId,
    amountMinor: ask.amountMinor,
    currency: ask.currency,
    reason: ask.reason,
    now: ask.now,
    requestKey: ask.requestKey,
    source: ask.source,
    confirmedOverCap,
  });
}

/**
 * `/deal refund` after parsing: the customer's won deal, then the refund, or the question back
 * (which deal, or confirm above the deal). Refusals throw with nothing written.
 */
export async function answerRefund(deps: AppDeps, ask: TRefundAsk): Promise<SlackMessage> {
  const target = await findRefundTarget({ db: deps.db, actor: ask.rep, customer: ask.customer });
  if (target.kind === 'several') {
    return buildRefundPick({
      customer: ask.customer,
      amountMinor: ask.amountMinor,
      currency: ask.currency,
      timeZone: ask.workspace.timeZone,
      choices: target.choices.map((c) => ({ ...c, value: refundButtonValue(deps, ask, c.deal.id) })),
      locale: ask.locale,
    });
  }
  return outcomeMessage(deps, ask, await recordAsked(deps, ask, target.deal.id, false));
}
