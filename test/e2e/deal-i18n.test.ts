import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { renderMessageAsText } from '../../src/slack/blocks/render-text.js';
import type { SlackBlocks } from '../../src/slack/gateway.js';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { dealModalValues, newTriggerId, viewSubmissionPayload } from '../helpers/slack-requests.js';
import { testEngines } from '../helpers/test-db.js';
import { rawText } from '../helpers/slack-text.js';

/**
 * `/deal` in three languages through signed requests (issue #12): private answers, errors and the
 * modal in the asker's language, the won-deal announcement in the workspace's. Workspace T0DEAL
 * reports in VND; clock 2026-11-20. Lan's Slack is in Vietnamese, Wei's in Chinese, Alice's in
 * English.
 */

const NOW = new Date('2026-11-20T12:00:00Z');

interface TAnswer {
  text: string;
  blocks?: SlackBlocks;
}

interface TView {
  title: { text: string };
  submit: { text: string };
  close: { text: string };
  private_metadata: string;
  blocks: Array<{ block_id?: string; label?: { text: string }; hint?: { text: string }; element?: { options?: Array<{ text: { text: string } }> }; elements?: Array<{ text: { text: string } }> }>;
}

describe.each(testEngines())('/deal in English, Vietnamese and Chinese on %s', (dialect) => {
  let h: Harness;
  let seq = 0;


  /** What the user sees (rendered), and every text it was built from (for the English check). */
  async function run(text: string, user: string, extra: Record<string, string> = {}): Promise<string> {
    return (await answer(text, user, extra)).shown;
  }

  async function answer(text: string, user: string, extra: Record<string, string> = {}): Promise<{ shown: string; raw: string }> {
    const id = `deal-i18n${++seq}`;
    const res = await h.slack.command('/deal', text, { user_id: user, team_id: 'T0DEAL', response_url: h.fake.responseUrl(id), ...extra });
    expect(res.status).toBe(200);
    const [first] = await h.fake.waitFor(() => {
      const r = h.fake.responsesTo(id);
      return r.length > 0 ? r : null;
    });
    const a = first as unknown as TAnswer;
    return { shown: renderMessageAsText({ text: a.text, ...(a.blocks ? { blocks: a.blocks } : {}) }), raw: rawText(a) };
  }

  async function kpi(text: string, user: string): Promise<void> {
    const id = `deal-i18n-kpi${++seq}`;
    await h.slack.command('/kpi', text, { user_id: user, team_id: 'T0DEAL', response_url: h.fake.responseUrl(id) });
    await h.fake.waitFor(() => h.fake.responsesTo(id).length > 0);
  }

  /** The announcement posted in the channel that names `customer`. */
  async function announcementOf(customer: string): Promise<string> {
    const call = await h.fake.waitFor(() => h.fake.callsTo('chat.postMessage').find((c) => String(c.args.text).includes(customer)));
    return renderMessageAsText({ text: String(call.args.text), blocks: call.args.blocks as SlackBlocks });
  }

  async function openModal(user: string): Promise<TView> {
    const trigger = newTriggerId();
    const before = h.fake.callsTo('views.open').length;
    await h.slack.command('/deal', '', { user_id: user, team_id: 'T0DEAL', trigger_id: trigger, response_url: h.fake.responseUrl(`modal${++seq}`) });
    const open = await h.fake.waitFor(() => h.fake.callsTo('views.open').slice(before).find((c) => c.args.trigger_id === trigger));
    return open.args.view as TView;
  }

  /** Latin words a Vietnamese or Chinese reader should not meet (names, commands and acronyms aside). */
  const ENGLISH = /\b(won|lost|deals?|new|business|upsell|renewal|owner|opened|closed|undo|amount|customer|say|the|and|try|you|typed|example|read)\b/i;
  const withoutCode = (s: string) => s.replace(/`[^`]*`/g, '').replace(/:[a-z_]+:/g, '').replace(/https?:\/\/\S+/g, '');

  beforeAll(async () => {
    h = await startHarness(dialect);
    h.setNow(NOW);
    h.fake.addUser({ id: 'U0ALICE', name: 'alice', real_name: 'Alice Admin', tz: 'UTC', locale: 'en-US' });
    h.fake.addUser({ id: 'U0LAN', name: 'lan', real_name: 'Lan Nguyen', tz: 'Asia/Ho_Chi_Minh', locale: 'vi-VN' });
    h.fake.addUser({ id: 'U0WEI', name: 'wei', real_name: 'Wei Zhang', tz: 'Asia/Shanghai', locale: 'zh-CN' });
    await kpi('settings currency VND timezone UTC', 'U0ALICE');
  });

  afterAll(async () => {
    await h?.stop();
  });

  test('English stays as it was', async () => {
    const shown = await run('won 12m Gamma upsell', 'U0ALICE');
    expect(shown).toContain('Won: Gamma: 12,000,000 ₫ won (upsell)');
    expect(shown).toContain('Undo');
    expect(shown).toContain('owner @U0ALICE');
    expect(await announcementOf('Gamma')).toContain('@U0ALICE won Gamma: 12,000,000 ₫ (upsell)');
    const bad = await run('won', 'U0ALICE');
    expect(bad).toContain('Say the amount and the customer.');
    expect(bad).toContain('Try: /deal won');
    expect(bad).toContain('You typed: /deal won');
  });

  test('Vietnamese: /deal won answers in Vietnamese with Vietnamese numbers; the channel reads the workspace language', async () => {
    const { shown, raw } = await answer('won 641700000 Acme', 'U0LAN');
    expect(shown).toContain('Đã chốt đơn: Acme: 641.700.000 ₫ đã chốt (khách hàng mới)');
    expect(shown).toContain('phụ trách @U0LAN');
    expect(shown).toContain('kết thúc lúc 20/11/2026 12:00 (UTC)');
    expect(shown).toContain('Hoàn tác');
    expect(withoutCode(raw)).not.toMatch(ENGLISH);
    // The workspace speaks English: so does the channel.
    expect(await announcementOf('Acme')).toContain('@U0LAN won Acme: 641,700,000 ₫ (new business)');
    // `tr` and `tỷ` are amounts.
    expect(await run('won 1,2 tỷ Delta renewal', 'U0LAN')).toContain('Delta: 1.200.000.000 ₫ đã chốt (gia hạn)');
  });

  test('Chinese: /deal won with 亿 answers in Chinese; a Chinese workspace announces in Chinese', async () => {
    await kpi('settings language zh-CN', 'U0ALICE');
    const { shown, raw } = await answer('won 8亿 Beta', 'U0WEI');
    expect(shown).toContain('已赢单： Beta：₫800,000,000 赢单（新业务）');
    expect(shown).toContain('负责人 @U0WEI');
    expect(shown).toContain('结单于 2026年11月20日 12:00 (UTC)');
    expect(shown).toContain('撤销');
    expect(withoutCode(raw)).not.toMatch(ENGLISH);
    expect(await announcementOf('Beta')).toContain('@U0WEI 赢得 Beta ，金额 ₫800,000,000 （新业务）');
    // Lan still reads Vietnamese; her won deal is announced in Chinese now.
    expect(await run('won 1.5万 Epsilon', 'U0LAN')).toContain('Epsilon: 15.000 ₫ đã chốt');
    expect(await announcementOf('Epsilon')).toContain('@U0LAN 赢得 Epsilon ，金额 ₫15,000 （新业务）');
    await kpi('settings language en', 'U0ALICE');
  });

  test('/deal undo answers in the asker language', async () => {
    const vi = await answer('undo', 'U0LAN');
    expect(vi.shown).toContain('Đã hoàn tác: đã xóa đơn của Epsilon.');
    expect(withoutCode(vi.raw)).not.toMatch(ENGLISH);
    const zh = await answer('undo', 'U0WEI');
    expect(zh.shown).toContain('已撤销：Beta 的商机已删除。');
    expect(withoutCode(zh.raw)).not.toMatch(ENGLISH);
  });

  test.each([
    ['U0LAN', 'won', 'Hãy ghi số tiền và tên khách hàng.', 'Thử lệnh: /deal won 12k Acme upsell', 'Bạn đã gõ: /deal won'],
    ['U0LAN', 'won xyz Acme', 'Không đọc được "xyz" là số tiền.', 'Thử lệnh: /deal won 12k Acme upsell', 'Bạn đã gõ: /deal won xyz Acme'],
    ['U0WEI', 'won', '请写明金额和客户。', '试试：/deal won 12k Acme upsell', '你输入的是：/deal won'],
    ['U0WEI', 'won xyz Acme', '无法将“xyz”识别为金额。', '试试：/deal won 12k Acme upsell', '你输入的是：/deal won xyz Acme'],
    ['U0WEI', 'frobnicate', '没有 /deal frobnicate 这个命令。', '试试：/deal won 12k Acme upsell', '你输入的是：/deal frobnicate'],
  ])('%s: a bad /deal %s is refused in their language', async (user, text, message, example, typed) => {
    const { shown, raw } = await answer(text, user);
    expect(shown).toContain(message);
    expect(shown).toContain(example);
    expect(shown).toContain(typed);
    expect(withoutCode(raw)).not.toMatch(ENGLISH);
  });

  test('the English refusal of a bad amount is unchanged', async () => {
    const shown = await run('won xyz Acme', 'U0ALICE');
    expect(shown).toContain('I couldn\'t read "xyz" as an amount.');
  });

  test('help in the asker language', async () => {
    const vi = await answer('help', 'U0LAN');
    expect(vi.shown).toContain('Ghi và cập nhật đơn');
    expect(withoutCode(vi.raw)).not.toMatch(ENGLISH);
    const zh = await answer('help', 'U0WEI');
    expect(zh.shown).toContain('记录和推进商机');
    expect(withoutCode(zh.raw)).not.toMatch(ENGLISH);
  });

  test('the deal modal: labels, options and buttons in the opener language; field errors too', async () => {
    const vi = await openModal('U0LAN');
    expect([vi.title.text, vi.submit.text, vi.close.text]).toEqual(['Ghi đơn', 'Lưu đơn', 'Hủy']);
    expect(vi.blocks.map((b) => b.label?.text).filter(Boolean)).toEqual([
      'Khách hàng', 'Số tiền', 'Tiền tệ', 'Loại', 'Trạng thái', 'Ngày kết thúc (đơn đã chốt hoặc thua)', 'Người phụ trách',
      'Số tiền định kỳ hằng tháng (thuê bao)', 'Chiết khấu', 'Ghi chú', 'Thông báo',
    ]);
    const status = vi.blocks.find((b) => b.block_id === 'status')!.element!.options!.map((o) => o.text.text);
    expect(status).toEqual(['Đang mở: Khách hàng tiềm năng', 'Đang mở: Đã liên hệ (gọi)', 'Đang mở: Trình diễn/Dùng thử', 'Đang mở: Báo giá', 'Đã chốt', 'Thua']);
    const zh = await openModal('U0WEI');
    expect([zh.title.text, zh.submit.text, zh.close.text]).toEqual(['记录商机', '保存商机', '取消']);
    expect(zh.blocks.find((b) => b.block_id === 'customer')!.label!.text).toBe('客户');
    expect(zh.blocks.find((b) => b.block_id === 'type')!.element!.options!.map((o) => o.text.text)).toEqual(['新业务', '追加销售 / 交叉销售 / 扩展', '续签']);
    expect(zh.blocks.find((b) => b.block_id === 'deal_modal_refund')!.elements![0]!.text.text).toBe('改为记录退款');
    const en = await openModal('U0ALICE');
    expect([en.title.text, en.blocks[0]!.label!.text]).toEqual(['Log a deal', 'Customer']);

    // Submitted with no customer and no amount: the problems come back on their fields, in Vietnamese.
    const values = dealModalValues({ customer: '', amount: '', currency: 'VND', status: 'won', owner: 'U0LAN' });
    const res = await h.slack.interaction(viewSubmissionPayload({ teamId: 'T0DEAL', userId: 'U0LAN', viewId: 'VLAN1', callbackId: 'deal_modal', privateMetadata: h.seal('deal-modal', JSON.stringify({ channelId: 'C0SALES' }), { teamId: 'T0DEAL', userId: 'U0LAN' }), values }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({
      response_action: 'errors',
      errors: { customer: 'Nhập tên khách hàng.', amount: 'Nhập số tiền, ví dụ 800tr hoặc 12k.' },
    });
  });
});
