-- CreateTable
CREATE TABLE "Workspace" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "slackTeamId" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "timeZone" TEXT NOT NULL DEFAULT 'UTC',
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "fiscalYearStartMonth" INTEGER NOT NULL DEFAULT 1,
    "funnelStages" TEXT NOT NULL DEFAULT 'lead,contacted,demo,proposal',
    "attainmentLowBp" INTEGER NOT NULL DEFAULT 6000,
    "attainmentHighBp" INTEGER NOT NULL DEFAULT 9000,
    "paceOnTrackBp" INTEGER NOT NULL DEFAULT 9500,
    "paceAtRiskBp" INTEGER NOT NULL DEFAULT 7500,
    "oversizeMultiplePct" INTEGER NOT NULL DEFAULT 400,
    "alertsChannelId" TEXT,
    "installerUserId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SalesTeam" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SalesTeam_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Rep" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" INTEGER NOT NULL,
    "slackUserId" TEXT,
    "importKey" TEXT,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'rep',
    "teamId" INTEGER,
    "timeZone" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Rep_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Rep_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "SalesTeam" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Deal" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" INTEGER NOT NULL,
    "ownerId" INTEGER NOT NULL,
    "customer" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "amountReportingMinor" BIGINT NOT NULL,
    "type" TEXT NOT NULL DEFAULT 'new',
    "stage" TEXT NOT NULL,
    "maxStageIndex" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'open',
    "discountMinor" BIGINT,
    "discountReportingMinor" BIGINT,
    "lostReason" TEXT,
    "recurringMonthlyMinor" BIGINT,
    "recurringReportingMinor" BIGINT,
    "subscriptionStart" DATETIME,
    "subscriptionEnd" DATETIME,
    "notes" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'slack-command',
    "externalId" TEXT,
    "requestKey" TEXT,
    "channelId" TEXT,
    CONSTRAINT "Deal_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Deal_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Rep" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DealStageChange" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" INTEGER NOT NULL,
    "dealId" INTEGER NOT NULL,
    "fromStage" TEXT,
    "toStage" TEXT NOT NULL,
    "changedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "changedById" INTEGER,
    CONSTRAINT "DealStageChange_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "DealStageChange_dealId_fkey" FOREIGN KEY ("dealId") REFERENCES "Deal" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Refund" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" INTEGER NOT NULL,
    "dealId" INTEGER,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "amountReportingMinor" BIGINT NOT NULL,
    "reason" TEXT,
    "recordedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" INTEGER,
    CONSTRAINT "Refund_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Refund_dealId_fkey" FOREIGN KEY ("dealId") REFERENCES "Deal" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Quota" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" INTEGER NOT NULL,
    "repId" INTEGER,
    "teamId" INTEGER,
    "periodKind" TEXT NOT NULL,
    "periodStart" DATETIME NOT NULL,
    "periodEnd" DATETIME NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "setById" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Quota_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Quota_repId_fkey" FOREIGN KEY ("repId") REFERENCES "Rep" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Quota_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "SalesTeam" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LeadCount" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" INTEGER NOT NULL,
    "repId" INTEGER,
    "teamId" INTEGER,
    "periodStart" DATETIME NOT NULL,
    "periodEnd" DATETIME NOT NULL,
    "count" INTEGER NOT NULL,
    "source" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LeadCount_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LeadCount_repId_fkey" FOREIGN KEY ("repId") REFERENCES "Rep" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LeadCount_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "SalesTeam" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CurrencyRate" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" INTEGER NOT NULL,
    "fromCurrency" TEXT NOT NULL,
    "rate" REAL NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CurrencyRate_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" INTEGER NOT NULL,
    "actorRepId" INTEGER,
    "actorSlackUserId" TEXT,
    "entity" TEXT NOT NULL,
    "entityId" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "before" TEXT,
    "after" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "undoneAt" DATETIME,
    CONSTRAINT "AuditEntry_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DigestSubscription" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" INTEGER NOT NULL,
    "channelId" TEXT NOT NULL,
    "weekday" INTEGER NOT NULL DEFAULT 1,
    "localTime" TEXT NOT NULL DEFAULT '09:00',
    "timeZone" TEXT NOT NULL,
    "kpis" TEXT NOT NULL DEFAULT 'quota,winrate,dealsize,revenue,funnel',
    "teamId" INTEGER,
    "createdBySlackUserId" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "disabledReason" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "DigestSubscription_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "DigestSubscription_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "SalesTeam" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DigestSlot" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "subscriptionId" INTEGER NOT NULL,
    "scheduledFor" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "claimedBy" TEXT,
    "leaseUntil" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "sentAt" DATETIME,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "DigestSlot_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "DigestSubscription" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Delivery" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" INTEGER NOT NULL,
    "channelId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "refId" INTEGER,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "error" TEXT,
    "messageTs" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Delivery_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AlertSetting" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" INTEGER NOT NULL,
    "rule" TEXT NOT NULL,
    "threshold" REAL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "AlertSetting_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AlertEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" INTEGER NOT NULL,
    "rule" TEXT NOT NULL,
    "conditionKey" TEXT NOT NULL,
    "periodKey" TEXT NOT NULL,
    "value" REAL,
    "threshold" REAL,
    "message" TEXT,
    "firedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "recoveredAt" DATETIME,
    CONSTRAINT "AlertEvent_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AlertSnooze" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" INTEGER NOT NULL,
    "rule" TEXT NOT NULL,
    "conditionKey" TEXT NOT NULL DEFAULT '*',
    "until" DATETIME NOT NULL,
    "bySlackUserId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AlertSnooze_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Workspace_slackTeamId_key" ON "Workspace"("slackTeamId");

-- CreateIndex
CREATE UNIQUE INDEX "SalesTeam_workspaceId_name_key" ON "SalesTeam"("workspaceId", "name");

-- CreateIndex
CREATE INDEX "Rep_workspaceId_teamId_idx" ON "Rep"("workspaceId", "teamId");

-- CreateIndex
CREATE UNIQUE INDEX "Rep_workspaceId_slackUserId_key" ON "Rep"("workspaceId", "slackUserId");

-- CreateIndex
CREATE UNIQUE INDEX "Rep_workspaceId_importKey_key" ON "Rep"("workspaceId", "importKey");

-- CreateIndex
CREATE INDEX "Deal_workspaceId_status_closedAt_idx" ON "Deal"("workspaceId", "status", "closedAt");

-- CreateIndex
CREATE INDEX "Deal_workspaceId_createdAt_idx" ON "Deal"("workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "Deal_workspaceId_ownerId_status_closedAt_idx" ON "Deal"("workspaceId", "ownerId", "status", "closedAt");

-- CreateIndex
CREATE INDEX "Deal_workspaceId_customer_idx" ON "Deal"("workspaceId", "customer");

-- CreateIndex
CREATE UNIQUE INDEX "Deal_workspaceId_externalId_key" ON "Deal"("workspaceId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Deal_workspaceId_requestKey_key" ON "Deal"("workspaceId", "requestKey");

-- CreateIndex
CREATE INDEX "DealStageChange_dealId_idx" ON "DealStageChange"("dealId");

-- CreateIndex
CREATE INDEX "DealStageChange_workspaceId_changedAt_idx" ON "DealStageChange"("workspaceId", "changedAt");

-- CreateIndex
CREATE INDEX "Refund_workspaceId_recordedAt_idx" ON "Refund"("workspaceId", "recordedAt");

-- CreateIndex
CREATE INDEX "Quota_workspaceId_periodStart_periodEnd_idx" ON "Quota"("workspaceId", "periodStart", "periodEnd");

-- CreateIndex
CREATE INDEX "Quota_repId_periodStart_idx" ON "Quota"("repId", "periodStart");

-- CreateIndex
CREATE INDEX "LeadCount_workspaceId_periodStart_idx" ON "LeadCount"("workspaceId", "periodStart");

-- CreateIndex
CREATE UNIQUE INDEX "CurrencyRate_workspaceId_fromCurrency_key" ON "CurrencyRate"("workspaceId", "fromCurrency");

-- CreateIndex
CREATE INDEX "AuditEntry_workspaceId_actorSlackUserId_createdAt_idx" ON "AuditEntry"("workspaceId", "actorSlackUserId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEntry_workspaceId_entity_entityId_idx" ON "AuditEntry"("workspaceId", "entity", "entityId");

-- CreateIndex
CREATE INDEX "DigestSubscription_active_idx" ON "DigestSubscription"("active");

-- CreateIndex
CREATE UNIQUE INDEX "DigestSubscription_workspaceId_channelId_key" ON "DigestSubscription"("workspaceId", "channelId");

-- CreateIndex
CREATE INDEX "DigestSlot_status_leaseUntil_idx" ON "DigestSlot"("status", "leaseUntil");

-- CreateIndex
CREATE UNIQUE INDEX "DigestSlot_subscriptionId_scheduledFor_key" ON "DigestSlot"("subscriptionId", "scheduledFor");

-- CreateIndex
CREATE INDEX "Delivery_workspaceId_createdAt_idx" ON "Delivery"("workspaceId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "AlertSetting_workspaceId_rule_key" ON "AlertSetting"("workspaceId", "rule");

-- CreateIndex
CREATE INDEX "AlertEvent_workspaceId_recoveredAt_idx" ON "AlertEvent"("workspaceId", "recoveredAt");

-- CreateIndex
CREATE UNIQUE INDEX "AlertEvent_workspaceId_rule_conditionKey_periodKey_key" ON "AlertEvent"("workspaceId", "rule", "conditionKey", "periodKey");

-- CreateIndex
CREATE UNIQUE INDEX "AlertSnooze_workspaceId_rule_conditionKey_key" ON "AlertSnooze"("workspaceId", "rule", "conditionKey");
