import { toBigInt, toNumber } from '../db.js';
import type { SqlRunner } from '../bulk-insert.js';

/**
 * Imported subscription changes (`SubscriptionChange.externalId` = `<deal external id>#mrr:<ISO instant>`)
 * and subscription ends, written inside an import's transaction through its SQL runner.
 */

const CHUNK = 500;

function toDate(v: unknown): Date {
  if (v instanceof Date) return v;
  if (typeof v === 'bigint' || typeof v === 'number') return new Date(Number(v));
  return /^\d+$/.test(String(v)) ? new Date(Number(v)) : new Date(String(v));
}

export interface TImportedMrrChange {
  readonly id: number;
  readonly dealId: number;
  readonly externalId: string;
  readonly effectiveAt: Date;
  readonly monthlyMinor: bigint;
  readonly currency: string;
  readonly monthlyReportingMinor: bigint;
}

/** The external id of an imported change. */
export function importedChangeId(dealExternalId: string, effectiveAt: Date): string {
  return `${dealExternalId}#mrr:${effectiveAt.toISOString()}`;
}

/** Imported changes (with an external id) of these deals. */
export async function importedMrrChanges(run: SqlRunner, dealIds: readonly number[]): Promise<TImportedMrrChange[]> {
  const out: TImportedMrrChange[] = [];
  for (let i = 0; i < dealIds.length; i += CHUNK) {
    const chunk = dealIds.slice(i, i + CHUNK);
    const rows = await run.query(
      `SELECT "id", "dealId", "externalId", "effectiveAt", "monthlyMinor", "currency", "monthlyReportingMinor" FROM "SubscriptionChange"
        WHERE "externalId" IS NOT NULL AND "dealId" IN (${chunk.map(() => '?').join(', ')})`,
      chunk,
    );
    for (const r of rows) {
      out.push({
        id: toNumber(r['id']),
        dealId: toNumber(r['dealId']),
        externalId: String(r['externalId']),
        effectiveAt: toDate(r['effectiveAt']),
        monthlyMinor: toBigInt(r['monthlyMinor']),
        currency: String(r['currency']),
        monthlyReportingMinor: toBigInt(r['monthlyReportingMinor']),
      });
    }
  }
  return out;
}

/** Deal ids by external id (deals just inserted by the import). */
export async function dealIdsByExternalId(run: SqlRunner, workspaceId: number, externalIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < externalIds.length; i += CHUNK) {
    const chunk = externalIds.slice(i, i + CHUNK);
    const rows = await run.query(`SELECT "id", "externalId" FROM "Deal" WHERE "workspaceId" = ? AND "externalId" IN (${chunk.map(() => '?').join(', ')})`, [workspaceId, ...chunk]);
    for (const r of rows) out.set(String(r['externalId']), toNumber(r['id']));
  }
  return out;
}

export interface TMrrChangeWrite {
  readonly dealId: number;
  readonly externalId: string;
  readonly effectiveAt: Date;
  readonly monthlyMinor: bigint;
  readonly currency: string;
  readonly monthlyReportingMinor: bigint;
}

/** Applies a computed difference: inserts, amount updates (by id) and deletes (by id). */
export async function writeImportedMrrChanges(
  run: SqlRunner,
  workspaceId: number,
  diff: { inserts: readonly TMrrChangeWrite[]; updates: ReadonlyArray<TMrrChangeWrite & { id: number }>; deletes: readonly number[] },
  now: Date,
): Promise<void> {
  for (const c of diff.inserts) {
    await run.execute(
      `INSERT INTO "SubscriptionChange" ("workspaceId", "dealId", "effectiveAt", "monthlyMinor", "currency", "monthlyReportingMinor", "externalId", "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [workspaceId, c.dealId, c.effectiveAt, c.monthlyMinor, c.currency, c.monthlyReportingMinor, c.externalId, now],
    );
  }
  for (const c of diff.updates) {
    await run.execute(`UPDATE "SubscriptionChange" SET "monthlyMinor" = ?, "currency" = ?, "monthlyReportingMinor" = ?, "dealId" = ? WHERE "id" = ?`, [c.monthlyMinor, c.currency, c.monthlyReportingMinor, c.dealId, c.id]);
  }
  for (let i = 0; i < diff.deletes.length; i += CHUNK) {
    const chunk = diff.deletes.slice(i, i + CHUNK);
    await run.execute(`DELETE FROM "SubscriptionChange" WHERE "id" IN (${chunk.map(() => '?').join(', ')})`, chunk);
  }
}

/** Sets the subscription end of deals (by id). */
export async function setSubscriptionEnds(run: SqlRunner, ends: ReadonlyArray<{ dealId: number; end: Date }>, now: Date): Promise<void> {
  for (const e of ends) await run.execute(`UPDATE "Deal" SET "subscriptionEnd" = ?, "updatedAt" = ? WHERE "id" = ?`, [e.end, now, e.dealId]);
}
