import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { Quota, Rep, Workspace } from '../../storage/models.js';
import { inTransaction, type Db, type Tx } from '../../storage/db.js';
import { deleteQuotas, insertQuota, lockQuotaWrites, quotaTargetExists, quotasOfTarget, quotasOverlapping, updateQuota, type TQuotaTargetWhere } from '../../storage/queries/quotas.js';
import { toReportingCurrency } from '../deals/to-reporting-currency.js';
import { rateCommandExample } from '../money.js';
import { writeAudit } from '../deals/write-audit.js';
import { oncePerRequest } from '../once-per-request.js';
import { isManagerOrAdmin } from '../workspaces/ensure-member.js';
import type { TPeriod } from '../periods.js';
import type { TQuotaPeriodKind } from './quota-period.js';

/** Who a quota is for: one rep, or one sales team. */
export type TQuotaTarget = { readonly repId: number } | { readonly teamId: number };

export interface SetQuotaOptions {
  db: Db;
  actor: Rep;
  workspace: Workspace;
  target: TQuotaTarget;
  /** Amount as entered, in minor units of `currency`. */
  amountMinor: bigint;
  currency: string;
  /** A month, quarter or year of the workspace's calendar (from `parseQuotaPeriod`). */
  period: TPeriod;
  now: Date;
  /** The Slack delivery (see oncePerRequest): a repeat changes nothing and throws ALREADY_DONE. */
  requestKey?: string | null;
}

export interface TSetQuotaResult {
  /** The stored quota (amount in the reporting currency). */
  quota: Quota;
  /** The quota it replaced for the same target and period, if any. */
  previous: Quota | null;
  /** False when the same quota was already stored (nothing written). */
  changed: boolean;
  /** What was entered, before conversion to the reporting currency. */
  entered: { amountMinor: bigint; currency: string };
}

export const ZQuotaInput = z.object({
  target: z.union([z.object({ repId: z.number().int().positive() }).strict(), z.object({ teamId: z.number().int().positive() }).strict()]),
  amountMinor: z.bigint().positive('A quota must be more than zero.'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'Use a 3-letter currency code such as USD.'),
  period: z.object({
    kind: z.enum(['month', 'quarter', 'year']),
    start: z.date(),
    end: z.date(),
  }),
});

const WHO_CAN = 'Only managers and admins can set quotas. Ask an admin to make you a manager (`/kpi role @you manager`), or ask your manager to set it.';

/** Whether this person may set quotas (managers and admins). */
export function canSetQuotas(actor: Pick<Rep, 'role'>): boolean {
  return isManagerOrAdmin(actor);
}

/** Throws FORBIDDEN, saying who can, unless the actor is a manager or an admin. */
export function assertCanSetQuotas(actor: Pick<Rep, 'role'>): void {
  if (!canSetQuotas(actor)) throw new AppError('FORBIDDEN', WHO_CAN, { example: '/kpi role @you manager', i18n: { key: 'error.quota.whoCan' } });
}

/** JSON form of a quota for the audit trail (bigints as strings, dates as ISO). */
export function snapshotQuota(q: Quota): Record<string, string | number | null> {
  return {
    id: q.id,
    repId: q.repId,
    teamId: q.teamId,
    periodKind: q.periodKind,
    periodStart: q.periodStart.toISOString(),
    periodEnd: q.periodEnd.toISOString(),
    amountMinor: q.amountMinor.toString(),
    currency: q.currency,
    setById: q.setById,
  };
}

/** `toReportingCurrency`, with the refusal worded for a quota rather than a deal. */
async function quotaInReportingCurrency(tx: Tx, workspace: Workspace, amountMinor: bigint, currency: string): Promise<bigint> {
  try {
    return await toReportingCurrency(tx, workspace, amountMinor, currency, 'currency');
  } catch (e) {
    if (e instanceof AppError && e.code === 'NO_RATE') {
      throw new AppError(
        'NO_RATE',
        `This workspace reports in ${workspace.currency} and has no conversion rate for ${currency}, so the quota was not saved. Set it in ${workspace.currency}, or have an admin add a rate first.`,
        { field: 'currency', example: rateCommandExample(currency, workspace.currency), i18n: { key: 'error.quota.noRate', values: { reporting: workspace.currency, currency } } },
      );
    }
    throw e;
  }
}

async function assertTargetInWorkspace(tx: Tx, workspaceId: number, target: TQuotaTarget): Promise<void> {
  if (await quotaTargetExists(tx, workspaceId, target)) return;
  if ('repId' in target) {
    throw new AppError('NOT_FOUND', 'That rep is not part of this workspace.', { field: 'rep', i18n: { key: 'error.quota.noRep' } });
  } else {
    throw new AppError('NOT_FOUND', 'That team does not exist in this workspace. Create it with `/kpi team create <name>`.', { field: 'team', example: '/kpi team create North', i18n: { key: 'error.quota.noTeam' } });
  }
}

/**
 * Sets the quota of a rep or a team for one month, quarter or year (managers and admins only).
 * The amount is stored in the workspace's reporting currency (another currency needs a rate, else
 * NO_RATE). A quota already stored for the same target and period is replaced, never duplicated:
 * the read and the write share one transaction (serialised per workspace on PostgreSQL), with an
 * audit entry holding the before and after. Setting the same quota again writes nothing.
 *
 * @example
 * const period = parseQuotaPeriod('quarter', { now, timeZone: workspace.timeZone, fiscalYearStartMonth: workspace.fiscalYearStartMonth });
 * await setQuota({ db, actor, workspace, target: { repId: dana.id }, amountMinor: 5_000_000n, currency: 'USD', period, now });
 */
export async function setQuota(opts: SetQuotaOptions): Promise<TSetQuotaResult> {
  const { db, actor, workspace, now } = opts;
  assertCanSetQuotas(actor);
  if (actor.workspaceId !== workspace.id) throw new AppError('FORBIDDEN', 'You can only set quotas in your own workspace.', { i18n: { key: 'error.quota.otherWorkspace' } });
  if (opts.amountMinor <= 0n) throw new AppError('INVALID_AMOUNT', 'A quota must be more than zero.', { field: 'amount', example: '/kpi quota set @dana 50k', i18n: { key: 'error.quota.notMoreThanZero' } });
  const parsed = ZQuotaInput.safeParse({ target: opts.target, amountMinor: opts.amountMinor, currency: opts.currency, period: opts.period });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path[0] === 'period' ? 'period_kind' : issue?.path[0] === 'currency' ? 'currency' : issue?.path[0] === 'target' ? 'rep' : 'amount';
    const message = field === 'period_kind' ? 'Quotas are set per month, quarter or year.' : (issue?.message ?? 'That quota is not valid.');
    const key = field === 'period_kind' ? 'error.quota.periodKind' : field === 'amount' ? 'error.quota.notMoreThanZero' : null;
    throw new AppError('INVALID_INPUT', message, { field, example: '/kpi quota set @dana 50k quarter', ...(key ? { i18n: { key } } : {}) });
  }
  const input = parsed.data;
  const target = input.target;
  const periodKind = input.period.kind;
  const { start: periodStart, end: periodEnd } = input.period;
  const targetWhere: TQuotaTargetWhere = 'repId' in target ? { repId: target.repId, teamId: null } : { teamId: target.teamId, repId: null };

  const write = () => inTransaction(db, async (tx): Promise<TSetQuotaResult> => {
    await lockQuotaWrites(db, tx, workspace.id);
    await assertTargetInWorkspace(tx, workspace.id, target);
    const amountMinor = await quotaInReportingCurrency(tx, workspace, input.amountMinor, input.currency);
    if (amountMinor <= 0n) throw new AppError('INVALID_AMOUNT', `That is less than one minor unit of ${workspace.currency} once converted.`, { field: 'amount', i18n: { key: 'error.quota.belowMinor', values: { currency: workspace.currency } } });
    const existing = await quotasOfTarget(tx, workspace.id, targetWhere, periodKind, periodStart);
    const [keep, ...extra] = existing;
    const entered = { amountMinor: input.amountMinor, currency: input.currency };
    if (keep && extra.length === 0 && keep.amountMinor === amountMinor && keep.currency === workspace.currency && keep.periodEnd.getTime() === periodEnd.getTime()) {
      return { quota: keep, previous: keep, changed: false, entered };
    }
    // Rows written before the lock existed (or by hand): collapse them into one.
    await deleteQuotas(tx, extra.map((q) => q.id));
    const data = { amountMinor, currency: workspace.currency, periodEnd, setById: actor.id, updatedAt: now };
    const quota = keep
      ? await updateQuota(tx, keep.id, data)
      : await insertQuota(tx, workspace.id, targetWhere, { periodKind, periodStart }, data, now);
    await writeAudit(tx, {
      workspaceId: workspace.id,
      actor,
      entity: 'quota',
      entityId: quota.id,
      action: keep ? 'update' : 'create',
      ...(keep ? { before: snapshotQuota(keep) } : {}),
      after: { ...snapshotQuota(quota), enteredAmountMinor: entered.amountMinor.toString(), enteredCurrency: entered.currency, replacedIds: extra.map((q) => q.id) },
      now,
      requestKey: opts.requestKey,
    });
    return { quota, previous: keep ?? null, changed: true, entered };
  });
  // "Unchanged" may be a concurrent duplicate that found the first delivery's quota: check the key.
  return oncePerRequest({ db, workspaceId: workspace.id, requestKey: opts.requestKey, now }, write, (r) => !r.changed);
}

export type TQuotaListTarget =
  | { readonly kind: 'rep'; readonly repId: number; readonly name: string; readonly slackUserId: string | null }
  | { readonly kind: 'team'; readonly teamId: number; readonly name: string };

export interface TQuotaListItem {
  readonly quota: Quota;
  readonly target: TQuotaListTarget;
}

/**
 * Quotas overlapping a period (e.g. this quarter lists the quarter's quotas and the monthly ones
 * inside it), teams first, then reps, by name, then by period start.
 *
 * @example
 * const rows = await listQuotas({ db, workspace, period: parseQuotaPeriod('quarter', ctx) });
 */
export async function listQuotas(opts: { db: Db; workspace: Pick<Workspace, 'id'>; period: Pick<TPeriod, 'start' | 'end'>; kind?: TQuotaPeriodKind }): Promise<TQuotaListItem[]> {
  const rows = await quotasOverlapping(opts.db, opts.workspace.id, opts.period, opts.kind);
  const items: TQuotaListItem[] = [];
  for (const row of rows) {
    const { rep, team, ...quota } = row;
    if (rep) items.push({ quota, target: { kind: 'rep', repId: rep.id, name: rep.name, slackUserId: rep.slackUserId } });
    else if (team) items.push({ quota, target: { kind: 'team', teamId: team.id, name: team.name } });
  }
  return items.sort(
    (a, b) =>
      (a.target.kind === b.target.kind ? 0 : a.target.kind === 'team' ? -1 : 1) ||
      a.target.name.localeCompare(b.target.name) ||
      a.quota.periodStart.getTime() - b.quota.periodStart.getTime() ||
      a.quota.id - b.quota.id,
  );
}
