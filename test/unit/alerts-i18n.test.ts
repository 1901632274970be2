import { describe, expect, test } from 'vitest';
import { alertTitle, dealSizeBelowBreaches, funnelLeakBreach, mrrChurnBreach, revenueDropBreach, winRateDropBreach } from '../../src/domain/alerts/rules.js';
import { buildAlertMessage, buildAlertOverflowMessage } from '../../src/slack/blocks/alerts.js';
import { findLimitViolations } from '../../src/slack/blocks/limits.js';
import { CATALOGS, t } from '../../src/i18n/t.js';

/**
 * Alerts in Vietnamese and Chinese (issue #12): the sentence a rule writes when it fires in a
 * workspace whose language is vi or zh-CN, and the channel message around it, read as a user sees it.
 */

type TBlock = { type: string; text?: { text: string }; elements?: Array<{ text?: string | { text: string } }> };
const seen = (blocks: readonly unknown[]) =>
  (blocks as TBlock[]).map((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : (e.text?.text ?? '')))].join('\n')).join('\n');
/** Latin words of 3+ letters outside code spans and emoji codes, lower-cased. */
const latinWords = (text: string) => (text.replace(/`[^`]*`/g, ' ').replace(/:[a-z_]+:/g, ' ').match(/[A-Za-z]{3,}/g) ?? []).map((w) => w.toLowerCase());
/** Every word the English alerts use (titles, sentences, posts, the Snooze buttons), but names and acronyms. */
const ENGLISH = new Set(
  Object.entries(CATALOGS.en)
    .filter(([k]) => k.startsWith('alert.'))
    .flatMap(([, v]) => latinWords(v.replace(/\{[^{}]*\}/g, ' ')))
    .filter((w) => !['mrr', 'kpi', 'alerts'].includes(w)),
);
/** English words left in a Vietnamese or Chinese text (Vietnamese words written without diacritics are not English). */
const englishLeft = (text: string) => latinWords(text).filter((w) => ENGLISH.has(w));

const winrate = { rate: 0.22, won: 11, lost: 39, closed: 50, reason: null } as const;
const trailing = { rate: 0.355, won: 71, lost: 129, closed: 200, reason: null } as const;

describe('alert sentences in the workspace language', () => {
  test('the English word list is real', () => {
    expect(ENGLISH.size).toBeGreaterThan(40);
    expect(englishLeft('Win rate 22.0% is 13.5 points below its average')).toEqual(['win', 'rate', 'below', 'its', 'average']);
  });

  test('English stays as it was', () => {
    expect(winRateDropBreach({ current: winrate, trailingAverage: trailing, trailingLabel: 'the 4 weeks before', thresholdPoints: 10 })?.message).toBe(
      'Win rate 22.0% is 13.5 points below its average of the 4 weeks before, 35.5% (threshold: 10 points).',
    );
    expect(alertTitle('winrate-drop')).toBe('Win rate drop');
  });

  test.each([
    ['vi', '4 tuần trước đó', 'Tỷ lệ chốt đơn 22,0% thấp hơn 13,5 điểm % so với trung bình 4 tuần trước đó, 35,5% (ngưỡng: 10 điểm %).'],
    ['zh-CN', '此前 4 周', '赢单率 22.0% 比此前 4 周的平均值 35.5% 低 13.5 个百分点（阈值：10 个百分点）。'],
  ] as const)('%s: win rate drop', (locale, label, expected) => {
    expect(winRateDropBreach({ current: winrate, trailingAverage: trailing, trailingLabel: label, thresholdPoints: 10, locale })?.message).toBe(expected);
  });

  test.each([
    ['vi', 'Doanh thu thuần 641.700.000 ₫ giảm 35,8% so với 1.000.000.000 ₫ của tuần trước đó (ngưỡng: 10%).'],
    ['zh-CN', '净收入 ₫641,700,000 比前一周的 ₫1,000,000,000 下降 35.8%（阈值：10%）。'],
  ] as const)('%s: net revenue down, amounts in the locale', (locale, expected) => {
    expect(revenueDropBreach({ currentNetMinor: 641_700_000n, previousNetMinor: 1_000_000_000n, currency: 'VND', periodKind: 'week', thresholdPct: 10, locale })?.message).toBe(expected);
  });

  test.each(['vi', 'zh-CN'] as const)('%s: every other rule writes no English', (locale) => {
    const messages = [
      mrrChurnBreach({ movements: { startMrrMinor: 300_000_000n, churnedMinor: 30_000_000n, churnedCustomers: 3, customersAtStart: 30 }, currency: 'VND', periodKind: 'month', thresholdPct: 5, locale })!.message,
      dealSizeBelowBreaches({
        reps: [{ rep: { repId: 1, name: 'Nguyễn Văn An', slackUserId: 'U1', teamId: null }, average: { averageMinor: 10_000_000n, wonCount: 4, totalMinor: 40_000_000n, reason: null } } as never],
        groupAverageMinor: 20_000_000n,
        currency: 'VND',
        thresholdPct: 20,
        locale,
      })[0]!.message,
      funnelLeakBreach({
        leak: { step: { index: 3, from: 'proposal', to: 'won', reached: 100, advanced: 10, rate: 0.1 }, comparison: { rate: 0.1, trailingAverage: 0.333, delta: -0.233 } } as never,
        trailingLabel: locale === 'vi' ? '4 tuần trước đó' : '此前 4 周',
        thresholdPoints: 10,
        locale,
      })!.message,
    ];
    for (const m of messages) expect(englishLeft(m)).toEqual([]);
    expect(messages[0]).toContain(locale === 'vi' ? '30.000.000 ₫' : '₫30,000,000');
  });
});

describe.each(['vi', 'zh-CN'] as const)('alert channel message in %s', (locale) => {
  const message = winRateDropBreach({ current: winrate, trailingAverage: trailing, trailingLabel: locale === 'vi' ? '4 tuần trước đó' : '此前 4 周', thresholdPoints: 10, locale })!.message;
  const alert = { rule: 'winrate-drop' as const, title: alertTitle('winrate-drop', locale), conditionKey: 'all', periodLabel: locale === 'vi' ? 'tuần 48/2026 (23/11 – 29/11)' : '2026年第48周（11月23日–11月29日）', message };

  test('title, period, sentence, rule line and Snooze button: no English but the rule id and the command', () => {
    const { text, blocks } = buildAlertMessage({ alert, scopeLabel: t(locale, 'kpi.common.allReps'), timeZone: 'Asia/Ho_Chi_Minh', locale });
    expect(findLimitViolations(blocks!)).toEqual([]);
    const all = seen(blocks!);
    expect(englishLeft(all)).toEqual([]);
    expect(englishLeft(text)).toEqual([]);
    if (locale === 'vi') {
      expect(text).toBe('Cảnh báo: Tỷ lệ chốt đơn giảm (tuần 48/2026 (23/11 – 29/11), Asia/Ho_Chi_Minh) — ' + message);
      expect(all).toContain('Tạm tắt 1 tuần');
    } else {
      expect(text.startsWith('预警：赢单率下降（2026年第48周')).toBe(true);
      expect(all).toContain('暂停 1 周');
    }
  });

  test('the overflow summary too', () => {
    const { blocks } = buildAlertOverflowMessage({ alerts: Array.from({ length: 14 }, () => alert), scopeLabel: t(locale, 'kpi.common.allReps'), timeZone: 'Asia/Ho_Chi_Minh', locale });
    expect(findLimitViolations(blocks!)).toEqual([]);
    expect(englishLeft(seen(blocks!))).toEqual([]);
  });
});
