-- AlterTable
ALTER TABLE "Rep" ADD COLUMN "language" TEXT;
ALTER TABLE "Rep" ADD COLUMN "slackLocale" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Workspace" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "slackTeamId" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "timeZone" TEXT NOT NULL DEFAULT 'UTC',
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "fiscalYearStartMonth" INTEGER NOT NULL DEFAULT 1,
    "language" TEXT NOT NULL DEFAULT 'en',
    "funnelStages" TEXT NOT NULL DEFAULT 'lead,contacted,demo,proposal',
    "attainmentLowBp" INTEGER NOT NULL DEFAULT 6000,
    "attainmentHighBp" INTEGER NOT NULL DEFAULT 9000,
    "paceOnTrackBp" INTEGER NOT NULL DEFAULT 9500,
    "paceAtRiskBp" INTEGER NOT NULL DEFAULT 7500,
    "oversizeMultiplePct" INTEGER NOT NULL DEFAULT 400,
    "alertsChannelId" TEXT,
    "installerUserId" TEXT,
    "historyVersion" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Workspace" ("alertsChannelId", "attainmentHighBp", "attainmentLowBp", "createdAt", "currency", "fiscalYearStartMonth", "funnelStages", "historyVersion", "id", "installerUserId", "name", "oversizeMultiplePct", "paceAtRiskBp", "paceOnTrackBp", "slackTeamId", "timeZone", "updatedAt") SELECT "alertsChannelId", "attainmentHighBp", "attainmentLowBp", "createdAt", "currency", "fiscalYearStartMonth", "funnelStages", "historyVersion", "id", "installerUserId", "name", "oversizeMultiplePct", "paceAtRiskBp", "paceOnTrackBp", "slackTeamId", "timeZone", "updatedAt" FROM "Workspace";
DROP TABLE "Workspace";
ALTER TABLE "new_Workspace" RENAME TO "Workspace";
CREATE UNIQUE INDEX "Workspace_slackTeamId_key" ON "Workspace"("slackTeamId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
