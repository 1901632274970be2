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

-- Backfill (best effort): the app's key is customerKey() in src/domain/deals/customer-key.ts (NFC,
-- trimmed, inner whitespace collapsed, Unicode lower case). Here: whitespace runs collapsed, spaces
-- trimmed, LOWER of the database collation (no NFC normalisation). The app rewrites the keys of
-- open deals at startup (repairCustomerKeys), and every write (Slack, import) stores the exact key.
UPDATE "Deal" SET "customerKey" = LOWER(BTRIM(REGEXP_REPLACE("customer", '\s+', ' ', 'g')));

-- Backfill: alerts fired before this migration were handled by the old code (posted, or shown in
-- the digest only); none of them is owed a post, so they are not posted again.
UPDATE "AlertEvent" SET "postedAt" = "firedAt" WHERE "postedAt" IS NULL;
