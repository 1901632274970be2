/**
 * The CRM section of `npm run bench` (issue #10): for each vendor, a backfill of `size` deals from
 * its loopback fake through the real connector (the vendor's official client, built by the
 * registry) and `syncCrm`, then 1,000 changes made in the CRM and the incremental sync that brings
 * them in. The fake runs in this process, so the throughput is end to end with the fake's own
 * serving time included (a real CRM answers from elsewhere); the sync's share of the CPU is
 * reported apart as CPU per deal of the whole process.
 */
import { randomBytes } from 'node:crypto';
import { connectCrm } from '../src/domain/crm/connect-crm.js';
import { crmKeyRing } from '../src/domain/crm/credentials.js';
import type { TCrmVendor } from '../src/domain/crm/crm-source.js';
import { syncCrm } from '../src/domain/crm/sync-crm.js';
import { createCrmSource } from '../src/crm/registry.js';
import type { Db } from '../src/storage/db.js';
import { HARNESSES, type TSpec, type TStatus } from '../test/helpers/crm-harness.js';

export interface TCrmBenchRow {
  vendor: TCrmVendor;
  deals: number;
  backfillSeconds: number;
  backfillDealsPerSecond: number;
  backfillPages: number;
  cpuMsPerDeal: number;
  changes: number;
  incrementalLagSeconds: number;
  peakRssMiB: number;
}

function spec(i: number): TSpec {
  const status: TStatus = (['won', 'lost', 'open'] as const)[i % 3]!;
  const closedAt = status === 'open' ? null : new Date(Date.UTC(2025, i % 6, 1 + (i % 27), 10));
  return { status, cents: 10_000 + (i % 5000) * 137, closedAt, name: `Customer ${i % 20_000}`, owner: (i % 2) as 0 | 1 };
}

const cpuMs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

/**
 * Backfill and incremental lag for one vendor into a fresh workspace of `db`.
 *
 * @example
 * await benchCrmVendor(db, 'pipedrive', 100_000);
 */
export async function benchCrmVendor(db: Db, vendor: TCrmVendor, size: number, changes = 1_000): Promise<TCrmBenchRow> {
  const h = await HARNESSES[vendor]();
  try {
    const ids: string[] = [];
    for (let i = 0; i < size; i++) ids.push(h.add(spec(i)));
    const keyRing = crmKeyRing(randomBytes(32).toString('base64'));
    const ws = await db.prisma.workspace.create({ data: { slackTeamId: `TCRMBENCH${vendor}${Date.now()}`, timeZone: 'UTC', currency: 'USD' } });
    await connectCrm({ db, workspaceId: ws.id, vendor, credentials: h.credentials, baseUrl: h.url, keyRing, now: h.now() });
    const source = () => createCrmSource(vendor, h.credentials, { baseUrl: h.url, timeoutMs: 30_000, ...h.extra });
    let peakRss = process.memoryUsage().rss;
    const sample = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 200);
    sample.unref();
    const t0 = performance.now();
    const c0 = cpuMs();
    let pages = 0;
    let synced = 0;
    // The scheduler runs the backfill over several ticks (maxPages per run): loop like it does.
    for (let round = 0; round < 10_000; round++) {
      const r = await syncCrm({ db, workspaceId: ws.id, source: source(), now: h.now(), clock: () => h.now() });
      pages += r.pages;
      synced += r.deals;
      if (r.outcome === 'failed' || r.outcome === 'locked' || r.outcome === 'not-connected') throw new Error(`backfill ${vendor}: ${r.outcome} ${r.error ?? ''}`);
      if (r.outcome === 'synced') break;
    }
    const backfillSeconds = (performance.now() - t0) / 1000;
    const cpu = cpuMs() - c0;
    const stored = await db.prisma.deal.count({ where: { workspaceId: ws.id } });
    if (stored !== size) throw new Error(`backfill ${vendor}: ${stored} deals stored of ${size}`);
    for (let i = 0; i < changes; i++) h.edit(ids[(i * 7919) % ids.length]!, { cents: 20_000 + i });
    h.advance(1);
    const t1 = performance.now();
    const inc = await syncCrm({ db, workspaceId: ws.id, source: source(), now: h.now(), clock: () => h.now() });
    const lag = (performance.now() - t1) / 1000;
    clearInterval(sample);
    if (inc.outcome !== 'synced' || inc.deals < changes) throw new Error(`incremental ${vendor}: ${inc.outcome}, ${inc.deals} deals for ${changes} changes`);
    return {
      vendor,
      deals: size,
      backfillSeconds,
      backfillDealsPerSecond: synced / backfillSeconds,
      backfillPages: pages,
      cpuMsPerDeal: cpu / synced,
      changes,
      incrementalLagSeconds: lag,
      peakRssMiB: Math.round(peakRss / 1024 / 1024),
    };
  } finally {
    await h.stop();
  }
}
