import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Installation } from '@slack/oauth';
import { DbInstallationStore } from '../../src/slack/oauth/installation-store.js';
import { slackTokenKeyRing } from '../../src/domain/installations/slack-installation.js';
import { findSlackInstallation } from '../../src/domain/installations/find-slack-installation.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';
import { installFromBolt } from '../../src/slack/oauth/installation-store.js';
import { slackTokenExchange } from '../../src/slack/oauth/bot-tokens.js';
import { resolveBotToken, SlackTokenRefreshError, type TSlackTokenExchange } from '../../src/domain/installations/resolve-bot-token.js';
import { saveSlackInstallation } from '../../src/domain/installations/save-slack-installation.js';
import { deactivateSlackInstallation } from '../../src/domain/installations/deactivate-slack-installation.js';
import { openDatabase, type Db } from '../../src/storage/db.js';
import { createLogger } from '../../src/logger.js';
import { FakeSlack } from '../helpers/fake-slack.js';

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

describe.each(testEngines())('Slack token rotation on %s (issue #11)', (dialect) => {
  let t: TestDatabase;
  let second: Db;
  let fake: FakeSlack;
  const ring = slackTokenKeyRing(KEY);
  const installedAt = new Date('2026-03-02T09:00:00Z');
  const expiresAt = new Date(installedAt.getTime() + 12 * 3_600_000);
  const query = { teamId: 'TROT' };
  const logger = createLogger('error', () => undefined);
  let exchange: TSlackTokenExchange;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    // A second app instance: its own connection (pool) to the same database.
    second = openDatabase(t.url);
    fake = await new FakeSlack().start();
    const real = slackTokenExchange({ clientId: '1.2', clientSecret: 'secret', slackApiUrl: fake.apiUrl, logger });
    // Slow enough that both instances are inside a refresh at the same moment.
    exchange = async (rt) => {
      await new Promise((r) => setTimeout(r, 150));
      return real(rt);
    };
    // The install as Slack answers it with rotation on (the fake then accepts its refresh token once).
    fake.grant('code-rot', { botToken: 'xoxe.xoxb-TROT-r0', refreshToken: 'xoxe-1-TROT-r0', expiresIn: 43_200, teamId: 'TROT', userId: 'UADMIN' });
    const res = await fetch(`${fake.apiUrl}oauth.v2.access`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'code=code-rot&client_id=1.2&client_secret=secret' });
    const answer = (await res.json()) as { access_token: string; refresh_token: string; expires_in: number };
    expect(answer).toMatchObject({ access_token: 'xoxe.xoxb-TROT-r0', refresh_token: 'xoxe-1-TROT-r0', expires_in: 43_200 });
    const store = new DbInstallationStore({ db: t.db, ring, now: () => installedAt });
    await store.storeInstallation(
      workspaceInstall('TROT', answer.access_token, {
        bot: { token: answer.access_token, refreshToken: answer.refresh_token, expiresAt: Math.floor(expiresAt.getTime() / 1000), scopes: ['commands'], id: 'B1', userId: 'UBOT1' },
      }),
    );
  });
  afterAll(async () => {
    await fake?.stop();
    await second?.close();
    await t?.drop();
  });

  test('a token far from expiry is used as it is: no exchange', async () => {
    const got = await resolveBotToken({ db: t.db, ring, query, now: new Date(installedAt.getTime() + 9 * 3_600_000), exchange, logger });
    expect(got?.botToken).toBe('xoxe.xoxb-TROT-r0');
    expect(fake.refreshes).toHaveLength(0);
  });

  test('two instances refreshing at the same moment: one exchange, both use the same fresh token, stored sealed', async () => {
    const now = new Date(expiresAt.getTime() - 90 * 60_000); // within the 2-hour margin
    const [a, b] = await Promise.all([
      resolveBotToken({ db: t.db, ring, query, now, exchange, logger, pollMs: 20 }),
      resolveBotToken({ db: second, ring, query, now, exchange, logger, pollMs: 20 }),
    ]);
    expect(fake.refreshes).toEqual([{ refreshToken: 'xoxe-1-TROT-r0', ok: true, accessToken: 'xoxe.xoxb-TROT-r1' }]);
    expect(fake.callsTo('oauth.v2.access').filter((c) => c.args.grant_type === 'refresh_token')).toHaveLength(1);
    expect(a?.botToken).toBe('xoxe.xoxb-TROT-r1');
    expect(b?.botToken).toBe('xoxe.xoxb-TROT-r1');
    const stored = await findSlackInstallation({ db: second, ring, query });
    expect(stored).toMatchObject({ botToken: 'xoxe.xoxb-TROT-r1', botRefreshToken: 'xoxe-1-TROT-r1', tokenVersion: 1 });
    expect(stored?.botTokenExpiresAt?.toISOString()).toBe(new Date(now.getTime() + 43_200_000).toISOString());
    const raw = JSON.stringify(await t.db.prisma.$queryRawUnsafe('SELECT * FROM "SlackInstallation"'), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    expect(raw).not.toContain('xoxe');
  });

  test('a refresh that fails keeps the current token while it is valid; once expired the failure is an error', async () => {
    const failing: TSlackTokenExchange = () => Promise.reject(new Error('An API error occurred: invalid_refresh_token'));
    const stored = await findSlackInstallation({ db: t.db, ring, query });
    const nearExpiry = new Date(stored!.botTokenExpiresAt!.getTime() - 60_000);
    expect((await resolveBotToken({ db: t.db, ring, query, now: nearExpiry, exchange: failing, logger }))?.botToken).toBe('xoxe.xoxb-TROT-r1');
    const afterExpiry = new Date(stored!.botTokenExpiresAt!.getTime() + 60_000);
    await expect(resolveBotToken({ db: t.db, ring, query, now: afterExpiry, exchange: failing, logger })).rejects.toThrow(SlackTokenRefreshError);
    // The claim was given back: a working exchange refreshes at once.
    expect((await resolveBotToken({ db: t.db, ring, query, now: afterExpiry, exchange, logger }))?.botToken).toBe('xoxe.xoxb-TROT-r2');
  });

  test('an uninstall older than a reinstall changes nothing; one after it deactivates, and a repeat changes nothing', async () => {
    const reinstalledAt = new Date('2026-03-04T10:00:00Z');
    await saveSlackInstallation({ db: t.db, ring, now: reinstalledAt, install: { ...installFromBolt(workspaceInstall('TROT', 'xoxb-trot-again')) } });
    expect(await deactivateSlackInstallation({ db: t.db, query, now: reinstalledAt, happenedAt: new Date('2026-03-04T09:59:00Z') })).toBe(false);
    expect((await findSlackInstallation({ db: t.db, ring, query }))?.active).toBe(true);
    expect(await deactivateSlackInstallation({ db: t.db, query, now: reinstalledAt, happenedAt: new Date('2026-03-04T10:05:00Z') })).toBe(true);
    expect(await deactivateSlackInstallation({ db: t.db, query, now: reinstalledAt, happenedAt: new Date('2026-03-04T10:05:00Z') })).toBe(false);
    expect(await findSlackInstallation({ db: t.db, ring, query })).toBeNull();
    // No token is handed out for an inactive installation, refresh or not.
    expect(await resolveBotToken({ db: t.db, ring, query, now: reinstalledAt, exchange, logger })).toBeNull();
  });
});
