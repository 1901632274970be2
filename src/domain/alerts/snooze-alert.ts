import type { AlertSnooze, Rep, Workspace } from '../../storage/models.js';
import { inTransaction, type Db } from '../../storage/db.js';
import { deleteRunningAlertSnoozes, findAlertSnooze, upsertAlertSnooze } from '../../storage/queries/alerts.js';
import { writeAudit } from '../deals/write-audit.js';
import { oncePerRequest } from '../once-per-request.js';
import { assertCanManageAlerts } from './permissions.js';
import type { TAlertRule } from './rules.js';

export const SNOOZE_WEEK_MS = 7 * 24 * 3_600_000;

export interface TSnoozeAlertOptions {
  db: Db;
  actor: Rep;
  workspace: Workspace;
  rule: TAlertRule;
  /** One condition (from an alert's button), or `*` for the whole rule. */
  conditionKey?: string;
  now: Date;
  /** Default one week. */
  durationMs?: number;
  /** The Slack delivery (command or button, see oncePerRequest): a repeat throws ALREADY_DONE. */
  requestKey?: string | null;
}

/**
 * Snoozes a rule (`conditionKey` `*`) or one condition until now + duration (managers and admins),
 * audited. An existing snooze is extended, never shortened. While snoozed, the condition is not
 * recorded nor posted; if still breached after the snooze, it fires then.
 *
 * @example
 * const snooze = await snoozeAlert({ db, actor, workspace, rule: 'oversized-deal', conditionKey: 'all/deal:8', now });
 * snooze.until; // now + 7 days
 */
export async function snoozeAlert(opts: TSnoozeAlertOptions): Promise<AlertSnooze> {
  const { db, actor, workspace, rule, now } = opts;
  assertCanManageAlerts(actor, 'snooze alerts');
  const conditionKey = opts.conditionKey?.trim() || '*';
  const until = new Date(now.getTime() + (opts.durationMs ?? SNOOZE_WEEK_MS));
  return oncePerRequest({ db, workspaceId: workspace.id, requestKey: opts.requestKey, now }, () => inTransaction(db, async (tx) => {
    const existing = await findAlertSnooze(tx, workspace.id, rule, conditionKey);
    const row =
      existing && existing.until >= until
        ? existing
        : await upsertAlertSnooze(tx, { workspaceId: workspace.id, rule, conditionKey, until, bySlackUserId: actor.slackUserId, now });
    await writeAudit(tx, {
      workspaceId: workspace.id,
      actor,
      entity: 'alertSnooze',
      entityId: row.id,
      action: existing ? 'update' : 'create',
      ...(existing ? { before: { until: existing.until.toISOString() } } : {}),
      after: { rule, conditionKey, until: row.until.toISOString() },
      now,
      requestKey: opts.requestKey,
    });
    return row;
  }));
}

/**
 * Ends a rule's snoozes (rule-wide and per condition) now; returns how many were active.
 *
 * @example
 * await unsnoozeAlert({ db, actor, workspace, rule: 'winrate-drop', now }); // 1
 */
export async function unsnoozeAlert(opts: { db: Db; actor: Rep; workspace: Workspace; rule: TAlertRule; now: Date; requestKey?: string | null }): Promise<number> {
  const { db, actor, workspace, rule, now, requestKey } = opts;
  assertCanManageAlerts(actor, 'end alert snoozes');
  return oncePerRequest({ db, workspaceId: workspace.id, requestKey, now }, () =>
    inTransaction(db, async (tx) => {
      const ended = await deleteRunningAlertSnoozes(tx, workspace.id, rule, now);
      await writeAudit(tx, { workspaceId: workspace.id, actor, entity: 'alertSnooze', entityId: workspace.id, action: 'delete', after: { rule, ended }, now, requestKey });
      return ended;
    }),
  );
}
