-- CreateTable
CREATE TABLE "SlackOrgTeam" (
    "teamId" TEXT NOT NULL PRIMARY KEY,
    "enterpriseId" TEXT NOT NULL,
    "seenAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_SlackInstallation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "installKey" TEXT NOT NULL,
    "teamId" TEXT,
    "teamName" TEXT,
    "enterpriseId" TEXT,
    "enterpriseName" TEXT,
    "isEnterpriseInstall" BOOLEAN NOT NULL DEFAULT false,
    "appId" TEXT,
    "botToken" TEXT NOT NULL,
    "botRefreshToken" TEXT,
    "botTokenExpiresAt" DATETIME,
    "botId" TEXT NOT NULL,
    "botUserId" TEXT NOT NULL,
    "botScopes" TEXT NOT NULL,
    "installerUserId" TEXT NOT NULL,
    "enterpriseUrl" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "installedAt" DATETIME NOT NULL,
    "uninstalledAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    "tokenVersion" INTEGER NOT NULL DEFAULT 0,
    "refreshClaimedUntil" DATETIME
);
INSERT INTO "new_SlackInstallation" ("active", "appId", "botId", "botRefreshToken", "botScopes", "botToken", "botTokenExpiresAt", "botUserId", "enterpriseId", "enterpriseName", "enterpriseUrl", "id", "installKey", "installedAt", "installerUserId", "isEnterpriseInstall", "teamId", "teamName", "uninstalledAt", "updatedAt") SELECT "active", "appId", "botId", "botRefreshToken", "botScopes", "botToken", "botTokenExpiresAt", "botUserId", "enterpriseId", "enterpriseName", "enterpriseUrl", "id", "installKey", "installedAt", "installerUserId", "isEnterpriseInstall", "teamId", "teamName", "uninstalledAt", "updatedAt" FROM "SlackInstallation";
DROP TABLE "SlackInstallation";
ALTER TABLE "new_SlackInstallation" RENAME TO "SlackInstallation";
CREATE UNIQUE INDEX "SlackInstallation_installKey_key" ON "SlackInstallation"("installKey");
CREATE INDEX "SlackInstallation_enterpriseId_idx" ON "SlackInstallation"("enterpriseId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "SlackOrgTeam_enterpriseId_idx" ON "SlackOrgTeam"("enterpriseId");
