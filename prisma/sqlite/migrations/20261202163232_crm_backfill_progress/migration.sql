-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_CrmConnection" (
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
    "progressChannel" TEXT,
    "progressTs" TEXT,
    "progressStartedAt" DATETIME,
    "progressDeals" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CrmConnection_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_CrmConnection" ("baseUrl", "createdAt", "credentials", "cursor", "dealsSynced", "errorNotifiedAt", "failures", "id", "lastError", "lastSuccessAt", "lastSyncAt", "lastSyncStartedAt", "leaseOwner", "leaseUntil", "nextAttemptAt", "removals", "status", "updatedAt", "usage", "vendor", "workspaceId") SELECT "baseUrl", "createdAt", "credentials", "cursor", "dealsSynced", "errorNotifiedAt", "failures", "id", "lastError", "lastSuccessAt", "lastSyncAt", "lastSyncStartedAt", "leaseOwner", "leaseUntil", "nextAttemptAt", "removals", "status", "updatedAt", "usage", "vendor", "workspaceId" FROM "CrmConnection";
DROP TABLE "CrmConnection";
ALTER TABLE "new_CrmConnection" RENAME TO "CrmConnection";
CREATE UNIQUE INDEX "CrmConnection_workspaceId_key" ON "CrmConnection"("workspaceId");
CREATE INDEX "CrmConnection_status_nextAttemptAt_idx" ON "CrmConnection"("status", "nextAttemptAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
