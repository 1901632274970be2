import { ErrorCode, WebClient } from '@slack/web-api';
import { nodeHttpFetch } from './node-http-fetch.js';
import { currentRequestToken, RequestTokenWebClient } from './oauth/request-token.js';
import type { Logger as SlackLogger } from '@slack/logger';
import { LogLevel } from '@slack/logger';
import type { KnownBlock, Block, View } from '@slack/types';
import type { Logger } from '../logger.js';
import { postJson } from './post-json.js';
import { SlackApiError, SlackHttpError, SlackRateLimitedError, SlackRequestError, SlackTimeoutError } from './slack-errors.js';
import { webApiPost } from './web-api-post.js';

export { SlackApiError, SlackHttpError, SlackRateLimitedError, SlackRequestError, SlackTimeoutError } from './slack-errors.js';

/**
 * The one module that talks to Slack's Web API and response URLs. Listeners and jobs call these
 * methods; nothing else imports the WebClient. chat.postMessage goes through its own small
 * transport (web-api-post.ts, called only from here); every other method through the WebClient. Errors carry Slack's error code in `slackError`.
 */
export type SlackBlocks = Array<KnownBlock | Block>;

export interface SlackMessage {
  text: string;
  blocks?: SlackBlocks;
}

export interface SlackUserProfile {
  id: string;
  name: string;
  timeZone: string | undefined;
  isAdmin: boolean;
  /** Slack's locale of the user (`vi-VN`, `zh-CN`, `en-US`), asked with `include_locale`. */
  locale?: string | undefined;
}

/** Slack error code of a failed Web API call, or undefined for other errors. */
export function slackErrorCode(e: unknown): string | undefined {
  if (e instanceof SlackApiError) return e.slackError;
  const data = (e as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/**
 * How long one call may take before the caller stops waiting. A person is waiting on the
 * interactive ones (a modal's trigger expires after 3 s; `/deal` must be acked within 3 s).
 */
export interface TGatewayDeadlines {
  /** users.info, on a user's first contact (the ack waits for it). */
  lookupMs: number;
  /** views.open (trigger ids expire after 3 s anyway). */
  modalMs: number;
  /** Everything else: posts, updates, App Home, response_url. */
  callMs: number;
}

export const DEFAULT_DEADLINES: TGatewayDeadlines = { lookupMs: 1_500, modalMs: 2_500, callMs: 5_000 };

/**
 * How `chat.postMessage` (called directly, web-api-post.ts) handles failures: the app's gateway
 * waits a 429 out and tries a network error or 5xx once more, within the deadline; the delivery
 * gateway does neither (its queue paces and retries per channel).
 */
export interface TPostPolicy {
  retries: number;
  waitOnRateLimit: boolean;
}

export const INTERACTIVE_POST_POLICY: TPostPolicy = { retries: 1, waitOnRateLimit: true };

/**
 * Resolves or rejects like `work`, or rejects with a SlackTimeoutError after `ms`. The underlying
 * request is also bounded by the client's own timeout, so nothing is left hanging for long.
 *
 * @example
 * await withDeadline(client.users.info({ user }), 1500, 'users.info');
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, method: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SlackTimeoutError(method, ms)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export class SlackGateway {
  constructor(
    private readonly client: WebClient,
    private readonly logger: Logger,
    private readonly deadlines: TGatewayDeadlines = DEFAULT_DEADLINES,
    private readonly postPolicy: TPostPolicy = INTERACTIVE_POST_POLICY,
  ) {}

  /**
   * chat.postMessage straight over HTTP (JSON body, Bearer token), not through the WebClient: it
   * runs after every logged deal, and the client's per-call machinery costs more CPU than the
   * request. The token is the one the WebClient would send: the request's (OAuth mode,
   * RequestTokenWebClient), else the client's own.
   */
  private async chatPostMessage(args: Record<string, unknown>): Promise<string | undefined> {
    const token = (this.client instanceof RequestTokenWebClient ? currentRequestToken() : undefined) ?? this.client.token;
    if (!token) throw new SlackApiError('not_authed', 'no bot token for chat.postMessage');
    const res = await webApiPost('chat.postMessage', args, {
      apiUrl: this.client.slackApiUrl,
      token,
      deadlineMs: this.deadlines.callMs,
      retries: this.postPolicy.retries,
      waitOnRateLimit: this.postPolicy.waitOnRateLimit,
      onRateLimited: (retryAfterMs, waiting) => {
        // The delivery queue logs its own waits; a wait that does not fit is worth a line here.
        if (!waiting && this.postPolicy.waitOnRateLimit) this.logger.warn('Slack rate-limited chat.postMessage beyond the deadline: not posted', { retryAfterMs, deadlineMs: this.deadlines.callMs });
        else if (waiting) this.logger.debug('Slack rate-limited chat.postMessage: waiting', { retryAfterMs });
      },
    });
    return typeof res.ts === 'string' ? res.ts : undefined;
  }

  private bounded<T>(work: Promise<T>, method: string, ms = this.deadlines.callMs): Promise<T> {
    return withDeadline(work, ms, method);
  }

  /**
   * The Slack user with this email (`users.lookupByEmail`, scope `users:read.email`), or null when
   * there is none: how CRM owners are matched to people in Slack.
   */
  async userIdByEmail(email: string): Promise<string | null> {
    try {
      const res = await this.bounded(this.client.users.lookupByEmail({ email }), 'users.lookupByEmail', this.deadlines.lookupMs);
      return res.user?.id ?? null;
    } catch (e) {
      if (slackErrorCode(e) === 'users_not_found') return null;
      throw e;
    }
  }

  async userProfile(userId: string): Promise<SlackUserProfile> {
    const res = await this.bounded(this.client.users.info({ user: userId, include_locale: true }), 'users.info', this.deadlines.lookupMs);
    const u = res.user;
    return {
      id: userId,
      name: u?.profile?.display_name || u?.real_name || u?.name || userId,
      timeZone: u?.tz,
      isAdmin: Boolean(u?.is_admin || u?.is_owner || u?.is_primary_owner),
      locale: u?.locale,
    };
  }

  async postMessage(channel: string, message: SlackMessage & { unfurl?: boolean }): Promise<string | undefined> {
    return this.chatPostMessage({
      channel,
      text: message.text,
      ...(message.blocks ? { blocks: message.blocks } : {}),
      unfurl_links: false,
      unfurl_media: false,
    });
  }

  async updateMessage(channel: string, ts: string, message: SlackMessage): Promise<void> {
    await this.bounded(this.client.chat.update({ channel, ts, text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) }), 'chat.update');
  }

  /**
   * Private message to a user in a channel. When the bot cannot post there (not a member, a DM it
   * is not part of), falls back to a direct message so the user still hears back.
   */
  async postPrivate(channel: string | undefined, user: string, message: SlackMessage): Promise<void> {
    if (channel) {
      try {
        await this.bounded(this.client.chat.postEphemeral({ channel, user, text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) }), 'chat.postEphemeral');
        return;
      } catch (e) {
        const code = slackErrorCode(e);
        if (!code || !['not_in_channel', 'channel_not_found', 'is_archived', 'user_not_in_channel'].includes(code)) throw e;
        this.logger.debug('ephemeral failed, falling back to DM', { code });
      }
    }
    await this.chatPostMessage({ channel: user, text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) });
  }

  /** Posts to a slash command's or action's `response_url` (ephemeral unless `inChannel`). */
  async respond(responseUrl: string, message: TResponseMessage): Promise<void> {
    const body = responseBody(message);
    const status = await postJson(responseUrl, body, this.deadlines.callMs, () => new SlackTimeoutError('response_url', this.deadlines.callMs));
    if (status < 200 || status > 299) throw new SlackApiError(`response_url_${status}`);
  }

  async openModal(triggerId: string, view: View): Promise<string | undefined> {
    const res = await this.bounded(this.client.views.open({ trigger_id: triggerId, view }), 'views.open', this.deadlines.modalMs);
    return res.view?.id;
  }

  /** Opens a modal on top of the one the trigger came from (views.push, e.g. a refund from the deal form). */
  async pushModal(triggerId: string, view: View): Promise<string | undefined> {
    const res = await this.bounded(this.client.views.push({ trigger_id: triggerId, view }), 'views.push', this.deadlines.modalMs);
    return res.view?.id;
  }

  async updateModal(viewId: string, view: View): Promise<void> {
    await this.bounded(this.client.views.update({ view_id: viewId, view }), 'views.update');
  }

  async publishHome(userId: string, view: View): Promise<void> {
    await this.bounded(this.client.views.publish({ user_id: userId, view }), 'views.publish');
  }

  /** Whether the bot is a member of the channel (public/private channels). */
  async botIsInChannel(channel: string): Promise<{ member: boolean; archived: boolean } | { error: string }> {
    try {
      const res = await this.bounded(this.client.conversations.info({ channel }), 'conversations.info', this.deadlines.modalMs);
      return { member: Boolean(res.channel?.is_member), archived: Boolean(res.channel?.is_archived) };
    } catch (e) {
      return { error: slackErrorCode(e) ?? 'unknown_error' };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Delivery client (scheduled messages: digests, alerts)
// ---------------------------------------------------------------------------------------------

/** A failed Web API call, classified for a sender that retries by itself. */
export type TSlackFailure =
  | { kind: 'rate_limited'; error: string; retryAfterMs: number }
  | { kind: 'transient'; error: string }
  | { kind: 'platform'; error: string };

/** Slack platform errors that are worth retrying. */
const TRANSIENT_PLATFORM_ERRORS = new Set(['timeout', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'team_added_to_org']);

/**
 * Classifies an error thrown by a WebClient built with `retryConfig: { retries: 0 }` and
 * `rejectRateLimitedCalls: true`, or by the delivery gateway's chat.postMessage (web-api-post.ts,
 * no retries, 429s handed back): 429 (with its Retry-After), transient (5xx, network, Slack's
 * internal errors), or a platform error to act on (`not_in_channel`, `invalid_blocks`, …).
 *
 * @example
 * classifySlackFailure(e); // { kind: 'rate_limited', error: 'ratelimited', retryAfterMs: 30000 }
 */
export function classifySlackFailure(e: unknown): TSlackFailure {
  // chat.postMessage's own transport (web-api-post.ts).
  if (e instanceof SlackRateLimitedError) return { kind: 'rate_limited', error: 'ratelimited', retryAfterMs: e.retryAfterMs };
  if (e instanceof SlackHttpError) return e.statusCode >= 500 || e.statusCode === 408 ? { kind: 'transient', error: e.slackError } : { kind: 'platform', error: e.slackError };
  if (e instanceof SlackRequestError) return { kind: 'transient', error: e.slackError };
  const err = e as { code?: unknown; retryAfter?: unknown; statusCode?: unknown; original?: unknown; message?: unknown } | undefined;
  switch (err?.code) {
    case ErrorCode.RateLimitedError: {
      const seconds = typeof err.retryAfter === 'number' && Number.isFinite(err.retryAfter) ? err.retryAfter : 1;
      return { kind: 'rate_limited', error: 'ratelimited', retryAfterMs: Math.max(0, seconds) * 1000 };
    }
    case ErrorCode.HTTPError: {
      const status = typeof err.statusCode === 'number' ? err.statusCode : 0;
      return status >= 500 || status === 408 || status === 0 ? { kind: 'transient', error: `http_${status}` } : { kind: 'platform', error: `http_${status}` };
    }
    case ErrorCode.RequestError: {
      const original = err.original instanceof Error ? err.original.message : '';
      return { kind: 'transient', error: `request_error${original ? `: ${original}` : ''}` };
    }
    default:
      break;
  }
  const code = slackErrorCode(e);
  if (code === 'ratelimited' || code === 'rate_limited') return { kind: 'rate_limited', error: code, retryAfterMs: 1000 };
  if (code && TRANSIENT_PLATFORM_ERRORS.has(code)) return { kind: 'transient', error: code };
  if (code) return { kind: 'platform', error: code };
  return { kind: 'transient', error: `unexpected_error: ${e instanceof Error ? e.message : String(e)}` };
}

function slackLoggerFor(logger: Logger): SlackLogger {
  let level = LogLevel.INFO;
  const join = (msg: unknown[]): string => msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    // The delivery queue reports outcomes itself: the client's own chatter is debug detail.
    debug: (...m: unknown[]) => logger.debug(`slack client: ${join(m)}`),
    info: (...m: unknown[]) => logger.debug(`slack client: ${join(m)}`),
    warn: (...m: unknown[]) => logger.debug(`slack client: ${join(m)}`),
    error: (...m: unknown[]) => logger.error(`slack client: ${join(m)}`),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

export interface TDeliveryGatewayOptions {
  /** The bot token; undefined: each call runs with the token of its `withRequestToken` scope (OAuth mode). */
  token: string | undefined;
  /** SLACK_API_URL (the fake Slack in tests). */
  slackApiUrl?: string;
  logger: Logger;
  /** Per-request timeout; a hung request counts as a transient failure. Default 30 s. */
  timeoutMs?: number;
}

export type TResponseMessage = SlackMessage & { replaceOriginal?: boolean; deleteOriginal?: boolean; inChannel?: boolean };

/**
 * The JSON a `response_url` takes, which is also what a slash command's acknowledgement may carry.
 *
 * @example
 * responseBody({ text: 'Won' }); // { text: 'Won', response_type: 'ephemeral' }
 */
export function responseBody(message: TResponseMessage): Record<string, unknown> {
  return {
    text: message.text,
    response_type: message.inChannel ? 'in_channel' : 'ephemeral',
    ...(message.blocks ? { blocks: message.blocks } : {}),
    ...(message.replaceOriginal !== undefined ? { replace_original: message.replaceOriginal } : {}),
    ...(message.deleteOriginal ? { delete_original: true } : {}),
  };
}

/**
 * A gateway on its own WebClient that never retries nor waits by itself (`retries: 0`,
 * `rejectRateLimitedCalls: true`): every 429, 5xx and network error reaches the caller, which
 * paces and retries per channel (see slack/delivery-queue.ts). The app's client keeps Bolt's policy.
 *
 * @example
 * const gateway = createDeliveryGateway({ token: config.SLACK_BOT_TOKEN, slackApiUrl: config.SLACK_API_URL, logger });
 */
export function createDeliveryGateway(opts: TDeliveryGatewayOptions): SlackGateway {
  const client = new (opts.token === undefined ? RequestTokenWebClient : WebClient)(opts.token, {
    ...(opts.slackApiUrl ? { slackApiUrl: opts.slackApiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: opts.timeoutMs ?? 30_000,
    fetch: nodeHttpFetch,
    logger: slackLoggerFor(opts.logger),
  });
  const callMs = (opts.timeoutMs ?? 30_000) + 1_000;
  return new SlackGateway(client, opts.logger, { lookupMs: callMs, modalMs: callMs, callMs }, { retries: 0, waitOnRateLimit: false });
}
