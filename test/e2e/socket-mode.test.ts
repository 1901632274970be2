import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createKpiApp, type KpiApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { newTriggerId } from '../helpers/slack-requests.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.js';

/** Socket Mode: Slack's side is a loopback WebSocket server handed out by apps.connections.open. */
describe('Socket Mode (SLACK_APP_TOKEN set)', () => {
  let fake: FakeSlack;
  let wss: WebSocketServer;
  let database: TestDatabase;
  let kpi: KpiApp;
  let socket: WebSocket | undefined;
  const acks: Array<Record<string, unknown>> = [];
  const logs: string[] = [];

  beforeAll(async () => {
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => wss.once('listening', r));
    const wsPort = (wss.address() as AddressInfo).port;
    wss.on('connection', (ws) => {
      socket = ws;
      ws.on('message', (data) => acks.push(JSON.parse(String(data)) as Record<string, unknown>));
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake', approximate_connection_time: 18060 }, connection_info: { app_id: 'A0KPI' } }));
    });
    fake = await new FakeSlack().start();
    fake.on('apps.connections.open', () => ({ ok: true, url: `ws://127.0.0.1:${wsPort}/link` }));
    database = await createTestDatabase('sqlite');
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-9-9-socket', SLACK_APP_TOKEN: 'xapp-1-A0KPI-1-socket', SLACK_API_URL: fake.apiUrl, DATABASE_URL: database.url, PORT: '0' });
    kpi = await createKpiApp({ config, db: database.db, logger: createLogger('warn', (l) => logs.push(l)), retryConfig: { retries: 0 } });
    await kpi.start(0);
    await fake.waitFor(() => socket, 10_000);
  });
  afterAll(async () => {
    await kpi?.stop().catch(() => undefined);
    wss?.close();
    await fake?.stop();
    await database?.drop();
  });

  test('connects with the app token and handles a slash command envelope', async () => {
    const open = fake.callsTo('apps.connections.open')[0];
    expect(open?.token).toBe('xapp-1-A0KPI-1-socket');
    socket!.send(
      JSON.stringify({
        envelope_id: 'env-1',
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: { team_id: 'T0FAKE', team_domain: 'fake', channel_id: 'C0SALES', channel_name: 'sales', user_id: 'U0REP', user_name: 'rep', command: '/deal', text: 'won 2k Socketco', api_app_id: 'A0KPI', response_url: fake.responseUrl('sock'), trigger_id: newTriggerId() },
      }),
    );
    const ack = await fake.waitFor(() => acks.find((a) => a.envelope_id === 'env-1'), 10_000);
    // The answer rides in the envelope's acknowledgement (accepts_response_payload), as over HTTP.
    const answer = (ack as { payload?: { text?: string } }).payload;
    expect(String(answer?.text)).toContain('Socketco');
    expect(await database.db.prisma.deal.count({ where: { customer: 'Socketco' } })).toBe(1);
  });

  test('malformed envelopes are refused with one log line each and the connection keeps serving', async () => {
    const malformed = [
      'null',
      '[]',
      '{"type":"events_api","envelope_id":"bad-1"}',
      JSON.stringify({ type: 'events_api', envelope_id: 'bad-2', payload: { type: 'event_callback', team_id: 'T0FAKE' } }),
      JSON.stringify({ type: 'interactive', envelope_id: 'bad-3', payload: null }),
      JSON.stringify({ type: 'slash_commands', envelope_id: 'bad-4', payload: { command: '/kpi' } }),
    ];
    const before = logs.length;
    for (const m of malformed) socket!.send(m);
    socket!.send(
      JSON.stringify({
        envelope_id: 'env-after',
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: { team_id: 'T0FAKE', team_domain: 'fake', channel_id: 'C0SALES', channel_name: 'sales', user_id: 'U0REP', user_name: 'rep', command: '/kpi', text: 'help', api_app_id: 'A0KPI', response_url: fake.responseUrl('sock-after'), trigger_id: newTriggerId() },
      }),
    );
    await fake.waitFor(() => acks.find((a) => a.envelope_id === 'env-after'), 10_000);
    await fake.waitFor(() => (fake.responsesTo('sock-after').length ? true : null), 10_000);
    expect(logs.slice(before).filter((l) => l.includes('Socket Mode envelope refused'))).toHaveLength(malformed.length);
  });
});
