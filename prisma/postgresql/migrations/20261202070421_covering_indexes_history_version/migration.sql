-- DropIndex
DROP INDEX "Deal_workspaceId_status_closedAt_idx";

-- DropIndex
DROP INDEX "Deal_workspaceId_createdAt_idx";

-- DropIndex
DROP INDEX "Deal_workspaceId_ownerId_status_closedAt_idx";

-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "historyVersion" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Deal_closed_covering_idx" ON "Deal"("workspaceId", "status", "closedAt", "ownerId", "type", "amountReportingMinor", "discountReportingMinor");

-- CreateIndex
CREATE INDEX "Deal_created_covering_idx" ON "Deal"("workspaceId", "createdAt", "status", "maxStageIndex", "ownerId");

-- CreateIndex
CREATE INDEX "Deal_owner_closed_covering_idx" ON "Deal"("workspaceId", "ownerId", "status", "closedAt", "type", "amountReportingMinor", "discountReportingMinor");
