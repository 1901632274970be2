import { describe, expect, test } from 'vitest';
import { CATALOGS, type TMessageKey } from '../../src/i18n/t.js';
import type { TLocale } from '../../src/i18n/locales.js';
import type { TKpiBlockContext } from '../../src/slack/blocks/kpi/common.js';
import { buildKpiMessage } from '../../src/slack/blocks/kpi/index.js';
import * as F from '../helpers/kpi-fixtures.js';

/**
 * Slack opens `*bold*` only after a space or ASCII punctuation and closes it only before one, so
 * `*赢单率*：` or `比往常*更差*` show their asterisks. Chinese messages put a space around a bold
 * span next to a Chinese character or full-width punctuation (src/i18n/README.md).
 */

const BOUNDARY = /[\s!-/:-@[-`{-~]/;
const fits = (c: string | undefined) => c === undefined || BOUNDARY.test(c);

/** Bold spans in `text` whose asterisks Slack would show, with a little context. */
function unclosedBold(text: string): string[] {
  const bad: string[] = [];
  for (const m of text.matchAll(/\*([^*\n]+?)\*/g)) {
    const at = m.index ?? 0;
    if (!fits(text[at - 1]) || !fits(text[at + m[0].length])) bad.push(text.slice(Math.max(0, at - 6), at + m[0].length + 6));
  }
  return bad;
}

function texts(x: unknown, out: string[] = []): string[] {
  if (typeof x === 'string') out.push(x);
  else if (Array.isArray(x)) for (const y of x) texts(y, out);
  else if (x && typeof x === 'object') for (const v of Object.values(x)) texts(v, out);
  return out;
}

const LOCALES = ['en', 'vi', 'zh-CN'] as const satisfies readonly TLocale[];

describe.each(LOCALES)('bold spans Slack can close, %s', (locale) => {
  test('every catalog message', () => {
    const keys = Object.keys(CATALOGS.en) as TMessageKey[];
    expect(keys.flatMap((k) => unclosedBold(CATALOGS[locale][k]).map((s) => `${k}: ${s}`))).toEqual([]);
  });

  test('every /kpi answer built from fixtures', () => {
    const ctx: TKpiBlockContext = { periodLabel: locale === 'zh-CN' ? '2026年11月' : 'tháng 11/2026', timeZone: 'Asia/Ho_Chi_Minh', scopeLabel: 'Dana', previousLabel: 'October', trailingLabel: 'Q3', locale };
    const reports = [
      F.winRateReport(),
      F.conversionReport(),
      F.quotaReport({ atOrAbove: 1, withQuota: 3, reps: 4 }),
      F.dealSizeReport({ wonCount: 10, reps: 4, oversized: 2 }),
      F.revenueReport(),
      F.mrrReport(),
      F.funnelReport(),
      F.planReport(),
      F.planReport({ target: 50_000_000n }),
      F.leaderboardReport(5),
    ];
    expect(reports.flatMap((r) => texts(buildKpiMessage(r, ctx)).flatMap(unclosedBold).map((s) => `${r.kind}: ${s}`))).toEqual([]);
  });
});
