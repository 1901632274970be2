import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson } from '../../src/slack/post-json.js';

describe('postJson (response_url answers)', () => {
  let server: Server;
  let base = '';
  const seen: Array<{ path: string; type: string | undefined; body: string; socket: unknown }> = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ path: req.url ?? '', type: req.headers['content-type'], body, socket: req.socket });
        if (req.url === '/hang') return; // never answers
        res.writeHead(req.url === '/fail' ? 500 : 200);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('posts the body as JSON and resolves with the status, reusing the connection', async () => {
    expect(await postJson(`${base}/a`, { text: 'Won ✓', n: 1 }, 2000, () => new Error('timeout'))).toBe(200);
    expect(await postJson(`${base}/b`, { text: 'again' }, 2000, () => new Error('timeout'))).toBe(200);
    const [a, b] = seen.slice(-2);
    expect(a).toMatchObject({ path: '/a', type: 'application/json', body: '{"text":"Won ✓","n":1}' });
    expect(b!.socket).toBe(a!.socket);
  });

  it('resolves with a failing status rather than hiding it', async () => {
    expect(await postJson(`${base}/fail`, {}, 2000, () => new Error('timeout'))).toBe(500);
  });

  it('gives up after the deadline with the caller’s error', async () => {
    const started = Date.now();
    await expect(postJson(`${base}/hang`, {}, 150, () => new Error('deadline passed'))).rejects.toThrow('deadline passed');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses a URL that is not http(s)', async () => {
    await expect(postJson('ftp://127.0.0.1/x', {}, 100, () => new Error('timeout'))).rejects.toThrow(/not an http/);
  });
});
