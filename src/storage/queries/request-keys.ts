import type { Db } from '../db.js';
import { readRows } from './deal-writes.js';

// What once-per-request asks about a delivery, on the driver (statements prepared once).

/** When the change of that delivery was stored (its audit entry), or null. */
export async function auditEntryTimeOfRequest(db: Db, workspaceId: number, requestKey: string): Promise<Date | null> {
  const rows = await readRows(db, { sql: `SELECT "createdAt" FROM "AuditEntry" WHERE "workspaceId" = ? AND "requestKey" = ?`, params: [workspaceId, requestKey] });
  const v = rows[0]?.['createdAt'];
  return v === undefined || v === null ? null : v instanceof Date ? v : new Date(Number(v));
}

/** The workspace's time zone, or null for an unknown workspace. */
export async function workspaceTimeZone(db: Db, workspaceId: number): Promise<string | null> {
  const rows = await readRows(db, { sql: `SELECT "timeZone" FROM "Workspace" WHERE "id" = ?`, params: [workspaceId] });
  const v = rows[0]?.['timeZone'];
  return typeof v === 'string' ? v : null;
}
