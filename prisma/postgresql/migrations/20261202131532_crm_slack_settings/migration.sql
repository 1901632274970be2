-- CreateTable
CREATE TABLE "CrmSettings" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "writeBack" BOOLEAN NOT NULL DEFAULT false,
    "hubspotPortalId" TEXT,
    "webhookUser" TEXT,
    "webhookPasswordHash" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CrmSettings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CrmOAuthState" (
    "id" SERIAL NOT NULL,
    "stateHash" TEXT NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "slackUserId" TEXT NOT NULL,
    "vendor" TEXT NOT NULL,
    "sealed" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CrmOAuthState_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "CrmSettings" ADD CONSTRAINT "CrmSettings_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CrmOAuthState" ADD CONSTRAINT "CrmOAuthState_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
