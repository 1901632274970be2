-- DropIndex
DROP INDEX "Deal_workspaceId_customer_idx";

-- AlterTable
ALTER TABLE "Deal" ADD COLUMN     "customerKey" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "DigestSlot" ADD COLUMN     "messageTs" TEXT;

-- AlterTable
ALTER TABLE "AlertEvent" ADD COLUMN     "postedAt" TIMESTAMPTZ(3),
ADD COLUMN     "postingUntil" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "Deal_workspaceId_customerKey_idx" ON "Deal"("workspaceId", "customerKey");

-- CreateIndex
CREATE INDEX "Delivery_kind_refId_status_idx" ON "Delivery"("kind", "refId", "status");

-- CreateIndex
CREATE INDEX "AlertEvent_postedAt_firedAt_idx" ON "AlertEvent"("postedAt", "firedAt");
