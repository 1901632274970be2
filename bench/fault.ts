/**
 * `npm run fault`: the kill -9 fault test with more rounds, printing the figures for BENCHMARKS.md.
 * Runs the production entry point as its own process on SQLite and (when reachable) PostgreSQL,
 * kills it with SIGKILL at random moments during a burst of `/deal won` quick forms and deal-modal
 * submissions, restarts it, delivers every acknowledged request again and counts acknowledged vs
 * stored vs doubled (see test/helpers/kill9-burst.ts).
 *
 * Options: --rounds 10 --rate 100 --burst-ms 3000 --engines sqlite,postgresql --seed 1
 */
import { runKillBurst } from '../test/helpers/kill9-burst.js';
import type { Dialect } from '../src/storage/db.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const engines = arg('engines', 'sqlite,postgresql').split(',') as Dialect[];
let failed = false;
for (const dialect of engines) {
  const r = await runKillBurst({
    dialect,
    rounds: Number(arg('rounds', '10')),
    ratePerSecond: Number(arg('rate', '100')),
    burstMs: Number(arg('burst-ms', '3000')),
    seed: Number(arg('seed', '1')),
    log: (line) => console.log(line),
  });
  console.log(
    `${dialect}: ${r.rounds} kill -9 rounds, ${r.sent} requests sent (10% repeated deliveries), ${r.acknowledged} acknowledged, ` +
      `${r.stored} stored, ${r.refusedAndTold} refused and told, lost ${r.lost}, doubled ${r.doubled}; ack p50 ${r.ackP50Ms} ms, p95 ${r.ackP95Ms} ms`,
  );
  if (r.lost > 0 || r.doubled > 0) {
    failed = true;
    console.log(`  lost: ${r.lostKeys.join(', ')}`);
  }
}
process.exit(failed ? 1 : 0);
