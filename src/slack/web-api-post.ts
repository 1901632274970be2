import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { SlackApiError, SlackHttpError, SlackRateLimitedError, SlackRequestError, SlackTimeoutError } from './slack-errors.js';

/**
 * One Slack Web API write method called directly: a JSON body and the token in an `Authorization:
 * Bearer` header (as Slack documents for write methods such as chat.postMessage), over node's
 * `http`/`https` with keep-alive agents. Used for chat.postMessage, which every logged deal calls:
 * the WebClient's per-call machinery (queue, retry wrapper, form encoding, result building) costs
 * more CPU than the request itself. Only the gateway (gateway.ts) calls it.
 *
 * What the WebClient did, kept: the whole call (retries and waits included) ends at `deadlineMs`
 * with a SlackTimeoutError, the request in flight aborted; a 429 waits its Retry-After and calls
 * again when that fits before the deadline (`waitOnRateLimit`), else fails at once with a
 * SlackRateLimitedError (`ratelimited`); a network error or 5xx is tried again `retries` times
 * within the deadline; Slack's `{ ok: false, error }` is a SlackApiError with that code. The answer
 * is read up to `maxResponseBytes`. No error or log line carries the token.
 *
 * @example
 * const res = await webApiPost('chat.postMessage', { channel: 'C1', text: 'Won' }, { apiUrl: 'https://slack.com/api/', token, deadlineMs: 5000, retries: 1, waitOnRateLimit: true });
 * res.ts; // '1700000001.000100'
 */
export interface TWebApiPostOptions {
  /** The Web API base URL (`WebClient#slackApiUrl`, SLACK_API_URL in tests). */
  apiUrl: string;
  token: string;
  /** The whole call, waits and retries included. */
  deadlineMs: number;
  /** Further attempts after a network error or a 5xx. */
  retries: number;
  /** On 429: wait Retry-After and call again when it fits before the deadline (else fail at once). */
  waitOnRateLimit: boolean;
  /** Told of each 429 and whether it is waited out (for the caller's log). */
  onRateLimited?: (retryAfterMs: number, waiting: boolean) => void;
  /** Default 1 MiB: a Slack answer is a few kB. */
  maxResponseBytes?: number;
}

export type TWebApiResult = { ok: true } & Record<string, unknown>;

const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 50 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 50 }) };
const DEFAULT_MAX_RESPONSE_BYTES = 1 << 20;
/** Pause before trying a network error or 5xx again (the WebClient's was 300 ms–1 s). */
const RETRY_PAUSE_MS = 300;

type TAttempt = { kind: 'answer'; result: TWebApiResult } | { kind: 'rate_limited'; retryAfterMs: number } | { kind: 'retryable'; error: SlackApiError };

export async function webApiPost(method: string, args: Record<string, unknown>, opts: TWebApiPostOptions): Promise<TWebApiResult> {
  const base = opts.apiUrl.endsWith('/') ? opts.apiUrl : `${opts.apiUrl}/`;
  const target = new URL(method, base);
  if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new SlackRequestError(method, `not an http(s) URL: ${target.protocol}`);
  const payload = Buffer.from(JSON.stringify(args));
  const endAt = Date.now() + opts.deadlineMs;
  let retriesLeft = opts.retries;
  for (;;) {
    const attempt = await attemptOnce(method, target, payload, opts, endAt);
    if (attempt.kind === 'answer') return attempt.result;
    const remaining = endAt - Date.now();
    if (attempt.kind === 'rate_limited') {
      const waiting = opts.waitOnRateLimit && attempt.retryAfterMs < remaining;
      opts.onRateLimited?.(attempt.retryAfterMs, waiting);
      if (!waiting) throw new SlackRateLimitedError(method, attempt.retryAfterMs);
      await sleep(attempt.retryAfterMs);
      continue;
    }
    if (retriesLeft <= 0 || RETRY_PAUSE_MS >= remaining) throw attempt.error;
    retriesLeft--;
    await sleep(RETRY_PAUSE_MS);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Retry-After in ms (seconds as Slack sends them; 1 s when missing or unreadable). */
function retryAfterMs(header: string | string[] | undefined): number {
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000;
}

function attemptOnce(method: string, target: URL, payload: Buffer, opts: TWebApiPostOptions, endAt: number): Promise<TAttempt> {
  const limit = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  return new Promise<TAttempt>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: TAttempt | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const onResponse = (res: IncomingMessage): void => {
      const status = res.statusCode ?? 0;
      if (status === 429) {
        res.resume();
        finish({ kind: 'rate_limited', retryAfterMs: retryAfterMs(res.headers['retry-after']) });
        return;
      }
      if (status >= 500) {
        res.resume();
        finish({ kind: 'retryable', error: new SlackHttpError(method, status) });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > limit) {
          finish(new SlackRequestError(method, `answer larger than ${limit} bytes`));
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      res.on('error', (e) => finish({ kind: 'retryable', error: new SlackRequestError(method, e.message) }));
      res.on('close', () => {
        if (!res.complete) finish({ kind: 'retryable', error: new SlackRequestError(method, 'answer ended early') });
      });
      res.on('end', () => finish(readAnswer(method, status, Buffer.concat(chunks))));
    };
    const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': payload.length, authorization: `Bearer ${opts.token}` };
    const options = { method: 'POST', headers };
    const req = target.protocol === 'https:' ? httpsRequest(target, { ...options, agent: agents.https }, onResponse) : httpRequest(target, { ...options, agent: agents.http }, onResponse);
    const timer = setTimeout(
      () => {
        finish(new SlackTimeoutError(method, opts.deadlineMs));
        req.destroy();
      },
      Math.max(0, endAt - Date.now()),
    );
    timer.unref();
    req.on('error', (e) => finish({ kind: 'retryable', error: new SlackRequestError(method, e.message) }));
    req.end(payload);
  });
}

/** Slack's JSON answer: ok → the result, `{ ok: false, error }` → that code, anything else → the HTTP status. */
function readAnswer(method: string, status: number, body: Buffer): TAttempt | Error {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const answer = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  if (answer?.ok === true) return { kind: 'answer', result: answer as TWebApiResult };
  if (answer?.ok === false) return new SlackApiError(typeof answer.error === 'string' ? answer.error : 'unknown_error');
  return new SlackHttpError(method, status);
}
