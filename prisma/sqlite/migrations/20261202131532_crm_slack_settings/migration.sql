-- CreateTable
CREATE TABLE "CrmSettings" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" INTEGER NOT NULL,
    "writeBack" BOOLEAN NOT NULL DEFAULT false,
    "hubspotPortalId" TEXT,
    "webhookUser" TEXT,
    "webhookPasswordHash" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CrmSettings_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CrmOAuthState" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "stateHash" TEXT NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "slackUserId" TEXT NOT NULL,
    "vendor" TEXT NOT NULL,
    "sealed" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "CrmOAuthState_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "CrmSettings_workspaceId_key" ON "CrmSettings"("workspaceId");

-- CreateIndex
CREATE UNIQUE INDEX "CrmSettings_hubspotPortalId_key" ON "CrmSettings"("hubspotPortalId");

-- CreateIndex
CREATE UNIQUE INDEX "CrmSettings_webhookUser_key" ON "CrmSettings"("webhookUser");

-- CreateIndex
CREATE UNIQUE INDEX "CrmOAuthState_stateHash_key" ON "CrmOAuthState"("stateHash");

-- CreateIndex
CREATE INDEX "CrmOAuthState_expiresAt_idx" ON "CrmOAuthState"("expiresAt");
