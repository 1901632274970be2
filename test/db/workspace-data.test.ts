import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exportWorkspace, type TCsvSink } from '../../src/domain/workspaces/export-workspace.js';
import { countWorkspaceData, purgeExpiredWorkspaces, purgeWorkspace } from '../../src/domain/workspaces/purge-workspace.js';
import { checkStoredSecrets, resealSecrets } from '../../src/domain/secrets/reseal-secrets.js';
import { findSlackInstallation } from '../../src/domain/installations/find-slack-installation.js';
import { slackTokenKeyRing } from '../../src/domain/installations/slack-installation.js';
import { crmKeyRing, openCredentials } from '../../src/domain/crm/credentials.js';
import { loadCrmConnection } from '../../src/domain/crm/load-crm-connection.js';
import { WORKSPACE_TABLES } from '../../src/storage/queries/workspace-data.js';
import { runPurgeCli, type PurgeCliIo } from '../../src/cli/purge.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';
import { countRowsOfTeam, CRM_KEY, schemaModels, seededSecrets, seedWorkspace, SLACK_KEY } from '../helpers/workspace-seed.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const DAY = 86_400_000;
const NEW_SLACK_KEY = Buffer.alloc(32, 31).toString('base64');
const NEW_CRM_KEY = Buffer.alloc(32, 32).toString('base64');
const STRANGER_KEY = Buffer.alloc(32, 33).toString('base64');

type TRow = Record<string, string>;

/** Exports into memory and parses every file back. */
async function exportToMemory(t: TestDatabase, teamId: string, pageSize?: number): Promise<{ files: Record<string, TRow[]>; raw: Record<string, string>; counts: Record<string, number> }> {
  const raw: Record<string, string> = {};
  const result = await exportWorkspace({
    db: t.db,
    slackTeamId: teamId,
    ...(pageSize ? { pageSize } : {}),
    openFile: async (file): Promise<TCsvSink> => {
      raw[file] = '';
      return { write: async (text) => void (raw[file] += text), close: async () => undefined };
    },
  });
  const files: Record<string, TRow[]> = {};
  for (const [file, text] of Object.entries(raw)) files[file] = parse(text, { columns: true, record_delimiter: '\r\n' }) as TRow[];
  return { files, raw, counts: Object.fromEntries(result.files.map((f) => [f.file, f.rows])) };
}

/** What a spreadsheet-safe text cell stored: the leading ' of a formula-looking value taken off. */
const unguard = (cell: string): string => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

describe.each(testEngines())('workspace export, purge, retention and key rotation on %s (issue #11)', (dialect) => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  });
  afterAll(async () => t.drop());

  test('the catalogue covers every model of the schema, and the seed fills every one', async () => {
    expect([...WORKSPACE_TABLES].sort()).toEqual(schemaModels().sort());
    await seedWorkspace(t.db, 'TCAT', { tag: 'cat' });
    const counts = await countRowsOfTeam(t.db, 'TCAT');
    expect(Object.keys(counts).sort()).toEqual(schemaModels().sort());
    for (const [model, n] of Object.entries(counts)) expect(n, model).toBeGreaterThan(0);
    await purgeWorkspace({ db: t.db, slackTeamId: 'TCAT' });
  });

  test('export: every file parses back to what is stored; formulas neutralised; no secret written', async () => {
    await seedWorkspace(t.db, 'TEX1', { tag: 'ex1', extraDeals: 7 });
    await seedWorkspace(t.db, 'TEX2', { tag: 'ex2' });
    const { files, raw, counts } = await exportToMemory(t, 'TEX1', 3);
    const stored = await countRowsOfTeam(t.db, 'TEX1');

    expect(counts['deals.csv']).toBe(stored['Deal']);
    expect(counts['deals.csv']).toBe(10);
    expect(counts['quotas.csv']).toBe(stored['Quota']);
    expect(counts['lead_counts.csv']).toBe(stored['LeadCount']);
    expect(counts['refunds.csv']).toBe(stored['Refund']);
    expect(counts['subscription_changes.csv']).toBe(stored['SubscriptionChange']);
    expect(counts['digest_slots.csv']).toBe(stored['DigestSlot']);
    expect(counts['crm_owner_maps.csv']).toBe(stored['CrmOwnerMap']);
    expect(counts['slack_installation.csv']).toBe(1);
    expect(counts['workspace.csv']).toBe(1);
    for (const [file, rows] of Object.entries(files)) expect(rows.length, file).toBe(counts[file]);

    // Deals, cell by cell, against the rows Prisma reads.
    const ws = await t.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: 'TEX1' } });
    const deals = await t.db.prisma.deal.findMany({ where: { workspaceId: ws.id }, include: { owner: true }, orderBy: { id: 'asc' } });
    expect(files['deals.csv']!.map((r) => Number(r['id']))).toEqual(deals.map((d) => d.id));
    for (const [i, d] of deals.entries()) {
      const r = files['deals.csv']![i]!;
      expect(unguard(r['customer']!)).toBe(d.customer);
      expect(r['amount_minor']).toBe(d.amountMinor.toString());
      expect(r['currency']).toBe(d.currency);
      expect(r['amount_reporting_minor']).toBe(d.amountReportingMinor.toString());
      expect(r['status']).toBe(d.status);
      expect(r['stage']).toBe(d.stage);
      expect(r['type']).toBe(d.type);
      expect(r['external_id']).toBe(d.externalId);
      expect(unguard(r['owner_name']!)).toBe(d.owner.name);
      expect(r['owner_slack_user_id']).toBe(d.owner.slackUserId);
      expect(r['created_at']).toBe(d.createdAt.toISOString());
      expect(r['closed_at']).toBe(d.closedAt ? d.closedAt.toISOString() : '');
      expect(r['notes']).toBe(d.notes ?? '');
      expect(unguard(r['lost_reason']!)).toBe(d.lostReason ?? '');
      expect(r['recurring_monthly_minor']).toBe(d.recurringMonthlyMinor?.toString() ?? '');
    }
    const won = files['deals.csv']!.find((r) => r['external_id'] === 'D-1')!;
    expect(won['customer']).toBe(`'=HYPERLINK("http://evil.example","x")`);
    expect(won['closed_at']).toBe('2026-03-01T09:00:00.000Z');
    expect(files['deals.csv']!.find((r) => r['external_id'] === 'D-3')!['customer']).toBe("'-1+2");
    expect(files['reps.csv']!.find((r) => r['slack_user_id'] === 'U2')!['name']).toBe("'@ben");
    // RFC 4180 on the wire: quotes doubled, a comma or a newline inside quotes, CRLF records.
    expect(raw['deals.csv']).toContain('"\'=HYPERLINK(""http://evil.example"",""x"")"');
    expect(raw['deals.csv']).toContain('"line one\nline two, with ""quotes"""');
    expect(raw['deals.csv']!.endsWith('\r\n')).toBe(true);
    // Numbers are the app's own: a negative threshold stays a number.
    expect(files['alert_settings.csv']![0]!['threshold']).toBe('-0.25');
    expect(files['alert_settings.csv']![0]!['enabled']).toBe('false');

    const quota = await t.db.prisma.quota.findFirstOrThrow({ where: { workspaceId: ws.id } });
    expect(files['quotas.csv']![0]).toMatchObject({ amount_minor: quota.amountMinor.toString(), currency: 'EUR', period_kind: 'month', period_start: '2026-03-01T00:00:00.000Z', period_end: '2026-04-01T00:00:00.000Z' });
    expect(files['lead_counts.csv']![0]).toMatchObject({ count: '42', source: 'web', period_start: '2026-02-01T00:00:00.000Z' });
    expect(files['refunds.csv']![0]).toMatchObject({ amount_minor: '20000', currency: 'USD', reason: "'@damaged", external_id: 'R-1' });
    expect(files['subscription_changes.csv']![0]).toMatchObject({ monthly_minor: '120000', currency: 'USD', external_id: 'M-1' });
    expect(files['workspace.csv']![0]).toMatchObject({ slack_team_id: 'TEX1', currency: 'EUR', time_zone: 'Europe/Berlin', alerts_channel_id: 'C-ALERTS' });
    expect(files['crm_connections.csv']![0]).toMatchObject({ vendor: 'hubspot', cursor: 'cursor-42', status: 'active' });
    expect(Object.keys(files['crm_connections.csv']![0]!)).not.toContain('credentials');
    expect(Object.keys(files['slack_installation.csv']![0]!)).not.toContain('bot_token');
    expect(Object.keys(files['crm_settings.csv']![0]!)).not.toContain('webhook_password_hash');
    expect(files['slack_installation.csv']![0]).toMatchObject({ install_key: 'team:TEX1', active: 'true', bot_scopes: 'commands,chat:write' });

    const everything = Object.values(raw).join('\n');
    for (const secret of [...seededSecrets('TEX1'), 's1.']) expect(everything).not.toContain(secret);
    // Nothing of the other workspace, although it shares user, channel and deal ids.
    expect(everything).not.toContain('TEX2');
    const otherWs = await t.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: 'TEX2' } });
    expect(files['deals.csv']!.every((r) => r['id'] !== undefined)).toBe(true);
    const otherDealIds = new Set((await t.db.prisma.deal.findMany({ where: { workspaceId: otherWs.id } })).map((d) => String(d.id)));
    expect(files['deals.csv']!.some((r) => otherDealIds.has(r['id']!))).toBe(false);
    for (const team of ['TEX1', 'TEX2']) await purgeWorkspace({ db: t.db, slackTeamId: team });
  });

  test('purge: every row of T1 goes, none of T2 (same ids); a second run deletes nothing', async () => {
    await seedWorkspace(t.db, 'TP1', { tag: 'p1', extraDeals: 5 });
    await seedWorkspace(t.db, 'TP2', { tag: 'p2', extraDeals: 5 });
    const before1 = await countRowsOfTeam(t.db, 'TP1');
    const before2 = await countRowsOfTeam(t.db, 'TP2');
    const dry = await countWorkspaceData({ db: t.db, slackTeamId: 'TP1' });
    expect(Object.fromEntries(dry.map((c) => [c.table, c.rows]))).toEqual(before1);
    expect(await countRowsOfTeam(t.db, 'TP1')).toEqual(before1);

    const deleted = await purgeWorkspace({ db: t.db, slackTeamId: 'TP1', batchSize: 2 });
    expect(Object.fromEntries(deleted.map((c) => [c.table, c.rows]))).toEqual(before1);
    const after1 = await countRowsOfTeam(t.db, 'TP1');
    for (const model of schemaModels()) expect(after1[model], model).toBe(0);
    expect(await countRowsOfTeam(t.db, 'TP2')).toEqual(before2);

    const again = await purgeWorkspace({ db: t.db, slackTeamId: 'TP1' });
    expect(again.every((c) => c.rows === 0)).toBe(true);
    expect(await countRowsOfTeam(t.db, 'TP2')).toEqual(before2);
    // T2 still works: its CRM credentials and token open.
    const ws2 = await t.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: 'TP2' } });
    expect((await loadCrmConnection({ db: t.db, workspaceId: ws2.id, keyRing: crmKeyRing(CRM_KEY), now: NOW }))?.credentials).toEqual({ accessToken: 'pat-TP2-crm-secret' });
    expect((await findSlackInstallation({ db: t.db, ring: slackTokenKeyRing(SLACK_KEY), query: { teamId: 'TP2' } }))?.botToken).toBe('xoxb-TP2-bot-secret');
    await purgeWorkspace({ db: t.db, slackTeamId: 'TP2' });
  });

  test('purge CLI: a wrong answer, or no terminal without --yes, deletes nothing; the right answer purges', async () => {
    await seedWorkspace(t.db, 'TQ1', { tag: 'q1' });
    const before = await countRowsOfTeam(t.db, 'TQ1');
    const lines: string[] = [];
    const io = (answer: string | null, isTTY: boolean): PurgeCliIo => ({ out: (l) => lines.push(l), err: (l) => lines.push(l), isTTY, ...(answer !== null ? { ask: async () => answer } : {}) });
    const env = { DATABASE_URL: t.url };

    expect(await runPurgeCli(['--workspace', 'TQ1'], env, io('TQ2', true))).toBe(1);
    expect(lines.join('\n')).toContain('Not confirmed; nothing deleted.');
    expect(await runPurgeCli(['--workspace', 'TQ1'], env, io(null, false))).toBe(2);
    expect(lines.join('\n')).toContain('stdin is not a terminal, so pass --yes');
    expect(await countRowsOfTeam(t.db, 'TQ1')).toEqual(before);

    lines.length = 0;
    expect(await runPurgeCli(['--workspace', 'TQ1'], env, io(' TQ1 ', true))).toBe(0);
    expect(lines.join('\n')).toMatch(/Type the workspace id|Purged workspace TQ1/);
    expect(Object.values(await countRowsOfTeam(t.db, 'TQ1')).every((n) => n === 0)).toBe(true);
  });

  test('--expired purges only installations inactive longer than the retention, as of the injected now', async () => {
    await seedWorkspace(t.db, 'TOLD', { tag: 'old', uninstalledAt: new Date(NOW.getTime() - 91 * DAY) });
    await seedWorkspace(t.db, 'TRECENT', { tag: 'recent', uninstalledAt: new Date(NOW.getTime() - 89 * DAY) });
    await seedWorkspace(t.db, 'TLIVE', { tag: 'live' });
    const recent = await countRowsOfTeam(t.db, 'TRECENT');
    const live = await countRowsOfTeam(t.db, 'TLIVE');

    const dry = await purgeExpiredWorkspaces({ db: t.db, now: NOW, retentionDays: 90, dryRun: true });
    expect(dry.map((d) => d.teamId)).toEqual(['TOLD']);
    expect((await countRowsOfTeam(t.db, 'TOLD'))['Deal']).toBe(3);

    const purged = await purgeExpiredWorkspaces({ db: t.db, now: NOW, retentionDays: 90 });
    expect(purged.map((d) => d.teamId)).toEqual(['TOLD']);
    expect(Object.values(await countRowsOfTeam(t.db, 'TOLD')).every((n) => n === 0)).toBe(true);
    expect(await countRowsOfTeam(t.db, 'TRECENT')).toEqual(recent);
    expect(await countRowsOfTeam(t.db, 'TLIVE')).toEqual(live);

    // Two days later the recent one is due too; the live one never.
    expect((await purgeExpiredWorkspaces({ db: t.db, now: new Date(NOW.getTime() + 2 * DAY), retentionDays: 90 })).map((d) => d.teamId)).toEqual(['TRECENT']);
    expect(await purgeExpiredWorkspaces({ db: t.db, now: new Date(NOW.getTime() + 2 * DAY), retentionDays: 90 })).toEqual([]);
    expect(await countRowsOfTeam(t.db, 'TLIVE')).toEqual(live);
    await purgeWorkspace({ db: t.db, slackTeamId: 'TLIVE' });
  });

  test('key rotation: old-key blobs open before, re-sealed with the current key after; idempotent; a stranger key is reported', async () => {
    await seedWorkspace(t.db, 'TK1', { tag: 'k1' });
    await seedWorkspace(t.db, 'TK2', { tag: 'k2' });
    const rotated = { slack: slackTokenKeyRing(NEW_SLACK_KEY, `${STRANGER_KEY},${SLACK_KEY}`), crm: crmKeyRing(NEW_CRM_KEY, SLACK_KEY + ',' + CRM_KEY) };
    const newOnly = { slack: slackTokenKeyRing(NEW_SLACK_KEY), crm: crmKeyRing(NEW_CRM_KEY) };

    // Before the rotation: the new ring with the old key among its previous keys opens every value.
    expect((await findSlackInstallation({ db: t.db, ring: rotated.slack, query: { teamId: 'TK1' } }))?.botRefreshToken).toBe('xoxe-TK1-refresh-secret');
    expect((await checkStoredSecrets({ db: t.db, rings: rotated })).stop).toBeNull();
    const line = (await checkStoredSecrets({ db: t.db, rings: newOnly })).stop;
    expect(line).toMatch(/^Startup stopped: 2 stored Slack installation tokens, 2 stored Slack refresh tokens, 2 stored CRM credentials cannot be opened with SLACK_TOKEN_ENCRYPTION_KEY \(or SLACK_TOKEN_ENCRYPTION_KEY_PREVIOUS\) and CRM_ENCRYPTION_KEY \(or CRM_ENCRYPTION_KEY_PREVIOUS\)/);
    expect(line).not.toContain(SLACK_KEY);

    const dry = await resealSecrets({ db: t.db, rings: rotated, write: false });
    expect(dry.map((c) => [c.kind, c.stored, c.stale, c.current, c.unreadable])).toEqual([
      ['slack-token', 2, 2, 0, 0],
      ['slack-refresh-token', 2, 2, 0, 0],
      ['crm-credentials', 2, 2, 0, 0],
      ['crm-oauth-state', 2, 2, 0, 0],
    ]);
    expect((await checkStoredSecrets({ db: t.db, rings: newOnly })).stop).not.toBeNull();

    const run = await resealSecrets({ db: t.db, rings: rotated, write: true });
    expect(run.every((c) => c.stale === 2 && c.changedMeanwhile === 0)).toBe(true);
    // Now the new key alone opens everything, and the old one nothing.
    expect((await checkStoredSecrets({ db: t.db, rings: newOnly })).stop).toBeNull();
    expect((await findSlackInstallation({ db: t.db, ring: newOnly.slack, query: { teamId: 'TK2' } }))?.botToken).toBe('xoxb-TK2-bot-secret');
    await expect(findSlackInstallation({ db: t.db, ring: slackTokenKeyRing(SLACK_KEY), query: { teamId: 'TK2' } })).rejects.toThrow(/cannot be opened/);
    const ws1 = await t.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: 'TK1' } });
    const state = await t.db.prisma.crmOAuthState.findFirstOrThrow({ where: { workspaceId: ws1.id } });
    expect(openCredentials(newOnly.crm, ws1.id, state.sealed)).toEqual({ credentials: { codeVerifier: 'verifier-TK1-secret' }, stale: false });
    // The database holds no readable secret.
    const rows = JSON.stringify([await t.db.prisma.slackInstallation.findMany(), await t.db.prisma.crmConnection.findMany(), await t.db.prisma.crmOAuthState.findMany()], (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    for (const s of [...seededSecrets('TK1'), ...seededSecrets('TK2')].filter((s) => !s.startsWith('hash-'))) expect(rows).not.toContain(s);

    const second = await resealSecrets({ db: t.db, rings: rotated, write: true });
    expect(second.every((c) => c.stale === 0 && c.current === 2)).toBe(true);

    // A value under a configured key that does not open (TK2's token copied onto TK1's row) does not
    // stop the app for every workspace once another value proves the key: it is reported apart.
    const tk1 = await t.db.prisma.slackInstallation.findUniqueOrThrow({ where: { installKey: 'team:TK1' } });
    const tk2 = await t.db.prisma.slackInstallation.findUniqueOrThrow({ where: { installKey: 'team:TK2' } });
    await t.db.prisma.slackInstallation.update({ where: { id: tk1.id }, data: { botToken: tk2.botToken } });
    const copied = await checkStoredSecrets({ db: t.db, rings: newOnly, pageSize: 1 });
    expect(copied.stop).toBeNull();
    expect(copied.damaged).toBe('1 stored Slack installation token sealed with a configured key did not open (damaged or copied from another row); those workspaces must reinstall or reconnect.');
    await t.db.prisma.slackInstallation.update({ where: { id: tk1.id }, data: { botToken: tk1.botToken } });
    expect(await checkStoredSecrets({ db: t.db, rings: newOnly })).toEqual({ stop: null, damaged: null });

    // A value sealed with a key nobody configured is counted, left alone, and stops startup.
    await seedWorkspace(t.db, 'TK3', { tag: 'k3', slackKey: Buffer.alloc(32, 99).toString('base64') });
    const third = await resealSecrets({ db: t.db, rings: rotated, write: true });
    expect(third.find((c) => c.kind === 'slack-token')).toMatchObject({ stored: 3, unreadable: 1, current: 2, stale: 0 });
    expect(third.find((c) => c.kind === 'crm-credentials')).toMatchObject({ stored: 3, stale: 1 });
    expect((await checkStoredSecrets({ db: t.db, rings: rotated })).stop).toMatch(/^Startup stopped: 1 stored Slack installation token, 1 stored Slack refresh token cannot be opened with SLACK_TOKEN_ENCRYPTION_KEY \(or SLACK_TOKEN_ENCRYPTION_KEY_PREVIOUS\);/);
    for (const team of ['TK1', 'TK2', 'TK3']) await purgeWorkspace({ db: t.db, slackTeamId: team });
  });
});
