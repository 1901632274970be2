import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebClient } from '@slack/web-api';
import { nodeHttpFetch } from '../../src/slack/node-http-fetch.js';

let server: Server;
let base = '';
const seen: Array<{ method: string; url: string; headers: Record<string, unknown>; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url === '/api/slow') return void setTimeout(() => res.end('{}'), 2000);
      if (req.url === '/api/redirect') {
        res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' });
        return void res.end();
      }
      if (req.url === '/api/limited') {
        res.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' });
        return void res.end('{"ok":false,"error":"ratelimited"}');
      }
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-oauth-scopes': 'chat:write, commands' });
      res.end(JSON.stringify({ ok: true, echo: body, channel: 'C1', ts: '1.000' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('nodeHttpFetch (the WebClient transport)', () => {
  test('posts the body and headers, and reads status, headers and JSON', async () => {
    const res = await nodeHttpFetch(`${base}/api/echo`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer xoxb-1' }, body: 'text=h%C3%A9llo' });
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.url).toBe(`${base}/api/echo`);
    expect(res.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('x-missing')).toBeNull();
    expect(await res.json()).toMatchObject({ ok: true, echo: 'text=h%C3%A9llo' });
    const last = seen.at(-1);
    expect(last?.headers['content-length']).toBe(String(Buffer.byteLength('text=h%C3%A9llo')));
    expect(last?.headers.authorization).toBe('Bearer xoxb-1');
  });

  test('an aborted request rejects instead of hanging (the WebClient timeout)', async () => {
    await expect(nodeHttpFetch(`${base}/api/slow`, { method: 'POST', body: 'x', signal: AbortSignal.timeout(100) })).rejects.toThrow();
  });

  test('a redirect is refused, as fetch does with redirect: error', async () => {
    await expect(nodeHttpFetch(`${base}/api/redirect`, { method: 'POST', body: 'x', redirect: 'error' })).rejects.toThrow(/redirect/);
  });

  test('a non-http URL is refused', async () => {
    await expect(nodeHttpFetch('file:///etc/passwd', { method: 'POST', body: 'x' })).rejects.toThrow(/not an http/);
  });

  test('a WebClient on it: a call, its scopes header, and a 429 with Retry-After', async () => {
    const client = new WebClient('xoxb-test', { slackApiUrl: `${base}/api/`, fetch: nodeHttpFetch, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 1000 });
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'Won <!channel>' });
    expect(posted.ok).toBe(true);
    expect(posted.response_metadata?.scopes).toEqual(['chat:write', 'commands']);
    expect(decodeURIComponent(seen.at(-1)?.body ?? '')).toContain('Won <!channel>');
    await expect(client.apiCall('limited')).rejects.toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 7 });
  });
});
