import { insertDealsBatch, insertRows, updateDealsBatch, type SqlRunner, type TDealRow } from '../bulk-insert.js';
import { toBigInt, toNumber } from '../db.js';

// The writes of one page of a CRM sync, all inside the page's transaction (src/domain/crm/sync-crm.ts):
// deals by external id, Slack-logged candidates for adoption, the batch insert/update, stage
// history, removals and merges.

const CHUNK = 500;

function toDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  if (typeof v === 'bigint' || typeof v === 'number') return new Date(Number(v));
  if (typeof v === 'string') return /^\d+$/.test(v) ? new Date(Number(v)) : new Date(v);
  throw new TypeError(`not a date value: ${String(v)}`);
}

async function inChunks<T, R>(items: readonly T[], read: (chunk: readonly T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(...(await read(items.slice(i, i + CHUNK))));
  return out;
}

const marks = (n: number): string => new Array<string>(n).fill('?').join(', ');

/** A stored deal as the sync compares and replaces it. */
export interface TStoredSyncDeal {
  id: number;
  externalId: string | null;
  source: string;
  ownerId: number;
  customer: string;
  customerKey: string;
  amountMinor: bigint;
  currency: string;
  amountReportingMinor: bigint;
  type: string;
  status: string;
  stage: string;
  maxStageIndex: number;
  lostReason: string | null;
  recurringMonthlyMinor: bigint | null;
  recurringReportingMinor: bigint | null;
  createdAt: Date;
  closedAt: Date | null;
  subscriptionStart: Date | null;
}

const SYNC_DEAL_COLUMNS = `"id", "externalId", "source", "ownerId", "customer", "customerKey", "amountMinor", "currency", "amountReportingMinor", "type", "status", "stage", "maxStageIndex",
  "lostReason", "recurringMonthlyMinor", "recurringReportingMinor", "createdAt", "closedAt", "subscriptionStart"`;

const bigOrNull = (v: unknown): bigint | null => (v === null || v === undefined ? null : toBigInt(v));

function storedDeal(r: Record<string, unknown>): TStoredSyncDeal {
  return {
    id: toNumber(r['id']),
    externalId: r['externalId'] === null || r['externalId'] === undefined ? null : String(r['externalId']),
    source: String(r['source']),
    ownerId: toNumber(r['ownerId']),
    customer: String(r['customer']),
    customerKey: String(r['customerKey']),
    amountMinor: toBigInt(r['amountMinor']),
    currency: String(r['currency']),
    amountReportingMinor: toBigInt(r['amountReportingMinor']),
    type: String(r['type']),
    status: String(r['status']),
    stage: String(r['stage']),
    maxStageIndex: toNumber(r['maxStageIndex']),
    lostReason: r['lostReason'] === null || r['lostReason'] === undefined ? null : String(r['lostReason']),
    recurringMonthlyMinor: bigOrNull(r['recurringMonthlyMinor']),
    recurringReportingMinor: bigOrNull(r['recurringReportingMinor']),
    createdAt: toDate(r['createdAt']) ?? new Date(0),
    closedAt: toDate(r['closedAt']),
    subscriptionStart: toDate(r['subscriptionStart']),
  };
}

/** The workspace's deals with these external ids, whatever their source. */
export async function dealsByExternalIdsForSync(run: SqlRunner, workspaceId: number, externalIds: readonly string[]): Promise<TStoredSyncDeal[]> {
  return inChunks(externalIds, async (chunk) =>
    (await run.query(`SELECT ${SYNC_DEAL_COLUMNS} FROM "Deal" WHERE "workspaceId" = ? AND "externalId" IN (${marks(chunk.length)})`, [workspaceId, ...chunk])).map(storedDeal),
  );
}

/**
 * Deals logged in Slack (no external id) for these customer keys: the candidates a CRM deal may
 * adopt. Oldest first, so a match picks the same row every time.
 */
export async function localDealsByCustomerKeys(run: SqlRunner, workspaceId: number, keys: readonly string[]): Promise<TStoredSyncDeal[]> {
  return inChunks(keys, async (chunk) =>
    (
      await run.query(`SELECT ${SYNC_DEAL_COLUMNS} FROM "Deal" WHERE "workspaceId" = ? AND "externalId" IS NULL AND "customerKey" IN (${marks(chunk.length)}) ORDER BY "id"`, [
        workspaceId,
        ...chunk,
      ])
    ).map(storedDeal),
  );
}

/** Inserts new CRM deals (no stage change rows: the caller writes their history); ids by external id. */
export async function insertSyncedDeals(run: SqlRunner, workspaceId: number, rows: readonly TDealRow[], now: Date): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (rows.length === 0) return out;
  await insertDealsBatch(run, workspaceId, rows, { stageChanges: false, now });
  for (const d of await dealsByExternalIdsForSync(
    run,
    workspaceId,
    rows.flatMap((r) => (r.externalId ? [r.externalId] : [])),
  ))
    if (d.externalId) out.set(d.externalId, d.id);
  return out;
}

/** Rewrites stored deals with the CRM's data (`updatedAt` = now). */
export async function updateSyncedDeals(run: SqlRunner, rows: ReadonlyArray<TDealRow & { id: number }>, now: Date): Promise<void> {
  if (rows.length > 0) await updateDealsBatch(run, rows, now);
}

/** Makes a deal the CRM's: its source and external id (a Slack-logged deal adopted, an export taken over). */
export async function setDealOrigin(run: SqlRunner, dealId: number, source: string, externalId: string): Promise<void> {
  await run.execute(`UPDATE "Deal" SET "source" = ?, "externalId" = ? WHERE "id" = ?`, [source, externalId, dealId]);
}

/** Replaces the stage history of these deals with the given moves. */
export async function replaceStageChanges(
  run: SqlRunner,
  workspaceId: number,
  moves: ReadonlyArray<{ dealId: number; fromStage: string | null; toStage: string; changedAt: Date }>,
  dealIds: readonly number[],
): Promise<void> {
  for (let i = 0; i < dealIds.length; i += CHUNK) {
    const chunk = dealIds.slice(i, i + CHUNK);
    await run.execute(`DELETE FROM "DealStageChange" WHERE "dealId" IN (${marks(chunk.length)})`, chunk);
  }
  await appendStageChanges(run, workspaceId, moves);
}

/** Adds stage moves. */
export async function appendStageChanges(run: SqlRunner, workspaceId: number, moves: ReadonlyArray<{ dealId: number; fromStage: string | null; toStage: string; changedAt: Date }>): Promise<void> {
  await insertRows(run, 'DealStageChange', ['workspaceId', 'dealId', 'fromStage', 'toStage', 'changedAt', 'changedById'], moves, (m) => [workspaceId, m.dealId, m.fromStage, m.toStage, m.changedAt, null]);
}

/** Moves a merged-away deal's refunds onto the surviving deal. */
export async function moveRefunds(run: SqlRunner, fromDealId: number, toDealId: number): Promise<void> {
  await run.execute(`UPDATE "Refund" SET "dealId" = ? WHERE "dealId" = ?`, [toDealId, fromDealId]);
}

/** Deletes deals by id: their stage and subscription changes go with them; refunds keep their row, unlinked. */
export async function deleteDeals(run: SqlRunner, dealIds: readonly number[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < dealIds.length; i += CHUNK) {
    const chunk = dealIds.slice(i, i + CHUNK);
    // What the foreign keys do, done explicitly so it holds whatever the engine's FK setting.
    await run.execute(`DELETE FROM "DealStageChange" WHERE "dealId" IN (${marks(chunk.length)})`, chunk);
    await run.execute(`DELETE FROM "SubscriptionChange" WHERE "dealId" IN (${marks(chunk.length)}) OR "sourceDealId" IN (${marks(chunk.length)})`, [...chunk, ...chunk]);
    await run.execute(`UPDATE "Refund" SET "dealId" = NULL WHERE "dealId" IN (${marks(chunk.length)})`, chunk);
    n += await run.execute(`DELETE FROM "Deal" WHERE "id" IN (${marks(chunk.length)})`, chunk);
  }
  return n;
}

/** Bumps the workspace's history version inside the page's transaction (see history-version.ts). */
export async function bumpHistoryVersionRaw(run: SqlRunner, workspaceId: number): Promise<void> {
  await run.execute(`UPDATE "Workspace" SET "historyVersion" = "historyVersion" + 1 WHERE "id" = ?`, [workspaceId]);
}
