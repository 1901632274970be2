import Database from 'better-sqlite3';
import { openDatabase, configureDatabase } from '../src/storage/db.js';
import { migrateDatabase } from '../src/storage/migrate.js';
import { freshDatabaseUrl } from '../test/helpers/test-db.js';
const N = 1000;
function cpu(): number { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }
const { url, cleanup } = await freshDatabaseUrl('sqlite');
const pdb = openDatabase(url); await migrateDatabase(pdb); await configureDatabase(pdb);
const ws = await pdb.prisma.workspace.create({ data: { slackTeamId: 'T1', timeZone: 'UTC', currency: 'USD' } });
const rep = await pdb.prisma.rep.create({ data: { workspaceId: ws.id, slackUserId: 'U1', name: 'R', role: 'rep' } });
await pdb.close();
const db = new Database(url.slice(5)); db.defaultSafeIntegers(true);
db.pragma('journal_mode=WAL'); db.pragma(`synchronous=${process.env.SYNC ?? 'FULL'}`);
const findOpen = db.prepare(`SELECT * FROM "Deal" WHERE "workspaceId" = ? AND "status" = 'open' AND "customerKey" = ? ORDER BY "id" DESC LIMIT 20`);
const ins = db.prepare(`INSERT INTO "Deal" ("workspaceId","ownerId","customer","customerKey","amountMinor","currency","amountReportingMinor","type","stage","maxStageIndex","status","createdAt","closedAt","updatedAt","source","requestKey","channelId") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING *`);
const sc = db.prepare(`INSERT INTO "DealStageChange" ("workspaceId","dealId","fromStage","toStage","changedAt","changedById") VALUES (?,?,?,?,?,?)`);
const au = db.prepare(`INSERT INTO "AuditEntry" ("workspaceId","actorRepId","actorSlackUserId","entity","entityId","action","before","after","createdAt","requestKey") VALUES (?,?,?,?,?,?,?,?,?,?)`);
const begin = db.prepare('BEGIN IMMEDIATE'), commit = db.prepare('COMMIT');
const now = Date.now();
const c0 = cpu(); const t0 = performance.now();
for (let i = 0; i < N; i++) {
  findOpen.all(ws.id, `cust ${i}`);
  begin.run();
  const d = ins.get(ws.id, rep.id, `Cust ${i}`, `cust ${i}`, 1000n, 'USD', 1000n, 'new', 'won', 5, 'won', now, now, now, 'slack-command', `rk${i}`, 'C1') as Record<string, unknown>;
  sc.run(ws.id, d.id, null, 'won', now, rep.id);
  au.run(ws.id, rep.id, 'U1', 'deal', d.id, 'create', null, JSON.stringify(d, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)), now, `rk${i}`);
  commit.run();
  await Promise.resolve();
}
console.log(`raw sqlite cpu ${((cpu() - c0) / N).toFixed(3)} ms wall ${((performance.now() - t0) / N).toFixed(3)} ms`);
db.close(); await cleanup();
