import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { CrmSourceError, type TCrmSource, type TCrmVendor } from '../../src/domain/crm/crm-source.js';
import type { TCrmCredentials } from '../../src/domain/crm/credentials.js';
import { signHubSpotV3 } from '../../src/crm/hubspot/hubspot-webhook.js';
import type { TCrmWriteBack } from '../../src/domain/crm/crm-source.js';
import { customerKey } from '../../src/shared/customer-key.js';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { FakeCrm } from '../helpers/fake-crm.js';
import { FakeSalesforce } from '../helpers/fake-salesforce.js';
import { blockActionPayload, newTriggerId, viewSubmissionPayload } from '../helpers/slack-requests.js';
import { testEngines } from '../helpers/test-db.js';

/**
 * The CRM connection from Slack (issue #10 items 2, 3 and the webhooks), through signed requests
 * to the real app: `/kpi crm …`, its modals and buttons, the App Home section, the HubSpot and
 * Pipedrive webhooks and the Salesforce OAuth callback. Connectors are fakes injected through
 * `createCrmSource`: a token is good when it is `GOOD_TOKEN`.
 */

const GOOD_TOKEN = 'pat-na1-11111111-2222-3333-4444-555555555555';
const BAD_TOKEN = 'pat-na1-revoked-token-0000';
/** A token whose check never answers (the connector ignores its signal). */
const SLOW_TOKEN = 'pat-na1-slow-slow-slow';
const HUBSPOT_SECRET = 'hubspot-client-secret-for-tests';
const PUBLIC_URL = 'https://kpi.example.test';
const ADMIN = 'U0ADMIN';
const REP = 'U0REP';

describe.each(testEngines())('CRM connection from Slack end to end on %s', (dialect) => {
  let h: Harness;
  let seq = 0;
  let syncKicks = 0;
  const NOW = new Date('2026-11-20T10:00:00Z');
  const built: Array<{ vendor: TCrmVendor; credentials: TCrmCredentials; baseUrl: string | undefined; timeoutMs: number }> = [];
  const salesforce = new FakeSalesforce();
  const writes: Array<{ vendor: TCrmVendor; change: TCrmWriteBack }> = [];
  let failWriteBack: Error | null = null;
  /** The connector's write-back never answers (and ignores its signal). */
  let hangWriteBack = false;

  function createSource(vendor: TCrmVendor, credentials: TCrmCredentials, options: { baseUrl?: string; timeoutMs: number }): TCrmSource {
    built.push({ vendor, credentials, baseUrl: options.baseUrl, timeoutMs: options.timeoutMs });
    const fake = new FakeCrm(vendor);
    const token = credentials.accessToken ?? credentials.apiToken;
    if (token === SLOW_TOKEN) {
      fake.listStages = () => new Promise(() => undefined);
    } else if (token !== GOOD_TOKEN) {
      fake.listStages = () => Promise.reject(new CrmSourceError('auth', `401 Unauthorized for ${token ?? ''}`));
    }
    const writeBack = async (change: TCrmWriteBack): Promise<void> => {
      if (hangWriteBack) return new Promise<void>(() => undefined);
      if (failWriteBack) throw failWriteBack;
      writes.push({ vendor, change });
    };
    return Object.assign(fake, { writeBack }) as TCrmSource;
  }

  beforeAll(async () => {
    await salesforce.start();
    h = await startHarness(
      dialect,
      {
        CRM_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        HUBSPOT_CLIENT_SECRET: HUBSPOT_SECRET,
        PUBLIC_URL,
        SALESFORCE_CLIENT_ID: salesforce.clientId,
        SALESFORCE_CLIENT_SECRET: salesforce.clientSecret,
      },
      { createCrmSource: createSource },
    );
    h.setNow(NOW);
    // The config accepts only an https login URL; the fake listens on loopback http.
    h.kpi.deps.crm!.salesforce = { clientId: salesforce.clientId, clientSecret: salesforce.clientSecret, loginUrl: salesforce.url };
    h.kpi.deps.crm!.onSyncDue = () => {
      syncKicks++;
    };
    h.fake.addUser({ id: ADMIN, name: 'alice', real_name: 'Alice Admin', tz: 'Europe/Berlin' });
    h.fake.addUser({ id: REP, name: 'bob', real_name: 'Bob Rep', tz: 'Europe/Berlin' });
    // The first person to use the app installed it: an admin.
    await run('/kpi', 'settings timezone Europe/Berlin', ADMIN);
    await run('/kpi', 'role <@U0REP|bob> rep', ADMIN);
  });
  afterAll(async () => {
    await h?.stop();
    await salesforce.stop();
  });
  beforeEach(() => {
    h.fake.reset();
    built.length = 0;
    writes.length = 0;
    failWriteBack = null;
    hangWriteBack = false;
  });

  const prisma = () => h.database.db.prisma;
  const workspace = () => prisma().workspace.findFirstOrThrow({ where: { slackTeamId: 'T0FAKE' } });
  const connection = async () => prisma().crmConnection.findUnique({ where: { workspaceId: (await workspace()).id } });

  async function run(command: string, text: string, user = REP) {
    const id = `crm${++seq}`;
    const res = await h.slack.command(command, text, { user_id: user, response_url: h.fake.responseUrl(id) });
    expect(res.status).toBe(200);
    const [answer] = await h.fake.waitFor(() => {
      const r = h.fake.responsesTo(id);
      return r.length > 0 ? r : null;
    });
    return answer as { text: string; blocks?: Array<Record<string, unknown>>; response_type?: string; replace_original?: boolean };
  }

  /** Runs a command that opens a modal (no private answer) and returns the opened view. */
  async function openModal(text: string, user = ADMIN) {
    const before = h.fake.callsTo('views.open').length;
    const res = await h.slack.command('/kpi', text, { user_id: user, response_url: h.fake.responseUrl(`m${++seq}`) });
    expect(res.status).toBe(200);
    const call = await h.fake.waitFor(() => h.fake.callsTo('views.open')[before]);
    return call.args.view as { callback_id: string; private_metadata: string; blocks: Array<{ block_id?: string; element?: { initial_option?: { value: string } } }> };
  }

  function submit(view: { callback_id: string; private_metadata: string }, values: Record<string, Record<string, Record<string, unknown>>>, user = ADMIN) {
    return h.slack.interaction(viewSubmissionPayload({ userId: user, viewId: `V${++seq}`, callbackId: view.callback_id, privateMetadata: view.private_metadata, values }));
  }

  const connectValues = (token: string, extra: { portal?: string; baseUrl?: string } = {}) => ({
    crm_token: { value: { type: 'plain_text_input', value: token } },
    crm_base_url: { value: { type: 'plain_text_input', value: extra.baseUrl ?? null } },
    ...(extra.portal !== undefined ? { crm_portal: { value: { type: 'plain_text_input', value: extra.portal } } } : {}),
  });

  async function connectHubSpot(portal = '62515') {
    const view = await openModal('crm connect hubspot');
    const res = await submit(view, connectValues(GOOD_TOKEN, { portal }));
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    return h.fake.waitFor(() => h.fake.callsTo('chat.postEphemeral').find((c) => String(c.args.text).includes('HubSpot is connected')));
  }

  function homeOpened(userId: string) {
    return h.slack.post(
      JSON.stringify({
        token: 'legacy',
        team_id: 'T0FAKE',
        api_app_id: 'A0KPI',
        type: 'event_callback',
        event_id: `Ev${++seq}`,
        event_time: Math.floor(NOW.getTime() / 1000),
        event: { type: 'app_home_opened', user: userId, channel: `D${userId}`, tab: 'home', event_ts: `${NOW.getTime() / 1000}` },
        authorizations: [{ team_id: 'T0FAKE', user_id: 'UBOT', is_bot: true }],
      }),
      { contentType: 'application/json' },
    );
  }

  test('a rep asking to connect a CRM is refused privately: no modal, nothing stored', async () => {
    const answer = await run('/kpi', 'crm connect hubspot', REP);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('Only admins can manage the CRM connection');
    expect(h.fake.callsTo('views.open')).toHaveLength(0);
    for (const verb of ['status', 'disconnect', 'writeback on', 'stages', 'owners']) {
      expect((await run('/kpi', `crm ${verb}`, REP)).text).toContain('Only admins');
    }
    expect(await connection()).toBeNull();
    expect(await prisma().crmSettings.count()).toBe(0);
  });

  test('HubSpot: a refused token comes back inline on the token field, is never echoed, and nothing is stored', async () => {
    const view = await openModal('crm connect hubspot');
    expect(view.callback_id).toBe('crm_connect');
    expect(view.blocks.map((b) => b.block_id)).toEqual(expect.arrayContaining(['crm_token', 'crm_portal', 'crm_base_url']));
    const res = await submit(view, connectValues(BAD_TOKEN, { portal: '' }));
    expect(res.status).toBe(200);
    const body = res.json() as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors.crm_token).toContain('HubSpot refused this token');
    expect(res.body).not.toContain(BAD_TOKEN);
    expect(built).toHaveLength(1);
    expect(built[0]!.timeoutMs).toBeLessThanOrEqual(2_500);
    expect(await connection()).toBeNull();
    expect(h.logs.join('\n')).not.toContain(BAD_TOKEN);
  });

  test('HubSpot: a good token is checked once, stored sealed with the portal id, confirmed privately without the token', async () => {
    const confirmation = await connectHubSpot();
    expect(built.map((b) => b.credentials)).toEqual([{ accessToken: GOOD_TOKEN, portalId: '62515' }]);
    expect(String(confirmation.args.text)).toContain(`${PUBLIC_URL}/crm/hubspot/webhook`);
    expect(JSON.stringify(confirmation.args)).not.toContain(GOOD_TOKEN);
    const c = await connection();
    expect(c).toMatchObject({ vendor: 'hubspot', status: 'active', cursor: null });
    expect(c!.credentials).not.toContain(GOOD_TOKEN);
    expect(c!.credentials.startsWith('s1.')).toBe(true);
    expect((await prisma().crmSettings.findFirstOrThrow()).hubspotPortalId).toBe('62515');
    expect(h.logs.join('\n')).not.toContain(GOOD_TOKEN);
  });

  test('a CRM that does not answer the token check is given up on before Slack’s 3 s: inline error, nothing stored', async () => {
    const before = await connection();
    const view = await openModal('crm connect pipedrive');
    const started = Date.now();
    const res = await submit(view, connectValues(SLOW_TOKEN, { baseUrl: 'https://sandbox.example.test' }));
    expect(Date.now() - started).toBeLessThan(3_000);
    const body = res.json() as { response_action: string; errors: Record<string, string> };
    expect(body.errors.crm_base_url).toContain('Pipedrive did not answer in time');
    expect(built.at(-1)!.baseUrl).toBe('https://sandbox.example.test');
    expect((await connection())?.updatedAt.toISOString()).toBe(before?.updatedAt.toISOString());
  });

  test('a tampered connect form is refused inline and stores nothing new', async () => {
    const before = await connection();
    const view = await openModal('crm connect pipedrive');
    const res = await submit({ ...view, private_metadata: view.private_metadata.replace('pipedrive', 'hubspot') }, connectValues(GOOD_TOKEN));
    expect((res.json() as { response_action: string }).response_action).toBe('errors');
    expect((await connection())?.vendor).toBe(before?.vendor);
  });

  test('/kpi crm status: health, last sync, lag, counts, API use, redacted last error, next attempt; no secret', async () => {
    await connectHubSpot();
    const ws = await workspace();
    await prisma().crmConnection.update({
      where: { workspaceId: ws.id },
      data: {
        status: 'failing',
        lastSyncAt: new Date('2026-11-20T09:58:00Z'),
        lastSuccessAt: new Date('2026-11-20T09:45:00Z'),
        dealsSynced: 1234,
        removals: 5,
        usage: JSON.stringify({ calls: 42, dailyRemaining: 249_000, dailyLimit: 250_000, throttled: 2 }),
        lastError: 'HubSpot answered 502 <Bad Gateway>',
        nextAttemptAt: new Date('2026-11-20T10:04:00Z'),
        cursor: 'c1',
      },
    });
    const answer = await run('/kpi', 'crm status', ADMIN);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('*HubSpot*: :red_circle: failing');
    expect(answer.text).toContain('last success: Fri, Nov 20, 2026 10:45 (Europe/Berlin) (lag 15 min)');
    expect(answer.text).toContain('Deals synced: 1,234 · removed: 5');
    expect(answer.text).toContain('API calls (last run): 42 · daily limit: 1,000 of 250,000 used · rate-limited 2×');
    expect(answer.text).toContain('Last error: HubSpot answered 502 &lt;Bad Gateway&gt;');
    expect(answer.text).toContain('Next attempt: Fri, Nov 20, 2026 11:04 (Europe/Berlin)');
    expect(answer.text).toContain('Write-back from `/deal`: off');
    expect(answer.text).not.toContain(GOOD_TOKEN);
  });

  test('App Home: an admin sees the CRM sync section, a rep does not', async () => {
    await connectHubSpot();
    await prisma().crmConnection.update({ where: { workspaceId: (await workspace()).id }, data: { status: 'revoked', lastError: '401 Unauthorized' } });
    await homeOpened(ADMIN);
    const adminHome = await h.fake.waitFor(() => h.fake.callsTo('views.publish').find((c) => c.args.user_id === ADMIN));
    const adminText = JSON.stringify(adminHome.args.view);
    expect(adminText).toContain('*CRM sync*');
    expect(adminText).toContain('credentials revoked');
    expect(adminText).toContain('401 Unauthorized');
    await homeOpened(REP);
    const repHome = await h.fake.waitFor(() => h.fake.callsTo('views.publish').find((c) => c.args.user_id === REP));
    expect(JSON.stringify(repHome.args.view)).not.toContain('CRM sync');
  });

  test('/kpi crm writeback on|off is stored per workspace', async () => {
    expect((await run('/kpi', 'crm writeback on', ADMIN)).text).toContain('Write-back is on');
    expect((await prisma().crmSettings.findFirstOrThrow({ where: { workspaceId: (await workspace()).id } })).writeBack).toBe(true);
    expect((await run('/kpi', 'crm writeback off', ADMIN)).text).toContain('Write-back is off');
    expect((await prisma().crmSettings.findFirstOrThrow({ where: { workspaceId: (await workspace()).id } })).writeBack).toBe(false);
    expect((await run('/kpi', 'crm writeback maybe', ADMIN)).text).toContain('Say on or off');
  });

  test('/kpi crm stages opens the mapping with defaults; a changed stage is saved as edited, the others untouched', async () => {
    await connectHubSpot();
    const c = (await connection())!;
    await prisma().crmStageMap.deleteMany({ where: { connectionId: c.id } });
    await prisma().crmStageMap.createMany({
      data: [
        { connectionId: c.id, crmStageId: 'appointmentscheduled', pipelineId: 'default', label: 'Appointment <scheduled>', target: 'lead', edited: false, updatedAt: NOW },
        { connectionId: c.id, crmStageId: 'closedwon', pipelineId: 'default', label: 'Closed won', target: 'won', edited: false, updatedAt: NOW },
      ],
    });
    const view = await openModal('crm stages');
    expect(view.callback_id).toBe('crm_stages');
    const block = view.blocks.find((b) => b.block_id === 'crm_stage:appointmentscheduled');
    expect(block?.element?.initial_option?.value).toBe('lead');
    const sel = (v: string) => ({ value: { type: 'static_select', selected_option: { value: v, text: { type: 'plain_text', text: v } } } });
    const res = await submit(view, { 'crm_stage:appointmentscheduled': sel('demo'), 'crm_stage:closedwon': sel('won') });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    await h.fake.waitFor(() => h.fake.callsTo('chat.postEphemeral').find((x) => String(x.args.text).includes('Saved 1 stage mapping')));
    const rows = await prisma().crmStageMap.findMany({ where: { connectionId: c.id }, orderBy: { crmStageId: 'asc' } });
    expect(rows.map((r) => [r.crmStageId, r.target, r.edited])).toEqual([
      ['appointmentscheduled', 'demo', true],
      ['closedwon', 'won', false],
    ]);
    const bad = await submit(view, { 'crm_stage:appointmentscheduled': sel('nonsense') });
    expect((bad.json() as { errors: Record<string, string> }).errors['crm_stage:appointmentscheduled']).toContain('is not a stage here');
  });

  test('/kpi crm owners lists an unmatched owner; /kpi crm owner <email> @rep moves its deals', async () => {
    await connectHubSpot();
    const ws = await workspace();
    const c = (await connection())!;
    const standIn = await prisma().rep.create({ data: { workspaceId: ws.id, importKey: 'crm:hubspot:o9', name: 'Zed <Stand-in>' } });
    await prisma().crmOwnerMap.create({ data: { connectionId: c.id, crmOwnerId: 'o9', email: 'Zed@Example.com', repId: standIn.id, updatedAt: NOW } });
    await prisma().deal.create({
      data: { workspaceId: ws.id, ownerId: standIn.id, customer: 'Umbrella', customerKey: 'umbrella', amountMinor: 500000n, currency: 'USD', amountReportingMinor: 500000n, stage: 'lead', status: 'open', source: 'hubspot', externalId: 'hubspot:77', createdAt: NOW, updatedAt: NOW },
    });
    const list = await run('/kpi', 'crm owners', ADMIN);
    expect(list.text).toContain('Not matched to anyone in Slack (1)');
    expect(list.text).toContain('`o9` Zed@Example.com → stand-in “Zed &lt;Stand-in&gt;”');
    const linked = await run('/kpi', 'crm owner zed@example.com <@U0REP|bob>', ADMIN);
    expect(linked.text).toContain('CRM owner `o9` is now <@U0REP>: 1 deal moved.');
    const bob = await prisma().rep.findFirstOrThrow({ where: { workspaceId: ws.id, slackUserId: REP } });
    expect((await prisma().deal.findFirstOrThrow({ where: { externalId: 'hubspot:77' } })).ownerId).toBe(bob.id);
    expect((await run('/kpi', 'crm owner nobody@example.com <@U0REP|bob>', ADMIN)).text).toContain('No CRM owner has that id or email');
  });

  test('/kpi crm disconnect asks first; the confirmed button wipes the credentials and replaces the prompt', async () => {
    await connectHubSpot();
    const prompt = await run('/kpi', 'crm disconnect', ADMIN);
    expect(prompt.text).toContain('Disconnect HubSpot?');
    expect((await connection())!.status).toBe('active');
    const button = JSON.stringify(prompt.blocks).match(/"value":"([^"]+)"/)![1]!;
    // Another admin's (or a crafted) value is refused.
    const forged = await h.slack.interaction(blockActionPayload({ userId: ADMIN, channelId: 'C0SALES', actionId: 'crm_disconnect', value: 'hubspot', responseUrl: h.fake.responseUrl('forged') }));
    expect(forged.status).toBe(200);
    await h.fake.waitFor(() => h.fake.responsesTo('forged')[0]);
    expect((await connection())!.status).toBe('active');
    await h.slack.interaction(blockActionPayload({ userId: ADMIN, channelId: 'C0SALES', actionId: 'crm_disconnect', value: button, responseUrl: h.fake.responseUrl('disc') }));
    const answer = (await h.fake.waitFor(() => h.fake.responsesTo('disc')[0])) as { text: string; replace_original?: boolean };
    expect(answer.text).toContain('HubSpot is disconnected');
    expect(answer.replace_original).toBe(true);
    expect(await connection()).toMatchObject({ status: 'disconnected', credentials: '' });
    expect((await run('/kpi', 'crm status', ADMIN)).text).toContain('disconnected');
  });

  describe('webhooks', () => {
    const FUTURE = new Date('2026-11-20T10:30:00Z');
    async function parkConnection() {
      await prisma().crmConnection.update({ where: { workspaceId: (await workspace()).id }, data: { nextAttemptAt: FUTURE } });
    }
    async function hubspotPost(body: string, opts: { timestamp?: number; secret?: string } = {}) {
      const timestamp = String(opts.timestamp ?? NOW.getTime());
      const signature = signHubSpotV3({ clientSecret: opts.secret ?? HUBSPOT_SECRET, method: 'POST', uri: `${PUBLIC_URL}/crm/hubspot/webhook`, body, timestamp });
      return fetch(`${h.url}/crm/hubspot/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hubspot-request-timestamp': timestamp, 'x-hubspot-signature-v3': signature }, body });
    }
    const events = (portalId: number) => JSON.stringify([{ eventId: 1, subscriptionId: 9, portalId, appId: 5, occurredAt: NOW.getTime() - 1000, subscriptionType: 'deal.propertyChange', attemptNumber: 0, objectId: 77, propertyName: 'amount', propertyValue: '10' }]);

    test('HubSpot: a valid signature marks the portal’s workspace due before answering 200', async () => {
      await connectHubSpot('62515');
      await parkConnection();
      const kicks = syncKicks;
      const res = await hubspotPost(events(62515));
      expect(res.status).toBe(200);
      expect((await connection())!.nextAttemptAt?.toISOString()).toBe(NOW.toISOString());
      expect(syncKicks).toBe(kicks + 1);
    });

    test('HubSpot: a wrong signature, a stale timestamp or another portal mark nothing', async () => {
      await connectHubSpot('62515');
      await parkConnection();
      expect((await hubspotPost(events(62515), { secret: 'not-the-secret' })).status).toBe(401);
      expect((await hubspotPost(events(62515), { timestamp: NOW.getTime() - 6 * 60_000 })).status).toBe(401);
      expect((await hubspotPost(events(99999))).status).toBe(200);
      expect((await connection())!.nextAttemptAt?.toISOString()).toBe(FUTURE.toISOString());
    });

    test('Pipedrive: the login shown once at connect time marks the workspace due; a wrong one gets 401 and marks nothing', async () => {
      const view = await openModal('crm connect pipedrive');
      expect(view.blocks.map((b) => b.block_id)).not.toContain('crm_portal');
      await submit(view, connectValues(GOOD_TOKEN));
      const confirmation = await h.fake.waitFor(() => h.fake.callsTo('chat.postEphemeral').find((c) => String(c.args.text).includes('Pipedrive is connected')));
      const text = String(confirmation.args.text);
      expect(text).toContain(`${PUBLIC_URL}/crm/pipedrive/webhook`);
      expect(text).not.toContain(GOOD_TOKEN);
      const user = text.match(/HTTP Auth user `([^`]+)`/)![1]!;
      const password = text.match(/password `([^`]+)`/)![1]!;
      const settings = await prisma().crmSettings.findFirstOrThrow({ where: { workspaceId: (await workspace()).id } });
      expect(settings.webhookUser).toBe(user);
      expect(settings.webhookPasswordHash).not.toContain(password);
      await parkConnection();
      const post = (auth: string | null) =>
        fetch(`${h.url}/crm/pipedrive/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {}) }, body: JSON.stringify({ meta: { entity: 'deal', action: 'change' }, data: { id: 5 } }) });
      expect((await post(`${user}:wrong-password`)).status).toBe(401);
      expect((await post(`kpi-someone-else:${password}`)).status).toBe(401);
      expect((await post(null)).status).toBe(401);
      expect((await connection())!.nextAttemptAt?.toISOString()).toBe(FUTURE.toISOString());
      expect((await post(`${user}:${password}`)).status).toBe(200);
      expect((await connection())!.nextAttemptAt?.toISOString()).toBe(NOW.toISOString());
      const leaked = h.logs.filter((l) => l.includes(password)).map((l) => l.slice(0, 300));
      expect(leaked).toEqual([]);
      expect(h.logs.join('\n')).not.toContain(GOOD_TOKEN);
    });
  });

  describe('Salesforce OAuth', () => {
    async function startFlow() {
      const answer = await run('/kpi', 'crm connect salesforce', ADMIN);
      expect(answer.response_type).toBe('ephemeral');
      const url = new URL(JSON.stringify(answer.blocks).match(/"url":"([^"]+)"/)![1]!);
      expect(url.origin).toBe(salesforce.url);
      expect(url.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/crm/salesforce/callback`);
      expect(url.searchParams.get('code_challenge_method')).toBe('S256');
      return { state: url.searchParams.get('state')!, challenge: url.searchParams.get('code_challenge')! };
    }
    const callback = (query: string) => fetch(`${h.url}/crm/salesforce/callback?${query}`);

    test('the link’s state and PKCE verifier complete the flow once: tokens stored sealed, page and Slack say so', async () => {
      const { state, challenge } = await startFlow();
      const oauthRow = await prisma().crmOAuthState.findFirstOrThrow();
      expect(oauthRow.stateHash).not.toBe(state);
      expect(oauthRow.expiresAt.getTime() - NOW.getTime()).toBe(10 * 60_000);
      const code = salesforce.authorize({ codeChallenge: challenge, redirectUri: `${PUBLIC_URL}/crm/salesforce/callback` });
      const res = await callback(`code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`);
      const page = await res.text();
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(page).toContain('Salesforce is connected');
      expect(page).not.toMatch(/<script|https?:\/\/(?!kpi)/);
      const c = (await connection())!;
      expect(c).toMatchObject({ vendor: 'salesforce', status: 'active' });
      expect(c.credentials.startsWith('s1.')).toBe(true);
      expect(c.credentials).not.toContain('00DFAKE');
      expect(h.logs.join('\n')).not.toMatch(/00DFAKE|5Aep|aPrx/);
      await h.fake.waitFor(() => h.fake.callsTo('chat.postMessage').find((x) => x.args.channel === ADMIN && String(x.args.text).includes('Salesforce is connected')));
      // The same link again: refused, nothing changes.
      const again = await callback(`code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`);
      expect(again.status).toBe(400);
      expect(await again.text()).toContain('already used');
    });

    test('an unknown state, an expired one or a denied consent connect nothing, escaped on the page', async () => {
      const before = await connection();
      const unknown = await callback(`code=x&state=${'a'.repeat(43)}`);
      expect(unknown.status).toBe(400);
      const { state } = await startFlow();
      h.setNow(new Date(NOW.getTime() + 11 * 60_000));
      try {
        const expired = await callback(`code=x&state=${state}`);
        expect(expired.status).toBe(400);
        expect(await expired.text()).toContain('This link expired.');
      } finally {
        h.setNow(NOW);
      }
      const second = await startFlow();
      const denied = await callback(`error=${encodeURIComponent('<script>alert(1)</script>')}&state=${second.state}`);
      expect(denied.status).toBe(400);
      const page = await denied.text();
      expect(page).not.toContain('<script>');
      expect(page).toContain('&lt;script&gt;');
      expect((await connection())?.updatedAt.toISOString()).toBe(before?.updatedAt.toISOString());
    });
  });

  describe('/deal on a deal the CRM owns', () => {
    async function crmDeal(customer: string, externalId: string, source = 'hubspot') {
      const ws = await workspace();
      const bob = await prisma().rep.findFirstOrThrow({ where: { workspaceId: ws.id, slackUserId: REP } });
      await prisma().deal.deleteMany({ where: { workspaceId: ws.id, externalId } });
      return prisma().deal.create({
        data: { workspaceId: ws.id, ownerId: bob.id, customer, customerKey: customerKey(customer), amountMinor: 1000000n, currency: 'USD', amountReportingMinor: 1000000n, stage: 'lead', status: 'open', source, externalId, createdAt: NOW, updatedAt: NOW },
      });
    }
    async function mapStages() {
      const c = (await connection())!;
      await prisma().crmStageMap.deleteMany({ where: { connectionId: c.id } });
      await prisma().crmStageMap.createMany({
        data: [
          { connectionId: c.id, crmStageId: 'qualifiedtobuy', pipelineId: 'default', label: 'Qualified', target: 'demo', edited: false, updatedAt: NOW },
          { connectionId: c.id, crmStageId: 'closedwon', pipelineId: 'default', label: 'Closed won', target: 'won', edited: false, updatedAt: NOW },
          { connectionId: c.id, crmStageId: 'closedlost', pipelineId: 'default', label: 'Closed lost', target: 'lost', edited: false, updatedAt: NOW },
        ],
      });
    }
    const dealRow = (externalId: string) => prisma().deal.findFirstOrThrow({ where: { externalId } });

    test('write-back off: won, lost and stage are refused privately with a link to HubSpot, and nothing is written', async () => {
      await connectHubSpot('62515');
      await run('/kpi', 'crm writeback off', ADMIN);
      const deal = await crmDeal('Initech', 'hubspot:77');
      for (const text of ['won 12k Initech', 'lost Initech price', 'stage Initech demo']) {
        const answer = await run('/deal', text, REP);
        expect(answer.response_type).toBe('ephemeral');
        expect(answer.text).toContain('The Initech deal was not changed: HubSpot owns it');
        expect(answer.text).toContain('<https://app.hubspot.com/contacts/62515/record/0-3/77|Open it in HubSpot>');
      }
      const after = await dealRow('hubspot:77');
      expect({ status: after.status, stage: after.stage, amountMinor: after.amountMinor, updatedAt: after.updatedAt.toISOString() }).toEqual({ status: 'open', stage: 'lead', amountMinor: 1000000n, updatedAt: deal.updatedAt.toISOString() });
      expect(writes).toHaveLength(0);
      expect(await prisma().deal.count({ where: { customerKey: customerKey('Initech') } })).toBe(1);
    });

    test('write-back on: /deal won is written to HubSpot through the connector (mapped won stage, amount, currency), then stored here', async () => {
      await connectHubSpot('62515');
      await mapStages();
      await run('/kpi', 'crm writeback on', ADMIN);
      await crmDeal('Globex', 'hubspot:88');
      const answer = await run('/deal', 'won 12,500.50 Globex', REP);
      expect(answer.text).toContain('Written back to HubSpot too.');
      expect(writes).toEqual([{ vendor: 'hubspot', change: { crmId: '88', stageId: 'closedwon', status: 'won', closedAt: NOW, amount: '12500.50', currency: 'USD' } }]);
      expect(built.at(-1)!.credentials.accessToken).toBe(GOOD_TOKEN);
      const after = await dealRow('hubspot:88');
      expect({ status: after.status, amountMinor: after.amountMinor, source: after.source }).toEqual({ status: 'won', amountMinor: 1250050n, source: 'hubspot' });
      await crmDeal('Hooli', 'hubspot:89');
      await run('/deal', 'stage Hooli demo', REP);
      expect(writes.at(-1)).toEqual({ vendor: 'hubspot', change: { crmId: '89', stageId: 'qualifiedtobuy' } });
      expect((await dealRow('hubspot:89')).stage).toBe('demo');
    });

    test('write-back on: a failing CRM call is reported privately and nothing changes here', async () => {
      await connectHubSpot('62515');
      await mapStages();
      await run('/kpi', 'crm writeback on', ADMIN);
      await crmDeal('Vandelay', 'hubspot:90');
      failWriteBack = new CrmSourceError('auth', '401 Unauthorized');
      const answer = await run('/deal', 'lost Vandelay price', REP);
      expect(answer.text).toContain('The Vandelay deal was not changed here: HubSpot refused the app’s credentials');
      expect((await dealRow('hubspot:90')).status).toBe('open');
      failWriteBack = null;
      const ok = await run('/deal', 'lost Vandelay price', REP);
      expect(ok.text).toContain('Written back to HubSpot too.');
      expect(writes.at(-1)).toEqual({ vendor: 'hubspot', change: { crmId: '90', stageId: 'closedlost', status: 'lost', closedAt: NOW, lostReason: 'price' } });
      expect((await dealRow('hubspot:90')).status).toBe('lost');
    });

    test('write-back on: a CRM that never answers is given up on in time; Slack hears back within 3 s and nothing changes here', async () => {
      await connectHubSpot('62515');
      await mapStages();
      await run('/kpi', 'crm writeback on', ADMIN);
      await crmDeal('Soylent', 'hubspot:91');
      hangWriteBack = true;
      const started = Date.now();
      const res = await h.slack.command('/deal', 'won 3k Soylent', { user_id: REP, response_url: h.fake.responseUrl('hang') });
      expect(res.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(3_000);
      const answer = (await h.fake.waitFor(() => h.fake.responsesTo('hang')[0])) as { text: string };
      expect(answer.text).toContain('HubSpot did not answer in time');
      expect((await dealRow('hubspot:91')).status).toBe('open');
    });

    test('Salesforce with write-back on: /deal says Salesforce owns the deal, links to it, and changes nothing here or there', async () => {
      const start = await run('/kpi', 'crm connect salesforce', ADMIN);
      const link = new URL(JSON.stringify(start.blocks).match(/"url":"([^"]+)"/)![1]!);
      const code = salesforce.authorize({ codeChallenge: link.searchParams.get('code_challenge'), redirectUri: `${PUBLIC_URL}/crm/salesforce/callback` });
      // The org's own https address, as Salesforce's token answer gives it.
      salesforce.instanceUrl = 'https://acme.my.salesforce.com';
      try {
        expect((await fetch(`${h.url}/crm/salesforce/callback?code=${encodeURIComponent(code)}&state=${encodeURIComponent(link.searchParams.get('state')!)}`)).status).toBe(200);
      } finally {
        salesforce.instanceUrl = null;
      }
      expect((await connection())!.vendor).toBe('salesforce');
      await run('/kpi', 'crm writeback on', ADMIN);
      const deal = await crmDeal('Wayne Enterprises', 'salesforce:006E2E000000000077', 'salesforce');
      for (const text of ['won 12k "Wayne Enterprises"', 'lost "Wayne Enterprises" price', 'stage "Wayne Enterprises" demo']) {
        const answer = await run('/deal', text, REP);
        expect(answer.response_type).toBe('ephemeral');
        expect(answer.text).toContain('The Wayne Enterprises deal was not changed: Salesforce owns it, and the app cannot write changes back to Salesforce yet.');
        expect(answer.text).toContain('<https://acme.my.salesforce.com/lightning/r/Opportunity/006E2E000000000077/view|Open it in Salesforce>');
      }
      const after = await dealRow('salesforce:006E2E000000000077');
      expect({ status: after.status, stage: after.stage, amountMinor: after.amountMinor, updatedAt: after.updatedAt.toISOString() }).toEqual({ status: 'open', stage: 'lead', amountMinor: 1000000n, updatedAt: deal.updatedAt.toISOString() });
      expect(writes).toHaveLength(0);
      expect(salesforce.requestsTo('other').filter((r) => r.method === 'PATCH')).toHaveLength(0);
    });

    test('a deal logged in Slack is changed as before, with no CRM call', async () => {
      await run('/kpi', 'crm writeback on', ADMIN);
      await crmDeal('Local Co', 'csv:1', 'import');
      const answer = await run('/deal', 'won 5k Local Co', REP);
      expect(answer.text).not.toContain('HubSpot');
      expect(writes).toHaveLength(0);
      expect((await dealRow('csv:1')).status).toBe('won');
    });
  });

  test('every /kpi crm answer is acknowledged within 3 s', async () => {
    const started = Date.now();
    const res = await h.slack.command('/kpi', 'crm status', { user_id: ADMIN, response_url: h.fake.responseUrl('fast'), trigger_id: newTriggerId() });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
