import type { Rep, Workspace } from '../../storage/models.js';
import { inTransaction, type Db } from '../../storage/db.js';
import { updateWorkspaceAlertFields } from '../../storage/queries/alerts.js';
import { writeAudit } from '../deals/write-audit.js';
import { oncePerRequest } from '../once-per-request.js';
import { assertCanManageAlerts } from './permissions.js';

/**
 * Sets (or clears with null) the channel the daily alerts are posted to (managers and admins),
 * audited, once per delivery (`requestKey`). The caller checks the bot is in the channel first.
 *
 * @example
 * await setAlertsChannel({ db, actor, workspace, channelId: 'C0ALERTS', now });
 */
export async function setAlertsChannel(opts: { db: Db; actor: Rep; workspace: Workspace; channelId: string | null; now: Date; requestKey?: string | null }): Promise<Workspace> {
  const { db, actor, workspace, channelId, now, requestKey } = opts;
  assertCanManageAlerts(actor, 'choose the alerts channel');
  return oncePerRequest({ db, workspaceId: workspace.id, requestKey, now }, () =>
    inTransaction(db, async (tx) => {
      const updated = await updateWorkspaceAlertFields(tx, workspace.id, { alertsChannelId: channelId }, now);
      await writeAudit(tx, { workspaceId: workspace.id, actor, entity: 'workspace', entityId: workspace.id, action: 'update', before: { alertsChannelId: workspace.alertsChannelId }, after: { alertsChannelId: channelId }, now, requestKey });
      return updated;
    }),
  );
}
