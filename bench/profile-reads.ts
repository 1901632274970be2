/**
 * `npx tsx bench/profile-reads.ts`: the read side in-process, without HTTP: app CPU and statements
 * per `/kpi` answer (built by `buildKpiAnswer`, as the slash command does) and per weekly digest
 * (`buildWeeklyDigest` with the production renderer), against a seeded history (bench/seed.ts).
 * `--profile file.cpuprofile` writes a CPU profile of the answers and digests (open it in Chrome
 * DevTools or summarise it).
 *
 * Options: --url file:/tmp/reads.db (kept between runs: seeded only when it has no workspace;
 *          a postgresql:// URL with ?schema=… works too)  --size 100000  --n 100  --only answers|digest|warm  --profile out.cpuprofile
 *          --statements (SQLite: each read statement of the last digest timed alone)
 */
import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { Session } from 'node:inspector/promises';
import { openDatabase, type Db } from '../src/storage/db.js';
import { migrateDatabase } from '../src/storage/migrate.js';
import { seed } from './seed.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const url = arg('url', 'file:/tmp/kpi-profile-reads.db');
const size = Number(arg('size', '100000'));
const N = Number(arg('n', '100'));
/** `--only answers`, `--only digest` or `--only warm` (the digest with a warm cache only). */
const only = arg('only', '');
/** `--profile out.cpuprofile`: a CPU profile of the answers and digests (not of start-up or seeding). */
const profileOut = arg('profile', '');
const session = profileOut ? new Session() : null;

interface TCounts {
  raw: number;
  /** The raw statements run since the last reset. */
  statements: Array<{ sql: string; params: readonly unknown[]; ms?: number }>;
  model: number;
  models: Map<string, number>;
}

/** A view of `db` that counts raw statements and Prisma model operations. */
function counting(db: Db): { db: Db; counts: TCounts; reset: () => void } {
  const counts: TCounts = { raw: 0, statements: [], model: 0, models: new Map() };
  const prisma = db.prisma.$extends({
    query: {
      $allModels: {
        $allOperations({ model, operation, args, query }) {
          counts.model++;
          const k = `${model}.${operation}`;
          counts.models.set(k, (counts.models.get(k) ?? 0) + 1);
          return query(args);
        },
      },
    },
  }) as unknown as Db['prisma'];
  const view: Db = {
    prisma,
    dialect: db.dialect,
    ...(db.schema !== undefined ? { schema: db.schema } : {}),
    query: async (sql, params = []) => {
      counts.raw++;
      const entry: { sql: string; params: readonly unknown[]; ms?: number } = { sql, params };
      counts.statements.push(entry);
      const t0 = performance.now();
      try {
        return await db.query(sql, params);
      } finally {
        entry.ms = performance.now() - t0;
      }
    },
    execute: (sql, params) => (counts.raw++, db.execute(sql, params)),
    close: () => db.close(),
  };
  return {
    db: view,
    counts,
    reset: () => {
      counts.raw = 0;
      counts.model = 0;
      counts.models.clear();
      counts.statements.length = 0;
    },
  };
}

/**
 * SQLite: each read statement of the last digest run alone on the raw driver (prepared, median of
 * 5), summed per statement shape: where the digest's SQL time goes, without the queueing of its
 * concurrent queries.
 */
function replay(url: string, statements: ReadonlyArray<{ sql: string; params: readonly unknown[] }>): void {
  const raw = new Database(url.slice('file:'.length).split('?')[0]!, { readonly: true });
  raw.defaultSafeIntegers(true);
  const byShape = new Map<string, { n: number; ms: number }>();
  for (const s of statements) {
    if (!/^\s*SELECT/i.test(s.sql)) continue;
    const stmt = raw.prepare(s.sql);
    const params = s.params.map((p) => (p instanceof Date ? p.getTime() : typeof p === 'boolean' ? (p ? 1 : 0) : p));
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      stmt.all(...params);
      samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    const dates = s.params.filter((p): p is Date => p instanceof Date);
    const span = dates.length >= 2 ? ` [${((dates[dates.length - 1]!.getTime() - dates[0]!.getTime()) / 86_400_000).toFixed(1)} d]` : '';
    if (process.env.PROFILE_EACH) console.log(`    ${samples[2]!.toFixed(2)} ms${span} ${s.sql.replace(/\s+/g, ' ').slice(0, 60)}`);
    const k = s.sql.replace(/\s+/g, ' ').slice(0, 120);
    const e = byShape.get(k) ?? { n: 0, ms: 0 };
    byShape.set(k, { n: e.n + 1, ms: e.ms + samples[2]! });
  }
  raw.close();
  for (const [k, v] of [...byShape].sort((a, b) => b[1].ms - a[1].ms)) console.log(`  ${v.ms.toFixed(2).padStart(7)} ms ×${v.n} ${k}`);
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function main(): Promise<void> {
  const now = new Date();
  const base = openDatabase(url);
  await migrateDatabase(base);
  let workspace = await base.prisma.workspace.findFirst();
  if (!workspace) {
    process.stdout.write(`seeding ${size.toLocaleString('en-US')} deals… `);
    const s = await seed(base, size, now);
    console.log(`${(s.seedMs / 1000).toFixed(1)} s`);
    workspace = await base.prisma.workspace.findFirstOrThrow();
  }
  const { buildKpiAnswer } = await import('../src/slack/kpi/kpi-answer.js');
  const { buildWeeklyDigest } = await import('../src/domain/digests/build-weekly-digest.js');
  const { buildWeeklyDigestMessage: render } = await import('../src/slack/blocks/digest.js');
  const { db, counts, reset } = counting(base);
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }

  for (const periodInput of only === 'digest' ? [] : ['this month', 'this quarter', 'last month']) {
    const ask = () => buildKpiAnswer({ db, workspace, kpi: 'winrate', periodInput, scope: { kind: 'workspace' }, scopeLabel: 'all reps', now, quickchartUrl: 'https://quickchart.io' });
    for (let i = 0; i < 10; i++) await ask(); // warm-up: JIT, closed-period cache
    reset();
    const c0 = cpuMs();
    const t0 = performance.now();
    for (let i = 0; i < N; i++) await ask();
    const cpu = (cpuMs() - c0) / N;
    const wall = (performance.now() - t0) / N;
    console.log(`winrate ${periodInput.padEnd(12)} CPU ${cpu.toFixed(2)} ms/answer, wall ${wall.toFixed(2)} ms; per answer: ${counts.raw / N} raw, ${counts.model / N} model (${[...counts.models].map(([k, v]) => `${k}×${v / N}`).join(', ')})`);
  }

  const slot = new Date(Math.floor((now.getTime() - 10 * 60_000) / 60_000) * 60_000);
  let sub = await base.prisma.digestSubscription.findFirst({ where: { workspaceId: workspace.id } });
  sub ??= await base.prisma.digestSubscription.create({
    data: { workspaceId: workspace.id, channelId: 'CPROFILE', weekday: ((slot.getUTCDay() + 6) % 7) + 1, localTime: '09:00', timeZone: 'UTC', createdBySlackUserId: 'UBENCH0' },
  });
  const subscription = sub;
  const digest = (d: Db) => buildWeeklyDigest({ db: d, workspace, subscription, slotInstant: slot, late: false, now, quickchartUrl: 'https://quickchart.io', render });
  // Cold: a new database view has an empty closed-period cache (the cache is per Db object).
  for (const kind of only === 'answers' ? [] : only === 'warm' ? (['warm'] as const) : (['cold', 'warm'] as const)) {
    const samples: number[] = [];
    const walls: number[] = [];
    let warmView: Db | null = null;
    for (let i = 0; i < 6; i++) {
      const view: Db = kind === 'cold' || !warmView ? { ...db } : warmView;
      if (kind === 'warm' && !warmView) {
        warmView = view;
        await digest(view);
      }
      reset();
      const c0 = cpuMs();
      const t0 = performance.now();
      await digest(view);
      samples.push(cpuMs() - c0);
      walls.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    walls.sort((a, b) => a - b);
    if (process.argv.includes('--statements') && base.dialect === 'sqlite') replay(url, counts.statements);
    // PostgreSQL: the statements of the last digest as they ran (wall, including the round trip).
    if (process.argv.includes('--statements') && base.dialect !== 'sqlite') {
      for (const s of [...counts.statements].sort((a, b) => (b.ms ?? 0) - (a.ms ?? 0)).slice(0, 8)) console.log(`    ${(s.ms ?? 0).toFixed(2).padStart(8)} ms ${s.sql.replace(/\s+/g, " ").slice(0, process.env.PROFILE_SQL_CHARS ? Number(process.env.PROFILE_SQL_CHARS) : 160)}${process.env.PROFILE_SQL_CHARS ? ` ${JSON.stringify(s.params, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))}` : ""}`);
    }
    console.log(`digest ${kind}: CPU p50 ${samples[3]!.toFixed(1)} ms, wall p50 ${walls[3]!.toFixed(1)} ms; ${counts.raw} raw, ${counts.model} model (${[...counts.models].map(([k, v]) => `${k}×${v}`).join(', ')})`);
  }
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(profileOut, JSON.stringify(profile));
    console.log(`CPU profile: ${profileOut}`);
  }
  await base.close();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
