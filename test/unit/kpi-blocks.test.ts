import type { KnownBlock } from '@slack/types';
import { describe, expect, test } from 'vitest';
import type { TKpiReport } from '../../src/domain/metrics/index.js';
import { buildKpiMessage, KPI_MESSAGE_BUDGET, KPI_SHARE_ACTION, listSections, type TKpiBlockContext } from '../../src/slack/blocks/kpi/index.js';
import { findLimitViolations, LIMITS } from '../../src/slack/blocks/limits.js';
import { renderMessageAsText } from '../../src/slack/blocks/render-text.js';
import type { SlackMessage } from '../../src/slack/gateway.js';
import { kpiChartBlock, shortPeriodLabel } from '../../src/slack/blocks/kpi/chart.js';
import { decodeKpiShareValue, encodeKpiShareValue } from '../../src/slack/kpi/share-value.js';
import { parsePeriod, trailingPeriods } from '../../src/domain/periods.js';
import {
  conversionReport,
  CTX,
  dealSizeReport,
  funnelReport,
  leaderboardReport,
  mrrReport,
  planReport,
  quotaReport,
  revenueReport,
  winRateReport,
} from '../helpers/kpi-fixtures.js';

const build = (r: TKpiReport, ctx: TKpiBlockContext = CTX): SlackMessage => buildKpiMessage(r, ctx);
const rendered = (m: SlackMessage) => renderMessageAsText(m);
const blocksOf = (m: SlackMessage) => (m.blocks ?? []) as KnownBlock[];

function expectWithinLimits(m: SlackMessage): void {
  const blocks = blocksOf(m);
  expect(findLimitViolations(blocks)).toEqual([]);
  expect(blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
  expect(JSON.stringify(blocks).length).toBeLessThanOrEqual(KPI_MESSAGE_BUDGET);
  expect(m.text.length).toBeGreaterThan(0);
  expect(m.text.length).toBeLessThanOrEqual(3000);
  for (const b of blocks) {
    const section = b as { type: string; text?: { text: string } };
    if (section.type === 'section') expect(section.text?.text.length ?? 0).toBeLessThanOrEqual(LIMITS.sectionText);
  }
}

describe('every KPI answer: header, figure in the text fallback with period and zone, share button, context', () => {
  const cases: Array<[string, TKpiReport, string, RegExp]> = [
    ['winrate', winRateReport(), 'Win rate', /37\.5% — 15 won \/ 40 closed/],
    ['conversion', conversionReport(), 'Lead conversion rate', /10\.0% — 50 of 500 leads became customers/],
    ['quota', quotaReport({ atOrAbove: 3, withQuota: 5 }), 'Quota attainment', /60\.0% of reps at or above quota \(3 of 5\)/],
    ['dealsize', dealSizeReport(), 'Average deal size', /\$12,000 — 10 won deals, \$120,000 in total/],
    ['revenue', revenueReport(), 'Net revenue', /\$50,000 — \$55,000 won − \$5,000 refunds/],
    ['mrr', mrrReport(), 'MRR and ARR', /MRR 300,000,000 ₫, ARR 3,600,000,000 ₫ — 30 active subscriptions/],
    ['funnel', funnelReport(), 'Sales funnel', /biggest leak Demo\/Trial → Won at 25\.0%/],
    ['plan', planReport(), 'Reverse plan', /800,000,000 ₫ needs 80 won deals and 800 leads/],
    ['leaderboard', leaderboardReport(3), 'Leaderboard', /1\. Rep 1 \$30,000; 2\. Rep 2 \$20,000; 3\. Rep 3 \$10,000/],
  ];

  test.each(cases)('%s', (_kind, report, title, figure) => {
    const m = build(report);
    expect(m.text.startsWith(`${title} (November 2026, Europe/Berlin): `)).toBe(true);
    expect(m.text).toMatch(figure);
    const blocks = blocksOf(m);
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: title, emoji: true } });
    const actions = blocks.find((b) => b.type === 'actions') as { elements: Array<{ action_id: string; value: string; text: { text: string } }> } | undefined;
    expect(actions?.elements[0]).toMatchObject({ action_id: KPI_SHARE_ACTION, value: CTX.shareValue, text: { text: 'Share in channel' } });
    const context = blocks[blocks.length - 1] as { type: string; elements: Array<{ text: string }> };
    expect(context.type).toBe('context');
    expect(context.elements[0]?.text).toContain('November 2026');
    expect(context.elements[0]?.text).toContain('Europe/Berlin');
    expect(rendered(m).split('\n')[0]).toBe(title);
    expectWithinLimits(m);
    expect(JSON.stringify(blocks)).not.toMatch(/NaN|undefined|Infinity/);
  });

  test('win rate and lead conversion rate are clearly named and distinct', () => {
    const w = rendered(build(winRateReport()));
    const c = rendered(build(conversionReport()));
    expect(w.split('\n')[0]).toBe('Win rate');
    expect(c.split('\n')[0]).toBe('Lead conversion rate');
    expect(w).toContain('Lead conversion rate (/kpi conversion) is a different figure');
    expect(c).toContain('Win rate (a different figure: won ÷ closed among deals closed in November 2026): 37.5% — 15 won / 40 closed');
  });

  test('scope other than the workspace is named in the fallback and the context line', () => {
    const report = { ...winRateReport(), scope: { kind: 'team' as const, teamId: 4 } };
    const m = build(report, { ...CTX, scopeLabel: 'team East Coast' });
    expect(m.text).toMatch(/^Win rate for team East Coast \(November 2026, Europe\/Berlin\): 37\.5%/);
    expect(rendered(m)).toContain('· team East Coast');
  });

  test('names are escaped in the fallback text too (Slack reads it as mrkdwn)', () => {
    const report = { ...winRateReport(), scope: { kind: 'rep' as const, repId: 9 } };
    const m = build(report, { ...CTX, scopeLabel: '<!channel> & co' });
    expect(m.text).toContain('Win rate for &lt;!channel&gt; &amp; co (November 2026');
    expect(JSON.stringify(m.blocks)).not.toContain('<!channel>');
  });

  test('a shared answer says who shared it and has no Share button', () => {
    const m = build(winRateReport(), { ...CTX, sharedBy: 'U0BOSS' });
    expect(blocksOf(m).some((b) => b.type === 'actions')).toBe(false);
    expect(rendered(m)).toContain('Shared by @U0BOSS');
  });
});

describe('formatting for people', () => {
  test('USD: currency symbol, thousands separators, cents only when there are some', () => {
    const text = rendered(build(quotaReport({ atOrAbove: 3, withQuota: 5 })));
    expect(text).toContain('$10,000');
    expect(text).toMatch(/\$3,379\.13/);
  });

  test('VND: no decimals, ₫ after the number', () => {
    const m = build(revenueReport({ currency: 'VND' }));
    expect(m.text).toBe('Net revenue (November 2026, Europe/Berlin): 50,000 ₫ — 55,000 ₫ won − 5,000 ₫ refunds');
    expect(JSON.stringify(m.blocks)).not.toMatch(/\d\.\d\d ₫/);
  });

  test('percentages have one decimal; comparisons use trend words', () => {
    const text = rendered(build(winRateReport()));
    expect(text).toContain('vs October 2026: 30.0% (12 won / 40 closed) — up 7.5 pts');
    expect(text).toContain('vs the average of the 3 months before: 32.3% (31 won / 96 closed) — up 5.2 pts');
    expect(text).toContain('Trend: rising');
  });
});

describe('empty data says why, never 0% or NaN', () => {
  const cases: Array<[string, TKpiReport, string]> = [
    ['winrate', winRateReport({ won: 0, lost: 0 }), 'no closed deals yet in November 2026'],
    ['conversion', conversionReport(0, 0), 'no leads yet in November 2026'],
    ['quota', quotaReport({ atOrAbove: 0, withQuota: 0, reps: 0 }), 'no rep has a quota for November 2026 yet'],
    ['dealsize', dealSizeReport({ wonCount: 0, reps: 0, oversized: 0 }), 'no won deals yet in November 2026'],
    ['revenue', revenueReport({ empty: true }), 'no revenue yet in November 2026 (no deals won, no refunds)'],
    ['mrr', mrrReport(0), 'no active subscriptions at the end of November 2026, MRR 0 ₫'],
    ['funnel', funnelReport({ counts: [0, 0, 0, 0] }), 'no deals entered the funnel yet in November 2026'],
    ['plan', planReport({ target: null }), 'no quota set for November 2026 and no target given'],
    ['leaderboard', leaderboardReport(0), 'no closed deals or quotas yet in November 2026'],
  ];
  test.each(cases)('%s', (_kind, report, why) => {
    const m = build(report);
    expect(m.text).toContain(`(November 2026, Europe/Berlin): ${why}`);
    const body = JSON.stringify(m.blocks);
    expect(body).not.toMatch(/NaN|undefined|Infinity/);
    const figure = (blocksOf(m)[1] as { text: { text: string } }).text.text;
    expect(figure).not.toMatch(/\b0\.0%|n\/a/);
    expectWithinLimits(m);
  });
});

describe("the article's worked examples", () => {
  test('500 leads, 50 won → 10.0% lead conversion, with the trend reading and up-market caveat', () => {
    const text = rendered(build(conversionReport()));
    expect(text).toContain('10.0% lead conversion — 50 of 500 leads created in November 2026 became customers');
    expect(text).toContain('look for a process, team or lead-quality problem');
    expect(text).toContain('moving up-market lowers conversion for a while');
  });

  test('quota 800,000,000 VND at 10,000,000 VND a deal and 10% → 80 deals, 800 leads', () => {
    const text = rendered(build(planReport()));
    expect(text).toContain('To reach 800,000,000 ₫ (your target) you need 80 won deals and 800 leads.');
    expect(text).toContain('average won deal 10,000,000 ₫, lead conversion rate 10.0%');
    expect(text).toContain('Still to go: 600,000,000 ₫, so 60 more won deals and 600 more leads.');
  });

  test('30 subscriptions at 10,000,000 VND → MRR 300,000,000 ₫, ARR 3,600,000,000 ₫', () => {
    const text = rendered(build(mrrReport()));
    expect(text).toContain('MRR 300,000,000 ₫ · ARR 3,600,000,000 ₫ — 30 active subscriptions at the end of November 2026');
    expect(text).toContain('up 50,000,000 ₫ (+20.0%)');
  });

  test('1,000 → 400 → 200 → 50 names Demo/Trial → Won as the biggest leak, against its trailing average', () => {
    const text = rendered(build(funnelReport()));
    expect(text).toContain('Biggest leak: Demo/Trial → Won — only 25.0% of the deals that reached Demo/Trial got to Won (50 of 200).');
    expect(text).toContain('Demo/Trial → Won is worse than usual, down 5.0 pts from its average of 30.0% over the 3 months before.');
    expect(text).toContain('→ Contacted (call): 400 — 40.0% of Lead');
  });

  test('revenue mix: three shares adding up to 100.0%', () => {
    const text = rendered(build(revenueReport()));
    const m = /New business (\d+\.\d)% · Upsell \/ cross-sell (\d+\.\d)% · Renewal (\d+\.\d)%/.exec(text);
    expect(m).not.toBeNull();
    const sum = Math.round((Number(m![1]) + Number(m![2]) + Number(m![3])) * 10);
    expect(sum).toBe(1000);
    expect(text).toContain('Shift vs October 2026: new business down 5.0 pts, upsell / cross-sell up 7.5 pts, renewal down 2.5 pts');
  });

  test('deal size: reps below the group average and oversized open deals', () => {
    const text = rendered(build(dealSizeReport()));
    expect(text).toContain('Below the average of all reps ($12,000) — they may chase small, easy deals or over-discount:');
    expect(text).toContain('• Rep 1: $5,000 (3 deals)');
    expect(text).toContain('1 oversized open deal (≥ 4× the owner\'s average won deal)');
    expect(text).toContain("most of their remaining quota gap ($120,000)");
  });

  test('deal size: the trailing average is pooled (Σwon ÷ Σcount) and named by the policy', () => {
    // $90,000 / 9 + $100,000 / 10 + $110,000 / 11 → $300,000 over 30 deals = $10,000.
    const text = rendered(build(dealSizeReport()));
    expect(text).toContain('vs the average of the 3 months before: $10,000 (30 deals) — up 20.0%');
    expect(text).toContain('Trend: growing (this period against the average of the 3 months before)');
  });
});

describe('attainment ratio bands and their advice', () => {
  test.each([
    [599, 1000, '59.9%', 'Below 60% of reps at quota: quotas look unrealistic: hire, coach, or revisit pay and targets.'],
    [600, 1000, '60.0%', 'Between 60% and 90% of reps at quota: healthy.'],
    [899, 1000, '89.9%', 'Between 60% and 90% of reps at quota: healthy.'],
    [900, 1000, '90.0%', '90% or more of reps at quota: quotas may be too easy: review target setting.'],
  ])('%i of %i reps at quota → %s', (atOrAbove, withQuota, shown, advice) => {
    const m = build(quotaReport({ atOrAbove, withQuota }));
    const text = rendered(m);
    expect(text).toContain(`${shown} of reps with a quota reached it in November 2026`);
    expect(text).toContain(advice);
    expect(m.text).toContain(shown);
  });
});

describe('Block Kit limits on the largest realistic data', () => {
  const big: Array<[string, TKpiReport]> = [
    ['leaderboard of 200 reps with 60-char names', leaderboardReport(200, true)],
    ['win rate with 200 reps', winRateReport({ won: 150, lost: 250, reps: 200, longNames: true })],
    ['quota with 200 reps', quotaReport({ atOrAbove: 120, withQuota: 180, reps: 200, longNames: true })],
    ['deal size with 200 reps and 50 oversized deals', dealSizeReport({ wonCount: 400, reps: 200, oversized: 50, longNames: true })],
    [
      '8-stage funnel',
      funnelReport({
        stages: ['lead', 'qualified', 'contacted', 'discovery', 'demo', 'proposal', 'negotiation', 'legal review and procurement'],
        counts: [100_000, 80_000, 60_000, 40_000, 30_000, 20_000, 15_000, 12_000, 4_000],
      }),
    ],
  ];
  test.each(big)('%s', (_name, report) => {
    const m = build(report, { ...CTX, shareValue: 'x'.repeat(2000) });
    expectWithinLimits(m);
  });

  test('the leaderboard of 200 reps is cut with "…and N more"', () => {
    const m = build(leaderboardReport(200, true));
    const text = rendered(m);
    const shown = text.split('\n').filter((l) => /^(\d+\.|🥇|🥈|🥉) /.test(l)).length;
    expect(shown).toBeGreaterThan(20);
    expect(text).toContain(`…and ${200 - shown} more`);
  });

  test('listSections never passes 3,000 chars per section nor the section count', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `${i}. ${'x'.repeat(200)}`);
    const sections = listSections('*Title*', lines, { maxSections: 3 });
    expect(sections).toHaveLength(3);
    for (const s of sections) expect((s as { text: { text: string } }).text.text.length).toBeLessThanOrEqual(3000);
    expect((sections[2] as { text: { text: string } }).text.text).toMatch(/…and \d+ more_$/);
    expect(listSections(null, ['a', 'b'])).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'a\nb', verbatim: true } }]);
  });
});

describe('share value', () => {
  test('round-trips and stays under 2,000 characters', () => {
    const ref = { kpi: 'plan' as const, periodInput: 'last 30 days', periodKey: 'last30-2026-11-27', anchor: new Date('2026-11-27T10:00:00Z'), scope: { kind: 'team' as const, teamId: 12 }, targetMinor: 800_000_000n };
    const value = encodeKpiShareValue(ref);
    expect(value.length).toBeLessThanOrEqual(2000);
    expect(decodeKpiShareValue(value)).toEqual(ref);
    expect(decodeKpiShareValue(encodeKpiShareValue({ ...ref, periodInput: 'q'.repeat(5000), targetMinor: null })).periodInput).toBe('');
  });

  test.each(['', 'nope', '{"v":1,"k":"bogus","p":"x","a":1,"s":"w"}', '{"v":1,"k":"winrate","p":"x","a":1,"s":"r1; DROP"}'])('rejects %j', (value) => {
    expect(() => decodeKpiShareValue(value)).toThrow(/no longer carries a KPI answer/);
  });
});

describe('renderMessageAsText', () => {
  test('header, sections, fields, context, image and buttons as a person reads them', () => {
    const text = renderMessageAsText({
      text: 'fallback',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Sales funnel' } },
        { type: 'section', text: { type: 'mrkdwn', text: '*Biggest leak:* Demo/Trial → Won for <@U1|dana> &amp; <#C1|sales> :warning:' }, fields: [{ type: 'mrkdwn', text: '*Won* 50' }, { type: 'mrkdwn', text: '_Lost_ 10' }] },
        { type: 'divider' },
        { type: 'image', image_url: 'https://quickchart.io/chart?c=%7B%7D', alt_text: 'Funnel: 1,000 Lead → 50 Won' },
        { type: 'actions', elements: [{ type: 'button', action_id: 'kpi_share', text: { type: 'plain_text', text: 'Share in channel' }, value: '{}' }] },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'November 2026 · `UTC`' }, { type: 'mrkdwn', text: 'see <https://example.com|docs>' }] },
      ],
    });
    expect(text).toBe(
      [
        'Sales funnel',
        'Biggest leak: Demo/Trial → Won for @dana & #sales ⚠️\nWon 50\nLost 10',
        '────────',
        '[chart: Funnel: 1,000 Lead → 50 Won] https://quickchart.io/chart?c=%7B%7D',
        '[Share in channel]',
        'November 2026 · UTC · see docs (https://example.com)',
      ].join('\n'),
    );
  });

  test('a message without blocks is its text', () => {
    expect(renderMessageAsText({ text: '*Hi* <@U2>' })).toBe('Hi @U2');
  });
});

describe('charts in KPI answers', () => {
  const pctx = { now: new Date('2026-11-20T12:00:00Z'), timeZone: 'Europe/Berlin', fiscalYearStartMonth: 1 };
  const period = parsePeriod('this month', pctx);
  const trailing = trailingPeriods('month', 3, period, pctx);

  test('funnel, quota and revenue get an image block under the URL limit; others and no URL get none', () => {
    const opts = { period, trailing, quickchartUrl: 'https://quickchart.example/qc' };
    const funnel = kpiChartBlock(funnelReport(), opts) as { type: string; image_url: string; alt_text: string } | null;
    expect(funnel?.type).toBe('image');
    expect(funnel?.image_url.startsWith('https://quickchart.example/qc/chart?')).toBe(true);
    expect(funnel?.image_url.length).toBeLessThan(3000);
    expect(funnel?.alt_text).toContain('biggest leak Demo/Trial → Won');
    expect(kpiChartBlock(quotaReport({ atOrAbove: 120, withQuota: 180, reps: 200, longNames: true }), opts)).not.toBeNull();
    const revenue = kpiChartBlock(revenueReport(), opts) as { alt_text: string } | null;
    expect(revenue?.alt_text).toBe('Net revenue per month: Aug 2026 $45k, Sep 2026 $45k, Oct 2026 $45k, Nov 2026 $50k.');
    expect(kpiChartBlock(winRateReport(), opts)).toBeNull();
    expect(kpiChartBlock(funnelReport(), { ...opts, quickchartUrl: null })).toBeNull();
    expect(kpiChartBlock(funnelReport(), { ...opts, quickchartUrl: 'not a url' })).toBeNull();
    expect(kpiChartBlock(funnelReport({ counts: [0, 0, 0, 0] }), opts)).toBeNull();
  });

  test('a chart inside an answer keeps it within the limits', () => {
    const chart = kpiChartBlock(funnelReport(), { period, trailing, quickchartUrl: 'https://quickchart.io' });
    const m = build(funnelReport(), { ...CTX, chart });
    expectWithinLimits(m);
    expect(rendered(m)).toMatch(/\[chart: Funnel: 1,000 Lead .*\] https:\/\/quickchart\.io\/chart\?c=/);
  });

  test.each([
    ['2026-11', 'Nov 2026'],
    ['2026-Q3', 'Q3 2026'],
    ['2026-W48', 'W48'],
    ['2026', '2026'],
    ['last 30 days', 'Oct 22 – Nov 20'],
    ['ytd', 'YTD 2026'],
  ])('short chart label of %s is %s', (input, label) => {
    expect(shortPeriodLabel(parsePeriod(input, pctx))).toBe(label);
  });
});

describe('a period that has ended is told as finished, never paced', () => {
  const DEC_5 = new Date('2026-12-05T09:00:00Z');
  const ended = <T extends TKpiReport>(r: T): T => ({ ...r, generatedAt: DEC_5 });
  const PACING = /Pace|expected by now|heading for|on track|at risk|behind|to go|so far|yet\b/;

  test('quota: "finished November 2026 at 46.6% of quota", no pace, projection or "to go"; the running month keeps its pace', () => {
    const running = rendered(build(quotaReport({ atOrAbove: 3, withQuota: 5 })));
    expect(running).toContain('Team total: 46.6% — $23,791.30 net won of $51,000 · $27,208.70 to go\nPace: behind — $30,600 expected by now (60.0% of the period gone), heading for $39,652.17 by the end');
    expect(running).toContain('• Rep 1: 20.0% — $2,000 of $10,000 · at risk');

    const past = rendered(build(ended(quotaReport({ atOrAbove: 3, withQuota: 5 }))));
    expect(past).toContain('Team total: finished November 2026 at 46.6% of quota — $23,791.30 net won of $51,000 · $27,208.70 short\n');
    expect(past).toContain('• Rep 1: 20.0% — $2,000 of $10,000\n');
    expect(past).not.toMatch(PACING);
  });

  test('quota without a quota: "had", no "yet", and no hint to set this month\'s quota for a past month', () => {
    const running = rendered(build(quotaReport({ atOrAbove: 0, withQuota: 0, reps: 0 })));
    expect(running).toContain('No rep has a quota for November 2026 yet, so there is no attainment ratio. A manager can set one with /kpi quota set @rep 50k month.');
    const past = build(ended(quotaReport({ atOrAbove: 0, withQuota: 0, reps: 0 })));
    expect(past.text).toBe('Quota attainment (November 2026, Europe/Berlin): no rep had a quota for November 2026');
    expect(rendered(past)).toContain('No rep had a quota for November 2026, so there is no attainment ratio.');
    expect(rendered(past)).not.toContain('/kpi quota set');
  });

  test('an upcoming period has no pace line (nothing is expected before it starts)', () => {
    const upcoming = rendered(build({ ...quotaReport({ atOrAbove: 3, withQuota: 5 }), generatedAt: new Date('2026-10-20T00:00:00Z') }));
    expect(upcoming).not.toMatch(/Pace|expected by now|heading for/);
  });

  test('plan: "November 2026 closed at … short of …", and what reaching it needed; no "still to go"', () => {
    const running = rendered(build(planReport()));
    expect(running).toContain('Still to go: 600,000,000 ₫');
    const m = build(ended(planReport()));
    expect(m.text).toBe('Reverse plan (November 2026, Europe/Berlin): 800,000,000 ₫ needed 80 won deals and 800 leads');
    const past = rendered(m);
    expect(past).toContain('Reaching 800,000,000 ₫ (your target) needed 80 won deals and 800 leads.');
    expect(past).toContain('November 2026 closed at 200,000,000 ₫ net won, 600,000,000 ₫ short of 800,000,000 ₫.');
    expect(past).not.toMatch(PACING);
    const reached = rendered(build(ended(planReport({ target: 150_000_000n }))));
    expect(reached).toContain('November 2026 closed at 200,000,000 ₫ net won: target reached.');
  });

  test('leaderboard: the leader "finished first in" a past period', () => {
    expect(rendered(build(leaderboardReport(3)))).toContain('Rep 1 leads November 2026 with $30,000 net won');
    expect(rendered(build(ended(leaderboardReport(3))))).toContain('Rep 1 finished first in November 2026 with $30,000 net won');
  });

  test.each([
    ['winrate', winRateReport({ won: 0, lost: 0 }), 'no closed deals in November 2026'],
    ['conversion', conversionReport(0, 0), 'no leads in November 2026'],
    ['dealsize', dealSizeReport({ wonCount: 0, reps: 0, oversized: 0 }), 'no won deals in November 2026'],
    ['revenue', revenueReport({ empty: true }), 'no revenue in November 2026 (no deals won, no refunds)'],
    ['funnel', funnelReport({ counts: [0, 0, 0, 0] }), 'no deals entered the funnel in November 2026'],
    ['leaderboard', leaderboardReport(0), 'no closed deals or quotas in November 2026'],
  ] as Array<[string, TKpiReport, string]>)('%s: an empty past period says "no … in", not "no … yet"', (_kind, report, phrase) => {
    const m = build(ended(report));
    expect(m.text).toContain(phrase);
    expect(rendered(m)).not.toMatch(/\byet\b/);
  });

  test('dealsize: oversized deals of a past period are "open at the end of November 2026", with the unmet quota, not a gap to close', () => {
    const running = rendered(build(dealSizeReport({ wonCount: 10, oversized: 2 })));
    expect(running).toContain('2 oversized open deals');
    expect(running).toContain("don't count on them to make the number");
    expect(running).toContain('most of their remaining quota gap');
    const report = { ...dealSizeReport({ wonCount: 10, oversized: 2 }), generatedAt: DEC_5, openDealsAsOf: NOV_END };
    const past = rendered(build(report));
    expect(past).toContain('2 oversized deals were open at the end of November 2026 (≥ 4× the owner\'s average won deal): such deals have longer cycles and lower close rates. 2 deals were most of a rep\'s unmet quota.');
    expect(past).toContain('Oversized deals open at the end of November 2026');
    expect(past).toContain('most of their unmet quota ($120,000)');
    expect(past).not.toMatch(/don't count on them|remaining quota gap|Oversized open deals/);
  });
});

const NOV_END = new Date('2026-12-01T00:00:00Z');
