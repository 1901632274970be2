/**
 * `npx tsx bench/write-probe.ts [file:/path/seeded.db] [n]`: CPU of the deal write path in-process
 * (no HTTP), per logged deal (`recordWonDeal`, a new customer each time), user and system apart,
 * on a copy of a seeded SQLite database (bench/seed.ts; seeded here when missing), for variants:
 * as configured in production, and (to see what each costs) with one Deal index dropped at a time.
 * Each variant runs on its own fresh copy; variants are interleaved over `rounds` to share noise.
 */
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { configureDatabase, openDatabase, type Db } from '../src/storage/db.js';
import { migrateDatabase } from '../src/storage/migrate.js';
import { recordWonDeal } from '../src/domain/deals/quick-actions.js';
import { seed } from './seed.js';

const source = (process.argv[2] ?? 'file:/tmp/perf/w100k.db').slice('file:'.length);
const N = Number(process.argv[3] ?? '400');
const rounds = Number(process.argv[4] ?? '3');
const only = process.env.WRITE_PROBE_ONLY?.split(',');
const now = new Date();

if (!existsSync(source)) {
  const db = openDatabase(`file:${source}`);
  await migrateDatabase(db);
  await seed(db, Number(process.env.WRITE_PROBE_SIZE ?? 100_000), now);
  await db.query('PRAGMA journal_mode=WAL');
  await db.query('PRAGMA wal_checkpoint(TRUNCATE)');
  await db.close();
}

const indexes = ['Deal_closed_covering_idx', 'Deal_created_covering_idx', 'Deal_owner_closed_covering_idx', 'Deal_workspaceId_customerKey_status_idx', 'Deal_workspaceId_subscriptionStart_idx', 'Deal_workspaceId_externalId_key'];
const variants: Array<{ name: string; prepare: (db: Db) => Promise<void> }> = [
  { name: 'production (WAL, synchronous=FULL)', prepare: async () => undefined },
  { name: 'synchronous=NORMAL (info only)', prepare: async (db: Db) => void (await db.query('PRAGMA synchronous=NORMAL')) },
  ...indexes.map((ix) => ({ name: `without ${ix}`, prepare: async (db: Db) => void (await db.execute(`DROP INDEX "${ix}"`)) })),
].filter((v) => !only || only.some((o) => v.name.includes(o)));

const results = new Map<string, Array<{ user: number; system: number }>>();
let k = 0;
for (let r = 0; r < rounds; r++) {
  for (const v of variants) {
    const path = `${source}.probe.db`;
    for (const ext of ['', '-wal', '-shm']) rmSync(path + ext, { force: true });
    copyFileSync(source, path);
    const db = openDatabase(`file:${path}`);
    await configureDatabase(db);
    await v.prepare(db);
    const workspace = await db.prisma.workspace.findFirstOrThrow();
    const actor = await db.prisma.rep.findFirstOrThrow({ where: { workspaceId: workspace.id, slackUserId: 'UBENCH1' } });
    const once = (i: number) => recordWonDeal({ db, workspace, actor, now, requestKey: `probe-${r}-${k}-${i}`, channelId: 'C1', customer: `Probe ${k} ${i}`, amountMinor: 1_200_000n, currency: 'USD', type: null });
    for (let i = 0; i < 50; i++) await once(-1 - i); // warm-up
    const c0 = process.cpuUsage();
    for (let i = 0; i < N; i++) await once(i);
    const c = process.cpuUsage(c0);
    k++;
    results.set(v.name, [...(results.get(v.name) ?? []), { user: c.user / 1000 / N, system: c.system / 1000 / N }]);
    await db.close();
    for (const ext of ['', '-wal', '-shm']) rmSync(path + ext, { force: true });
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [name, rs] of results) {
  console.log(`${name.padEnd(52)} CPU/deal median ${median(rs.map((x) => x.user + x.system)).toFixed(3)} ms (user ${median(rs.map((x) => x.user)).toFixed(3)}, system ${median(rs.map((x) => x.system)).toFixed(3)}) runs: ${rs.map((x) => (x.user + x.system).toFixed(2)).join(' ')}`);
}
process.exit(0);
