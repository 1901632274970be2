import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { renderMessageAsText } from '../../src/slack/blocks/render-text.js';
import type { SlackBlocks } from '../../src/slack/gateway.js';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { blockActionPayload } from '../helpers/slack-requests.js';
import { testEngines } from '../helpers/test-db.js';
import { rawText } from '../helpers/slack-text.js';

/**
 * Issue #12 through signed requests: `/kpi` and `/deal` command words in Vietnamese and Chinese,
 * `/kpi` refusals (unknown KPI, bad period, …) in the reader's language with the right form in it,
 * help listing the words of the reader's language, and *Share in channel* in the workspace's
 * language while the private answer was in the reader's. Workspace T0ERRS reports in VND; clock
 * 2026-11-20. Lan's Slack is in Vietnamese, Wei's in Chinese, Alice's in English.
 */

const NOW = new Date('2026-11-20T12:00:00Z');
const TEAM = 'T0ERRS';

interface TAnswer {
  text: string;
  blocks?: SlackBlocks;
  response_type?: string;
}

describe.each(testEngines())('command words and errors in English, Vietnamese and Chinese on %s', (dialect) => {
  let h: Harness;
  let seq = 0;


  async function send(command: '/kpi' | '/deal', text: string, user: string): Promise<TAnswer> {
    const id = `errs${++seq}`;
    const res = await h.slack.command(command, text, { user_id: user, team_id: TEAM, channel_id: 'C0SALES', response_url: h.fake.responseUrl(id) });
    expect(res.status).toBe(200);
    const [first] = await h.fake.waitFor(() => {
      const r = h.fake.responsesTo(id);
      return r.length > 0 ? r : null;
    });
    return first as unknown as TAnswer;
  }

  const shown = (a: TAnswer) => renderMessageAsText({ text: a.text, ...(a.blocks ? { blocks: a.blocks } : {}) });

  async function run(command: '/kpi' | '/deal', text: string, user: string): Promise<{ shown: string; raw: string; answer: TAnswer }> {
    const answer = await send(command, text, user);
    return { shown: shown(answer), raw: rawText(answer), answer };
  }

  /** Latin words a Vietnamese or Chinese reader should not meet (names, commands and acronyms aside). */
  const ENGLISH = /\b(won|lost|revenue|deals?|rate|period|average|reps?|share|channel|understand|give|try|example|typed|optionally|button|valid|don't|know)\b/i;
  const withoutCode = (s: string) => s.replace(/`[^`]*`/g, '').replace(/:[a-z_]+:/g, '').replace(/https?:\/\/\S+/g, '');

  beforeAll(async () => {
    h = await startHarness(dialect);
    h.setNow(NOW);
    h.fake.addUser({ id: 'U0ALICE', name: 'alice', real_name: 'Alice Admin', tz: 'UTC', locale: 'en-US' });
    h.fake.addUser({ id: 'U0LAN', name: 'lan', real_name: 'Lan Nguyen', tz: 'Asia/Ho_Chi_Minh', locale: 'vi-VN' });
    h.fake.addUser({ id: 'U0WEI', name: 'wei', real_name: 'Wei Zhang', tz: 'Asia/Shanghai', locale: 'zh-CN' });
    await run('/kpi', 'settings currency VND timezone UTC', 'U0ALICE');
  });

  afterAll(async () => {
    await h?.stop();
  });

  test('/deal verbs in Vietnamese and Chinese record the deals they name', async () => {
    const won = await run('/deal', 'thắng 641700000 Acme', 'U0LAN');
    expect(won.shown).toContain('Acme: 641.700.000 ₫ đã chốt');
    const lost = await run('/deal', '输单 Beta 价格', 'U0WEI');
    expect(lost.shown).toContain('Beta');
    expect(withoutCode(lost.raw)).not.toMatch(ENGLISH);
    const wonGlued = await run('/deal', '赢单1.5万 Gamma', 'U0WEI');
    expect(wonGlued.shown).toContain('Gamma');
    expect(wonGlued.shown).toContain('₫15,000');
    const undo = await run('/deal', 'hoàn tác', 'U0LAN');
    expect(undo.shown).toContain('Acme');
    // Without diacritics too; Acme is won again.
    expect((await run('/deal', 'thang 641700000 Acme', 'U0LAN')).shown).toContain('Acme: 641.700.000 ₫ đã chốt');
  });

  test.each([
    ['U0LAN', 'doanh thu tháng này', 'Doanh thu thuần', 'tháng 11/2026'],
    ['U0LAN', 'ty le chot thang nay', 'Tỷ lệ chốt đơn', 'tháng 11/2026'],
    ['U0LAN', 'tỷ-lệ-chốt tháng 11/2026', 'Tỷ lệ chốt đơn', 'tháng 11/2026'],
    ['U0WEI', '赢单率本月', '赢单率', '2026年11月'],
    ['U0WEI', '净收入 2026年11月', '净收入', '2026年11月'],
    ['U0WEI', '销售漏斗 本月', '销售漏斗', '2026年11月'],
    ['U0ALICE', 'tỷ-lệ-chốt', 'Win rate', 'November 2026'],
    ['U0ALICE', '净收入', 'Net revenue', 'November 2026'],
  ])('%s: /kpi %s answers %s', async (user, text, title, period) => {
    const a = await run('/kpi', text, user);
    expect(a.shown).toContain(title);
    expect(a.shown).toContain(period);
    if (user !== 'U0ALICE') expect(withoutCode(a.raw)).not.toMatch(ENGLISH);
  });

  test('help lists the command words of the reader language; English help is unchanged', async () => {
    const vi = await run('/kpi', 'trợ giúp', 'U0LAN');
    expect(vi.shown).toContain('Gõ tên chỉ số bằng tiếng Việt');
    expect(vi.shown).toContain('tỷ-lệ-chốt');
    expect(vi.shown).toContain('doanh-thu');
    expect(withoutCode(vi.raw)).not.toMatch(ENGLISH);
    const zh = await run('/kpi', '帮助', 'U0WEI');
    expect(zh.shown).toContain('也可以用中文指标名');
    expect(zh.shown).toContain('赢单率');
    expect(zh.shown).toContain('排行榜');
    const en = await run('/kpi', 'help', 'U0ALICE');
    expect(en.shown).toContain('Sales KPIs in Slack');
    expect(en.shown).not.toContain('tỷ-lệ-chốt');
    expect(en.shown).not.toContain('赢单率');
    const dealVi = await run('/deal', 'help', 'U0LAN');
    expect(dealVi.shown).toContain('Lệnh bằng tiếng Việt');
    expect(dealVi.shown).toContain('thắng');
    expect(dealVi.shown).toContain('hoàn-tác');
    const dealZh = await run('/deal', '帮助', 'U0WEI');
    expect(dealZh.shown).toContain('也可以用中文命令');
    expect(dealZh.shown).toContain('赢单');
    expect(dealZh.shown).toContain('撤销');
    const dealEn = await run('/deal', 'help', 'U0ALICE');
    expect(dealEn.shown).not.toContain('赢单');
  });

  test.each([
    ['U0ALICE', 'winrate last fortnight', ['I didn\'t understand "last fortnight" after /kpi winrate', 'Try: /kpi winrate last month @dana', 'You typed: /kpi winrate last fortnight']],
    ['U0LAN', 'winrate last fortnight', ['Tôi chưa hiểu "last fortnight" sau /kpi winrate', 'tháng trước', 'Thử lệnh: /kpi winrate tháng trước @dana', 'Bạn đã gõ: /kpi winrate last fortnight']],
    ['U0WEI', 'winrate last fortnight', ['我没看懂 /kpi winrate 后面的“last fortnight”', '上季度', '试试：/kpi winrate 上月 @dana', '你输入的是：/kpi winrate last fortnight']],
    ['U0ALICE', 'revenue 2026-Q5', ['"2026-Q5": a year has quarters Q1 to Q4 only.', 'Try: /kpi revenue 2026-Q3']],
    ['U0LAN', 'revenue 2026-Q5', ['"2026-Q5": một năm chỉ có quý 1 đến quý 4. Tôi chưa hiểu "2026-Q5"', 'Thử lệnh: /kpi revenue 2026-Q3']],
    ['U0WEI', 'revenue 2026-Q5', ['“2026-Q5”：一年只有第一到第四季度。 我没看懂', '试试：/kpi revenue 2026-Q3']],
    ['U0LAN', 'doanh thu tháng 13/2026', ['"tháng 13/2026": tháng chỉ từ 01 đến 12.', 'Bạn đã gõ: /kpi doanh thu tháng 13/2026']],
    ['U0WEI', 'plan 800 USD 本季度', ['这个工作区以 VND 统计，还没有 USD 的汇率', '试试：/kpi rate USD']],
    ['U0LAN', 'winrate <@U0NOBODY|nobody>', ['@U0NOBODY chưa dùng ứng dụng lần nào', 'Thử lệnh: /kpi winrate me']],
    ['U0WEI', 'winrate <@U0LAN|lan> <@U0ALICE|alice>', ['一次只能看一个人', '试试：/kpi winrate 上月 @dana']],
  ])('%s: /kpi %s is refused in their language', async (user, text, parts) => {
    const a = await run('/kpi', text, user);
    expect(a.answer.response_type).toBe('ephemeral');
    for (const p of parts) expect(a.shown).toContain(p);
    if (user !== 'U0ALICE') expect(withoutCode(a.raw.replace(/last fortnight/g, ''))).not.toMatch(ENGLISH);
  });

  test.each([
    // Lan's dot groups (`$1.200` is 1,200 dollars for her): her decimal comma before 3 digits is asked about.
    ['U0LAN', 'thắng $1,200 Acme', ['"$1,200" chưa rõ với USD: dấu phẩy là phân cách hàng nghìn (1.200) hay dấu thập phân (1,2)? Nếu là hàng nghìn, hãy viết 1.200 (dấu chấm phân cách hàng nghìn);', 'Bạn đã gõ: /deal thắng $1,200 Acme']],
    ['U0WEI', '赢单 -5万 Acme', ['金额必须大于零，而 "-5万" 是负数', '你输入的是：/deal 赢单 -5万 Acme']],
    ['U0LAN', 'thắng 12 XBT Acme', ['XBT không phải loại tiền hợp lệ', '"XBT Acme"']],
    ['U0ALICE', 'won $1.200 Acme', ['"$1.200" is ambiguous in USD: is the dot a thousands separator (1,200) or a decimal point (1.2)? Write 1,200 with a comma']],
  ])('%s: /deal %s: the amount error in their language', async (user, text, parts) => {
    const a = await run('/deal', text, user);
    for (const p of parts) expect(a.shown).toContain(p);
    if (user !== 'U0ALICE') expect(withoutCode(a.raw)).not.toMatch(ENGLISH);
  });

  test.each([
    ['U0LAN', 'Tôi chưa hiểu lệnh /kpi thống-kê'],
    ['U0WEI', '我不认识 /kpi thống-kê'],
    ['U0ALICE', "I don't know /kpi thống-kê"],
  ])('%s: an unknown /kpi word gets help in their language', async (user, part) => {
    const a = await run('/kpi', 'thống-kê', user);
    expect(a.shown).toContain(part.split(' /kpi')[0]!);
    expect(a.shown).toContain('thống-kê');
  });

  test.each([
    // [workspace language, asker, private title, shared title]
    ['vi', 'U0WEI', '净收入', 'Doanh thu thuần'],
    ['zh-CN', 'U0ALICE', 'Net revenue', '净收入'],
    ['en', 'U0LAN', 'Doanh thu thuần', 'Net revenue'],
  ])('workspace in %s: %s reads the answer privately in their language, the shared one is in the workspace language', async (language, user, privateTitle, sharedTitle) => {
    await run('/kpi', `settings language ${language}`, 'U0ALICE');
    const mine = await run('/kpi', 'revenue tháng này', user);
    expect(mine.shown).toContain(privateTitle);
    const actions = (mine.answer.blocks ?? []).find((b) => b.type === 'actions') as { elements: Array<{ action_id: string; value: string }> };
    const id = `errs-share${++seq}`;
    const res = await h.slack.interaction(blockActionPayload({ teamId: TEAM, userId: user, channelId: 'C0SALES', actionId: 'kpi_share', value: actions.elements[0]!.value, responseUrl: h.fake.responseUrl(id) }));
    expect(res.status).toBe(200);
    const [shared] = (await h.fake.waitFor(() => {
      const r = h.fake.responsesTo(id);
      return r.length > 0 ? r : null;
    })) as unknown as TAnswer[];
    expect(shared!.response_type).toBe('in_channel');
    expect(shown(shared!)).toContain(sharedTitle);
    expect(shown(shared!)).not.toContain(privateTitle);
    if (language !== 'en') expect(withoutCode(rawText(shared))).not.toMatch(ENGLISH);
  });

  test.each([
    ['U0LAN', 'Nút này không còn hiệu lực'],
    ['U0WEI', '此按钮已失效'],
    ['U0ALICE', 'This button is no longer valid'],
  ])('%s: a forged share value is refused privately in their language', async (user, part) => {
    await run('/kpi', 'settings language en', 'U0ALICE');
    const id = `errs-forged${++seq}`;
    await h.slack.interaction(blockActionPayload({ teamId: TEAM, userId: user, channelId: 'C0SALES', actionId: 'kpi_share', value: '{"v":1,"k":"winrate","p":"2026-11","a":1,"s":"r999999"}', responseUrl: h.fake.responseUrl(id) }));
    const [answer] = (await h.fake.waitFor(() => {
      const r = h.fake.responsesTo(id);
      return r.length > 0 ? r : null;
    })) as unknown as TAnswer[];
    expect(answer!.response_type).toBe('ephemeral');
    expect(shown(answer!)).toContain(part);
  });
});
