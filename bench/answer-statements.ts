/**
 * `npx tsx bench/answer-statements.ts --url file:/tmp/perf/reads1m.db [--kpi winrate] [--period 'this month']`:
 * the statements one `/kpi` answer runs with a warm closed-period cache, each timed alone on the
 * raw driver (SQLite, prepared once, median of 50) with its query plan: which statement of an
 * answer costs what. Uses a database seeded by bench/profile-reads.ts.
 */
import Database from 'better-sqlite3';
import { openDatabase, type Db } from '../src/storage/db.js';
import { buildKpiAnswer } from '../src/slack/kpi/kpi-answer.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}
const url = arg('url', 'file:/tmp/perf/reads1m.db');
const kpi = arg('kpi', 'winrate');
const periodInput = arg('period', 'this month');

const db = openDatabase(url);
const workspace = await db.prisma.workspace.findFirstOrThrow();
const now = new Date();
const recorded: Array<{ sql: string; params: readonly unknown[] }> = [];
const recorder: Db = { ...db, query: (sql, params = []) => (recorded.push({ sql, params }), db.query(sql, params)) };
const ask = () => buildKpiAnswer({ db: recorder, workspace, kpi, periodInput, scope: { kind: 'workspace' }, scopeLabel: 'bench', now, quickchartUrl: null });
await ask();
console.log(`cold: ${recorded.length} statements`);
recorded.length = 0;
await ask();
console.log(`warm: ${recorded.length} statements`);
const raw = new Database(url.slice('file:'.length), { readonly: true });
raw.defaultSafeIntegers(true);
for (const s of recorded) {
  const params = s.params.map((p) => (p instanceof Date ? p.getTime() : typeof p === 'boolean' ? (p ? 1 : 0) : p));
  const stmt = raw.prepare(s.sql);
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    rows = stmt.all(...params).length;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const plan = (raw.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
  console.log(`${times[25]!.toFixed(3).padStart(8)} ms ${String(rows).padStart(4)} rows  ${s.sql.replace(/\s+/g, ' ').slice(0, 400)}\n           params ${JSON.stringify(s.params, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}\n           plan ${plan}`);
}
raw.close();
await db.close();
