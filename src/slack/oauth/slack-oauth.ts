import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, InstallProvider, type CodedError, type Installation } from '@slack/oauth';
import type { Logger as BoltLogger } from '@slack/logger';
import type { Middleware, AnyMiddlewareArgs, AuthorizeResult, AuthorizeSourceData } from '@slack/bolt';
import type { TOAuthConfig } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { Db } from '../../storage/db.js';
import { slackTokenKeyRing } from '../../domain/installations/slack-installation.js';
import type { THttpRoute } from '../receiver.js';
import { DbInstallationStore, onAppClock } from './installation-store.js';
import { failurePage, INSTALL_PAGE_HEADERS, installPage, pageLocale, successPage, type TInstallFailure } from './pages.js';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DEFAULT_LOCALE, type TLocale } from '../../i18n/locales.js';

/** The install page's language for the request Bolt is rendering it for (from `Accept-Language`). */
const pageLanguage = new AsyncLocalStorage<TLocale>();
const HTML_LANG_OF: Readonly<Record<TLocale, string>> = { en: 'en', vi: 'vi', 'zh-CN': 'zh-CN' };
import { withRequestToken } from './request-token.js';
import { BOT_SCOPES } from './scopes.js';
import { InstallationTokens, slackTokenExchange } from './bot-tokens.js';

export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

export interface CreateSlackOAuthOptions {
  oauth: TOAuthConfig;
  db: Db;
  logger: Logger;
  boltLogger: BoltLogger;
  now: () => Date;
  /** SLACK_API_URL (the fake Slack in tests); Slack's own when undefined. */
  slackApiUrl?: string | undefined;
  /** PUBLIC_URL: when set, the authorize link names `<PUBLIC_URL>/slack/oauth_redirect` as its redirect URL. */
  publicUrl?: string | undefined;
}

export interface TSlackOAuth {
  store: DbInstallationStore;
  installer: InstallProvider;
  /** Bot tokens per installation, refreshed near expiry (requests and scheduled posts). */
  tokens: InstallationTokens;
  /** GET /slack/install and GET /slack/oauth_redirect, for the receiver's `routes`. */
  routes: THttpRoute[];
  /** Bolt's `authorize`: the bot token of the request's workspace (or org) from the store. */
  authorize: (source: AuthorizeSourceData<boolean>) => Promise<AuthorizeResult>;
  /** Global middleware: the request's bot token is in scope for the app's Slack gateway. */
  tokenScope: Middleware<AnyMiddlewareArgs>;
}

/**
 * Why an install failed, for the page and its status: a bad or missing state (CSRF check, an old
 * link, another browser) or a cancel is the visitor's to retry (400); anything else is ours (500).
 *
 * @example installFailureOf({ code: 'slack_oauth_invalid_state' }) // { reason: 'expired', status: 400 }
 */
export function installFailureOf(error: { code?: string }): { reason: TInstallFailure; status: number } {
  switch (error.code) {
    case ErrorCode.InvalidStateError:
    case ErrorCode.MissingStateError:
      return { reason: 'expired', status: 400 };
    case ErrorCode.AuthorizationError:
      return { reason: 'cancelled', status: 400 };
    case ErrorCode.MissingCodeError:
      return { reason: 'failed', status: 400 };
    default:
      return { reason: 'failed', status: 500 };
  }
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  if (res.headersSent) return;
  res.writeHead(status, INSTALL_PAGE_HEADERS);
  res.end(html);
}

/**
 * Slack's authorize page, on the host of the Web API the app talks to: Slack's own, or the fake
 * Slack of the tests (SLACK_API_URL), whose authorize page sends the browser back like Slack does.
 *
 * @example authorizeUrlOf('https://slack.com/api/') // 'https://slack.com/oauth/v2/authorize'
 */
export function authorizeUrlOf(slackApiUrl: string | undefined): string {
  return new URL('../oauth/v2/authorize', slackApiUrl ?? 'https://slack.com/api/').toString();
}

/**
 * OAuth mode (issue #11): the installation store on the database, Bolt's InstallProvider (state
 * signed with SLACK_STATE_SECRET and bound to the browser by a cookie), the install and redirect
 * routes with this app's pages, and the per-request authorisation.
 */
export function createSlackOAuth(opts: CreateSlackOAuthOptions): TSlackOAuth {
  const ring = slackTokenKeyRing(opts.oauth.tokenEncryptionKey, opts.oauth.tokenEncryptionKeyPrevious);
  const store = new DbInstallationStore({ db: opts.db, ring, now: opts.now });
  const tokens = new InstallationTokens({
    db: opts.db,
    ring,
    exchange: slackTokenExchange({ clientId: opts.oauth.clientId, clientSecret: opts.oauth.clientSecret, slackApiUrl: opts.slackApiUrl, logger: opts.logger }),
    logger: opts.logger,
    now: opts.now,
  });
  const installer = new InstallProvider({
    clientId: opts.oauth.clientId,
    clientSecret: opts.oauth.clientSecret,
    stateSecret: opts.oauth.stateSecret,
    installationStore: onAppClock(store, opts.now),
    authorizationUrl: authorizeUrlOf(opts.slackApiUrl),
    // Named, Slack checks the redirect URL against the app's list (manifest `oauth_config.redirect_urls`).
    installUrlOptions: { scopes: [...BOT_SCOPES], ...(opts.publicUrl ? { redirectUri: `${opts.publicUrl}${REDIRECT_PATH}` } : {}) },
    // Bolt renders the page with the URL only: the request's language rides along (pageLanguage).
    renderHtmlForInstallPath: (url: string) => installPage(url, pageLanguage.getStore() ?? DEFAULT_LOCALE),
    logger: opts.boltLogger,
    clientOptions: { ...(opts.slackApiUrl ? { slackApiUrl: opts.slackApiUrl } : {}), timeout: 10_000, retryConfig: { retries: 1 } },
  });
  const callbackOptions = {
    success: (installation: Installation, _o: unknown, req: IncomingMessage, res: ServerResponse) => {
      opts.logger.info('Slack installation stored', { team: installation.team?.id, enterprise: installation.enterprise?.id, orgWide: installation.isEnterpriseInstall === true });
      const locale = pageLocale(req.headers['accept-language']);
      res.setHeader('content-language', HTML_LANG_OF[locale]);
      sendHtml(res, 200, successPage({ teamName: installation.team?.name ?? installation.enterprise?.name ?? null, locale }));
    },
    failure: (error: CodedError, _o: unknown, req: IncomingMessage, res: ServerResponse) => {
      const failure = installFailureOf(error);
      opts.logger.warn('Slack installation failed', { code: error.code, status: failure.status });
      const locale = pageLocale(req.headers['accept-language']);
      res.setHeader('content-language', HTML_LANG_OF[locale]);
      sendHtml(res, failure.status, failurePage({ reason: failure.reason, installPath: INSTALL_PATH, locale }));
    },
  };
  const routes: THttpRoute[] = [
    {
      method: 'GET',
      path: INSTALL_PATH,
      handler: (req, _body, res) => {
        // Bolt writes the page itself (with its own content type): the page's headers go first.
        for (const [name, value] of Object.entries(INSTALL_PAGE_HEADERS)) res.setHeader(name, value);
        const locale = pageLocale(req.headers['accept-language']);
        res.setHeader('content-language', HTML_LANG_OF[locale]);
        return pageLanguage.run(locale, () => installer.handleInstallPath(req, res));
      },
    },
    { method: 'GET', path: REDIRECT_PATH, handler: (req, _body, res) => installer.handleCallback(req, res, callbackOptions) },
  ];
  // Not InstallProvider#authorize: its refresh reads the wall clock and stores whatever it got, so two
  // instances refreshing at once would both spend the single-use refresh token (resolveBotToken).
  const authorize = async (source: AuthorizeSourceData<boolean>): Promise<AuthorizeResult> => {
    const found = await tokens.forRequest({ teamId: source.teamId, enterpriseId: source.enterpriseId, isEnterpriseInstall: source.isEnterpriseInstall });
    if (!found) throw new Error(`no active installation for team ${source.teamId ?? '-'} / enterprise ${source.enterpriseId ?? '-'}`);
    return {
      botToken: found.botToken,
      botId: found.botId,
      botUserId: found.botUserId,
      ...(found.teamId ?? source.teamId ? { teamId: found.teamId ?? source.teamId } : {}),
      ...(found.enterpriseId ?? source.enterpriseId ? { enterpriseId: found.enterpriseId ?? source.enterpriseId } : {}),
    };
  };
  const tokenScope: Middleware<AnyMiddlewareArgs> = async ({ context, next }) => withRequestToken(context.botToken, next);
  return { store, installer, tokens, routes, authorize, tokenScope };
}
