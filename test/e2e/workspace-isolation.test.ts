import { randomBytes } from 'node:crypto';
import type { App } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TCrmSource, TCrmVendor } from '../../src/domain/crm/crm-source.js';
import { CrmSourceError } from '../../src/domain/crm/crm-source.js';
import type { TCrmCredentials } from '../../src/domain/crm/credentials.js';
import { registerActions } from '../../src/slack/listeners/actions/index.js';
import { registerCommands } from '../../src/slack/listeners/commands/index.js';
import { registerEvents } from '../../src/slack/listeners/events/index.js';
import { registerShortcuts } from '../../src/slack/listeners/shortcuts/index.js';
import { registerViews } from '../../src/slack/listeners/views/index.js';
import { KPI_SUBCOMMANDS } from '../../src/slack/listeners/commands/kpi.js';
import { buildDealHelp } from '../../src/slack/blocks/deal-messages.js';
import { getPage, startInstall } from '../helpers/oauth-pages.js';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { FakeCrm } from '../helpers/fake-crm.js';
import type { RecordedCall } from '../helpers/fake-slack.js';
import { blockActionPayload, dealModalValues, messageActionPayload, quotaModalValues, viewSubmissionPayload } from '../helpers/slack-requests.js';
import { testEngines } from '../helpers/test-db.js';

/**
 * Issue #11 item 5, isolation: the real app in OAuth mode with workspaces A (TALPHA) and B (TBETA)
 * installed. A is seeded through its own signed requests; then B sends, on every surface the app
 * registers, requests carrying what it could have copied from A (deal ids in sealed buttons, user
 * and channel ids, view ids and private_metadata, message ts). After each one: nothing of A was
 * shown to B (every call and answer Slack received while B's request ran is free of A's names,
 * customers and amounts, and used B's token only), A's rows in every table are exactly as before,
 * and B got a refusal or its own answer.
 */

const OAUTH = {
  SLACK_BOT_TOKEN: '',
  SLACK_CLIENT_ID: '1111111111.2222222222',
  SLACK_CLIENT_SECRET: 'oauth-client-secret-e2e',
  SLACK_STATE_SECRET: 'oauth-state-secret-e2e-0123456789abcdef',
  SLACK_TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 21).toString('base64'),
  CRM_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
};
const TOKEN = { TALPHA: 'xoxb-alpha-isolation', TBETA: 'xoxb-beta-isolation', EGRID: 'xoxb-grid-isolation' } as const;
const GOOD_CRM_TOKEN = 'pat-na1-11111111-2222-3333-4444-555555555555';
const NOW = new Date('2026-11-20T10:00:00Z');

// Workspace A's people and channels; B's. Slack answers a token only about its own workspace.
const A_ADMIN = 'UAADMIN';
const A_REP = 'UAREP';
const A_SALES = 'CASALES';
const A_ALERTS = 'CAALERTS';
const B_ADMIN = 'UBADMIN';
const B_REP = 'UBREP';
const B_SALES = 'CBSALES';
const PEOPLE: Record<string, { team: keyof typeof TOKEN; real_name: string; name: string; is_admin?: boolean }> = {
  [A_ADMIN]: { team: 'TALPHA', real_name: 'Adelaide Adminleak', name: 'adelaide', is_admin: true },
  [A_REP]: { team: 'TALPHA', real_name: 'Alice Repleak', name: 'alice' },
  [B_ADMIN]: { team: 'TBETA', real_name: 'Bruno Admin', name: 'bruno', is_admin: true },
  [B_REP]: { team: 'TBETA', real_name: 'Bea Rep', name: 'bea' },
};

/**
 * What A holds and B must never see: customers, people, team and alert texts, and amounts (alone
 * and as they would show added to B's). A string B typed itself is not held against the answer.
 */
const A_SECRETS = [
  'Acmeleak',
  'Zebraleak',
  'Quokkaleak',
  'Narwhalleak',
  'Modalleak',
  'Twinleak',
  'Adminleak',
  'Repleak',
  'Northleak',
  'Alertleak',
  '73,519',
  '73.5k',
  '73519',
  '41,237',
  '41237',
  '80,519',
  '80.5k',
  '124,237',
  '1,519',
  '248.5%',
  'xoxb-alpha',
  A_SALES,
  A_ALERTS,
];

async function install(h: Harness, code: string): Promise<void> {
  const { authorize, cookie } = await startInstall(h.url);
  const state = authorize.searchParams.get('state')!;
  const done = await getPage(`${h.url}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, cookie);
  expect(done.status).toBe(200);
}

/** Every button in a message or view: action_id → value. */
function buttonsOf(x: unknown, out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(x)) for (const v of x) buttonsOf(v, out);
  else if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    if (typeof o.action_id === 'string') out.set(o.action_id, typeof o.value === 'string' ? o.value : '');
    for (const v of Object.values(o)) buttonsOf(v, out);
  }
  return out;
}

function jsonOf(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Date ? v.toISOString() : v));
}

/** The surfaces the app registers, read by running its register functions against a recorder. */
function registeredSurfaces(deps: Parameters<typeof registerActions>[1]): string[] {
  const seen: string[] = [];
  const idOf = (c: unknown, key: string): string => {
    if (typeof c === 'string') return c;
    if (c instanceof RegExp) return `/${c.source}/`;
    const v = (c as Record<string, unknown>)[key];
    return v instanceof RegExp ? `/${v.source}/` : String(v);
  };
  const recorder = new Proxy(
    {},
    {
      get: (_t, method: string) => (constraint: unknown) => {
        const kind = { action: 'action', view: 'view', shortcut: 'shortcut', command: 'command', event: 'event' }[method];
        seen.push(kind ? `${kind}:${idOf(constraint, kind === 'view' || kind === 'shortcut' ? 'callback_id' : 'action_id')}` : `unknown:${method}`);
      },
    },
  ) as unknown as App;
  registerCommands(recorder, deps);
  registerViews(recorder, deps);
  registerActions(recorder, deps);
  registerShortcuts(recorder, deps);
  registerEvents(recorder, deps);
  return seen;
}

/** A case: one request from B, what it covers, and what B must have been told (a refusal or B's own answer). */
interface TCase {
  name: string;
  covers: string[];
  send: () => Promise<{ status: number; body: string }>;
  /** Matched against everything B saw: the HTTP answer, Slack calls and response_url posts (or built then, from B's own rows). */
  expect: RegExp | (() => Promise<RegExp>);
  /** Some surfaces answer with nothing at all (an ack); then `expect` is not asked for. */
  silent?: boolean;
}

describe.each(testEngines())('workspace isolation in OAuth mode on %s (issue #11 item 5)', (dialect) => {
  let h: Harness;
  let seq = 0;
  /** A's artefacts, as B could have copied them. */
  const a = {
    buttons: new Map<string, string>(),
    dealModal: { id: '', meta: '' },
    quotaModal: { id: '', meta: '' },
    refundModal: { id: '', meta: '' },
    crmConnectModal: { id: '', meta: '' },
    crmStagesModal: { id: '', meta: '' },
    homeViewId: '',
    dealIds: [] as number[],
    workspaceId: 0,
    subscriptionIds: [] as number[],
    connectionIds: [] as number[],
  };
  let before = '';
  /** Every raw body sent to the app (decoded), since the last reset. */
  const sent: string[] = [];
  const realFetch = globalThis.fetch;

  const prisma = () => h.database.db.prisma;

  function createSource(vendor: TCrmVendor, credentials: TCrmCredentials): TCrmSource {
    const fake = new FakeCrm(vendor);
    if ((credentials.accessToken ?? credentials.apiToken) !== GOOD_CRM_TOKEN) fake.listStages = () => Promise.reject(new CrmSourceError('auth', '401'));
    return fake as unknown as TCrmSource;
  }

  async function tableNames(): Promise<string[]> {
    const sql =
      dialect === 'sqlite'
        ? `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_%' ESCAPE '\\'`
        : `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_%'`;
    const rows = await prisma().$queryRawUnsafe<Array<{ name: string }>>(sql);
    return rows.map((r) => r.name).sort();
  }

  /**
   * Every row of A in every table: by `workspaceId`, or for the few tables without one by what
   * they hang off. A table the app gains without a rule here fails the snapshot.
   */
  async function snapshotA(): Promise<string> {
    const out: Record<string, unknown[]> = {};
    for (const table of await tableNames()) {
      const rows = await prisma().$queryRawUnsafe<Array<Record<string, unknown>>>(`SELECT * FROM "${table}" ORDER BY 1`);
      const num = (v: unknown) => Number(v);
      let mine: Array<Record<string, unknown>>;
      if (table === 'Workspace') mine = rows.filter((r) => num(r.id) === a.workspaceId);
      else if (table === 'DigestSlot') mine = rows.filter((r) => a.subscriptionIds.includes(num(r.subscriptionId)));
      else if (table === 'CrmStageMap' || table === 'CrmOwnerMap') mine = rows.filter((r) => a.connectionIds.includes(num(r.connectionId)));
      else if (table === 'SlackInstallation') mine = rows.filter((r) => r.installKey === 'team:TALPHA');
      else if (table === 'SlackOrgTeam') mine = rows.filter((r) => r.teamId === 'TALPHA');
      else if (rows.length === 0 || 'workspaceId' in rows[0]!) mine = rows.filter((r) => num(r.workspaceId) === a.workspaceId);
      else throw new Error(`table ${table} has no isolation rule in this test: say whose its rows are`);
      out[table] = mine;
    }
    return jsonOf(out);
  }

  /** Runs a command as someone of a team; returns its private answer (or the HTTP result). */
  async function run(team: 'TALPHA' | 'TBETA', user: string, command: string, text: string, channel?: string) {
    const id = `r${++seq}`;
    const res = await h.slack.command(command, text, { team_id: team, user_id: user, channel_id: channel ?? (team === 'TALPHA' ? A_SALES : B_SALES), response_url: h.fake.responseUrl(id) });
    expect(res.status).toBe(200);
    return { id, res };
  }

  async function answerOf(team: 'TALPHA' | 'TBETA', user: string, command: string, text: string, channel?: string) {
    const { id } = await run(team, user, command, text, channel);
    const [answer] = await h.fake.waitFor(() => {
      const r = h.fake.responsesTo(id);
      return r.length > 0 ? r : null;
    });
    if (team === 'TALPHA') for (const [k, v] of buttonsOf(answer)) a.buttons.set(k, v);
    return answer as { text: string; blocks?: unknown[] };
  }

  /** Runs what opens a modal; returns its private_metadata and a view id standing for it (the app never reads views by id). */
  async function opened(send: () => Promise<unknown>): Promise<{ id: string; meta: string }> {
    const calls = () => h.fake.calls.filter((c) => c.method === 'views.open' || c.method === 'views.push');
    const n = calls().length;
    await send();
    const call = await h.fake.waitFor(() => calls()[n]);
    const view = call.args.view as { private_metadata?: string };
    return { id: `VA${++seq}`, meta: view.private_metadata ?? '' };
  }

  function submit(team: string, user: string, view: { id: string; meta: string }, callbackId: string, values: Record<string, Record<string, Record<string, unknown>>>) {
    return h.slack.interaction(viewSubmissionPayload({ teamId: team, userId: user, viewId: view.id, callbackId, privateMetadata: view.meta, values }));
  }

  function click(team: string, user: string, actionId: string, value: string, channel: string, extra: Record<string, unknown> = {}) {
    return h.slack.interaction({ ...blockActionPayload({ teamId: team, userId: user, channelId: channel, actionId, value, responseUrl: h.fake.responseUrl(`b${++seq}`) }), ...extra });
  }

  function homeOpened(teamId: string, user: string, authorisedTeam = teamId) {
    return h.slack.post(
      JSON.stringify({
        token: 'legacy',
        team_id: teamId,
        api_app_id: 'A0KPI',
        type: 'event_callback',
        event_id: `Ev${++seq}`,
        event_time: Math.floor(NOW.getTime() / 1000),
        event: { type: 'app_home_opened', user, channel: `D${user}`, tab: 'home', event_ts: `${NOW.getTime() / 1000}` },
        authorizations: [{ team_id: authorisedTeam, user_id: 'UBOT', is_bot: true }],
      }),
      { contentType: 'application/json' },
    );
  }

  beforeAll(async () => {
    h = await startHarness(dialect, OAUTH, { createCrmSource: createSource });
    h.setNow(NOW);
    // Records what each request carried (the sender posts with fetch), to tell echoes from leaks.
    globalThis.fetch = (input, init) => {
      if (String(input).endsWith('/slack/events') && typeof init?.body === 'string') sent.push(init.body, ...new URLSearchParams(init.body).values());
      return realFetch(input, init);
    };
    // Slack answers a token only about people and channels of its own workspace.
    const teamOfToken = (call: RecordedCall) => Object.entries(TOKEN).find(([, t]) => t === call.token)?.[0];
    h.fake.on('users.info', (args, call) => {
      const p = PEOPLE[String(args.user)];
      if (!p || p.team !== teamOfToken(call)) return { ok: false, error: 'user_not_found' };
      const id = String(args.user);
      return { ok: true, user: { id, name: p.name, real_name: p.real_name, tz: 'UTC', is_admin: p.is_admin ?? false, is_owner: false, profile: { real_name: p.real_name, display_name: p.name } } };
    });
    h.fake.on('conversations.info', (args, call) => {
      const channel = String(args.channel);
      if ((channel.startsWith('CA') ? 'TALPHA' : 'TBETA') !== teamOfToken(call)) return { ok: false, error: 'channel_not_found' };
      return { ok: true, channel: { id: channel, name: channel.toLowerCase(), is_member: true, is_archived: false } };
    });
    h.fake.grant('code-a', { botToken: TOKEN.TALPHA, teamId: 'TALPHA', teamName: 'Alpha', userId: A_ADMIN });
    h.fake.grant('code-b', { botToken: TOKEN.TBETA, teamId: 'TBETA', teamName: 'Beta', userId: B_ADMIN });
    h.fake.grant('code-grid', { botToken: TOKEN.EGRID, enterpriseId: 'EGRID', enterpriseName: 'Grid', isEnterpriseInstall: true, userId: 'UGRIDADMIN' });
    await install(h, 'code-a');
    await install(h, 'code-b');
    await install(h, 'code-grid');

    // --- A, through its own signed requests ---
    await answerOf('TALPHA', A_ADMIN, '/kpi', 'settings');
    await answerOf('TALPHA', A_ADMIN, '/kpi', 'team create Northleak');
    await answerOf('TALPHA', A_ADMIN, '/kpi', `team add <@${A_REP}|alice> Northleak`);
    await answerOf('TALPHA', A_REP, '/deal', 'won 73519 Acmeleak');
    await answerOf('TALPHA', A_REP, '/deal', 'lost Zebraleak price');
    await answerOf('TALPHA', A_REP, '/deal', 'stage Quokkaleak demo');
    await answerOf('TALPHA', A_REP, '/deal', 'lead Narwhalleak web');
    await answerOf('TALPHA', A_REP, '/deal', 'won 5k Twinleak');
    await answerOf('TALPHA', A_REP, '/deal', 'won 6k Twinleak');
    a.dealModal = await opened(() => run('TALPHA', A_REP, '/deal', ''));
    const logged = await submit('TALPHA', A_REP, a.dealModal, 'deal_modal', dealModalValues({ customer: 'Modalleak', amount: '41237', recurring: '2k', closeDate: '2026-11-19', owner: A_REP }));
    expect(logged.body).toBe('');
    await h.fake.waitFor(() => h.fake.callsTo('chat.postEphemeral').find((c) => jsonOf(c.args).includes('Modalleak')) ?? h.fake.calls.find((c) => jsonOf(c.args).includes('Modalleak')));
    await answerOf('TALPHA', A_REP, '/deal', 'mrr Modalleak 3k');
    await answerOf('TALPHA', A_REP, '/deal', 'refund Acmeleak 1519 damaged');
    await answerOf('TALPHA', A_REP, '/deal', 'refund Twinleak 100'); // asks which deal: refund_pick_<id>
    await answerOf('TALPHA', A_REP, '/deal', 'refund Acmeleak 999k'); // more than won: refund_confirm
    await answerOf('TALPHA', A_ADMIN, '/kpi', `quota set <@${A_REP}|alice> 50k month`);
    a.quotaModal = await opened(() => run('TALPHA', A_ADMIN, '/kpi', `quota set <@${A_REP}|alice>`));
    await answerOf('TALPHA', A_ADMIN, '/kpi', 'leads 500 2026-10');
    await answerOf('TALPHA', A_ADMIN, '/kpi', 'rate EUR 1.08');
    await answerOf('TALPHA', A_ADMIN, '/kpi', 'alerts set winrate-drop 10');
    await answerOf('TALPHA', A_ADMIN, '/kpi', `alerts channel <#${A_ALERTS}|alerts>`);
    await answerOf('TALPHA', A_ADMIN, '/kpi', `digest subscribe <#${A_SALES}|sales> monday 09:00`);
    await answerOf('TALPHA', A_REP, '/kpi', 'revenue this month'); // kpi_share
    a.crmConnectModal = await opened(() => run('TALPHA', A_ADMIN, '/kpi', 'crm connect hubspot'));
    const connected = await submit('TALPHA', A_ADMIN, a.crmConnectModal, 'crm_connect', {
      crm_token: { value: { type: 'plain_text_input', value: GOOD_CRM_TOKEN } },
      crm_base_url: { value: { type: 'plain_text_input', value: null } },
      crm_portal: { value: { type: 'plain_text_input', value: '62515' } },
    });
    expect(connected.body).toBe('');
    await h.fake.waitFor(() => h.fake.callsTo('chat.postEphemeral').find((c) => String(c.args.text).includes('HubSpot is connected')));
    // The stages arrive with the first sync (the CRM scheduler does not run in OAuth mode yet).
    const conn = await prisma().crmConnection.findFirstOrThrow({ where: { workspace: { slackTeamId: 'TALPHA' } } });
    await prisma().crmStageMap.create({ data: { connectionId: conn.id, crmStageId: 'appointmentscheduled', label: 'Quokkaleak stage', target: 'demo', updatedAt: NOW } });
    a.crmStagesModal = await opened(() => run('TALPHA', A_ADMIN, '/kpi', 'crm stages'));
    await answerOf('TALPHA', A_ADMIN, '/kpi', 'crm disconnect'); // crm_disconnect, not clicked
    const ws = await prisma().workspace.findFirstOrThrow({ where: { slackTeamId: 'TALPHA' } });
    a.workspaceId = ws.id;
    // An alert A was told about (the alert scheduler does not run in OAuth mode yet).
    await prisma().alertEvent.create({ data: { workspaceId: ws.id, rule: 'winrate-drop', conditionKey: 'all', periodKey: '2026-W46', value: 0.2, threshold: 0.1, message: 'Alertleak: win rate fell to 20%', firedAt: NOW, postedAt: NOW } });
    await homeOpened('TALPHA', A_ADMIN);
    const home = await h.fake.waitFor(() => h.fake.callsTo('views.publish').find((c) => c.args.user_id === A_ADMIN));
    expect(jsonOf(home.args)).toContain('$124,237');
    for (const [k, v] of buttonsOf(home.args.view)) a.buttons.set(k, v);
    a.homeViewId = 'VAHOME1'; // stands for A's Home view: the app never reads a view by its id
    a.refundModal = await opened(() => click('TALPHA', A_ADMIN, 'home_record_refund', '', `D${A_ADMIN}`));
    a.dealIds = (await prisma().deal.findMany({ where: { workspaceId: ws.id }, select: { id: true } })).map((d) => d.id);
    a.subscriptionIds = (await prisma().digestSubscription.findMany({ where: { workspaceId: ws.id }, select: { id: true } })).map((d) => d.id);
    a.connectionIds = (await prisma().crmConnection.findMany({ where: { workspaceId: ws.id }, select: { id: true } })).map((d) => d.id);
    expect(a.dealIds.length).toBeGreaterThanOrEqual(7);
    expect([...a.buttons.keys()].sort()).toEqual(expect.arrayContaining(['deal_undo', 'refund_undo', 'refund_confirm', 'refund_cancel', 'kpi_share', 'crm_disconnect', 'home_log_deal', 'home_set_quota', 'home_record_refund']));
    expect([...a.buttons.keys()].some((k) => /^refund_pick_\d+$/.test(k))).toBe(true);
    for (const k of ['quotaModal', 'refundModal', 'crmConnectModal', 'crmStagesModal', 'dealModal'] as const) expect(a[k].meta).not.toBe('');

    // --- B: its own admin, rep and one deal ---
    await answerOf('TBETA', B_ADMIN, '/kpi', 'settings');
    await answerOf('TBETA', B_ADMIN, '/deal', 'won 7k Globex');
    before = await snapshotA();
    const counts = JSON.parse(before) as Record<string, unknown[]>;
    for (const t of ['Deal', 'Refund', 'Quota', 'SubscriptionChange', 'LeadCount', 'CurrencyRate', 'AlertSetting', 'AlertEvent', 'DigestSubscription', 'CrmConnection', 'CrmSettings', 'SalesTeam', 'AuditEntry', 'SlackInstallation']) {
      expect(counts[t]?.length ?? 0, `A has ${t} rows`).toBeGreaterThan(0);
    }
  }, 60_000);
  afterAll(async () => {
    globalThis.fetch = realFetch;
    await h?.stop();
  });

  const pick = () => [...a.buttons.entries()].find(([k]) => /^refund_pick_\d+$/.test(k))!;
  const btn = (id: string) => a.buttons.get(id) ?? '';
  const STALE = /no longer valid/;
  const bKpi = (text: string, expect: RegExp, user = B_REP): TCase => ({ name: `/kpi ${text}`, covers: ['command:/kpi', `kpi:${text.split(' ')[0]}`], send: () => run('TBETA', user, '/kpi', text).then((r) => r.res), expect });
  const bDeal = (text: string, expect: RegExp): TCase => ({ name: `/deal ${text}`, covers: ['command:/deal', `deal:${text.split(' ')[0]}`], send: () => run('TBETA', B_REP, '/deal', text).then((r) => r.res), expect });

  /** B's Home shows B's own net revenue this month (its won deals; B records no refunds). */
  const bHomeRevenue = async (): Promise<RegExp> => {
    const won = await prisma().deal.findMany({ where: { workspace: { slackTeamId: 'TBETA' }, status: 'won' }, select: { amountReportingMinor: true } });
    const total = won.reduce((sum, d) => sum + BigInt(d.amountReportingMinor), 0n) / 100n;
    return new RegExp(`Net revenue\\*\\\\n\\$${total.toLocaleString('en-US')}\\b`);
  };

  const CASES: TCase[] = [
    // Slash commands naming A's customers, people, channels and teams.
    bDeal('undo', /You have no deal change left to undo/),
    bDeal('refund Acmeleak 1519', /I don't know a customer called Acmeleak: there is no won deal/),
    bDeal('refund Twinleak 100', /I don't know a customer called Twinleak: there is no won deal/),
    bDeal('mrr Modalleak 5k', /I know no customer called Modalleak/),
    bDeal('churn Modalleak', /I know no customer called Modalleak/),
    // A's open deals are not B's to close or move: B gets deals of its own.
    bDeal('lost Quokkaleak price', /No open deal for Quokkaleak, so a new lost deal was recorded/),
    bDeal('stage Narwhalleak proposal', /Opened: Narwhalleak: Proposal/),
    bDeal('won 1k Acmeleak', /Won: Acmeleak: \$1,000 won/),
    bDeal('lead Zebraleak web', /Lead logged: Zebraleak/),
    bDeal('help', /Log and move deals/),
    { name: '/deal (the modal)', covers: ['command:/deal'], send: () => run('TBETA', B_REP, '/deal', '').then((r) => r.res), expect: /deal_modal/ },
    bKpi(`winrate <@${A_REP}|alice>`, /<@UAREP> has not used the app yet/),
    bKpi(`conversion <#${A_SALES}|sales>`, /I didn't understand/),
    bKpi(`quota <@${A_REP}|alice>`, /<@UAREP> has not used the app yet/),
    bKpi('quota team Northleak', /I didn't understand/),
    bKpi(`dealsize <@${A_REP}|alice>`, /<@UAREP> has not used the app yet/),
    bKpi('revenue this month', /\$8,000/),
    bKpi('mrr', /No active subscriptions as of/),
    bKpi('funnel', /Sales funnel \(November 2026/),
    bKpi(`plan <@${A_REP}|alice>`, /<@UAREP> has not used the app yet/),
    bKpi('leaderboard', /1\. bruno \$7,000; 2\. bea \$1,000"/),
    bKpi(`quota set <@${A_REP}|alice> 10k month`, /nothing was saved/, B_ADMIN),
    bKpi(`leads clear 2026-10`, /There is no lead count for October 2026/, B_ADMIN),
    bKpi(`digest unsubscribe <#${A_SALES}|sales>`, /is not subscribed to the weekly digest/, B_ADMIN),
    bKpi(`digest subscribe <#${A_SALES}|sales> monday 09:00`, /I can't see <#CASALES>/, B_ADMIN),
    bKpi('digest', /\[Preview\] Weekly sales digest/, B_ADMIN),
    bKpi(`alerts snooze winrate-drop 1w`, /Snoozed every \*Win rate drop\* alert/, B_ADMIN),
    bKpi(`alerts channel <#${A_ALERTS}|alerts>`, /I can't see <#CAALERTS>/, B_ADMIN),
    bKpi(`team add <@${A_REP}|alice> Northleak`, /There is no team called/, B_ADMIN),
    bKpi(`role <@${A_REP}|alice> manager`, /nothing was saved/, B_ADMIN),
    bKpi('rate', /No conversion rates yet/, B_ADMIN),
    bKpi('settings', /Slack team id TBETA/, B_ADMIN),
    bKpi('crm status', /No CRM is connected/, B_ADMIN),
    bKpi('crm disconnect', /No CRM is connected to this workspace/, B_ADMIN),
    bKpi('crm stages', /No CRM stages yet/, B_ADMIN),
    bKpi('crm owners', /No CRM owners yet/, B_ADMIN),
    bKpi('crm writeback on', /Write-back is on/, B_ADMIN),
    bKpi('crm connect hubspot', /crm_connect/, B_ADMIN),
    // Buttons with A's values, on A's channels and messages.
    { name: 'Undo with A\'s deal', covers: ['action:deal_undo'], send: () => click('TBETA', B_REP, 'deal_undo', btn('deal_undo'), A_SALES), expect: STALE },
    { name: 'refund pick with A\'s deal', covers: ['action:refund_pick_1'], send: () => click('TBETA', B_REP, pick()[0], pick()[1], A_SALES), expect: STALE },
    { name: 'refund confirm with A\'s refund', covers: ['action:refund_confirm'], send: () => click('TBETA', B_REP, 'refund_confirm', btn('refund_confirm'), A_SALES), expect: STALE },
    { name: 'refund cancel', covers: ['action:refund_cancel'], send: () => click('TBETA', B_REP, 'refund_cancel', btn('refund_cancel'), A_SALES), expect: /Cancelled: no refund was recorded/ },
    { name: 'refund undo with A\'s refund', covers: ['action:refund_undo'], send: () => click('TBETA', B_REP, 'refund_undo', btn('refund_undo'), A_SALES), expect: STALE },
    { name: 'Share with A\'s answer', covers: ['action:kpi_share'], send: () => click('TBETA', B_REP, 'kpi_share', btn('kpi_share'), A_SALES), expect: STALE },
    { name: 'Snooze A\'s alert', covers: ['action:alert_snooze'], send: () => click('TBETA', B_ADMIN, 'alert_snooze', 'winrate-drop|all', A_ALERTS), expect: STALE },
    { name: 'Snooze A\'s rule (whole rule)', covers: ['action:alert_snooze:winrate-drop'], send: () => click('TBETA', B_ADMIN, 'alert_snooze:winrate-drop', 'winrate-drop|*', A_ALERTS), expect: /Snoozed by <@UBADMIN>/ },
    { name: 'CRM disconnect with A\'s button', covers: ['action:crm_disconnect'], send: () => click('TBETA', B_ADMIN, 'crm_disconnect', btn('crm_disconnect'), A_SALES), expect: STALE },
    { name: 'Salesforce link button', covers: ['action:crm_salesforce_open'], send: () => click('TBETA', B_ADMIN, 'crm_salesforce_open', '', A_SALES), expect: /^$/, silent: true },
    ...(['home_log_deal', 'home_set_quota', 'home_record_refund'] as const).map(
      (id): TCase => ({ name: `Home ${id} from A's Home view`, covers: [`action:${id}`], send: () => click('TBETA', B_ADMIN, id, btn(id), `D${B_ADMIN}`, { container: { type: 'view', view_id: a.homeViewId }, view: { id: a.homeViewId, type: 'home', private_metadata: '' } }), expect: new RegExp(`"callback_id":"${{ home_log_deal: 'deal_modal', home_set_quota: 'quota_modal', home_record_refund: 'refund_modal' }[id]}"`) }),
    ),
    { name: 'Record a refund in A\'s deal modal', covers: ['action:deal_modal_refund'], send: () => click('TBETA', B_REP, 'deal_modal_refund', '', A_SALES, { container: { type: 'view', view_id: a.dealModal.id }, view: { id: a.dealModal.id, type: 'modal', private_metadata: a.dealModal.meta, callback_id: 'deal_modal' } }), expect: /refund_modal/ },
    // Modals submitted with A's view ids and private_metadata.
    { name: 'deal modal with A\'s metadata', covers: ['view:deal_modal'], send: () => submit('TBETA', A_REP, a.dealModal, 'deal_modal', dealModalValues({ customer: 'Stolen', amount: '9k', owner: A_REP })), expect: /no longer valid/ },
    { name: 'quota modal with A\'s metadata', covers: ['view:quota_modal'], send: () => submit('TBETA', A_ADMIN, a.quotaModal, 'quota_modal', quotaModalValues({ rep: A_REP, amount: '1k' })), expect: /no longer valid/ },
    { name: 'refund modal with A\'s metadata', covers: ['view:refund_modal'], send: () => submit('TBETA', A_ADMIN, a.refundModal, 'refund_modal', { customer: { value: { type: 'plain_text_input', value: 'Acmeleak' } }, amount: { value: { type: 'plain_text_input', value: '100' } } }), expect: /no longer valid/ },
    { name: 'CRM connect with A\'s metadata', covers: ['view:crm_connect'], send: () => submit('TBETA', A_ADMIN, a.crmConnectModal, 'crm_connect', { crm_token: { value: { type: 'plain_text_input', value: GOOD_CRM_TOKEN } }, crm_base_url: { value: { type: 'plain_text_input', value: null } } }), expect: /no longer valid/ },
    { name: 'CRM stages with A\'s metadata', covers: ['view:crm_stages'], send: () => submit('TBETA', A_ADMIN, a.crmStagesModal, 'crm_stages', {}), expect: /no longer valid/ },
    // B's own, correctly sealed forms, naming A's team id, customer and rep.
    {
      name: 'B\'s quota form naming A\'s team id',
      covers: ['view:quota_modal'],
      send: async () => {
        const teamId = (await prisma().salesTeam.findFirstOrThrow({ where: { workspaceId: a.workspaceId } })).id;
        const view = await opened(() => run('TBETA', B_ADMIN, '/kpi', `quota set <@${B_REP}|bea>`));
        return submit('TBETA', B_ADMIN, view, 'quota_modal', quotaModalValues({ team: String(teamId), amount: '1k' }));
      },
      expect: /That team does not exist in this workspace/,
    },
    {
      name: 'B\'s refund form naming A\'s customer',
      covers: ['view:refund_modal'],
      send: async () => {
        const view = await opened(() => click('TBETA', B_ADMIN, 'home_record_refund', 'home', `D${B_ADMIN}`));
        return submit('TBETA', B_ADMIN, view, 'refund_modal', { customer: { value: { type: 'plain_text_input', value: 'Twinleak' } }, amount: { value: { type: 'plain_text_input', value: '100' } } });
      },
      expect: /I don't know a customer called Twinleak: there is no won deal/,
    },
    {
      name: 'B\'s deal form owned by A\'s rep',
      covers: ['view:deal_modal'],
      send: async () => {
        const view = await opened(() => run('TBETA', B_REP, '/deal', ''));
        return submit('TBETA', B_REP, view, 'deal_modal', dealModalValues({ customer: 'Ownerswap', amount: '2k', owner: A_REP }));
      },
      expect: /couldn't reach Slack|nothing was saved/,
    },
    {
      // Slack names the installing team in `view.app_installed_team_id` (Bolt authorises by it), the user's in `team`.
      name: 'deal modal as A\'s user, authorised for B',
      covers: ['view:deal_modal'],
      send: () => {
        const p = viewSubmissionPayload({ teamId: 'TALPHA', userId: A_REP, viewId: a.dealModal.id, callbackId: 'deal_modal', privateMetadata: a.dealModal.meta, values: dealModalValues({ customer: 'Crosswired', amount: '9k', owner: A_REP }) });
        (p.view as Record<string, unknown>).app_installed_team_id = 'TBETA';
        return h.slack.interaction(p);
      },
      expect: /no longer valid/,
    },
    // The message shortcut on A's message, and A's user opening B's Home.
    { name: 'Log as won on A\'s message', covers: ['shortcut:log_as_won'], send: () => h.slack.interaction(messageActionPayload({ teamId: 'TBETA', userId: B_REP, channelId: A_SALES, callbackId: 'log_as_won', text: 'closed 2k with Initrode', ts: '1700000001.000100', responseUrl: h.fake.responseUrl(`s${++seq}`) })), expect: /deal_modal/ },
    { name: 'app_home_opened for A\'s user in B', covers: ['event:app_home_opened'], send: () => homeOpened('TBETA', A_ADMIN), expect: bHomeRevenue },
    { name: 'app_home_opened naming team A, authorised for B', covers: ['event:app_home_opened'], send: () => homeOpened('TALPHA', A_ADMIN, 'TBETA'), expect: bHomeRevenue },
  ];

  test('the cases cover every registered listener and /kpi subcommand, and nothing that is not registered', () => {
    const registered = registeredSurfaces(h.kpi.deps);
    expect(registered.filter((r) => r.startsWith('unknown:'))).toEqual([]);
    const covered = new Set(CASES.flatMap((c) => c.covers));
    const matches = (reg: string, cov: string) => {
      if (reg === cov) return true;
      const m = /^(\w+):\/(.+)\/$/.exec(reg);
      return m !== null && cov.startsWith(`${m[1]}:`) && new RegExp(m[2]!).test(cov.slice(m[1]!.length + 1));
    };
    expect(registered.filter((r) => ![...covered].some((c) => matches(r, c))), 'registered without an isolation case').toEqual([]);
    expect([...covered].filter((c) => !c.startsWith('kpi:') && !c.startsWith('deal:') && !registered.some((r) => matches(r, c))), 'cases for nothing registered').toEqual([]);
    // Every one-line /deal form its help documents has a case too.
    const dealForms = [...new Set([...buildDealHelp().text.matchAll(/`\/deal (\w+)/g)].map((m) => m[1]!))];
    expect(dealForms.length).toBeGreaterThanOrEqual(8);
    expect(dealForms.filter((f) => !covered.has(`deal:${f}`))).toEqual([]);
    const kpiCovered = [...covered].filter((c) => c.startsWith('kpi:')).map((c) => c.slice(4));
    expect(KPI_SUBCOMMANDS.filter((s) => !s.names.some((n) => kpiCovered.includes(n))).map((s) => s.names[0])).toEqual([]);
  });

  test.each(CASES.map((c) => [c.name, c] as const))('from B: %s — nothing of A is read or changed', async (_name, c) => {
    h.fake.reset();
    sent.length = 0;
    const res = await c.send();
    expect(res.status).toBe(200);
    const expected = c.expect instanceof RegExp ? c.expect : await c.expect();
    const seen = () => jsonOf({ http: res.body, calls: h.fake.calls.map((x) => ({ method: x.method, args: x.args })), responses: h.fake.responses });
    if (!c.silent) await h.fake.waitFor(() => expected.test(seen()), 5000).catch(() => undefined);
    // Let late calls of the request land too.
    let n = -1;
    while (n !== h.fake.calls.length + h.fake.responses.length) {
      n = h.fake.calls.length + h.fake.responses.length;
      await new Promise((r) => setTimeout(r, 120));
    }
    const saw = seen();
    if (c.silent) expect(h.fake.calls).toEqual([]);
    else expect(saw).toMatch(expected);
    // What B put in its own request (A's ids it copied, words it typed) is no leak when echoed.
    const typed = sent.join('\n');
    const leaked = A_SECRETS.filter((s) => saw.includes(s) && !typed.includes(s));
    expect(leaked, `B saw A's data: ${saw.slice(0, 3000)}`).toEqual([]);
    expect([...new Set(h.fake.calls.filter((x) => x.method !== 'upload').map((x) => x.token))].filter((t) => t !== TOKEN.TBETA)).toEqual([]);
    expect(await snapshotA()).toBe(before);
  });

  test('an org\'s token never serves a workspace installed on its own: a request claiming the org for team A is not authorised', async () => {
    h.fake.reset();
    const body = new URLSearchParams({
      token: 'legacy',
      team_id: 'TALPHA',
      team_domain: 'alpha',
      enterprise_id: 'EGRID',
      enterprise_name: 'Grid',
      is_enterprise_install: 'true',
      channel_id: A_SALES,
      channel_name: 'sales',
      user_id: A_ADMIN,
      user_name: 'adelaide',
      command: '/kpi',
      text: 'revenue this month',
      api_app_id: 'A0KPI',
      response_url: h.fake.responseUrl('grid'),
      trigger_id: '1.2.3',
    }).toString();
    const res = await h.slack.post(body);
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    await new Promise((r) => setTimeout(r, 200));
    expect(h.fake.calls).toEqual([]);
    expect(h.fake.responses).toEqual([]);
    // A workspace of the org is still served with the org's token.
    const ok = await h.slack.post(body.replace('team_id=TALPHA', 'team_id=TGRIDWS1').replace(`channel_id=${A_SALES}`, 'channel_id=CGRIDSALES'));
    expect(ok.status).toBe(200);
    const answer = await h.fake.waitFor(() => h.fake.responsesTo('grid')[0]);
    expect(jsonOf(answer)).not.toMatch(/Acmeleak|73,519|73\.5k/);
    expect(await snapshotA()).toBe(before);
  });
});
