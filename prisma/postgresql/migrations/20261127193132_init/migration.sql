-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Workspace" (
    "id" SERIAL NOT NULL,
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
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Workspace_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SalesTeam" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SalesTeam_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Rep" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "slackUserId" TEXT,
    "importKey" TEXT,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'rep',
    "teamId" INTEGER,
    "timeZone" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Rep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Deal" (
    "id" SERIAL NOT NULL,
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
    "subscriptionStart" TIMESTAMPTZ(3),
    "subscriptionEnd" TIMESTAMPTZ(3),
    "notes" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'slack-command',
    "externalId" TEXT,
    "requestKey" TEXT,
    "channelId" TEXT,

    CONSTRAINT "Deal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DealStageChange" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "dealId" INTEGER NOT NULL,
    "fromStage" TEXT,
    "toStage" TEXT NOT NULL,
    "changedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "changedById" INTEGER,

    CONSTRAINT "DealStageChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Refund" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "dealId" INTEGER,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "amountReportingMinor" BIGINT NOT NULL,
    "reason" TEXT,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" INTEGER,

    CONSTRAINT "Refund_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Quota" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "repId" INTEGER,
    "teamId" INTEGER,
    "periodKind" TEXT NOT NULL,
    "periodStart" TIMESTAMPTZ(3) NOT NULL,
    "periodEnd" TIMESTAMPTZ(3) NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "setById" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Quota_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LeadCount" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "repId" INTEGER,
    "teamId" INTEGER,
    "periodStart" TIMESTAMPTZ(3) NOT NULL,
    "periodEnd" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,
    "source" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LeadCount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CurrencyRate" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "fromCurrency" TEXT NOT NULL,
    "rate" DOUBLE PRECISION NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CurrencyRate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "actorRepId" INTEGER,
    "actorSlackUserId" TEXT,
    "entity" TEXT NOT NULL,
    "entityId" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "before" TEXT,
    "after" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "undoneAt" TIMESTAMPTZ(3),

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DigestSubscription" (
    "id" SERIAL NOT NULL,
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
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DigestSubscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DigestSlot" (
    "id" SERIAL NOT NULL,
    "subscriptionId" INTEGER NOT NULL,
    "scheduledFor" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL,
    "claimedBy" TEXT,
    "leaseUntil" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "sentAt" TIMESTAMPTZ(3),
    "error" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DigestSlot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Delivery" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "channelId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "refId" INTEGER,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "error" TEXT,
    "messageTs" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertSetting" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "rule" TEXT NOT NULL,
    "threshold" DOUBLE PRECISION,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AlertSetting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertEvent" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "rule" TEXT NOT NULL,
    "conditionKey" TEXT NOT NULL,
    "periodKey" TEXT NOT NULL,
    "value" DOUBLE PRECISION,
    "threshold" DOUBLE PRECISION,
    "message" TEXT,
    "firedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "recoveredAt" TIMESTAMPTZ(3),

    CONSTRAINT "AlertEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertSnooze" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "rule" TEXT NOT NULL,
    "conditionKey" TEXT NOT NULL DEFAULT '*',
    "until" TIMESTAMPTZ(3) NOT NULL,
    "bySlackUserId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AlertSnooze_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "SalesTeam" ADD CONSTRAINT "SalesTeam_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rep" ADD CONSTRAINT "Rep_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rep" ADD CONSTRAINT "Rep_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "SalesTeam"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deal" ADD CONSTRAINT "Deal_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deal" ADD CONSTRAINT "Deal_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Rep"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DealStageChange" ADD CONSTRAINT "DealStageChange_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DealStageChange" ADD CONSTRAINT "DealStageChange_dealId_fkey" FOREIGN KEY ("dealId") REFERENCES "Deal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Refund" ADD CONSTRAINT "Refund_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Refund" ADD CONSTRAINT "Refund_dealId_fkey" FOREIGN KEY ("dealId") REFERENCES "Deal"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Quota" ADD CONSTRAINT "Quota_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Quota" ADD CONSTRAINT "Quota_repId_fkey" FOREIGN KEY ("repId") REFERENCES "Rep"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Quota" ADD CONSTRAINT "Quota_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "SalesTeam"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LeadCount" ADD CONSTRAINT "LeadCount_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LeadCount" ADD CONSTRAINT "LeadCount_repId_fkey" FOREIGN KEY ("repId") REFERENCES "Rep"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LeadCount" ADD CONSTRAINT "LeadCount_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "SalesTeam"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CurrencyRate" ADD CONSTRAINT "CurrencyRate_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEntry" ADD CONSTRAINT "AuditEntry_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DigestSubscription" ADD CONSTRAINT "DigestSubscription_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DigestSubscription" ADD CONSTRAINT "DigestSubscription_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "SalesTeam"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DigestSlot" ADD CONSTRAINT "DigestSlot_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "DigestSubscription"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertSetting" ADD CONSTRAINT "AlertSetting_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertEvent" ADD CONSTRAINT "AlertEvent_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertSnooze" ADD CONSTRAINT "AlertSnooze_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
