/**
 * The benchmark's history: one workspace, REPS reps in one team, and `size` deals, DEALS_PER_MONTH
 * per month going back from the current month (deterministic: the same data every run). Used by
 * bench/run.ts and bench/profile-reads.ts.
 */
import { refreshPlannerStatistics } from '../src/storage/maintenance.js';
import type { Db } from '../src/storage/db.js';
import { insertDealsBatch, type TDealRow } from '../src/storage/bulk-insert.js';

export const TEAM = 'TBENCH';
export const DEALS_PER_MONTH = 8_400; // ~100k a year; a larger history adds months, not deals per month
export const REPS = 200;

/** Deterministic pseudo-random numbers, so every run seeds the same data. */
export function rng(seed: number) {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4_294_967_296;
  };
}

/** Seeds `size` deals: DEALS_PER_MONTH per month going back from the current month. */
export async function seed(db: Db, size: number, now: Date): Promise<{ workspaceId: number; repUserIds: string[]; seedMs: number }> {
  const started = Date.now();
  const ws = await db.prisma.workspace.create({ data: { slackTeamId: TEAM, name: 'Bench', timeZone: 'UTC', currency: 'USD', installerUserId: 'UBENCH0' } });
  const team = await db.prisma.salesTeam.create({ data: { workspaceId: ws.id, name: 'Bench team' } });
  const repIds: number[] = [];
  const repUserIds: string[] = [];
  for (let i = 0; i < REPS; i++) {
    const slackUserId = `UBENCH${i}`;
    const rep = await db.prisma.rep.create({ data: { workspaceId: ws.id, slackUserId, name: `Rep ${i}`, role: i === 0 ? 'admin' : 'rep', teamId: team.id } });
    repIds.push(rep.id);
    repUserIds.push(slackUserId);
  }
  const random = rng(size);
  const months = Math.ceil(size / DEALS_PER_MONTH);
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const elapsedThisMonth = now.getTime() - monthStart;
  const CHUNK = 20_000;
  let batch: TDealRow[] = [];
  for (let i = 0; i < size; i++) {
    const monthsBack = Math.floor(i / DEALS_PER_MONTH);
    const start = new Date(monthStart);
    start.setUTCMonth(start.getUTCMonth() - monthsBack);
    const span = monthsBack === 0 ? elapsedThisMonth : 28 * 86_400_000;
    const createdAt = new Date(start.getTime() + Math.floor(random() * span));
    const r = random();
    const status = r < 0.45 ? 'won' : r < 0.75 ? 'lost' : 'open';
    const closedAt = status === 'open' ? null : new Date(Math.min(now.getTime() - 1000, createdAt.getTime() + Math.floor(random() * 20 * 86_400_000)));
    const amount = BigInt(100_000 + Math.floor(random() * 5_000_000));
    batch.push({
      ownerId: repIds[Math.floor(random() * REPS)]!,
      customer: `Customer ${i % 5000}`,
      amountMinor: amount,
      currency: 'USD',
      amountReportingMinor: amount,
      type: r < 0.3 ? 'new' : r < 0.4 ? 'upsell' : 'renewal',
      stage: status === 'open' ? 'demo' : status,
      maxStageIndex: status === 'won' ? 4 : Math.floor(random() * 4),
      status,
      createdAt,
      closedAt,
      externalId: `B${i}`,
    });
    if (batch.length === CHUNK) {
      await insertDealsBatch(db, ws.id, batch, { stageChanges: false, now });
      batch = [];
    }
  }
  if (batch.length) await insertDealsBatch(db, ws.id, batch, { stageChanges: false, now });
  // What `npm run import` does after a bulk load, and what autovacuum would do on its own soon after:
  // without it, PostgreSQL plans the first reads blind and every index-only scan reads the heap.
  await refreshPlannerStatistics(db);
  void months;
  return { workspaceId: ws.id, repUserIds, seedMs: Date.now() - started };
}

