import type { KnownBlock } from '@slack/types';
import type { Deal } from '../../storage/models.js';
import { formatMoney } from '../../domain/money.js';
import { localParts } from '../../domain/periods.js';
import type { SlackMessage } from '../gateway.js';
import { UNDO_ACTION } from './deal-messages.js';
import { escapeMrkdwn } from './limits.js';
import { context, section } from './messages.js';

function day(d: Date, timeZone: string): string {
  const p = localParts(d, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/**
 * Private confirmation of `/deal churn`, with an Undo button (the sealed deal id).
 *
 * @example buildChurnConfirmation({ deal, endedAt, churnedMinor: 10_000_000n, reportingCurrency: 'VND', timeZone: 'UTC', undoValue }).text
 * // 'Churned: Acme’s subscription ends on 2026-12-01; MRR down 10,000,000 ₫ from then on'
 */
export function buildChurnConfirmation(opts: { deal: Deal; endedAt: Date; churnedMinor: bigint; reportingCurrency: string; timeZone: string; undoValue: string }): SlackMessage {
  const line = `${opts.deal.customer}’s subscription ends on ${day(opts.endedAt, opts.timeZone)}; MRR down ${formatMoney(opts.churnedMinor, opts.reportingCurrency)} from then on`;
  const blocks: KnownBlock[] = [
    section(`:wave: *Churned:* ${escapeMrkdwn(line)}`),
    context(`Deal #${opts.deal.id} · subscription started ${escapeMrkdwn(opts.deal.subscriptionStart ? day(opts.deal.subscriptionStart, opts.timeZone) : '?')} · \`/kpi mrr\` shows the movements`),
    { type: 'actions', block_id: 'deal_confirmation', elements: [{ type: 'button', action_id: UNDO_ACTION, text: { type: 'plain_text', text: 'Undo' }, value: opts.undoValue, style: 'danger' }] },
  ];
  return { text: escapeMrkdwn(`Churned: ${line}`), blocks };
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
}): SlackMessage {
  const delta = opts.newReportingMinor - opts.previousMinor;
  const kind = delta > 0n ? 'Expansion' : 'Contraction';
  const signed = `${delta > 0n ? '+' : '-'}${formatMoney(delta > 0n ? delta : -delta, opts.reportingCurrency)}`;
  const line = `${opts.deal.customer}’s MRR is ${formatMoney(opts.newMinor, opts.newCurrency)} from ${day(opts.effectiveAt, opts.timeZone)} (was ${formatMoney(opts.previousMinor, opts.reportingCurrency)}, ${signed})`;
  return {
    text: escapeMrkdwn(`${kind}: ${line}`),
    blocks: [section(`:chart_with_upwards_trend: *${kind}:* ${escapeMrkdwn(line)}`), context(`Deal #${opts.deal.id} · \`/deal undo\` removes this change`)],
  };
}
