import { createKpiApp } from './app.js';
import { ConfigError, loadConfig, oauthConfigOf } from './config.js';
import { createLogger, registerSecrets, type Logger } from './logger.js';
import { openDatabase } from './storage/db.js';
import { migrateDatabase } from './storage/migrate.js';
import { repairCustomerKeys } from './domain/deals/repair-customer-keys.js';
import { crmKeyRing } from './domain/crm/credentials.js';
import { slackTokenKeyRing } from './domain/installations/slack-installation.js';
import { checkStoredSecrets } from './domain/secrets/reseal-secrets.js';
import { createSchedulers } from './scheduler/schedulers.js';

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
  registerSecrets(config.SLACK_BOT_TOKEN, config.SLACK_SIGNING_SECRET, config.SLACK_APP_TOKEN, config.CRM_ENCRYPTION_KEY, config.CRM_ENCRYPTION_KEY_PREVIOUS, config.SLACK_CLIENT_SECRET, config.SLACK_STATE_SECRET, config.SLACK_TOKEN_ENCRYPTION_KEY, ...`${config.SLACK_TOKEN_ENCRYPTION_KEY_PREVIOUS ?? ''},${config.CRM_ENCRYPTION_KEY_PREVIOUS ?? ''}`.split(',').map((k) => k.trim()));
  const logger = createLogger(config.LOG_LEVEL);
  handleUnexpectedErrors(logger);
  const db = openDatabase(config.DATABASE_URL);
  const migrated = await migrateDatabase(db, (m) => logger.info(m));
  // A wrong key would fail every request of the workspaces it sealed for: refuse to start instead.
  const secretsCheck = await checkStoredSecrets({
    db,
    rings: {
      slack: config.SLACK_TOKEN_ENCRYPTION_KEY ? slackTokenKeyRing(config.SLACK_TOKEN_ENCRYPTION_KEY, config.SLACK_TOKEN_ENCRYPTION_KEY_PREVIOUS) : null,
      crm: config.CRM_ENCRYPTION_KEY ? crmKeyRing(config.CRM_ENCRYPTION_KEY, config.CRM_ENCRYPTION_KEY_PREVIOUS) : null,
    },
  });
  if (secretsCheck.stop !== null) {
    process.stderr.write(secretsCheck.stop + '\n');
    await db.close().catch(() => undefined);
    process.exit(1);
  }
  if (secretsCheck.damaged !== null) logger.warn(secretsCheck.damaged);
  logger.info('database ready', { engine: db.dialect, applied: migrated.applied.length });
  const keysFixed = await repairCustomerKeys(db);
  if (keysFixed > 0) logger.info('customer keys of open deals rewritten', { deals: keysFixed });
  const kpi = await createKpiApp({ config, db, logger });
  const port = await kpi.start(config.PORT);
  const oauthMode = oauthConfigOf(config) !== null;
  logger.info(`sales KPI app listening`, { mode: config.SLACK_APP_TOKEN ? 'socket' : 'http', port, oauth: oauthMode });
  // Scheduled jobs: every instance ticks; claims in the database keep each post exactly-once. In OAuth
  // mode each workspace is posted to with its own installation's token, and only while installed.
  const schedulers = config.SCHEDULER_ENABLED ? createSchedulers({ config, db, logger, deps: kpi.deps, tokens: kpi.oauth?.tokens }) : undefined;
  schedulers?.start();

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    await schedulers?.stop().catch(() => undefined);
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
