import type { Db } from '../../storage/db.js';
import { claimSlackTokenRefresh, releaseSlackTokenRefresh, storeRefreshedSlackTokens } from '../../storage/queries/slack-installations.js';
import type { TSealKeyRing } from '../../shared/sealed-text.js';
import type { Logger } from '../../logger.js';
import { findSlackInstallation } from './find-slack-installation.js';
import { sealToken, type TSlackInstallQuery, type TStoredSlackInstall } from './slack-installation.js';

/** Slack's `oauth.v2.access` with `grant_type=refresh_token`: the port the Slack layer implements. */
export type TSlackTokenExchange = (refreshToken: string) => Promise<{ accessToken: string; refreshToken: string; expiresInSeconds: number }>;

/** Tokens expiring within this margin are refreshed first (Bolt's own window). */
export const TOKEN_REFRESH_MARGIN_MS = 2 * 3_600_000;
/** How long one instance may hold the right to exchange a refresh token. */
export const TOKEN_REFRESH_LEASE_MS = 30_000;

export class SlackTokenRefreshError extends Error {
  override readonly name = 'SlackTokenRefreshError';
}

export interface ResolveBotTokenOptions {
  db: Db;
  ring: TSealKeyRing;
  query: TSlackInstallQuery;
  now: Date;
  exchange: TSlackTokenExchange;
  logger?: Logger;
  marginMs?: number;
  leaseMs?: number;
  /** Pause between looks at a refresh another instance is doing (real time). Default 100 ms. */
  pollMs?: number;
  /** Looks before giving up on another instance's refresh. Default 50 (about 5 s). */
  maxPolls?: number;
}

/**
 * Whether the bot token should be refreshed before use: rotation on and expiring within the margin.
 *
 * @example needsTokenRefresh({ botRefreshToken: 'xoxe-1-r', botTokenExpiresAt: new Date('2026-03-02T10:00:00Z') }, new Date('2026-03-02T09:00:00Z'), 7_200_000) // true
 */
export function needsTokenRefresh(i: Pick<TStoredSlackInstall, 'botRefreshToken' | 'botTokenExpiresAt'>, now: Date, marginMs: number): boolean {
  return i.botRefreshToken !== null && i.botTokenExpiresAt !== null && i.botTokenExpiresAt.getTime() - now.getTime() <= marginMs;
}

/**
 * The active installation serving the query with a bot token fit to use, refreshed first when token
 * rotation is on and it expires within the margin; null when there is no active installation.
 *
 * Slack takes each refresh token once, so with several instances exactly one may exchange it: a
 * conditional UPDATE on the token version claims the refresh, the winner exchanges and stores the new
 * tokens (sealed) over that version; the others wait and read the winner's tokens. When a refresh
 * cannot be done the current token is used while it has not expired.
 */
export async function resolveBotToken(opts: ResolveBotTokenOptions): Promise<TStoredSlackInstall | null> {
  const { db, ring, query, now } = opts;
  const marginMs = opts.marginMs ?? TOKEN_REFRESH_MARGIN_MS;
  const pollMs = opts.pollMs ?? 100;
  const maxPolls = opts.maxPolls ?? 50;
  const find = (): Promise<TStoredSlackInstall | null> => findSlackInstallation({ db, ring, query });
  let found = await find();
  for (let polls = 0; found && needsTokenRefresh(found, now, marginMs); polls++) {
    const claimed = await claimSlackTokenRefresh(db, found.installKey, found.tokenVersion, now, new Date(now.getTime() + (opts.leaseMs ?? TOKEN_REFRESH_LEASE_MS)));
    if (claimed) return exchangeAndStore(opts, found);
    if (polls >= maxPolls) {
      if (found.botTokenExpiresAt && found.botTokenExpiresAt > now) return found;
      throw new SlackTokenRefreshError(`the bot token of ${found.installKey} expired and another instance's refresh did not finish`);
    }
    // Another instance is refreshing (or just did): read again.
    await new Promise((r) => setTimeout(r, pollMs));
    found = await find();
  }
  return found;
}

async function exchangeAndStore(opts: ResolveBotTokenOptions, found: TStoredSlackInstall): Promise<TStoredSlackInstall | null> {
  const { db, ring, now } = opts;
  const key = found.installKey;
  let fresh;
  try {
    fresh = await opts.exchange(found.botRefreshToken ?? '');
  } catch (e) {
    await releaseSlackTokenRefresh(db, key, found.tokenVersion);
    const error = e instanceof Error ? e.message : String(e);
    if (found.botTokenExpiresAt && found.botTokenExpiresAt > now) {
      opts.logger?.warn('Slack token refresh failed; the current token is used until it expires', { installKey: key, error });
      return found;
    }
    throw new SlackTokenRefreshError(`the bot token of ${key} expired and could not be refreshed (${error})`);
  }
  const expiresAt = new Date(now.getTime() + fresh.expiresInSeconds * 1000);
  const stored = await storeRefreshedSlackTokens(
    db,
    key,
    found.tokenVersion,
    { botToken: sealToken(ring, key, fresh.accessToken), botRefreshToken: sealToken(ring, key, fresh.refreshToken), botTokenExpiresAt: expiresAt },
    now,
  );
  // A reinstall replaced the tokens while this refresh ran: its tokens are the ones to use.
  if (!stored) return findSlackInstallation({ db, ring, query: opts.query });
  opts.logger?.info('Slack bot token refreshed', { installKey: key, expiresAt: expiresAt.toISOString() });
  return { ...found, botToken: fresh.accessToken, botRefreshToken: fresh.refreshToken, botTokenExpiresAt: expiresAt, tokenVersion: found.tokenVersion + 1 };
}
