import { describe, expect, test } from 'vitest';
import { computeTopMovers } from '../../src/domain/digests/top-movers.js';
import { parseDigestKpis, shortWeekLabel } from '../../src/domain/digests/build-weekly-digest.js';
import {
  arrowMoney,
  arrowPercent,
  arrowPoints,
  buildWeeklyDigestMessage,
  DIGEST_MESSAGE_BUDGET,
} from '../../src/slack/blocks/digest.js';
import type { TDigestKpi, TWeeklyDigestData } from '../../src/domain/digests/digest-data.js';
import { findLimitViolations, LIMITS } from '../../src/slack/blocks/limits.js';
import { digestFixture as fixture } from '../helpers/digest-fixtures.js';

type TBlock = { type: string; text?: { text: string }; elements?: Array<{ text?: string }>; image_url?: string; alt_text?: string };
const blocksOf = (data: TWeeklyDigestData) => buildWeeklyDigestMessage(data).blocks as unknown as TBlock[];
const allText = (blocks: TBlock[]) => blocks.map((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => e.text ?? '')].join('\n')).join('\n');

describe('weekly digest blocks', () => {
  test.each([
    ['200 reps, every KPI, 200 alerts', 200, {}],
    ['200 reps, late, preview', 200, { late: true, preview: true }],
    ['200 reps, 1,000 alerts', 200, { alerts: 1000 }],
    ['1 rep', 1, {}],
    ['no reps, no alerts', 0, { alerts: 0 }],
    ['200 reps, no charts', 200, { quickchartUrl: null }],
    ['200 reps, only win rate', 200, { kpis: ['winrate'] as TDigestKpi[] }],
  ])('%s: within Block Kit limits and the message budget', (_name, reps, opts) => {
    const { text, blocks } = buildWeeklyDigestMessage(fixture(reps, opts));
    expect(findLimitViolations(blocks!)).toEqual([]);
    expect(blocks!.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
    expect(JSON.stringify(blocks).length).toBeLessThanOrEqual(DIGEST_MESSAGE_BUDGET);
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text).toContain('week of Nov 23, 2026');
    expect(text).toContain('Europe/Berlin');
  });

  test('header names the week and the zone; the context names scope and zone', () => {
    const blocks = blocksOf(fixture(200));
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: 'Weekly sales digest — week of Nov 23, 2026 (Europe/Berlin)' } });
    expect(allText([blocks[1]!])).toContain('all reps · weeks run Monday–Sunday in Europe/Berlin');
  });

  test('each subscribed KPI compares last week with the week before and the average of the 4 weeks before (the policy\'s words)', () => {
    const t = allText(blocksOf(fixture(200)));
    expect(t).toContain('*Net revenue* $12,300,678 ($12,345,678 won − $45,000 refunds)\n↑ 19.9% vs the week before ($10,257,900) · ↑ 17.1% vs the average of the 4 weeks before ($10,500,000)');
    expect(t).toMatch(/\*Win rate\* 22\.0% \(22 won \/ 100 closed\)\n↓ 8\.0 pts vs the week before \(30\.0%\) · ↓ 13\.5 pts vs the average of the 4 weeks before \(35\.5%\)/);
    expect(t).toMatch(/\*Lead conversion rate\* 10\.0% \(50 of 500 leads won\)/);
    expect(t).toMatch(/\*Average deal size\* \$561,167\.18 \(22 won\)\n↑ 87\.1% vs the week before \(\$300,000\) · ↑ 110\.4% vs the average of the 4 weeks before \(\$266,666\.67\)/);
    expect(t).toMatch(/100 of 200 reps below the group average/);
    expect(t).toMatch(/\*Sales funnel\* 1,200 entered → 12 won \(1\.0%\)/);
    expect(t).toMatch(/Biggest leak: Proposal → Won 10\.0% \(↓ 23\.3 pts vs its average of the 4 weeks before, 33\.3%\)/);
    expect(t).toMatch(/\*Sales funnel\* .*\n.* · ↓ 2\.0 pts vs the average of the 4 weeks before \(3\.0%\)/);
    expect(t).toMatch(/\*MRR\* \$30,000,000 \(ARR \$360,000,000, 300 subscriptions\)\n↑ \$1,000,000 vs the week before \(\$29,000,000\) · ↑ \$2,000,000 vs the average of the 4 weeks before \(\$28,000,000\)/);
    expect(t).not.toContain('4-week average');
    expect(t).toMatch(/\*Quota attainment\* [\d.]+% .*pro-rated to the week\)\n→ 0\.0 pts vs the week before/);
  });

  test('month- and quarter-to-date pacing with the attainment ratio band', () => {
    const t = allText(blocksOf(fixture(200)));
    expect(t).toMatch(/\*Pacing against quota\*\n• \*November 2026\* to date \(97% elapsed\): \$[\d,]+ of \$10,000,000,000/);
    expect(t).toMatch(/• \*Q4 2026 \(Oct 1 – Dec 31\)\* to date \(66% elapsed\)/);
    expect(t).toMatch(/Attainment ratio [\d.]+% \(\d+ of 200 reps at 100%\+\), (below|inside|above) the 60%–90% band/);
  });

  test('top movers: three up and three down', () => {
    const t = allText(blocksOf(fixture(200)));
    const m = /\*Top movers\* \(net won vs the week before\)\n↑ (.*)\n↓ (.*)/.exec(t);
    expect(m).not.toBeNull();
    expect(m![1]!.split(' · ')).toHaveLength(3);
    expect(m![2]!.split(' · ')).toHaveLength(3);
  });

  test('three charts with alt text and URLs under 3,000 characters; none without a QuickChart URL', () => {
    const images = blocksOf(fixture(200)).filter((b) => b.type === 'image');
    expect(images).toHaveLength(3);
    for (const img of images) {
      expect(img.image_url!.length).toBeLessThan(3000);
      expect(img.image_url!.startsWith('https://quickchart.io/chart?')).toBe(true);
      expect(img.alt_text!.length).toBeGreaterThan(20);
    }
    expect(images[0]!.alt_text).toMatch(/^Net revenue per week, last 12 weeks/);
    expect(images[1]!.alt_text).toMatch(/^Funnel: /);
    expect(images[2]!.alt_text).toMatch(/^Attainment: \d+ of 200 reps at or above 100%/);
    expect(blocksOf(fixture(200, { quickchartUrl: null })).filter((b) => b.type === 'image')).toEqual([]);
  });

  test('alerts come last, new ones marked, the long list cut with a count', () => {
    const blocks = blocksOf(fixture(200));
    const alerts = blocks[blocks.length - 2]!;
    expect(alerts.text!.text).toMatch(/^\*Alerts\* \(100 new, 100 still active · 2 snoozed\)\n:rotating_light: \*Average deal below the group\*/);
    expect(alerts.text!.text).toMatch(/…and \d+ more$/);
    expect(allText(blocksOf(fixture(3, { alerts: 0 })))).toContain('*Alerts*: none this week · 2 snoozed.');
  });

  test.each([
    [false, false, null, null],
    [true, false, 'Posted late because the app was down; scheduled for Mon, Nov 30, 2026 09:00 (Europe/Berlin).', null],
    [false, true, null, 'Preview'],
  ])('late %s, preview %s: notes in blocks and text', (late, preview, lateNote, previewNote) => {
    const data = fixture(5, { late, preview });
    const { text } = buildWeeklyDigestMessage(data);
    const t = allText(blocksOf(data));
    if (lateNote) {
      expect(t).toContain(lateNote);
      expect(text).toContain(lateNote);
    } else expect(t).not.toContain('Posted late');
    if (previewNote) {
      expect(t).toContain('*Preview* — only you can see this');
      expect(text.startsWith('[Preview] ')).toBe(true);
    } else expect(text.startsWith('[Preview]')).toBe(false);
  });

  test('the fallback text states the headline figures, the period and the zone', () => {
    const { text } = buildWeeklyDigestMessage(fixture(200));
    expect(text).toMatch(/^Weekly sales digest — week of Nov 23, 2026 \(Europe\/Berlin\), all reps: /);
    for (const part of ['net revenue $12,300,678 (↑', 'win rate 22.0%', 'lead conversion 10.0%', 'average deal $561,167.18', 'funnel 1.0% won', 'MRR $30,000,000', 'November 2026 to date', '200 alerts']) {
      expect(text).toContain(part);
    }
  });

  test('only the subscribed KPIs are shown', () => {
    const t = allText(blocksOf(fixture(20, { kpis: ['winrate', 'funnel'] })));
    expect(t).toContain('*Win rate*');
    expect(t).toContain('*Sales funnel*');
    expect(t).not.toContain('*Net revenue*');
    expect(t).not.toContain('*MRR*');
  });
});

describe('digest wording helpers', () => {
  test.each([
    [0.2, '↑ 20.0%'],
    [-0.05, '↓ 5.0%'],
    [0.0001, '→ 0.0%'],
    [null, null],
  ])('arrowPercent(%s) = %s', (x, want) => expect(arrowPercent(x)).toBe(want));

  test.each([
    [0.025, '↑ 2.5 pts'],
    [-0.01, '↓ 1.0 pt'],
    [0, '→ 0.0 pts'],
    [null, null],
  ])('arrowPoints(%s) = %s', (x, want) => expect(arrowPoints(x)).toBe(want));

  test.each([
    [100_000n, '↑ $1,000'],
    [-25_000n, '↓ $250'],
    [0n, '→ $0'],
  ])('arrowMoney(%s) = %s', (x, want) => expect(arrowMoney(x, 'USD')).toBe(want));

  test.each([
    ['quota,winrate,dealsize,revenue,funnel', ['revenue', 'winrate', 'dealsize', 'quota', 'funnel']],
    ['mrr, Conversion ,bogus', ['conversion', 'mrr']],
    ['', ['revenue', 'winrate', 'conversion', 'dealsize', 'quota', 'funnel', 'mrr']],
  ])('parseDigestKpis(%j)', (input, want) => expect(parseDigestKpis(input)).toEqual(want));

  test.each([
    [{ label: 'week of Nov 23, 2026', key: '2026-W48' }, 'Nov 23'],
    [{ label: 'week of Jan 5, 2026', key: '2026-W02' }, 'Jan 5'],
    [{ label: 'odd', key: '2026-W02' }, '2026-W02'],
  ])('shortWeekLabel(%o) = %s', (p, want) => expect(shortWeekLabel(p)).toBe(want));

  test('top movers: up and down, zero changes left out, reps missing in one week count 0', () => {
    const a = { repId: 1, name: 'Ana', slackUserId: null, teamId: null };
    const b = { repId: 2, name: 'Bob', slackUserId: null, teamId: null };
    const c = { repId: 3, name: 'Cy', slackUserId: null, teamId: null };
    const m = computeTopMovers({ current: [{ rep: a, netWonMinor: 500n }, { rep: b, netWonMinor: 100n }, { rep: c, netWonMinor: 7n }], previous: [{ rep: b, netWonMinor: 400n }, { rep: c, netWonMinor: 7n }] });
    expect(m.up.map((x) => [x.rep.name, x.deltaMinor])).toEqual([['Ana', 500n]]);
    expect(m.down.map((x) => [x.rep.name, x.deltaMinor])).toEqual([['Bob', -300n]]);
  });
});

describe('digest wording follows whether a period has ended', () => {
  const oversized = (data: TWeeklyDigestData, asOf: Date): TWeeklyDigestData => {
    const deal = { dealId: 1, ownerId: 1, ownerName: 'Rep 1', ownerSlackUserId: null, ownerTeamId: null, customer: 'Mega', amountMinor: 10_000_000n, stage: 'proposal', maxStageIndex: 3, createdAt: new Date('2026-11-02T00:00:00Z') };
    const flag = { deal, baselineMinor: 1_000_000n, baselineSource: 'rep' as const, multiple: 10, gapMinor: null, carriesMostOfGap: false };
    return { ...data, dealsize: { ...data.dealsize, oversizedDeals: [flag, { ...flag, deal: { ...deal, dealId: 2 } }], openDealsAsOf: asOf } };
  };

  test('oversized deals say whether they are open now or were open at the end of the week', () => {
    const data = fixture(3);
    expect(allText(blocksOf(oversized(data, data.generatedAt)))).toContain('2 deals ≥ 4× the usual size are open now');
    expect(allText(blocksOf(oversized(data, new Date('2026-11-30T00:00:00Z'))))).toContain('2 deals ≥ 4× the usual size were open at the end of the week');
  });

  test('a pacing period that has ended is "finished at …", with no expected-by-now or pace status', () => {
    const data = fixture(3);
    const [mtd, qtd] = data.pacing;
    const over = { ...data, generatedAt: new Date('2026-12-02T09:00:00Z'), pacing: [{ ...mtd!, report: { ...mtd!.report, generatedAt: new Date('2026-12-02T09:00:00Z') } }, qtd!] };
    const t = allText(blocksOf(over));
    expect(t).toMatch(/• \*November 2026\* \(ended\): finished at [\d.]+% of quota — \$[\d,]+ of \$[\d,]+/);
    const novLine = t.split('\n').find((l) => l.includes('*November 2026* (ended)')) ?? '';
    expect(novLine).not.toMatch(/expected|on track|behind|at risk|to date/);
    // The quarter still runs: it keeps its pace.
    expect(t).toMatch(/• \*Q4 2026 \(Oct 1 – Dec 31\)\* to date \(66% elapsed\): .*expected \$[\d,]+ by now/);
    expect(buildWeeklyDigestMessage(over).text).toMatch(/November 2026 finished at [\d.]+% of quota/);
  });
});
