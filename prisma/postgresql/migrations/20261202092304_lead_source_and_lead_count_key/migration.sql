-- AlterTable
ALTER TABLE "Deal" ADD COLUMN     "leadSource" TEXT;

-- AlterTable
ALTER TABLE "LeadCount" ADD COLUMN     "scopeKey" TEXT,
ADD COLUMN     "setById" INTEGER,
ADD COLUMN     "updatedAt" TIMESTAMPTZ(3);

-- CreateIndex
CREATE UNIQUE INDEX "LeadCount_workspaceId_scopeKey_key" ON "LeadCount"("workspaceId", "scopeKey");
