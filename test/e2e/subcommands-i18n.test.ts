import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { runDailyAlerts } from '../../src/scheduler/daily-alerts-job.js';
import { DeliveryQueue } from '../../src/slack/delivery-queue.js';
import { ALERT_RULES } from '../../src/domain/alerts/rules.js';
import { enAdmin } from '../../src/i18n/catalog/admin/en.js';
import { MONDAY_NOV_30, seedAlertHistory } from '../helpers/alert-seed.js';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { blockActionPayload } from '../helpers/slack-requests.js';
import { testEngines } from '../helpers/test-db.js';
import { englishLeft } from '../helpers/untranslated.js';

/**
 * `/kpi digest subscribe|list|unsubscribe`, `/kpi alerts …`, `/kpi team …`, `/kpi role|rate|settings`
 * and the Snooze button in three languages through signed requests, reading what the fake Slack
 * received (issue #12). Private answers and refusals: the reader's language (Slack locale). The note
 * that replaces a snoozed alert: the workspace's. Clock: Monday 2026-11-30 10:00 UTC.
 *
 * People: Alice (en-US, the first, so admin), Lan (vi-VN, made admin), Wei (zh-CN, manager),
 * Mai (vi-VN, rep), Ming (zh-CN, rep).
 */

const NOW = new Date('2026-11-30T10:00:00Z');

interface TAnswer {
  text: string;
  blocks?: unknown[];
  replace_original?: boolean;
}

/** Every text a reader sees: the fallback and each block's mrkdwn or plain text (raw, with code spans). */
function shown(a: TAnswer): string {
  const out: string[] = [a.text];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') out.push(o.text);
      else Object.values(o).forEach(walk);
    }
  };
  walk(a.blocks ?? []);
  return out.join('\n');
}

/** The English these surfaces speak (their catalog section): what must not show in Vietnamese or Chinese. */
const ENGLISH = Object.values(enAdmin).join('\n');
/** Team and people names are names. */
const NAMES = ['North', 'Lan Nguyen', 'Wei Zhang'];
/** Rule ids (`winrate-drop`) name rules as commands do: the list's fallback text names them bare. */
const RULE_IDS = new RegExp(`\\b(${ALERT_RULES.join('|')})\\b`, 'g');

function englishIn(a: TAnswer, allowed: readonly string[] = []): string[] {
  return englishLeft(shown(a).replace(RULE_IDS, ' '), ENGLISH, [...NAMES, ...allowed]);
}

function expectNoEnglish(a: TAnswer): void {
  expect(englishIn(a)).toEqual([]);
}

describe.each(testEngines())('/kpi sub-answers in English, Vietnamese and Chinese on %s', (dialect) => {
  let h: Harness;
  let seq = 0;

  async function run(text: string, user: string): Promise<TAnswer> {
    const id = `s${++seq}`;
    const res = await h.slack.command('/kpi', text, { user_id: user, channel_id: 'C0SALES', response_url: h.fake.responseUrl(id) });
    expect(res.status).toBe(200);
    const [answer] = await h.fake.waitFor(() => {
      const r = h.fake.responsesTo(id);
      return r.length > 0 ? r : null;
    });
    return answer as unknown as TAnswer;
  }

  beforeAll(async () => {
    h = await startHarness(dialect);
    h.setNow(NOW);
    h.fake.botInAllChannels = true;
    h.fake.addUser({ id: 'U0ALICE', name: 'alice', real_name: 'Alice Admin', tz: 'UTC', locale: 'en-US' });
    h.fake.addUser({ id: 'U0LAN', name: 'lan', real_name: 'Lan Nguyen', tz: 'Asia/Ho_Chi_Minh', locale: 'vi-VN' });
    h.fake.addUser({ id: 'U0WEI', name: 'wei', real_name: 'Wei Zhang', tz: 'Asia/Shanghai', locale: 'zh-CN' });
    h.fake.addUser({ id: 'U0MAI', name: 'mai', real_name: 'Mai Tran', tz: 'Asia/Ho_Chi_Minh', locale: 'vi-VN' });
    h.fake.addUser({ id: 'U0MING', name: 'ming', real_name: 'Ming Li', tz: 'Asia/Shanghai', locale: 'zh-CN' });
    await run('settings timezone UTC', 'U0ALICE'); // the first person becomes admin
    expect(shown(await run('role <@U0LAN|lan> admin', 'U0ALICE'))).toContain('<@U0LAN> is now admin.');
    await run('role <@U0WEI|wei> manager', 'U0ALICE');
    // Mai and Ming are recorded as reps (with their Slack locale): a newcomer who is not an admin
    // gets the workspace's language until the app records them.
    await run('role <@U0MAI|mai> rep', 'U0ALICE');
    await run('role <@U0MING|ming> rep', 'U0ALICE');
  });

  afterAll(async () => {
    await h?.stop();
  });

  test('/kpi role, rate and settings: the reader’s language, numbers in its format', async () => {
    const role = await run('role <@U0MAI|mai> rep', 'U0LAN');
    expect(shown(role)).toContain('<@U0MAI> giờ là nhân viên kinh doanh.');
    expectNoEnglish(role);

    expect(shown(await run('rate', 'U0LAN'))).toContain('Chưa có tỷ giá nào: mọi đơn phải ghi bằng USD');
    expect(shown(await run('rate EUR 1.085', 'U0ALICE'))).toContain('Deals in EUR are converted at this rate when logged.');
    const viRates = await run('rate', 'U0LAN');
    expect(shown(viRates)).toContain('1 EUR = 1,085 USD');
    expectNoEnglish(viRates);
    const zhRates = await run('rate', 'U0WEI');
    expect(shown(zhRates)).toContain('兑换为 USD 的汇率：\n1 EUR = 1.085 USD');
    expect(shown(await run('rate', 'U0ALICE'))).toContain('Conversion rates to USD:\n1 EUR = 1.085 USD');

    const viSettings = await run('settings', 'U0LAN');
    expect(shown(viSettings)).toContain('Cài đặt không gian làm việc: múi giờ UTC, đơn vị tiền báo cáo USD, năm tài chính bắt đầu từ tháng 1');
    expect(shown(viSettings)).toContain('Vai trò của bạn: quản trị viên.');
    expect(shown(viSettings)).toContain('Ngôn ngữ: English');
    expectNoEnglish(viSettings);
    const zhSettings = await run('settings', 'U0WEI');
    expect(shown(zhSettings)).toContain('工作区设置：时区 UTC，报告货币 USD，财年从 1 月开始');
    expect(shown(zhSettings)).toContain('你的角色：经理。');
    expectNoEnglish(zhSettings);
    expect(shown(await run('settings', 'U0ALICE'))).toContain('Workspace settings: time zone UTC, reporting currency USD, fiscal year starts in month 1');
  });

  test('admin refusals: the reader’s language, with the right form', async () => {
    const zh = await run('rate GBP 1.27', 'U0WEI');
    expect(shown(zh)).toContain('只有管理员可以设置汇率。');
    expect(zh.text).not.toContain('Only admins');
    expectNoEnglish(zh);
    const vi = await run('settings weather sunny', 'U0LAN');
    expect(shown(vi)).toContain('"weather" không phải là một cài đặt.');
    expect(shown(vi)).toContain('Ví dụ: `/kpi settings timezone Europe/Berlin`');
    expect(shown(vi)).toContain('Thử lệnh: `/kpi settings timezone Europe/Berlin`');
    expect(shown(vi)).toContain('Bạn đã gõ: `/kpi settings weather sunny`');
    expect(englishIn(vi, ['weather sunny'])).toEqual([]);
    const upside = await run('rate VND 25000', 'U0LAN');
    expect(shown(upside)).toContain('1 VND = 25000 USD có vẻ sai (hoặc bị ngược)');
    const en = await run('rate GBP 1.27', 'U0MAI');
    expect(shown(en)).toContain('Chỉ quản trị viên mới có thể đặt tỷ giá.');
    expect(shown(await run('settings weather sunny', 'U0ALICE'))).toContain('"weather" is not a setting.');
  });

  test('/kpi team: created, listed, joined, and refused in each reader’s language', async () => {
    const vi = await run('team create North', 'U0LAN');
    expect(shown(vi)).toContain('Đã tạo nhóm *North*.');
    expectNoEnglish(vi);
    const zhAdd = await run('team add <@U0MAI|mai> North', 'U0WEI');
    expect(shown(zhAdd)).toContain('<@U0MAI> 现已加入 *North* 团队。');
    expectNoEnglish(zhAdd);
    const viList = await run('team', 'U0MAI');
    expect(shown(viList)).toContain('*Các nhóm* (1)');
    expect(shown(viList)).toContain('• *North*: 1 nhân viên');
    expectNoEnglish(viList);
    const zhList = await run('teams', 'U0MING');
    expect(shown(zhList)).toContain('• *North* ：1 名销售代表');
    expectNoEnglish(zhList);
    expect(shown(await run('team', 'U0ALICE'))).toContain('• *North*: 1 rep');

    const forbidden = await run('team create South', 'U0MING');
    expect(shown(forbidden)).toContain('只有经理和管理员可以创建团队');
    expectNoEnglish(forbidden);
    const unknown = await run('team add <@U0MAI|mai> Nam', 'U0LAN');
    expect(shown(unknown)).toContain('Không có nhóm nào tên "Nam". Các nhóm: North.');
    expectNoEnglish(unknown);
    expect(shown(await run('team add <@U0MAI|mai> Nam', 'U0ALICE'))).toContain('There is no team called "Nam". Teams: North.');
  });

  test('/kpi digest subscribe, list and unsubscribe: the reader’s language, local dates', async () => {
    const vi = await run('digest subscribe <#C0SALES|sales> friday 17:30 Asia/Ho_Chi_Minh', 'U0LAN');
    expect(shown(vi)).toContain('Đã đăng ký: <#C0SALES> sẽ nhận báo cáo kinh doanh hằng tuần vào Thứ Sáu hằng tuần lúc 17:30 (Asia/Ho_Chi_Minh). Lần tới: Thứ Sáu, 4/12/2026 17:30 (Asia/Ho_Chi_Minh).');
    expectNoEnglish(vi);
    const zh = await run('digest subscribe <#C0WINS|wins> tuesday 08:00', 'U0WEI');
    expect(shown(zh)).toContain('已订阅：<#C0WINS> 将在每星期二 08:00（UTC）收到每周销售简报。下一次：2026年12月1日（星期二）08:00（UTC）。');
    expectNoEnglish(zh);

    const zhList = await run('digest list', 'U0MING');
    expect(shown(zhList)).toContain('*每周简报订阅* （2）');
    expect(shown(zhList)).toContain('下一次 2026年12月4日（星期五）17:30（Asia/Ho_Chi_Minh） · 尚未发送过简报');
    expectNoEnglish(zhList);
    const viList = await run('digest list', 'U0MAI');
    expect(shown(viList)).toContain('lần tới Thứ Ba, 1/12/2026 08:00 (UTC) · chưa gửi báo cáo nào');
    expectNoEnglish(viList);
    const enList = await run('digest list', 'U0ALICE');
    expect(shown(enList)).toContain('*Weekly digest subscriptions* (2)');
    expect(shown(enList)).toContain('next Fri, Dec 4, 2026 17:30 (Asia/Ho_Chi_Minh) · no digest posted yet');

    const refused = await run('digest subscribe <#C0SALES|sales>', 'U0MAI');
    expect(shown(refused)).toContain('Chỉ quản lý và quản trị viên mới có thể đăng ký kênh nhận báo cáo hằng tuần.');
    expectNoEnglish(refused);
    const plain = await run('digest subscribe #sales', 'U0WEI');
    expect(shown(plain)).toContain('“#sales”是以纯文本发送的');
    expect(shown(plain)).toContain('示例：`/kpi digest subscribe #sales monday 09:00 Europe/Berlin`');
    expect(englishIn(plain, ['#sales'])).toEqual([]); // what was typed is quoted as typed

    const off = await run('digest unsubscribe <#C0WINS|wins>', 'U0WEI');
    expect(shown(off)).toContain('已取消订阅：<#C0WINS> 不再收到每周销售简报。');
    const notSubscribed = await run('digest unsubscribe <#C0WINS|wins>', 'U0LAN');
    expect(shown(notSubscribed)).toContain('<#C0WINS> chưa đăng ký báo cáo hằng tuần.');
    expectNoEnglish(notSubscribed);
    const help = await run('digest help', 'U0MAI');
    expect(shown(help)).toContain('*Báo cáo kinh doanh hằng tuần*');
    expectNoEnglish(help);
  });

  test('/kpi alerts: thresholds, on/off, snoozes and the list in the reader’s language', async () => {
    const set = await run('alerts set winrate-drop 12.5', 'U0LAN');
    expect(shown(set)).toContain('Đã lưu: *Tỷ lệ chốt đơn giảm* (`winrate-drop`) giờ kích hoạt ở ngưỡng 12,5 điểm %.');
    expectNoEnglish(set);
    const off = await run('alerts off funnel-leak', 'U0WEI');
    expect(shown(off)).toContain('*漏斗流失比平时严重* （`funnel-leak`）现已关闭。');
    expectNoEnglish(off);
    const snooze = await run('alerts snooze revenue-drop 1w', 'U0LAN');
    expect(shown(snooze)).toContain('Đã tạm hoãn mọi cảnh báo *Doanh thu thuần giảm* đến Thứ Hai, 7/12/2026 10:00 (UTC).');
    expectNoEnglish(snooze);

    const zhList = await run('alerts', 'U0MING');
    expect(shown(zhList)).toContain('*预警规则* （7 条中 6 条开启）');
    expect(shown(zhList)).toContain('*赢单率下降* （`winrate-drop`）：阈值 12.5 个百分点');
    expect(shown(zhList)).toContain(':zzz: 暂停至 2026年12月7日（星期一）10:00（UTC）');
    expect(shown(zhList)).toContain('*当前预警* ：暂无。');
    expectNoEnglish(zhList);
    const viList = await run('alerts', 'U0MAI');
    expect(shown(viList)).toContain(':white_circle: tắt · *Phễu rơi rụng nhiều hơn thường lệ*');
    expectNoEnglish(viList);
    const enList = await run('alerts', 'U0ALICE');
    expect(enList.text).toContain('winrate-drop 12.5 points');
    expect(shown(enList)).toContain(':zzz: snoozed until Mon, Dec 7, 2026 10:00 (UTC)');

    const unsnooze = await run('alerts unsnooze revenue-drop', 'U0WEI');
    expect(shown(unsnooze)).toContain('已结束 *净收入下降* 的 1 项暂停');
    expectNoEnglish(unsnooze);
    await run('alerts on funnel-leak', 'U0WEI');

    const bad = await run('alerts set winrate-drop lots', 'U0LAN');
    expect(shown(bad)).toContain('"lots" không phải là ngưỡng của winrate-drop: quy tắc này nhận số điểm phần trăm lớn hơn 0 và tối đa 100.');
    expectNoEnglish(bad);
    const forbidden = await run('alerts set winrate-drop 15', 'U0MING');
    expect(shown(forbidden)).toContain('只有经理和管理员可以更改预警阈值。');
    expectNoEnglish(forbidden);
    const verb = await run('alerts frobnicate', 'U0WEI');
    expect(shown(verb)).toContain('没有 `/kpi alerts frobnicate` 这个命令。');
    expect(shown(await run('alerts frobnicate', 'U0ALICE'))).toContain("I don't know `/kpi alerts frobnicate`.");
    const help = await run('alerts help', 'U0MAI');
    expect(shown(help)).toContain('*Cảnh báo theo ngưỡng*');
    expectNoEnglish(help);
  });

  test('the Snooze button: the channel note in the workspace’s language, a refusal in the presser’s', async () => {
    await run('settings language vi', 'U0ALICE');
    const db = h.database.db;
    const ws = await db.prisma.workspace.update({ where: { slackTeamId: 'T0FAKE' }, data: { alertsChannelId: 'C0ALERTS' } });
    const ana = await db.prisma.rep.create({ data: { workspaceId: ws.id, name: 'Ana' } });
    const ben = await db.prisma.rep.create({ data: { workspaceId: ws.id, name: 'Ben' } });
    await seedAlertHistory(db, ws, [ana, ben]);
    const logger = createLogger('error', () => undefined);
    const queue = new DeliveryQueue({ gateway: h.kpi.deps.slack, db, logger, perChannelIntervalMs: 0, sleep: async () => undefined });
    h.fake.reset();
    const summary = await runDailyAlerts({ db, now: MONDAY_NOV_30, deliver: queue.deliver, logger, workspaceIds: [ws.id], periodKinds: ['week'] });
    expect(summary.posted).toBeGreaterThan(0);
    const post = h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'C0ALERTS' && String(c.args.text).includes('Tỷ lệ chốt đơn giảm'))!;
    const button = (post.args.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>).find((b) => b.type === 'actions')!.elements![0]!;
    const click = async (user: string, id: string): Promise<TAnswer> => {
      const res = await h.slack.interaction(blockActionPayload({ userId: user, channelId: 'C0ALERTS', actionId: button.action_id, value: button.value, responseUrl: h.fake.responseUrl(id) }));
      expect(res.status).toBe(200);
      const [answer] = await h.fake.waitFor(() => (h.fake.responsesTo(id).length ? h.fake.responsesTo(id) : null));
      return answer as unknown as TAnswer;
    };

    const refused = await click('U0MING', 'snooze-ming');
    expect(refused.replace_original).toBe(false);
    expect(shown(refused)).toContain('只有经理和管理员可以暂停预警。');
    expectNoEnglish(refused);

    // Wei reads Chinese, but the note replaces a channel message: the workspace's Vietnamese.
    const replaced = await click('U0WEI', 'snooze-wei');
    expect(replaced.replace_original).toBe(true);
    expect(replaced.text).toMatch(/^<@U0WEI> đã tạm hoãn đến Thứ Hai, 7\/12\/2026 10:00 \(UTC\): Tỷ lệ chốt đơn giảm — Tỷ lệ chốt đơn 20,0%/);
    expect(shown(replaced)).toContain('Cảnh báo sẽ im lặng đến lúc đó');
    expectNoEnglish(replaced);
    await run('settings language en', 'U0ALICE');
  });
});
