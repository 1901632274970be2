import type { KnownBlock } from '@slack/types';
import type { Deal } from '../../storage/models.js';
import { localParts } from '../../domain/periods.js';
import type { SlackMessage } from '../gateway.js';
import { UNDO_ACTION } from './deal-messages.js';
import { escapeMrkdwn } from './limits.js';
import { context, section } from './messages.js';
import type { TLocale } from '../../i18n/locales.js';
import { formatDateL, formatMoneyL } from '../../i18n/format.js';
import { t } from '../../i18n/t.js';

/** A day: `2026-12-01` in English, the locale's date otherwise. */
function day(d: Date, timeZone: string, locale: TLocale): string {
  if (locale !== 'en') return formatDateL(locale, d, timeZone);
  const p = localParts(d, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/**
 * Private confirmation of `/deal churn`, with an Undo button (the sealed deal id).
 *
 * @example buildChurnConfirmation({ deal, endedAt, churnedMinor: 10_000_000n, reportingCurrency: 'VND', timeZone: 'UTC', undoValue }).text
 * // 'Churned: Acme’s subscription ends on 2026-12-01; MRR down 10,000,000 ₫ from then on'
 */
export function buildChurnConfirmation(opts: { deal: Deal; endedAt: Date; churnedMinor: bigint; reportingCurrency: string; timeZone: string; undoValue: string; locale?: TLocale }): SlackMessage {
  const locale = opts.locale ?? 'en';
  const line = t(locale, 'ops.churn.line', { customer: opts.deal.customer, date: day(opts.endedAt, opts.timeZone, locale), amount: formatMoneyL(locale, opts.churnedMinor, opts.reportingCurrency) });
  const started = escapeMrkdwn(opts.deal.subscriptionStart ? day(opts.deal.subscriptionStart, opts.timeZone, locale) : '?');
  const blocks: KnownBlock[] = [
    section(`:wave: ${t(locale, 'ops.churn.section', { line: escapeMrkdwn(line) })}`),
    context(t(locale, 'ops.churn.context', { id: opts.deal.id, date: started })),
    { type: 'actions', block_id: 'deal_confirmation', elements: [{ type: 'button', action_id: UNDO_ACTION, text: { type: 'plain_text', text: t(locale, 'deal.undo') }, value: opts.undoValue, style: 'danger' }] },
  ];
  return { text: escapeMrkdwn(t(locale, 'ops.churn.text', { line })), blocks };
}

/**
 * Private confirmation of `/deal mrr` (undone with `/deal undo`).
 *
 * @example buildMrrChangeConfirmation({ deal, effectiveAt, previousMinor: 10_000_000n, newMinor: 12_000_000n, newCurrency: 'VND', reportingCurrency: 'VND', timeZone: 'UTC' }).text
 * // 'Expansion: Acme’s MRR is 12,000,000 ₫ from 2026-12-01 (was 10,000,000 ₫, +2,000,000 ₫)'
 */
export function buildMrrChangeConfirmation(opts: {
  deal: Deal;
  effectiveAt: Date;
  previousMinor: bigint;
  newMinor: bigint;
  newCurrency: string;
  newReportingMinor: bigint;
  reportingCurrency: string;
  timeZone: string;
  locale?: TLocale;
}): SlackMessage {
  const locale = opts.locale ?? 'en';
  const delta = opts.newReportingMinor - opts.previousMinor;
  const kind = delta > 0n ? 'expansion' : 'contraction';
  const signed = `${delta > 0n ? '+' : '-'}${formatMoneyL(locale, delta > 0n ? delta : -delta, opts.reportingCurrency)}`;
  const line = t(locale, 'ops.mrr.line', {
    customer: opts.deal.customer,
    amount: formatMoneyL(locale, opts.newMinor, opts.newCurrency),
    date: day(opts.effectiveAt, opts.timeZone, locale),
    previous: formatMoneyL(locale, opts.previousMinor, opts.reportingCurrency),
    delta: signed,
  });
  return {
    text: escapeMrkdwn(t(locale, 'ops.mrr.text', { kind, line })),
    blocks: [section(`:chart_with_upwards_trend: ${t(locale, 'ops.mrr.section', { kind, line: escapeMrkdwn(line) })}`), context(t(locale, 'ops.mrr.context', { id: opts.deal.id }))],
  };
}
