import type { TMrrMovements, TRetention } from '../../../domain/metrics/mrr-movements.js';
import { formatMoneyL, formatPercentL } from '../../../i18n/format.js';
import type { TLocale } from '../../../i18n/locales.js';
import { t } from '../../../i18n/t.js';
import { escapeMrkdwn } from '../limits.js';

function signed(minor: bigint, currency: string, sign: '+' | '-', locale: TLocale): string {
  return `${sign}${formatMoneyL(locale, minor, currency)}`;
}

function net(minor: bigint, currency: string, locale: TLocale): string {
  return minor === 0n ? `±${formatMoneyL(locale, 0n, currency)}` : signed(minor < 0n ? -minor : minor, currency, minor < 0n ? '-' : '+', locale);
}

/**
 * The period's MRR movements in one plain line (they sum exactly to the net change).
 *
 * @example movementsText(m, 'VND') // 'new +0 ₫, expansion +0 ₫, contraction -0 ₫, churned -30,000,000 ₫, reactivated +0 ₫ (net -30,000,000 ₫)'
 */
export function movementsText(m: TMrrMovements, currency: string, locale: TLocale = 'en'): string {
  return t(locale, 'kpi.mrr.movements', {
    new: signed(m.newMinor, currency, '+', locale),
    expansion: signed(m.expansionMinor, currency, '+', locale),
    contraction: signed(m.contractionMinor, currency, '-', locale),
    churned: signed(m.churnedMinor, currency, '-', locale),
    reactivated: signed(m.reactivatedMinor, currency, '+', locale),
    net: net(m.netChangeMinor, currency, locale),
  });
}

/**
 * NRR, GRR and logo churn in one plain line, or null without MRR at the start.
 *
 * @example retentionText(r, m) // 'NRR 90.0%, GRR 90.0%, logo churn 10.0% (3 of 30 customers)'
 */
export function retentionText(r: TRetention, m: TMrrMovements, locale: TLocale = 'en'): string | null {
  if (r.nrr === null || r.grr === null) return null;
  return t(locale, 'kpi.mrr.retention', { nrr: formatPercentL(locale, r.nrr), grr: formatPercentL(locale, r.grr), churn: formatPercentL(locale, r.logoChurn ?? 0), churned: String(m.churnedCustomers), customers: m.customersAtStart });
}

/** The two mrkdwn sections of `/kpi mrr` below the figure: movements and retention. */
export function movementSections(m: TMrrMovements, r: TRetention, currency: string, periodLabel: string, locale: TLocale = 'en'): string[] {
  const count = (n: number) => (n > 0 ? ` (${n})` : '');
  const e = (s: string) => escapeMrkdwn(s);
  const lines = [
    t(locale, 'kpi.mrr.movementsTitle', { period: e(periodLabel), start: e(formatMoneyL(locale, m.startMrrMinor, currency)), end: e(formatMoneyL(locale, m.endMrrMinor, currency)), net: e(net(m.netChangeMinor, currency, locale)) }),
    t(locale, 'kpi.mrr.moveNew', { amount: e(signed(m.newMinor, currency, '+', locale)), count: count(m.newCustomers) }),
    t(locale, 'kpi.mrr.moveExpansion', { amount: e(signed(m.expansionMinor, currency, '+', locale)), count: count(m.expandedCustomers) }),
    t(locale, 'kpi.mrr.moveContraction', { amount: e(signed(m.contractionMinor, currency, '-', locale)), count: count(m.contractedCustomers) }),
    t(locale, 'kpi.mrr.moveChurned', { amount: e(signed(m.churnedMinor, currency, '-', locale)), count: count(m.churnedCustomers) }),
    t(locale, 'kpi.mrr.moveReactivated', { amount: e(signed(m.reactivatedMinor, currency, '+', locale)), count: count(m.reactivatedCustomers) }),
  ];
  const retention = retentionText(r, m, locale);
  return [lines.join('\n'), retention ? t(locale, 'kpi.mrr.retentionTitle', { retention: e(retention) }) : ''];
}

export const RETENTION_NOTE = t('en', 'kpi.mrr.retentionNote');
