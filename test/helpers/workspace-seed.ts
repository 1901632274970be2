import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Db } from '../../src/storage/db.js';
import { crmKeyRing, sealCredentials } from '../../src/domain/crm/credentials.js';
import { sealToken, slackTokenKeyRing } from '../../src/domain/installations/slack-installation.js';

/**
 * A workspace with at least one row in every table of the schema, for export and purge tests.
 * Two seeded workspaces share every id a user or a CRM gives (Slack user and channel ids, deal
 * external ids, CRM stage and owner ids), so a query that forgets the workspace shows up.
 */

export const SLACK_KEY = Buffer.alloc(32, 21).toString('base64');
export const CRM_KEY = Buffer.alloc(32, 22).toString('base64');

/** Every model of prisma/models.prisma.part, read from the schema itself. */
export function schemaModels(): string[] {
  const text = readFileSync(resolve(import.meta.dirname, '../../prisma/models.prisma.part'), 'utf8');
  return [...text.matchAll(/^model (\w+) \{/gm)].map((m) => m[1]!);
}

/** Rows of each model that belong to the workspace with that team id, counted straight from the models. */
export async function countRowsOfTeam(db: Db, teamId: string): Promise<Record<string, number>> {
  const p = db.prisma;
  const ws = await p.workspace.findUnique({ where: { slackTeamId: teamId } });
  const id = ws?.id ?? -1;
  const w = { workspaceId: id };
  return {
    Workspace: await p.workspace.count({ where: { slackTeamId: teamId } }),
    SalesTeam: await p.salesTeam.count({ where: w }),
    Rep: await p.rep.count({ where: w }),
    Deal: await p.deal.count({ where: w }),
    DealStageChange: await p.dealStageChange.count({ where: w }),
    SubscriptionChange: await p.subscriptionChange.count({ where: w }),
    Refund: await p.refund.count({ where: w }),
    Quota: await p.quota.count({ where: w }),
    LeadCount: await p.leadCount.count({ where: w }),
    CurrencyRate: await p.currencyRate.count({ where: w }),
    AuditEntry: await p.auditEntry.count({ where: w }),
    DigestSubscription: await p.digestSubscription.count({ where: w }),
    DigestSlot: await p.digestSlot.count({ where: { subscription: { workspaceId: id } } }),
    Delivery: await p.delivery.count({ where: w }),
    AlertSetting: await p.alertSetting.count({ where: w }),
    AlertEvent: await p.alertEvent.count({ where: w }),
    AlertSnooze: await p.alertSnooze.count({ where: w }),
    CrmConnection: await p.crmConnection.count({ where: w }),
    CrmStageMap: await p.crmStageMap.count({ where: { connection: { workspaceId: id } } }),
    CrmOwnerMap: await p.crmOwnerMap.count({ where: { connection: { workspaceId: id } } }),
    CrmSettings: await p.crmSettings.count({ where: w }),
    CrmOAuthState: await p.crmOAuthState.count({ where: w }),
    SlackOrgTeam: await p.slackOrgTeam.count({ where: { teamId } }),
    SlackInstallation: await p.slackInstallation.count({ where: { installKey: `team:${teamId}` } }),
  };
}

export interface TSeedOptions {
  /** Distinguishes values that must be unique across workspaces (HubSpot portal, webhook user, OAuth state). */
  tag: string;
  /** Installation state; default active. */
  uninstalledAt?: Date | null;
  slackKey?: string;
  crmKey?: string;
  /** Extra deals beyond the three fixed ones (paging). */
  extraDeals?: number;
}

const T0 = new Date('2026-03-02T09:00:00Z');
const at = (days: number): Date => new Date(T0.getTime() + days * 86_400_000);

/** Seeds a workspace with rows in every table; returns its workspace id. */
export async function seedWorkspace(db: Db, teamId: string, o: TSeedOptions): Promise<number> {
  const p = db.prisma;
  const slackRing = slackTokenKeyRing(o.slackKey ?? SLACK_KEY);
  const crmRing = crmKeyRing(o.crmKey ?? CRM_KEY);
  const ws = await p.workspace.create({ data: { slackTeamId: teamId, name: `Team ${teamId}`, currency: 'EUR', timeZone: 'Europe/Berlin', alertsChannelId: 'C-ALERTS', installerUserId: 'U1' } });
  const team = await p.salesTeam.create({ data: { workspaceId: ws.id, name: 'East', createdAt: T0 } });
  const ann = await p.rep.create({ data: { workspaceId: ws.id, slackUserId: 'U1', name: 'Ann, "the closer"', role: 'admin', teamId: team.id, createdAt: T0 } });
  const ben = await p.rep.create({ data: { workspaceId: ws.id, slackUserId: 'U2', name: '@ben', teamId: team.id, createdAt: T0 } });
  const won = await p.deal.create({
    data: {
      workspaceId: ws.id, ownerId: ann.id, customer: '=HYPERLINK("http://evil.example","x")', customerKey: 'x', amountMinor: 1_234_500n, currency: 'USD', amountReportingMinor: 1_100_000n,
      type: 'renewal', stage: 'won', status: 'won', maxStageIndex: 4, createdAt: at(-30), closedAt: at(-1), externalId: 'D-1', source: 'import',
      recurringMonthlyMinor: 100_000n, recurringReportingMinor: 90_000n, subscriptionStart: at(-1), notes: 'line one\nline two, with "quotes"', channelId: 'C1',
    },
  });
  const open = await p.deal.create({ data: { workspaceId: ws.id, ownerId: ben.id, customer: 'Beta GmbH', customerKey: 'beta gmbh', amountMinor: 500n, currency: 'EUR', amountReportingMinor: 500n, stage: 'demo', maxStageIndex: 2, createdAt: at(-10), externalId: 'D-2', leadSource: 'web' } });
  await p.deal.create({ data: { workspaceId: ws.id, ownerId: ben.id, customer: '-1+2', customerKey: '-1+2', amountMinor: 0n, currency: 'EUR', amountReportingMinor: 0n, stage: 'lost', status: 'lost', createdAt: at(-9), closedAt: at(-2), lostReason: '+price', externalId: 'D-3' } });
  for (let i = 0; i < (o.extraDeals ?? 0); i++) {
    await p.deal.create({ data: { workspaceId: ws.id, ownerId: ann.id, customer: `Extra ${i}`, customerKey: `extra ${i}`, amountMinor: BigInt(i * 100), currency: 'EUR', amountReportingMinor: BigInt(i * 100), stage: 'lead', createdAt: at(-i), externalId: `X-${i}` } });
  }
  await p.dealStageChange.create({ data: { workspaceId: ws.id, dealId: open.id, fromStage: 'lead', toStage: 'demo', changedAt: at(-5), changedById: ben.id } });
  await p.subscriptionChange.create({ data: { workspaceId: ws.id, dealId: won.id, effectiveAt: at(20), monthlyMinor: 120_000n, currency: 'USD', monthlyReportingMinor: 108_000n, externalId: 'M-1' } });
  await p.refund.create({ data: { workspaceId: ws.id, dealId: won.id, amountMinor: 20_000n, currency: 'USD', amountReportingMinor: 18_000n, reason: '@damaged', recordedAt: at(-1), externalId: 'R-1', source: 'import' } });
  await p.quota.create({ data: { workspaceId: ws.id, repId: ann.id, periodKind: 'month', periodStart: new Date('2026-03-01T00:00:00Z'), periodEnd: new Date('2026-04-01T00:00:00Z'), amountMinor: 5_000_000n, currency: 'EUR' } });
  await p.leadCount.create({ data: { workspaceId: ws.id, teamId: team.id, periodStart: new Date('2026-02-01T00:00:00Z'), periodEnd: new Date('2026-03-01T00:00:00Z'), count: 42, source: 'web', scopeKey: 'k1' } });
  await p.currencyRate.create({ data: { workspaceId: ws.id, fromCurrency: 'USD', rate: 0.9 } });
  await p.auditEntry.create({ data: { workspaceId: ws.id, actorRepId: ann.id, actorSlackUserId: 'U1', entity: 'deal', entityId: won.id, action: 'create', after: '{"customer":"x"}', createdAt: at(-1), requestKey: 'cmd:1' } });
  const sub = await p.digestSubscription.create({ data: { workspaceId: ws.id, channelId: 'C1', timeZone: 'Europe/Berlin', teamId: team.id } });
  await p.digestSlot.create({ data: { subscriptionId: sub.id, scheduledFor: at(1), status: 'sent', sentAt: at(1), messageTs: '1.2' } });
  await p.delivery.create({ data: { workspaceId: ws.id, channelId: 'C1', kind: 'digest', status: 'sent', messageTs: '1.2', createdAt: at(1) } });
  await p.alertSetting.create({ data: { workspaceId: ws.id, rule: 'winrate', threshold: -0.25, enabled: false } });
  await p.alertEvent.create({ data: { workspaceId: ws.id, rule: 'winrate', conditionKey: '*', periodKey: '2026-03', value: 0.1, threshold: 0.2, message: 'Win rate low', firedAt: at(0) } });
  await p.alertSnooze.create({ data: { workspaceId: ws.id, rule: 'winrate', until: at(7), bySlackUserId: 'U1' } });
  const conn = await p.crmConnection.create({
    data: { workspaceId: ws.id, vendor: 'hubspot', credentials: sealCredentials(crmRing, ws.id, { accessToken: `pat-${teamId}-crm-secret` }), cursor: 'cursor-42', status: 'active', lastSuccessAt: at(0) },
  });
  await p.crmStageMap.create({ data: { connectionId: conn.id, crmStageId: 'S1', label: 'Demo', target: 'demo' } });
  await p.crmOwnerMap.create({ data: { connectionId: conn.id, crmOwnerId: 'O1', email: 'ann@example.com', repId: ann.id } });
  await p.crmSettings.create({ data: { workspaceId: ws.id, writeBack: true, hubspotPortalId: `portal-${o.tag}`, webhookUser: `hook-${o.tag}`, webhookPasswordHash: `hash-${teamId}-secret` } });
  await p.crmOAuthState.create({ data: { stateHash: `state-${o.tag}`, workspaceId: ws.id, slackUserId: 'U1', vendor: 'salesforce', sealed: sealCredentials(crmRing, ws.id, { codeVerifier: `verifier-${teamId}-secret` }), expiresAt: at(1), createdAt: at(0) } });
  const installKey = `team:${teamId}`;
  await p.slackInstallation.create({
    data: {
      installKey, teamId, teamName: `Team ${teamId}`, botToken: sealToken(slackRing, installKey, `xoxb-${teamId}-bot-secret`), botRefreshToken: sealToken(slackRing, installKey, `xoxe-${teamId}-refresh-secret`),
      botId: 'B1', botUserId: 'UBOT', botScopes: 'commands,chat:write', installerUserId: 'U1', installedAt: at(-60), updatedAt: at(-60),
      active: o.uninstalledAt ? false : true, uninstalledAt: o.uninstalledAt ?? null,
    },
  });
  // As if the workspace had also been seen through an org-wide install (routing row, purged with it).
  await p.slackOrgTeam.create({ data: { teamId, enterpriseId: `E${o.tag}`, seenAt: at(-30) } });
  return ws.id;
}

/** Plain-text secrets a seeded workspace holds (sealed); none may appear in an export. */
export function seededSecrets(teamId: string): string[] {
  return [`xoxb-${teamId}-bot-secret`, `xoxe-${teamId}-refresh-secret`, `pat-${teamId}-crm-secret`, `verifier-${teamId}-secret`, `hash-${teamId}-secret`];
}
