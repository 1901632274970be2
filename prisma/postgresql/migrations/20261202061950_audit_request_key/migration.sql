-- AlterTable
ALTER TABLE "AuditEntry" ADD COLUMN     "requestKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "AuditEntry_workspaceId_requestKey_key" ON "AuditEntry"("workspaceId", "requestKey");
