-- AlterTable
ALTER TABLE "DigestSlot" ADD COLUMN "messageTs" TEXT;

-- AlterTable
ALTER TABLE "AlertEvent" ADD COLUMN "postedAt" DATETIME;
ALTER TABLE "AlertEvent" ADD COLUMN "postingUntil" DATETIME;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Deal" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" INTEGER NOT NULL,
    "ownerId" INTEGER NOT NULL,
    "customer" TEXT NOT NULL,
    "customerKey" TEXT NOT NULL DEFAULT '',
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "amountReportingMinor" BIGINT NOT NULL,
    "type" TEXT NOT NULL DEFAULT 'new',
    "stage" TEXT NOT NULL,
    "maxStageIndex" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'open',
    "discountMinor" BIGINT,
    "discountReportingMinor" BIGINT,
    "lostReason" TEXT,
    "recurringMonthlyMinor" BIGINT,
    "recurringReportingMinor" BIGINT,
    "subscriptionStart" DATETIME,
    "subscriptionEnd" DATETIME,
    "notes" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'slack-command',
    "externalId" TEXT,
    "requestKey" TEXT,
    "channelId" TEXT,
    CONSTRAINT "Deal_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Deal_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Rep" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Deal" ("amountMinor", "amountReportingMinor", "channelId", "closedAt", "createdAt", "currency", "customer", "discountMinor", "discountReportingMinor", "externalId", "id", "lostReason", "maxStageIndex", "notes", "ownerId", "recurringMonthlyMinor", "recurringReportingMinor", "requestKey", "source", "stage", "status", "subscriptionEnd", "subscriptionStart", "type", "updatedAt", "workspaceId") SELECT "amountMinor", "amountReportingMinor", "channelId", "closedAt", "createdAt", "currency", "customer", "discountMinor", "discountReportingMinor", "externalId", "id", "lostReason", "maxStageIndex", "notes", "ownerId", "recurringMonthlyMinor", "recurringReportingMinor", "requestKey", "source", "stage", "status", "subscriptionEnd", "subscriptionStart", "type", "updatedAt", "workspaceId" FROM "Deal";
DROP TABLE "Deal";
ALTER TABLE "new_Deal" RENAME TO "Deal";
CREATE INDEX "Deal_workspaceId_status_closedAt_idx" ON "Deal"("workspaceId", "status", "closedAt");
CREATE INDEX "Deal_workspaceId_createdAt_idx" ON "Deal"("workspaceId", "createdAt");
CREATE INDEX "Deal_workspaceId_ownerId_status_closedAt_idx" ON "Deal"("workspaceId", "ownerId", "status", "closedAt");
CREATE INDEX "Deal_workspaceId_customerKey_idx" ON "Deal"("workspaceId", "customerKey");
CREATE INDEX "Deal_workspaceId_subscriptionStart_idx" ON "Deal"("workspaceId", "subscriptionStart");
CREATE UNIQUE INDEX "Deal_workspaceId_externalId_key" ON "Deal"("workspaceId", "externalId");
CREATE UNIQUE INDEX "Deal_workspaceId_requestKey_key" ON "Deal"("workspaceId", "requestKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Delivery_kind_refId_status_idx" ON "Delivery"("kind", "refId", "status");

-- CreateIndex
CREATE INDEX "AlertEvent_postedAt_firedAt_idx" ON "AlertEvent"("postedAt", "firedAt");
