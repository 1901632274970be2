-- CreateIndex
CREATE INDEX "Deal_workspaceId_subscriptionStart_idx" ON "Deal"("workspaceId", "subscriptionStart");

-- CreateIndex
CREATE UNIQUE INDEX "Quota_workspaceId_repId_periodKind_periodStart_key" ON "Quota"("workspaceId", "repId", "periodKind", "periodStart");

-- CreateIndex
CREATE UNIQUE INDEX "Quota_workspaceId_teamId_periodKind_periodStart_key" ON "Quota"("workspaceId", "teamId", "periodKind", "periodStart");

-- Backfill: MRR reads "subscriptionStart" only; a won recurring deal without one started when it closed.
UPDATE "Deal" SET "subscriptionStart" = "closedAt" WHERE "status" = 'won' AND "recurringMonthlyMinor" IS NOT NULL AND "subscriptionStart" IS NULL;
