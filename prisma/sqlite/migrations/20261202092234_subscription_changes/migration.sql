-- CreateTable
CREATE TABLE "SubscriptionChange" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" INTEGER NOT NULL,
    "dealId" INTEGER NOT NULL,
    "effectiveAt" DATETIME NOT NULL,
    "monthlyMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "monthlyReportingMinor" BIGINT NOT NULL,
    "sourceDealId" INTEGER,
    "requestKey" TEXT,
    "externalId" TEXT,
    "createdById" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SubscriptionChange_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "SubscriptionChange_dealId_fkey" FOREIGN KEY ("dealId") REFERENCES "Deal" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "SubscriptionChange_sourceDealId_fkey" FOREIGN KEY ("sourceDealId") REFERENCES "Deal" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "SubscriptionChange_dealId_effectiveAt_idx" ON "SubscriptionChange"("dealId", "effectiveAt");

-- CreateIndex
CREATE INDEX "SubscriptionChange_sourceDealId_idx" ON "SubscriptionChange"("sourceDealId");

-- CreateIndex
CREATE UNIQUE INDEX "SubscriptionChange_workspaceId_requestKey_key" ON "SubscriptionChange"("workspaceId", "requestKey");

-- CreateIndex
CREATE UNIQUE INDEX "SubscriptionChange_workspaceId_externalId_key" ON "SubscriptionChange"("workspaceId", "externalId");
