import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getPage, startInstall } from '../helpers/oauth-pages.js';
import { startHarness, TEST_BOT_TOKEN, type Harness } from '../helpers/app-harness.js';
import { testEngines } from '../helpers/test-db.js';
import type { FakeSlack } from '../helpers/fake-slack.js';
import { createSchedulers, type TSchedulers } from '../../src/scheduler/schedulers.js';
import { createLogger } from '../../src/logger.js';

const OAUTH = {
  // OAuth mode: no bot token from the environment (loadConfig drops empty values).
  SLACK_BOT_TOKEN: '',
  SLACK_CLIENT_ID: '1111111111.2222222222',
  SLACK_CLIENT_SECRET: 'oauth-client-secret-e2e',
  SLACK_STATE_SECRET: 'oauth-state-secret-e2e-0123456789abcdef',
  SLACK_TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 21).toString('base64'),
};
/** The scopes the install must ask for: exactly the manifest's bot scopes. */
const BOT_SCOPES = (parse(readFileSync(resolve(import.meta.dirname, '../../manifest.yml'), 'utf8')) as { oauth_config: { scopes: { bot: string[] } } }).oauth_config.scopes.bot;

async function rawInstallations(h: Harness): Promise<Array<Record<string, unknown>>> {
  return h.database.db.prisma.$queryRawUnsafe<Array<Record<string, unknown>>>('SELECT * FROM "SlackInstallation" ORDER BY "id"');
}

describe.each(testEngines())('install through Slack OAuth on %s (issue #11)', (dialect) => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(dialect, OAUTH);
  });
  afterAll(async () => h?.stop());

  test('the install page links to Slack\'s authorize URL with the client id, the bot scopes and a state bound to this browser', async () => {
    const { authorize, cookie, page } = await startInstall(h.url);
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/^<!doctype html>\n<html lang="en">/);
    // Slack's authorize page on the host of SLACK_API_URL: here the fake Slack's.
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${h.fake.url}/oauth/v2/authorize`);
    // Without PUBLIC_URL no redirect URL is named: Slack uses the app's configured one.
    expect(authorize.searchParams.has('redirect_uri')).toBe(false);
    expect(authorize.searchParams.get('client_id')).toBe(OAUTH.SLACK_CLIENT_ID);
    expect(authorize.searchParams.get('scope')?.split(',')).toEqual(BOT_SCOPES);
    const state = authorize.searchParams.get('state');
    expect(state).toBeTruthy();
    expect(cookie).toContain(`=${state}`);
    // Startup in OAuth mode checked no environment token.
    expect(h.fake.callsTo('auth.test')).toHaveLength(0);
  });

  test('a redirect with a forged state or without the browser\'s cookie shows the failure page and stores nothing', async () => {
    h.fake.grant('code-forged', { botToken: 'xoxb-should-never-be-stored', teamId: 'TEVIL', userId: 'UEVIL' });
    const forged = await getPage(`${h.url}/slack/oauth_redirect?code=code-forged&state=forged-state`, 'slack-app-oauth-state=forged-state');
    expect(forged.status).toBe(400);
    expect(forged.body).toContain('<h1>Sales KPIs was not installed</h1>');
    expect(forged.body).toContain('href="/slack/install"');

    const { authorize } = await startInstall(h.url);
    const noCookie = await getPage(`${h.url}/slack/oauth_redirect?code=code-forged&state=${encodeURIComponent(authorize.searchParams.get('state')!)}`);
    expect(noCookie.status).toBe(400);

    const cancelled = await getPage(`${h.url}/slack/oauth_redirect?error=access_denied&state=x`, 'slack-app-oauth-state=x');
    expect(cancelled.status).toBe(400);

    expect(h.fake.callsTo('oauth.v2.access')).toHaveLength(0);
    expect(await rawInstallations(h)).toHaveLength(0);
  });

  test('install two workspaces; each one\'s /deal is answered with its own token; the tokens are sealed at rest', async () => {
    for (const [team, code, token] of [
      ['TALPHA', 'code-alpha', 'xoxb-alpha-oauth-token'],
      ['TBETA', 'code-beta', 'xoxb-beta-oauth-token'],
    ] as const) {
      h.fake.grant(code, { botToken: token, teamId: team, teamName: `Team ${team}`, userId: 'UADMIN' });
      const { authorize, cookie } = await startInstall(h.url);
      const done = await getPage(`${h.url}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(authorize.searchParams.get('state')!)}`, cookie);
      expect(done.status).toBe(200);
      expect(done.body).toContain('<h1>Sales KPIs is installed</h1>');
      expect(done.body).toContain(`in Team ${team}`);
    }
    const exchange = h.fake.callsTo('oauth.v2.access');
    expect(exchange.map((c) => c.args.code)).toEqual(['code-alpha', 'code-beta']);
    expect(exchange[0]!.args.client_id).toBe(OAUTH.SLACK_CLIENT_ID);

    const rows = await rawInstallations(h);
    expect(rows.map((r) => r.installKey)).toEqual(['team:TALPHA', 'team:TBETA']);
    expect(JSON.stringify(rows)).not.toContain('xoxb-');

    h.fake.reset();
    const alpha = await h.slack.command('/deal', 'won 5k Acme', { team_id: 'TALPHA', channel_id: 'CALPHASALES', user_id: 'UREPA' });
    expect(alpha.status).toBe(200);
    const announced = await h.fake.waitFor(() => h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'CALPHASALES'));
    expect(announced.token).toBe('xoxb-alpha-oauth-token');
    expect(JSON.stringify(announced.args)).toContain('Acme');

    const beta = await h.slack.command('/deal', 'won 7k Globex', { team_id: 'TBETA', channel_id: 'CBETASALES', user_id: 'UREPB' });
    expect(beta.status).toBe(200);
    const betaPost = await h.fake.waitFor(() => h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'CBETASALES'));
    expect(betaPost.token).toBe('xoxb-beta-oauth-token');

    // Every Web API call of a request used that request's workspace token, never another's or none.
    const tokens = new Set(h.fake.calls.filter((c) => c.method !== 'upload').map((c) => c.token));
    expect([...tokens].sort()).toEqual(['xoxb-alpha-oauth-token', 'xoxb-beta-oauth-token']);
    expect(tokens.has(TEST_BOT_TOKEN)).toBe(false);
    const usersInfo = h.fake.callsTo('users.info');
    expect(usersInfo.find((c) => c.args.user === 'UREPA')?.token).toBe('xoxb-alpha-oauth-token');
    expect(usersInfo.find((c) => c.args.user === 'UREPB')?.token).toBe('xoxb-beta-oauth-token');
  });

  test('an org-wide Grid install serves a workspace of the org with the org\'s token', async () => {
    h.fake.grant('code-org', { botToken: 'xoxb-org-oauth-token', enterpriseId: 'EGRID', enterpriseName: 'Grid Org', isEnterpriseInstall: true, userId: 'UORGADMIN' });
    const { authorize, cookie } = await startInstall(h.url);
    const done = await getPage(`${h.url}/slack/oauth_redirect?code=code-org&state=${encodeURIComponent(authorize.searchParams.get('state')!)}`, cookie);
    expect(done.status).toBe(200);
    expect(done.body).toContain('in Grid Org');
    const row = (await rawInstallations(h)).find((r) => r.installKey === 'enterprise:EGRID');
    expect(row).toMatchObject({ enterpriseId: 'EGRID', teamId: null });
    expect(Boolean(row!.isEnterpriseInstall)).toBe(true);

    h.fake.reset();
    // A slash command from a workspace of the org, as Slack sends it for an org-wide install.
    const body = new URLSearchParams({
      token: 'legacy-verification-token',
      team_id: 'TGRIDWS1',
      team_domain: 'grid-ws1',
      enterprise_id: 'EGRID',
      enterprise_name: 'Grid Org',
      is_enterprise_install: 'true',
      channel_id: 'CGRIDSALES',
      channel_name: 'sales',
      user_id: 'UGRIDREP',
      user_name: 'gridrep',
      command: '/deal',
      text: 'won 3k Umbrella',
      api_app_id: 'A0KPI',
      response_url: h.fake.responseUrl('grid'),
      trigger_id: '1.2.3',
    }).toString();
    expect((await h.slack.post(body)).status).toBe(200);
    const post = await h.fake.waitFor(() => h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'CGRIDSALES'));
    expect(post.token).toBe('xoxb-org-oauth-token');
    expect(new Set(h.fake.calls.map((c) => c.token))).toEqual(new Set(['xoxb-org-oauth-token']));
  });

  test('a workspace with no installation is not served, and nothing is posted for it', async () => {
    h.fake.reset();
    const res = await h.slack.command('/deal', 'won 5k Initech', { team_id: 'TNOBODY', channel_id: 'CNOBODY', user_id: 'UNOBODY' });
    // Bolt acknowledges an unauthorised request empty (Slack would not retry it) and calls no listener.
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    expect(h.fake.calls).toHaveLength(0);
    expect(h.logs.some((l) => l.includes('Authorization of incoming event did not succeed'))).toBe(true);
    expect(h.logs.join('\n')).not.toMatch(/xoxb-(alpha|beta)/);
  });
});

/**
 * The lifecycle of issue #11, end to end on the real app (signed requests) and the fake Slack with
 * token rotation on: two workspaces and a Grid org install; /deal, /kpi and a weekly digest in each;
 * tokens refreshed near expiry; one workspace uninstalled (its digests stop, the others go on) and
 * installed again (it resumes with its old subscription). Every call carries its own workspace's token.
 */
describe.each(testEngines())('installation lifecycle with token rotation on %s (issue #11)', (dialect) => {
  let h: Harness;
  let schedulers: TSchedulers;
  const T0 = new Date('2026-03-02T08:00:00Z'); // a Monday
  const at = (iso: string): Date => new Date(iso);

  interface TWs {
    team: string;
    channel: string;
    user: string;
    /** Token names of this installation start with it (the fake's `xoxe.xoxb-<team>-r<n>`). */
    tokenPrefix: string;
    enterprise?: string;
  }
  const ALPHA: TWs = { team: 'TALPHA', channel: 'CALPHADIGEST', user: 'UALPHAADMIN', tokenPrefix: 'xoxe.xoxb-TALPHA-' };
  const BETA: TWs = { team: 'TBETA', channel: 'CBETADIGEST', user: 'UBETAADMIN', tokenPrefix: 'xoxe.xoxb-TBETA-' };
  const GRID: TWs = { team: 'TGRIDWS1', enterprise: 'EGRID', channel: 'CGRIDDIGEST', user: 'UGRIDADMIN', tokenPrefix: 'xoxe.xoxb-EGRID-' };
  const ALL = [ALPHA, BETA, GRID];

  /** A slash command as Slack sends it from that workspace (with the org fields for the Grid one). */
  function command(ws: TWs, name: string, text: string, responseId: string): ReturnType<Harness['slack']['post']> {
    const body = new URLSearchParams({
      token: 'legacy-verification-token',
      team_id: ws.team,
      team_domain: ws.team.toLowerCase(),
      ...(ws.enterprise ? { enterprise_id: ws.enterprise, enterprise_name: 'Grid Org', is_enterprise_install: 'true' } : {}),
      channel_id: ws.channel,
      channel_name: 'sales',
      user_id: ws.user,
      user_name: ws.user.toLowerCase(),
      command: name,
      text,
      api_app_id: 'A0KPI',
      response_url: h.fake.responseUrl(responseId),
      trigger_id: `${Date.now()}.${Math.random().toString(16).slice(2)}`,
    }).toString();
    return h.slack.post(body);
  }

  async function install(code: string, grant: Omit<Parameters<FakeSlack['grant']>[1], 'userId'>): Promise<void> {
    const full = { userId: 'UINSTALLER', ...grant };
    h.fake.grant(code, { expiresIn: 43_200, ...full });
    const { authorize, cookie } = await startInstall(h.url);
    const done = await getPage(`${h.url}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(authorize.searchParams.get('state')!)}`, cookie);
    expect(done.status).toBe(200);
  }

  function uninstallEvent(ws: TWs, eventId: string, type: 'app_uninstalled' | 'tokens_revoked' = 'app_uninstalled', tokens?: { oauth?: string[]; bot?: string[] }): Promise<{ status: number }> {
    const eventTime = Math.floor(h.kpi.deps.now().getTime() / 1000);
    return h.slack.post(
      JSON.stringify({
        token: 'legacy-verification-token',
        team_id: ws.team,
        api_app_id: 'A0KPI',
        event: { type, event_ts: `${eventTime}.000100`, ...(tokens ? { tokens } : {}) },
        type: 'event_callback',
        event_id: eventId,
        event_time: eventTime,
        authorizations: [{ enterprise_id: ws.enterprise ?? null, team_id: ws.team, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
      }),
      { contentType: 'application/json' },
    );
  }

  /** Every Web API call since the last reset went with this workspace's token (none without one). */
  function expectOnlyTokensOf(ws: TWs): void {
    const calls = h.fake.calls.filter((c) => c.method !== 'upload');
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) expect(`${c.method} ${c.token ?? 'no token'}`).toMatch(new RegExp(`^${c.method.replace(/\./g, '\\.')} ${ws.tokenPrefix.replace(/\./g, '\\.')}`));
  }

  /** The digest posts of one scheduler tick at `now`: channel → token. */
  async function digestTick(now: Date): Promise<Map<string, string>> {
    h.setNow(now);
    h.fake.reset();
    await schedulers.digestJob.tick();
    await schedulers.queue.drain();
    const posts = h.fake.callsTo('chat.postMessage').filter((c) => String(c.args.text ?? '').length > 0);
    return new Map(posts.map((c) => [String(c.args.channel), c.token ?? '']));
  }

  /** Bolt acknowledges an event before its listener runs: waits for the listener's log line (the n-th). */
  async function eventHandled(text: string, n: number): Promise<void> {
    await h.fake.waitFor(() => h.logs.filter((l) => l.includes(text)).length >= n || null);
  }

  function installRow(key: string): Promise<Record<string, unknown> | undefined> {
    return rawInstallations(h).then((rows) => rows.find((r) => r.installKey === key));
  }

  beforeAll(async () => {
    h = await startHarness(dialect, { ...OAUTH, DIGEST_LEASE_SECONDS: '60' });
    h.setNow(T0);
    schedulers = createSchedulers({ config: h.config, db: h.database.db, logger: createLogger('error', () => undefined), deps: h.kpi.deps, tokens: h.kpi.oauth?.tokens, now: () => h.kpi.deps.now() });
  });
  afterAll(async () => {
    await schedulers?.stop();
    await h?.stop();
  });

  test('install two workspaces and a Grid org with rotation; /deal, /kpi and a digest subscription in each, each with its own token', async () => {
    await install('lc-alpha', { botToken: 'xoxe.xoxb-TALPHA-r0', refreshToken: 'xoxe-1-TALPHA-r0', teamId: 'TALPHA', teamName: 'Alpha' });
    await install('lc-beta', { botToken: 'xoxe.xoxb-TBETA-r0', refreshToken: 'xoxe-1-TBETA-r0', teamId: 'TBETA', teamName: 'Beta' });
    await install('lc-grid', { botToken: 'xoxe.xoxb-EGRID-r0', refreshToken: 'xoxe-1-EGRID-r0', enterpriseId: 'EGRID', enterpriseName: 'Grid Org', isEnterpriseInstall: true });
    const rows = await rawInstallations(h);
    expect(rows.map((r) => r.installKey)).toEqual(['team:TALPHA', 'team:TBETA', 'enterprise:EGRID']);
    expect(new Date(rows[0]!.botTokenExpiresAt as string).toISOString()).toBe('2026-03-02T20:00:00.000Z');
    expect(JSON.stringify(rows)).not.toContain('xoxe');

    for (const ws of ALL) {
      h.fake.reset();
      const id = ws.team.toLowerCase();
      expect((await command(ws, '/deal', `won 5k Customer ${ws.team}`, `${id}-deal`)).status).toBe(200);
      await h.fake.waitFor(() => h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === ws.channel));
      expect((await command(ws, '/kpi', 'winrate', `${id}-kpi`)).status).toBe(200);
      const answer = await h.fake.waitFor(() => h.fake.responsesTo(`${id}-kpi`)[0]);
      expect(JSON.stringify(answer)).toMatch(/win rate/i);
      expect((await command(ws, '/kpi', `digest subscribe <#${ws.channel}|digest> monday 09:00`, `${id}-sub`)).status).toBe(200);
      const subscribed = await h.fake.waitFor(() => h.fake.responsesTo(`${id}-sub`)[0]);
      expect(JSON.stringify(subscribed)).toContain(ws.channel);
      expectOnlyTokensOf(ws);
    }
    expect(h.fake.refreshes).toHaveLength(0);
  });

  test('the weekly digest goes to each workspace\'s channel with that workspace\'s token', async () => {
    const posts = await digestTick(at('2026-03-02T09:01:00Z'));
    expect(posts).toEqual(new Map([[ALPHA.channel, 'xoxe.xoxb-TALPHA-r0'], [BETA.channel, 'xoxe.xoxb-TBETA-r0'], [GRID.channel, 'xoxe.xoxb-EGRID-r0']]));
  });

  test('near expiry the tokens are refreshed once each, stored again, and used from then on', async () => {
    h.setNow(at('2026-03-02T18:30:00Z')); // 90 minutes before the tokens expire
    h.fake.reset();
    // Two requests of one workspace at the same moment: one exchange.
    const [a, b] = await Promise.all([command(ALPHA, '/deal', 'won 1k Refresh One', 'alpha-r1'), command(ALPHA, '/deal', 'won 2k Refresh Two', 'alpha-r2')]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await h.fake.waitFor(() => h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === ALPHA.channel).length === 2 || null);
    expect(h.fake.refreshes).toEqual([{ refreshToken: 'xoxe-1-TALPHA-r0', ok: true, accessToken: 'xoxe.xoxb-TALPHA-r1' }]);
    for (const c of h.fake.calls.filter((x) => x.method !== 'oauth.v2.access' && x.method !== 'upload')) expect(c.token).toBe('xoxe.xoxb-TALPHA-r1');

    for (const ws of [BETA, GRID]) {
      h.fake.reset();
      expect((await command(ws, '/deal', `won 3k Rotated ${ws.team}`, `${ws.team}-rot`)).status).toBe(200);
      await h.fake.waitFor(() => h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === ws.channel));
      expect(h.fake.refreshes.at(-1)).toEqual({ refreshToken: `${ws.tokenPrefix.replace('xoxe.xoxb-', 'xoxe-1-')}r0`, ok: true, accessToken: `${ws.tokenPrefix}r1` });
      for (const c of h.fake.calls.filter((x) => x.method !== 'oauth.v2.access' && x.method !== 'upload')) expect(c.token).toBe(`${ws.tokenPrefix}r1`);
    }
    expect(h.fake.refreshes.filter((r) => r.ok)).toHaveLength(3);
    const alpha = await installRow('team:TALPHA');
    expect(new Date(alpha!.botTokenExpiresAt as string).toISOString()).toBe('2026-03-03T06:30:00.000Z');
    expect(JSON.stringify(await rawInstallations(h))).not.toContain('xoxe');
  });

  test('uninstalling one workspace marks it inactive (data kept); a repeated delivery changes nothing; its /deal is not served', async () => {
    h.setNow(at('2026-03-02T19:00:00Z'));
    h.fake.revoke('xoxe.xoxb-TBETA-r1', 'xoxe-1-TBETA-r1');
    expect((await uninstallEvent(BETA, 'EvUNINSTALL1')).status).toBe(200);
    await eventHandled('Slack installation deactivated', 1);
    const row = (await installRow('team:TBETA'))!;
    expect(Boolean(row.active)).toBe(false);
    expect(new Date(row!.uninstalledAt as string).toISOString()).toBe('2026-03-02T19:00:00.000Z');
    h.setNow(at('2026-03-02T19:05:00Z'));
    expect((await uninstallEvent(BETA, 'EvUNINSTALL1')).status).toBe(200);
    await eventHandled('Slack uninstall event changed nothing', 1);
    expect(new Date((await installRow('team:TBETA'))!.uninstalledAt as string).toISOString()).toBe('2026-03-02T19:00:00.000Z');
    // The workspace's deals and subscription are still stored.
    const kept = await h.database.db.prisma.workspace.findUnique({ where: { slackTeamId: 'TBETA' }, include: { deals: true, subscriptions: true } });
    expect(kept?.deals.length).toBeGreaterThan(0);
    expect(kept?.subscriptions).toHaveLength(1);

    h.fake.reset();
    const res = await command(BETA, '/deal', 'won 9k After Uninstall', 'beta-gone');
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    expect(h.fake.calls).toHaveLength(0);
  });

  test('user tokens revoked alone change nothing', async () => {
    expect((await uninstallEvent(ALPHA, 'EvREVOKEUSER', 'tokens_revoked', { oauth: ['UALPHAADMIN'] })).status).toBe(200);
    await eventHandled('Slack user tokens revoked', 1);
    expect(Boolean((await installRow('team:TALPHA'))!.active)).toBe(true);
  });

  test('the next week: the uninstalled workspace gets no digest, the others do (tokens refreshed by the scheduler)', async () => {
    const posts = await digestTick(at('2026-03-09T09:01:00Z'));
    expect(posts).toEqual(new Map([[ALPHA.channel, 'xoxe.xoxb-TALPHA-r2'], [GRID.channel, 'xoxe.xoxb-EGRID-r2']]));
    expect(h.fake.calls.some((c) => c.token?.startsWith(BETA.tokenPrefix))).toBe(false);
    expect(h.fake.refreshes.filter((r) => r.refreshToken.startsWith('xoxe-1-TBETA'))).toHaveLength(1);
  });

  test('reinstalling brings the workspace back with its old subscription and data; the old uninstall event does not undo it', async () => {
    h.setNow(at('2026-03-09T10:00:00Z'));
    await install('lc-beta-again', { botToken: 'xoxe.xoxb-TBETA-again', refreshToken: 'xoxe-1-TBETA-again', teamId: 'TBETA', teamName: 'Beta' });
    expect(Boolean((await installRow('team:TBETA'))!.active)).toBe(true);
    // Slack delivering the old uninstall once more (a retry) after the reinstall changes nothing.
    h.setNow(at('2026-03-09T10:01:00Z'));
    const late = JSON.stringify({ token: 'x', team_id: 'TBETA', api_app_id: 'A0KPI', type: 'event_callback', event_id: 'EvUNINSTALL1', event_time: Math.floor(at('2026-03-02T19:00:00Z').getTime() / 1000), event: { type: 'app_uninstalled' }, authorizations: [{ team_id: 'TBETA', is_enterprise_install: false }] });
    expect((await h.slack.post(late, { contentType: 'application/json' })).status).toBe(200);
    await eventHandled('Slack uninstall event changed nothing', 2);
    expect(Boolean((await installRow('team:TBETA'))!.active)).toBe(true);

    const posts = await digestTick(at('2026-03-16T09:01:00Z'));
    expect(posts.get(BETA.channel)).toMatch(/^xoxe\.xoxb-TBETA-r\d+$/);
    expect(posts.get(BETA.channel)).not.toBe('xoxe.xoxb-TBETA-r1');
    expect(posts.get(ALPHA.channel)).toMatch(/^xoxe\.xoxb-TALPHA-r\d+$/);
    expect(posts.get(GRID.channel)).toMatch(/^xoxe\.xoxb-EGRID-r\d+$/);
    expect(posts.size).toBe(3);
    // The refresh of the new install spent the reinstall's refresh token, not a revoked one.
    expect(h.fake.refreshes.filter((r) => !r.ok)).toEqual([]);
    expect(h.fake.refreshes.some((r) => r.refreshToken === 'xoxe-1-TBETA-again' && r.ok)).toBe(true);
  });
});
