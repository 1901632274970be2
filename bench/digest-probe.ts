/**
 * Temporary probe: why the bench's digest (p50 of 5 right after seeding and creating 1,000
 * subscriptions) is slower than profile-reads' warm digest.
 */
import { openDatabase } from '../src/storage/db.js';
import { migrateDatabase } from '../src/storage/migrate.js';
import { seed } from './seed.js';

const url = process.argv[2] ?? 'file:/tmp/perf/d100k.db';
const subs = Number(process.argv[3] ?? '1000');
const now = new Date();
const db = openDatabase(url);
await migrateDatabase(db);
let workspace = await db.prisma.workspace.findFirst();
if (!workspace) {
  await seed(db, 100_000, now);
  workspace = await db.prisma.workspace.findFirstOrThrow();
}
const { buildWeeklyDigest } = await import('../src/domain/digests/build-weekly-digest.js');
const { buildWeeklyDigestMessage: render } = await import('../src/slack/blocks/digest.js');
const slot = new Date(Math.floor((now.getTime() - 10 * 60_000) / 60_000) * 60_000);
const weekday = ((slot.getUTCDay() + 6) % 7) + 1;
const localTime = `${String(slot.getUTCHours()).padStart(2, '0')}:${String(slot.getUTCMinutes()).padStart(2, '0')}`;
const have = await db.prisma.digestSubscription.count({ where: { workspaceId: workspace.id } });
for (let i = have; i < subs; i++) {
  await db.prisma.digestSubscription.create({ data: { workspaceId: workspace.id, channelId: `CDIGEST${i}`, weekday, localTime, timeZone: 'UTC', createdBySlackUserId: 'UBENCH0' } });
}
const sub = await db.prisma.digestSubscription.findFirstOrThrow({ where: { workspaceId: workspace.id } });
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
async function run(label: string, quickchartUrl: string | null) {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < 7; i++) {
    const c0 = cpu();
    const t0 = performance.now();
    await buildWeeklyDigest({ db, workspace: workspace!, subscription: sub, slotInstant: slot, late: false, now, quickchartUrl, render });
    walls.push(performance.now() - t0);
    cpus.push(cpu() - c0);
  }
  console.log(`${label.padEnd(30)} wall ${walls.map((w) => w.toFixed(0)).join(' ')} · CPU ${cpus.map((w) => w.toFixed(0)).join(' ')}`);
}
await run(`as bench (${subs} subs)`, 'https://quickchart.io');
await run('no charts', null);
if (db.dialect === 'sqlite') {
  console.log(await db.query('PRAGMA wal_checkpoint(TRUNCATE)'));
  await run('after checkpoint', 'https://quickchart.io');
}
await db.close();
process.exit(0);
