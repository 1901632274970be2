import type { TRepRef } from '../metrics/scope.js';

/** A rep's net won revenue in two consecutive periods. */
export interface TMover {
  readonly rep: TRepRef;
  readonly netWonMinor: bigint;
  readonly previousNetWonMinor: bigint;
  /** net won − previous net won. */
  readonly deltaMinor: bigint;
}

export interface TTopMovers {
  /** Biggest increases first (delta > 0). */
  readonly up: readonly TMover[];
  /** Biggest decreases first (delta < 0). */
  readonly down: readonly TMover[];
}

/**
 * Top movers: the reps with the biggest change in net won revenue vs the period before, `limit`
 * up and `limit` down. Reps present in only one period count 0 in the other; unchanged reps are
 * not movers. Ties: by name, then rep id.
 *
 * @example
 * computeTopMovers({
 *   current: [{ rep: ana, netWonMinor: 500n }, { rep: bob, netWonMinor: 100n }],
 *   previous: [{ rep: bob, netWonMinor: 400n }],
 *   limit: 3,
 * });
 * // { up: [{ rep: ana, deltaMinor: 500n, … }], down: [{ rep: bob, deltaMinor: -300n, … }] }
 */
export function computeTopMovers({
  current,
  previous,
  limit = 3,
}: {
  current: ReadonlyArray<{ readonly rep: TRepRef; readonly netWonMinor: bigint }>;
  previous: ReadonlyArray<{ readonly rep: TRepRef; readonly netWonMinor: bigint }>;
  limit?: number;
}): TTopMovers {
  const byRep = new Map<number, { rep: TRepRef; now: bigint; before: bigint }>();
  for (const r of previous) byRep.set(r.rep.repId, { rep: r.rep, now: 0n, before: r.netWonMinor });
  for (const r of current) {
    const e = byRep.get(r.rep.repId);
    byRep.set(r.rep.repId, { rep: r.rep, now: r.netWonMinor, before: e?.before ?? 0n });
  }
  const movers: TMover[] = [...byRep.values()]
    .map((e) => ({ rep: e.rep, netWonMinor: e.now, previousNetWonMinor: e.before, deltaMinor: e.now - e.before }))
    .filter((m) => m.deltaMinor !== 0n);
  const byName = (a: TMover, b: TMover) => a.rep.name.localeCompare(b.rep.name) || a.rep.repId - b.rep.repId;
  const up = movers.filter((m) => m.deltaMinor > 0n).sort((a, b) => (a.deltaMinor === b.deltaMinor ? byName(a, b) : a.deltaMinor > b.deltaMinor ? -1 : 1));
  const down = movers.filter((m) => m.deltaMinor < 0n).sort((a, b) => (a.deltaMinor === b.deltaMinor ? byName(a, b) : a.deltaMinor < b.deltaMinor ? -1 : 1));
  return { up: up.slice(0, Math.max(0, limit)), down: down.slice(0, Math.max(0, limit)) };
}
