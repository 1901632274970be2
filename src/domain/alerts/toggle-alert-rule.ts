import type { Rep, Workspace } from '../../generated/sqlite/client.js';
import type { Db, Tx } from '../../storage/db.js';
import { writeAudit } from '../deals/write-audit.js';
import { loadAlertSettings, type TAlertRuleSetting } from './load-alert-settings.js';
import { assertCanManageAlerts } from './permissions.js';
import type { TAlertRule } from './rules.js';

/**
 * Turns a rule on or off for the workspace (managers and admins), audited. A rule turned off is
 * not evaluated; its events stay as they are.
 *
 * @example
 * await toggleAlertRule({ db, actor, workspace, rule: 'funnel-leak', enabled: false });
 */
export async function toggleAlertRule(opts: { db: Db; actor: Rep; workspace: Workspace; rule: TAlertRule; enabled: boolean }): Promise<TAlertRuleSetting> {
  const { db, actor, workspace, rule, enabled } = opts;
  assertCanManageAlerts(actor, enabled ? 'turn alerts on' : 'turn alerts off');
  await db.prisma.$transaction(async (tx: Tx) => {
    const row = await tx.alertSetting.upsert({
      where: { workspaceId_rule: { workspaceId: workspace.id, rule } },
      create: { workspaceId: workspace.id, rule, enabled },
      update: { enabled },
    });
    await writeAudit(tx, { workspaceId: workspace.id, actor, entity: 'alertSetting', entityId: row.id, action: 'update', after: { rule, enabled } });
  });
  return (await loadAlertSettings({ db, workspace }))[rule];
}
