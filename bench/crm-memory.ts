/**
 * Flat memory of a CRM backfill (issue #10): the sync's heap does not grow with the number of
 * deals loaded. For each size, a vendor's fake serves that many deals from its own process
 * (bench/crm-fake-server.ts); this process runs the real connector and `syncCrm` into a fresh
 * SQLite database and samples `process.memoryUsage().heapUsed` every 25 ms (the raw peak, garbage
 * included: it follows V8's collection heuristics more than the sync) and, after a forced full
 * collection every 5th page, the heap the sync retains. The retained peak after warm-up (the first
 * 3 pages) is compared across sizes: a sync that kept deals in memory would show it growing with
 * the size.
 *
 *   node --expose-gc --import tsx bench/crm-memory.ts [--vendor pipedrive|hubspot|salesforce] [--sizes 10000,50000] [--max-ratio 1.5]
 *
 * Exit code 1 when the largest size's retained peak exceeds `--max-ratio` times the smallest's. A benchmark,
 * not a test: it takes minutes and its figures depend on the machine (see BENCHMARKS.md).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { connectCrm } from '../src/domain/crm/connect-crm.js';
import { crmKeyRing, type TCrmCredentials } from '../src/domain/crm/credentials.js';
import type { TCrmVendor } from '../src/domain/crm/crm-source.js';
import { syncCrm } from '../src/domain/crm/sync-crm.js';
import { createCrmSource, type TCrmSourceOptions } from '../src/crm/registry.js';
import { openDatabase } from '../src/storage/db.js';
import { migrateDatabase } from '../src/storage/migrate.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const vendor = arg('vendor', 'pipedrive') as TCrmVendor;
const sizes = arg('sizes', '10000,50000').split(',').map(Number);
const maxRatio = Number(arg('max-ratio', '1.5'));
const MiB = 1024 * 1024;

interface TRow {
  size: number;
  pages: number;
  seconds: number;
  warmHeapMiB: number;
  peakHeapMiB: number;
  retainedPeakMiB: number;
}

async function measure(size: number): Promise<TRow> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/crm-fake-server.ts', vendor, String(size)], { cwd: resolve(import.meta.dirname, '..'), stdio: ['pipe', 'pipe', 'inherit'] });
  const first = await new Promise<string>((ok, fail) => {
    createInterface({ input: child.stdout }).once('line', ok);
    child.once('exit', (c) => fail(new Error(`fake exited with ${c}`)));
  });
  const fake = JSON.parse(first) as { url: string; credentials: TCrmCredentials; extra: Partial<TCrmSourceOptions>; now: string };
  const dir = mkdtempSync(join(tmpdir(), 'crm-memory-'));
  const db = openDatabase(`file:${join(dir, 'bench.db')}`);
  try {
    await migrateDatabase(db);
    const ws = await db.prisma.workspace.create({ data: { slackTeamId: `TMEM${size}`, timeZone: 'UTC', currency: 'USD' } });
    const now = new Date(new Date(fake.now).getTime() + 5_000);
    await connectCrm({ db, workspaceId: ws.id, vendor, credentials: fake.credentials, baseUrl: fake.url, keyRing: crmKeyRing(randomBytes(32).toString('base64')), now });
    let pages = 0;
    let peak = 0;
    let warm = 0;
    let retained = 0;
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('run with node --expose-gc --import tsx bench/crm-memory.ts');
    const sample = (): void => {
      if (pages < 3) return;
      const used = process.memoryUsage().heapUsed;
      if (warm === 0) warm = used;
      peak = Math.max(peak, used);
    };
    const timer = setInterval(sample, 25);
    const started = performance.now();
    const result = await syncCrm({
      db,
      workspaceId: ws.id,
      source: createCrmSource(vendor, fake.credentials, { baseUrl: fake.url, timeoutMs: 60_000, ...fake.extra }),
      now,
      onProgress: (p) => {
        pages = p.pages;
        sample();
        if (pages >= 3 && pages % 5 === 0) {
          gc();
          retained = Math.max(retained, process.memoryUsage().heapUsed);
        }
      },
    });
    clearInterval(timer);
    if (result.outcome !== 'synced' || result.created !== size) throw new Error(`sync of ${size} ended ${result.outcome} with ${result.created} created: ${result.error ?? ''}`);
    return { size, pages: result.pages, seconds: (performance.now() - started) / 1000, warmHeapMiB: warm / MiB, peakHeapMiB: peak / MiB, retainedPeakMiB: retained / MiB };
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
    child.stdin.end();
  }
}

const rows: TRow[] = [];
for (const size of sizes) {
  const row = await measure(size);
  rows.push(row);
  console.log(`${vendor} ${row.size.toLocaleString('en-US')} deals: ${row.pages} pages in ${row.seconds.toFixed(1)} s; heap after warm-up ${row.warmHeapMiB.toFixed(1)} MiB, raw peak ${row.peakHeapMiB.toFixed(1)} MiB, retained peak (after full GC) ${row.retainedPeakMiB.toFixed(1)} MiB`);
}
const ratio = rows.at(-1)!.retainedPeakMiB / rows[0]!.retainedPeakMiB;
console.log(`retained peak heap, ${rows.at(-1)!.size.toLocaleString('en-US')} vs ${rows[0]!.size.toLocaleString('en-US')} deals: ×${ratio.toFixed(2)} (bound ×${maxRatio})`);
process.exitCode = ratio <= maxRatio ? 0 : 1;
