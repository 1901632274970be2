-- AlterTable
ALTER TABLE "Refund" ADD COLUMN     "externalId" TEXT,
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'slack-command';

-- CreateIndex
CREATE INDEX "Refund_dealId_idx" ON "Refund"("dealId");

-- CreateIndex
CREATE UNIQUE INDEX "Refund_workspaceId_externalId_key" ON "Refund"("workspaceId", "externalId");
