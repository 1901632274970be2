import { AppError } from '../../errors.js';
import type { Deal, Rep, Workspace } from '../../storage/models.js';
import type { Db } from '../../storage/db.js';
import { oncePerRequest } from '../once-per-request.js';
import { changeDeal } from './change-deal.js';
import { findOpenDeal } from './find-open-deal.js';
import { logDeal, type TLoggedDeal } from './log-deal.js';
import type { TDealInput, TDealType } from './schemas.js';
import { funnelStages, stageIndex } from './stages.js';
import { toReportingCurrency } from './to-reporting-currency.js';
import { checkedCustomer, checkedText } from './text-input.js';

/**
 * The open deal the customer name means, when the caller has just read it with `findOpenDeal` for
 * this request (the CRM gate does): not read twice. Absent: read here. A deal changed in between is
 * still caught by the change's `updatedAt` check.
 */
interface KnownOpenDeal {
  open?: Deal | null;
}

interface QuickBase {
  db: Db;
  workspace: Workspace;
  actor: Rep;
  now: Date;
  requestKey: string | null;
  channelId: string | null;
}

export interface TQuickResult extends TLoggedDeal {
  /** What happened, for the confirmation. */
  outcome: 'created' | 'closed-existing' | 'updated';
}

/** A new deal from a one-line form: the actor owns it; the form has no subscription, discount or notes. */
function logQuickDeal(opts: QuickBase, input: Pick<TDealInput, 'customer' | 'amountMinor' | 'currency' | 'type' | 'status' | 'stage' | 'closedAt'> & Partial<Pick<TDealInput, 'lostReason'>>): Promise<TLoggedDeal> {
  return logDeal({
    db: opts.db,
    workspace: opts.workspace,
    actor: opts.actor,
    owner: opts.actor,
    now: opts.now,
    requestKey: opts.requestKey,
    source: 'slack-command',
    channelId: opts.channelId,
    input: { recurringMonthlyMinor: null, discountMinor: null, lostReason: null, notes: null, ...input },
  });
}

/**
 * Each quick form runs once per delivery: a repeat (same request key) changes nothing and throws
 * ALREADY_DONE, also when both arrive at once. No look-up first: every quick form writes its audit
 * entry under the request key in its own transaction, so a repeat fails on that key (or finds no
 * open deal left, or the stage already set) and is then recognised as handled.
 */
function once(opts: QuickBase, run: () => Promise<TQuickResult>): Promise<TQuickResult> {
  return oncePerRequest({ db: opts.db, workspaceId: opts.workspace.id, requestKey: opts.requestKey, now: opts.now, lookFirst: false, timeZone: opts.workspace.timeZone }, run, (r) => r.duplicate);
}

/**
 * `/deal won 12k Acme upsell`: closes the actor's open deal for that customer as won at that
 * amount, or logs a new won deal when there is none.
 */
export function recordWonDeal(opts: QuickBase & KnownOpenDeal & { customer: string; amountMinor: bigint; currency: string; type: TDealType | null }): Promise<TQuickResult> {
  return once(opts, () => wonOnce(opts));
}

async function wonOnce(opts: QuickBase & KnownOpenDeal & { customer: string; amountMinor: bigint; currency: string; type: TDealType | null }): Promise<TQuickResult> {
  const { db, workspace, actor, now } = opts;
  const open = opts.open !== undefined ? opts.open : await findOpenDeal(db, actor, opts.customer);
  if (open) {
    const stages = funnelStages(workspace.funnelStages);
    const deal = await changeDeal({
      db,
      workspace,
      actor,
      deal: open,
      now,
      requestKey: opts.requestKey,
      patch: async () => ({
        status: 'won',
        stage: 'won',
        maxStageIndex: stages.length,
        closedAt: now,
        requestKey: opts.requestKey,
        amountMinor: opts.amountMinor,
        currency: opts.currency,
        amountReportingMinor: await toReportingCurrency(db, workspace, opts.amountMinor, opts.currency),
        ...(opts.type ? { type: opts.type } : {}),
        ...(open.recurringMonthlyMinor !== null ? { subscriptionStart: now } : {}),
      }),
    });
    return { deal, duplicate: false, outcome: 'closed-existing' };
  }
  const logged = await logQuickDeal(opts, { customer: opts.customer, amountMinor: opts.amountMinor, currency: opts.currency, type: opts.type ?? 'new', status: 'won', stage: 'won', closedAt: now });
  return { ...logged, outcome: 'created' };
}

/**
 * `/deal lost Acme Corp price`: marks the open deal for that customer as lost, with the reason;
 * with no open deal, records a new closed-lost deal (`outcome: 'created'`, see
 * `findLostTargetOrNew`). `candidates` are the possible customer/reason splits, longest customer
 * name first.
 */
export function recordLostDeal(opts: QuickBase & { candidates: Array<{ customer: string; reason: string | null }> }): Promise<TQuickResult> {
  return once(opts, () => lostOnce(opts));
}

/** The refusal of `/deal lost` when no candidate names an open deal. */
export function noOpenDealError(candidates: ReadonlyArray<{ customer: string }>): AppError {
  const name = candidates[candidates.length - 1]?.customer ?? '';
  return new AppError('NOT_FOUND', `There is no open deal for ${name}. Check the spelling (put a name with spaces in "quotes"), or log the deal first with \`/deal stage ${name} lead\`.`, {
    example: `/deal lost ${name} price`,
    i18n: { key: 'error.deal.noOpenDeal', values: { customer: name } },
  });
}

/**
 * The open deal `/deal lost` means and its reason (the first customer/reason split that names an
 * open deal the actor may change), or the refusal. Reads only, so a caller can ask it before
 * anyone is recorded.
 */
export async function findLostTarget(db: Db, actor: Rep, candidates: ReadonlyArray<{ customer: string; reason: string | null }>): Promise<{ open: Deal; reason: string | null }> {
  for (const c of candidates) {
    const open = await findOpenDeal(db, actor, c.customer);
    // The reason is checked once the split is known, so the limit is stated about the reason actually given.
    if (open) return { open, reason: c.reason === null ? null : checkedText(c.reason, 'reason', `/deal lost ${c.customer} price`) || null };
  }
  throw noOpenDealError(candidates);
}

/**
 * What `/deal lost` changes: the open deal of the first customer/reason split that names one
 * (as `findLostTarget`), or, when none does, a new closed-lost deal for the customer as written:
 * the quoted name, else the first word (the rest is the reason). Reads only.
 */
export async function findLostTargetOrNew(
  db: Db,
  actor: Rep,
  candidates: ReadonlyArray<{ customer: string; reason: string | null }>,
): Promise<{ open: Deal; reason: string | null } | { open: null; customer: string; reason: string | null }> {
  try {
    return await findLostTarget(db, actor, candidates);
  } catch (e) {
    if (!(e instanceof AppError && e.code === 'NOT_FOUND')) throw e;
    const c = candidates[candidates.length - 1];
    if (!c) throw e;
    const reason = c.reason === null ? null : checkedText(c.reason, 'reason', `/deal lost "${c.customer}" price`) || null;
    return { open: null, customer: checkedCustomer(c.customer, '/deal lost "Acme Corp" price'), reason };
  }
}

async function lostOnce(opts: QuickBase & { candidates: Array<{ customer: string; reason: string | null }> }): Promise<TQuickResult> {
  const target = await findLostTargetOrNew(opts.db, opts.actor, opts.candidates);
  if (target.open === null) {
    // No open deal: the loss is recorded as a new closed-lost deal (counted in the win rate), as
    // `/deal won` records a new won deal.
    const logged = await logQuickDeal(opts, {
      customer: target.customer,
      amountMinor: 0n,
      currency: opts.workspace.currency,
      type: 'new',
      status: 'lost',
      stage: 'lost',
      closedAt: opts.now,
      lostReason: target.reason,
    });
    return { ...logged, outcome: 'created' };
  }
  const { open, reason } = target;
  const deal = await changeDeal({
    db: opts.db,
    workspace: opts.workspace,
    actor: opts.actor,
    deal: open,
    now: opts.now,
    requestKey: opts.requestKey,
    patch: () => ({ status: 'lost', stage: 'lost', closedAt: opts.now, lostReason: reason }),
  });
  return { deal, duplicate: false, outcome: 'updated' };
}

/**
 * `/deal stage Acme demo [12k]`: moves the open deal for that customer to the stage (the funnel
 * remembers the furthest stage reached), or opens a new deal at that stage.
 */
export function moveDealStage(opts: QuickBase & KnownOpenDeal & { customer: string; stage: string; amountMinor: bigint | null; currency: string }): Promise<TQuickResult> {
  return once(opts, () => stageOnce(opts));
}

async function stageOnce(opts: QuickBase & KnownOpenDeal & { customer: string; stage: string; amountMinor: bigint | null; currency: string }): Promise<TQuickResult> {
  const { db, workspace, actor, now } = opts;
  const stages = funnelStages(workspace.funnelStages);
  const open = opts.open !== undefined ? opts.open : await findOpenDeal(db, actor, opts.customer);
  if (open) {
    if (open.stage === opts.stage && opts.amountMinor === null) {
      throw new AppError('INVALID_INPUT', `The ${open.customer} deal is already at that stage; nothing changed.`, { i18n: { key: 'error.deal.sameStage', values: { customer: open.customer } } });
    }
    const amountMinor = opts.amountMinor;
    const deal = await changeDeal({
      db,
      workspace,
      actor,
      deal: open,
      now,
      requestKey: opts.requestKey,
      patch: async () => ({
        stage: opts.stage,
        maxStageIndex: Math.max(open.maxStageIndex, stageIndex(opts.stage, stages)),
        ...(amountMinor !== null
          ? { amountMinor, currency: opts.currency, amountReportingMinor: await toReportingCurrency(db, workspace, amountMinor, opts.currency) }
          : {}),
      }),
    });
    return { deal, duplicate: false, outcome: 'updated' };
  }
  const logged = await logQuickDeal(opts, { customer: opts.customer, amountMinor: opts.amountMinor ?? 0n, currency: opts.currency, type: 'new', status: 'open', stage: opts.stage, closedAt: null });
  return { ...logged, outcome: 'created' };
}

export type { Deal };
