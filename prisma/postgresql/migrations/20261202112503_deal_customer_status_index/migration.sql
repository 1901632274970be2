-- DropIndex
DROP INDEX "Deal_workspaceId_customerKey_idx";

-- CreateIndex
CREATE INDEX "Deal_workspaceId_customerKey_status_idx" ON "Deal"("workspaceId", "customerKey", "status");
