-- AlterTable
ALTER TABLE "Deal" ADD COLUMN "leadSource" TEXT;

-- AlterTable
ALTER TABLE "LeadCount" ADD COLUMN "scopeKey" TEXT;
ALTER TABLE "LeadCount" ADD COLUMN "setById" INTEGER;
ALTER TABLE "LeadCount" ADD COLUMN "updatedAt" DATETIME;

-- CreateIndex
CREATE UNIQUE INDEX "LeadCount_workspaceId_scopeKey_key" ON "LeadCount"("workspaceId", "scopeKey");
