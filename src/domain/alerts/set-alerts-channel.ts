import type { Rep, Workspace } from '../../storage/models.js';
import type { Db, Tx } from '../../storage/db.js';
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
    db.prisma.$transaction(async (tx: Tx) => {
      const updated = await tx.workspace.update({ where: { id: workspace.id }, data: { alertsChannelId: channelId, updatedAt: now } });
      await writeAudit(tx, { workspaceId: workspace.id, actor, entity: 'workspace', entityId: workspace.id, action: 'update', before: { alertsChannelId: workspace.alertsChannelId }, after: { alertsChannelId: channelId }, now, requestKey });
      return updated;
    }),
  );
}
