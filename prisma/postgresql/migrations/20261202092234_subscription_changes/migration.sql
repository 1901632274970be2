-- CreateTable
CREATE TABLE "SubscriptionChange" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "dealId" INTEGER NOT NULL,
    "effectiveAt" TIMESTAMPTZ(3) NOT NULL,
    "monthlyMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "monthlyReportingMinor" BIGINT NOT NULL,
    "sourceDealId" INTEGER,
    "requestKey" TEXT,
    "externalId" TEXT,
    "createdById" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SubscriptionChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SubscriptionChange_dealId_effectiveAt_idx" ON "SubscriptionChange"("dealId", "effectiveAt");

-- CreateIndex
CREATE INDEX "SubscriptionChange_sourceDealId_idx" ON "SubscriptionChange"("sourceDealId");

-- CreateIndex
CREATE UNIQUE INDEX "SubscriptionChange_workspaceId_requestKey_key" ON "SubscriptionChange"("workspaceId", "requestKey");

-- CreateIndex
CREATE UNIQUE INDEX "SubscriptionChange_workspaceId_externalId_key" ON "SubscriptionChange"("workspaceId", "externalId");

-- AddForeignKey
ALTER TABLE "SubscriptionChange" ADD CONSTRAINT "SubscriptionChange_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubscriptionChange" ADD CONSTRAINT "SubscriptionChange_dealId_fkey" FOREIGN KEY ("dealId") REFERENCES "Deal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubscriptionChange" ADD CONSTRAINT "SubscriptionChange_sourceDealId_fkey" FOREIGN KEY ("sourceDealId") REFERENCES "Deal"("id") ON DELETE CASCADE ON UPDATE CASCADE;
