import type { View } from '@slack/types';
import { describe, expect, test } from 'vitest';
import type { Deal } from '../../src/generated/sqlite/client.js';
import { attainmentChart } from '../../src/charts/configs.js';
import { buildChartBlock } from '../../src/charts/chart-url.js';
import { extractDealHints } from '../../src/domain/deals/extract-deal-hints.js';
import { parseDealCommand, readableSlackTokens, slackTextToPlain } from '../../src/domain/deals/parse-deal-command.js';
import type { THomeSnapshot } from '../../src/domain/home/load-home.js';
import {
  classifyAttainmentRatio,
  computeAttainmentRatio,
  computeElapsedShare,
  computePacing,
  computeRepAttainment,
  computeTeamAttainment,
  computeWinRate,
  type TKpiReport,
} from '../../src/domain/metrics/index.js';
import { periodOf } from '../../src/domain/periods.js';
import { AppError } from '../../src/errors.js';
import { buildAlertMessage, buildAlertOverflowMessage, buildAlertStatusMessage, buildSnoozedMessage } from '../../src/slack/blocks/alerts.js';
import { buildAppHome } from '../../src/slack/blocks/app-home.js';
import { buildDealConfirmation, buildUndoConfirmation, buildWonAnnouncement } from '../../src/slack/blocks/deal-messages.js';
import { buildDealModal } from '../../src/slack/blocks/deal-modal.js';
import { buildWeeklyDigestMessage } from '../../src/slack/blocks/digest.js';
import { buildKpiMessage } from '../../src/slack/blocks/kpi/index.js';
import { cleanText, escapeMrkdwn } from '../../src/slack/blocks/limits.js';
import { buildErrorMessage, context, header, section, withTypedText } from '../../src/slack/blocks/messages.js';
import { buildQuotaConfirmation, buildTeamCreated, buildTeamList, buildTeamMemberAdded } from '../../src/slack/blocks/quota-messages.js';
import { mrkdwnToText } from '../../src/slack/blocks/render-text.js';
import type { SlackMessage } from '../../src/slack/gateway.js';
import { digestFixture } from '../helpers/digest-fixtures.js';
import { BIDI_OR_CONTROL, collectTexts, liveMarkup } from '../helpers/live-markup.js';
import { CTX, dealSizeReport, leaderboardReport, quotaReport, winRateReport } from '../helpers/kpi-fixtures.js';

/**
 * Issue #7 item 6: user text stays text. Every name a person typed (customer, lost reason, team,
 * rep names from CSV imports, the "You typed" echo) goes through every surface; no mention, link
 * or date token may survive in anything Slack reads as mrkdwn (the top-level `text` included), the
 * name must still read as typed, and nothing is escaped twice.
 */

/** [name as stored, how it must read on screen]. */
const HOSTILE: ReadonlyArray<readonly [string, string]> = [
  ['<!channel>', '<!channel>'],
  ['<!here> now', '<!here> now'],
  ['<!everyone>', '<!everyone>'],
  ['<@UEVIL01>', '<@UEVIL01>'],
  ['<#CEVIL01>', '<#CEVIL01>'],
  ['<!subteam^SEVIL01>', '<!subteam^SEVIL01>'],
  ['<https://evil.example|Acme>', '<https://evil.example|Acme>'],
  ['<mailto:x@evil.example|Acme>', '<mailto:x@evil.example|Acme>'],
  ['<!date^1392734382^{date}|Acme>', '<!date^1392734382^{date}|Acme>'],
  ['Acme &lt; Co', 'Acme &lt; Co'],
  ['AT&T <b>', 'AT&T <b>'],
  ['Acme\u202Eevil\u2066Co\u0007', 'AcmeevilCo'],
];

function expectSafe(surface: SlackMessage | View, reads: string | null): void {
  const { mrkdwn, plain } = collectTexts(surface);
  expect(mrkdwn.length).toBeGreaterThan(0);
  for (const m of mrkdwn) {
    expect(liveMarkup(m)).toEqual([]);
    expect(m).not.toMatch(/&amp;(lt|gt|amp);(?!\s*Co)/); // no double escaping (but a typed `&lt;` shows as `&amp;lt;`)
    expect(m).not.toMatch(BIDI_OR_CONTROL);
  }
  for (const p of plain) expect(p).not.toMatch(BIDI_OR_CONTROL);
  if (reads !== null) {
    const onScreen = [...mrkdwn.map(mrkdwnToText), ...plain].join('\n');
    expect(onScreen).toContain(reads);
  }
}

const NOW = new Date('2026-11-16T09:00:00Z');

function deal(over: Partial<Deal>): Deal {
  return {
    id: 7,
    workspaceId: 1,
    ownerId: 1,
    customer: 'Acme',
    amountMinor: 1_200_000n,
    currency: 'USD',
    amountReportingMinor: 1_200_000n,
    type: 'new',
    stage: 'won',
    maxStageIndex: 4,
    status: 'won',
    discountMinor: null,
    discountReportingMinor: null,
    lostReason: null,
    recurringMonthlyMinor: null,
    recurringReportingMinor: null,
    subscriptionStart: null,
    subscriptionEnd: null,
    notes: null,
    createdAt: NOW,
    closedAt: NOW,
    updatedAt: NOW,
    source: 'slack-command',
    externalId: null,
    requestKey: null,
    channelId: 'C1',
    customerKey: 'acme',
    leadSource: null,
    ...over,
  };
}

/** Replaces every rep name, owner name and customer in a report by `name`. */
function renamed<T>(value: T, name: string): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== 'object' || v instanceof Date) return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, (k === 'name' || k === 'ownerName' || k === 'customer') && typeof x === 'string' ? name : walk(x)]));
  };
  return walk(value) as T;
}

function homeSnapshot(name: string): THomeSnapshot {
  const month = periodOf('month', NOW, { now: NOW, timeZone: 'UTC', fiscalYearStartMonth: 1 });
  const members = [{ netWonMinor: 60n, quotaMinor: 50n }];
  const ratio = computeAttainmentRatio(members);
  return {
    viewer: { repId: 1, slackUserId: 'U1', name, role: 'rep', canSetQuotas: true },
    timeZone: 'UTC',
    currency: 'USD',
    generatedAt: NOW,
    oversizeMultiplePct: 400,
    paceCutoffs: { onTrackBp: 9500, atRiskBp: 7500 },
    month: {
      period: month,
      quotaMinor: 100n,
      quotaMethod: 'inside',
      quotaKind: 'month',
      netWonMinor: 10n,
      attainment: computeRepAttainment({ netWonMinor: 10n, quotaMinor: 100n }),
      pacing: computePacing({ netWonMinor: 10n, quotaMinor: 100n, elapsedShare: computeElapsedShare(month, NOW) }),
    },
    quarter: null,
    gapPlan: null,
    openDeals: { total: 1, totalMinor: 5_000_000n, shown: [{ dealId: 1, customer: name, amountMinor: 5_000_000n, stage: 'proposal', createdAt: NOW, oversize: null }] },
    team: {
      scope: { kind: 'team', teamId: 3, name },
      period: month,
      winRate: computeWinRate({ won: 1, lost: 1 }),
      netRevenue: { wonMinor: 1n, refundsMinor: 0n, netMinor: 1n },
      ratio,
      band: classifyAttainmentRatio(ratio.ratio),
      total: computeTeamAttainment({ members }),
    },
  };
}

const alert = (name: string) => ({
  rule: 'dealsize-below' as const,
  title: 'Average deal below the group',
  conditionKey: 'all/rep:1',
  periodLabel: 'week of Nov 23, 2026',
  message: `${name}'s average deal $700 is 30.0% below the group average $1,000 (threshold: 20%; 3 won deals).`,
});

const kpi = (report: TKpiReport, name: string) =>
  buildKpiMessage(renamed(report, name), { ...CTX, scopeLabel: `team ${name}` });
const teamScoped = <T extends TKpiReport>(r: T): T => ({ ...r, scope: { kind: 'team', teamId: 3 } });

/** Every surface that shows stored or typed text, as [surface, build(name)]. */
const SURFACES: ReadonlyArray<readonly [string, (name: string) => SlackMessage | View]> = [
  ['deal confirmation (customer, rep without Slack id)', (n) => buildDealConfirmation({ deal: deal({ customer: n }), owner: { slackUserId: null, name: n }, verb: 'logged', timeZone: 'UTC', undoValue: '1~mac' })],
  ['deal confirmation (duplicate)', (n) => buildDealConfirmation({ deal: deal({ customer: n }), owner: { slackUserId: 'U1', name: n }, verb: 'logged', timeZone: 'UTC', duplicate: true, undoValue: '1~mac' })],
  ['lost deal confirmation (lost reason)', (n) => buildDealConfirmation({ deal: deal({ customer: 'Acme', status: 'lost', stage: 'lost', lostReason: n }), owner: { slackUserId: 'U1', name: 'dana' }, verb: 'lost', timeZone: 'UTC', undoValue: '1~mac' })],
  ['open deal confirmation', (n) => buildDealConfirmation({ deal: deal({ customer: n, status: 'open', stage: 'demo', closedAt: null }), owner: { slackUserId: 'U1', name: 'dana' }, verb: 'moved', timeZone: 'UTC', undoValue: '1~mac' })],
  ['won announcement', (n) => buildWonAnnouncement(deal({ customer: n }), { slackUserId: null, name: n })],
  ['won announcement (owner with Slack id)', (n) => buildWonAnnouncement(deal({ customer: n }), { slackUserId: 'U1', name: n })],
  ['undo (removed)', (n) => buildUndoConfirmation('removed', deal({ customer: n }))],
  ['undo (restored)', (n) => buildUndoConfirmation('restored', deal({ customer: n }))],
  ['error quoting the input', (n) => buildErrorMessage(new AppError('INVALID_AMOUNT', `"${n}" is not an amount.`, { example: '/deal won 12k Acme' }))],
  ['error with the name in the example', (n) => buildErrorMessage(new AppError('NOT_FOUND', `No open deal for ${n}.`, { example: `/deal stage ${n} demo` }))],
  ['You typed echo (typed as a literal)', (n) => withTypedText(buildErrorMessage(new AppError('INVALID_INPUT', 'x')), `/deal won 12k ${escapeMrkdwn(n)}`)],
  ['KPI leaderboard', (n) => kpi(teamScoped(leaderboardReport(3)), n)],
  ['KPI deal size (reps below average, oversized deals)', (n) => kpi(dealSizeReport({ wonCount: 10, reps: 4, oversized: 3 }), n)],
  ['KPI quota (rep attainment)', (n) => kpi(quotaReport({ atOrAbove: 1, withQuota: 3, reps: 3 }), n)],
  ['KPI win rate by rep', (n) => kpi(teamScoped(winRateReport({ won: 15, lost: 25, reps: 3 })), n)],
  ['quota confirmation (rep without Slack id)', (n) => buildQuotaConfirmation(quotaConfirmation({ kind: 'rep', slackUserId: null, name: n }))],
  ['quota confirmation (team)', (n) => buildQuotaConfirmation(quotaConfirmation({ kind: 'team', name: n }))],
  ['team created', (n) => buildTeamCreated(n)],
  ['team member added (moved)', (n) => buildTeamMemberAdded({ who: { kind: 'rep', slackUserId: null, name: n }, team: n, previousTeam: `${n} old`, changed: true })],
  ['team member already there', (n) => buildTeamMemberAdded({ who: { kind: 'rep', slackUserId: 'U1', name: 'dana' }, team: n, previousTeam: n, changed: false })],
  ['team list', (n) => buildTeamList([{ name: n, members: 2 }, { name: 'North', members: 1 }])],
  ['App Home (open deal, team)', (n) => buildAppHome(homeSnapshot(n))],
  ['weekly digest (scope, movers, alerts)', (n) => buildWeeklyDigestMessage(digestFixture(4, { repName: (i) => `${n} ${i}`, scopeLabel: `team ${n}`, alerts: 3 }))],
  ['alert', (n) => buildAlertMessage({ alert: alert(n), scopeLabel: `team ${n}`, timeZone: 'UTC' })],
  ['alert overflow', (n) => buildAlertOverflowMessage({ alerts: [alert(n), alert(n)], scopeLabel: `team ${n}`, timeZone: 'UTC' })],
  ['snoozed alert', (n) => buildSnoozedMessage({ userId: 'U1', until: NOW, timeZone: 'UTC', title: 'Average deal below the group', message: alert(n).message })],
  ['/kpi alerts status', (n) => buildAlertStatusMessage(alertStatus(n))],
];

function quotaConfirmation(who: Parameters<typeof buildQuotaConfirmation>[0]['who']): Parameters<typeof buildQuotaConfirmation>[0] {
  const period = periodOf('quarter', NOW, { now: NOW, timeZone: 'UTC', fiscalYearStartMonth: 1 });
  return { who, amountMinor: 5_000_000n, currency: 'USD', entered: { amountMinor: 5_000_000n, currency: 'USD' }, period, replacedMinor: 4_000_000n, changed: true };
}

function alertStatus(name: string): Parameters<typeof buildAlertStatusMessage>[0] {
  const settings = Object.fromEntries(
    (['attainment-band', 'winrate-drop', 'revenue-drop', 'oversized-deal', 'dealsize-below', 'funnel-leak', 'mrr-churn'] as const).map((r) => [r, { enabled: true, threshold: { kind: 'percent', value: 20 } }]),
  ) as unknown as Parameters<typeof buildAlertStatusMessage>[0]['settings'];
  const active = [{ id: 1, workspaceId: 1, rule: 'dealsize-below', conditionKey: 'team:3/rep:1', periodKey: '2026-W48', value: 30, threshold: 20, message: alert(name).message, firedAt: NOW, recoveredAt: null, postedAt: NOW, postingUntil: null }];
  return { settings, snoozes: [], active, activeTotal: 1, alertsChannelId: 'C1', timeZone: 'UTC', teamNames: { 3: name } };
}

describe('modal prefill is plain text: shown as typed (cleaned), never escaped', () => {
  test.each(HOSTILE)('%j', (name, reads) => {
    const view = buildDealModal({ stages: ['lead', 'demo'], currencies: ['USD'], defaultCurrency: 'USD', userId: 'U1', today: '2026-11-16', prefill: { customer: name, notes: name }, meta: { channelId: 'C1' }, seal: (json) => json });
    const inputs = (view.blocks as Array<{ block_id?: string; element?: { initial_value?: string } }>).filter((b) => b.block_id === 'customer' || b.block_id === 'notes');
    expect(inputs.map((b) => b.element?.initial_value)).toEqual([reads, reads]);
  });
});

describe('user text stays text on every surface', () => {
  const cases = SURFACES.flatMap(([surface, build]) => HOSTILE.map(([name, reads]) => [surface, name, reads, build] as const));
  test.each(cases)('%s: %j', (_surface, name, reads, build) => {
    expectSafe(build(name), reads);
  });
});

describe('the attainment chart: names in labels, alt text and title are cleaned, never escaped', () => {
  test.each(HOSTILE)('%j', (name, reads) => {
    const chart = attainmentChart({ reps: [{ name, attainment: 1.2 }, { name: 'Bo', attainment: 0.5 }] });
    const block = buildChartBlock({ config: chart.config, altText: chart.altText, title: `Quota attainment per rep, ${name}`, baseUrl: 'https://quickchart.io' }) as unknown as { alt_text: string; title: { text: string } };
    expect(block.alt_text).toContain(`highest ${reads} 120%`);
    expect(block.title.text).toContain(reads);
    expect(block.alt_text).not.toMatch(BIDI_OR_CONTROL);
    expect(block.title.text).not.toMatch(BIDI_OR_CONTROL);
    expect(chart.config.data.labels).toContain(reads);
  });
});

describe('the one escaping function', () => {
  test.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['A & B', 'A &amp; B'],
    ['&lt;', '&amp;lt;'],
    ['a\u202Eb\u2067c\u0000d\r\ne\tf', 'abcd\ne f'],
    ['*bold* _x_ ~x~ `x`', '*bold* _x_ ~x~ `x`'],
  ])('escapeMrkdwn(%j) = %j', (input, want) => expect(escapeMrkdwn(input)).toBe(want));

  test('plain_text is cleaned but not escaped (Slack parses no markup there)', () => {
    expect(cleanText('<!channel>\u202E & x')).toBe('<!channel> & x');
    expect(header('Team <!here>\u202E')).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Team <!here>', emoji: true } });
  });

  test('mrkdwn objects turn off automatic parsing, so a bare URL or #name in a name is not linked', () => {
    expect(section('x')).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'x', verbatim: true } });
    expect(context('y')).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'y', verbatim: true }] });
  });
});

describe('errors that name a channel or user keep those mentions live, and only those', () => {
  test.each([
    [['C1'], '<#C1>'],
    [['U1'], '<@U1>'],
  ])('mentions %j', (mentions, live) => {
    const m = buildErrorMessage(new AppError('NOT_IN_CHANNEL', `I'm not in ${live} yet; you typed "<!here> <#CEVIL01> <@UEVIL01>".`, { mentions: [...mentions, '!channel', 'CEVIL01|x'] }));
    for (const t of [m.text, JSON.stringify(m.blocks)]) {
      expect(t).toContain(`I'm not in ${live} yet`);
      expect(t).toContain('&lt;!here&gt; &lt;#CEVIL01&gt; &lt;@UEVIL01&gt;');
    }
    for (const t of collectTexts(m).mrkdwn) expect(liveMarkup(t.replace(live, ''))).toEqual([]);
  });
});

describe('incoming text: unescaped exactly once, live tokens kept as what the person saw', () => {
  test.each([
    ['won 12k &lt;!channel&gt;', '<!channel>'],
    ['won 12k <!channel>', '@channel'],
    ['won 12k <!here|@here>', '@here'],
    ['won 12k <@U123|dana>', '@dana'],
    ['won 12k <#C123|sales>', '#sales'],
    ['won 12k <!subteam^S123|@sales-team>', '@sales-team'],
    ['won 12k <https://evil.example|Acme>', 'Acme'],
    ['won 12k AT&amp;T', 'AT&T'],
    ['won 12k &amp;lt;b&amp;gt;', '&lt;b&gt;'],
  ])('/deal %s stores the customer %j', (text, customer) => {
    const parsed = parseDealCommand(text, 'USD');
    expect(parsed).toMatchObject({ kind: 'won', customer });
  });

  test.each([
    ['<!channel> <@U1|dana> <#C1|sales> <https://x.io|x.io> a &amp; b', '@channel @dana #sales x.io a &amp; b'],
    ['<!everyone> <@U1> <#C1> <https://x.io>', '@everyone @U1 #C1 https://x.io'],
  ])('readableSlackTokens(%j)', (raw, want) => expect(readableSlackTokens(raw)).toBe(want));

  test('the You typed echo shows what was typed, escaped once', () => {
    const m = withTypedText(buildErrorMessage(new AppError('INVALID_INPUT', 'x')), '/deal won 12k &lt;!channel&gt; <!here> AT&amp;T');
    const echo = JSON.stringify(m.blocks);
    expect(echo).toContain('You typed: `/deal won 12k &lt;!channel&gt; @here AT&amp;T`');
    expect(slackTextToPlain('&amp;lt;')).toBe('&lt;');
  });

  test('a message shortcut prefills the customer unescaped (the modal input is plain text)', () => {
    expect(extractDealHints('Signed with AT&amp;T today, $12,000', 'USD').customer).toBe('AT&T');
  });
});
