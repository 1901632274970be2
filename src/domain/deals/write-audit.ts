import type { Tx } from '../../storage/db.js';
import { insertAuditEntry } from '../../storage/queries/audit.js';
import type { Rep } from '../../storage/models.js';

export type TAuditAction = 'create' | 'update' | 'undo' | 'delete';

/**
 * Writes one audit entry inside the caller's transaction, stamped with the caller's clock. The
 * request key is unique per workspace (see oncePerRequest): a repeated delivery fails here and its
 * whole transaction rolls back.
 */
export async function writeAudit(
  tx: Tx,
  entry: {
    workspaceId: number;
    actor: Pick<Rep, 'id' | 'slackUserId'>;
    entity: string;
    entityId: number;
    action: TAuditAction;
    before?: unknown;
    after?: unknown;
    now: Date;
    requestKey?: string | null | undefined;
  },
): Promise<number> {
  return insertAuditEntry(tx, {
    workspaceId: entry.workspaceId,
    actorRepId: entry.actor.id,
    actorSlackUserId: entry.actor.slackUserId,
    entity: entry.entity,
    entityId: entry.entityId,
    action: entry.action,
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
    createdAt: entry.now,
    requestKey: entry.requestKey ?? null,
  });
}
