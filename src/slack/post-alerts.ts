import type { Workspace } from '../generated/sqlite/client.js';
import type { TFiredAlert } from '../domain/alerts/fire-alerts.js';
import { ALERT_RULES } from '../domain/alerts/rules.js';
import type { TDeliver } from '../domain/digests/run-digest.js';
import type { Logger } from '../logger.js';
import { buildAlertMessage, buildAlertOverflowMessage, MAX_INDIVIDUAL_ALERTS } from './blocks/alerts.js';

export interface TPostFiredAlertsOptions {
  /** The delivery port (the DeliveryQueue's `deliver`: paced per channel, retried, recorded). */
  deliver: TDeliver;
  workspace: Workspace;
  /** Newly fired alerts (from `fireAlerts`): each is posted once, by whoever fired it. */
  fired: readonly TFiredAlert[];
  /** `all reps` for workspace-wide alerts. */
  scopeLabel: string;
  logger: Logger;
  /** Posted one by one before the rest go into one summary. Default `MAX_INDIVIDUAL_ALERTS`. */
  maxIndividual?: number;
}

export interface TPostFiredAlertsResult {
  /** Messages delivered (alerts one by one, plus the summary). */
  posted: number;
  failed: number;
  /** Why nothing was posted, if so. */
  skipped: 'no-alerts-channel' | 'nothing-fired' | null;
}

/**
 * Posts newly fired alerts to the workspace's alerts channel (when one is set): the first ten as
 * their own messages with a *Snooze 1 week* button, the rest in one summary (rule order, then the
 * order they fired). Delivery failures are logged and counted, never thrown: the alerts stay
 * recorded and visible in `/kpi alerts` and the digests.
 *
 * @example
 * await postFiredAlerts({ deliver: queue.deliver, workspace, fired, scopeLabel: 'all reps', logger });
 * // { posted: 2, failed: 0, skipped: null }
 */
export async function postFiredAlerts(opts: TPostFiredAlertsOptions): Promise<TPostFiredAlertsResult> {
  const { deliver, workspace, fired, scopeLabel, logger } = opts;
  const channelId = workspace.alertsChannelId;
  if (!channelId) return { posted: 0, failed: 0, skipped: 'no-alerts-channel' };
  if (fired.length === 0) return { posted: 0, failed: 0, skipped: 'nothing-fired' };
  const ordered = [...fired].sort((a, b) => ALERT_RULES.indexOf(a.rule) - ALERT_RULES.indexOf(b.rule) || a.eventId - b.eventId);
  const max = opts.maxIndividual ?? MAX_INDIVIDUAL_ALERTS;
  const single = ordered.slice(0, max);
  const rest = ordered.slice(max);
  let posted = 0;
  let failed = 0;
  const send = async (message: { text: string; blocks?: NonNullable<Parameters<TDeliver>[0]['message']['blocks']> }, refId: number | null) => {
    try {
      const result = await deliver({ workspaceId: workspace.id, channelId, kind: 'alert', refId, message });
      if (result.status === 'sent') posted++;
      else {
        failed++;
        logger.warn('alert not delivered', { workspaceId: workspace.id, channel: channelId, refId, error: result.error });
      }
    } catch (e) {
      failed++;
      logger.error('alert delivery crashed', { workspaceId: workspace.id, channel: channelId, refId, error: e instanceof Error ? e.message : String(e) });
    }
  };
  for (const alert of single) await send(buildAlertMessage({ alert, scopeLabel, timeZone: workspace.timeZone }), alert.eventId);
  if (rest.length > 0) await send(buildAlertOverflowMessage({ alerts: rest, scopeLabel, timeZone: workspace.timeZone }), null);
  return { posted, failed, skipped: null };
}
