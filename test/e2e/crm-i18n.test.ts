import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CrmSourceError, type TCrmSource, type TCrmVendor, type TCrmWriteBack } from '../../src/domain/crm/crm-source.js';
import type { TCrmCredentials } from '../../src/domain/crm/credentials.js';
import { createLogger } from '../../src/logger.js';
import { runCrmSyncs } from '../../src/scheduler/crm-sync-job.js';
import { createSchedulers, type TSchedulers } from '../../src/scheduler/schedulers.js';
import { customerKey } from '../../src/shared/customer-key.js';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { FakeCrm } from '../helpers/fake-crm.js';
import { FakeHubSpot } from '../helpers/fake-hubspot.js';
import { blockActionPayload, viewSubmissionPayload } from '../helpers/slack-requests.js';
import { testEngines } from '../helpers/test-db.js';
import { englishLeft } from '../helpers/untranslated.js';

/**
 * Every CRM surface in English, Vietnamese and Chinese (issue #12), through signed requests to the
 * real app, reading what the fake Slack received: `/kpi crm …` answers and errors, the connect and
 * stage-mapping modals (views.open) and their field errors, the disconnect prompt and button,
 * `/deal`'s refusals and write-back notes — in the reader's language (Alice en-US, Lan vi-VN, Wei
 * zh-CN, each an admin); the full load's progress message (chat.postMessage / chat.update) in the
 * workspace's language; the installer's notice of revoked credentials in the installer's own (here
 * chosen to match; words-i18n.test.ts has an installer whose language differs from the workspace's).
 * Vietnamese and Chinese surfaces keep no English word their English counterpart has (names and
 * code aside).
 */

const GOOD_TOKEN = 'pat-na1-11111111-2222-3333-4444-555555555555';
const BAD_TOKEN = 'pat-na1-revoked-token-0000';
const NOW = new Date('2026-11-20T10:00:00Z');
const LOCALES = ['en', 'vi', 'zh-CN'] as const;
type TLoc = (typeof LOCALES)[number];
const ADMINS: Record<TLoc, { id: string; name: string; locale: string }> = {
  en: { id: 'U0ALICE', name: 'alice', locale: 'en-US' },
  vi: { id: 'U0LAN', name: 'lan', locale: 'vi-VN' },
  'zh-CN': { id: 'U0WEI', name: 'wei', locale: 'zh-CN' },
};
const REPS: Record<TLoc, string> = { en: 'U0REPEN', vi: 'U0REPVI', 'zh-CN': 'U0REPZH' };
/** Names that stay as they are in every language (customers, people, sample data). */
const SAMPLE_NAMES = ['Initech', 'Zed', 'Stand', 'Appointment', 'scheduled', 'Closed', 'won', 'Example', 'zed', 'example', 'com', 'nobody', 'Gateway', 'Bad', 'answered', 'Unauthorized', 'Alice', 'Admin', 'pat', 'Europe', 'Berlin', 'UTC'];

/** Every text a person sees in a message or a view (mrkdwn as sent: code spans kept for the check). */
function textsOf(node: unknown, into: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) textsOf(n, into);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'text' || k === 'errors') && typeof v === 'string') into.push(v);
      else if (k === 'errors' && v && typeof v === 'object') into.push(...Object.values(v as Record<string, string>));
      else if (k !== 'private_metadata' && k !== 'value' && k !== 'url') textsOf(v, into);
    }
  }
  return into;
}
const shownOf = (m: { text?: unknown; blocks?: unknown }): string => (m.blocks ? textsOf(m.blocks).join('\n') : String(m.text ?? ''));

describe.each(testEngines())('CRM surfaces in English, Vietnamese and Chinese on %s', (dialect) => {
  let h: Harness;
  let seq = 0;
  const hubspot = new FakeHubSpot();
  let schedulers: TSchedulers;
  let failWriteBack: Error | null = null;
  /** What each reader saw, by surface. */
  const seen: Record<TLoc, Record<string, string>> = { en: {}, vi: {}, 'zh-CN': {} };

  function createSource(vendor: TCrmVendor, credentials: TCrmCredentials): TCrmSource {
    const fake = new FakeCrm(vendor);
    if ((credentials.accessToken ?? credentials.apiToken) !== GOOD_TOKEN) fake.listStages = () => Promise.reject(new CrmSourceError('auth', '401 Unauthorized'));
    const writeBack = async (_change: TCrmWriteBack): Promise<void> => {
      if (failWriteBack) throw failWriteBack;
    };
    return Object.assign(fake, { writeBack }) as TCrmSource;
  }

  const prisma = () => h.database.db.prisma;
  const workspace = () => prisma().workspace.findFirstOrThrow({ where: { slackTeamId: 'T0FAKE' } });
  const connection = async () => prisma().crmConnection.findUnique({ where: { workspaceId: (await workspace()).id } });

  async function run(command: '/kpi' | '/deal', text: string, user: string): Promise<{ text: string; blocks?: unknown }> {
    const id = `ci${++seq}`;
    const res = await h.slack.command(command, text, { user_id: user, response_url: h.fake.responseUrl(id) });
    expect(res.status).toBe(200);
    const [answer] = await h.fake.waitFor(() => {
      const r = h.fake.responsesTo(id);
      return r.length > 0 ? r : null;
    });
    return answer as { text: string; blocks?: unknown };
  }
  const say = async (command: '/kpi' | '/deal', text: string, user: string) => shownOf(await run(command, text, user));

  async function openModal(text: string, user: string) {
    const before = h.fake.callsTo('views.open').length;
    const res = await h.slack.command('/kpi', text, { user_id: user, response_url: h.fake.responseUrl(`m${++seq}`) });
    expect(res.status).toBe(200);
    const call = await h.fake.waitFor(() => h.fake.callsTo('views.open')[before]);
    return call.args.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
  }
  const submit = (view: { callback_id: string; private_metadata: string }, values: Record<string, Record<string, Record<string, unknown>>>, user: string) =>
    h.slack.interaction(viewSubmissionPayload({ userId: user, viewId: `V${++seq}`, callbackId: view.callback_id, privateMetadata: view.private_metadata, values }));
  const connectValues = (token: string, extra: { portal?: string; baseUrl?: string } = {}) => ({
    crm_token: { value: { type: 'plain_text_input', value: token } },
    crm_base_url: { value: { type: 'plain_text_input', value: extra.baseUrl ?? null } },
    crm_portal: { value: { type: 'plain_text_input', value: extra.portal ?? null } },
  });
  const fieldErrors = async (res: Awaited<ReturnType<typeof submit>>) => Object.values((res.json() as { errors: Record<string, string> }).errors).join('\n');
  const ephemeralAfter = (before: number, user: string) => h.fake.waitFor(() => h.fake.callsTo('chat.postEphemeral').slice(before).find((c) => c.args.user === user));

  async function resetCrm() {
    const ws = await workspace();
    await prisma().crmConnection.deleteMany({ where: { workspaceId: ws.id } });
    await prisma().crmSettings.deleteMany({ where: { workspaceId: ws.id } });
    await prisma().deal.deleteMany({ where: { workspaceId: ws.id } });
  }

  /** Every surface an admin reads privately, in their language. */
  async function privateSurfaces(loc: TLoc) {
    const user = ADMINS[loc].id;
    const s = seen[loc];
    await resetCrm();
    s.adminsOnly = await say('/kpi', 'crm status', REPS[loc]);
    s.none = await say('/kpi', 'crm status', user);
    s.unknownVerb = await say('/kpi', 'crm frobnicate', user);
    s.onOff = await say('/kpi', 'crm writeback maybe', user);
    s.whichVendor = await say('/kpi', 'crm connect', user);
    s.noStages = await say('/kpi', 'crm stages', user);
    s.notConnected = await say('/kpi', 'crm disconnect', user);
    s.salesforceLink = await say('/kpi', 'crm connect salesforce', user);
    const salesforceApp = h.kpi.deps.crm!.salesforce;
    h.kpi.deps.crm!.salesforce = null;
    s.salesforceNotSetUp = await say('/kpi', 'crm connect salesforce', user);
    h.kpi.deps.crm!.salesforce = salesforceApp;

    s.pipedriveModal = textsOf(await openModal('crm connect pipedrive', user)).join('\n');
    const view = await openModal('crm connect hubspot', user);
    s.hubspotModal = textsOf(view).join('\n');
    s.pasteToken = await fieldErrors(await submit(view, connectValues(''), user));
    s.notToken = await fieldErrors(await submit(view, connectValues('has a space'), user));
    s.baseUrl = await fieldErrors(await submit(view, connectValues(GOOD_TOKEN, { baseUrl: 'ftp://nope' }), user));
    s.portal = await fieldErrors(await submit(view, connectValues(GOOD_TOKEN, { portal: 'abc' }), user));
    s.refusedToken = await fieldErrors(await submit(view, connectValues(BAD_TOKEN), user));
    const before = h.fake.callsTo('chat.postEphemeral').length;
    const res = await submit(view, connectValues(GOOD_TOKEN, { portal: '62515' }), user);
    expect(res.body).toBe('');
    s.connected = shownOf((await ephemeralAfter(before, user)).args as { text: string; blocks?: unknown });
    const noPortal = h.fake.callsTo('chat.postEphemeral').length;
    await submit(await openModal('crm connect hubspot', user), connectValues(GOOD_TOKEN), user);
    s.connectedNoPortal = shownOf((await ephemeralAfter(noPortal, user)).args as { text: string; blocks?: unknown });

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
    s.status = await say('/kpi', 'crm status', user);
    s.writeBackOn = await say('/kpi', 'crm writeback on', user);
    s.writeBackOff = await say('/kpi', 'crm writeback off', user);

    // /deal on a deal HubSpot owns, the admin's own.
    const c = (await connection())!;
    const me = await prisma().rep.findFirstOrThrow({ where: { workspaceId: ws.id, slackUserId: user } });
    const crmDeal = () => prisma().deal.create({ data: { workspaceId: ws.id, ownerId: me.id, customer: 'Initech', customerKey: customerKey('Initech'), amountMinor: 1000000n, currency: 'USD', amountReportingMinor: 1000000n, stage: 'lead', status: 'open', source: 'hubspot', externalId: 'hubspot:77', createdAt: NOW, updatedAt: NOW } });
    await crmDeal();
    s.refusal = await say('/deal', 'won 12k Initech', user);
    await prisma().crmStageMap.deleteMany({ where: { connectionId: c.id } });
    await prisma().crmStageMap.createMany({
      data: [
        { connectionId: c.id, crmStageId: 'appointmentscheduled', pipelineId: 'default', label: 'Appointment <scheduled>', target: 'lead', edited: false, updatedAt: NOW },
        { connectionId: c.id, crmStageId: 'closedwon', pipelineId: 'default', label: 'Closed won', target: 'won', edited: true, updatedAt: NOW },
      ],
    });
    await run('/kpi', 'crm writeback on', user);
    s.noStageRefusal = await say('/deal', 'stage Initech proposal', user);
    failWriteBack = new CrmSourceError('auth', '401 Unauthorized');
    s.writeBackFailed = await say('/deal', 'won 12k Initech', user);
    failWriteBack = null;
    s.writtenBack = await say('/deal', 'won 12k Initech', user);

    // Stage mapping.
    const stages = await openModal('crm stages', user);
    s.stagesModal = textsOf(stages).join('\n');
    const sel = (v: string) => ({ value: { type: 'static_select', selected_option: { value: v, text: { type: 'plain_text', text: v } } } });
    s.notAStage = await fieldErrors(await submit(stages, { 'crm_stage:appointmentscheduled': sel('nonsense') }, user));
    const savedBefore = h.fake.callsTo('chat.postEphemeral').length;
    expect((await submit(stages, { 'crm_stage:appointmentscheduled': sel('demo') }, user)).body).toBe('');
    s.stagesSaved = shownOf((await ephemeralAfter(savedBefore, user)).args as { text: string });
    s.staleForm = await fieldErrors(await submit({ ...stages, private_metadata: 'tampered' }, {}, user));

    // Owners.
    const standIn = await prisma().rep.create({ data: { workspaceId: ws.id, importKey: `crm:hubspot:zed-${loc}`, name: 'Zed Stand' } });
    await prisma().crmOwnerMap.create({ data: { connectionId: c.id, crmOwnerId: 'o9', email: 'zed@example.com', repId: standIn.id, updatedAt: NOW } });
    s.owners = await say('/kpi', 'crm owners', user);
    s.ownerLinked = await say('/kpi', `crm owner zed@example.com <@${REPS[loc]}|rep>`, user);
    s.ownerNotFound = await say('/kpi', `crm owner nobody@example.com <@${REPS[loc]}|rep>`, user);
    s.ownersMatched = await say('/kpi', 'crm owners', user);

    // Disconnect: the prompt, a forged button, the confirmed one, and a second press.
    const prompt = await run('/kpi', 'crm disconnect', user);
    s.disconnectPrompt = shownOf(prompt);
    const value = JSON.stringify(prompt.blocks).match(/"value":"([^"]+)"/)![1]!;
    const press = async (v: string) => {
      const id = `b${++seq}`;
      await h.slack.interaction(blockActionPayload({ userId: user, channelId: 'C0SALES', actionId: 'crm_disconnect', value: v, responseUrl: h.fake.responseUrl(id) }));
      return shownOf((await h.fake.waitFor(() => h.fake.responsesTo(id)[0])) as { text: string; blocks?: unknown });
    };
    s.staleButton = await press('hubspot');
    s.disconnected = await press(value);
    s.nothingToDisconnect = await press(value);
    s.statusDisconnected = await say('/kpi', 'crm status', user);
  }

  /** The full load's progress message in the workspace's language; the revoked-credentials notice in the installer's. */
  async function workspaceSurfaces(loc: TLoc) {
    const s = seen[loc];
    const admin = ADMINS.en.id;
    await run('/kpi', `settings language ${loc}`, admin);
    await resetCrm();
    const view = await openModal('crm connect hubspot', admin);
    const before = h.fake.callsTo('chat.postEphemeral').length;
    await submit(view, connectValues(GOOD_TOKEN, { portal: '62515' }), admin);
    await ephemeralAfter(before, admin);
    const crm = new FakeCrm('hubspot', 10);
    for (let i = 1; i <= 25; i++) crm.put({ crmId: `${loc}-${i}` });
    const tick = (now: Date, over: { maxPagesPerRun?: number } = {}) => {
      const base = crm.pulls;
      return runCrmSyncs({
        db: h.database.db,
        now,
        clock: () => new Date(now.getTime() + (crm.pulls - base) * 1000),
        keyRing: h.kpi.deps.crm!.keyRing!,
        createSource: () => crm,
        logger: createLogger('error', () => undefined),
        progress: { post: (channel, message) => h.kpi.deps.slack.postMessage(channel, message), update: (channel, ts, message) => h.kpi.deps.slack.updateMessage(channel, ts, message) },
        progressIntervalMs: 3_000,
        ...over,
      });
    };
    const posts = h.fake.callsTo('chat.postMessage').length;
    const updates = h.fake.callsTo('chat.update').length;
    await tick(NOW, { maxPagesPerRun: 1 });
    s.progressPosted = String(h.fake.callsTo('chat.postMessage')[posts]!.args.text);
    s.progressRunning = String(h.fake.callsTo('chat.update').at(-1)!.args.text);
    crm.failOnPull = { pull: crm.pulls + 1, error: new CrmSourceError('unavailable', 'HubSpot answered 502 <Bad Gateway>') };
    await tick(new Date(NOW.getTime() + 60_000));
    s.progressFailed = String(h.fake.callsTo('chat.update').at(-1)!.args.text);
    await tick(new Date(NOW.getTime() + 10 * 60_000));
    s.progressDone = String(h.fake.callsTo('chat.update').at(-1)!.args.text);
    expect(h.fake.callsTo('chat.postMessage').length).toBe(posts + 1);
    expect(h.fake.callsTo('chat.update').length).toBeGreaterThan(updates + 2);

    // Revoked credentials: the scheduler's CRM job meets HubSpot's 401 and tells the installer, in
    // the installer's own language (Alice's Slack is in English: she picks the workspace's here).
    await run('/kpi', `settings my-language ${loc}`, admin);
    await prisma().crmConnection.update({ where: { workspaceId: (await workspace()).id }, data: { baseUrl: hubspot.url, status: 'active', errorNotifiedAt: null, nextAttemptAt: null } });
    const notices = h.fake.callsTo('chat.postMessage').length;
    await schedulers.crmJob!.tick();
    s.noticeRevoked = String((await h.fake.waitFor(() => h.fake.callsTo('chat.postMessage').slice(notices).find((c) => c.args.channel === admin))).args.text);
    // HubSpot's own words (the stored, redacted error) are quoted as they came.
    const stored = (await connection())!.lastError!;
    expect(s.noticeRevoked).toContain(stored.slice(0, 20));
    s.noticeRevoked = s.noticeRevoked.replace(/[（(].*[)）]/, '(…)');
    await run('/kpi', 'settings my-language auto', admin);
  }

  beforeAll(async () => {
    await hubspot.start();
    h = await startHarness(dialect, { CRM_ENCRYPTION_KEY: randomBytes(32).toString('base64'), PUBLIC_URL: 'https://kpi.example.test', SALESFORCE_CLIENT_ID: 'sf-client-id', SALESFORCE_CLIENT_SECRET: 'sf-client-secret' }, { createCrmSource: createSource });
    h.setNow(NOW);
    for (const loc of LOCALES) {
      const a = ADMINS[loc];
      h.fake.addUser({ id: a.id, name: a.name, real_name: a.name, tz: 'Europe/Berlin', locale: a.locale });
      h.fake.addUser({ id: REPS[loc], name: `rep${loc}`, real_name: `Rep ${loc}`, tz: 'Europe/Berlin', locale: a.locale });
    }
    // Alice installed the app (first to use it): an admin; she makes Lan and Wei admins.
    await run('/kpi', 'settings timezone Europe/Berlin', ADMINS.en.id);
    for (const loc of ['vi', 'zh-CN'] as const) await run('/kpi', `role <@${ADMINS[loc].id}|${ADMINS[loc].name}> admin`, ADMINS.en.id);
    for (const loc of LOCALES) await run('/kpi', `role <@${REPS[loc]}|rep> rep`, ADMINS.en.id);
    schedulers = createSchedulers({ config: h.config, db: h.database.db, logger: createLogger('error', () => undefined), deps: h.kpi.deps, now: () => h.kpi.deps.now() });
    for (const loc of LOCALES) await privateSurfaces(loc);
    for (const loc of LOCALES) await workspaceSurfaces(loc);
    await run('/kpi', 'settings language en', ADMINS.en.id);
  }, 240_000);
  afterAll(async () => {
    await schedulers?.stop();
    await h?.stop();
    await hubspot.stop();
  });

  test('English stays as it was', () => {
    const s = seen.en;
    expect(s.adminsOnly).toContain('Only admins can manage the CRM connection');
    expect(s.none).toContain('No CRM is connected. An admin connects one with');
    expect(s.unknownVerb).toContain("I don't know `/kpi crm frobnicate`.");
    expect(s.unknownVerb).toContain('Try: `/kpi crm status`');
    expect(s.unknownVerb).toContain('You typed: `/kpi crm frobnicate`');
    expect(s.hubspotModal).toContain('Paste a HubSpot *private app* access token');
    expect(s.hubspotModal).toContain('Connect HubSpot');
    expect(s.pasteToken).toBe('Paste the API token.');
    expect(s.refusedToken).toContain('HubSpot refused this token');
    expect(s.connected).toContain('*HubSpot is connected.*');
    expect(s.salesforceLink).toContain('Open Salesforce to let the app read opportunities (scopes `api`, `refresh_token`). The link works once, for you, for 10 minutes.');
    expect(s.salesforceLink).toContain('Connect Salesforce');
    expect(s.status).toContain('*HubSpot*: :red_circle: failing');
    expect(s.status).toContain('last success: Fri, Nov 20, 2026 10:45 (Europe/Berlin) (lag 15 min)');
    expect(s.status).toContain('Deals synced: 1,234 · removed: 5');
    expect(s.status).toContain('API calls (last run): 42 · daily limit: 1,000 of 250,000 used · rate-limited 2×');
    expect(s.status).toContain('Next attempt: Fri, Nov 20, 2026 11:04 (Europe/Berlin)');
    expect(s.refusal).toContain('The Initech deal was not changed: HubSpot owns it');
    expect(s.writeBackFailed).toContain('HubSpot refused the app’s credentials');
    expect(s.writtenBack).toContain('Written back to HubSpot too.');
    expect(s.stagesSaved).toContain('Saved 1 stage mapping.');
    expect(s.ownerLinked).toContain('CRM owner `o9` is now <@U0REPEN>: 0 deals moved.');
    expect(s.disconnected).toContain('HubSpot is disconnected');
    expect(s.staleButton).toContain('This button is no longer valid');
    expect(s.progressDone).toMatch(/^:white_check_mark: HubSpot: done: 25 deals in \d+ s\.$/);
    expect(s.progressFailed).toContain(':warning: HubSpot: loading stopped after 10 deals: HubSpot answered 502 &lt;Bad Gateway&gt;.');
    expect(s.noticeRevoked).toContain("HubSpot stopped accepting the app's credentials");
  });

  test('Vietnamese: every CRM surface in Vietnamese, with Vietnamese numbers and dates', () => {
    const s = seen.vi;
    expect(s.adminsOnly).toContain('Chỉ quản trị viên mới quản lý được kết nối CRM');
    expect(s.unknownVerb).toContain('Không có lệnh `/kpi crm frobnicate`');
    expect(s.unknownVerb).toContain('Thử lệnh: `/kpi crm status`');
    expect(s.hubspotModal).toContain('Kết nối HubSpot');
    expect(s.pasteToken).toBe('Hãy dán API token.');
    expect(s.refusedToken).toContain('HubSpot từ chối token này');
    expect(s.connected).toContain('*Đã kết nối HubSpot.*');
    expect(s.salesforceLink).toContain('trong 10 phút');
    expect(s.status).toContain('*HubSpot*: :red_circle: đang lỗi');
    expect(s.status).toContain('thành công gần nhất: Thứ Sáu, 20/11/2026 10:45 (Europe/Berlin) (trễ 15 phút)');
    expect(s.status).toContain('Đơn đã đồng bộ: 1.234 · đã xóa: 5');
    expect(s.status).toContain('hạn mức ngày: đã dùng 1.000/250.000');
    expect(s.status).toContain('Ghi ngược về CRM từ `/deal`: tắt');
    expect(s.refusal).toContain('Đơn Initech chưa được thay đổi: đơn này do HubSpot quản lý');
    expect(s.noStageRefusal).toContain('“Báo giá”');
    expect(s.writtenBack).toContain('Đã ghi ngược về HubSpot.');
    expect(s.stagesSaved).toContain('Đã lưu 1 ánh xạ giai đoạn.');
    expect(s.disconnected).toContain('Đã ngắt kết nối HubSpot');
    expect(s.progressDone).toMatch(/^:white_check_mark: HubSpot: hoàn tất: 25 đơn trong \d+ giây\.$/);
    expect(s.progressFailed).toContain('dừng tải sau 10 đơn');
    expect(s.noticeRevoked).toContain('HubSpot không còn chấp nhận thông tin xác thực');
  });

  test('Chinese: every CRM surface in Chinese, with Chinese dates', () => {
    const s = seen['zh-CN'];
    expect(s.adminsOnly).toContain('只有管理员才能管理 CRM 连接');
    expect(s.unknownVerb).toContain('没有 `/kpi crm frobnicate` 这个命令');
    expect(s.hubspotModal).toContain('连接 HubSpot');
    expect(s.refusedToken).toContain('HubSpot 拒绝了此 token');
    expect(s.connected).toContain('*HubSpot 已连接。* ');
    expect(s.salesforceLink).toContain('10 分钟内有效');
    expect(s.status).toContain('*HubSpot* ：:red_circle: 同步失败');
    expect(s.status).toContain('上次成功：2026年11月20日（星期五）10:45（Europe/Berlin）（延迟 15 分钟）');
    expect(s.status).toContain('已同步交易：1,234 · 已删除：5');
    expect(s.refusal).toContain('Initech 这笔交易未修改：它由 HubSpot 管理');
    expect(s.writtenBack).toContain('已同时回写到 HubSpot。');
    expect(s.stagesSaved).toContain('已保存 1 个阶段映射');
    expect(s.disconnected).toContain('HubSpot 已断开连接');
    expect(s.progressDone).toMatch(/^:white_check_mark: HubSpot：已完成：25 笔交易，用时 \d+ 秒。$/);
    expect(s.noticeRevoked).toContain('HubSpot 已不再接受应用的凭据');
  });

  test.each(['vi', 'zh-CN'] as const)('%s: every surface differs from English and keeps no English word of it', (loc) => {
    const surfaces = Object.keys(seen.en);
    expect(surfaces.length).toBeGreaterThan(40);
    expect(Object.keys(seen[loc]).sort()).toEqual([...surfaces].sort());
    const left = surfaces.flatMap((k) => {
      const words = englishLeft(seen[loc][k]!, seen.en[k]!, SAMPLE_NAMES);
      return words.length > 0 ? [`${k}: ${words.join(', ')}`] : [];
    });
    expect(left).toEqual([]);
    const same = surfaces.filter((k) => seen[loc][k] === seen.en[k]);
    expect(same).toEqual([]);
  });
});
