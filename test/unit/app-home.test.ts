import { describe, expect, test } from 'vitest';
import type { View } from '@slack/types';
import type { THomeOpenDeal, THomeSnapshot } from '../../src/domain/home/load-home.js';
import {
  classifyAttainmentRatio,
  computeAttainmentRatio,
  computeElapsedShare,
  computePacing,
  computeRepAttainment,
  computeTeamAttainment,
  computeWinRate,
} from '../../src/domain/metrics/index.js';
import { periodOf } from '../../src/domain/periods.js';
import { buildAppHome, HOME_LOG_DEAL_ACTION, HOME_MAX_DEALS, HOME_RECORD_REFUND_ACTION, HOME_SET_QUOTA_ACTION } from '../../src/slack/blocks/app-home.js';
import { findViewViolations, LIMITS } from '../../src/slack/blocks/limits.js';
import { englishLeft } from '../helpers/english-words.js';

const now = new Date('2026-11-16T09:00:00Z');
const ctx = { now, timeZone: 'Asia/Ho_Chi_Minh', fiscalYearStartMonth: 1 };
const month = periodOf('month', now, ctx);
const quarter = periodOf('quarter', now, ctx);

function progress(period: typeof month, netWonMinor: bigint, quotaMinor: bigint | null) {
  const elapsedShare = computeElapsedShare(period, now);
  return {
    period,
    quotaMinor,
    quotaMethod: quotaMinor === null ? null : ('inside' as const),
    quotaKind: quotaMinor === null ? null : period.kind,
    netWonMinor,
    attainment: computeRepAttainment({ netWonMinor, quotaMinor }),
    pacing: computePacing({ netWonMinor, quotaMinor, elapsedShare }),
  };
}

function deal(i: number, over: Partial<THomeOpenDeal> = {}): THomeOpenDeal {
  return { dealId: i + 1, customer: `Customer ${i + 1}`, amountMinor: BigInt(1_000_000 - i * 1000), stage: 'proposal', createdAt: now, oversize: null, ...over };
}

function snapshot(over: Partial<THomeSnapshot> = {}): THomeSnapshot {
  const reps = [
    { netWonMinor: 60n, quotaMinor: 50n },
    { netWonMinor: 10n, quotaMinor: 50n },
    { netWonMinor: 55n, quotaMinor: 50n },
  ];
  const ratio = computeAttainmentRatio(reps);
  return {
    viewer: { repId: 1, slackUserId: 'U1', name: 'dana', role: 'rep', canSetQuotas: false },
    timeZone: 'Asia/Ho_Chi_Minh',
    currency: 'USD',
    generatedAt: now,
    oversizeMultiplePct: 400,
    paceCutoffs: { onTrackBp: 9500, atRiskBp: 7500 },
    month: progress(month, 0n, null),
    quarter: null,
    gapPlan: null,
    openDeals: { total: 0, totalMinor: 0n, shown: [] },
    team: {
      scope: { kind: 'team', teamId: 3, name: 'North' },
      period: month,
      winRate: computeWinRate({ won: 15, lost: 25 }),
      netRevenue: { wonMinor: 13_000_000n, refundsMinor: 1_000_000n, netMinor: 12_000_000n },
      ratio,
      band: classifyAttainmentRatio(ratio.ratio),
      total: computeTeamAttainment({ members: reps }),
    },
    ...over,
  };
}

const text = (v: View) => JSON.stringify(v.blocks);
const actionIds = (v: View) =>
  (v.blocks as Array<{ type: string; elements?: Array<{ action_id?: string }> }>).filter((b) => b.type === 'actions').flatMap((b) => (b.elements ?? []).map((e) => e.action_id));

describe('buildAppHome', () => {
  test('a new rep sees the friendly empty state, the period, the time zone and a Log a deal button', () => {
    const v = buildAppHome(snapshot());
    expect(v.type).toBe('home');
    expect(findViewViolations(v)).toEqual([]);
    const t = text(v);
    expect(t).toContain('No quota set for you this month — ask your manager to run `/kpi quota set @you 50k`');
    expect(t).toContain('No open deals');
    expect(t).toContain('November 2026');
    expect(t).toContain('Asia/Ho_Chi_Minh');
    expect(actionIds(v)).toEqual([HOME_LOG_DEAL_ACTION, HOME_RECORD_REFUND_ACTION]);
  });

  test('managers and admins also get Set quotas', () => {
    const v = buildAppHome(snapshot({ viewer: { repId: 1, slackUserId: 'U1', name: 'mia', role: 'manager', canSetQuotas: true } }));
    expect(actionIds(v)).toEqual([HOME_LOG_DEAL_ACTION, HOME_RECORD_REFUND_ACTION, HOME_SET_QUOTA_ACTION]);
  });

  test('quota progress with pace and the expected-to-date figure, and the quarter when set', () => {
    const m = progress(month, 1_000_000n, 5_000_000n);
    const q = progress(quarter, 9_000_000n, 15_000_000n);
    expect(m.pacing.status).toBe('at-risk');
    const v = buildAppHome(snapshot({ month: m, quarter: q }));
    const t = text(v);
    expect(t).toContain('*$10,000* won of *$50,000*');
    expect(t).toContain('20.0% attained');
    expect(t).toContain(':red_circle: *At risk*: expected by now');
    expect(t).toContain(`expected by now ${'$'}${(Number(m.pacing.expectedToDateMinor) / 100).toLocaleString('en-US', { maximumFractionDigits: 2 })}`);
    expect(t).toContain('$40,000 to go');
    expect(t).toContain('My quota: Q4 2026');
    expect(t).toContain('on track at 95%+');
    expect(t).not.toContain('No quota set for you');
    expect(findViewViolations(v)).toEqual([]);
  });

  test.each([
    ['on track', 4_000_000n, ':large_green_circle: *On track*'],
    ['behind', 2_000_000n, ':large_yellow_circle: *Behind*'],
    ['met', 6_000_000n, ':tada: *Quota met.*'],
  ])('pace reads %s', (_name, won, label) => {
    // Mid-November: about half the month gone, so ≈ $25,000 of a $50,000 quota is expected by now.
    expect(text(buildAppHome(snapshot({ month: progress(month, won, 5_000_000n) })))).toContain(label);
  });

  test('a quota pro-rated from a quarterly one says so', () => {
    const m = { ...progress(month, 0n, 3_300_000n), quotaMethod: 'prorated' as const, quotaKind: 'quarter' };
    expect(text(buildAppHome(snapshot({ month: m })))).toContain('pro-rated from your quarterly quota');
  });

  test('deals needed to close the gap, from my averages or the team’s', () => {
    const m = progress(month, 1_000_000n, 5_000_000n);
    const basisRange = { start: month.start, end: month.end };
    const mine = buildAppHome(snapshot({ month: m, gapPlan: { remainingMinor: 4_000_000n, dealsNeeded: 4, leadsNeeded: 40, averageDealMinor: 1_000_000n, conversionRate: 0.1, basis: 'rep', basisRange, basisPeriods: { count: 3, kind: 'month' }, reason: null } }));
    expect(text(mine)).toContain('*To close the gap* ($40,000): about *4 deals* at your average won deal of the 3 months before, $10,000 (≈ 40 leads at 10.0% lead conversion)');
    const team = buildAppHome(snapshot({ month: m, gapPlan: { remainingMinor: 4_000_000n, dealsNeeded: 1, leadsNeeded: null, averageDealMinor: 5_000_000n, conversionRate: null, basis: 'team', basisRange, basisPeriods: { count: 3, kind: 'month' }, reason: null } }));
    expect(text(team)).toContain("about *1 deal* at your team's average won deal of the 3 months before, $50,000.");
    const none = buildAppHome(snapshot({ month: m, gapPlan: { remainingMinor: 4_000_000n, dealsNeeded: null, leadsNeeded: null, averageDealMinor: null, conversionRate: null, basis: 'workspace', basisRange, basisPeriods: { count: 3, kind: 'month' }, reason: 'no won deals' } }));
    expect(text(none)).toContain('no won deals in the 3 months before to estimate');
  });

  test('an oversized deal carries the warning, and most of the gap when it does', () => {
    const big = deal(0, {
      customer: 'Megacorp',
      amountMinor: 4_500_000n,
      oversize: { multiple: 4.5, baselineMinor: 1_000_000n, baselineSource: 'rep', carriesMostOfGap: true, gapMinor: 4_000_000n },
    });
    const teamBase = deal(1, { customer: 'Bigco', amountMinor: 2_000_000n, oversize: { multiple: 8, baselineMinor: 250_000n, baselineSource: 'team', carriesMostOfGap: false, gapMinor: null } });
    const v = buildAppHome(snapshot({ month: progress(month, 1_000_000n, 5_000_000n), openDeals: { total: 2, totalMinor: 6_500_000n, shown: [big, teamBase] } }));
    const t = text(v);
    expect(t).toContain('*Megacorp* · $45,000 · Proposal');
    expect(t).toContain(':warning: *Oversized:* 4.5× your average won deal ($10,000)');
    expect(t).toContain('carries most of your remaining gap ($40,000)');
    expect(t).toContain("8.0× the team's average won deal ($2,500)");
    expect(t.match(/carries most of your remaining gap/g)).toHaveLength(1);
    expect(t).toContain('My open deals*: 2 worth $65,000, biggest first');
  });

  test('200 open deals with long names: 15 listed, the rest counted, within every view limit', () => {
    const shown = Array.from({ length: 200 }, (_, i) =>
      deal(i, {
        customer: `${'Very Long Customer Name & <Partners> '.repeat(20)}${i}`,
        oversize: i % 3 === 0 ? { multiple: 12.3456, baselineMinor: 10_000n, baselineSource: 'team', carriesMostOfGap: true, gapMinor: 99_999_999_999n } : null,
      }),
    );
    const v = buildAppHome(
      snapshot({
        viewer: { repId: 1, slackUserId: 'U1', name: 'dana', role: 'admin', canSetQuotas: true },
        month: progress(month, 1_000_000n, 5_000_000n),
        quarter: progress(quarter, 1_000_000n, 15_000_000n),
        openDeals: { total: 200, totalMinor: 180_000_000n, shown },
      }),
    );
    expect(findViewViolations(v)).toEqual([]);
    expect(v.blocks.length).toBeLessThanOrEqual(LIMITS.viewBlocks);
    const t = text(v);
    expect(t).toContain('…and 185 more open deals');
    const dealSections = (v.blocks as Array<{ type: string; text?: { text: string } }>).filter((b) => b.type === 'section' && b.text?.text.startsWith('*Very Long'));
    expect(dealSections).toHaveLength(HOME_MAX_DEALS);
    expect(t).not.toContain('<Partners>');
    expect(t).toContain('&lt;Partners&gt;');
  });

  test('team headline: win rate, net revenue, attainment ratio with its band and advice', () => {
    const t = text(buildAppHome(snapshot()));
    expect(t).toContain('North team: November 2026');
    expect(t).toContain('37.5% (15 won / 40 closed)');
    expect(t).toContain('$120,000 (after $10,000 refunds)');
    expect(t).toContain('66.7%: 2 of 3 reps at 100%+, healthy (60%–90%)');
    const low = computeAttainmentRatio([{ netWonMinor: 1n, quotaMinor: 5n }]);
    const easy = buildAppHome(snapshot({ team: { ...snapshot().team, scope: { kind: 'workspace' }, ratio: low, band: classifyAttainmentRatio(low.ratio) } }));
    expect(text(easy)).toContain('Whole workspace');
    expect(text(easy)).toContain('below the healthy band');
    expect(text(easy)).toContain('quotas look unrealistic');
  });

  test('a workspace without quotas or closed deals reads plainly', () => {
    const ratio = computeAttainmentRatio([]);
    const t = text(
      buildAppHome(
        snapshot({
          team: {
            scope: { kind: 'workspace' },
            period: month,
            winRate: computeWinRate({ won: 0, lost: 0 }),
            netRevenue: { wonMinor: 0n, refundsMinor: 0n, netMinor: 0n },
            ratio,
            band: classifyAttainmentRatio(ratio.ratio),
            total: computeTeamAttainment({ members: [] }),
          },
        }),
      ),
    );
    expect(t).toContain('no closed deals yet');
    expect(t).toContain('no rep has a quota yet');
    expect(t).toContain('no quota set');
  });
});

describe('buildAppHome in Vietnamese and Chinese', () => {
  /** The texts a reader sees (every `text` of the view), without ids and keys. */
  const shown = (v: View) => {
    const texts: string[] = [];
    JSON.stringify(v.blocks, (k, val: unknown) => {
      if (k === 'text' && typeof val === 'string') texts.push(val);
      return val;
    });
    return texts.join('\n');
  };
  const basisRange = { start: month.start, end: month.end };
  /** Every branch with words: a pro-rated quota, a quarter met, the gap plan, oversized deals, more deals than shown, a team band. */
  function rich(): THomeSnapshot {
    const big = deal(0, { customer: 'Megacorp', amountMinor: 4_500_000n, oversize: { multiple: 4.5, baselineMinor: 1_000_000n, baselineSource: 'rep', carriesMostOfGap: true, gapMinor: 4_000_000n } });
    const teamBase = deal(1, { customer: 'Bigco', amountMinor: 2_000_000n, stage: 'demo', oversize: { multiple: 8, baselineMinor: 250_000n, baselineSource: 'team', carriesMostOfGap: false, gapMinor: null } });
    return snapshot({
      viewer: { repId: 1, slackUserId: 'U1', name: 'dana', role: 'manager', canSetQuotas: true },
      month: { ...progress(month, 1_000_000n, 5_000_000n), quotaMethod: 'prorated' as const, quotaKind: 'quarter' },
      quarter: progress(quarter, 9_000_000n, 6_000_000n),
      gapPlan: { remainingMinor: 4_000_000n, dealsNeeded: 4, leadsNeeded: 40, averageDealMinor: 1_000_000n, conversionRate: 0.1, basis: 'team', basisRange, basisPeriods: { count: 3, kind: 'month' }, reason: null },
      openDeals: { total: 20, totalMinor: 6_500_000n, shown: [big, teamBase] },
    });
  }

  test('Vietnamese: Vietnamese words and numbers in every branch, no English left', () => {
    const v = buildAppHome(rich(), { locale: 'vi' });
    expect(findViewViolations(v)).toEqual([]);
    const t = text(v);
    expect(t).toContain('(chia theo tỷ lệ từ chỉ tiêu quý của bạn)');
    expect(t).toContain(':tada: *Đã đạt chỉ tiêu*');
    expect(t).toContain('cần khoảng *4 đơn* theo giá trị đơn đã chốt trung bình của nhóm bạn trong 3 tháng trước đó là 10.000 US$ (≈ 40 khách hàng tiềm năng với tỷ lệ chuyển đổi 10,0%)');
    expect(t).toContain(':warning: *Đơn quá lớn:* 4,5× giá trị đơn đã chốt trung bình của bạn (10.000 US$)');
    expect(t).toContain('*Bigco* · 20.000 US$ · Trình diễn/Dùng thử');
    expect(t).toContain('…và 18 đơn đang mở khác.');
    expect(t).toContain('*Nhóm North: tháng 11/2026*');
    expect(englishLeft(shown(v), ['Megacorp', 'Bigco', 'North', 'Customer'])).toEqual([]);
  });

  test('Chinese: Chinese words and numbers in every branch, no English left', () => {
    const v = buildAppHome(rich(), { locale: 'zh-CN' });
    expect(findViewViolations(v)).toEqual([]);
    const t = text(v);
    expect(t).toContain('（按你的季度配额折算）');
    expect(t).toContain('按你所在团队此前 3 个月的平均客单价 US$10,000，大约需要 *4 单*');
    expect(t).toContain('*超大商机：* 是你平均赢单金额（US$10,000）的 4.5 倍');
    expect(t).toContain('*North 团队：2026年11月*');
    expect(englishLeft(shown(v), ['Megacorp', 'Bigco', 'North', 'Customer'])).toEqual([]);
  });
});
