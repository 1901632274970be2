import type { KnownBlock } from '@slack/types';
import { buildChartBlock } from '../../../charts/chart-url.js';
import { attainmentChart, funnelChart, moneyAxisLabel, revenueTrendChart, type TChart } from '../../../charts/configs.js';
import type { TKpiReport, TRevenueReport } from '../../../domain/metrics/kpi-report.js';
import type { TPeriod } from '../../../domain/periods.js';
import { formatMoneyL, shortPeriodLabelL } from '../../../i18n/format.js';
import type { TLocale } from '../../../i18n/locales.js';
import { t } from '../../../i18n/t.js';
import { localStageLabel } from './funnel.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A short chart label for a period from its key: `Nov 2026`, `Q3 2026`, `Q1 FY27`, `W48`, `2026`.
 *
 * @example
 * shortPeriodLabel({ key: '2026-11', kind: 'month' }); // 'Nov 2026'
 */
export function shortPeriodLabel(p: Pick<TPeriod, 'key' | 'kind' | 'label'>): string {
  let m: RegExpExecArray | null;
  if (p.kind === 'month' && (m = /^(\d{4})-(\d{2})$/.exec(p.key))) return `${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
  if (p.kind === 'quarter' && (m = /^(FY)?(\d{4})-Q(\d)$/.exec(p.key))) return m[1] ? `Q${m[3]} FY${m[2]!.slice(2)}` : `Q${m[3]} ${m[2]}`;
  if (p.kind === 'week' && (m = /-W(\d{2})$/.exec(p.key))) return `W${m[1]}`;
  if (p.kind === 'day' && (m = /^\d{4}-(\d{2})-(\d{2})$/.exec(p.key))) return `${MONTHS[Number(m[1]) - 1] ?? m[1]} ${Number(m[2])}`;
  if (p.kind === 'ytd') return p.key.replace(/^ytd-/, 'YTD ');
  if (p.kind === 'rolling') return /\(([^)]*)\)/.exec(p.label)?.[1] ?? p.key;
  return p.key;
}

/** A period's short label on a chart axis: `Nov 2026` (English), `T11/2026`, `2026年11月`. */
const shortLabel = (locale: TLocale, p: TPeriod): string => (locale === 'en' ? shortPeriodLabel(p) : shortPeriodLabelL(locale, p));

/**
 * Net revenue of the trailing periods and this one as bars (the digest's weekly chart builder,
 * retitled for the period kind; no average line: the answer states the trailing average in words).
 * English plots whole units of the currency its title names (`USD`) and lists compact amounts in
 * the alt text; Vietnamese and Chinese scale the bars to the unit their readers say, named in the
 * title (`tr ₫`, `亿 ₫`, `万 ¥`), and list the exact amounts in the alt text.
 */
function revenueChart(report: TRevenueReport, period: TPeriod, trailing: readonly TPeriod[], locale: TLocale): TChart | null {
  if (trailing.length !== report.trailing.length) return null;
  const points = [...trailing.map((p, i) => ({ label: shortLabel(locale, p), netMinor: report.trailing[i]?.netMinor ?? 0n })), { label: shortLabel(locale, period), netMinor: report.current.netMinor }];
  const chart = revenueTrendChart({ weeks: points, currency: report.currency, locale });
  if (chart.empty) return null;
  chart.config.data.datasets = chart.config.data.datasets.filter((d) => d.type !== 'line');
  const amount = (minor: bigint) => formatMoneyL(locale, minor, report.currency, locale === 'en' ? { compact: true } : {});
  const pointsText = points.map((p) => `${p.label} ${amount(p.netMinor)}`).join(t(locale, 'chart.listSeparator'));
  const unit = moneyAxisLabel(locale, points.map((p) => p.netMinor), report.currency);
  const title = t(locale, 'kpi.revenue.chartTitle', { unit: period.kind, currency: unit });
  chart.config.options = { ...chart.config.options, legend: { display: false }, title: { display: true, text: title } };
  chart.altText = t(locale, 'kpi.revenue.chartAlt', { unit: period.kind, points: pointsText });
  return chart;
}

function chartFor(report: TKpiReport, period: TPeriod, trailing: readonly TPeriod[], locale: TLocale): TChart | null {
  switch (report.kind) {
    case 'funnel': {
      const f = report.funnel;
      if ((f.reachedCounts[0] ?? 0) === 0) return null;
      return funnelChart({
        stages: f.stages.map((s, i) => ({ label: localStageLabel(s, locale), count: f.reachedCounts[i] ?? 0 })),
        ...(report.leak ? { leakIndex: report.leak.step.index } : {}),
        locale,
      });
    }
    case 'quota': {
      if (report.ratio.withQuota === 0) return null;
      return attainmentChart({ reps: report.reps.map((r) => ({ name: r.rep.name, attainment: r.attainment.attainment ?? Number.NaN })), locale });
    }
    case 'revenue':
      return revenueChart(report, period, trailing, locale);
    default:
      return null;
  }
}

/**
 * The chart image block of a KPI answer (funnel, quota attainment, revenue per period), or null
 * when the KPI has none, there is nothing to plot, no QuickChart URL is configured, or building it
 * fails: a chart never blocks the text.
 */
export function kpiChartBlock(report: TKpiReport, opts: { period: TPeriod; trailing: readonly TPeriod[]; quickchartUrl: string | null | undefined; title?: string; locale?: TLocale }): KnownBlock | null {
  if (!opts.quickchartUrl) return null;
  try {
    const chart = chartFor(report, opts.period, opts.trailing, opts.locale ?? 'en');
    if (!chart || chart.empty) return null;
    return buildChartBlock({ config: chart.config, altText: chart.altText, title: opts.title ?? chart.config.options?.title?.text ?? 'Chart', baseUrl: opts.quickchartUrl });
  } catch {
    return null;
  }
}
