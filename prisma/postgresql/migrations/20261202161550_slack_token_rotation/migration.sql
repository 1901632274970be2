-- AlterTable
ALTER TABLE "SlackInstallation" ADD COLUMN     "refreshClaimedUntil" TIMESTAMPTZ(3),
ADD COLUMN     "tokenVersion" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "SlackOrgTeam" (
    "teamId" TEXT NOT NULL,
    "enterpriseId" TEXT NOT NULL,
    "seenAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SlackOrgTeam_pkey" PRIMARY KEY ("teamId")
);

-- CreateIndex
CREATE INDEX "SlackOrgTeam_enterpriseId_idx" ON "SlackOrgTeam"("enterpriseId");
