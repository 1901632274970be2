import { createKpiApp } from './app.js';
import { ConfigError, loadConfig, oauthConfigOf } from './config.js';
import { createLogger, registerSecrets, type Logger } from './logger.js';
import { openDatabase } from './storage/db.js';
import { migrateDatabase } from './storage/migrate.js';
import { repairCustomerKeys } from './domain/deals/repair-customer-keys.js';
import { createWeeklyDigestBuilder } from './domain/digests/build-weekly-digest.js';
import { DailyAlertsJob } from './scheduler/daily-alerts-job.js';
import { postFiredAlerts } from './slack/post-alerts.js';
import { WeeklyDigestJob } from './scheduler/weekly-digest-job.js';
import { buildWeeklyDigestMessage } from './slack/blocks/digest.js';
import { DeliveryQueue } from './slack/delivery-queue.js';
import { createDeliveryGateway } from './slack/gateway.js';
import { crmKeyRing } from './domain/crm/credentials.js';
import { listWorkspaces } from './domain/workspaces/find-workspace.js';
import { createCrmSource } from './crm/registry.js';
import { CrmSyncJob } from './scheduler/crm-sync-job.js';
import { crmFailureNotice } from './slack/blocks/crm-messages.js';

function errorText(e: unknown): Record<string, unknown> {
  if (!(e instanceof Error)) return { error: String(e).slice(0, 500) };
  return { error: e.message.slice(0, 500), name: e.name, stack: e.stack?.split('\n').slice(1, 6).map((l) => l.trim()).join(' | ') };
}

/**
 * Errors outside any request. Requests are already contained (the receiver answers 400/500 and
 * the listener errors end in app.error), so what reaches here escaped some async path:
 * - an unhandled promise rejection is an operation that failed with nobody waiting for it; the
 *   process state is intact, so it is logged (redacted, like every line) and the app keeps serving.
 * - an uncaught exception may have broken state half-way through synchronous code, so the process
 *   logs it and exits with code 1 for its supervisor (systemd `Restart=always`, see deploy/) to
 *   restart it (digest slots are claimed in the database, so the restarted app carries on).
 */
function handleUnexpectedErrors(logger: Logger): void {
  process.on('unhandledRejection', (reason) => {
    logger.error('unhandled promise rejection (the app keeps running)', errorText(reason));
  });
  process.on('uncaughtException', (e) => {
    logger.error('uncaught exception: exiting for the supervisor to restart the app', errorText(e));
    process.exit(1);
  });
}

/**
 * Production entry point: validate the environment, open and migrate the database, serve Slack.
 * Any startup failure is one clear line and exit code 1.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const line of e.lines) process.stderr.write(line + '\n');
      process.exit(1);
    }
    throw e;
  }
  registerSecrets(config.SLACK_BOT_TOKEN, config.SLACK_SIGNING_SECRET, config.SLACK_APP_TOKEN, config.CRM_ENCRYPTION_KEY, config.CRM_ENCRYPTION_KEY_PREVIOUS, config.SLACK_CLIENT_SECRET, config.SLACK_STATE_SECRET, config.SLACK_TOKEN_ENCRYPTION_KEY);
  const logger = createLogger(config.LOG_LEVEL);
  handleUnexpectedErrors(logger);
  const db = openDatabase(config.DATABASE_URL);
  const migrated = await migrateDatabase(db, (m) => logger.info(m));
  logger.info('database ready', { engine: db.dialect, applied: migrated.applied.length });
  const keysFixed = await repairCustomerKeys(db);
  if (keysFixed > 0) logger.info('customer keys of open deals rewritten', { deals: keysFixed });
  const kpi = await createKpiApp({ config, db, logger });
  const port = await kpi.start(config.PORT);
  const oauthMode = oauthConfigOf(config) !== null;
  logger.info(`sales KPI app listening`, { mode: config.SLACK_APP_TOKEN ? 'socket' : 'http', port, oauth: oauthMode });
  // TODO(issue #11): scheduled posts with each installation's token. Until then OAuth mode has no
  // token for the scheduler, so its Slack jobs do not start (single-token mode is unchanged).
  if (oauthMode && config.SCHEDULER_ENABLED) logger.warn('OAuth mode: scheduled digests, alerts and CRM syncs are not started yet (issue #11)');

  // Weekly digests: every instance ticks; slot claims in the database keep each post exactly-once.
  let digestJob: WeeklyDigestJob | undefined;
  let alertsJob: DailyAlertsJob | undefined;
  let crmJob: CrmSyncJob | undefined;
  if (config.SCHEDULER_ENABLED && !oauthMode) {
    const leaseMs = config.DIGEST_LEASE_SECONDS * 1000;
    const gateway = createDeliveryGateway({
      token: config.SLACK_BOT_TOKEN ?? '',
      ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
      logger,
      // A hung request must end well before the claim's lease does.
      timeoutMs: Math.max(1000, Math.min(30_000, leaseMs / 2)),
    });
    const queue = new DeliveryQueue({ gateway, db, logger });
    digestJob = new WeeklyDigestJob({
      db,
      deliver: queue.deliver,
      buildDigest: createWeeklyDigestBuilder({
        db,
        quickchartUrl: config.QUICKCHART_URL,
        render: buildWeeklyDigestMessage,
        logger,
        // Workspace-wide alerts a digest fires also go to the alerts channel, through the same queue.
        // If that post fails, the alerts stay owed and the daily alerts job's next tick posts them.
        onAlertsFired: (workspace, fired, now) => postFiredAlerts({ db, deliver: queue.deliver, workspace, fired, scopeLabel: 'all reps', logger, now }).then(() => undefined),
      }),
      logger,
      graceMs: config.DIGEST_GRACE_HOURS * 3_600_000,
      leaseMs,
      cronExpression: config.DIGEST_TICK_CRON,
    });
    digestJob.start();
    alertsJob = new DailyAlertsJob({ db, deliver: queue.deliver, logger });
    alertsJob.start();
    // CRM sync (issue #10): only with a key to open the stored credentials.
    if (config.CRM_ENCRYPTION_KEY) {
      crmJob = new CrmSyncJob({
        db,
        keyRing: crmKeyRing(config.CRM_ENCRYPTION_KEY, config.CRM_ENCRYPTION_KEY_PREVIOUS),
        createSource: (c, options) => createCrmSource(c.vendor, c.credentials, options),
        // CRM owners become the Slack users with their email (single-token mode: one workspace).
        lookupUserByEmail: () => (email) => kpi.deps.slack.userIdByEmail(email),
        ...(config.SALESFORCE_CLIENT_ID
          ? { salesforceApp: { clientId: config.SALESFORCE_CLIENT_ID, ...(config.SALESFORCE_CLIENT_SECRET ? { clientSecret: config.SALESFORCE_CLIENT_SECRET } : {}), ...(config.SALESFORCE_LOGIN_URL ? { loginUrl: config.SALESFORCE_LOGIN_URL } : {}) } }
          : {}),
        // The installer hears about a failing sync once (the app's DM with them).
        notifyAdmin: async (notice) => {
          const [workspace] = await listWorkspaces({ db, ids: [notice.workspaceId] });
          if (!workspace?.installerUserId) return;
          await queue.deliver({ workspaceId: workspace.id, channelId: workspace.installerUserId, kind: 'notice', message: crmFailureNotice(notice), at: new Date() });
        },
        // The first full load after connecting: one message to the admin who connected, updated in place.
        progress: { post: (channel, message) => gateway.postMessage(channel, message), update: (channel, ts, message) => gateway.updateMessage(channel, ts, message) },
        logger,
      });
      crmJob.start();
      // A webhook marked a workspace due: sync now rather than at the next minute.
      const job = crmJob;
      if (kpi.deps.crm) kpi.deps.crm.onSyncDue = () => void job.tick();
    }
  }

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    await digestJob?.stop().catch(() => undefined);
    await alertsJob?.stop().catch(() => undefined);
    await crmJob?.stop().catch(() => undefined);
    await kpi.stop().catch(() => undefined);
    await db.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((e: unknown) => {
  const logger = createLogger('error');
  logger.error(`startup failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
