import { describe, expect, test } from 'vitest';
import { buildWeeklyDigestMessage, DIGEST_MESSAGE_BUDGET } from '../../src/slack/blocks/digest.js';
import type { TWeeklyDigestData } from '../../src/domain/digests/digest-data.js';
import { revenueTrendChart, axisUnit } from '../../src/charts/configs.js';
import { findLimitViolations, LIMITS } from '../../src/slack/blocks/limits.js';
import type { TLocale } from '../../src/i18n/locales.js';
import { digestFixture } from '../helpers/digest-fixtures.js';

/**
 * The weekly digest in Vietnamese and Chinese (issue #12): what a channel reads, section by
 * section, chart titles and alt text included, with no English word left but names and commands,
 * and the locale's amounts (`641.700.000 ₫`, `₫641,700,000`, axis in `tr ₫` / `亿 ₫`).
 */

type TBlock = { type: string; text?: { text: string }; elements?: Array<{ text?: string }>; image_url?: string; alt_text?: string; title?: { text: string } };
const blockText = (blocks: TBlock[]) =>
  blocks.map((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => e.text ?? ''), b.alt_text ?? '', b.title?.text ?? ''].join('\n')).join('\n');

/** Latin words of 3+ letters outside code spans, emoji codes and the rep names: what would read as English. */
const NAMES = new Set(['mrr', 'arr', 'nrr', 'grr', 'kpi', 'usd', 'vnd', 'nguy', 'europe', 'berlin', 'asia', 'chi', 'minh', 'van', 'tran', 'thi']);
function latinWords(text: string): string[] {
  const stripped = text
    .replace(/`[^`]*`/g, ' ')
    .replace(/:[a-z_]+:/g, ' ')
    .replace(/Nguyễn Văn \d+|Trần Thị \d+/g, ' ');
  return (stripped.match(/[A-Za-z]{3,}/g) ?? []).map((w) => w.toLowerCase()).filter((w) => !NAMES.has(w));
}

const LABELS: Record<Exclude<TLocale, 'en'>, { week: string; previous: string; trailing: string; month: string; quarter: string; monthToDate: string; scope: string; short: (i: number) => string }> = {
  vi: {
    week: 'tuần 48/2026 (23/11 – 29/11)',
    previous: 'tuần trước đó',
    trailing: '4 tuần trước đó',
    month: 'tháng 11/2026',
    quarter: 'Quý 4/2026 (1/10 – 31/12)',
    monthToDate: 'tháng 11/2026 đến nay',
    scope: 'tất cả nhân viên kinh doanh',
    short: (i) => `Tuần ${37 + i}`,
  },
  'zh-CN': {
    week: '2026年第48周（11月23日–11月29日）',
    previous: '前一周',
    trailing: '此前 4 周',
    month: '2026年11月',
    quarter: '2026年第四季度（10月1日–12月31日）',
    monthToDate: '2026年11月至今',
    scope: '全体销售',
    short: (i) => `第${37 + i}周`,
  },
};

/** The fixture as build-weekly-digest.ts hands it for a VND workspace in `locale`: labels in the language. */
function localFixture(locale: Exclude<TLocale, 'en'>, opts: Parameters<typeof digestFixture>[1] = {}): TWeeklyDigestData {
  const f = digestFixture(200, { alerts: 0, repName: (i) => (i % 2 ? `Nguyễn Văn ${i}` : `Trần Thị ${i}`), ...opts });
  const l = LABELS[locale];
  return {
    ...f,
    locale,
    currency: 'VND',
    timeZone: 'Asia/Ho_Chi_Minh',
    weekLabel: l.week,
    scopeLabel: l.scope,
    comparison: { previousLabel: l.previous, trailingLabel: l.trailing },
    revenue: { ...f.revenue, currency: 'VND', current: { ...f.revenue.current, netMinor: 641_700_000n, refundsMinor: 0n } },
    pacing: [
      { label: l.month, report: f.pacing[0]!.report },
      { label: l.quarter, report: f.pacing[1]!.report },
    ],
    charts: {
      ...f.charts,
      revenueWeeks: f.charts.revenueWeeks.map((w, i, all) => ({ ...w, label: l.short(i), netMinor: i === all.length - 1 ? 641_700_000n : w.netMinor / 2n })),
      funnelStages: f.charts.funnelStages.map((s) => ({ ...s, label: locale === 'vi' ? `Giai đoạn ${s.label.length}` : `阶段${s.label.length}` })),
      attainmentLabel: l.monthToDate,
    },
  };
}

const english = blockText(buildWeeklyDigestMessage(digestFixture(200, { alerts: 0, repName: (i) => (i % 2 ? `Nguyễn Văn ${i}` : `Trần Thị ${i}`) })).blocks as unknown as TBlock[]);

describe.each(['vi', 'zh-CN'] as const)('weekly digest in %s', (locale) => {
  const data = localFixture(locale);
  const { text, blocks } = buildWeeklyDigestMessage(data);
  const all = blockText(blocks as unknown as TBlock[]);

  test('within Block Kit limits and the message budget, three charts', () => {
    expect(findLimitViolations(blocks!)).toEqual([]);
    expect(blocks!.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
    expect(JSON.stringify(blocks).length).toBeLessThanOrEqual(DIGEST_MESSAGE_BUDGET);
    expect((blocks as unknown as TBlock[]).filter((b) => b.type === 'image')).toHaveLength(3);
    for (const img of (blocks as unknown as TBlock[]).filter((b) => b.type === 'image')) expect(img.image_url!.length).toBeLessThan(3000);
  });

  test('no English word left (names and commands aside), in the blocks and the fallback text', () => {
    const englishWords = new Set(latinWords(english));
    expect(englishWords.size).toBeGreaterThan(40);
    expect(latinWords(all).filter((w) => englishWords.has(w))).toEqual([]);
    expect(latinWords(text).filter((w) => englishWords.has(w))).toEqual([]);
  });

  test('header, sections, pacing and footer in the language with its numbers', () => {
    if (locale === 'vi') {
      expect(blocks![0]).toMatchObject({ type: 'header', text: { text: 'Báo cáo kinh doanh hằng tuần — tuần 48/2026 (23/11 – 29/11) (Asia/Ho_Chi_Minh)' } });
      expect(all).toContain('*Doanh thu thuần* 641.700.000 ₫\n');
      expect(all).toMatch(/\*Tỷ lệ chốt đơn\* 22,0% \(22 đã chốt \/ 100 đã kết thúc\)\n↓ 8,0 điểm % so với tuần trước đó \(30,0%\) · ↓ 13,5 điểm % so với trung bình 4 tuần trước đó \(35,5%\)/);
      expect(all).toContain('*Tiến độ so với chỉ tiêu*\n• *tháng 11/2026* đến nay (đã qua 97%)');
      expect(all).toContain('*Cảnh báo*: tuần này không có · 2 đang tạm tắt.');
      expect(all).toMatch(/Tạo lúc 30\/11\/2026 15:00 · ngưỡng và tạm tắt: `\/kpi alerts`/);
      expect(text).toMatch(/^Báo cáo kinh doanh hằng tuần — tuần 48\/2026 .*, tất cả nhân viên kinh doanh: doanh thu thuần 641\.700\.000 ₫/);
    } else {
      expect(blocks![0]).toMatchObject({ type: 'header', text: { text: '每周销售简报：2026年第48周（11月23日–11月29日）（Asia/Ho_Chi_Minh）' } });
      expect(all).toContain('*净收入* ₫641,700,000\n');
      expect(all).toMatch(/\*赢单率\* 22\.0%（赢单 22 \/ 结单 100）\n较前一周↓ 8\.0 个百分点（30\.0%） · 较此前 4 周的平均值↓ 13\.5 个百分点（35\.5%）/);
      expect(all).toContain('*配额进度*\n• *2026年11月* 至今（已过 97%）');
      expect(all).toContain('*预警* ：本周没有 · 2 条已暂停。');
      expect(text).toMatch(/^每周销售简报：2026年第48周.*，全体销售：净收入 ₫641,700,000/);
    }
  });

  test('charts: titles, legend and alt text in the language, money axis scaled to the locale unit', () => {
    const images = (blocks as unknown as TBlock[]).filter((b) => b.type === 'image');
    const revenue = images[0]!;
    const config = JSON.parse(new URL(revenue.image_url!).searchParams.get('c')!) as { options: { title: { text: string } }; data: { datasets: Array<{ label: string; data: number[] }>; labels: string[] } };
    if (locale === 'vi') {
      expect(revenue.title!.text).toBe('Doanh thu thuần mỗi tuần, 12 tuần gần nhất');
      expect(config.options.title.text).toBe('Doanh thu thuần mỗi tuần (tr ₫)');
      expect(config.data.datasets[0]!.label).toBe('Doanh thu thuần');
      expect(config.data.labels.at(-1)).toBe('Tuần 48');
      expect(revenue.alt_text).toContain('tuần trước 641,7 tr ₫');
      expect(images[2]!.alt_text).toMatch(/^Hoàn thành chỉ tiêu: \d+\/200 nhân viên đạt từ 100% trở lên; cao nhất /);
    } else {
      expect(config.options.title.text).toBe('每周净收入（亿 ₫）');
      expect(config.data.datasets[0]!.label).toBe('净收入');
      expect(revenue.alt_text).toContain('上周 6.4亿 ₫');
      expect(images[1]!.alt_text).toMatch(/^销售漏斗：/);
    }
    // 641,700,000 ₫ drawn as 641.7 (tr) or 6.4 (亿): short ticks, exact amounts in the alt text.
    expect(config.data.datasets[0]!.data.at(-1)).toBe(locale === 'vi' ? 641.7 : 6.4);
  });
});

describe('locale axis units', () => {
  test.each([
    ['vi', 641_700_000, 'VND', 1e6, 'tr ₫'],
    ['vi', 6_400_000_000, 'VND', 1e9, 'tỷ ₫'],
    ['vi', 64_200, 'VND', 1e3, 'nghìn ₫'],
    ['vi', 900, 'VND', 1, '₫'],
    ['zh-CN', 641_700_000, 'VND', 1e8, '亿 ₫'],
    ['zh-CN', 120_000, 'CNY', 1e4, '万 ¥'],
  ] as const)('%s %d %s → ÷%d, %s', (locale, max, currency, size, label) => {
    expect(axisUnit(locale, max, currency)).toEqual({ size, label });
  });

  test('English charts keep their config (no unit scaling)', () => {
    const chart = revenueTrendChart({ weeks: [{ label: 'Nov 23', netMinor: 120_000_000n }], currency: 'USD' });
    expect(chart.config.options?.title?.text).toBe('Net revenue per week (USD)');
    expect(chart.config.data.datasets[0]!.data).toEqual([1_200_000]);
  });
});
