import { App, SocketModeReceiver } from '@slack/bolt';
import type { Logger as BoltLogger } from '@slack/logger';
import { LogLevel } from '@slack/logger';
import { WebClient } from '@slack/web-api';
import { nodeHttpFetch } from './slack/node-http-fetch.js';
import { oauthConfigOf, type TConfig } from './config.js';
import type { Logger } from './logger.js';
import type { Db } from './storage/db.js';
import type { AppDeps } from './slack/context.js';
import { SlackGateway } from './slack/gateway.js';
import { MemberCache } from './domain/workspaces/member-cache.js';
import { deriveSealKey, ValueSealer } from './slack/sealed-values.js';
import { registerActions } from './slack/listeners/actions/index.js';
import { registerCommands } from './slack/listeners/commands/index.js';
import { registerEvents } from './slack/listeners/events/index.js';
import { registerShortcuts } from './slack/listeners/shortcuts/index.js';
import { registerViews } from './slack/listeners/views/index.js';
import { guardSocketMode, KpiHttpReceiver, send, socketModeRoutes, type THealthAnswer } from './slack/receiver.js';
import { httpRoutes } from './slack/http-routes.js';
import { probeDatabaseWritable } from './storage/db-health.js';
import { createSlackOAuth, type TSlackOAuth } from './slack/oauth/slack-oauth.js';
import { RequestTokenWebClient } from './slack/oauth/request-token.js';
import { crmKeyRing } from './domain/crm/credentials.js';
import { createCrmSource } from './crm/registry.js';
import type { TCrmDeps } from './slack/context.js';


export interface CreateKpiAppOptions {
  config: TConfig;
  db: Db;
  logger: Logger;
  now?: () => Date;
  /** Web API retry policy; production keeps Bolt's default, tests pass `{ retries: 0 }`. */
  retryConfig?: { retries: number; factor?: number; minTimeout?: number; maxTimeout?: number };
  /** Builds CRM connectors (default: the registry's `createCrmSource`; tests pass fakes). */
  createCrmSource?: TCrmDeps['createSource'];
}

/** The CRM part of the listeners' dependencies, from the configuration. */
export function crmDepsFromConfig(config: TConfig, createSource: TCrmDeps['createSource'] = createCrmSource): TCrmDeps {
  return {
    keyRing: config.CRM_ENCRYPTION_KEY ? crmKeyRing(config.CRM_ENCRYPTION_KEY, config.CRM_ENCRYPTION_KEY_PREVIOUS) : null,
    createSource,
    publicUrl: config.PUBLIC_URL ?? null,
    hubspotClientSecret: config.HUBSPOT_CLIENT_SECRET ?? null,
    salesforce: config.SALESFORCE_CLIENT_ID ? { clientId: config.SALESFORCE_CLIENT_ID, clientSecret: config.SALESFORCE_CLIENT_SECRET ?? null, loginUrl: config.SALESFORCE_LOGIN_URL } : null,
    validateTimeoutMs: 2_000,
    writeBackTimeoutMs: 1_500,
  };
}

export interface KpiApp {
  app: InstanceType<typeof App>;
  deps: AppDeps;
  /** OAuth mode: the installations' routes, store and bot tokens; null in single-token mode. */
  oauth: TSlackOAuth | null;
  /** Starts serving; resolves with the HTTP port (HTTP mode, or the health server in Socket Mode). */
  start(port?: number): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Checks the bot token once at startup with a short retry budget, so a wrong token or an
 * unreachable Slack stops startup within seconds with a line that says which it was.
 */
async function verifyBotToken(config: TConfig, retryConfig: CreateKpiAppOptions['retryConfig']): Promise<{ botId: string; botUserId: string }> {
  const client = new WebClient(config.SLACK_BOT_TOKEN, {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
    retryConfig: retryConfig ?? { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2000 },
    timeout: 10_000,
    fetch: nodeHttpFetch,
    logLevel: LogLevel.ERROR,
  });
  try {
    const res = await client.auth.test();
    return { botId: res.bot_id ?? '', botUserId: res.user_id ?? '' };
  } catch (e) {
    const slackError = (e as { data?: { error?: string } }).data?.error;
    if (slackError) throw new Error(`Slack rejected SLACK_BOT_TOKEN at auth.test (${slackError}). Check the bot token.`);
    throw new Error(`Could not reach the Slack Web API at ${config.SLACK_API_URL ?? 'https://slack.com/api/'} to check SLACK_BOT_TOKEN (${(e as { code?: string }).code ?? 'network error'}). Check the network or SLACK_API_URL.`);
  }
}

function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const join = (msg: unknown[]): string => msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    // The Web API client logs whole request bodies at debug level: messages can carry what is shown
    // once (a webhook password) and people's text, so those lines are dropped.
    debug: (...m: unknown[]) => {
      const line = join(m);
      if (!/^http request body\b/.test(line)) logger.debug(line);
    },
    info: (...m: unknown[]) => logger.info(join(m)),
    warn: (...m: unknown[]) => logger.warn(join(m)),
    error: (...m: unknown[]) => logger.error(join(m)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/**
 * Wires the Bolt app: receiver (HTTP on /slack/events with request checks in front of Bolt, or
 * Socket Mode when an app token is set), /healthz (503 when the database cannot take writes), the
 * Web API client pointed at SLACK_API_URL, and every listener. Nothing else here.
 */
export async function createKpiApp(opts: CreateKpiAppOptions): Promise<KpiApp> {
  const { config, db, logger } = opts;
  // Listener calls happen while a person waits (a modal's trigger expires in 3 s): one quick
  // retry within a bounded call, not the SDK's half-hour policy. Digests use their own client (delivery-queue.ts).
  const clientOptions = {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
    retryConfig: opts.retryConfig ?? { retries: 1, factor: 2, minTimeout: 300, maxTimeout: 1000, randomize: true },
    // Each attempt is bounded; the gateway bounds the whole call (see TGatewayDeadlines).
    timeout: 5_000,
    fetch: nodeHttpFetch,
  };
  // OAuth mode (issue #11): tokens come from the installations, per request; no token to check here.
  const oauth = oauthConfigOf(config);
  const identity = oauth ? null : await verifyBotToken(config, opts.retryConfig);
  const now = opts.now ?? (() => new Date());
  const health = async (): Promise<THealthAnswer> => {
    const probe = await probeDatabaseWritable(db);
    return probe.ok ? { status: 200, body: { ok: true, database: db.dialect } } : { status: 503, body: { ok: false, database: db.dialect, reason: probe.reason } };
  };
  let ready: AppDeps | undefined;
  const routes = httpRoutes(() => {
    if (!ready) throw new Error('the app is still starting');
    return ready;
  });
  const socketMode = Boolean(config.SLACK_APP_TOKEN);
  const logAdapter = boltLogger(logger);
  const install = oauth ? createSlackOAuth({ oauth, db, logger, boltLogger: logAdapter, now, slackApiUrl: config.SLACK_API_URL, publicUrl: config.PUBLIC_URL }) : null;
  const receiver = socketMode
    ? new SocketModeReceiver({
        appToken: config.SLACK_APP_TOKEN ?? '',
        logger: logAdapter,
        installerOptions: { port: config.PORT, clientOptions },
        customRoutes: [
          {
            path: '/healthz',
            method: ['GET'],
            handler: (_req, res) => {
              void health().then((a) => send(res, a.status, a.body));
            },
          },
          ...socketModeRoutes(routes, logger),
        ],
      })
    : new KpiHttpReceiver({ signingSecret: config.SLACK_SIGNING_SECRET ?? '', logger, boltLogger: logAdapter, now, health, routes: install ? [...routes, ...install.routes] : routes });
  if (receiver instanceof SocketModeReceiver) guardSocketMode(receiver, logger);
  const app = new App({
    ...(install
      ? { authorize: install.authorize }
      : {
          token: config.SLACK_BOT_TOKEN,
          // auth.test already ran (verifyBotToken): Bolt need not call it again with its own retries.
          botId: identity?.botId,
          botUserId: identity?.botUserId,
        }),
    receiver,
    clientOptions,
    logger: logAdapter,
    // Bolt's conversation store is unused here; skip its per-request work.
    convoStore: false,
    deferInitialization: true,
  });
  await app.init();
  const deps: AppDeps = {
    db,
    // OAuth mode: one gateway whose calls use the token of the request they run in (install.tokenScope).
    slack: new SlackGateway(install ? new RequestTokenWebClient(undefined, clientOptions) : app.client, logger),
    config,
    logger,
    now,
    members: new MemberCache(),
    sealer: new ValueSealer(deriveSealKey(config)),
    crm: crmDepsFromConfig(config, opts.createCrmSource),
  };
  ready = deps;
  if (install) app.use(install.tokenScope);
  registerCommands(app, deps);
  registerViews(app, deps);
  registerActions(app, deps);
  registerShortcuts(app, deps);
  registerEvents(app, deps, { oauth: install !== null });
  app.error(async (error) => {
    logger.error('unhandled Slack listener error', { error: error.message, code: (error as { code?: string }).code });
  });

  return {
    app,
    deps,
    oauth: install,
    async start(port = config.PORT) {
      await app.start(port);
      return receiver instanceof KpiHttpReceiver ? (receiver.port() ?? port) : port;
    },
    async stop() {
      await app.stop();
    },
  };
}
