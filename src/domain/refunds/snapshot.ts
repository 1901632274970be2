import type { Refund } from '../../storage/models.js';

/** JSON form of a refund for the audit trail (bigints as strings, dates as ISO). */
export function snapshotRefund(r: Refund): Record<string, string | number | null> {
  return {
    id: r.id,
    workspaceId: r.workspaceId,
    dealId: r.dealId,
    amountMinor: r.amountMinor.toString(),
    currency: r.currency,
    amountReportingMinor: r.amountReportingMinor.toString(),
    reason: r.reason,
    recordedAt: r.recordedAt.toISOString(),
    createdById: r.createdById,
    source: r.source,
    externalId: r.externalId,
  };
}
