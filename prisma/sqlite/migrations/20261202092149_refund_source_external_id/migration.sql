-- Columns added in place (no table rebuild): both have a default or allow NULL.
-- AlterTable
ALTER TABLE "Refund" ADD COLUMN "source" TEXT NOT NULL DEFAULT 'slack-command';
ALTER TABLE "Refund" ADD COLUMN "externalId" TEXT;

-- CreateIndex
CREATE INDEX "Refund_dealId_idx" ON "Refund"("dealId");

-- CreateIndex
CREATE UNIQUE INDEX "Refund_workspaceId_externalId_key" ON "Refund"("workspaceId", "externalId");
