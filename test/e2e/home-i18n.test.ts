import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { englishLeft } from '../helpers/english-words.js';
import { newTriggerId } from '../helpers/slack-requests.js';
import { testEngines } from '../helpers/test-db.js';
import { rawText } from '../helpers/slack-text.js';

/**
 * The App Home in three languages through signed requests (issue #12): the Home is private, so
 * it is published in the reader's language (own choice, Slack locale, the workspace's), with the
 * locale's numbers, periods and times; so are the modals and refusals its buttons answer with.
 * Workspace T0HOME reports in VND in UTC; clock 2026-11-20 12:00 (65% of November gone). Lan
 * (Slack vi-VN, admin) wins Acme for 641,700,000 ₫ of a 1 tỷ quota and has Gamma open; Wei
 * (zh-CN, rep) wins Beta 100,000,000 ₫ of 200,000,000 ₫ and loses Delta; Alice (en-US) is the
 * admin who set it up; Ana's Slack is English but she chose Vietnamese. A HubSpot connection is
 * failing (last success 1 h 5 min ago).
 */

const NOW = new Date('2026-11-20T12:00:00Z');
const TEAM = 'T0HOME';

interface TView {
  type: string;
  title?: { text: string };
  blocks: unknown[];
}


/** Names in the data (customers, people, the CRM's error) that stay as they are. */
const DATA_NAMES = ['Acme', 'Beta', 'Gamma', 'Delta'];

describe.each(testEngines())('the App Home in English, Vietnamese and Chinese on %s', (dialect) => {
  let h: Harness;
  let seq = 0;

  async function command(name: '/kpi' | '/deal', text: string, user: string): Promise<string> {
    const id = `home-i18n${++seq}`;
    const res = await h.slack.command(name, text, { user_id: user, team_id: TEAM, response_url: h.fake.responseUrl(id) });
    expect(res.status).toBe(200);
    const [answer] = await h.fake.waitFor(() => {
      const r = h.fake.responsesTo(id);
      return r.length > 0 ? r : null;
    });
    return rawText(answer);
  }

  /** Opens the Home tab as `user` and returns the view published for them. */
  async function openHome(user: string): Promise<{ view: TView; text: string }> {
    const before = h.fake.callsTo('views.publish').length;
    const body = JSON.stringify({
      token: 'legacy',
      team_id: TEAM,
      api_app_id: 'A0KPI',
      type: 'event_callback',
      event_id: `EvHome${++seq}`,
      event_time: Math.floor(NOW.getTime() / 1000),
      event: { type: 'app_home_opened', user, channel: `D${user}`, tab: 'home', event_ts: `${NOW.getTime() / 1000}` },
      authorizations: [{ team_id: TEAM, user_id: 'UBOT', is_bot: true }],
    });
    expect((await h.slack.post(body, { contentType: 'application/json' })).status).toBe(200);
    const publish = await h.fake.waitFor(() => h.fake.callsTo('views.publish').slice(before).find((c) => c.args.user_id === user));
    const view = publish.args.view as TView;
    expect(view.type).toBe('home');
    return { view, text: rawText(view.blocks) };
  }

  /** Clicks a Home button as `user`; returns the modal it opened, or the private message it sent. */
  async function click(user: string, actionId: string): Promise<{ modal: TView | null; dm: string | null }> {
    const trigger = newTriggerId();
    const opened = h.fake.callsTo('views.open').length;
    const posted = h.fake.callsTo('chat.postMessage').length;
    const res = await h.slack.interaction({
      type: 'block_actions',
      team: { id: TEAM, domain: 'home' },
      user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: TEAM },
      api_app_id: 'A0KPI',
      token: 'legacy',
      container: { type: 'view', view_id: 'VHOME' },
      trigger_id: trigger,
      view: { id: 'VHOME', type: 'home', team_id: TEAM, blocks: [], private_metadata: '', callback_id: 'app_home', state: { values: {} }, hash: 'h', app_id: 'A0KPI', bot_id: 'BBOT' },
      actions: [{ action_id: actionId, block_id: 'home_actions', value: 'home', type: 'button', action_ts: `${NOW.getTime() / 1000}`, text: { type: 'plain_text', text: 'x' } }],
      is_enterprise_install: false,
    });
    expect(res.status).toBe(200);
    return h.fake.waitFor(() => {
      const open = h.fake.callsTo('views.open').slice(opened).find((c) => c.args.trigger_id === trigger);
      if (open) return { modal: open.args.view as TView, dm: null };
      const dm = h.fake.callsTo('chat.postMessage').slice(posted).find((c) => c.args.channel === user);
      return dm ? { modal: null, dm: rawText(dm.args) } : null;
    });
  }

  beforeAll(async () => {
    h = await startHarness(dialect);
    h.setNow(NOW);
    h.fake.addUser({ id: 'U0ALICE', name: 'alice', real_name: 'Alice Admin', tz: 'UTC', locale: 'en-US' });
    h.fake.addUser({ id: 'U0LAN', name: 'lan', real_name: 'Lan Nguyen', tz: 'Asia/Ho_Chi_Minh', locale: 'vi-VN' });
    h.fake.addUser({ id: 'U0WEI', name: 'wei', real_name: 'Wei Zhang', tz: 'Asia/Shanghai', locale: 'zh-CN' });
    h.fake.addUser({ id: 'U0ANA', name: 'ana', real_name: 'Ana Tran', tz: 'UTC', locale: 'en-US' });
    await command('/kpi', 'settings currency VND timezone UTC', 'U0ALICE');
    await command('/deal', 'won 641700000 Acme', 'U0LAN');
    await command('/deal', 'stage Gamma demo 20000000', 'U0LAN');
    await command('/deal', 'won 100000000 Beta', 'U0WEI');
    await command('/deal', 'lost Delta price', 'U0WEI');
    await command('/kpi', 'quota set <@U0LAN|lan> 1000000000', 'U0ALICE');
    await command('/kpi', 'quota set <@U0WEI|wei> 200000000', 'U0ALICE');
    await command('/kpi', 'role <@U0LAN|lan> admin', 'U0ALICE');
    // Ana is new: her choice records her (her Slack locale stays English).
    expect(await command('/kpi', 'settings my-language vi', 'U0ANA')).toContain('Tiếng Việt');
    const prisma = h.database.db.prisma;
    const ws = await prisma.workspace.findFirstOrThrow({ where: { slackTeamId: TEAM } });
    const lastSuccess = new Date(NOW.getTime() - 3_900_000);
    await prisma.crmConnection.create({
      data: { workspaceId: ws.id, vendor: 'hubspot', credentials: 'sealed', status: 'failing', cursor: 'c1', lastSyncAt: lastSuccess, lastSuccessAt: lastSuccess, lastError: 'HTTP 503', nextAttemptAt: new Date(NOW.getTime() + 86_400_000) },
    });
  });

  afterAll(async () => {
    await h?.stop();
  });

  test('English stays as it was (an admin: CRM sync health, Set quotas)', async () => {
    const { view, text } = await openHome('U0ALICE');
    expect(JSON.stringify(view.blocks[0])).toContain('Your sales: November 2026');
    expect(text).toContain('Period November 2026 · time zone UTC · amounts in VND · updated Fri, Nov 20, 2026 12:00 (UTC)');
    expect(text).toContain('No quota set for you this month — ask your manager to run `/kpi quota set @you 50k`.');
    expect(text).toContain('Log a deal');
    expect(text).toContain('Set quotas');
    expect(text).toContain('*My open deals*\nNo open deals. Use *Log a deal* or `/deal stage Acme demo 20k` to add one.');
    expect(text).toContain('*Whole workspace: November 2026*');
    expect(text).toContain('*Win rate*\n66.7% (2 won / 3 closed)');
    expect(text).toContain('*Net revenue*\n741,700,000 ₫');
    expect(text).toContain('*Attainment ratio*\n0.0%: 0 of 2 reps at 100%+, below the healthy band (60%–90%)');
    expect(text).toContain(':bulb: quotas look unrealistic: hire, coach, or revisit pay and targets');
    expect(text).toContain('*CRM sync*\n*HubSpot*: :red_circle: failing\nLast sync: Fri, Nov 20, 2026 10:55 (UTC) · last success: Fri, Nov 20, 2026 10:55 (UTC) (lag 1 h 5 min)\nLast error: HTTP 503');
    expect(text).toContain('Details: `/kpi crm status`');
    // The English check sees English when it is there.
    expect(englishLeft(text, DATA_NAMES)).toEqual(expect.arrayContaining(['sales', 'quota', 'deals']));
  });

  test('Vietnamese (Slack locale vi-VN): every text in Vietnamese, Vietnamese numbers, no English left', async () => {
    const { view, text } = await openHome('U0LAN');
    expect(JSON.stringify(view.blocks[0])).toContain('Doanh số của bạn: tháng 11/2026');
    expect(text).toContain('Kỳ tháng 11/2026 · múi giờ UTC · số tiền tính bằng VND · cập nhật Thứ Sáu, 20/11/2026 12:00 (UTC)');
    for (const b of ['Ghi đơn hàng', 'Ghi hoàn tiền', 'Đặt chỉ tiêu']) expect(text).toContain(b);
    expect(text).toContain('*Chỉ tiêu của tôi: tháng 11/2026*');
    expect(text).toContain('Đã chốt *641.700.000 ₫* trên *1.000.000.000 ₫*: hoàn thành 64,2%');
    expect(text).toContain(':large_green_circle: *Đúng tiến độ*: lẽ ra đến giờ đạt 650.000.000 ₫ (đã qua 65,0% thời gian của tháng); còn thiếu 358.300.000 ₫.');
    expect(text).toContain('*Để bù khoảng thiếu* (358.300.000 ₫): chưa có đơn đã chốt trong 3 tháng trước đó');
    expect(text).toContain('Tiến độ: đúng tiến độ khi đạt từ 95% mức kỳ vọng');
    expect(text).toContain('*Đơn đang mở của tôi*: 1 đơn, tổng 20.000.000 ₫');
    expect(text).toContain('*Gamma* · 20.000.000 ₫ · Trình diễn/Dùng thử');
    expect(text).toContain('*Toàn bộ không gian làm việc: tháng 11/2026*');
    // The /kpi words for the same figures: Tỷ lệ chốt đơn, Doanh thu thuần, "2 thắng / 3 đã kết thúc".
    expect(text).toContain('*Tỷ lệ chốt đơn*\n66,7% (2 đã chốt / 3 đã kết thúc)');
    expect(text).toContain('*Doanh thu thuần*\n741.700.000 ₫');
    expect(text).toContain('*Tỷ lệ hoàn thành*\n0,0%: 0 trên 2 nhân viên đạt từ 100%, dưới ngưỡng hợp lý (60%–90%)');
    expect(text).toContain(':bulb: chỉ tiêu có vẻ không thực tế');
    expect(text).toContain('*Đồng bộ CRM*\n*HubSpot*: :red_circle: đang lỗi\nLần đồng bộ gần nhất: Thứ Sáu, 20/11/2026 10:55 (UTC)');
    expect(text).toContain('(trễ 1 giờ 5 phút)');
    expect(text).toContain('Lỗi gần nhất: HTTP 503');
    expect(englishLeft(text, DATA_NAMES)).toEqual([]);
  });

  test('Chinese (Slack locale zh-CN, a rep): every text in Chinese, Chinese numbers, no English left', async () => {
    const { view, text } = await openHome('U0WEI');
    expect(JSON.stringify(view.blocks[0])).toContain('我的销售业绩：2026年11月');
    expect(text).toContain('期间 2026年11月 · 时区 UTC · 金额单位 VND · 更新于 2026年11月20日（星期五）12:00（UTC）');
    expect(text).toContain('记录商机');
    expect(text).toContain('记录退款');
    expect(text).not.toContain('设定配额');
    expect(text).toContain('*我的配额：2026年11月*');
    expect(text).toContain('配额 *₫200,000,000* 中已赢单 *₫100,000,000* ：达成 50.0%');
    expect(text).toContain(':large_yellow_circle: *进度落后*：按时间应达到 ₫130,000,000（本月已过 65.0%）；还差 ₫100,000,000。');
    expect(text).toContain('*我的进行中商机*\n没有进行中的商机。点 *记录商机* 或用 `/deal stage Acme demo 20k` 添加。');
    expect(text).toContain('*整个工作区：2026年11月*');
    expect(text).toContain('*赢单率*\n66.7%（赢单 2 / 结单 3）');
    expect(text).toContain('*净收入*\n₫741,700,000');
    expect(text).toContain('*配额达成比例*\n0.0%：2 人中 0 人达成 100% 以上，低于健康区间（60%–90%）');
    // Not an admin: no CRM section.
    expect(text).not.toContain('CRM');
    expect(englishLeft(text, DATA_NAMES)).toEqual([]);
  });

  test('my-language wins over the Slack locale; someone the app has not met gets the workspace language', async () => {
    const ana = await openHome('U0ANA');
    expect(ana.text).toContain('Kỳ tháng 11/2026');
    expect(ana.text).toContain('Bạn chưa có chỉ tiêu tháng này');
    expect(englishLeft(ana.text, DATA_NAMES)).toEqual([]);
    expect((await openHome('U0NEW1')).text).toContain('No quota set for you this month');
    await command('/kpi', 'settings language zh-CN', 'U0ALICE');
    const stranger = await openHome('U0NEW2');
    expect(stranger.text).toContain('你本月还没有配额');
    expect(englishLeft(stranger.text, DATA_NAMES)).toEqual([]);
    // Alice's own Slack locale (en-US) still wins for her Home.
    expect((await openHome('U0ALICE')).text).toContain('Your sales');
    await command('/kpi', 'settings language en', 'U0ALICE');
  });

  test("the Home's buttons answer in the reader's language", async () => {
    const refundVi = await click('U0LAN', 'home_record_refund');
    expect(refundVi.modal?.title?.text).toBe('Ghi hoàn tiền');
    const refundViText = rawText(refundVi.modal);
    expect(refundViText).toContain('Số tiền hoàn');
    expect(refundViText).toContain('Trừ vào doanh thu thuần');
    expect(englishLeft(refundViText, DATA_NAMES)).toEqual([]);

    const quotaVi = await click('U0LAN', 'home_set_quota');
    expect(quotaVi.modal?.title?.text).toBe('Đặt chỉ tiêu');
    const quotaViText = rawText(quotaVi.modal);
    expect(quotaViText).toContain('Kỳ này (T11/2026 · Q4/2026 · 2026)');
    expect(quotaViText).toContain('Quý');
    expect(englishLeft(quotaViText, DATA_NAMES)).toEqual([]);

    const dealZh = await click('U0WEI', 'home_log_deal');
    expect(dealZh.modal?.title?.text).toBe('记录商机');
    const refundZh = await click('U0WEI', 'home_record_refund');
    expect(refundZh.modal?.title?.text).toBe('记录退款');
    expect(englishLeft(rawText(refundZh.modal), DATA_NAMES)).toEqual([]);
    // A rep is told privately, in Chinese, who can set quotas.
    const refusedZh = await click('U0WEI', 'home_set_quota');
    expect(refusedZh.modal).toBeNull();
    expect(refusedZh.dm).toContain('只有经理和管理员可以设定配额');
    expect(englishLeft(refusedZh.dm ?? '', DATA_NAMES)).toEqual([]);

    const refundEn = await click('U0ALICE', 'home_record_refund');
    expect(refundEn.modal?.title?.text).toBe('Record a refund');
    expect(rawText(refundEn.modal)).toContain('Amount refunded');
    const quotaEn = await click('U0ALICE', 'home_set_quota');
    expect(quotaEn.modal?.title?.text).toBe('Set a quota');
    expect(rawText(quotaEn.modal)).toContain('This one (November 2026 · 2026-Q4 · 2026)');
  });
});
