import type { LeadCount } from '../models.js';
import { WRITE_TX, type Db, type Tx } from '../db.js';
import { bumpIfTouchesHistory } from './history-version.js';
import { hullOf, type TDateRange, type TScope } from '../../shared/metric-scope.js';

/**
 * Bulk lead counts (`LeadCount`): the reads the conversion rule needs and the writes of
 * `/kpi leads` and the lead-count CSV import. One row per `scopeKey` (period, scope, source), so a
 * count is replaced, never added to.
 */

/** A stored count as the conversion rule reads it (see `TBulkLeadRow` in domain/leads/count-leads.ts). */
export interface TLeadCountEntry {
  readonly periodStart: Date;
  readonly periodEnd: Date;
  readonly count: number;
  readonly repId: number | null;
  readonly teamId: number | null;
  /** The rep's current team, for rep-level rows. */
  readonly repTeamId: number | null;
  readonly source: string | null;
}


/**
 * Counts overlapping the hull of the ranges that belong to the scope: all of them for the
 * workspace; a team's own rows and its reps' rows (by the reps' current team) for a team; the
 * rep's rows for a rep. One indexed query (`LeadCount_workspaceId_periodStart_idx`).
 */
export async function leadCountEntries(db: Db, { workspaceId, scope, ranges }: { workspaceId: number; scope: TScope; ranges: readonly TDateRange[] }): Promise<TLeadCountEntry[]> {
  if (ranges.length === 0) return [];
  const h = hullOf(ranges);
  const base = { workspaceId, periodStart: { lt: h.end }, periodEnd: { gt: h.start } };
  const where =
    scope.kind === 'workspace'
      ? base
      : scope.kind === 'rep'
        ? { ...base, repId: scope.repId }
        : { ...base, OR: [{ teamId: scope.teamId, repId: null }, { rep: { is: { teamId: scope.teamId } } }] };
  const rows = await db.prisma.leadCount.findMany({
    where,
    select: { periodStart: true, periodEnd: true, count: true, repId: true, teamId: true, source: true, rep: { select: { teamId: true } } },
  });
  return rows.map((r) => ({ periodStart: r.periodStart, periodEnd: r.periodEnd, count: r.count, repId: r.repId, teamId: r.teamId, repTeamId: r.rep?.teamId ?? null, source: r.source }));
}

/** What one count is: who it is for, the period and the source (lower-cased, or null for all). */
export interface TLeadCountTarget {
  readonly workspaceId: number;
  readonly scopeKey: string;
  readonly repId: number | null;
  readonly teamId: number | null;
  readonly periodStart: Date;
  readonly periodEnd: Date;
  readonly source: string | null;
}

export interface TLeadCountWrite {
  /** The row now stored (null after a clear). */
  readonly row: LeadCount | null;
  /** The row it replaced or removed (null: there was none). */
  readonly previous: LeadCount | null;
  /** False when nothing had to change (same count already stored, or nothing to clear). */
  readonly changed: boolean;
}

function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: string } | undefined)?.code === 'P2002';
}

/**
 * Stores `count` for the target, replacing the count stored under the same key, in one
 * transaction with `audit` (called with the transaction, the old and the new row: the audit entry
 * carries the delivery's request key, so a repeat fails there and writes nothing) and a history
 * version bump when the period starts before the history horizon (the closed-period cache then
 * reads the new count). The same count again writes nothing. Two first writes of one key at once:
 * the loser of the unique key retries as a replacement.
 */
export async function replaceLeadCount(
  db: Db,
  opts: { target: TLeadCountTarget; count: number; setById: number | null; now: Date; audit: (tx: Tx, previous: LeadCount | null, row: LeadCount) => Promise<unknown> },
): Promise<TLeadCountWrite> {
  const { target, now } = opts;
  const attempt = () =>
    db.prisma.$transaction(async (tx: Tx): Promise<TLeadCountWrite> => {
      const previous = await tx.leadCount.findUnique({ where: { workspaceId_scopeKey: { workspaceId: target.workspaceId, scopeKey: target.scopeKey } } });
      if (previous && previous.count === opts.count) return { row: previous, previous, changed: false };
      const row = previous
        ? await tx.leadCount.update({ where: { id: previous.id }, data: { count: opts.count, updatedAt: now, setById: opts.setById } })
        : await tx.leadCount.create({
            data: {
              workspaceId: target.workspaceId,
              scopeKey: target.scopeKey,
              repId: target.repId,
              teamId: target.teamId,
              periodStart: target.periodStart,
              periodEnd: target.periodEnd,
              source: target.source,
              count: opts.count,
              createdAt: now,
              updatedAt: now,
              setById: opts.setById,
            },
          });
      await opts.audit(tx, previous, row);
      await bumpIfTouchesHistory(tx, target.workspaceId, [target.periodStart], now);
      return { row, previous, changed: true };
    }, WRITE_TX);
  try {
    return await attempt();
  } catch (e) {
    // A concurrent first write of the same key (another delivery) won: replace it instead. A
    // repeat of the same delivery fails again, on its audit key, and is reported by the caller.
    if (isUniqueViolation(e)) return attempt();
    throw e;
  }
}

/**
 * Removes the count stored under the key (with `audit` and the history bump, in one transaction).
 * Nothing stored: nothing changes.
 */
export async function removeLeadCount(
  db: Db,
  opts: { workspaceId: number; scopeKey: string; now: Date; audit: (tx: Tx, previous: LeadCount) => Promise<unknown> },
): Promise<TLeadCountWrite> {
  return db.prisma.$transaction(async (tx: Tx): Promise<TLeadCountWrite> => {
    const previous = await tx.leadCount.findUnique({ where: { workspaceId_scopeKey: { workspaceId: opts.workspaceId, scopeKey: opts.scopeKey } } });
    if (!previous) return { row: null, previous: null, changed: false };
    await tx.leadCount.delete({ where: { id: previous.id } });
    await opts.audit(tx, previous);
    await bumpIfTouchesHistory(tx, opts.workspaceId, [previous.periodStart], opts.now);
    return { row: null, previous, changed: true };
  }, WRITE_TX);
}

/** The count stored under a key, or null. */
export async function leadCountByKey(db: Db, workspaceId: number, scopeKey: string): Promise<LeadCount | null> {
  return db.prisma.leadCount.findUnique({ where: { workspaceId_scopeKey: { workspaceId, scopeKey } } });
}

export interface TLeadCountImportResult {
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
}

/**
 * Writes imported counts in one transaction: a key already stored with the same count is left
 * alone, a different count replaces it, a new key is inserted; so importing the same file twice
 * changes nothing. Bumps the history version once when any period starts before the horizon.
 * `dryRun`: counts what would happen and writes nothing.
 */
export async function importLeadCountRows(db: Db, opts: { targets: ReadonlyArray<{ target: TLeadCountTarget; count: number }>; now: Date; dryRun?: boolean }): Promise<TLeadCountImportResult> {
  const { now } = opts;
  if (opts.targets.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  return db.prisma.$transaction(async (tx: Tx): Promise<TLeadCountImportResult> => {
    const workspaceId = opts.targets[0]!.target.workspaceId;
    const keys = opts.targets.map((t) => t.target.scopeKey);
    const existing = new Map<string, LeadCount>();
    for (let i = 0; i < keys.length; i += 500) {
      const rows = await tx.leadCount.findMany({ where: { workspaceId, scopeKey: { in: keys.slice(i, i + 500) } } });
      for (const r of rows) if (r.scopeKey !== null) existing.set(r.scopeKey, r);
    }
    let inserted = 0;
    let updated = 0;
    let unchanged = 0;
    const touched: Date[] = [];
    for (const { target, count } of opts.targets) {
      const old = existing.get(target.scopeKey);
      if (old && old.count === count) {
        unchanged++;
        continue;
      }
      if (opts.dryRun) {
        if (old) updated++;
        else inserted++;
        continue;
      }
      if (old) {
        await tx.leadCount.update({ where: { id: old.id }, data: { count, updatedAt: now, setById: null } });
        updated++;
      } else {
        const row = await tx.leadCount.create({
          data: { workspaceId, scopeKey: target.scopeKey, repId: target.repId, teamId: target.teamId, periodStart: target.periodStart, periodEnd: target.periodEnd, source: target.source, count, createdAt: now, updatedAt: now },
        });
        existing.set(target.scopeKey, row);
        inserted++;
      }
      touched.push(target.periodStart);
    }
    await bumpIfTouchesHistory(tx, workspaceId, touched, now);
    return { inserted, updated, unchanged };
  }, { maxWait: 10_000, timeout: 120_000 });
}

/** Every rep of the workspace with what a lead-count file may name them by. */
export async function repsByNameOrSlackId(db: Db, workspaceId: number): Promise<Array<{ id: number; name: string; slackUserId: string | null; importKey: string | null }>> {
  return db.prisma.rep.findMany({ where: { workspaceId }, select: { id: true, name: true, slackUserId: true, importKey: true }, orderBy: { id: 'asc' } });
}
