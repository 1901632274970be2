import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { FetchFunction } from '@slack/web-api';

// The package exports only the function type; its parts are derived from it.
type FetchRequestInit = NonNullable<Parameters<FetchFunction>[1]>;
type FetchResponse = Awaited<ReturnType<FetchFunction>>;
type FetchHeaders = FetchResponse['headers'];

/**
 * The transport of the app's WebClients (`fetch` option of @slack/web-api, made for custom
 * transports): node's `http`/`https` with keep-alive agents instead of the global `fetch`. Every
 * logged deal posts an announcement, and undici's web streams cost about twice the CPU of `http`
 * per call on loopback (1.2 vs 0.5 ms, BENCHMARKS.md). Anything but a text body (a multipart
 * FormData upload) still goes through the global `fetch`. The WebClient's `timeout` arrives as
 * `init.signal` and aborts the request; redirects are refused as the client asks (`redirect: 'error'`).
 *
 * @example
 * new WebClient(token, { fetch: nodeHttpFetch, timeout: 5000 });
 */
export const nodeHttpFetch: FetchFunction = (input, init = {}) => {
  const url = typeof input === 'string' ? input : input.toString();
  const body = init.body;
  if (body !== undefined && typeof body !== 'string') return globalThis.fetch(url, { ...init, body });
  return requestOnce(url, init, body);
};

const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 50 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 50 }) };

class NodeHeaders implements FetchHeaders {
  constructor(private readonly raw: IncomingHttpHeaders) {}
  get(name: string): string | null {
    const v = this.raw[name.toLowerCase()];
    if (v === undefined) return null;
    return Array.isArray(v) ? v.join(', ') : String(v);
  }
  *entries(): Iterable<[string, string]> {
    for (const [k, v] of Object.entries(this.raw)) if (v !== undefined) yield [k, Array.isArray(v) ? v.join(', ') : String(v)];
  }
}

class BufferedResponse implements FetchResponse {
  readonly ok: boolean;
  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    readonly headers: FetchHeaders,
    private readonly body: Buffer,
  ) {
    this.ok = status >= 200 && status < 300;
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const copy = new ArrayBuffer(this.body.length);
    new Uint8Array(copy).set(this.body);
    return copy;
  }
  async text(): Promise<string> {
    return this.body.toString('utf8');
  }
  async json(): Promise<unknown> {
    return JSON.parse(this.body.toString('utf8')) as unknown;
  }
}

function requestOnce(url: string, init: FetchRequestInit, body: string | undefined): Promise<FetchResponse> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  if (!secure && target.protocol !== 'http:') return Promise.reject(new TypeError(`not an http(s) URL: ${target.protocol}`));
  const payload = body === undefined ? undefined : Buffer.from(body);
  const headers: Record<string, string | number> = { ...(init.headers ?? {}) };
  if (payload) headers['content-length'] = payload.length;
  return new Promise<FetchResponse>((resolve, reject) => {
    const onResponse = (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && init.redirect !== 'manual') {
        res.resume();
        // fetch with `redirect: 'error'` rejects a redirect; following one is never wanted here.
        reject(new TypeError(`unexpected redirect (${status}) from ${target.host}`));
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      // Aborted mid-body (the client's timeout): the promise must not wait for an 'end' that never comes.
      res.on('close', () => {
        if (!res.complete) reject(new Error(`response from ${target.host} ended early`));
      });
      res.on('end', () => resolve(new BufferedResponse(url, status, res.statusMessage ?? '', new NodeHeaders(res.headers), Buffer.concat(chunks))));
    };
    const options = { method: init.method ?? 'GET', headers, signal: init.signal };
    const req = secure ? httpsRequest(target, { ...options, agent: agents.https }, onResponse) : httpRequest(target, { ...options, agent: agents.http }, onResponse);
    req.on('error', reject);
    req.end(payload);
  });
}
