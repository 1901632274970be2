import type { KnownBlock, View } from '@slack/types';
import type { THomeOpenDeal, THomeQuotaProgress, THomeSnapshot } from '../../domain/home/load-home.js';
import { stageLabel } from '../../domain/deals/stages.js';
import { formatCount, formatMoney, formatPercent } from '../../domain/money.js';
import { formatInstant } from '../../domain/periods.js';
import { escapeMrkdwn, LIMITS, truncate } from './limits.js';
import { context, header, section } from './messages.js';

export const HOME_LOG_DEAL_ACTION = 'home_log_deal';
export const HOME_SET_QUOTA_ACTION = 'home_set_quota';
export const HOME_RECORD_REFUND_ACTION = 'home_record_refund';
/** Open deals listed on the Home at most (biggest first). */
export const HOME_MAX_DEALS = 15;

const PACE: Record<'on-track' | 'behind' | 'at-risk', string> = {
  'on-track': ':large_green_circle: *On track*',
  behind: ':large_yellow_circle: *Behind*',
  'at-risk': ':red_circle: *At risk*',
};

const BAND: Record<'unrealistic' | 'healthy' | 'too-easy', string> = {
  unrealistic: 'below the healthy band',
  healthy: 'healthy',
  'too-easy': 'above the healthy band',
};

function bp(x: number): string {
  return formatPercent(x / 10_000, 0);
}

function quotaLines(p: THomeQuotaProgress, s: THomeSnapshot, kind: 'month' | 'quarter'): string {
  const money = (m: bigint) => formatMoney(m, s.currency);
  const title = `*My quota: ${escapeMrkdwn(p.period.label)}*`;
  if (p.quotaMinor === null) {
    const won = p.netWonMinor !== 0n ? `\nYou have won ${money(p.netWonMinor)} net so far this ${kind}.` : '';
    return `${title}\n:information_source: No quota set for you this ${kind} — ask your manager to run \`/kpi quota set @you 50k\`.${won}`;
  }
  const prorated = p.quotaMethod === 'prorated' && p.quotaKind ? ` (pro-rated from your ${p.quotaKind === 'year' ? 'yearly' : `${p.quotaKind}ly`} quota)` : '';
  const lines = [title, `*${money(p.netWonMinor)}* won of *${money(p.quotaMinor)}*${prorated}: ${formatPercent(p.attainment.attainment)} attained`];
  const pace = p.pacing;
  const elapsed = `${formatPercent(pace.elapsedShare)} of the ${kind} gone`;
  if (p.attainment.reached) lines.push(`:tada: *Quota met.* ${elapsed}.`);
  else if (pace.status && pace.expectedToDateMinor !== null) {
    const gap = p.attainment.gapMinor !== null ? `; ${money(p.attainment.gapMinor)} to go` : '';
    lines.push(`${PACE[pace.status]}: expected by now ${money(pace.expectedToDateMinor)} (${elapsed})${gap}.`);
  }
  return lines.join('\n');
}

function gapLine(s: THomeSnapshot): string | null {
  const g = s.gapPlan;
  if (!g) return null;
  const money = (m: bigint) => formatMoney(m, s.currency);
  const whose = g.basis === 'rep' ? 'your' : g.basis === 'team' ? "your team's" : "the workspace's";
  if (g.dealsNeeded === null || g.averageDealMinor === null) {
    return `*To close the gap* (${money(g.remainingMinor)}): no won deals in ${escapeMrkdwn(g.basisLabel)} to estimate how many deals that takes.`;
  }
  const deals = `${formatCount(g.dealsNeeded)} ${g.dealsNeeded === 1 ? 'deal' : 'deals'}`;
  const leads = g.leadsNeeded !== null && g.conversionRate !== null ? ` (≈ ${formatCount(g.leadsNeeded)} leads at ${formatPercent(g.conversionRate)} lead conversion)` : '';
  return `*To close the gap* (${money(g.remainingMinor)}): about *${deals}* at ${whose} average won deal of ${escapeMrkdwn(g.basisLabel)}, ${money(g.averageDealMinor)}${leads}.`;
}

function dealBlock(d: THomeOpenDeal, s: THomeSnapshot): KnownBlock {
  const money = (m: bigint) => formatMoney(m, s.currency);
  let text = `*${escapeMrkdwn(truncate(d.customer, 120))}* · ${money(d.amountMinor)} · ${escapeMrkdwn(stageLabel(d.stage))}`;
  const o = d.oversize;
  if (o) {
    const whose = o.baselineSource === 'rep' ? 'your' : "the team's";
    text += `\n:warning: *Oversized:* ${o.multiple.toFixed(1)}× ${whose} average won deal (${money(o.baselineMinor)}): expect a longer cycle and a lower close rate.`;
    if (o.carriesMostOfGap && o.gapMinor !== null) text += ` It carries most of your remaining gap (${money(o.gapMinor)}); keep other deals moving too.`;
  }
  return section(text);
}

function teamBlocks(s: THomeSnapshot): KnownBlock[] {
  const t = s.team;
  const money = (m: bigint) => formatMoney(m, s.currency);
  const who = t.scope.kind === 'team' ? `${escapeMrkdwn(truncate(t.scope.name, 80))} team` : 'Whole workspace';
  const win = t.winRate.rate === null ? 'no closed deals yet' : `${formatPercent(t.winRate.rate)} (${formatCount(t.winRate.won)} won / ${formatCount(t.winRate.closed)} closed)`;
  const ratio =
    t.ratio.ratio === null
      ? 'no rep has a quota yet'
      : `${formatPercent(t.ratio.ratio)}: ${t.ratio.atOrAbove} of ${t.ratio.withQuota} ${t.ratio.withQuota === 1 ? 'rep' : 'reps'} at 100%+${t.band.band ? `, ${BAND[t.band.band]} (${bp(t.band.lowBp)}–${bp(t.band.highBp)})` : ''}`;
  const attainment = t.total.attainment === null ? 'no quota set' : `${formatPercent(t.total.attainment)} of ${money(t.total.quotaMinor ?? 0n)}`;
  const blocks: KnownBlock[] = [
    section(`*${who}: ${escapeMrkdwn(t.period.label)}*`),
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Win rate*\n${win}` },
        { type: 'mrkdwn', text: `*Net revenue*\n${money(t.netRevenue.netMinor)}${t.netRevenue.refundsMinor > 0n ? ` (after ${money(t.netRevenue.refundsMinor)} refunds)` : ''}` },
        { type: 'mrkdwn', text: `*Attainment ratio*\n${ratio}` },
        { type: 'mrkdwn', text: `*Team attainment*\n${attainment}` },
      ],
    },
  ];
  if (t.band.advice) blocks.push(context(`:bulb: ${escapeMrkdwn(t.band.advice)}`));
  return blocks;
}

/**
 * The App Home for one viewer. Pure: the same snapshot gives the same view, within Slack's
 * limits (≤ 100 blocks, ≤ 3,000 characters per section) whatever the data: at most
 * `HOME_MAX_DEALS` open deals are listed, biggest first, with a count of the rest.
 *
 * @example
 * const view = buildAppHome(await loadHome({ db, workspace, viewer, now }), { crmBlocks: buildCrmHomeSection(status, tz, now) });
 * await deps.slack.publishHome(userId, view);
 */
export function buildAppHome(s: THomeSnapshot, extra: { crmBlocks?: readonly KnownBlock[] } = {}): View {
  const money = (m: bigint) => formatMoney(m, s.currency);
  const buttons = [
    { type: 'button' as const, action_id: HOME_LOG_DEAL_ACTION, text: { type: 'plain_text' as const, text: 'Log a deal', emoji: true }, style: 'primary' as const, value: 'home' },
    { type: 'button' as const, action_id: HOME_RECORD_REFUND_ACTION, text: { type: 'plain_text' as const, text: 'Record refund', emoji: true }, value: 'home' },
    ...(s.viewer.canSetQuotas ? [{ type: 'button' as const, action_id: HOME_SET_QUOTA_ACTION, text: { type: 'plain_text' as const, text: 'Set quotas', emoji: true }, value: 'home' }] : []),
  ];
  const blocks: KnownBlock[] = [
    header(`Your sales: ${s.month.period.label}`),
    context(escapeMrkdwn(`Period ${s.month.period.label} · time zone ${s.timeZone} · amounts in ${s.currency} · updated ${formatInstant(s.generatedAt, s.timeZone)}`)),
    { type: 'actions', block_id: 'home_actions', elements: buttons },
    { type: 'divider' },
    section(quotaLines(s.month, s, 'month')),
  ];
  if (s.quarter) blocks.push(section(quotaLines(s.quarter, s, 'quarter')));
  const gap = gapLine(s);
  if (gap) blocks.push(section(gap));
  if (s.month.quotaMinor !== null) {
    blocks.push(context(escapeMrkdwn(`Pace: on track at ${bp(s.paceCutoffs.onTrackBp)}+ of the amount expected by today (quota × share of the period gone), at risk below ${bp(s.paceCutoffs.atRiskBp)}.`)));
  }

  blocks.push({ type: 'divider' });
  const open = s.openDeals;
  if (open.total === 0) {
    blocks.push(section('*My open deals*\nNo open deals. Use *Log a deal* or `/deal stage Acme demo 20k` to add one.'));
  } else {
    blocks.push(section(`*My open deals*: ${formatCount(open.total)} worth ${money(open.totalMinor)}, biggest first`));
    const shown = open.shown.slice(0, HOME_MAX_DEALS);
    for (const d of shown) blocks.push(dealBlock(d, s));
    const hidden = open.total - shown.length;
    if (hidden > 0) blocks.push(context(escapeMrkdwn(`…and ${formatCount(hidden)} more open ${hidden === 1 ? 'deal' : 'deals'}. Ask /kpi dealsize for the full oversized-deal check.`)));
    const oversized = shown.filter((d) => d.oversize).length;
    if (oversized > 0) blocks.push(context(escapeMrkdwn(`Oversized = at least ${(s.oversizeMultiplePct / 100).toFixed(1)}× your average won deal (or your team's, without history of your own).`)));
  }

  blocks.push({ type: 'divider' }, ...teamBlocks(s));
  // An admin's CRM sync health (slack/blocks/crm-admin.ts `buildCrmHomeSection`), last.
  if (extra.crmBlocks) blocks.push(...extra.crmBlocks);
  return { type: 'home', callback_id: 'app_home', blocks: blocks.slice(0, LIMITS.viewBlocks) };
}
