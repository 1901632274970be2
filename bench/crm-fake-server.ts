/**
 * A vendor's loopback CRM fake in its own process, for `bench/crm-memory.ts`: seeds `size` deals,
 * prints one JSON line (`url`, `credentials`, `extra`, the fake's clock), and serves until stdin
 * closes. Its memory is its own, so the sync process's heap measures the sync alone.
 *
 *   npx tsx bench/crm-fake-server.ts pipedrive 50000
 */
import type { TCrmVendor } from '../src/domain/crm/crm-source.js';
import { HARNESSES, type TSpec, type TStatus } from '../test/helpers/crm-harness.js';

const vendor = (process.argv[2] ?? 'pipedrive') as TCrmVendor;
const size = Number(process.argv[3] ?? '10000');
const h = await HARNESSES[vendor]();
const spec = (i: number): TSpec => {
  const status: TStatus = (['won', 'lost', 'open'] as const)[i % 3]!;
  return { status, cents: 10_000 + (i % 5000) * 137, closedAt: status === 'open' ? null : new Date(Date.UTC(2025, i % 6, 1 + (i % 27), 10)), name: `Customer ${i % 20_000}`, owner: (i % 2) as 0 | 1 };
};
for (let i = 0; i < size; i++) h.add(spec(i));
process.stdout.write(`${JSON.stringify({ url: h.url, credentials: h.credentials, extra: h.extra, now: h.now().toISOString() })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void h.stop().then(() => process.exit(0)));
