import { insertRows, type SqlRunner } from '../bulk-insert.js';
import { toBigInt, toNumber } from '../db.js';

// The CSV import's refund rows (domain/imports/import-refunds.ts): the deals they refer to, the
// refunds stored under their external ids, and the bulk writes. Raw SQL with `?` placeholders on
// both engines, inside the import's transaction.

const IN_CHUNK = 500;

export interface TRefundDealRef {
  readonly id: number;
  readonly externalId: string | null;
  readonly customerKey: string;
  readonly status: string;
}

export interface TStoredImportRefund {
  readonly id: number;
  readonly externalId: string;
  readonly dealId: number | null;
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly amountReportingMinor: bigint;
  readonly reason: string | null;
  readonly recordedAt: Date;
}

export interface TImportRefundRow {
  readonly dealId: number;
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly amountReportingMinor: bigint;
  readonly reason: string | null;
  readonly recordedAt: Date;
  readonly externalId: string;
}

function toDate(v: unknown): Date {
  if (v instanceof Date) return v;
  if (typeof v === 'bigint' || typeof v === 'number') return new Date(Number(v));
  return /^\d+$/.test(String(v)) ? new Date(Number(v)) : new Date(String(v));
}

async function inChunks<T>(values: readonly string[], read: (chunk: readonly string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  const unique = [...new Set(values)];
  for (let i = 0; i < unique.length; i += IN_CHUNK) out.push(...(await read(unique.slice(i, i + IN_CHUNK))));
  return out;
}

const dealRef = (r: Record<string, unknown>): TRefundDealRef => ({
  id: toNumber(r['id']),
  externalId: r['externalId'] === null || r['externalId'] === undefined ? null : String(r['externalId']),
  customerKey: String(r['customerKey']),
  status: String(r['status']),
});

/** Stored deals of the workspace by external id. */
export async function dealsByExternalIds(run: SqlRunner, workspaceId: number, externalIds: readonly string[]): Promise<TRefundDealRef[]> {
  return inChunks(externalIds, async (chunk) =>
    (await run.query(`SELECT "id", "externalId", "customerKey", "status" FROM "Deal" WHERE "workspaceId" = ? AND "externalId" IN (${chunk.map(() => '?').join(', ')})`, [workspaceId, ...chunk])).map(dealRef),
  );
}

/** Stored won deals of the workspace whose customer key is one of `keys`. */
export async function wonDealsByCustomerKeys(run: SqlRunner, workspaceId: number, keys: readonly string[]): Promise<TRefundDealRef[]> {
  return inChunks(keys, async (chunk) =>
    (
      await run.query(`SELECT "id", "externalId", "customerKey", "status" FROM "Deal" WHERE "workspaceId" = ? AND "status" = 'won' AND "customerKey" IN (${chunk.map(() => '?').join(', ')})`, [
        workspaceId,
        ...chunk,
      ])
    ).map(dealRef),
  );
}

/** Refunds stored under these external ids. */
export async function refundsByExternalIds(run: SqlRunner, workspaceId: number, externalIds: readonly string[]): Promise<TStoredImportRefund[]> {
  return inChunks(externalIds, async (chunk) =>
    (
      await run.query(
        `SELECT "id", "externalId", "dealId", "amountMinor", "currency", "amountReportingMinor", "reason", "recordedAt" FROM "Refund" WHERE "workspaceId" = ? AND "externalId" IN (${chunk.map(() => '?').join(', ')})`,
        [workspaceId, ...chunk],
      )
    ).map((r) => ({
      id: toNumber(r['id']),
      externalId: String(r['externalId']),
      dealId: r['dealId'] === null || r['dealId'] === undefined ? null : toNumber(r['dealId']),
      amountMinor: toBigInt(r['amountMinor']),
      currency: String(r['currency']),
      amountReportingMinor: toBigInt(r['amountReportingMinor']),
      reason: r['reason'] === null || r['reason'] === undefined ? null : String(r['reason']),
      recordedAt: toDate(r['recordedAt']),
    })),
  );
}

/** The workspace's conversion rates. */
export async function ratesOf(run: SqlRunner, workspaceId: number): Promise<Map<string, number>> {
  const rows = await run.query(`SELECT "fromCurrency", "rate" FROM "CurrencyRate" WHERE "workspaceId" = ?`, [workspaceId]);
  return new Map(rows.map((r) => [String(r['fromCurrency']), Number(r['rate'])]));
}

/** New imported refunds, in multi-row INSERTs. */
export async function insertImportedRefunds(run: SqlRunner, workspaceId: number, rows: readonly TImportRefundRow[]): Promise<void> {
  await insertRows(run, 'Refund', ['workspaceId', 'dealId', 'amountMinor', 'currency', 'amountReportingMinor', 'reason', 'recordedAt', 'createdById', 'source', 'externalId'], rows, (r) => [
    workspaceId,
    r.dealId,
    r.amountMinor,
    r.currency,
    r.amountReportingMinor,
    r.reason,
    r.recordedAt,
    null,
    'import',
    r.externalId,
  ]);
}

/** Imported refunds whose data changed, updated in place (one statement each: re-imports change few). */
export async function updateImportedRefunds(run: SqlRunner, rows: ReadonlyArray<TImportRefundRow & { id: number }>): Promise<void> {
  for (const r of rows) {
    await run.execute(`UPDATE "Refund" SET "dealId" = ?, "amountMinor" = ?, "currency" = ?, "amountReportingMinor" = ?, "reason" = ?, "recordedAt" = ? WHERE "id" = ?`, [
      r.dealId,
      r.amountMinor,
      r.currency,
      r.amountReportingMinor,
      r.reason,
      r.recordedAt,
      r.id,
    ]);
  }
}
