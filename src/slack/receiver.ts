import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type App, HTTPResponseAck, type Receiver, type SocketModeReceiver } from '@slack/bolt';
import type { Logger as BoltLogger } from '@slack/logger';
import type { Logger } from '../logger.js';
import { checkSocketMessage, isSslCheck, mediaType, parseSlackRequest } from './request-body.js';
import { verifySlackSignature } from './request-verification.js';

/** What `/healthz` answers: status and JSON body. */
export interface THealthAnswer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * An HTTP route outside Slack's events (a CRM webhook, an OAuth callback): it gets the raw body
 * (read with the same size limit) and answers itself. Whatever it throws ends as a 500 and one log line.
 */
export interface THttpRoute {
  method: 'GET' | 'POST';
  path: string;
  handler: (req: IncomingMessage, rawBody: Buffer, res: ServerResponse) => Promise<void>;
}

export interface KpiHttpReceiverOptions {
  signingSecret: string;
  logger: Logger;
  /** Bolt's logger adapter, for the ack helper's own messages. */
  boltLogger: BoltLogger;
  /** The injected clock: the timestamp window is checked against it. */
  now: () => Date;
  health: () => Promise<THealthAnswer>;
  /** Larger bodies get 413 (Slack's payloads are a few KB; a full modal stays far below this). */
  bodyLimitBytes?: number;
  /** Routes besides `/slack/events` and `/healthz` (CRM webhooks, OAuth callbacks). */
  routes?: readonly THttpRoute[];
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function send(res: ServerResponse, status: number, body?: Record<string, unknown>): void {
  if (res.headersSent) return;
  if (body) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  } else {
    res.writeHead(status);
    res.end();
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Bolt receiver for HTTP mode, in place of Bolt's HTTPReceiver: it verifies the signature and a
 * two-sided 5-minute timestamp window against the injected clock (401), reads and checks the body's
 * shape (400 for anything malformed, 413 when too large) and only then hands a well-formed body to
 * Bolt. Each refusal is one log line without the body or any secret. Whatever a listener or Bolt
 * throws ends as a log line and, if nothing was sent yet, a 500 (also when no listener acknowledged
 * the request); never as a crashed process.
 */
export class KpiHttpReceiver implements Receiver {
  private app: App | undefined;
  private server: Server | undefined;
  private readonly bodyLimit: number;

  constructor(private readonly opts: KpiHttpReceiverOptions) {
    this.bodyLimit = opts.bodyLimitBytes ?? 1024 * 1024;
  }

  init(app: App): void {
    this.app = app;
  }

  start(port: number): Promise<Server> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        this.opts.logger.error('request failed', { path: req.url?.slice(0, 100), error: e instanceof Error ? e.message : String(e) });
        send(res, 500);
      });
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, () => {
        server.off('error', reject);
        // A socket error after listening (e.g. EMFILE) is logged, not thrown at the process.
        server.on('error', (e) => this.opts.logger.error('HTTP server error', { error: e.message }));
        resolve(server);
      });
    });
  }

  stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    return new Promise((resolve, reject) => {
      server.close((e) => (e ? reject(e) : resolve()));
      server.closeIdleConnections();
    });
  }

  /** The bound port (tests start on port 0). */
  port(): number | undefined {
    const address = this.server?.address();
    return typeof address === 'object' && address ? (address as AddressInfo).port : undefined;
  }

  private refuse(res: ServerResponse, status: number, reason: string, req: IncomingMessage, bytes: number): void {
    this.opts.logger.warn('Slack request refused', { status, reason, contentType: mediaType(header(req, 'content-type')).slice(0, 60), bytes });
    send(res, status);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const method = req.method ?? 'GET';
    if (path === '/healthz' && (method === 'GET' || method === 'HEAD')) {
      const answer = await this.opts.health();
      send(res, answer.status, answer.body);
      return;
    }
    const route = this.opts.routes?.find((r) => r.path === path && r.method === method);
    if (route) {
      let body: Buffer;
      try {
        body = method === 'POST' ? await readBody(req, this.bodyLimit) : Buffer.alloc(0);
      } catch (e) {
        if (e instanceof BodyTooLarge) return this.refuse(res, 413, `body larger than ${this.bodyLimit} bytes`, req, this.bodyLimit);
        return send(res, 400);
      }
      if (method === 'GET') req.resume();
      await route.handler(req, body, res);
      return;
    }
    if (path !== '/slack/events' || method !== 'POST') {
      req.resume();
      send(res, 404);
      return;
    }
    let rawBody: Buffer;
    try {
      rawBody = await readBody(req, this.bodyLimit);
    } catch (e) {
      if (e instanceof BodyTooLarge) return this.refuse(res, 413, `body larger than ${this.bodyLimit} bytes`, req, this.bodyLimit);
      this.opts.logger.warn('Slack request aborted while reading its body', { error: e instanceof Error ? e.message : String(e) });
      return send(res, 400);
    }
    const contentType = header(req, 'content-type');
    if (isSslCheck(contentType, rawBody)) {
      send(res, 200);
      return;
    }
    const verified = verifySlackSignature({
      signingSecret: this.opts.signingSecret,
      rawBody,
      timestamp: header(req, 'x-slack-request-timestamp'),
      signature: header(req, 'x-slack-signature'),
      nowMs: this.opts.now().getTime(),
    });
    if (!verified.ok) return this.refuse(res, 401, verified.reason, req, rawBody.length);
    const parsed = parseSlackRequest(contentType, rawBody);
    if (!parsed.ok) return this.refuse(res, 400, parsed.reason, req, rawBody.length);
    const request = parsed.value;
    if (request.kind === 'url_verification') return send(res, 200, { challenge: request.challenge });
    if (request.kind === 'rate_limited') {
      this.opts.logger.warn('Slack reports that this app is rate limited on the Events API');
      return send(res, 200);
    }
    await this.dispatch(req, res, request.body);
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>): Promise<void> {
    const ack = new HTTPResponseAck({ logger: this.opts.boltLogger, processBeforeResponse: false, httpRequest: req, httpRequestBody: body, httpResponse: res });
    const retry = header(req, 'x-slack-retry-num');
    const retryReason = header(req, 'x-slack-retry-reason');
    const boltAck = ack.bind();
    let acked = false;
    try {
      if (!this.app) throw new Error('receiver not initialised');
      await this.app.processEvent({
        body,
        ack: (response?: unknown) => {
          acked = true;
          return boltAck(response);
        },
        ...(retry !== undefined && /^\d+$/.test(retry) ? { retryNum: Number(retry) } : {}),
        ...(retryReason !== undefined ? { retryReason } : {}),
      });
      // processEvent waits for every listener: no ack by now means none will come (a listener threw
      // before ack(), or none matched). Answer now rather than after Bolt's 3 s timeout.
      if (!acked) {
        ack.ack();
        this.opts.logger.warn('Slack request not acknowledged by any listener', { status: 500 });
        send(res, 500);
      }
    } catch (e) {
      // Listener errors normally end in app.error; this is what escaped Bolt itself.
      ack.ack();
      this.opts.logger.error('Slack request failed inside Bolt', { error: e instanceof Error ? e.message : String(e), code: (e as { code?: unknown }).code });
      send(res, 500);
    }
  }
}

/**
 * Socket Mode: checks every WebSocket message before the Slack client handles it. A malformed
 * request envelope is logged and dropped instead of reaching the client, which would throw on it
 * inside an async handler (Slack redelivers it a few times; each is refused the same way). Any
 * rejection left from the client's handler is logged.
 */
export function guardSocketMode(receiver: SocketModeReceiver, logger: Logger): void {
  const client = receiver.client;
  const original = client.listeners('ws_message') as Array<(data: unknown, isBinary: boolean) => unknown>;
  client.removeAllListeners('ws_message');
  client.on('ws_message', (data: unknown, isBinary: boolean) => {
    // Decoded as the client decodes it; binary frames are ignored by the client anyway.
    const text = isBinary ? null : typeof data === 'string' ? data : new TextDecoder().decode(data as ArrayBuffer);
    if (text !== null) {
      const checked = checkSocketMessage(text);
      if (!checked.ok) {
        logger.warn('Socket Mode envelope refused', { reason: checked.reason, envelopeId: checked.envelopeId?.slice(0, 60), bytes: text.length });
        return;
      }
    }
    const failed = (e: unknown): void => logger.error('Socket Mode message failed', { error: e instanceof Error ? e.message : String(e) });
    for (const listener of original) {
      try {
        const result = listener.call(client, data, isBinary);
        if (result instanceof Promise) result.catch(failed);
      } catch (e) {
        failed(e);
      }
    }
  });
}

/**
 * The same routes for Socket Mode's HTTP server (Bolt's `customRoutes`), where Slack's events come
 * over the WebSocket but webhooks and OAuth callbacks still arrive over HTTP.
 */
export function socketModeRoutes(routes: readonly THttpRoute[], logger: Logger, bodyLimitBytes = 1024 * 1024): Array<{ path: string; method: string[]; handler: (req: IncomingMessage, res: ServerResponse) => void }> {
  return routes.map((route) => ({
    path: route.path,
    method: [route.method],
    handler: (req: IncomingMessage, res: ServerResponse) => {
      const body = route.method === 'POST' ? readBody(req, bodyLimitBytes) : Promise.resolve(Buffer.alloc(0));
      body
        .then((raw) => route.handler(req, raw, res))
        .catch((e: unknown) => {
          if (e instanceof BodyTooLarge) return send(res, 413);
          logger.error('route failed', { path: route.path, error: e instanceof Error ? e.message : String(e) });
          send(res, 500);
        });
    },
  }));
}
