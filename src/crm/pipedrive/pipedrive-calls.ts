import { setTimeout as delay } from 'node:timers/promises';
import { Configuration as ConfigurationV1 } from 'pipedrive/v1';
import { Configuration as ConfigurationV2 } from 'pipedrive/v2';
import { CrmSourceError, type TCrmUsage } from '../../domain/crm/crm-source.js';

/**
 * How every Pipedrive request is made: through the official client (`pipedrive` v33), with a hard
 * deadline, the API token in the `x-api-token` header (the client's `apiKey` security scheme; never
 * the `api_token` query parameter, so it stays out of URLs and access logs), 429s waited out, and
 * status, rate-limit headers and failures turned into `CrmSourceError`s.
 *
 * The client's axios instance strips the response down to its body (its response interceptor) and
 * rejects an HTTP error with the bare body, so neither the status nor the headers reach the caller.
 * The smallest workaround that stays on the client's public surface: each call gets its own
 * `Configuration` whose `baseOptions` (documented as "base options for axios calls"; the
 * constructor leaves it unset, so it is assigned afterwards) carry
 *   - `validateStatus: () => true`, so no status is thrown away as an opaque rejection,
 *   - a `transformResponse` (axios calls it with `(data, headers, status)`) that records status
 *     and headers for this one call and parses the JSON body,
 *   - `timeout` (axios' socket idle timeout) and a `signal` combining the caller's signal with
 *     `AbortSignal.timeout(timeoutMs)`: the idle timeout alone is no deadline for a server that
 *     trickles bytes.
 */

/** What one call's `transformResponse` saw. */
interface TObserved {
  status: number | null;
  headers: Record<string, unknown>;
}

/** The per-call configurations handed to the client's API classes. */
export interface TPipedriveClientConfig {
  /** For the v2 classes (`DealsApi`, `StagesApi`, `PipelinesApi`, `OrganizationsApi`). */
  v2: ConfigurationV2;
  /** For the v1 classes (`UsersApi`). */
  v1: ConfigurationV1;
}

export interface TPipedriveCallerOptions {
  apiToken: string;
  /** Company or API host, e.g. `https://api.pipedrive.com` or a loopback fake; no trailing path. */
  baseUrl: string;
  /** Deadline of one HTTP request, connect to last byte. */
  timeoutMs: number;
  /** Waits out a `Retry-After`; tests inject a recorder. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** 429s answered with a wait before giving up with 'rate-limited'. */
  maxRetries: number;
  /** A `Retry-After` longer than this is not waited out (the daily budget is spent): fail at once. */
  maxWaitSeconds: number;
}

export interface TPipedriveCaller {
  /**
   * Runs one client call (`label` names it in errors, e.g. `GET /api/v2/deals`); the body comes
   * back only for a 2xx with `success !== false`.
   */
  call<T>(label: string, run: (config: TPipedriveClientConfig) => Promise<T>, signal?: AbortSignal): Promise<T>;
  usage(): TCrmUsage;
}

/** The default `sleep`: a timer that an abort cuts short. */
export async function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
  await delay(ms, undefined, signal ? { signal } : undefined);
}

/**
 * Seconds to wait from a `Retry-After` header: delta-seconds, or an HTTP date measured against the
 * response's own `Date` header (the server's clock, not ours); null when absent or unreadable.
 *
 * @example
 * retryAfterSeconds('7', undefined) // → 7
 * retryAfterSeconds('Wed, 21 Oct 2025 07:28:30 GMT', 'Wed, 21 Oct 2025 07:28:00 GMT') // → 30
 */
export function retryAfterSeconds(value: unknown, dateHeader: unknown): number | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  const now = typeof dateHeader === 'string' ? Date.parse(dateHeader) : Number.NaN;
  if (Number.isNaN(at) || Number.isNaN(now)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

function headerNumber(headers: Record<string, unknown>, name: string): number | null {
  const v = headers[name];
  const text = Array.isArray(v) ? String(v[0]) : typeof v === 'string' || typeof v === 'number' ? String(v) : '';
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : null;
}

function parseJson(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  if (data.trim() === '') return null;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data; // left as text: the schema check reports a bad response
  }
}

function isTimeoutError(e: unknown): boolean {
  const code = typeof e === 'object' && e !== null && 'code' in e ? (e as { code: unknown }).code : undefined;
  return code === 'ECONNABORTED' || code === 'ETIMEDOUT';
}

/** Whether a 2xx body still declares a failure (`{ success: false }`). */
function declaredFailure(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'success' in body && (body as { success: unknown }).success === false;
}

/** Builds the caller; one per connector instance, it owns the usage counters. */
export function createPipedriveCaller(opts: TPipedriveCallerOptions): TPipedriveCaller {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const counters: TCrmUsage = { calls: 0, dailyRemaining: null, dailyLimit: null, throttled: 0 };
  /** Monotonic ms (performance.now) before which the 2-second burst window is known to be spent (x-ratelimit-remaining 0). */
  let burstSpentUntil = 0;

  /** Never lets the token out, whatever a message was built from. */
  const redact = (text: string): string => (opts.apiToken.length >= 4 ? text.split(opts.apiToken).join('[redacted]') : text);
  const fail = (kind: ConstructorParameters<typeof CrmSourceError>[0], message: string, retryAfter: number | null = null): CrmSourceError =>
    new CrmSourceError(kind, redact(message), retryAfter);

  function configsFor(observed: TObserved, signal: AbortSignal): TPipedriveClientConfig {
    const baseOptions = {
      timeout: opts.timeoutMs,
      signal,
      validateStatus: (): boolean => true,
      transformResponse: [
        (data: unknown, headers: Record<string, unknown> | undefined, status: number | undefined): unknown => {
          observed.status = status ?? null;
          observed.headers = { ...(headers ?? {}) };
          return parseJson(data);
        },
      ],
    };
    const v2 = new ConfigurationV2({ apiKey: opts.apiToken, basePath: `${base}/api/v2` });
    v2.baseOptions = baseOptions;
    const v1 = new ConfigurationV1({ apiKey: opts.apiToken, basePath: `${base}/v1` });
    v1.baseOptions = baseOptions;
    return { v2, v1 };
  }

  async function call<T>(label: string, run: (config: TPipedriveClientConfig) => Promise<T>, signal?: AbortSignal): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      signal?.throwIfAborted();
      const burstWait = burstSpentUntil - performance.now();
      if (burstWait > 0) {
        await opts.sleep(burstWait, signal);
        burstSpentUntil = 0;
      }
      const deadline = AbortSignal.timeout(opts.timeoutMs);
      const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
      const observed: TObserved = { status: null, headers: {} };
      counters.calls += 1;
      let body: T;
      try {
        body = await run(configsFor(observed, combined));
      } catch (e) {
        if (signal?.aborted) throw signal.reason;
        if (deadline.aborted || isTimeoutError(e)) throw fail('unavailable', `Pipedrive ${label} timed out after ${opts.timeoutMs} ms`);
        if (observed.status === null) throw fail('unavailable', `Pipedrive ${label} could not be reached`);
        throw fail('bad-response', `Pipedrive ${label} failed (HTTP ${observed.status})`);
      }
      const status = observed.status;
      const headers = observed.headers;
      const daily = headerNumber(headers, 'x-daily-requests-left');
      if (daily !== null) counters.dailyRemaining = daily;
      const burstRemaining = headerNumber(headers, 'x-ratelimit-remaining');
      const burstReset = headerNumber(headers, 'x-ratelimit-reset');
      if (burstRemaining === 0 && burstReset !== null && burstReset <= opts.maxWaitSeconds) burstSpentUntil = performance.now() + burstReset * 1000;

      if (status === null) throw fail('bad-response', `Pipedrive ${label} gave no HTTP status`);
      if (status === 429) {
        const wait = retryAfterSeconds(headers['retry-after'], headers['date']);
        if (attempt >= opts.maxRetries || (wait !== null && wait > opts.maxWaitSeconds)) {
          throw fail('rate-limited', `Pipedrive ${label} is rate-limited (429${wait !== null ? `, retry after ${wait} s` : ''})`, wait);
        }
        counters.throttled += 1;
        await opts.sleep((wait ?? 2 ** attempt) * 1000, signal);
        continue;
      }
      if (status === 401 || status === 403) {
        throw fail('auth', `Pipedrive refused the API token for ${label} (HTTP ${status}): it was revoked, regenerated or lacks access`);
      }
      if (status >= 500) throw fail('unavailable', `Pipedrive ${label} answered HTTP ${status}`);
      if (status < 200 || status >= 300 || declaredFailure(body)) {
        throw fail('bad-response', `Pipedrive ${label} answered HTTP ${status}`);
      }
      return body;
    }
  }

  return { call, usage: () => ({ ...counters }) };
}
