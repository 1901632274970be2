import type { Rep, Workspace } from '../../storage/models.js';
import { inTransaction, type Db } from '../../storage/db.js';
import { findAlertSetting, upsertAlertSetting } from '../../storage/queries/alerts.js';
import { writeAudit } from '../deals/write-audit.js';
import { oncePerRequest } from '../once-per-request.js';
import { loadAlertSettings, type TAlertRuleSetting } from './load-alert-settings.js';
import { assertCanManageAlerts } from './permissions.js';
import type { TAlertRule } from './rules.js';

/**
 * Turns a rule on or off for the workspace (managers and admins), audited. A rule turned off is
 * not evaluated; its events stay as they are. Once per delivery (`requestKey`).
 *
 * @example
 * await toggleAlertRule({ db, actor, workspace, rule: 'funnel-leak', enabled: false, now });
 */
export async function toggleAlertRule(opts: { db: Db; actor: Rep; workspace: Workspace; rule: TAlertRule; enabled: boolean; now: Date; requestKey?: string | null }): Promise<TAlertRuleSetting> {
  const { db, actor, workspace, rule, enabled, now, requestKey } = opts;
  assertCanManageAlerts(actor, enabled ? 'turn alerts on' : 'turn alerts off');
  await oncePerRequest({ db, workspaceId: workspace.id, requestKey, now }, () =>
    inTransaction(db, async (tx) => {
      const before = await findAlertSetting(tx, workspace.id, rule);
      const row = await upsertAlertSetting(tx, workspace.id, rule, { enabled }, now);
      await writeAudit(tx, { workspaceId: workspace.id, actor, entity: 'alertSetting', entityId: row.id, action: 'update', before: { rule, enabled: before?.enabled ?? true }, after: { rule, enabled }, now, requestKey });
    }),
  );
  return (await loadAlertSettings({ db, workspace }))[rule];
}
