import type { TConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { Db } from '../storage/db.js';
import type { AppDeps } from '../slack/context.js';
import { createWeeklyDigestBuilder } from '../domain/digests/build-weekly-digest.js';
import { listWorkspaces } from '../domain/workspaces/find-workspace.js';
import { installQueryOfWorkspace, listServedWorkspaceIds } from '../domain/installations/served-workspaces.js';
import { deactivateSlackInstallation } from '../domain/installations/deactivate-slack-installation.js';
import { crmKeyRing } from '../domain/crm/credentials.js';
import { createCrmSource } from '../crm/registry.js';
import { buildWeeklyDigestMessage } from '../slack/blocks/digest.js';
import { crmFailureNotice } from '../slack/blocks/crm-messages.js';
import { recipientLocale } from '../slack/locale-of.js';
import { DeliveryQueue } from '../slack/delivery-queue.js';
import { createDeliveryGateway } from '../slack/gateway.js';
import { postFiredAlerts } from '../slack/post-alerts.js';
import { withRequestToken } from '../slack/oauth/request-token.js';
import type { InstallationTokens } from '../slack/oauth/bot-tokens.js';
import { DailyAlertsJob } from './daily-alerts-job.js';
import { WeeklyDigestJob } from './weekly-digest-job.js';
import { CrmSyncJob } from './crm-sync-job.js';

export interface CreateSchedulersOptions {
  config: TConfig;
  db: Db;
  logger: Logger;
  /** The running app's listener dependencies (its Slack gateway, CRM webhooks' `onSyncDue`). */
  deps: AppDeps;
  /** OAuth mode: each installation's bot token; absent in single-token mode (SLACK_BOT_TOKEN). */
  tokens?: InstallationTokens | undefined;
  /** Injected clock (tests); default the wall clock. */
  now?: () => Date;
}

export interface TSchedulers {
  digestJob: WeeklyDigestJob;
  alertsJob: DailyAlertsJob;
  crmJob: CrmSyncJob | undefined;
  queue: DeliveryQueue;
  start(): void;
  stop(): Promise<void>;
}

/**
 * The scheduled jobs (weekly digests, daily alerts, CRM sync) wired for this app. Single-token mode:
 * one delivery gateway on SLACK_BOT_TOKEN, every workspace. OAuth mode (issue #11): each workspace
 * is posted to with the bot token of the installation serving it (its own, or its org's), looked up
 * and refreshed at each attempt, and only workspaces an active installation serves are run.
 */
export function createSchedulers(opts: CreateSchedulersOptions): TSchedulers {
  const { config, db, logger, deps, tokens } = opts;
  const leaseMs = config.DIGEST_LEASE_SECONDS * 1000;
  const gateway = createDeliveryGateway({
    token: tokens ? undefined : (config.SLACK_BOT_TOKEN ?? ''),
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
    logger,
    // A hung request must end well before the claim's lease does.
    timeoutMs: Math.max(1000, Math.min(30_000, leaseMs / 2)),
  });
  const queue = new DeliveryQueue({
    gateway,
    db,
    logger,
    ...(tokens
      ? {
          gatewayFor: async (workspaceId: number) => {
            const token = await tokens.forWorkspace(workspaceId);
            return token ? { postMessage: (channel, message) => withRequestToken(token, () => gateway.postMessage(channel, message)) } : null;
          },
          onTokenRevoked: async (workspaceId: number, error: string) => {
            const query = await installQueryOfWorkspace({ db, workspaceId });
            if (!query) return;
            const changed = await deactivateSlackInstallation({ db, query, now: opts.now?.() ?? new Date() });
            if (changed) logger.warn('installation marked inactive: Slack refused its token', { workspaceId, error });
          },
        }
      : {}),
  });
  const servedWorkspaces = tokens ? () => listServedWorkspaceIds({ db }) : undefined;
  const clock = opts.now ? { now: opts.now } : {};
  const digestJob = new WeeklyDigestJob({
    db,
    deliver: queue.deliver,
    buildDigest: createWeeklyDigestBuilder({
      db,
      quickchartUrl: config.QUICKCHART_URL,
      render: buildWeeklyDigestMessage,
      logger,
      // Workspace-wide alerts a digest fires also go to the alerts channel, through the same queue.
      // If that post fails, the alerts stay owed and the daily alerts job's next tick posts them.
      onAlertsFired: (workspace, fired, now) => postFiredAlerts({ db, deliver: queue.deliver, workspace, fired, logger, now }).then(() => undefined),
    }),
    logger,
    graceMs: config.DIGEST_GRACE_HOURS * 3_600_000,
    leaseMs,
    cronExpression: config.DIGEST_TICK_CRON,
    ...clock,
    ...(servedWorkspaces ? { servedWorkspaces } : {}),
  });
  const alertsJob = new DailyAlertsJob({ db, deliver: queue.deliver, logger, ...clock, ...(servedWorkspaces ? { servedWorkspaces } : {}) });
  // CRM sync (issue #10): only with a key to open the stored credentials.
  let crmJob: CrmSyncJob | undefined;
  if (config.CRM_ENCRYPTION_KEY) {
    crmJob = new CrmSyncJob({
      db,
      keyRing: crmKeyRing(config.CRM_ENCRYPTION_KEY, config.CRM_ENCRYPTION_KEY_PREVIOUS),
      createSource: (c, options) => createCrmSource(c.vendor, c.credentials, options),
      // CRM owners become the Slack users with their email, asked with the workspace's own token.
      lookupUserByEmail: tokens
        ? (workspaceId) => async (email) => (await tokens.withWorkspaceToken(workspaceId, () => deps.slack.userIdByEmail(email))) ?? null
        : () => (email) => deps.slack.userIdByEmail(email),
      ...(config.SALESFORCE_CLIENT_ID
        ? { salesforceApp: { clientId: config.SALESFORCE_CLIENT_ID, ...(config.SALESFORCE_CLIENT_SECRET ? { clientSecret: config.SALESFORCE_CLIENT_SECRET } : {}), ...(config.SALESFORCE_LOGIN_URL ? { loginUrl: config.SALESFORCE_LOGIN_URL } : {}) } }
        : {}),
      // The installer hears about a failing sync once (the app's DM with them), in their own language.
      notifyAdmin: async (notice) => {
        const [workspace] = await listWorkspaces({ db, ids: [notice.workspaceId] });
        const installer = workspace?.installerUserId;
        if (!workspace || !installer) return;
        const profile = tokens ? (id: string) => tokens.withWorkspaceToken(workspace.id, () => deps.slack.userProfile(id)) : (id: string) => deps.slack.userProfile(id);
        const locale = await recipientLocale({ db, workspace, slackUserId: installer, profile, logger });
        await queue.deliver({ workspaceId: workspace.id, channelId: installer, kind: 'notice', message: crmFailureNotice(notice, locale), at: opts.now?.() ?? new Date() });
      },
      // The first full load after connecting: one message to the admin who connected, updated in place.
      progress: tokens
        ? (workspaceId) => ({
            post: (channel, message) => tokens.withWorkspaceToken(workspaceId, () => gateway.postMessage(channel, message)),
            update: async (channel, ts, message) => void (await tokens.withWorkspaceToken(workspaceId, () => gateway.updateMessage(channel, ts, message))),
          })
        : { post: (channel, message) => gateway.postMessage(channel, message), update: (channel, ts, message) => gateway.updateMessage(channel, ts, message) },
      logger,
      ...clock,
      ...(servedWorkspaces ? { servedWorkspaces } : {}),
    });
  }
  return {
    digestJob,
    alertsJob,
    crmJob,
    queue,
    start() {
      digestJob.start();
      alertsJob.start();
      if (crmJob) {
        crmJob.start();
        // A webhook marked a workspace due: sync now rather than at the next minute.
        const job = crmJob;
        if (deps.crm) deps.crm.onSyncDue = () => void job.tick();
      }
    },
    async stop() {
      await digestJob.stop().catch(() => undefined);
      await alertsJob.stop().catch(() => undefined);
      await crmJob?.stop().catch(() => undefined);
    },
  };
}
