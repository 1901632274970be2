import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { CrmSourceError, type TCrmFailureKind } from '../../domain/crm/crm-source.js';

/**
 * Transport rules for the HubSpot connector: a deadline on every call, HubSpot's error statuses
 * turned into the port's failure kinds, and its rate-limit headers read for `usage()`.
 *
 * The official client (`@hubspot/api-client` 14) has no timeout and no AbortSignal: its Node
 * transport (`lib/src/services/http/Transport.js`) uses `http(s).request` when the configuration
 * carries an `httpAgent`, and plain `fetch` otherwise. So the connector gives it an agent whose
 * sockets destroy themselves after `timeoutMs` of silence (the request then fails with an error and
 * nothing is left hanging) and races each call against the same deadline and the caller's signal.
 */

/**
 * An agent whose sockets are destroyed after `idleMs` without traffic.
 *
 * @example
 * deadlineAgent('https://api.hubapi.com', 10_000) instanceof https.Agent // → true
 */
export function deadlineAgent(baseUrl: string, idleMs: number): http.Agent {
  const isHttps = new URL(baseUrl).protocol === 'https:';
  const arm = (s: Duplex | null | undefined): void => {
    if (s instanceof net.Socket) s.setTimeout(idleMs, () => s.destroy(new Error(`no response within ${idleMs} ms`)));
  };
  if (isHttps) {
    return new (class extends https.Agent {
      override createConnection(options: https.RequestOptions, cb?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
        const s = super.createConnection(options, cb);
        arm(s);
        return s;
      }
    })({ keepAlive: true, maxSockets: 4 });
  }
  return new (class extends http.Agent {
    override createConnection(options: http.ClientRequestArgs, cb?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
      const s = super.createConnection(options, cb);
      arm(s);
      return s;
    }
  })({ keepAlive: true, maxSockets: 4 });
}

/** Marks a call that ran past its deadline. */
export class DeadlineExceeded extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'DeadlineExceeded';
  }
}

/**
 * Resolves with `work`, or rejects with `DeadlineExceeded` after `ms`, or with the signal's reason
 * when the caller aborts; a late failure of `work` is swallowed.
 *
 * @example
 * await withDeadline(new Promise(() => {}), 10).catch((e) => e.name) // → 'DeadlineExceeded'
 */
export function withDeadline<T>(work: Promise<T>, ms: number, signal?: AbortSignal): Promise<T> {
  work.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      reject(new DeadlineExceeded(ms));
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** What the generated client throws for a non-2xx answer (`ApiException`, one class per API module). */
export interface THubSpotApiError {
  code: number;
  body: unknown;
  headers: Record<string, string>;
}

/**
 * Duck-types the client's `ApiException` (each generated module has its own class, so `instanceof`
 * cannot be used).
 *
 * @example
 * isHubSpotApiError({ code: 429, body: {}, headers: {} }) // → true
 * isHubSpotApiError(new Error('x')) // → false
 */
export function isHubSpotApiError(e: unknown): e is THubSpotApiError {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as { code?: unknown; headers?: unknown };
  return typeof o.code === 'number' && o.code >= 100 && o.code <= 599 && typeof o.headers === 'object' && o.headers !== null;
}

/**
 * A header value from the client's lower-cased header map.
 *
 * @example
 * headerOf({ 'retry-after': '3' }, 'Retry-After') // → '3'
 */
export function headerOf(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === want) return v;
  return undefined;
}

/**
 * `Retry-After` in seconds (delta-seconds or an HTTP date relative to `nowMs`), or null.
 *
 * @example
 * retryAfterSeconds('2', 0) // → 2
 * retryAfterSeconds('Thu, 01 Jan 1970 00:00:05 GMT', 0) // → 5
 * retryAfterSeconds(undefined, 0) // → null
 */
export function retryAfterSeconds(value: string | undefined, nowMs: number): number | null {
  if (value === undefined || value.trim() === '') return null;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.max(0, Number(v));
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

export interface TClassifiedFailure {
  kind: TCrmFailureKind;
  /** Worth another attempt (429 within the rolling windows, 5xx, network errors, timeouts). */
  retryable: boolean;
  retryAfterSeconds: number | null;
  message: string;
  status: number | null;
}

const textField = (body: unknown, key: string): string | null => {
  if (typeof body !== 'object' || body === null) return null;
  const v = (body as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : null;
};

/**
 * A failed call in the port's words. 401/403 → auth; 429 → rate-limited (a DAILY policy is not
 * retried: it lasts until midnight in the portal's time zone); 5xx, timeouts and network errors →
 * unavailable; anything else → bad-response. The message names the call and the status, never a
 * header or the token.
 *
 * @example
 * classifyHubSpotFailure('deals page', { code: 401, body: { category: 'INVALID_AUTHENTICATION' }, headers: {} }, 0).kind // → 'auth'
 */
export function classifyHubSpotFailure(label: string, e: unknown, nowMs: number): TClassifiedFailure {
  if (isHubSpotApiError(e)) {
    const status = e.code;
    const category = textField(e.body, 'category') ?? textField(e.body, 'errorType');
    const what = `HubSpot ${label}: HTTP ${status}${category ? ` (${category.slice(0, 60)})` : ''}`;
    if (status === 401 || status === 403) {
      return { kind: 'auth', retryable: false, retryAfterSeconds: null, status, message: `${what}: the access token was refused or lacks a scope; reconnect HubSpot` };
    }
    if (status === 429) {
      const policy = textField(e.body, 'policyName') ?? '';
      const after = retryAfterSeconds(headerOf(e.headers, 'retry-after'), nowMs);
      const daily = policy.toUpperCase() === 'DAILY';
      const wait = after ?? (daily ? null : policy.toUpperCase() === 'SECONDLY' ? 1 : 10);
      return { kind: 'rate-limited', retryable: !daily, retryAfterSeconds: wait, status, message: `${what}: rate limited${policy ? ` by ${policy.slice(0, 40)}` : ''}` };
    }
    if (status >= 500) return { kind: 'unavailable', retryable: true, retryAfterSeconds: null, status, message: `${what}: HubSpot is unavailable` };
    return { kind: 'bad-response', retryable: false, retryAfterSeconds: null, status, message: `${what}: request refused` };
  }
  if (e instanceof DeadlineExceeded) return { kind: 'unavailable', retryable: true, retryAfterSeconds: null, status: null, message: `HubSpot ${label}: ${e.message}` };
  if (e instanceof CrmSourceError) return { kind: e.kind, retryable: false, retryAfterSeconds: e.retryAfterSeconds, status: null, message: e.message };
  const code = typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : null;
  return { kind: 'unavailable', retryable: true, retryAfterSeconds: null, status: null, message: `HubSpot ${label}: network error${code ? ` (${code.slice(0, 40)})` : ''}` };
}

/**
 * Removes a secret from a message (defence in depth: no message is built from it).
 *
 * @example
 * scrubSecret('token pat-na1-xyz leaked', 'pat-na1-xyz') // → 'token [redacted] leaked'
 */
export function scrubSecret(message: string, secret: string): string {
  return secret.length >= 4 ? message.split(secret).join('[redacted]') : message;
}
