import type { Db } from '../db.js';
import { historyHorizon, readHistoryVersion } from './history-version.js';

/**
 * Aggregates of closed periods, shared by every answer of this process. An entry is keyed by
 * (workspace, history version, SQL text, parameters): a write that changes the past bumps the
 * version in the database (see history-version.ts), so every instance stops using its old
 * entries at its next answer. Entries of old versions simply age out (least recently used).
 */
const MAX_ENTRIES = 5_000;
// One cache per opened database (a Db object), so two databases never share entries.
const caches = new WeakMap<Db, Map<string, readonly unknown[]>>();
/**
 * Cacheable reads under way, by the same key: a digest builds its reports concurrently, and
 * several ask for the same closed week (win rate, deal size, quota and leaderboard per rep); with
 * an empty cache each used to run the statement itself.
 */
const pending = new WeakMap<Db, Map<string, Promise<readonly unknown[]>>>();
const horizons = new WeakMap<Db, Date>();
/** The workspace each view answers for: a view asked again for it is returned as it is. */
const viewWorkspaces = new WeakMap<Db, number>();
/** Reads shared by the reports of one view (one answer, digest, home or alert check). */
const viewMemos = new WeakMap<Db, Map<string, Promise<unknown>>>();

/**
 * Within one cached view (one answer, digest or App Home), a read that does not depend on the
 * period (the scope's reps) is made once and shared by the view's reports; without a view it is
 * simply made. Not cached beyond the view: names and teams change without a version bump.
 *
 * @example
 * const reps = await oncePerView(db, `reps|${workspaceId}`, () => readReps(db, workspaceId));
 */
export function oncePerView<T>(db: Db, key: string, read: () => Promise<T>): Promise<T> {
  const memo = viewMemos.get(db);
  if (!memo) return read();
  let hit = memo.get(key) as Promise<T> | undefined;
  if (!hit) {
    hit = read();
    memo.set(key, hit);
    // A failed read is not shared: the next report tries again.
    hit.catch(() => memo.delete(key));
  }
  return hit;
}

/** The horizon a cached view of the database was opened with (queries split ranges at it). */
export function cacheHorizonOf(db: Db): Date | null {
  return horizons.get(db) ?? null;
}

const HOUR_MS = 3_600_000;

/**
 * Where a cached view splits a period that runs past the horizon (this month, this quarter): the
 * part before it is read once an hour and cached, only the rest (the last 36–37 hours) is read
 * fresh each time. The horizon rounded down to the hour, so the cached part's key stays the same
 * for an hour; null without a cache.
 *
 * @example
 * cacheSplitOf(await withClosedPeriodCache(db, { workspaceId, now: new Date('2026-12-16T12:30:00Z') }));
 * // 2026-12-15T00:00:00.000Z
 */
export function cacheSplitOf(db: Db): Date | null {
  const horizon = horizons.get(db);
  return horizon ? new Date(Math.floor(horizon.getTime() / HOUR_MS) * HOUR_MS) : null;
}

function keyPart(v: unknown): string {
  if (v instanceof Date) return `d${v.getTime()}`;
  if (typeof v === 'bigint') return `n${v}`;
  return JSON.stringify(v) ?? 'u';
}

/**
 * The tables whose past only changes with a history-version bump: deals (every deal write bumps
 * when it touches a date before the horizon) and refunds. Anything else (reps: names and team
 * membership; quotas, lead counts, alerts) changes without a bump and is never cached.
 */
const VERSIONED_TABLES = new Set(['Deal', 'Refund']);
const TABLE_REF = /\b(?:FROM|JOIN)\s+"(\w+)"/gi;

/** The statement reads only versioned tables (deals, refunds), never `Rep`. */
function versionedOnly(sql: string): boolean {
  if (sql.includes('"Rep"')) return false;
  for (const m of sql.matchAll(TABLE_REF)) if (!VERSIONED_TABLES.has(m[1] ?? '')) return false;
  return true;
}

/**
 * Cacheable: the statement reads only the past (it has dates and all are at or before the
 * horizon) and only versioned tables (a statement naming `Rep`, e.g. a team scope's sub-query,
 * is read fresh every time).
 */
function cacheable(sql: string, params: readonly unknown[], horizon: number): boolean {
  if (!versionedOnly(sql)) return false;
  let dates = 0;
  for (const p of params) {
    if (p instanceof Date) {
      if (p.getTime() > horizon) return false;
      dates++;
    }
  }
  return dates > 0;
}

/**
 * A view of `db` for one answer about one workspace (a view passed in again for the same workspace
 * is returned unchanged): reads the workspace's history version once,
 * then serves the raw aggregate queries (`db.query`) over closed periods from the cache. Prisma
 * model reads and everything else go to the database as before.
 *
 * @example
 * const cached = await withClosedPeriodCache(db, { workspaceId: ws.id, now });
 * await closedDealSeries(cached, { workspaceId: ws.id, scope, ranges }); // past buckets cached
 */
export async function withClosedPeriodCache(db: Db, { workspaceId, now }: { workspaceId: number; now: Date }): Promise<Db> {
  // A digest, App Home or alert check wraps once and builds many reports: one version read.
  if (viewWorkspaces.get(db) === workspaceId) return db;
  const version = await readHistoryVersion(db, workspaceId);
  const horizon = historyHorizon(now);
  const h = horizon.getTime();
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const entries = cache;
  let underWay = pending.get(db);
  if (!underWay) {
    underWay = new Map();
    pending.set(db, underWay);
  }
  const reading = underWay;
  // Reads of the present (not cacheable) of deals and refunds, shared within this view: one answer
  // or digest at one instant asks the same question once (a digest's month and quarter quotas both
  // read the fresh end of the month per rep). Nothing this view serves writes deals.
  const present = new Map<string, Promise<unknown[]>>();
  const view: Db = {
    prisma: db.prisma,
    dialect: db.dialect,
    ...(db.schema !== undefined ? { schema: db.schema } : {}),
    execute: (sql, params) => db.execute(sql, params),
    close: () => db.close(),
    query: async <T>(sql: string, params: readonly unknown[] = []): Promise<T[]> => {
      if (!cacheable(sql, params, h)) {
        if (!versionedOnly(sql)) return db.query<T>(sql, params);
        const presentKey = `${sql}|${params.map(keyPart).join(',')}`;
        let shared = present.get(presentKey);
        if (!shared) {
          shared = db.query<T>(sql, params);
          present.set(presentKey, shared);
          // A failed read is not kept.
          shared.catch(() => present.delete(presentKey));
        }
        return (await shared) as T[];
      }
      const key = `${workspaceId}|${version}|${sql}|${params.map(keyPart).join(',')}`;
      const hit = entries.get(key);
      if (hit) {
        // Refresh its place in the LRU order.
        entries.delete(key);
        entries.set(key, hit);
        return hit as T[];
      }
      const already = reading.get(key);
      if (already) return (await already) as T[];
      const read = db.query<T>(sql, params);
      reading.set(key, read);
      try {
        const rows = await read;
        entries.set(key, rows);
        if (entries.size > MAX_ENTRIES) {
          const oldest = entries.keys().next().value;
          if (oldest !== undefined) entries.delete(oldest);
        }
        return rows;
      } finally {
        reading.delete(key);
      }
    },
  };
  horizons.set(view, horizon);
  viewWorkspaces.set(view, workspaceId);
  viewMemos.set(view, new Map());
  return view;
}

/** Entries held for this database (tests look at it). */
export function closedPeriodCacheSize(db: Db): number {
  return caches.get(db)?.size ?? 0;
}
