import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Installation } from '@slack/oauth';
import { DbInstallationStore } from '../../src/slack/oauth/installation-store.js';
import { slackTokenKeyRing } from '../../src/domain/installations/slack-installation.js';
import { findSlackInstallation } from '../../src/domain/installations/find-slack-installation.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';

const KEY = Buffer.alloc(32, 9).toString('base64');
const OTHER_KEY = Buffer.alloc(32, 10).toString('base64');
const t0 = new Date('2026-03-02T09:00:00Z');

function workspaceInstall(teamId: string, token: string, extra: Partial<Installation> = {}): Installation {
  return {
    team: { id: teamId, name: `Team ${teamId}` },
    enterprise: undefined,
    user: { id: 'UINSTALLER', token: undefined, scopes: undefined },
    bot: { token, scopes: ['commands', 'chat:write'], id: 'B1', userId: 'UBOT1' },
    appId: 'A0KPI',
    tokenType: 'bot',
    isEnterpriseInstall: false,
    authVersion: 'v2',
    ...extra,
  };
}

function orgInstall(enterpriseId: string, token: string): Installation<'v2', true> {
  return {
    team: undefined,
    enterprise: { id: enterpriseId, name: 'Big Org' },
    user: { id: 'UORGADMIN', token: undefined, scopes: undefined },
    bot: { token, scopes: ['commands'], id: 'B2', userId: 'UBOT2' },
    isEnterpriseInstall: true,
    enterpriseUrl: 'https://big-org.enterprise.slack.com/',
    tokenType: 'bot',
    authVersion: 'v2',
  };
}

describe.each(testEngines())('Slack installations on %s (issue #11)', (dialect) => {
  let t: TestDatabase;
  let now = t0;
  let store: DbInstallationStore;
  const ring = slackTokenKeyRing(KEY);

  async function rawRows(): Promise<Array<Record<string, unknown>>> {
    return t.db.prisma.$queryRawUnsafe<Array<Record<string, unknown>>>('SELECT * FROM "SlackInstallation" ORDER BY "id"');
  }

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    store = new DbInstallationStore({ db: t.db, ring, now: () => now });
  });
  afterAll(async () => t.drop());

  test('store → fetch round trip, with rotation fields; the row holds no readable token', async () => {
    const expiresAt = Math.floor(t0.getTime() / 1000) + 43_200;
    await store.storeInstallation(
      workspaceInstall('TA', 'xoxb-team-a-secret', { bot: { token: 'xoxb-team-a-secret', refreshToken: 'xoxe-1-refresh-a', expiresAt, scopes: ['commands', 'chat:write'], id: 'B1', userId: 'UBOT1' } }),
    );
    const got = await store.fetchInstallation({ teamId: 'TA', enterpriseId: undefined, isEnterpriseInstall: false });
    expect(got.team).toEqual({ id: 'TA', name: 'Team TA' });
    expect(got.bot).toEqual({ token: 'xoxb-team-a-secret', refreshToken: 'xoxe-1-refresh-a', expiresAt, scopes: ['commands', 'chat:write'], id: 'B1', userId: 'UBOT1' });
    expect(got.user.id).toBe('UINSTALLER');
    expect(got.isEnterpriseInstall).toBe(false);

    const rows = await rawRows();
    expect(rows).toHaveLength(1);
    const text = JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    expect(text).not.toContain('xoxb-');
    expect(text).not.toContain('xoxe-');
    expect(String(rows[0]!.botToken)).toMatch(/^s1\.[0-9a-f]{8}\./);
    expect(rows[0]!.installKey).toBe('team:TA');
  });

  test('without the key the token does not open: another key, or the blob copied to another row', async () => {
    await expect(findSlackInstallation({ db: t.db, ring: slackTokenKeyRing(OTHER_KEY), query: { teamId: 'TA' } })).rejects.toThrow(/cannot be opened/);
    await store.storeInstallation(workspaceInstall('TB', 'xoxb-team-b-secret'));
    const [a] = await rawRows();
    await t.db.prisma.slackInstallation.update({ where: { installKey: 'team:TB' }, data: { botToken: String(a!.botToken) } });
    await expect(store.fetchInstallation({ teamId: 'TB', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toThrow(/cannot be opened/);
    await store.storeInstallation(workspaceInstall('TB', 'xoxb-team-b-secret'));
    expect((await store.fetchInstallation({ teamId: 'TB', enterpriseId: undefined, isEnterpriseInstall: false })).bot?.token).toBe('xoxb-team-b-secret');
  });

  test('an org-wide install is found by its enterprise id, also for a workspace of the org', async () => {
    await store.storeInstallation(orgInstall('E1', 'xoxb-org-secret'));
    const direct = await store.fetchInstallation({ teamId: undefined, enterpriseId: 'E1', isEnterpriseInstall: true });
    expect(direct.bot?.token).toBe('xoxb-org-secret');
    expect(direct.isEnterpriseInstall).toBe(true);
    expect(direct.enterprise).toEqual({ id: 'E1', name: 'Big Org' });
    expect(direct.team).toBeUndefined();
    // A workspace of the org with no install of its own.
    const viaWorkspace = await store.fetchInstallation({ teamId: 'T-IN-ORG', enterpriseId: 'E1', isEnterpriseInstall: false });
    expect(viaWorkspace.bot?.token).toBe('xoxb-org-secret');
    // Another org's workspace is not served by it.
    await expect(store.fetchInstallation({ teamId: 'T-ELSEWHERE', enterpriseId: 'E2', isEnterpriseInstall: false })).rejects.toThrow(/no active installation/);
    expect((await rawRows()).find((r) => r.installKey === 'enterprise:E1')?.enterpriseId).toBe('E1');
  });

  test('an org\'s token never serves a workspace that installed on its own outside the org (isolation)', async () => {
    // TB installed on its own, in no org: a request claiming org E1 for TB finds nothing to authorise with.
    expect(await findSlackInstallation({ db: t.db, ring, query: { teamId: 'TB', enterpriseId: 'E1', isEnterpriseInstall: true } })).toBeNull();
    await expect(store.fetchInstallation({ teamId: 'TB', enterpriseId: 'E1', isEnterpriseInstall: true })).rejects.toThrow(/no active installation/);
    // A workspace of the org that also installed on its own is still served by the org.
    await store.storeInstallation(workspaceInstall('T-ORG-OWN', 'xoxb-org-member-own', { enterprise: { id: 'E1', name: 'Big Org' } }));
    expect((await store.fetchInstallation({ teamId: 'T-ORG-OWN', enterpriseId: 'E1', isEnterpriseInstall: true })).bot?.token).toBe('xoxb-org-secret');
    expect((await store.fetchInstallation({ teamId: 'T-IN-ORG', enterpriseId: 'E1', isEnterpriseInstall: true })).bot?.token).toBe('xoxb-org-secret');
    expect((await store.fetchInstallation({ teamId: undefined, enterpriseId: 'E1', isEnterpriseInstall: true })).bot?.token).toBe('xoxb-org-secret');
  });

  test('delete marks the installation inactive (row kept); a reinstall restores it with the new token', async () => {
    now = new Date('2026-03-05T12:00:00Z');
    await store.deleteInstallation({ teamId: 'TA', enterpriseId: undefined, isEnterpriseInstall: false });
    await expect(store.fetchInstallation({ teamId: 'TA', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toThrow(/no active installation/);
    const row = (await rawRows()).find((r) => r.installKey === 'team:TA')!;
    expect(Boolean(row.active)).toBe(false);
    expect(new Date(row.uninstalledAt as string | number | Date).toISOString()).toBe('2026-03-05T12:00:00.000Z');
    const inactive = await findSlackInstallation({ db: t.db, ring, query: { teamId: 'TA' }, includeInactive: true });
    expect(inactive?.active).toBe(false);
    // Others are untouched.
    expect((await store.fetchInstallation({ teamId: 'TB', enterpriseId: undefined, isEnterpriseInstall: false })).bot?.token).toBe('xoxb-team-b-secret');

    now = new Date('2026-03-06T08:00:00Z');
    await store.storeInstallation(workspaceInstall('TA', 'xoxb-team-a-new'));
    const back = await findSlackInstallation({ db: t.db, ring, query: { teamId: 'TA' } });
    expect(back).toMatchObject({ active: true, uninstalledAt: null, botToken: 'xoxb-team-a-new', botRefreshToken: null, botTokenExpiresAt: null });
    expect(back?.installedAt.toISOString()).toBe('2026-03-06T08:00:00.000Z');
    expect((await rawRows()).filter((r) => r.installKey === 'team:TA')).toHaveLength(1);
  });

  test('deleting an org-wide install deactivates the org row, not the workspaces that installed on their own', async () => {
    await store.deleteInstallation({ teamId: undefined, enterpriseId: 'E1', isEnterpriseInstall: true });
    await expect(store.fetchInstallation({ teamId: 'T-IN-ORG', enterpriseId: 'E1', isEnterpriseInstall: false })).rejects.toThrow(/no active installation/);
    expect((await store.fetchInstallation({ teamId: 'TB', enterpriseId: undefined, isEnterpriseInstall: false })).bot?.token).toBe('xoxb-team-b-secret');
  });
});
