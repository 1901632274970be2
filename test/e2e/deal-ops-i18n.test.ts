import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { renderMessageAsText } from '../../src/slack/blocks/render-text.js';
import type { SlackBlocks } from '../../src/slack/gateway.js';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { englishLeft } from '../helpers/english-words.js';
import { blockActionPayload, dealModalValues, newTriggerId, quotaModalValues, viewSubmissionPayload } from '../helpers/slack-requests.js';
import { testEngines } from '../helpers/test-db.js';
import { rawText } from '../helpers/slack-text.js';

/**
 * Refunds, leads, churn and MRR changes and quotas in three languages through signed requests
 * (issue #12): private answers, buttons, modals, their field errors and refused input in the
 * asker's language, with nothing English left for a Vietnamese or Chinese reader. Workspace T0OPS
 * reports in VND; clock 2026-11-20. Lan's Slack is Vietnamese, Wei's Chinese (both managers),
 * Alice's English (admin). English output is guarded by refunds/leads/subscriptions/quota-home.
 */

const NOW = new Date('2026-11-20T12:00:00Z');
const TEAM = 'T0OPS';

interface TAnswer {
  text: string;
  blocks?: SlackBlocks;
}

interface TView {
  title: { text: string };
  submit: { text: string };
  close: { text: string };
  blocks: Array<{ block_id?: string; label?: { text: string }; hint?: { text: string }; text?: { text: string }; element?: { options?: Array<{ text: { text: string } }>; placeholder?: { text: string } } }>;
}

describe.each(testEngines())('refunds, leads, subscriptions and quotas in English, Vietnamese and Chinese on %s', (dialect) => {
  let h: Harness;
  let seq = 0;


  async function answer(command: '/deal' | '/kpi', text: string, user: string): Promise<{ shown: string; raw: string; message: TAnswer }> {
    const id = `ops-i18n${++seq}`;
    const res = await h.slack.command(command, text, { user_id: user, team_id: TEAM, channel_id: 'C0SALES', response_url: h.fake.responseUrl(id) });
    expect(res.status).toBe(200);
    const [first] = await h.fake.waitFor(() => {
      const r = h.fake.responsesTo(id);
      return r.length > 0 ? r : null;
    });
    const a = first as unknown as TAnswer;
    return { shown: renderMessageAsText({ text: a.text, ...(a.blocks ? { blocks: a.blocks } : {}) }), raw: rawText(a), message: a };
  }

  /** Clicks a button of a message; returns what replaced it (or the private answer). */
  async function click(message: TAnswer, actionId: RegExp, user: string): Promise<{ shown: string; raw: string }> {
    const buttons = (message.blocks ?? []).flatMap((b) => ((b as { elements?: Array<{ action_id?: string; value?: string }> }).elements ?? []));
    const button = buttons.find((b) => b.action_id && actionId.test(b.action_id))!;
    const id = `ops-click${++seq}`;
    const res = await h.slack.interaction(blockActionPayload({ teamId: TEAM, userId: user, channelId: 'C0SALES', actionId: button.action_id!, value: button.value ?? '', responseUrl: h.fake.responseUrl(id) }));
    expect(res.status).toBe(200);
    const [first] = await h.fake.waitFor(() => {
      const r = h.fake.responsesTo(id);
      return r.length > 0 ? r : null;
    });
    const a = first as unknown as TAnswer;
    return { shown: renderMessageAsText({ text: a.text, ...(a.blocks ? { blocks: a.blocks } : {}) }), raw: rawText(a) };
  }

  /** What a view shows in words: the currency list (ISO codes) and the sample customer name aside. */
  function viewWords(view: TView): string {
    return rawText({ ...view, blocks: view.blocks.filter((b) => b.block_id !== 'currency').map((b) => (b.block_id === 'customer' ? { ...b, element: {} } : b)) });
  }

  async function openedView(trigger: () => Promise<unknown>): Promise<TView> {
    const before = h.fake.callsTo('views.open').length;
    await trigger();
    const open = await h.fake.waitFor(() => h.fake.callsTo('views.open')[before]);
    return open.args.view as TView;
  }

  async function submitView(user: string, callbackId: string, purpose: 'refund-modal' | 'quota-modal' | 'deal-modal', meta: object, values: Record<string, Record<string, Record<string, unknown>>>) {
    const res = await h.slack.interaction(viewSubmissionPayload({ teamId: TEAM, userId: user, viewId: `VOPS${++seq}`, callbackId, privateMetadata: h.seal(purpose, JSON.stringify(meta), { teamId: TEAM, userId: user }), values }));
    expect(res.status).toBe(200);
    return res.body ? (JSON.parse(res.body) as { response_action?: string; errors?: Record<string, string> }) : null;
  }

  const refundValues = (v: { customer?: string; amount?: string; reason?: string }) => ({
    customer: { value: { type: 'plain_text_input', value: v.customer ?? null } },
    amount: { value: { type: 'plain_text_input', value: v.amount ?? null } },
    currency: { value: { type: 'static_select', selected_option: { value: 'VND', text: { type: 'plain_text', text: 'VND' } } } },
    reason: { value: { type: 'plain_text_input', value: v.reason ?? null } },
    confirm: { value: { type: 'checkboxes', selected_options: [] } },
  });

  beforeAll(async () => {
    h = await startHarness(dialect);
    h.setNow(NOW);
    h.fake.addUser({ id: 'U0ALICE', name: 'alice', real_name: 'Alice Admin', tz: 'UTC', locale: 'en-US' });
    h.fake.addUser({ id: 'U0LAN', name: 'lan', real_name: 'Lan Nguyen', tz: 'Asia/Ho_Chi_Minh', locale: 'vi-VN' });
    h.fake.addUser({ id: 'U0WEI', name: 'wei', real_name: 'Wei Zhang', tz: 'Asia/Shanghai', locale: 'zh-CN' });
    await answer('/kpi', 'settings currency VND timezone UTC', 'U0ALICE');
    await answer('/kpi', 'role <@U0LAN|lan> manager', 'U0ALICE');
    await answer('/kpi', 'role <@U0WEI|wei> manager', 'U0ALICE');
  });

  afterAll(async () => {
    await h?.stop();
  });

  test('Vietnamese: a refund, its Undo, the question above the deal and Cancel', async () => {
    await answer('/deal', 'won 500tr Kappa', 'U0LAN');
    const recorded = await answer('/deal', 'refund Kappa 100tr hỏng', 'U0LAN');
    expect(recorded.shown).toContain('Đã ghi hoàn tiền: 100.000.000 ₫ cho Kappa (đơn #');
    expect(recorded.shown).toContain('Hoàn tác');
    expect(englishLeft(recorded.raw)).toEqual([]);
    const undone = await click(recorded.message, /^refund_undo$/, 'U0LAN');
    expect(undone.shown).toContain('Đã hoàn tác: khoản hoàn tiền 100.000.000 ₫ của Kappa đã được xóa.');
    const over = await answer('/deal', 'refund Kappa 900tr', 'U0LAN');
    expect(over.shown).toContain('900.000.000 ₫ nhiều hơn số đã chốt với Kappa');
    expect(over.shown).toContain('chỉ còn 500.000.000 ₫ có thể hoàn');
    expect(over.shown).toContain('Xác nhận hoàn 900.000.000 ₫');
    expect(englishLeft(over.raw)).toEqual([]);
    const cancelled = await click(over.message, /^refund_cancel$/, 'U0LAN');
    expect(cancelled.shown).toContain('Đã hủy: không ghi khoản hoàn tiền nào.');
  });

  test('Chinese: several won deals ask which one; /deal undo removes the refund', async () => {
    await answer('/deal', 'won 8亿 Sigma', 'U0WEI');
    await answer('/deal', 'won 1亿 Sigma renewal', 'U0WEI');
    const pick = await answer('/deal', 'refund Sigma 1万', 'U0WEI');
    expect(pick.shown).toContain('Sigma 有 2 笔赢单。这笔 ₫10,000 的退款属于哪一笔？');
    expect(pick.shown).toContain('负责人');
    expect(englishLeft(pick.raw)).toEqual([]);
    const picked = await click(pick.message, /^refund_pick_\d+$/, 'U0WEI');
    expect(picked.shown).toContain('已记录退款');
    expect(englishLeft(picked.raw)).toEqual([]);
    const undone = await answer('/deal', 'undo', 'U0WEI');
    expect(undone.shown).toContain('已撤销：Sigma 的 ₫10,000 退款已删除。');
  });

  test.each([
    ['U0LAN', 'refund', 'Hãy ghi tên khách hàng và số tiền hoàn.', 'Hãy viết theo dạng /deal refund'],
    ['U0LAN', 'refund Omicron 2m', 'Không có khách hàng tên Omicron', 'Thử lệnh: /deal refund "Omicron" 2m'],
    ['U0WEI', 'refund Omicron 2万', '没有名为 Omicron 的客户', '你输入的是：/deal refund Omicron 2万'],
    ['U0WEI', 'refund Sigma -5', '金额必须大于零', '格式为 /deal refund'],
    ['U0LAN', 'lead', 'Khách hàng tiềm năng nào?', 'Bạn đã gõ: /deal lead'],
    ['U0WEI', 'churn Omicron', '没有名为 Omicron 的客户。', '试试：/deal churn'],
    ['U0LAN', 'mrr Kappa 0', 'Số tiền hằng tháng mới phải lớn hơn 0.', 'Bạn đã gõ: /deal mrr Kappa 0'],
    ['U0WEI', 'mrr Kappa 12m', 'Kappa 没有订阅', '你输入的是：/deal mrr Kappa 12m'],
  ])('%s: /deal %s is refused in their language', async (user, text, message, more) => {
    const { shown, raw } = await answer('/deal', text, user);
    expect(shown).toContain(message);
    expect(shown).toContain(more);
    expect(englishLeft(raw)).toEqual([]);
  });

  test('leads: /deal lead and the bulk lead counts answer in the asker language', async () => {
    const vi = await answer('/deal', 'lead "Lambda" zalo', 'U0LAN');
    expect(vi.shown).toContain('Đã ghi khách hàng tiềm năng: Lambda (nguồn zalo), ở giai đoạn Khách hàng tiềm năng.');
    expect(englishLeft(vi.raw)).toEqual([]);
    const zh = await answer('/kpi', 'leads 500 2026-10', 'U0WEI');
    expect(zh.shown).toContain('已记录线索数：整个工作区 在 2026年10月 的 500 条线索（全部来源）。');
    expect(englishLeft(zh.raw)).toEqual([]);
    const again = await answer('/kpi', 'leads 600 2026-10', 'U0LAN');
    expect(again.shown).toContain('Đã ghi số khách hàng tiềm năng: 600 khách hàng tiềm năng của toàn bộ không gian làm việc trong tháng 10/2026 (mọi nguồn). Thay cho 500.');
    expect(englishLeft(again.raw)).toEqual([]);
    const cleared = await answer('/kpi', 'leads clear 2026-10', 'U0LAN');
    expect(cleared.shown).toContain('Đã xóa số khách hàng tiềm năng');
    const help = await answer('/kpi', 'leads', 'U0WEI');
    expect(help.shown).toContain('按期间批量记录线索数');
    expect(englishLeft(help.raw)).toEqual([]);
    for (const [user, text, message] of [
      ['U0WEI', 'leads -5 2026-10', '线索数不能为负（"-5"）'],
      ['U0LAN', 'leads 50 2027-03', 'chưa bắt đầu'],
      ['U0LAN', 'leads 50 someday', 'không phải kỳ để ghi số khách hàng tiềm năng'],
    ] as const) {
      const refused = await answer('/kpi', text, user);
      expect(refused.shown).toContain(message);
      expect(englishLeft(refused.raw)).toEqual([]);
    }
  });

  test('churn and MRR changes, and undoing an MRR change, in the asker language', async () => {
    const values = dealModalValues({ customer: 'Rho', amount: '120tr', currency: 'VND', status: 'won', closeDate: '2026-10-01', owner: 'U0LAN', recurring: '10tr' });
    expect(await submitView('U0LAN', 'deal_modal', 'deal-modal', { channelId: 'C0SALES' }, values)).toBeNull();
    const mrr = await answer('/deal', 'mrr Rho 12tr 2026-11-01', 'U0LAN');
    expect(mrr.shown).toContain('Tăng MRR: MRR của Rho là 12.000.000 ₫ từ ngày 1/11/2026 (trước đó 10.000.000 ₫, +2.000.000 ₫)');
    expect(englishLeft(mrr.raw)).toEqual([]);
    const undone = await answer('/deal', 'undo', 'U0LAN');
    expect(undone.shown).toContain('Đã hoàn tác: thay đổi MRR của Rho thành 12.000.000 ₫ mỗi tháng đã được xóa.');
    expect(englishLeft(undone.raw)).toEqual([]);
    const churn = await answer('/deal', 'churn Rho 2026-11-15', 'U0LAN');
    expect(churn.shown).toContain('Đã hủy gói: gói định kỳ của Rho kết thúc ngày 15/11/2026; MRR giảm 10.000.000 ₫ kể từ đó');
    expect(englishLeft(churn.raw)).toEqual([]);
    const zh = await answer('/deal', 'mrr Rho 9tr 2026-11-16', 'U0WEI');
    expect(zh.shown).toContain('Rho 的订阅已于 2026年11月15日 结束');
    expect(englishLeft(zh.raw)).toEqual([]);
  });

  test('quotas: the confirmation, the modal and its field errors, refusals', async () => {
    const zh = await answer('/kpi', 'quota set <@U0LAN|lan> 5万 quarter', 'U0WEI');
    expect(zh.shown).toContain('已设置配额: @U0LAN：');
    expect(zh.shown).toContain('2026年第四季度');
    expect(zh.shown).toContain('₫50,000');
    expect(englishLeft(zh.raw)).toEqual([]);
    const vi = await answer('/kpi', 'quota set <@U0WEI|wei> 800tr', 'U0LAN');
    expect(vi.shown).toContain('Đã đặt chỉ tiêu: @U0WEI: 800.000.000 ₫ cho tháng 11/2026');
    expect(englishLeft(vi.raw)).toEqual([]);
    for (const [user, text, message] of [
      ['U0LAN', 'quota set Omicron 5k', 'Hãy ghi chỉ tiêu dành cho ai'],
      ['U0WEI', 'quota set <@U0LAN|lan> 5k someday', '无法理解配额期间 "someday"'],
    ] as const) {
      const refused = await answer('/kpi', text, user);
      expect(refused.shown).toContain(message);
      expect(englishLeft(refused.raw)).toEqual([]);
    }
    const view = await openedView(() => h.slack.command('/kpi', 'quota set', { user_id: 'U0LAN', team_id: TEAM, channel_id: 'C0SALES', trigger_id: newTriggerId(), response_url: h.fake.responseUrl(`q${++seq}`) }));
    expect([view.title.text, view.submit.text, view.close.text]).toEqual(['Đặt chỉ tiêu', 'Lưu chỉ tiêu', 'Hủy']);
    expect(view.blocks.map((b) => b.label?.text).filter(Boolean)).toEqual(['Nhân viên', 'Số tiền chỉ tiêu', 'Tiền tệ', 'Kỳ', 'Kỳ nào', 'Kỳ cụ thể']);
    expect(englishLeft(viewWords(view))).toEqual([]);
    const errors = await submitView('U0LAN', 'quota_modal', 'quota-modal', { channelId: 'C0SALES', origin: 'command' }, quotaModalValues({ rep: null, amount: 'abc', currency: 'VND', which: 'specific' }));
    expect(errors?.response_action).toBe('errors');
    expect(errors?.errors).toMatchObject({ rep: 'Chọn nhân viên nhận chỉ tiêu này (hoặc một nhóm bên dưới).', period_specific: 'Nhập kỳ: một tháng (2026-11), một quý (2026-Q3) hoặc một năm (2026).' });
    expect(errors?.errors?.amount).toContain('Không đọc được "abc" là số tiền.');
    const zhView = await openedView(() => h.slack.command('/kpi', 'quota set', { user_id: 'U0WEI', team_id: TEAM, channel_id: 'C0SALES', trigger_id: newTriggerId(), response_url: h.fake.responseUrl(`q${++seq}`) }));
    expect(zhView.title.text).toBe('设定配额');
    expect(englishLeft(viewWords(zhView))).toEqual([]);
    const zhErrors = await submitView('U0WEI', 'quota_modal', 'quota-modal', { channelId: 'C0SALES', origin: 'command' }, quotaModalValues({ rep: 'U0LAN', amount: '', currency: 'VND' }));
    expect(zhErrors?.errors).toEqual({ amount: '请输入配额，例如 5万 或 ¥50,000。' });
  });

  test('the refund modal: labels in the opener language; field errors and a refusal on its field', async () => {
    const open = (user: string) => openedView(() => h.slack.interaction(blockActionPayload({ teamId: TEAM, userId: user, channelId: 'D0HOME', actionId: 'home_record_refund', value: 'home', responseUrl: h.fake.responseUrl(`home${++seq}`) })));
    const vi = await open('U0LAN');
    expect([vi.title.text, vi.submit.text, vi.close.text]).toEqual(['Ghi hoàn tiền', 'Ghi hoàn tiền', 'Hủy']);
    expect(vi.blocks.map((b) => b.label?.text)).toEqual(['Khách hàng', 'Số tiền hoàn', 'Tiền tệ', 'Lý do', 'Vượt giá trị đơn']);
    expect(englishLeft(viewWords(vi))).toEqual([]);
    const zh = await open('U0WEI');
    expect(zh.title.text).toBe('记录退款');
    expect(englishLeft(viewWords(zh))).toEqual([]);
    const empty = await submitView('U0LAN', 'refund_modal', 'refund-modal', { channelId: 'C0SALES' }, refundValues({}));
    expect(empty).toEqual({ response_action: 'errors', errors: { customer: 'Nhập tên khách hàng của đơn đã chốt.', amount: 'Nhập số tiền hoàn, ví dụ 2tr hoặc 2.000.000 ₫.' } });
    const over = await submitView('U0LAN', 'refund_modal', 'refund-modal', { channelId: 'C0SALES' }, refundValues({ customer: 'Kappa', amount: '900tr' }));
    expect(over?.errors).toEqual({ amount: 'Nhiều hơn số đã chốt với Kappa (500.000.000 ₫): đơn này còn 500.000.000 ₫ có thể hoàn. Chưa có gì được ghi.', confirm: 'Đánh dấu ô này để vẫn ghi.' });
    const unknown = await submitView('U0WEI', 'refund_modal', 'refund-modal', { channelId: 'C0SALES' }, refundValues({ customer: 'Omicron', amount: '2万' }));
    expect(unknown?.errors?.customer).toContain('没有名为 Omicron 的客户');
    expect(englishLeft(unknown?.errors?.customer ?? ''), unknown?.errors?.customer).toEqual([]);
    const badAmount = await submitView('U0WEI', 'refund_modal', 'refund-modal', { channelId: 'C0SALES' }, refundValues({ customer: 'Sigma', amount: '-3' }));
    expect(badAmount?.errors?.amount).toBe('金额必须大于零，而 "-3" 是负数。记录退款请用 `/deal refund Acme 2m`。（例如 2万、800tr 或 2,000,000）');
  });
});
