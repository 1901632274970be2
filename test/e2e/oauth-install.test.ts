import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHarness, TEST_BOT_TOKEN, type Harness } from '../helpers/app-harness.js';
import { testEngines } from '../helpers/test-db.js';

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

interface TPage {
  status: number;
  body: string;
  setCookie: string[];
}

function get(url: string, cookie?: string): Promise<TPage> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers: cookie ? { cookie } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), setCookie: res.headers['set-cookie'] ?? [] }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens the install page as a browser would: the authorize URL of its button and the state cookie. */
async function startInstall(h: Harness): Promise<{ authorize: URL; cookie: string; page: TPage }> {
  const page = await get(`${h.url}/slack/install`);
  const href = /<a class="button" id="add-to-slack" href="([^"]+)">Add to Slack<\/a>/.exec(page.body)?.[1];
  if (!href) throw new Error(`no Add to Slack link: ${page.body}`);
  const authorize = new URL(href.replace(/&amp;/g, '&'));
  const cookie = page.setCookie.map((c) => c.split(';')[0]!).join('; ');
  return { authorize, cookie, page };
}

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
    const { authorize, cookie, page } = await startInstall(h);
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
    const forged = await get(`${h.url}/slack/oauth_redirect?code=code-forged&state=forged-state`, 'slack-app-oauth-state=forged-state');
    expect(forged.status).toBe(400);
    expect(forged.body).toContain('<h1>Sales KPIs was not installed</h1>');
    expect(forged.body).toContain('href="/slack/install"');

    const { authorize } = await startInstall(h);
    const noCookie = await get(`${h.url}/slack/oauth_redirect?code=code-forged&state=${encodeURIComponent(authorize.searchParams.get('state')!)}`);
    expect(noCookie.status).toBe(400);

    const cancelled = await get(`${h.url}/slack/oauth_redirect?error=access_denied&state=x`, 'slack-app-oauth-state=x');
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
      const { authorize, cookie } = await startInstall(h);
      const done = await get(`${h.url}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(authorize.searchParams.get('state')!)}`, cookie);
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
    const { authorize, cookie } = await startInstall(h);
    const done = await get(`${h.url}/slack/oauth_redirect?code=code-org&state=${encodeURIComponent(authorize.searchParams.get('state')!)}`, cookie);
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
