import { toBigInt, toNullableDate, toNumber, type Db } from '../db.js';
import { cacheHorizonOf, cacheSplitOf, oncePerView } from './closed-period-cache.js';
import { DEAL_TYPES, type TDateRange, type TDealType, type TOpenDeal, type TRepRef, type TScope } from '../../shared/metric-scope.js';

export type { TOpenDeal };

/**
 * KPI aggregation in SQL. Every query is bounded by an indexed period range on the `Deal`,
 * `Refund`, `Quota` or `LeadCount` table (see the @@index lines of prisma/models.prisma.part), so
 * its cost grows with the rows in the period, never with the whole history. Results come back as
 * bigint minor units (reporting currency) and plain numbers; the same SQL runs on SQLite and
 * PostgreSQL (`?` placeholders, quoted identifiers, `CAST(SUM(..) AS BIGINT)`).
 *
 * Scope: a team means the deals owned by reps whose *current* `Rep.teamId` is that team.
 */

export interface TMetricsQueryArgs {
  readonly workspaceId: number;
  readonly range: TDateRange;
  readonly scope: TScope;
}

export interface TMetricsSeriesArgs {
  readonly workspaceId: number;
  readonly scope: TScope;
  /** Periods of the series, in any order; they may overlap. Identical ranges are computed once. */
  readonly ranges: readonly TDateRange[];
}

// ---------------------------------------------------------------------------------------------
// A tiny SQL builder: template values become `?` parameters in order; fragments nest.

class SqlFragment {
  constructor(
    readonly text: string,
    readonly params: readonly unknown[],
  ) {}
}

function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlFragment {
  let text = strings[0] ?? '';
  const params: unknown[] = [];
  values.forEach((v, i) => {
    if (v instanceof SqlFragment) {
      text += v.text;
      params.push(...v.params);
    } else {
      text += '?';
      params.push(v);
    }
    text += strings[i + 1] ?? '';
  });
  return new SqlFragment(text, params);
}

function raw(text: string): SqlFragment {
  return new SqlFragment(text, []);
}

function joinSql(parts: readonly SqlFragment[], separator: string): SqlFragment {
  return new SqlFragment(
    parts.map((p) => p.text).join(separator),
    parts.flatMap((p) => p.params),
  );
}

/** An integer written into the SQL text (only for numbers this module computes itself). */
function int(n: number): SqlFragment {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not an integer: ${n}`);
  return raw(String(n));
}

function run<T = Record<string, unknown>>(db: Db, q: SqlFragment): Promise<T[]> {
  return db.query<T>(q.text, q.params);
}

/** `AND ...` restricting deal alias `d` to the scope. */
function dealScope(scope: TScope, workspaceId: number): SqlFragment {
  switch (scope.kind) {
    case 'workspace':
      return raw('');
    case 'rep':
      return sql` AND d."ownerId" = ${scope.repId}`;
    case 'team':
      return sql` AND d."ownerId" IN (SELECT r2."id" FROM "Rep" r2 WHERE r2."workspaceId" = ${workspaceId} AND r2."teamId" = ${scope.teamId})`;
  }
}

function toNullableNumber(v: unknown): number | null {
  return v === null || v === undefined ? null : toNumber(v);
}

function toNullableString(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

/** DateTime from a raw row (never null here). */
function toDate(v: unknown): Date {
  const d = toNullableDate(v);
  if (d === null) throw new TypeError('not a date value');
  return d;
}

function dealType(v: unknown): TDealType {
  return v === 'upsell' || v === 'renewal' ? v : 'new';
}

function emptyByType<T>(make: () => T): Record<TDealType, T> {
  return { new: make(), upsell: make(), renewal: make() };
}

const rangeKey = (r: TDateRange): string => `${r.start.getTime()}-${r.end.getTime()}`;

/** Distinct ranges in first-seen order, and for each input range its index among them. */
function distinctRanges(ranges: readonly TDateRange[]): { unique: TDateRange[]; indexOf: number[] } {
  const unique: TDateRange[] = [];
  const seen = new Map<string, number>();
  const indexOf = ranges.map((r) => {
    const key = rangeKey(r);
    let i = seen.get(key);
    if (i === undefined) {
      i = unique.length;
      unique.push(r);
      seen.set(key, i);
    }
    return i;
  });
  return { unique, indexOf };
}

/** A part of a distinct range (`of`: its index) read by one statement. */
interface TPiece {
  readonly range: TDateRange;
  readonly of: number;
}

/**
 * The statements a set of ranges is read with. Without a closed-period cache: one. Through a
 * cache (`withClosedPeriodCache`): the ranges that ended before the horizon (cached for as long
 * as the history version holds), the part before the split point of ranges still running
 * (cached for the hour, see `cacheSplitOf`), and the rest, read fresh every time. A range still
 * running is the sum of its two parts.
 */
function piecesOf(db: Db, unique: readonly TDateRange[]): TPiece[][] {
  const horizon = cacheHorizonOf(db);
  const split = cacheSplitOf(db);
  if (!horizon) return [unique.map((range, of) => ({ range, of }))];
  const closed: TPiece[] = [];
  const before: TPiece[] = [];
  const fresh: TPiece[] = [];
  unique.forEach((range, of) => {
    if (range.end <= horizon) closed.push({ range, of });
    else if (split && range.start < split) {
      before.push({ range: { start: range.start, end: split }, of });
      fresh.push({ range: { start: split, end: range.end }, of });
    } else fresh.push({ range, of });
  });
  return [closed, before, fresh].filter((g) => g.length > 0);
}


/** `col >= start AND col < end`. */
function withinRange(column: string, r: TDateRange): SqlFragment {
  return sql`${raw(column)} >= ${r.start} AND ${raw(column)} < ${r.end}`;
}

/**
 * Runs a bucketed series query: per statement (see `piecesOf`), one `SELECT` per range joined by
 * `UNION ALL`, each tagged with its bucket number (a constant, so each part is an index range
 * read in index order, with no sort for the grouping). `query(bucket, within)` is one part;
 * `perBucket(rows)` maps the rows of one range to a value.
 */
async function seriesOf<T>(
  db: Db,
  ranges: readonly TDateRange[],
  query: (bucket: SqlFragment, within: (col: string) => SqlFragment) => SqlFragment,
  perBucket: (rows: Array<Record<string, unknown>>) => T,
): Promise<T[]> {
  if (ranges.length === 0) return [];
  const { unique, indexOf } = distinctRanges(ranges);
  const rowsOf: Array<Array<Record<string, unknown>>> = unique.map(() => []);
  for (const group of piecesOf(db, unique)) {
    const parts = group.map((p, i) => query(int(i), (col) => withinRange(col, p.range)));
    const rows = await run(db, joinSql(parts, ' UNION ALL '));
    for (const row of rows) {
      const piece = group[toNumber(row['bucket'])];
      if (piece) rowsOf[piece.of]?.push(row);
    }
  }
  const values = rowsOf.map(perBucket);
  return indexOf.map((i) => values[i] as T);
}

// ---------------------------------------------------------------------------------------------
// Closed deals

export interface TClosedTotals {
  readonly wonCount: number;
  readonly wonMinor: bigint;
  readonly lostCount: number;
}

function closedTotalsOf(rows: Array<Record<string, unknown>>): TClosedTotals {
  let wonCount = 0;
  let wonMinor = 0n;
  let lostCount = 0;
  for (const row of rows) {
    if (row['status'] === 'won') {
      wonCount += toNumber(row['n']);
      wonMinor += toBigInt(row['amount']);
    } else if (row['status'] === 'lost') {
      lostCount += toNumber(row['n']);
    }
  }
  return { wonCount, wonMinor, lostCount };
}

/**
 * Won and lost deals *closed* in each range (by `closedAt`), and the won amount, for several
 * periods in one query (e.g. the trailing weeks of a digest), in the order given.
 *
 * @example
 * await closedDealSeries(db, { workspaceId, ranges: [october], scope: { kind: 'workspace' } });
 * // [{ wonCount: 4, wonMinor: 7_500n, lostCount: 2 }]
 */
export async function closedDealSeries(db: Db, { workspaceId, scope, ranges }: TMetricsSeriesArgs): Promise<TClosedTotals[]> {
  return seriesOf(
    db,
    ranges,
    (bucket, within) =>
      sql`SELECT ${bucket} AS bucket, d."status" AS status, COUNT(*) AS n,
                 CAST(SUM(d."amountReportingMinor") AS BIGINT) AS amount
          FROM "Deal" d
          WHERE d."workspaceId" = ${workspaceId} AND d."status" IN ('won', 'lost')
            AND ${within('d."closedAt"')}${dealScope(scope, workspaceId)}
          GROUP BY d."status"`,
    closedTotalsOf,
  );
}

export interface TOwnerClosed extends TRepRef, TClosedTotals {}

/** Above this many reps in the scope the owner list is not written into the SQL (see closedByOwner). */
const MAX_OWNER_LIST = 20_000;

/**
 * `AND d."ownerId" IN (…)` with the list as one JSON parameter: a short statement to prepare
 * whatever the number of reps, read as a list of index seeks in owner order.
 */
function ownerIn(db: Db, ids: readonly number[]): SqlFragment {
  const list = JSON.stringify(ids);
  return db.dialect === 'sqlite'
    ? sql` AND d."ownerId" IN (SELECT value FROM json_each(${list}))`
    : sql` AND d."ownerId" IN (SELECT CAST(value AS INTEGER) FROM json_array_elements_text(CAST(${list} AS json)))`;
}

/** The reps a scope's deals belong to (workspace: all its reps; team: its current members), with their names. */
async function repsOfScope(db: Db, workspaceId: number, scope: TScope): Promise<TRepRef[]> {
  const cols = raw('r."id" AS id, r."name" AS name, r."slackUserId" AS slack_user_id, r."teamId" AS team_id');
  const where =
    scope.kind === 'workspace'
      ? sql`r."workspaceId" = ${workspaceId}`
      : scope.kind === 'team'
        ? sql`r."workspaceId" = ${workspaceId} AND r."teamId" = ${scope.teamId}`
        : sql`r."id" = ${scope.repId}`;
  const rows = await run(db, sql`SELECT ${cols} FROM "Rep" r WHERE ${where}`);
  return rows.map((row) => ({
    repId: toNumber(row['id']),
    name: String(row['name'] ?? ''),
    slackUserId: toNullableString(row['slack_user_id']),
    teamId: toNullableNumber(row['team_id']),
  }));
}

/**
 * Won/lost deals closed in the range per owner, with the rep's name and Slack id (leaderboard,
 * attainment, win rate per rep). Reps without closed deals are absent. Biggest won amount first.
 *
 * Two reads: the scope's reps (names, team membership: fresh, read once per cached view), then the deals of exactly
 * those owners (`ownerId IN (…)`, the list as one JSON parameter), one row per owner. The owner list lets SQLite seek
 * the per-owner index for each owner's closed range and group in index order (no sort of the
 * period's deals), and keeps the deal statement free of `Rep`, so through a closed-period cache
 * it is cached like the other aggregates (a range still running is read as its cached part and
 * the fresh rest, see `piecesOf`).
 */
export async function closedByOwner(db: Db, args: TMetricsQueryArgs): Promise<TOwnerClosed[]> {
  return byOwner(db, args, 'closed');
}

/**
 * Which deals a per-owner read counts: `closed` (won and lost), or `won` only (lost counts 0; an
 * owner with no won deal in the range is absent): reads only the won part of each owner's index
 * range and sums without a CASE per row.
 */
type TOwnerDeals = 'closed' | 'won';

/** Per-owner figures of the statuses `deals` names (see `closedByOwner`). */
function ownerFigures(owner: SqlFragment, deals: TOwnerDeals): SqlFragment {
  return deals === 'won'
    ? sql`${owner} AS rep_id, COUNT(*) AS won_count, CAST(SUM(d."amountReportingMinor") AS BIGINT) AS won_minor, 0 AS lost_count`
    : sql`${owner} AS rep_id,
          SUM(CASE WHEN d."status" = 'won' THEN 1 ELSE 0 END) AS won_count,
          CAST(SUM(CASE WHEN d."status" = 'won' THEN d."amountReportingMinor" ELSE 0 END) AS BIGINT) AS won_minor,
          SUM(CASE WHEN d."status" = 'lost' THEN 1 ELSE 0 END) AS lost_count`;
}

function ownerStatuses(deals: TOwnerDeals): SqlFragment {
  return deals === 'won' ? raw(`d."status" = 'won'`) : raw(`d."status" IN ('won', 'lost')`);
}

async function byOwner(db: Db, { workspaceId, range, scope }: TMetricsQueryArgs, deals: TOwnerDeals): Promise<TOwnerClosed[]> {
  const horizon = cacheHorizonOf(db);
  const split = cacheSplitOf(db);
  const nothingCached = !horizon || (range.end > horizon && (!split || range.start >= split));
  // PostgreSQL groups with a hash (no sort to avoid): when nothing can come from the cache, one
  // statement with the names joined costs the app less than reading the reps separately.
  if (db.dialect === 'postgresql' && nothingCached) return closedByOwnerJoined(db, { workspaceId, range, scope }, deals);
  const groups = piecesOf(db, [range]);
  const scopeKey = scope.kind === 'workspace' ? 'all' : scope.kind === 'team' ? `team:${scope.teamId}` : `rep:${scope.repId}`;
  const reps = await oncePerView(db, `reps|${workspaceId}|${scopeKey}`, () => repsOfScope(db, workspaceId, scope));
  const ids = scope.kind === 'rep' ? [scope.repId] : reps.map((r) => r.repId);
  if (ids.length === 0) return [];
  // A very large scope: grouped after the range seek instead (`+ 0` keeps SQLite from walking the
  // whole per-owner index to get the groups in order).
  const listed = ids.length <= MAX_OWNER_LIST;
  const owner = listed ? raw('d."ownerId"') : raw('d."ownerId" + 0');
  const owners = listed ? ownerIn(db, ids) : dealScope(scope, workspaceId);
  const totals = new Map<number, { wonCount: number; wonMinor: bigint; lostCount: number }>();
  for (const group of groups) {
    for (const piece of group) {
      const rows = await run(
        db,
        sql`SELECT ${ownerFigures(owner, deals)}
            FROM "Deal" d
            WHERE d."workspaceId" = ${workspaceId}${owners} AND ${ownerStatuses(deals)}
              AND ${withinRange('d."closedAt"', piece.range)}
            GROUP BY ${owner}`,
      );
      for (const [repId, wonCount, wonMinor, lostCount] of ownerTotalsOf(rows)) {
        const t = totals.get(repId);
        if (t) {
          t.wonCount += wonCount;
          t.wonMinor += wonMinor;
          t.lostCount += lostCount;
        } else totals.set(repId, { wonCount, wonMinor, lostCount });
      }
    }
  }
  const byId = new Map(reps.map((r) => [r.repId, r]));
  const unnamed = [...totals.keys()].filter((id) => !byId.has(id));
  if (unnamed.length > 0) for (const r of await repsByIds(db, workspaceId, unnamed)) byId.set(r.repId, r);
  const out: TOwnerClosed[] = [];
  for (const [repId, t] of totals) {
    const rep = byId.get(repId);
    if (rep) out.push({ ...rep, ...t });
  }
  return out.sort((a, b) => (a.wonMinor === b.wonMinor ? a.repId - b.repId : a.wonMinor > b.wonMinor ? -1 : 1));
}

/** Per-owner rows as numbers, converted once per row set: cached pieces come back as the same array. */
const convertedOwnerRows = new WeakMap<object, ReadonlyArray<readonly [number, number, bigint, number]>>();
function ownerTotalsOf(rows: ReadonlyArray<Record<string, unknown>>): ReadonlyArray<readonly [number, number, bigint, number]> {
  let converted = convertedOwnerRows.get(rows);
  if (!converted) {
    converted = rows.map((row) => [toNumber(row['rep_id']), toNumber(row['won_count']), toBigInt(row['won_minor']), toNumber(row['lost_count'])] as const);
    convertedOwnerRows.set(rows, converted);
  }
  return converted;
}

/** closedByOwner in one statement, names joined (PostgreSQL, a range read fresh anyway). */
async function closedByOwnerJoined(db: Db, { workspaceId, range, scope }: TMetricsQueryArgs, deals: TOwnerDeals): Promise<TOwnerClosed[]> {
  const rows = await run(
    db,
    sql`SELECT a.rep_id AS rep_id, r."name" AS name, r."slackUserId" AS slack_user_id, r."teamId" AS team_id,
               a.won_count AS won_count, a.won_minor AS won_minor, a.lost_count AS lost_count
        FROM (SELECT ${ownerFigures(raw('d."ownerId"'), deals)}
              FROM "Deal" d
              WHERE d."workspaceId" = ${workspaceId} AND ${ownerStatuses(deals)}
                AND ${withinRange('d."closedAt"', range)}${dealScope(scope, workspaceId)}
              GROUP BY d."ownerId") a
        JOIN "Rep" r ON r."id" = a.rep_id`,
  );
  return rows
    .map((row) => ({
      repId: toNumber(row['rep_id']),
      name: String(row['name'] ?? ''),
      slackUserId: toNullableString(row['slack_user_id']),
      teamId: toNullableNumber(row['team_id']),
      wonCount: toNumber(row['won_count']),
      wonMinor: toBigInt(row['won_minor']),
      lostCount: toNumber(row['lost_count']),
    }))
    .sort((a, b) => (a.wonMinor === b.wonMinor ? a.repId - b.repId : a.wonMinor > b.wonMinor ? -1 : 1));
}

export interface TTypeTotals {
  readonly count: number;
  readonly wonMinor: bigint;
}

/**
 * Won deals closed in the range by deal type (new | upsell | renewal; an unknown type counts as new).
 */
export async function wonByType(db: Db, { workspaceId, range, scope }: TMetricsQueryArgs): Promise<Record<TDealType, TTypeTotals>> {
  const rows = await run(
    db,
    sql`SELECT d."type" AS type, COUNT(*) AS n, CAST(SUM(d."amountReportingMinor") AS BIGINT) AS amount
        FROM "Deal" d
        WHERE d."workspaceId" = ${workspaceId} AND d."status" = 'won'
          AND d."closedAt" >= ${range.start} AND d."closedAt" < ${range.end}${dealScope(scope, workspaceId)}
        GROUP BY d."type"`,
  );
  const out = emptyByType(() => ({ count: 0, wonMinor: 0n }));
  for (const row of rows) {
    const t = dealType(row['type']);
    out[t] = { count: out[t].count + toNumber(row['n']), wonMinor: out[t].wonMinor + toBigInt(row['amount']) };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Refunds

export interface TRefunds {
  /** All refunds recorded in the range within the scope. */
  readonly totalMinor: bigint;
  readonly count: number;
  /** Per owner of the refunded deal (biggest first). */
  readonly byOwner: ReadonlyArray<{ readonly repId: number; readonly refundsMinor: bigint }>;
  /** Per type of the refunded deal. */
  readonly byType: Readonly<Record<TDealType, bigint>>;
  /** Refunds not linked to a deal (only ever non-zero in workspace scope). */
  readonly unassignedMinor: bigint;
}

/**
 * Refunds recorded in the range (by `recordedAt`). In team and rep scope only refunds linked to a
 * deal of the scope count; refunds without a deal count in workspace scope only (`unassignedMinor`).
 */
export async function refundsInRange(db: Db, { workspaceId, range, scope }: TMetricsQueryArgs): Promise<TRefunds> {
  const rows = await run(
    db,
    sql`SELECT d."ownerId" AS rep_id, d."type" AS type, COUNT(*) AS n, CAST(SUM(f."amountReportingMinor") AS BIGINT) AS amount
        FROM "Refund" f LEFT JOIN "Deal" d ON d."id" = f."dealId"
        WHERE f."workspaceId" = ${workspaceId} AND f."recordedAt" >= ${range.start} AND f."recordedAt" < ${range.end}${dealScope(scope, workspaceId)}
        GROUP BY d."ownerId", d."type"`,
  );
  let totalMinor = 0n;
  let count = 0;
  let unassignedMinor = 0n;
  const byOwner = new Map<number, bigint>();
  const byType = emptyByType(() => 0n);
  for (const row of rows) {
    const amount = toBigInt(row['amount']);
    totalMinor += amount;
    count += toNumber(row['n']);
    const repId = toNullableNumber(row['rep_id']);
    if (repId === null) {
      unassignedMinor += amount;
      continue;
    }
    byOwner.set(repId, (byOwner.get(repId) ?? 0n) + amount);
    const t = dealType(row['type']);
    byType[t] += amount;
  }
  return {
    totalMinor,
    count,
    byOwner: [...byOwner.entries()]
      .map(([repId, refundsMinor]) => ({ repId, refundsMinor }))
      .sort((a, b) => (a.refundsMinor === b.refundsMinor ? a.repId - b.repId : a.refundsMinor > b.refundsMinor ? -1 : 1)),
    byType,
    unassignedMinor,
  };
}

/** Total refunds recorded per period, one query, in the order given. */
export async function refundSeries(db: Db, { workspaceId, scope, ranges }: TMetricsSeriesArgs): Promise<bigint[]> {
  return seriesOf(
    db,
    ranges,
    (bucket, within) =>
      sql`SELECT ${bucket} AS bucket, CAST(SUM(f."amountReportingMinor") AS BIGINT) AS amount
          FROM "Refund" f LEFT JOIN "Deal" d ON d."id" = f."dealId"
          WHERE f."workspaceId" = ${workspaceId} AND ${within('f."recordedAt"')}${dealScope(scope, workspaceId)}`,
    (rows) => rows.reduce((s, row) => s + toBigInt(row['amount']), 0n),
  );
}

// ---------------------------------------------------------------------------------------------
// Cohort (deals that entered the funnel in the range) and bulk lead counts

export interface TCohort {
  /** Deals created (entered the funnel) in the range. */
  readonly created: number;
  /** Of those, won by now. */
  readonly won: number;
  readonly lost: number;
  readonly open: number;
}

function cohortOf(rows: Array<Record<string, unknown>>): TCohort {
  let created = 0;
  let won = 0;
  let lost = 0;
  let open = 0;
  for (const row of rows) {
    const n = toNumber(row['n']);
    created += n;
    if (row['status'] === 'won') won += n;
    else if (row['status'] === 'lost') lost += n;
    else open += n;
  }
  return { created, won, lost, open };
}

/** Deals created in each range and how many of them are won now (the conversion cohort), several periods in one query. */
export async function cohortSeries(db: Db, { workspaceId, scope, ranges }: TMetricsSeriesArgs): Promise<TCohort[]> {
  return seriesOf(
    db,
    ranges,
    (bucket, within) =>
      sql`SELECT ${bucket} AS bucket, d."status" AS status, COUNT(*) AS n
          FROM "Deal" d
          WHERE d."workspaceId" = ${workspaceId} AND ${within('d."createdAt"')}${dealScope(scope, workspaceId)}
          GROUP BY d."status"`,
    cohortOf,
  );
}

/** One owner's share of a cohort: deals they own created in the range, and how many are won now. */
export interface TOwnerCohort {
  readonly ownerId: number;
  readonly created: number;
  readonly won: number;
}

function ownerCohortsOf(rows: Array<Record<string, unknown>>): TOwnerCohort[] {
  const byOwner = new Map<number, { created: number; won: number }>();
  for (const row of rows) {
    const ownerId = toNumber(row['owner']);
    const n = toNumber(row['n']);
    const o = byOwner.get(ownerId) ?? { created: 0, won: 0 };
    o.created += n;
    if (row['status'] === 'won') o.won += n;
    byOwner.set(ownerId, o);
  }
  return [...byOwner].map(([ownerId, o]) => ({ ownerId, ...o })).sort((a, b) => a.ownerId - b.ownerId);
}

/**
 * The conversion cohort per owner (deals created in each range, and won now), several periods in
 * one query: what the lead rule (`countLeads`) needs to tell the leads a rep's or team's bulk
 * count covers from those logged one by one. Reads the created-at covering index only.
 */
export async function cohortByOwnerSeries(db: Db, { workspaceId, scope, ranges }: TMetricsSeriesArgs): Promise<TOwnerCohort[][]> {
  return seriesOf(
    db,
    ranges,
    (bucket, within) =>
      sql`SELECT ${bucket} AS bucket, d."ownerId" AS owner, d."status" AS status, COUNT(*) AS n
          FROM "Deal" d
          WHERE d."workspaceId" = ${workspaceId} AND ${within('d."createdAt"')}${dealScope(scope, workspaceId)}
          GROUP BY d."ownerId", d."status"`,
    ownerCohortsOf,
  );
}

// ---------------------------------------------------------------------------------------------
// Funnel

function funnelOf(rows: Array<Record<string, unknown>>, stageCount: number): number[] {
  const atIndex = new Array<number>(stageCount + 1).fill(0);
  for (const row of rows) {
    const i = Math.min(stageCount, Math.max(0, toNumber(row['stage_idx'])));
    atIndex[i] = (atIndex[i] ?? 0) + toNumber(row['n']);
  }
  const reached = new Array<number>(stageCount + 1).fill(0);
  let acc = 0;
  for (let k = stageCount; k >= 0; k--) {
    acc += atIndex[k] ?? 0;
    reached[k] = acc;
  }
  return reached;
}

/** Index expression: won deals at `stageCount`; open/lost deals clamped to the open stages. */
function stageIndexExpr(stageCount: number): SqlFragment {
  return sql`CASE WHEN d."status" = 'won' THEN ${int(stageCount)} WHEN d."maxStageIndex" >= ${int(stageCount)} THEN ${int(stageCount - 1)}
                  WHEN d."maxStageIndex" < 0 THEN 0 ELSE d."maxStageIndex" END`;
}

/**
 * Funnel of the deals created in each range (several periods in one query): `reached[k]` = deals whose furthest stage is k or later
 * (a skipped stage counts as passed), k = 0..stageCount-1 for the open stages and
 * `reached[stageCount]` = won. A won deal always counts as having reached every
 * stage; an open or lost deal never counts as won.
 *
 * @example
 * await funnelSeries(db, { workspaceId, ranges: [october], scope, stageCount: 4 }); // [[7, 6, 5, 4, 3]]
 */
export async function funnelSeries(
  db: Db,
  { workspaceId, scope, ranges, stageCount }: TMetricsSeriesArgs & { readonly stageCount: number },
): Promise<number[][]> {
  if (!Number.isSafeInteger(stageCount) || stageCount < 1) throw new RangeError('stageCount must be a positive integer');
  return seriesOf(
    db,
    ranges,
    (bucket, within) =>
      sql`SELECT ${bucket} AS bucket, ${stageIndexExpr(stageCount)} AS stage_idx, COUNT(*) AS n
          FROM "Deal" d
          WHERE d."workspaceId" = ${workspaceId} AND ${within('d."createdAt"')}${dealScope(scope, workspaceId)}
          GROUP BY stage_idx`,
    (rows) => funnelOf(rows, stageCount),
  );
}

// ---------------------------------------------------------------------------------------------
// MRR

export interface TMrrAt {
  readonly instant: Date;
  readonly mrrMinor: bigint;
  readonly subscriptions: number;
}

/**
 * The monthly amount (reporting currency) of subscription deal `d` at instant `t`: its latest
 * `SubscriptionChange` effective before `t`, else the deal's own `recurringReportingMinor`
 * (an index seek on (dealId, effectiveAt) per deal).
 */
function amountAt(t: Date): SqlFragment {
  return sql`COALESCE((SELECT c."monthlyReportingMinor" FROM "SubscriptionChange" c WHERE c."dealId" = d."id" AND c."effectiveAt" < ${t} ORDER BY c."effectiveAt" DESC, c."id" DESC LIMIT 1), d."recurringReportingMinor")`;
}

/** True when subscription deal `d` is active at `t`: started before it and not ended before it. */
function activeAt(t: Date): SqlFragment {
  return sql`d."subscriptionStart" < ${t} AND (d."subscriptionEnd" IS NULL OR d."subscriptionEnd" >= ${t})`;
}

/**
 * MRR at each instant: sum of the monthly amounts (see `amountAt`: changes from `/deal mrr`
 * honoured) of won deals whose subscription is active then: subscriptionStart < instant and (no
 * end, or end >= instant; `/deal churn` sets the end). Every writer sets subscriptionStart when a
 * recurring deal is won. One query for all instants; the (workspaceId, subscriptionStart) index
 * limits the scan to subscription deals.
 */
export async function mrrAtInstants(
  db: Db,
  { workspaceId, scope, instants }: { workspaceId: number; scope: TScope; instants: readonly Date[] },
): Promise<TMrrAt[]> {
  if (instants.length === 0) return [];
  const start = raw('d."subscriptionStart"');
  const cols = instants.map(
    (t, i) =>
      sql`CAST(SUM(CASE WHEN ${activeAt(t)} THEN ${amountAt(t)} ELSE 0 END) AS BIGINT) AS mrr_${int(i)},
          SUM(CASE WHEN ${activeAt(t)} THEN 1 ELSE 0 END) AS subs_${int(i)}`,
  );
  const maxT = instants.reduce((m, t) => (t > m ? t : m), instants[0] ?? new Date(0));
  const minT = instants.reduce((m, t) => (t < m ? t : m), instants[0] ?? new Date(0));
  const rows = await run(
    db,
    sql`SELECT ${joinSql(cols, ', ')}
        FROM "Deal" d
        WHERE d."workspaceId" = ${workspaceId} AND d."status" = 'won' AND d."recurringReportingMinor" IS NOT NULL
          AND ${start} < ${maxT} AND (d."subscriptionEnd" IS NULL OR d."subscriptionEnd" >= ${minT})${dealScope(scope, workspaceId)}`,
  );
  const row = rows[0] ?? {};
  return instants.map((instant, i) => ({
    instant,
    mrrMinor: toBigInt(row[`mrr_${i}`]),
    subscriptions: toNumber(row[`subs_${i}`]),
  }));
}

export interface TCustomerMrrRow {
  /** `customerKey` of the subscriptions. */
  readonly customer: string;
  readonly startMinor: bigint;
  readonly endMinor: bigint;
  /** A subscription of this customer (in the scope) started before `from`. */
  readonly subscribedBefore: boolean;
}

/**
 * Each customer's MRR at `from` and at `to` (customers with MRR at either instant), for the MRR
 * movements of a period. A second, indexed look-up (workspaceId, customerKey) tells, for customers
 * without MRR at `from` but with some at `to`, whether they had subscribed before (reactivated)
 * or not (new).
 *
 * @example
 * await customerMrrBetween(db, { workspaceId, scope, from: nov1, to: dec1 });
 * // [{ customer: 'acme', startMinor: 10_000_000n, endMinor: 0n, subscribedBefore: true }, …]
 */
export async function customerMrrBetween(
  db: Db,
  { workspaceId, scope, from, to }: { workspaceId: number; scope: TScope; from: Date; to: Date },
): Promise<TCustomerMrrRow[]> {
  const rows = await run(
    db,
    // A deal without a customer key (rows written before the column, outside every writer) is its own customer.
    sql`SELECT CASE WHEN d."customerKey" = '' THEN 'deal:' || CAST(d."id" AS TEXT) ELSE d."customerKey" END AS ck,
          CAST(SUM(CASE WHEN ${activeAt(from)} THEN ${amountAt(from)} ELSE 0 END) AS BIGINT) AS mrr_from,
          CAST(SUM(CASE WHEN ${activeAt(to)} THEN ${amountAt(to)} ELSE 0 END) AS BIGINT) AS mrr_to,
          MIN(d."subscriptionStart") AS first_start
        FROM "Deal" d
        WHERE d."workspaceId" = ${workspaceId} AND d."status" = 'won' AND d."recurringReportingMinor" IS NOT NULL
          AND d."subscriptionStart" < ${to} AND (d."subscriptionEnd" IS NULL OR d."subscriptionEnd" >= ${from})${dealScope(scope, workspaceId)}
        GROUP BY ck`,
  );
  const read = rows
    .map((r) => ({ customer: String(r.ck), startMinor: toBigInt(r.mrr_from), endMinor: toBigInt(r.mrr_to), firstStart: r.first_start === null || r.first_start === undefined ? null : toDate(r.first_start) }))
    .filter((r) => r.startMinor !== 0n || r.endMinor !== 0n);
  // Arrivals whose subscriptions in the range all started after `from`: did an older one end before it?
  const arrivals = read.filter((r) => r.startMinor === 0n && r.endMinor > 0n && !(r.firstStart && r.firstStart < from)).map((r) => r.customer);
  const before = new Set<string>();
  for (let i = 0; i < arrivals.length; i += 500) {
    const chunk = arrivals.slice(i, i + 500);
    const seen = await run(
      db,
      sql`SELECT DISTINCT d."customerKey" AS ck FROM "Deal" d
          WHERE d."workspaceId" = ${workspaceId} AND d."customerKey" IN (${joinSql(chunk.map((k) => sql`${k}`), ', ')})
            AND d."status" = 'won' AND d."recurringReportingMinor" IS NOT NULL AND d."subscriptionStart" < ${from}${dealScope(scope, workspaceId)}`,
    );
    for (const s of seen) before.add(String(s.ck));
  }
  return read.map((r) => ({ customer: r.customer, startMinor: r.startMinor, endMinor: r.endMinor, subscribedBefore: r.startMinor > 0n || (r.firstStart !== null && r.firstStart < from) || before.has(r.customer) }));
}

// ---------------------------------------------------------------------------------------------
// Deal size, open deals, discounts

export interface TRepAverage extends TRepRef {
  readonly wonCount: number;
  readonly wonMinor: bigint;
}

/**
 * Won deals per rep over a lookback range (e.g. the last 12 months), for average deal size per
 * rep and the oversized-deal baseline, plus the scope total. Averages are left to
 * `computeAverageDealSize`.
 */
export async function wonByRepOverLookback(
  db: Db,
  args: TMetricsQueryArgs,
): Promise<{ reps: TRepAverage[]; total: { wonCount: number; wonMinor: bigint } }> {
  // Lost deals play no part in an average deal size: only the won ones are read.
  const rows = await byOwner(db, args, 'won');
  const reps = rows
    .filter((r) => r.wonCount > 0)
    .map(({ repId, name, slackUserId, teamId, wonCount, wonMinor }) => ({ repId, name, slackUserId, teamId, wonCount, wonMinor }));
  return {
    reps,
    total: {
      wonCount: reps.reduce((s, r) => s + r.wonCount, 0),
      wonMinor: reps.reduce((s, r) => s + r.wonMinor, 0n),
    },
  };
}


/**
 * Open deals of the scope, biggest first (ties: oldest id first), at most `limit` (default 50),
 * optionally only those of at least `minAmountMinor`. Bounded by the open pipeline, not history.
 *
 * `openAt` (an instant in the past, e.g. the end of last month) lists the deals that were open
 * *then* instead of today's: created before it and not closed by it (still open, or won or lost at
 * or after it), each with its stage at that instant (its last recorded stage move before it; the
 * current stage of a still-open deal without one, `open` for a closed one). Amounts are the
 * deals' current ones.
 *
 * @example
 * await openDeals(db, { workspaceId, scope: { kind: 'workspace' }, openAt: new Date('2026-11-01T00:00:00Z') });
 */
export async function openDeals(
  db: Db,
  {
    workspaceId,
    scope,
    limit = 50,
    minAmountMinor = null,
    openAt = null,
  }: { workspaceId: number; scope: TScope; limit?: number; minAmountMinor?: bigint | null; openAt?: Date | null },
): Promise<TOpenDeal[]> {
  const minFilter = minAmountMinor === null ? raw('') : sql` AND d."amountReportingMinor" >= ${minAmountMinor}`;
  const cap = int(Math.max(0, Math.floor(limit)));
  const rows = await run(
    db,
    openAt === null
      ? sql`SELECT d."id" AS deal_id, d."ownerId" AS owner_id, r."name" AS owner_name, r."slackUserId" AS owner_slack_user_id,
               r."teamId" AS owner_team_id, d."customer" AS customer, d."amountReportingMinor" AS amount, d."stage" AS stage,
               d."maxStageIndex" AS max_stage_index, d."createdAt" AS created_at
        FROM "Deal" d JOIN "Rep" r ON r."id" = d."ownerId"
        WHERE d."workspaceId" = ${workspaceId} AND d."status" = 'open'${minFilter}${dealScope(scope, workspaceId)}
        ORDER BY d."amountReportingMinor" DESC, d."id" ASC
        LIMIT ${cap}`
      : // The stage lookup runs on the (at most `limit`) deals picked, through the dealId index.
        sql`SELECT o.deal_id, o.owner_id, o.owner_name, o.owner_slack_user_id, o.owner_team_id, o.customer, o.amount,
               COALESCE((SELECT c."toStage" FROM "DealStageChange" c
                         WHERE c."dealId" = o.deal_id AND c."changedAt" < ${openAt} AND c."toStage" NOT IN ('won', 'lost')
                         ORDER BY c."changedAt" DESC, c."id" DESC LIMIT 1),
                        CASE WHEN o.status = 'open' THEN o.stage ELSE 'open' END) AS stage,
               o.max_stage_index, o.created_at
        FROM (SELECT d."id" AS deal_id, d."ownerId" AS owner_id, r."name" AS owner_name, r."slackUserId" AS owner_slack_user_id,
                     r."teamId" AS owner_team_id, d."customer" AS customer, d."amountReportingMinor" AS amount, d."stage" AS stage,
                     d."status" AS status, d."maxStageIndex" AS max_stage_index, d."createdAt" AS created_at
              FROM "Deal" d JOIN "Rep" r ON r."id" = d."ownerId"
              WHERE d."workspaceId" = ${workspaceId} AND d."createdAt" < ${openAt}
                AND (d."status" = 'open' OR (d."status" IN ('won', 'lost') AND d."closedAt" >= ${openAt}))${minFilter}${dealScope(scope, workspaceId)}
              ORDER BY d."amountReportingMinor" DESC, d."id" ASC
              LIMIT ${cap}) o
        ORDER BY o.amount DESC, o.deal_id ASC`,
  );
  return rows.map((row) => ({
    dealId: toNumber(row['deal_id']),
    ownerId: toNumber(row['owner_id']),
    ownerName: String(row['owner_name'] ?? ''),
    ownerSlackUserId: toNullableString(row['owner_slack_user_id']),
    ownerTeamId: toNullableNumber(row['owner_team_id']),
    customer: String(row['customer'] ?? ''),
    amountMinor: toBigInt(row['amount']),
    stage: String(row['stage'] ?? ''),
    maxStageIndex: toNumber(row['max_stage_index']),
    createdAt: toDate(row['created_at']),
  }));
}

export interface TRepDiscount {
  readonly repId: number;
  /** Won deals closed in the range. */
  readonly wonCount: number;
  /** Of those, deals with a discount recorded (0 counts as recorded). */
  readonly discountedDeals: number;
  readonly discountMinor: bigint;
  /** Won amount of the deals with a discount recorded. */
  readonly discountedWonMinor: bigint;
}

/** Discounts of won deals closed in the range, per rep (feed `computeAverageDiscount`). */
export async function discountByRep(db: Db, { workspaceId, range, scope }: TMetricsQueryArgs): Promise<TRepDiscount[]> {
  const rows = await run(
    db,
    sql`SELECT d."ownerId" + 0 AS rep_id, COUNT(*) AS won_count, COUNT(d."discountReportingMinor") AS discounted,
               CAST(SUM(COALESCE(d."discountReportingMinor", 0)) AS BIGINT) AS discount,
               CAST(SUM(CASE WHEN d."discountReportingMinor" IS NULL THEN 0 ELSE d."amountReportingMinor" END) AS BIGINT) AS discounted_won
        FROM "Deal" d
        WHERE d."workspaceId" = ${workspaceId} AND d."status" = 'won'
          AND d."closedAt" >= ${range.start} AND d."closedAt" < ${range.end}${dealScope(scope, workspaceId)}
        GROUP BY d."ownerId" + 0
        ORDER BY d."ownerId" + 0`,
  );
  return rows.map((row) => ({
    repId: toNumber(row['rep_id']),
    wonCount: toNumber(row['won_count']),
    discountedDeals: toNumber(row['discounted']),
    discountMinor: toBigInt(row['discount']),
    discountedWonMinor: toBigInt(row['discounted_won']),
  }));
}

// ---------------------------------------------------------------------------------------------
// Quotas

/** Longest quota period looked back for (a year plus slack), to keep the index range bounded. */
export const MAX_QUOTA_SPAN_MS = 400 * 24 * 3600 * 1000;

/** One quota row overlapping a range: a rep's (`repId` set) or a team-level one (`teamId` only). */
export interface TQuotaRowOfOwner {
  readonly repId: number | null;
  readonly teamId: number | null;
  readonly periodKind: string;
  readonly periodStart: Date;
  readonly periodEnd: Date;
  readonly amountMinor: bigint;
}

/**
 * Quota rows of the scope overlapping the range, as stored (the domain allocates them to the range:
 * `quotasInRange` in domain/metrics/allocated-figures.ts). Quotas can be at most
 * `MAX_QUOTA_SPAN_MS` long (month, quarter, year), which bounds the index range.
 */
export async function quotaRows(db: Db, { workspaceId, range, scope }: TMetricsQueryArgs): Promise<TQuotaRowOfOwner[]> {
  // One statement on the driver (a digest asks for about ten ranges; through Prisma each cost
  // more CPU than its SQL).
  const owner =
    scope.kind === 'workspace'
      ? raw('')
      : scope.kind === 'rep'
        ? sql` AND q."repId" = ${scope.repId}`
        : sql` AND ((q."teamId" = ${scope.teamId} AND q."repId" IS NULL) OR q."repId" IN (SELECT r."id" FROM "Rep" r WHERE r."workspaceId" = ${workspaceId} AND r."teamId" = ${scope.teamId}))`;
  const rows = await run(
    db,
    sql`SELECT q."repId" AS rep_id, q."teamId" AS team_id, q."periodKind" AS period_kind, q."periodStart" AS period_start,
               q."periodEnd" AS period_end, q."amountMinor" AS amount_minor
        FROM "Quota" q
        WHERE q."workspaceId" = ${workspaceId} AND q."periodStart" < ${range.end} AND q."periodStart" > ${new Date(range.start.getTime() - MAX_QUOTA_SPAN_MS)}
          AND q."periodEnd" > ${range.start}${owner}
        ORDER BY q."id"`,
  );
  return rows.map((r) => ({
    repId: toNullableNumber(r['rep_id']),
    teamId: toNullableNumber(r['team_id']),
    periodKind: String(r['period_kind']),
    periodStart: toDate(r['period_start']),
    periodEnd: toDate(r['period_end']),
    amountMinor: toBigInt(r['amount_minor']),
  }));
}

/** Reps by id (names for reps that have a quota but no closed deals). */
export async function repsByIds(db: Db, workspaceId: number, ids: readonly number[]): Promise<TRepRef[]> {
  if (ids.length === 0) return [];
  const rows = await db.prisma.rep.findMany({
    where: { workspaceId, id: { in: [...ids] } },
    select: { id: true, name: true, slackUserId: true, teamId: true },
  });
  return rows.map((r) => ({ repId: r.id, name: r.name, slackUserId: r.slackUserId, teamId: r.teamId }));
}

export { DEAL_TYPES };
