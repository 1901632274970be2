import { AppError } from '../../errors.js';
import type { LeadCount, Rep, Workspace } from '../../storage/models.js';
import type { Db } from '../../storage/db.js';
import { removeLeadCount, replaceLeadCount, type TLeadCountWrite } from '../../storage/queries/lead-counts.js';
import { writeAudit } from '../deals/write-audit.js';
import { oncePerRequest } from '../once-per-request.js';
import type { TPeriod } from '../periods.js';
import { isManagerOrAdmin } from '../workspaces/ensure-member.js';
import { leadCountKey, MAX_LEAD_COUNT, normalizeLeadSource, type TLeadCountWho } from './lead-count-key.js';

export const LEAD_COUNT_EXAMPLE = '/kpi leads 500 2026-03';

export interface TLeadCountChange {
  db: Db;
  workspace: Workspace;
  actor: Rep;
  /** Who the count is for (a team or rep must belong to the workspace: the caller looked it up). */
  who: TLeadCountWho;
  /** A month, quarter or year of the workspace's calendar. */
  period: Pick<TPeriod, 'start' | 'end' | 'label' | 'key' | 'kind' | 'timeZone'>;
  /** As typed; normalised here (lower-case, spaces collapsed). */
  source: string | null;
  now: Date;
  /** The Slack delivery: a repeat changes nothing and throws ALREADY_DONE. */
  requestKey: string | null;
}

export interface TLeadCountResult extends TLeadCountWrite {
  readonly source: string | null;
}

/** JSON form of a count for the audit trail. */
export function snapshotLeadCount(row: LeadCount): Record<string, string | number | null> {
  return {
    id: row.id,
    repId: row.repId,
    teamId: row.teamId,
    periodStart: row.periodStart.toISOString(),
    periodEnd: row.periodEnd.toISOString(),
    source: row.source,
    count: row.count,
  };
}

/**
 * Managers and admins record counts for anyone; a rep only for themselves (their own rep-level
 * count). Refusals say who can.
 */
export function assertCanRecordLeadCount(actor: Pick<Rep, 'id' | 'role'>, who: TLeadCountWho): void {
  if (isManagerOrAdmin(actor)) return;
  if (who.kind === 'rep' && who.repId === actor.id) return;
  throw new AppError('FORBIDDEN', 'Only managers and admins record lead counts for a team or the whole workspace; a rep can record their own with `/kpi leads 40 2026-03 me`.', {
    example: '/kpi leads 40 2026-03 me',
    i18n: { key: 'error.leads.forbidden' },
  });
}

function checkPeriod(period: TLeadCountChange['period'], now: Date): void {
  if (period.start.getTime() > now.getTime()) {
    throw new AppError('INVALID_PERIOD', `${period.label} has not started yet: lead counts are recorded for a period that has begun or ended.`, { example: LEAD_COUNT_EXAMPLE, i18n: { key: 'error.leads.notStarted', periods: { period } } });
  }
}

/**
 * `/kpi leads 500 2026-03 [team North | @rep | me] [source]`: records the number of leads of a
 * period for the workspace, a team or a rep, optionally for one source. It REPLACES the count
 * stored for the same period, scope and source (the audit entry keeps the old and the new value;
 * `clearLeadCount` removes it). A period before the history horizon bumps the history version in
 * the same transaction, so cached closed-period figures are read again. Once per delivery.
 *
 * @example
 * const period = parseQuotaPeriod('2026-03', ctx);
 * await recordLeadCount({ db, workspace, actor, who: { kind: 'workspace' }, period, source: null, count: 500, now, requestKey: 'cmd:1' });
 */
export async function recordLeadCount(opts: TLeadCountChange & { count: number }): Promise<TLeadCountResult> {
  const { db, workspace, actor, now } = opts;
  assertCanRecordLeadCount(actor, opts.who);
  if (!Number.isSafeInteger(opts.count) || opts.count < 0 || opts.count > MAX_LEAD_COUNT) {
    throw new AppError('INVALID_INPUT', `A lead count is a whole number from 0 to ${MAX_LEAD_COUNT.toLocaleString('en-US')}.`, { example: LEAD_COUNT_EXAMPLE, field: 'count', i18n: { key: 'error.leads.range', values: { max: MAX_LEAD_COUNT } } });
  }
  checkPeriod(opts.period, now);
  const source = normalizeLeadSource(opts.source);
  const target = {
    workspaceId: workspace.id,
    scopeKey: leadCountKey(opts.period, opts.who, source),
    repId: opts.who.kind === 'rep' ? opts.who.repId : null,
    teamId: opts.who.kind === 'team' ? opts.who.teamId : null,
    periodStart: opts.period.start,
    periodEnd: opts.period.end,
    source,
  };
  const write = () =>
    replaceLeadCount(db, {
      target,
      count: opts.count,
      setById: actor.id,
      now,
      audit: (tx, previous, row) =>
        writeAudit(tx, {
          workspaceId: workspace.id,
          actor,
          entity: 'lead-count',
          entityId: row.id,
          action: previous ? 'update' : 'create',
          ...(previous ? { before: snapshotLeadCount(previous) } : {}),
          after: snapshotLeadCount(row),
          now,
          requestKey: opts.requestKey,
        }),
    });
  const result = await oncePerRequest({ db, workspaceId: workspace.id, requestKey: opts.requestKey, now }, write, (r) => !r.changed);
  return { ...result, source };
}

/**
 * `/kpi leads clear 2026-03 [team North | @rep | me] [source]`: removes the count stored for that
 * period, scope and source (the way back from a count recorded by mistake), with an audit entry
 * holding what was removed. Refused when there is none. Once per delivery.
 */
export async function clearLeadCount(opts: TLeadCountChange): Promise<TLeadCountResult> {
  const { db, workspace, actor, now } = opts;
  assertCanRecordLeadCount(actor, opts.who);
  const source = normalizeLeadSource(opts.source);
  const scopeKey = leadCountKey(opts.period, opts.who, source);
  const remove = () =>
    removeLeadCount(db, {
      workspaceId: workspace.id,
      scopeKey,
      now,
      audit: (tx, previous) =>
        writeAudit(tx, { workspaceId: workspace.id, actor, entity: 'lead-count', entityId: previous.id, action: 'delete', before: snapshotLeadCount(previous), now, requestKey: opts.requestKey }),
    });
  const result = await oncePerRequest({ db, workspaceId: workspace.id, requestKey: opts.requestKey, now }, remove, (r) => !r.changed);
  if (!result.changed) {
    throw new AppError('NOT_FOUND', `There is no lead count for ${opts.period.label} with that scope${source ? ` and source "${source}"` : ' and no source'}, so nothing was removed.`, {
      example: '/kpi leads clear 2026-03',
      i18n: source ? { key: 'error.leads.nothingToClearSource', values: { source }, periods: { period: opts.period } } : { key: 'error.leads.nothingToClear', periods: { period: opts.period } },
    });
  }
  return { ...result, source };
}
