-- CreateTable
CREATE TABLE "CrmConnection" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" INTEGER NOT NULL,
    "vendor" TEXT NOT NULL,
    "credentials" TEXT NOT NULL,
    "baseUrl" TEXT,
    "cursor" TEXT,
    "status" TEXT NOT NULL DEFAULT 'active',
    "lastSyncStartedAt" DATETIME,
    "lastSyncAt" DATETIME,
    "lastSuccessAt" DATETIME,
    "lastError" TEXT,
    "errorNotifiedAt" DATETIME,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME,
    "dealsSynced" INTEGER NOT NULL DEFAULT 0,
    "removals" INTEGER NOT NULL DEFAULT 0,
    "usage" TEXT,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CrmConnection_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CrmStageMap" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "connectionId" INTEGER NOT NULL,
    "crmStageId" TEXT NOT NULL,
    "pipelineId" TEXT,
    "label" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "edited" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CrmStageMap_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "CrmConnection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CrmOwnerMap" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "connectionId" INTEGER NOT NULL,
    "crmOwnerId" TEXT NOT NULL,
    "email" TEXT,
    "repId" INTEGER NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CrmOwnerMap_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "CrmConnection" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CrmOwnerMap_repId_fkey" FOREIGN KEY ("repId") REFERENCES "Rep" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
