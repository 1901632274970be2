import { AsyncLocalStorage } from 'node:async_hooks';
import { WebClient, type WebAPICallResult } from '@slack/web-api';

/**
 * OAuth mode: the bot token of the installation a request was authorised for, carried through the
 * request's async work, so the one `SlackGateway` of the app calls Slack with that workspace's token.
 */
const requestToken = new AsyncLocalStorage<string>();

/** Runs `work` (a Bolt middleware's `next`) with the request's bot token in scope. */
export function withRequestToken<T>(token: string | undefined, work: () => Promise<T>): Promise<T> {
  return token ? requestToken.run(token, work) : work();
}

/** The bot token of the request this runs in (OAuth mode), if any: what RequestTokenWebClient sends. */
export function currentRequestToken(): string | undefined {
  return requestToken.getStore();
}

/** A WebClient that, when a call names no token, uses the token of the request it runs in. */
export class RequestTokenWebClient extends WebClient {
  override apiCall(method: string, options: Record<string, unknown> = {}): Promise<WebAPICallResult> {
    const token = requestToken.getStore();
    return super.apiCall(method, options.token === undefined && token !== undefined ? { ...options, token } : options);
  }
}
