import type { KnownBlock } from '@slack/types';
import type { Deal, Refund } from '../../storage/models.js';
import type { TUndoResult } from '../../domain/deals/undo-last-change.js';
import type { TRefundCap } from '../../domain/refunds/refund-cap.js';
import { formatMoney } from '../../domain/money.js';
import { formatInstant } from '../../domain/periods.js';
import type { SlackMessage } from '../gateway.js';
import { buildUndoConfirmation } from './deal-messages.js';
import type { TLocale } from '../../i18n/locales.js';
import { escapeMrkdwn, truncate } from './limits.js';
import { context, section } from './messages.js';

export const REFUND_PICK_ACTION = 'refund_pick';
export const REFUND_CONFIRM_ACTION = 'refund_confirm';
export const REFUND_CANCEL_ACTION = 'refund_cancel';
export const REFUND_UNDO_ACTION = 'refund_undo';

/** `Acme: $2,000,000 won 2026-11-03` (plain text: escape before showing). */
function dealLine(deal: Deal, timeZone: string): string {
  const won = deal.closedAt ? ` won ${formatInstant(deal.closedAt, timeZone).slice(0, 10)}` : ' won';
  return `${deal.customer}: ${formatMoney(deal.amountMinor, deal.currency)}${won}`;
}

/**
 * Private confirmation of a recorded refund, with an Undo button carrying `undoValue` (the sealed
 * refund id).
 *
 * @example buildRefundConfirmation({ refund, deal, timeZone: 'UTC', undoValue }).text // 'Refund recorded: $20,000 on Acme (deal #7)…'
 */
export function buildRefundConfirmation(o: { refund: Refund; deal: Deal; reportingCurrency: string; timeZone: string; undoValue: string }): SlackMessage {
  const { refund, deal } = o;
  const amount = formatMoney(refund.amountMinor, refund.currency);
  const converted = refund.currency === o.reportingCurrency ? '' : ` (${formatMoney(refund.amountReportingMinor, o.reportingCurrency)})`;
  const line = `${amount}${converted} on ${deal.customer} (deal #${deal.id})${refund.reason ? `: ${refund.reason}` : ''}`;
  const text = escapeMrkdwn(`Refund recorded: ${line}. It counts against net revenue of the period it was recorded in.`);
  const blocks: KnownBlock[] = [
    section(`:leftwards_arrow_with_hook: *Refund recorded:* ${escapeMrkdwn(line)}`),
    context(escapeMrkdwn(`Recorded ${formatInstant(refund.recordedAt, o.timeZone)}: it lowers net revenue of that period (gross won stays as it was). Deal ${dealLine(deal, o.timeZone)}.`)),
    {
      type: 'actions',
      block_id: 'refund_confirmation',
      elements: [{ type: 'button', action_id: REFUND_UNDO_ACTION, text: { type: 'plain_text', text: 'Undo' }, value: o.undoValue, style: 'danger' }],
    },
  ];
  return { text, blocks };
}

/**
 * Asked back privately when the customer has several won deals: one button per deal, each value
 * sealed (the chosen deal and the refund as typed).
 */
export function buildRefundPick(o: { customer: string; amountMinor: bigint; currency: string; timeZone: string; choices: ReadonlyArray<{ deal: Deal; ownerName: string; value: string }> }): SlackMessage {
  const amount = formatMoney(o.amountMinor, o.currency);
  const text = escapeMrkdwn(`${o.customer} has ${o.choices.length} won deals. Which one is the ${amount} refund for? Nothing is recorded until you pick one.`);
  const lines = o.choices.map((c) => `• #${c.deal.id} ${escapeMrkdwn(dealLine(c.deal, o.timeZone))}, owner ${escapeMrkdwn(c.ownerName)}`);
  const buttons = o.choices.map((c) => ({
    type: 'button' as const,
    action_id: `${REFUND_PICK_ACTION}_${c.deal.id}`,
    text: { type: 'plain_text' as const, text: truncate(`#${c.deal.id} ${formatMoney(c.deal.amountMinor, c.deal.currency)}`, 75) },
    value: c.value,
  }));
  return {
    text,
    blocks: [section(`:question: ${text}`), section(lines.join('\n')), { type: 'actions', block_id: 'refund_pick', elements: buttons.slice(0, 25) }],
  };
}

/**
 * Asked back privately when a refund is more than what is left of the deal (won minus earlier
 * refunds): nothing is written until Confirm.
 */
export function buildRefundOverCap(o: { deal: Deal; amountMinor: bigint; currency: string; cap: TRefundCap; timeZone: string; confirmValue: string; cancelValue: string }): SlackMessage {
  const amount = formatMoney(o.amountMinor, o.currency);
  const left = o.cap.remainingMinor <= 0n ? 'nothing is left to refund on it' : `only ${formatMoney(o.cap.remainingMinor, o.cap.currency)} is left to refund on it`;
  const text = escapeMrkdwn(`${amount} is more than was won on ${o.deal.customer} (deal #${o.deal.id}, ${formatMoney(o.deal.amountMinor, o.deal.currency)}): ${left}. Nothing was recorded. Confirm to record it anyway.`);
  return {
    text,
    blocks: [
      section(`:warning: ${text}`),
      {
        type: 'actions',
        block_id: 'refund_over_cap',
        elements: [
          { type: 'button', action_id: REFUND_CONFIRM_ACTION, text: { type: 'plain_text', text: `Confirm ${truncate(amount, 40)} refund` }, value: o.confirmValue, style: 'danger' },
          { type: 'button', action_id: REFUND_CANCEL_ACTION, text: { type: 'plain_text', text: 'Cancel' }, value: o.cancelValue },
        ],
      },
    ],
  };
}

export function buildRefundCancelled(): SlackMessage {
  const text = 'Cancelled: no refund was recorded.';
  return { text, blocks: [section(text)] };
}

/** The answer to `/deal undo` (or an Undo button): a deal change, or a refund, undone. */
export function buildUndoAnswer(undone: TUndoResult, locale: TLocale = 'en'): SlackMessage {
  if (undone.action !== 'refund-removed') return buildUndoConfirmation(undone.action, undone.deal, undone.note, locale);
  const r = undone.refund;
  const on = undone.deal ? ` on ${undone.deal.customer}` : '';
  const text = escapeMrkdwn(`Undone: the ${formatMoney(r.amountMinor, r.currency)} refund${on} was removed.`);
  return { text, blocks: [section(`:leftwards_arrow_with_hook: ${text}`)] };
}
