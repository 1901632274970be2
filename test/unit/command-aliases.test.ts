import { describe, expect, test } from 'vitest';
import {
  aliasKey,
  DEAL_VERB_INDEX,
  DEAL_VERBS,
  englishDealText,
  englishKpiTokens,
  KPI_WORD_INDEX,
  KPI_WORDS,
  matchWord,
  withoutVietnameseMarks,
} from '../../src/domain/command-aliases.js';
import { parseDealCommand } from '../../src/domain/deals/parse-deal-command.js';
import { normalizeKpiName } from '../../src/domain/metrics/report-kpi.js';
import { localPeriodWords, parsePeriod } from '../../src/domain/periods.js';
import { AppError } from '../../src/errors.js';
import { buildErrorMessage } from '../../src/slack/blocks/messages.js';
import { renderMessageAsText } from '../../src/slack/blocks/render-text.js';
import { failurePage, installPage, pageLocale, successPage } from '../../src/slack/oauth/pages.js';
import { BOT_SCOPE_REASONS } from '../../src/slack/oauth/scopes.js';
import { CATALOGS } from '../../src/i18n/t.js';

/** Issue #12: command words in Vietnamese and Chinese, period words, install page language. */

describe('/kpi names in every language', () => {
  test.each([
    ['tỷ-lệ-chốt', 'winrate'],
    ['tỉ lệ chốt', 'winrate'],
    ['ty-le-chot', 'winrate'],
    ['Tỷ_Lệ_Chốt_Đơn', 'winrate'],
    ['赢单率', 'winrate'],
    ['赢率', 'winrate'],
    ['chuyển-đổi', 'conversion'],
    ['chuyen doi', 'conversion'],
    ['转化率', 'conversion'],
    ['chỉ-tiêu', 'quota'],
    ['chi tieu', 'quota'],
    ['达成率', 'quota'],
    ['giá-trị-đơn', 'dealsize'],
    ['gia tri don trung binh', 'dealsize'],
    ['客单价', 'dealsize'],
    ['doanh thu', 'revenue'],
    ['doanh-thu-thuan', 'revenue'],
    ['净收入', 'revenue'],
    ['doanh thu định kỳ', 'mrr'],
    ['经常性收入', 'mrr'],
    ['phễu', 'funnel'],
    ['pheu ban hang', 'funnel'],
    ['销售漏斗', 'funnel'],
    ['kế-hoạch', 'plan'],
    ['目标倒推', 'plan'],
    ['xếp hạng', 'leaderboard'],
    ['bang xep hang', 'leaderboard'],
    ['排行榜', 'leaderboard'],
    ['winrate', 'winrate'],
    ['win-rate', 'winrate'],
    ['arr', 'mrr'],
    ['top', 'leaderboard'],
  ])('%s → %s', (typed, kpi) => {
    expect(normalizeKpiName(typed)).toBe(kpi);
    expect(englishKpiTokens([...typed.split(' '), 'tháng', 'này'])).toEqual([KPI_WORDS[kpi as 'winrate'].en[0], 'tháng', 'này']);
  });

  test.each([
    [['doanh', 'thu', 'quý', 'trước'], ['revenue', 'quý', 'trước']],
    [['赢单率本月'], ['winrate', '本月']],
    [['净收入', '上季度'], ['revenue', '上季度']],
    [['trợ-giúp'], ['help']],
    [['tro', 'giup'], ['help']],
    [['帮助'], ['help']],
    [['settings', 'language', 'vi'], ['settings', 'language', 'vi']],
    [['revenue', 'last', 'month'], ['revenue', 'last', 'month']],
    [['khong-biet'], ['khong-biet']],
  ])('%j → %j', (tokens, english) => expect(englishKpiTokens(tokens)).toEqual(english));

  test('no word means two things; an unmarked Vietnamese word is kept only when it names one', () => {
    for (const table of [KPI_WORDS, DEAL_VERBS]) {
      const seen = new Map<string, string>();
      for (const [canonical, words] of Object.entries(table)) {
        for (const w of [...words.en, ...words.vi, ...words['zh-CN']]) {
          const key = aliasKey(w);
          expect(seen.get(key) ?? canonical, `${w}`).toBe(canonical);
          seen.set(key, canonical);
        }
      }
    }
    // Every Vietnamese word reads the same without its marks.
    for (const [canonical, words] of Object.entries(KPI_WORDS)) {
      for (const w of words.vi) expect(matchWord(KPI_WORD_INDEX, [withoutVietnameseMarks(w)])?.canonical).toBe(canonical);
    }
    for (const [canonical, words] of Object.entries(DEAL_VERBS)) {
      for (const w of words.vi) expect(matchWord(DEAL_VERB_INDEX, [withoutVietnameseMarks(w)])?.canonical).toBe(canonical);
    }
  });
});

describe('/deal verbs in every language', () => {
  test.each([
    ['thắng 12tr Acme', 'won 12tr Acme'],
    ['thang 12tr Acme', 'won 12tr Acme'],
    ['chốt đơn 12tr "Acme Corp"', 'won 12tr "Acme Corp"'],
    ['chốt 12tr Acme', 'won 12tr Acme'],
    ['赢单 12万 Acme', 'won 12万 Acme'],
    ['赢单12万 Acme', 'won 12万 Acme'],
    ['成交 5000 Acme', 'won 5000 Acme'],
    ['thua Acme giá', 'lost Acme giá'],
    ['mất đơn Acme', 'lost Acme'],
    ['输单 Acme 价格', 'lost Acme 价格'],
    ['giai đoạn Acme demo', 'stage Acme demo'],
    ['阶段 Acme demo', 'stage Acme demo'],
    ['hoàn tác', 'undo'],
    ['hoan tac', 'undo'],
    ['撤销', 'undo'],
    ['trợ giúp', 'help'],
    ['帮助', 'help'],
    ['hoàn tiền Acme 2tr hỏng', 'refund Acme 2tr hỏng'],
    ['退款 Acme 2万', 'refund Acme 2万'],
    ['线索 Acme web', 'lead Acme web'],
    ['rời bỏ Acme', 'churn Acme'],
    ['流失 Acme', 'churn Acme'],
    ['won 12k Acme', 'won 12k Acme'],
    ['Won 12k Acme', 'Won 12k Acme'],
    ['', ''],
  ])('%s → %s', (typed, english) => expect(englishDealText(typed)).toBe(english));

  test.each([
    ['thắng 12tr Acme', { kind: 'won', customer: 'Acme', amountMinor: 12_000_000n, currency: 'VND' }],
    ['chốt đơn 800tr "Acme Corp"', { kind: 'won', customer: 'Acme Corp', amountMinor: 800_000_000n }],
    ['赢单12万 Acme', { kind: 'won', customer: 'Acme', amountMinor: 120_000n }],
    ['thua Acme', { kind: 'lost' }],
    ['输单 Acme', { kind: 'lost' }],
    ['giai đoạn Acme demo', { kind: 'stage', customer: 'Acme', stage: 'demo' }],
    ['hoàn tác', { kind: 'undo' }],
    ['撤销', { kind: 'undo' }],
    ['trợ-giúp', { kind: 'help' }],
    ['mới', { kind: 'modal' }],
  ])('parseDealCommand(%s)', (typed, expected) => expect(parseDealCommand(typed, 'VND')).toMatchObject(expected));

  test('an unknown verb is named as typed, in the reader language', () => {
    let error: unknown;
    try {
      parseDealCommand('bán 12tr Acme', 'VND');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(renderMessageAsText(buildErrorMessage(error, 'en'))).toContain('I don\'t know "/deal bán"');
  });
});

describe('period words', () => {
  const ctx = { now: new Date('2026-11-20T12:00:00Z'), timeZone: 'UTC', fiscalYearStartMonth: 1 };
  test.each([
    ['thang nay', '2026-11'],
    ['thang truoc', '2026-10'],
    ['tháng rồi', '2026-10'],
    ['quy nay', '2026-Q4'],
    ['quy truoc', '2026-Q3'],
    ['nam nay', '2026'],
    ['nam ngoai', '2025'],
    ['tuan truoc', '2026-W46'],
    ['hôm nay', '2026-11-20'],
    ['hôm qua', '2026-11-19'],
    ['hom qua', '2026-11-19'],
    ['tháng 11/2026', '2026-11'],
    ['tháng 3 năm 2025', '2025-03'],
    ['thang 9', '2026-09'],
    ['tháng 12', '2025-12'],
    ['quý 3/2026', '2026-Q3'],
    ['quý 2', '2026-Q2'],
    ['Q3/2025', '2025-Q3'],
    ['năm 2025', '2025'],
    ['30 ngay qua', '30d:2026-11-20'],
    ['上周', '2026-W46'],
    ['上个星期', '2026-W46'],
    ['本周', '2026-W47'],
    ['昨天', '2026-11-19'],
    ['本月', '2026-11'],
    ['上一个月', '2026-10'],
    ['上季度', '2026-Q3'],
    ['上一季度', '2026-Q3'],
    ['今年', '2026'],
    ['去年', '2025'],
    ['2026年11月', '2026-11'],
    ['2026 年 3 月', '2026-03'],
    ['十一月', '2026-11'],
    ['3月', '2026-03'],
    ['2026年第三季度', '2026-Q3'],
    ['2026年Q2', '2026-Q2'],
    ['第一季度', '2026-Q1'],
    ['三季度', '2026-Q3'],
    ['2025年', '2025'],
    ['最近30天', '30d:2026-11-20'],
  ])('%s → %s', (words, key) => {
    const p = parsePeriod(words, ctx);
    expect(p.kind === 'rolling' ? `30d:${p.key.slice(-10)}` : p.key).toBe(key);
  });

  test('other words are left alone', () => {
    expect(localPeriodWords('tháng 13')).toBe('tháng 13');
    expect(localPeriodWords('last month')).toBe('last month');
  });

  test('an unknown period is refused in the reader language, with the forms of that language', () => {
    let error: unknown;
    try {
      parsePeriod('tháng sau nữa', ctx);
    } catch (e) {
      error = e;
    }
    const vi = renderMessageAsText(buildErrorMessage(error, 'vi'));
    expect(vi).toContain('Tôi chưa hiểu kỳ "tháng sau nữa"');
    expect(vi).toContain('tháng trước');
    const zh = renderMessageAsText(buildErrorMessage(error, 'zh-CN'));
    expect(zh).toContain('我没看懂时间段“tháng sau nữa”');
    expect(zh).toContain('上月');
    expect(renderMessageAsText(buildErrorMessage(error, 'en'))).toContain('I didn\'t understand the period "tháng sau nữa"');
  });
});

describe('install pages in the browser language', () => {
  test.each([
    ['vi-VN,vi;q=0.9,en;q=0.8', 'vi'],
    ['vi', 'vi'],
    ['zh-CN,zh;q=0.9', 'zh-CN'],
    ['zh-Hans-CN', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['zh-TW,zh;q=0.8,en;q=0.9', 'en'],
    ['zh-TW,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['zh-HK', 'en'],
    ['en-US,vi;q=0.5', 'en'],
    ['fr-FR,vi;q=0.5', 'vi'],
    ['de', 'en'],
    ['*', 'en'],
    ['', 'en'],
    [undefined, 'en'],
  ])('Accept-Language %s → %s', (header, locale) => expect(pageLocale(header)).toBe(locale));

  test.each([
    ['vi', 'Cài đặt Sales KPIs', 'Thêm vào Slack', 'Đã cài đặt Sales KPIs', 'Chưa cài đặt được Sales KPIs'],
    ['zh-CN', '安装 Sales KPIs', '添加到 Slack', 'Sales KPIs 已安装', 'Sales KPIs 未安装'],
  ] as const)('%s pages: html lang, catalog text, escaped names', (locale, installTitle, button, successTitle, failureTitle) => {
    const install = installPage('https://slack.com/oauth/v2/authorize?a=1&b="2"', locale);
    expect(install).toMatch(new RegExp(`^<!doctype html>\\n<html lang="${locale}">`));
    expect(install).toContain(`<h1>${installTitle}</h1>`);
    expect(install).toContain(`href="https://slack.com/oauth/v2/authorize?a=1&amp;b=&quot;2&quot;">${button}</a>`);
    expect(install).toContain('<code>/kpi</code>');
    expect(install.match(/<li>/g)).toHaveLength(BOT_SCOPE_REASONS.length);
    const success = successPage({ teamName: '<Acme & Co>', locale });
    expect(success).toContain(`<h1>${successTitle}</h1>`);
    expect(success).toContain('&lt;Acme &amp; Co&gt;');
    expect(success).toContain('<code>/invite @Sales KPIs</code>');
    const failure = failurePage({ reason: 'cancelled', installPath: '/slack/install', locale });
    expect(failure).toContain(`<h1>${failureTitle}</h1>`);
    expect(failure).toMatch(/<a href="\/slack\/install">[^<]+<\/a>/);
    // No English sentence left (product names and commands aside).
    for (const html of [install, success, failure]) {
      const words = html.replace(/<style>[^<]*<\/style>/, '').replace(/<[^>]+>/g, ' ').replace(/Sales KPIs|Slack|CRM|\/\S+|@\S+|&\w+;/g, ' ');
      expect(words).not.toMatch(/\b(the|and|install|page|channel|workspace|app)\b/i);
    }
  });

  test('English scope reasons in the catalog are the ones README and the manifest check', () => {
    const keys = ['page.scope.commands', 'page.scope.chatWrite', 'page.scope.usersRead', 'page.scope.usersReadEmail', 'page.scope.channelsRead', 'page.scope.groupsRead'] as const;
    expect(keys.map((k) => CATALOGS.en[k])).toEqual(BOT_SCOPE_REASONS.map((s) => s.why));
  });
});
