import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { renderMessageAsText } from '../../src/slack/blocks/render-text.js';
import type { SlackBlocks } from '../../src/slack/gateway.js';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { testEngines } from '../helpers/test-db.js';

/**
 * `/kpi` in three languages through signed requests, reading what each user sees (issue #12).
 * Workspace T0I18N reports in VND; clock 2026-11-20. Lan's Slack is in Vietnamese, Wei's in
 * Chinese, Alice's in English. Lan wins Acme (641,700,000 ₫), Wei loses Beta.
 */

const NOW = new Date('2026-11-20T12:00:00Z');

interface TAnswer {
  text: string;
  blocks?: SlackBlocks;
}

describe.each(testEngines())('/kpi in English, Vietnamese and Chinese on %s', (dialect) => {
  let h: Harness;
  let seq = 0;

  async function run(command: '/kpi' | '/deal', text: string, user: string): Promise<string> {
    const id = `i18n${++seq}`;
    const res = await h.slack.command(command, text, { user_id: user, team_id: 'T0I18N', response_url: h.fake.responseUrl(id) });
    expect(res.status).toBe(200);
    if (command === '/deal') return '';
    const [answer] = await h.fake.waitFor(() => {
      const r = h.fake.responsesTo(id);
      return r.length > 0 ? r : null;
    });
    const a = answer as unknown as TAnswer;
    return renderMessageAsText({ text: a.text, ...(a.blocks ? { blocks: a.blocks } : {}) });
  }

  /** Latin words a Vietnamese or Chinese reader should not meet (names, commands and acronyms aside). */
  const ENGLISH = /\b(won|lost|revenue|deals?|rate|period|average|reps?|share|channel|times|refunds|net)\b/i;
  const withoutCode = (s: string) => s.replace(/`[^`]*`/g, '').replace(/:[a-z_]+:/g, '').replace(/https?:\/\/\S+/g, '');

  beforeAll(async () => {
    h = await startHarness(dialect);
    h.setNow(NOW);
    h.fake.addUser({ id: 'U0ALICE', name: 'alice', real_name: 'Alice Admin', tz: 'UTC', locale: 'en-US' });
    h.fake.addUser({ id: 'U0LAN', name: 'lan', real_name: 'Lan Nguyen', tz: 'Asia/Ho_Chi_Minh', locale: 'vi-VN' });
    h.fake.addUser({ id: 'U0WEI', name: 'wei', real_name: 'Wei Zhang', tz: 'Asia/Shanghai', locale: 'zh-CN' });
    await run('/kpi', 'settings currency VND timezone UTC', 'U0ALICE');
    await run('/deal', 'won 641700000 VND Acme', 'U0LAN');
    await run('/deal', 'lost Beta price', 'U0WEI');
  });

  afterAll(async () => {
    await h?.stop();
  });

  test('English stays as it was', async () => {
    const shown = await run('/kpi', 'revenue', 'U0ALICE');
    expect(shown).toContain('Net revenue');
    expect(shown).toContain('641,700,000 ₫');
    expect(shown).toContain('November 2026');
  });

  test('Vietnamese: Slack locale vi-VN, Vietnamese period words, Vietnamese numbers and no English', async () => {
    const shown = await run('/kpi', 'revenue tháng này', 'U0LAN');
    expect(shown).toContain('Doanh thu thuần');
    expect(shown).toContain('641.700.000 ₫');
    expect(shown).toContain('tháng 11/2026');
    expect(shown).toContain('Chia sẻ vào kênh');
    expect(withoutCode(shown)).not.toMatch(ENGLISH);
    const winrate = await run('/kpi', 'winrate', 'U0LAN');
    expect(winrate).toContain('Tỷ lệ chốt đơn');
    expect(winrate).toContain('50,0%');
    expect(withoutCode(winrate)).not.toMatch(ENGLISH);
  });

  test('Chinese: Slack locale zh-CN, 本月, the 万/亿 reading and no English', async () => {
    const shown = await run('/kpi', 'revenue 本月', 'U0WEI');
    expect(shown).toContain('净收入');
    expect(shown).toContain('₫641,700,000（约6.4亿）');
    expect(shown).toContain('2026年11月');
    expect(withoutCode(shown)).not.toMatch(ENGLISH);
    const winrate = await run('/kpi', 'winrate 本月', 'U0WEI');
    expect(winrate).toContain('赢单率');
    expect(winrate).toContain('50.0%');
    expect(withoutCode(winrate)).not.toMatch(ENGLISH);
    const funnel = await run('/kpi', 'funnel', 'U0WEI');
    expect(funnel).toContain('销售漏斗');
    expect(withoutCode(funnel)).not.toMatch(ENGLISH);
  });

  test('help in the asker language', async () => {
    const vi = await run('/kpi', 'help', 'U0LAN');
    expect(vi).toContain('Chỉ số bán hàng');
    expect(vi).toContain('/kpi winrate tháng trước');
    const zh = await run('/kpi', 'help', 'U0WEI');
    expect(zh).toContain('销售业绩指标');
    expect(zh).toContain('/kpi winrate 上月');
    const en = await run('/kpi', 'help', 'U0ALICE');
    expect(en).toContain('Sales KPIs in Slack');
  });

  test('my-language wins over the Slack locale; the workspace language serves someone the app has not met', async () => {
    expect(await run('/kpi', 'settings my-language zh-CN', 'U0LAN')).toContain('简体中文');
    expect(await run('/kpi', 'revenue', 'U0LAN')).toContain('净收入');
    await run('/kpi', 'settings my-language auto', 'U0LAN');
    expect(await run('/kpi', 'revenue', 'U0LAN')).toContain('Doanh thu thuần');
    expect(await run('/kpi', 'winrate', 'U0NEW')).toContain('Win rate');
    await run('/kpi', 'settings language vi', 'U0ALICE');
    expect(await run('/kpi', 'winrate', 'U0NEW')).toContain('Tỷ lệ chốt đơn');
    // Alice's own Slack locale (en-US) still wins for her private answers.
    expect(await run('/kpi', 'winrate', 'U0ALICE')).toContain('Win rate');
  });
});
