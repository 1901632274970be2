import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connectCrm } from '../../src/domain/crm/connect-crm.js';
import { createLogger } from '../../src/logger.js';
import { createSchedulers, type TSchedulers } from '../../src/scheduler/schedulers.js';
import { recipientLocale } from '../../src/slack/locale-of.js';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { englishLeft as englishWordsLeft } from '../helpers/english-words.js';
import { FakeHubSpot } from '../helpers/fake-hubspot.js';
import { FakeSalesforce } from '../helpers/fake-salesforce.js';
import { getPage, type TPage } from '../helpers/oauth-pages.js';
import { ALICE, commandAnswers, LAN, WEI } from '../helpers/language-team.js';
import { testEngines } from '../helpers/test-db.js';
import { englishLeft } from '../helpers/untranslated.js';

/**
 * Issue #12, "input in the user's words", through signed requests and HTTP to the real app:
 * - `/deal won … <type>` and `/deal stage … <stage>` read Vietnamese (with and without marks) and
 *   Chinese deal types and stage names, store the right type and stage, and refuse a word that could
 *   mean two stages with the choices in the asker's language; English keeps working.
 * - The failing-sync CRM notice reaches the installer (Lan, Slack in Vietnamese) in Vietnamese in a
 *   workspace whose language is Chinese.
 * - The Salesforce consent callback page speaks the language of the admin who started the flow (else
 *   the browser's), with `<html lang>` and no English left but product names and commands.
 * Lan (vi-VN) installed the app; Wei (zh-CN) and Alice (en-US) are admins.
 */

const NOW = new Date('2026-11-20T10:00:00Z');
const PUBLIC_URL = 'https://kpi.example.test';

/** The visible text of a page: tags and code (commands, variable names) left out, entities read. */
function pageWords(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, ' ')
    .replace(/<code>[\s\S]*?<\/code>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

describe.each(testEngines())('the user’s words: deal types, stages, the CRM notice and callback page on %s', (dialect) => {
  let h: Harness;
  const hubspot = new FakeHubSpot();
  const salesforce = new FakeSalesforce();
  let schedulers: TSchedulers;

  const prisma = () => h.database.db.prisma;
  const workspace = () => prisma().workspace.findFirstOrThrow({ where: { slackTeamId: 'T0FAKE' } });
  const dealOf = async (customer: string) => prisma().deal.findFirst({ where: { workspaceId: (await workspace()).id, customer } });

  let answer: ReturnType<typeof commandAnswers>;
  /** The answer as sent (mrkdwn: code spans kept, so commands and examples are not read as English). */
  const deal = async (text: string, user: string) => (await answer('/deal', text, user)).raw;

  beforeAll(async () => {
    await hubspot.start();
    await salesforce.start();
    h = await startHarness(dialect, { CRM_ENCRYPTION_KEY: randomBytes(32).toString('base64'), PUBLIC_URL, SALESFORCE_CLIENT_ID: salesforce.clientId, SALESFORCE_CLIENT_SECRET: salesforce.clientSecret });
    h.setNow(NOW);
    answer = commandAnswers(h, { prefix: 'words' });
    // The config accepts only an https login URL; the fake listens on loopback http.
    h.kpi.deps.crm!.salesforce = { clientId: salesforce.clientId, clientSecret: salesforce.clientSecret, loginUrl: salesforce.url };
    h.fake.addUser({ id: LAN, name: 'lan', real_name: 'Lan', tz: 'Asia/Ho_Chi_Minh', locale: 'vi-VN' });
    h.fake.addUser({ id: WEI, name: 'wei', real_name: 'Wei', tz: 'Asia/Shanghai', locale: 'zh-CN' });
    h.fake.addUser({ id: ALICE, name: 'alice', real_name: 'Alice', tz: 'UTC', locale: 'en-US' });
    // Lan is the first to use the app (the installer); the workspace speaks Chinese and reports in VND.
    await answer('/kpi', 'settings language zh-CN', LAN);
    await answer('/kpi', 'settings currency VND', LAN);
    await answer('/kpi', `role <@${WEI}|wei> admin`, LAN);
    await answer('/kpi', `role <@${ALICE}|alice> admin`, LAN);
    schedulers = createSchedulers({ config: h.config, db: h.database.db, logger: createLogger('error', () => undefined), deps: h.kpi.deps, now: () => h.kpi.deps.now() });
  }, 60_000);
  afterAll(async () => {
    await schedulers?.stop();
    await h?.stop();
    await hubspot.stop();
    await salesforce.stop();
  });

  describe('deal types and stages in the asker’s words', () => {
    test.each([
      // [who, typed, customer, stored type]
      [LAN, 'won 12tr Hoà Phát gia hạn', 'Hoà Phát', 'renewal'],
      [LAN, 'thắng 5tr Vinamilk gia han', 'Vinamilk', 'renewal'],
      [LAN, 'won 3tr "Sao Mai" bán thêm', 'Sao Mai', 'upsell'],
      [LAN, 'chot don 4tr Thaco ban cheo', 'Thaco', 'upsell'],
      [LAN, 'won 2tr Biti khách mới', 'Biti', 'new'],
      // `mới` alone ends company names: it stays in the name (a new deal is `new` anyway).
      [LAN, 'won 2tr Thế Giới Mới', 'Thế Giới Mới', 'new'],
      [LAN, 'won 2tr Vissan khach hang moi', 'Vissan', 'new'],
      [WEI, '赢单 12万 华为 续签', '华为', 'renewal'],
      [WEI, '赢单 8万 小米 增购', '小米', 'upsell'],
      [WEI, 'won 6万 腾讯 追加销售', '腾讯', 'upsell'],
      [WEI, '成交 2万 京东 新签', '京东', 'new'],
      [WEI, '赢单 3万 百度 新客户', '百度', 'new'],
      // Chinese written without a space: the type glued to the name.
      [WEI, '赢单 9万 联想续约', '联想', 'renewal'],
      [ALICE, 'won 12k Initech renewal', 'Initech', 'renewal'],
      [ALICE, 'won 12k Globex upsell', 'Globex', 'upsell'],
      [ALICE, 'won 12k Hooli', 'Hooli', 'new'],
    ])('%s: /deal %s → %s is %s', async (user, typed, customer, type) => {
      const shown = await deal(typed, user);
      const stored = await dealOf(customer);
      expect(stored, shown).toMatchObject({ status: 'won', type });
      // The confirmation is in the asker's language, type word included.
      if (user !== ALICE) expect(englishWordsLeft(shown, customer.split(' '))).toEqual([]);
    });

    test.each([
      [LAN, 'stage Đông Á báo giá', 'Đông Á', 'proposal'],
      [LAN, 'stage "Nam Long" bao gia', 'Nam Long', 'proposal'],
      [LAN, 'giai đoạn Masan dùng thử', 'Masan', 'demo'],
      [LAN, 'giai doan Viettel trinh dien', 'Viettel', 'demo'],
      [LAN, 'chuyển FPT Đã liên hệ (gọi)', 'FPT', 'contacted'],
      [LAN, 'chuyen Vingroup da lien he', 'Vingroup', 'contacted'],
      [LAN, 'stage Petrolimex khach hang tiem nang', 'Petrolimex', 'lead'],
      [LAN, 'stage Sabeco Trình diễn/Dùng thử 20tr', 'Sabeco', 'demo'],
      [WEI, '阶段 联想 方案报价', '联想', 'proposal'],
      [WEI, '推进 美团 演示/试用', '美团', 'demo'],
      [WEI, '阶段 滴滴 试用', '滴滴', 'demo'],
      [WEI, '阶段 字节 已联系（电话）', '字节', 'contacted'],
      [WEI, '阶段 网易 线索', '网易', 'lead'],
      [WEI, 'stage 携程报价', '携程', 'proposal'],
      [WEI, '阶段 拼多多试用 3万', '拼多多', 'demo'],
      [ALICE, 'stage Umbrella demo', 'Umbrella', 'demo'],
      [ALICE, 'stage Stark proposal', 'Stark', 'proposal'],
      [ALICE, 'stage Wayne trial', 'Wayne', 'demo'],
      [ALICE, 'stage Acme Corp contacted', 'Acme Corp', 'contacted'],
    ])('%s: /deal %s → %s at %s', async (user, typed, customer, stage) => {
      const shown = await deal(typed, user);
      const stored = await dealOf(customer);
      expect(stored, shown).toMatchObject({ status: 'open', stage });
      if (user !== ALICE) expect(englishWordsLeft(shown, customer.split(' '))).toEqual([]);
    });

    test('a word that could be two stages is refused with the choices, in the asker’s words; nothing is stored', async () => {
      const vi = await deal('stage Tân Hiệp giai phap', LAN);
      expect(vi).toContain('"giai phap" có thể hiểu theo nhiều nghĩa: “Trình diễn/Dùng thử”, “Báo giá”');
      expect(englishWordsLeft(vi)).toEqual([]);
      const zh = await deal('阶段 中兴 方案', WEI);
      expect(zh).toContain('“方案”可能指：“演示/试用”、“方案报价”');
      expect(englishWordsLeft(zh)).toEqual([]);
      const en = await deal('stage Tyrell giải pháp', ALICE);
      expect(en).toContain('"giải pháp" could mean several things: “Demo/Trial”, “Proposal”. Say which one.');
      for (const customer of ['Tân Hiệp', '中兴', 'Tyrell']) expect(await dealOf(customer)).toBeNull();
      // The choices as shown read back.
      await deal('stage "Tân Hiệp" Báo giá', LAN);
      expect(await dealOf('Tân Hiệp')).toMatchObject({ stage: 'proposal' });
    });

    test('closing words as a stage point to the verbs; English refusals stay', async () => {
      expect(await deal('stage Hảo Hảo đã chốt', LAN)).toContain('`/deal won …`');
      expect(await deal('阶段 海尔 输单', WEI)).toContain('`/deal lost …`');
      expect(await deal('stage Soylent won', ALICE)).toContain('To close a deal use `/deal won …` rather than a stage.');
      expect(await deal('stage Soylent frobnicate', ALICE)).toContain('"frobnicate" is not a stage here.');
    });

    test('/deal help lists the types and stages in the reader’s words', async () => {
      const vi = await deal('help', LAN);
      expect(vi).toContain('`bán thêm`');
      expect(vi).toContain('`gia hạn`');
      expect(vi).toContain('`báo giá`');
      const zh = await deal('help', WEI);
      expect(zh).toContain('`续签`');
      expect(zh).toContain('`追加销售`');
      expect(zh).toContain('`报价`');
      const en = await deal('help', ALICE);
      expect(en).toContain('(type: new, upsell or renewal; new if omitted)');
      expect(en).toContain('(lead, contacted, demo, proposal)');
    });
  });

  describe('the failing-sync notice', () => {
    test('reaches the Vietnamese-speaking installer in Vietnamese in a Chinese workspace, from their rep or from Slack', async () => {
      const ws = await workspace();
      expect(ws).toMatchObject({ installerUserId: LAN, language: 'zh-CN' });
      await connectCrm({ db: h.database.db, workspaceId: ws.id, vendor: 'hubspot', credentials: { accessToken: 'pat-na1-revoked-token-0000' }, keyRing: h.kpi.deps.crm!.keyRing!, baseUrl: hubspot.url, now: NOW });
      const noticeTo = async (user: string) => {
        const before = h.fake.callsTo('chat.postMessage').length;
        await schedulers.crmJob!.tick();
        return String((await h.fake.waitFor(() => h.fake.callsTo('chat.postMessage').slice(before).find((c) => c.args.channel === user))).args.text);
      };
      const kept = await noticeTo(LAN);
      expect(kept).toContain('HubSpot không còn chấp nhận thông tin xác thực');
      const english = 'HubSpot stopped accepting the app’s credentials';
      expect(englishLeft(kept.replace(/\(.*\)/, ''), english)).toEqual([]);
      // A rep row without a Slack locale (e.g. created by an import): Slack is asked.
      await prisma().rep.updateMany({ where: { workspaceId: ws.id, slackUserId: LAN }, data: { slackLocale: null } });
      await prisma().crmConnection.update({ where: { workspaceId: ws.id }, data: { status: 'active', errorNotifiedAt: null, nextAttemptAt: null } });
      const infoCalls = h.fake.callsTo('users.info').length;
      const asked = await noticeTo(LAN);
      expect(asked).toContain('HubSpot không còn chấp nhận thông tin xác thực');
      expect(h.fake.callsTo('users.info').slice(infoCalls).some((c) => c.args.user === LAN)).toBe(true);
      // Their own choice wins over Slack's locale.
      await answer('/kpi', 'settings my-language en', LAN);
      await prisma().crmConnection.update({ where: { workspaceId: ws.id }, data: { status: 'active', errorNotifiedAt: null, nextAttemptAt: null } });
      expect(await noticeTo(LAN)).toContain("HubSpot stopped accepting the app's credentials");
      await answer('/kpi', 'settings my-language auto', LAN);
      await prisma().rep.updateMany({ where: { workspaceId: ws.id, slackUserId: LAN }, data: { slackLocale: 'vi-VN' } });
    });

    test('when Slack cannot say, the workspace’s language', async () => {
      const ws = await workspace();
      const failing = () => Promise.reject(new Error('users.info timed out'));
      expect(await recipientLocale({ db: h.database.db, workspace: ws, slackUserId: 'U0NEVERMET', profile: failing })).toBe('zh-CN');
      expect(await recipientLocale({ db: h.database.db, workspace: ws, slackUserId: 'U0NEVERMET', profile: async () => ({ locale: 'vi-VN' }) })).toBe('vi');
      expect(await recipientLocale({ db: h.database.db, workspace: ws, slackUserId: WEI, profile: failing })).toBe('zh-CN');
    });
  });

  describe('the Salesforce callback page', () => {
    /** Starts the flow from Slack as `user`: the state and PKCE challenge of the link. */
    async function startFlow(user: string) {
      const { message } = await answer('/kpi', 'crm connect salesforce', user);
      const url = new URL(JSON.stringify(message.blocks).match(/"url":"([^"]+)"/)![1]!);
      return { state: url.searchParams.get('state')!, challenge: url.searchParams.get('code_challenge')! };
    }
    const callback = (query: string, acceptLanguage?: string): Promise<TPage> =>
      getPage(`${h.url}/crm/salesforce/callback?${query}`, undefined, acceptLanguage ? { 'accept-language': acceptLanguage } : {});
    const seen: Record<'en' | 'vi' | 'zh-CN', Record<string, TPage>> = { en: {}, vi: {}, 'zh-CN': {} };
    const users = { en: ALICE, vi: LAN, 'zh-CN': WEI } as const;

    beforeAll(async () => {
      for (const loc of ['en', 'vi', 'zh-CN'] as const) {
        const user = users[loc];
        // A refused consent (Salesforce's own code comes back escaped); the browser asks for another language.
        const denied = await startFlow(user);
        seen[loc].denied = await callback(`error=${encodeURIComponent('access_denied <b>')}&state=${denied.state}`, loc === 'en' ? 'vi' : 'en-US');
        // An unknown link: only the browser's language is known.
        seen[loc].unknown = await callback(`code=x&state=${'a'.repeat(43)}`, loc === 'zh-CN' ? 'zh-CN,zh;q=0.9' : loc);
        // An expired link.
        const late = await startFlow(user);
        h.setNow(new Date(NOW.getTime() + 11 * 60_000));
        seen[loc].expired = await callback(`code=x&state=${late.state}`, loc);
        h.setNow(NOW);
        // The consent granted: connected.
        const ok = await startFlow(user);
        const code = salesforce.authorize({ codeChallenge: ok.challenge, redirectUri: `${PUBLIC_URL}/crm/salesforce/callback` });
        seen[loc].connected = await callback(`code=${encodeURIComponent(code)}&state=${encodeURIComponent(ok.state)}`, loc === 'en' ? 'zh-CN' : 'en');
      }
    }, 60_000);

    test('in the language of the admin who started the flow, whatever the browser asks', () => {
      expect(seen.vi.connected!.status).toBe(200);
      expect(seen.vi.connected!.body).toContain('<html lang="vi">');
      expect(seen.vi.connected!.body).toContain('Đã kết nối Salesforce');
      expect(seen['zh-CN'].connected!.body).toContain('<html lang="zh-CN">');
      expect(seen['zh-CN'].connected!.body).toContain('Salesforce 已连接');
      expect(seen.en.connected!.body).toContain('<html lang="en">');
      expect(seen.en.connected!.body).toContain('Salesforce is connected');
      expect(seen.vi.denied!.status).toBe(400);
      expect(seen.vi.denied!.body).toContain('Salesforce không cấp quyền truy cập (access_denied &lt;b&gt;)');
      expect(seen['zh-CN'].denied!.body).toContain('Salesforce 未授予访问权限（access_denied &lt;b&gt;）');
      expect(seen.en.denied!.body).toContain('Salesforce did not grant access (access_denied &lt;b&gt;). Run <code>/kpi crm connect salesforce</code> in Slack again to get a new link.');
    });

    test('an unknown or expired link: in the browser’s language', () => {
      expect(seen.vi.unknown!.body).toContain('<html lang="vi">');
      expect(seen.vi.unknown!.body).toContain('Liên kết này không do ứng dụng tạo ra');
      expect(seen['zh-CN'].unknown!.body).toContain('此链接不是本应用生成的');
      expect(seen.en.unknown!.body).toContain('already used');
      expect(seen.vi.expired!.body).toContain('Liên kết này đã hết hạn.');
      expect(seen['zh-CN'].expired!.body).toContain('此链接已过期。');
      expect(seen.en.expired!.body).toContain('This link expired.');
    });

    test.each(['vi', 'zh-CN'] as const)('%s: every page keeps no English word of its English twin (product names and commands aside)', (loc) => {
      const left = Object.keys(seen.en).flatMap((k) => {
        const words = englishLeft(pageWords(seen[loc][k]!.body), pageWords(seen.en[k]!.body), ['access_denied']);
        return words.length > 0 ? [`${k}: ${words.join(', ')}`] : [];
      });
      expect(left).toEqual([]);
      for (const k of Object.keys(seen.en)) expect(seen[loc][k]!.body).not.toBe(seen.en[k]!.body);
    });
  });
});
