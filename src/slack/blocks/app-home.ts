import type { KnownBlock, View } from '@slack/types';
import type { THomeOpenDeal, THomeQuotaProgress, THomeSnapshot } from '../../domain/home/load-home.js';
import { formatCountL, formatDecimal1L, formatInstantL, formatMoneyL, formatPercentL, periodLabel } from '../../i18n/format.js';
import type { TLocale } from '../../i18n/locales.js';
import { translator, type TTranslate } from '../../i18n/t.js';
import { localStageLabel } from './kpi/funnel.js';
import { escapeMrkdwn, LIMITS, truncate } from './limits.js';
import { context, header, section } from './messages.js';

export const HOME_LOG_DEAL_ACTION = 'home_log_deal';
export const HOME_SET_QUOTA_ACTION = 'home_set_quota';
export const HOME_RECORD_REFUND_ACTION = 'home_record_refund';
/** Open deals listed on the Home at most (biggest first). */
export const HOME_MAX_DEALS = 15;

/** Words and number formats of one reader's Home (every text from the catalog, `catalog/home`). */
interface THomeWords {
  readonly locale: TLocale;
  readonly tr: TTranslate;
  money(minor: bigint): string;
  pct(ratio: number | null | undefined, digits?: number): string;
  /** Basis points as a whole percentage: 9500 → `95%`. */
  bp(x: number): string;
  count(n: number): string;
}

function wordsFor(locale: TLocale, currency: string): THomeWords {
  return {
    locale,
    tr: translator(locale),
    money: (m) => formatMoneyL(locale, m, currency),
    pct: (r, digits = 1) => formatPercentL(locale, r, digits),
    bp: (x) => formatPercentL(locale, x / 10_000, 0),
    count: (n) => formatCountL(locale, n),
  };
}

function quotaLines(p: THomeQuotaProgress, w: THomeWords, kind: 'month' | 'quarter'): string {
  const { tr } = w;
  const title = tr('home.quota.title', { period: escapeMrkdwn(periodLabel(w.locale, p.period)) });
  if (p.quotaMinor === null) {
    const won = p.netWonMinor !== 0n ? `\n${tr('home.quota.wonSoFar', { amount: w.money(p.netWonMinor), kind })}` : '';
    return `${title}\n${tr('home.quota.none', { kind })}${won}`;
  }
  const prorated = p.quotaMethod === 'prorated' && p.quotaKind ? tr('home.quota.prorated', { from: p.quotaKind }) : '';
  const lines = [title, tr('home.quota.progress', { won: w.money(p.netWonMinor), quota: w.money(p.quotaMinor), prorated, rate: w.pct(p.attainment.attainment) })];
  const pace = p.pacing;
  const elapsed = tr('home.quota.elapsed', { share: w.pct(pace.elapsedShare), kind });
  if (p.attainment.reached) lines.push(tr('home.quota.met', { elapsed }));
  else if (pace.status && pace.expectedToDateMinor !== null) {
    const gap = p.attainment.gapMinor !== null ? tr('home.quota.toGo', { amount: w.money(p.attainment.gapMinor) }) : '';
    lines.push(tr('home.quota.pace', { status: tr(`home.pace.${pace.status}`), expected: w.money(pace.expectedToDateMinor), elapsed, gap }));
  }
  return lines.join('\n');
}

function gapLine(s: THomeSnapshot, w: THomeWords): string | null {
  const g = s.gapPlan;
  if (!g) return null;
  const { tr } = w;
  const basis = tr('period.trailing', { count: g.basisPeriods.count, kind: g.basisPeriods.kind });
  if (g.dealsNeeded === null || g.averageDealMinor === null) {
    return tr('home.gap.noDeals', { remaining: w.money(g.remainingMinor), basis });
  }
  const leads = g.leadsNeeded !== null && g.conversionRate !== null ? tr('home.gap.leads', { leads: g.leadsNeeded, rate: w.pct(g.conversionRate) }) : '';
  return tr('home.gap.plan', {
    remaining: w.money(g.remainingMinor),
    deals: tr('kpi.common.deals', { count: g.dealsNeeded }),
    whose: g.basis,
    basis,
    average: w.money(g.averageDealMinor),
    leads,
  });
}

function dealBlock(d: THomeOpenDeal, w: THomeWords): KnownBlock {
  const { tr } = w;
  let text = tr('home.deals.line', { customer: escapeMrkdwn(truncate(d.customer, 120)), amount: w.money(d.amountMinor), stage: escapeMrkdwn(localStageLabel(d.stage, w.locale)) });
  const o = d.oversize;
  if (o) {
    text += `\n${tr('home.deals.oversized', { multiple: formatDecimal1L(w.locale, o.multiple), whose: o.baselineSource, baseline: w.money(o.baselineMinor) })}`;
    if (o.carriesMostOfGap && o.gapMinor !== null) text += tr('home.deals.carriesGap', { amount: w.money(o.gapMinor) });
  }
  return section(text);
}

function teamBlocks(s: THomeSnapshot, w: THomeWords): KnownBlock[] {
  const t = s.team;
  const { tr } = w;
  const title =
    t.scope.kind === 'team'
      ? tr('home.team.title', { scope: 'team', name: escapeMrkdwn(truncate(t.scope.name, 80)), period: escapeMrkdwn(periodLabel(w.locale, t.period)) })
      : tr('home.team.title', { scope: 'workspace', name: '', period: escapeMrkdwn(periodLabel(w.locale, t.period)) });
  const win =
    t.winRate.rate === null
      ? tr('home.team.winNone')
      : tr('home.team.win', { rate: w.pct(t.winRate.rate), counts: tr('kpi.winrate.wonOfClosed', { won: w.count(t.winRate.won), closed: w.count(t.winRate.closed) }) });
  const band = t.band.band ? tr('home.team.band', { band: t.band.band === 'too-easy' ? 'easy' : t.band.band, low: w.bp(t.band.lowBp), high: w.bp(t.band.highBp) }) : '';
  const ratio = t.ratio.ratio === null ? tr('home.team.ratioNone') : tr('home.team.ratio', { rate: w.pct(t.ratio.ratio), at: w.count(t.ratio.atOrAbove), with: t.ratio.withQuota, band });
  const attainment = t.total.attainment === null ? tr('home.team.attainmentNone') : tr('home.team.attainment', { rate: w.pct(t.total.attainment), quota: w.money(t.total.quotaMinor ?? 0n) });
  const refunds = t.netRevenue.refundsMinor > 0n ? tr('home.team.afterRefunds', { amount: w.money(t.netRevenue.refundsMinor) }) : '';
  const field = (title: string, value: string) => ({ type: 'mrkdwn' as const, text: tr('home.team.field', { title, value }) });
  const blocks: KnownBlock[] = [
    section(title),
    {
      type: 'section',
      fields: [
        field(tr('kpi.title.winrate'), win),
        field(tr('kpi.title.revenue'), `${w.money(t.netRevenue.netMinor)}${refunds}`),
        field(tr('home.team.ratioTitle'), ratio),
        field(tr('home.team.attainmentTitle'), attainment),
      ],
    },
  ];
  if (t.band.advice && t.band.band !== 'healthy' && t.band.band !== null) {
    blocks.push(context(tr('home.team.advice', { advice: escapeMrkdwn(tr(t.band.band === 'unrealistic' ? 'kpi.quota.adviceLow' : 'kpi.quota.adviceHigh')) })));
  }
  return blocks;
}

/**
 * The App Home for one viewer, in the reader's language (`locale`: `localeOf(member)`; English
 * when absent). Pure: the same snapshot gives the same view, within Slack's limits (≤ 100 blocks,
 * ≤ 3,000 characters per section) whatever the data: at most `HOME_MAX_DEALS` open deals are
 * listed, biggest first, with a count of the rest. Every text comes from the catalog
 * (`catalog/home`, and the `/kpi` words for the same figures); amounts, percentages, periods and
 * times are formatted for the locale (src/i18n/format.ts).
 *
 * @example
 * const view = buildAppHome(await loadHome({ db, workspace, viewer, now }), { locale, crmBlocks: buildCrmHomeSection(status, tz, now, locale) });
 * await deps.slack.publishHome(userId, view);
 */
export function buildAppHome(s: THomeSnapshot, extra: { crmBlocks?: readonly KnownBlock[]; locale?: TLocale } = {}): View {
  const w = wordsFor(extra.locale ?? 'en', s.currency);
  const { tr } = w;
  const button = (action_id: string, text: string, primary = false) => ({
    type: 'button' as const,
    action_id,
    text: { type: 'plain_text' as const, text: truncate(text, LIMITS.buttonText), emoji: true },
    ...(primary ? { style: 'primary' as const } : {}),
    value: 'home',
  });
  const buttons = [
    button(HOME_LOG_DEAL_ACTION, tr('home.button.logDeal'), true),
    button(HOME_RECORD_REFUND_ACTION, tr('home.button.recordRefund')),
    ...(s.viewer.canSetQuotas ? [button(HOME_SET_QUOTA_ACTION, tr('home.button.setQuotas'))] : []),
  ];
  const month = periodLabel(w.locale, s.month.period);
  const blocks: KnownBlock[] = [
    header(tr('home.header', { period: month })),
    context(
      tr('home.context', {
        period: escapeMrkdwn(month),
        timeZone: escapeMrkdwn(s.timeZone),
        currency: escapeMrkdwn(s.currency),
        when: escapeMrkdwn(formatInstantL(w.locale, s.generatedAt, s.timeZone)),
      }),
    ),
    { type: 'actions', block_id: 'home_actions', elements: buttons },
    { type: 'divider' },
    section(quotaLines(s.month, w, 'month')),
  ];
  if (s.quarter) blocks.push(section(quotaLines(s.quarter, w, 'quarter')));
  const gap = gapLine(s, w);
  if (gap) blocks.push(section(gap));
  if (s.month.quotaMinor !== null) {
    blocks.push(context(tr('home.paceNote', { onTrack: w.bp(s.paceCutoffs.onTrackBp), atRisk: w.bp(s.paceCutoffs.atRiskBp) })));
  }

  blocks.push({ type: 'divider' });
  const open = s.openDeals;
  if (open.total === 0) {
    blocks.push(section(tr('home.deals.none', { button: tr('home.button.logDeal') })));
  } else {
    blocks.push(section(tr('home.deals.title', { count: w.count(open.total), total: w.money(open.totalMinor) })));
    const shown = open.shown.slice(0, HOME_MAX_DEALS);
    for (const d of shown) blocks.push(dealBlock(d, w));
    const hidden = open.total - shown.length;
    if (hidden > 0) blocks.push(context(tr('home.deals.more', { count: hidden })));
    const oversized = shown.filter((d) => d.oversize).length;
    if (oversized > 0) blocks.push(context(tr('home.deals.oversizedNote', { multiple: formatDecimal1L(w.locale, s.oversizeMultiplePct / 100) })));
  }

  blocks.push({ type: 'divider' }, ...teamBlocks(s, w));
  // An admin's CRM sync health (slack/blocks/crm-admin.ts `buildCrmHomeSection`), last.
  if (extra.crmBlocks) blocks.push(...extra.crmBlocks);
  return { type: 'home', callback_id: 'app_home', blocks: blocks.slice(0, LIMITS.viewBlocks) };
}
