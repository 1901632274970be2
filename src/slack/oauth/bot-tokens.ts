import { WebClient, LogLevel, type Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from '../../logger.js';
import type { Db } from '../../storage/db.js';
import type { TSealKeyRing } from '../../shared/sealed-text.js';
import { resolveBotToken, type TSlackTokenExchange } from '../../domain/installations/resolve-bot-token.js';
import { installQueryOfWorkspace, recordOrgWorkspace } from '../../domain/installations/served-workspaces.js';
import type { TSlackInstallQuery, TStoredSlackInstall } from '../../domain/installations/slack-installation.js';
import { nodeHttpFetch } from '../node-http-fetch.js';
import { withRequestToken } from './request-token.js';

function quietLogger(logger: Logger): SlackLogger {
  let level = LogLevel.ERROR;
  return {
    // Request bodies carry the client secret and the refresh token: nothing but errors is logged.
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => logger.warn('Slack token exchange: the Web API client reported an error'),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/**
 * Slack's refresh-token exchange (`oauth.v2.access`, `grant_type=refresh_token`) on its own client
 * that never retries: a refresh token is good for one exchange, a retry could only be refused.
 */
export function slackTokenExchange(opts: { clientId: string; clientSecret: string; slackApiUrl?: string | undefined; logger: Logger; timeoutMs?: number }): TSlackTokenExchange {
  const client = new WebClient(undefined, {
    ...(opts.slackApiUrl ? { slackApiUrl: opts.slackApiUrl } : {}),
    retryConfig: { retries: 0 },
    timeout: opts.timeoutMs ?? 10_000,
    fetch: nodeHttpFetch,
    logger: quietLogger(opts.logger),
  });
  return async (refreshToken) => {
    const res = await client.oauth.v2.access({ client_id: opts.clientId, client_secret: opts.clientSecret, grant_type: 'refresh_token', refresh_token: refreshToken });
    if (!res.access_token || !res.refresh_token || typeof res.expires_in !== 'number') throw new Error('oauth.v2.access answered without rotated tokens');
    return { accessToken: res.access_token, refreshToken: res.refresh_token, expiresInSeconds: res.expires_in };
  };
}

export interface InstallationTokensOptions {
  db: Db;
  ring: TSealKeyRing;
  exchange: TSlackTokenExchange;
  logger: Logger;
  now: () => Date;
}

/**
 * The bot token to use for a request or for a scheduled post, per installation, refreshed near its
 * expiry (see `resolveBotToken`). Concurrent look-ups of one installation in this process share
 * one resolution; across instances the database decides who refreshes.
 */
export class InstallationTokens {
  private readonly inFlight = new Map<string, Promise<TStoredSlackInstall | null>>();
  private readonly orgTeamsSeen = new Set<string>();

  constructor(private readonly opts: InstallationTokensOptions) {}

  /** The installation serving these ids, with a usable bot token; null when none is active. */
  forQuery(query: TSlackInstallQuery): Promise<TStoredSlackInstall | null> {
    const flightKey = `${query.isEnterpriseInstall ? 'org' : 'ws'}:${query.teamId ?? ''}:${query.enterpriseId ?? ''}`;
    const running = this.inFlight.get(flightKey);
    if (running) return running;
    const { db, ring, exchange, logger } = this.opts;
    const work = resolveBotToken({ db, ring, query, now: this.opts.now(), exchange, logger }).finally(() => this.inFlight.delete(flightKey));
    this.inFlight.set(flightKey, work);
    return work;
  }

  /** The bot token for a request's ids; remembers a workspace seen through its org's install. */
  async forRequest(query: TSlackInstallQuery): Promise<TStoredSlackInstall | null> {
    const found = await this.forQuery(query);
    if (found?.isEnterpriseInstall && query.teamId && query.enterpriseId && !this.orgTeamsSeen.has(query.teamId)) {
      await recordOrgWorkspace({ db: this.opts.db, teamId: query.teamId, enterpriseId: query.enterpriseId, now: this.opts.now() });
      this.orgTeamsSeen.add(query.teamId);
    }
    return found;
  }

  /** The bot token to post to a stored workspace with; null when no active installation serves it. */
  async forWorkspace(workspaceId: number): Promise<string | null> {
    const query = await installQueryOfWorkspace({ db: this.opts.db, workspaceId });
    if (!query) return null;
    return (await this.forQuery(query))?.botToken ?? null;
  }

  /**
   * Runs `call` with the bot token of the installation serving a stored workspace (every Slack call
   * it makes uses that token); `undefined` without running it when no active installation serves it.
   */
  async withWorkspaceToken<T>(workspaceId: number, call: () => Promise<T>): Promise<T | undefined> {
    const token = await this.forWorkspace(workspaceId);
    return token ? withRequestToken(token, call) : undefined;
  }
}
