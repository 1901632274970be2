-- CreateTable
CREATE TABLE "CrmConnection" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "vendor" TEXT NOT NULL,
    "credentials" TEXT NOT NULL,
    "baseUrl" TEXT,
    "cursor" TEXT,
    "status" TEXT NOT NULL DEFAULT 'active',
    "lastSyncStartedAt" TIMESTAMPTZ(3),
    "lastSyncAt" TIMESTAMPTZ(3),
    "lastSuccessAt" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "errorNotifiedAt" TIMESTAMPTZ(3),
    "failures" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3),
    "dealsSynced" INTEGER NOT NULL DEFAULT 0,
    "removals" INTEGER NOT NULL DEFAULT 0,
    "usage" TEXT,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CrmConnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CrmStageMap" (
    "id" SERIAL NOT NULL,
    "connectionId" INTEGER NOT NULL,
    "crmStageId" TEXT NOT NULL,
    "pipelineId" TEXT,
    "label" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "edited" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CrmStageMap_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CrmOwnerMap" (
    "id" SERIAL NOT NULL,
    "connectionId" INTEGER NOT NULL,
    "crmOwnerId" TEXT NOT NULL,
    "email" TEXT,
    "repId" INTEGER NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CrmOwnerMap_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CrmConnection_workspaceId_key" ON "CrmConnection"("workspaceId");

-- CreateIndex
CREATE INDEX "CrmConnection_status_nextAttemptAt_idx" ON "CrmConnection"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "CrmStageMap_connectionId_crmStageId_key" ON "CrmStageMap"("connectionId", "crmStageId");

-- CreateIndex
CREATE INDEX "CrmOwnerMap_repId_idx" ON "CrmOwnerMap"("repId");

-- CreateIndex
CREATE UNIQUE INDEX "CrmOwnerMap_connectionId_crmOwnerId_key" ON "CrmOwnerMap"("connectionId", "crmOwnerId");

-- AddForeignKey
ALTER TABLE "CrmConnection" ADD CONSTRAINT "CrmConnection_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CrmStageMap" ADD CONSTRAINT "CrmStageMap_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "CrmConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CrmOwnerMap" ADD CONSTRAINT "CrmOwnerMap_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "CrmConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CrmOwnerMap" ADD CONSTRAINT "CrmOwnerMap_repId_fkey" FOREIGN KEY ("repId") REFERENCES "Rep"("id") ON DELETE CASCADE ON UPDATE CASCADE;
