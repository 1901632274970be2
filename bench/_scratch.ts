import { createServer } from 'node:http';
import { WebClient } from '@slack/web-api';
import { openDatabase, configureDatabase } from '../src/storage/db.js';
import { migrateDatabase } from '../src/storage/migrate.js';
import { recordWonDeal } from '../src/domain/deals/quick-actions.js';
import { freshDatabaseUrl } from '../test/helpers/test-db.js';

const N = Number(process.env.N ?? 400);
function cpu(): number { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }
async function measure(label: string, n: number, f: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 30; i++) await f(-1 - i);
  const c0 = cpu(); const t0 = performance.now();
  for (let i = 0; i < n; i++) await f(i);
  console.log(`${label.padEnd(30)} cpu ${((cpu() - c0) / n).toFixed(3)} ms  wall ${((performance.now() - t0) / n).toFixed(3)} ms`);
}
const dialect = (process.env.ENGINE ?? 'sqlite') as 'sqlite' | 'postgresql';
const { url, cleanup } = await freshDatabaseUrl(dialect);
const db = openDatabase(url);
await migrateDatabase(db); await configureDatabase(db);
const ws = await db.prisma.workspace.create({ data: { slackTeamId: 'T1', timeZone: 'UTC', currency: 'USD' } });
const rep = await db.prisma.rep.create({ data: { workspaceId: ws.id, slackUserId: 'U1', name: 'R', role: 'rep' } });
const now = new Date();
let k = 0;
await measure('recordWonDeal (prisma)', N, (i) => recordWonDeal({ db, workspace: ws, actor: rep, now, requestKey: `rk${k++}`, channelId: 'C1', customer: `Cust ${k}`, amountMinor: 1000n, currency: 'USD', type: null }));
if (process.env.SKIP_HTTP) { await db.close(); await cleanup(); process.exit(0); }
const server = createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"ok":true,"ts":"1.2","channel":"C1"}'); }); });
await new Promise<void>((r) => server.listen(0, r));
const port = (server.address() as { port: number }).port;
const body = JSON.stringify({ text: 'Won 12k Acme', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hello' } }] });
await measure('fetch POST', N, () => fetch(`http://127.0.0.1:${port}/r`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(10000) }).then((r) => r.text()));
const client = new WebClient('xoxb-1', { slackApiUrl: `http://127.0.0.1:${port}/api/`, retryConfig: { retries: 0 } });
await measure('WebClient chat.postMessage', N, () => client.chat.postMessage({ channel: 'C1', text: 'Won', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hello' } }] }));
server.close(); await db.close(); await cleanup();
process.exit(0);
