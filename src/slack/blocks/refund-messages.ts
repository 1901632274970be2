import type { KnownBlock } from '@slack/types';
import type { Deal, Refund } from '../../storage/models.js';
import type { TUndoResult } from '../../domain/deals/undo-last-change.js';
import type { TRefundCap } from '../../domain/refunds/refund-cap.js';
import type { SlackMessage } from '../gateway.js';
import { buildUndoConfirmation, instantL } from './deal-messages.js';
import type { TLocale } from '../../i18n/locales.js';
import { formatDateL, formatMoneyL } from '../../i18n/format.js';
import { t } from '../../i18n/t.js';
import { todayIso } from '../../domain/subscriptions/subscription-dates.js';
import { escapeMrkdwn, truncate } from './limits.js';
import { context, section } from './messages.js';

export const REFUND_PICK_ACTION = 'refund_pick';
export const REFUND_CONFIRM_ACTION = 'refund_confirm';
export const REFUND_CANCEL_ACTION = 'refund_cancel';
export const REFUND_UNDO_ACTION = 'refund_undo';

/** `Acme: $2,000,000 won 2026-11-03` (plain text: escape before showing); English keeps ISO dates. */
function dealLine(deal: Deal, timeZone: string, locale: TLocale): string {
  const amount = formatMoneyL(locale, deal.amountMinor, deal.currency);
  if (!deal.closedAt) return t(locale, 'ops.refund.dealLine', { customer: deal.customer, amount });
  const date = locale === 'en' ? todayIso(deal.closedAt, timeZone) : formatDateL(locale, deal.closedAt, timeZone);
  return t(locale, 'ops.refund.dealLineOn', { customer: deal.customer, amount, date });
}

/**
 * Private confirmation of a recorded refund, with an Undo button carrying `undoValue` (the sealed
 * refund id), in the reader's language.
 *
 * @example buildRefundConfirmation({ refund, deal, timeZone: 'UTC', undoValue }).text // 'Refund recorded: $20,000 on Acme (deal #7)…'
 */
export function buildRefundConfirmation(o: { refund: Refund; deal: Deal; reportingCurrency: string; timeZone: string; undoValue: string; locale?: TLocale }): SlackMessage {
  const { refund, deal } = o;
  const locale = o.locale ?? 'en';
  const amount = formatMoneyL(locale, refund.amountMinor, refund.currency);
  const converted = refund.currency === o.reportingCurrency ? '' : t(locale, 'ops.refund.converted', { amount: formatMoneyL(locale, refund.amountReportingMinor, o.reportingCurrency) });
  const reason = refund.reason ? t(locale, 'ops.refund.reason', { reason: refund.reason }) : '';
  const line = t(locale, 'ops.refund.line', { amount, converted, customer: deal.customer, id: deal.id, reason });
  const text = escapeMrkdwn(t(locale, 'ops.refund.recordedText', { line }));
  const blocks: KnownBlock[] = [
    section(`:leftwards_arrow_with_hook: ${t(locale, 'ops.refund.recordedSection', { line: escapeMrkdwn(line) })}`),
    context(escapeMrkdwn(t(locale, 'ops.refund.recordedContext', { when: instantL(refund.recordedAt, o.timeZone, locale), deal: dealLine(deal, o.timeZone, locale) }))),
    {
      type: 'actions',
      block_id: 'refund_confirmation',
      elements: [{ type: 'button', action_id: REFUND_UNDO_ACTION, text: { type: 'plain_text', text: t(locale, 'deal.undo') }, value: o.undoValue, style: 'danger' }],
    },
  ];
  return { text, blocks };
}

/**
 * Asked back privately when the customer has several won deals: one button per deal, each value
 * sealed (the chosen deal and the refund as typed).
 */
export function buildRefundPick(o: { customer: string; amountMinor: bigint; currency: string; timeZone: string; choices: ReadonlyArray<{ deal: Deal; ownerName: string; value: string }>; locale?: TLocale }): SlackMessage {
  const locale = o.locale ?? 'en';
  const amount = formatMoneyL(locale, o.amountMinor, o.currency);
  const text = escapeMrkdwn(t(locale, 'ops.refund.pickText', { customer: o.customer, count: String(o.choices.length), amount }));
  const lines = o.choices.map((c) => t(locale, 'ops.refund.pickLine', { id: c.deal.id, deal: escapeMrkdwn(dealLine(c.deal, o.timeZone, locale)), owner: escapeMrkdwn(c.ownerName) }));
  const buttons = o.choices.map((c) => ({
    type: 'button' as const,
    action_id: `${REFUND_PICK_ACTION}_${c.deal.id}`,
    text: { type: 'plain_text' as const, text: truncate(`#${c.deal.id} ${formatMoneyL(locale, c.deal.amountMinor, c.deal.currency)}`, 75) },
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
export function buildRefundOverCap(o: { deal: Deal; amountMinor: bigint; currency: string; cap: TRefundCap; timeZone: string; confirmValue: string; cancelValue: string; locale?: TLocale }): SlackMessage {
  const locale = o.locale ?? 'en';
  const amount = formatMoneyL(locale, o.amountMinor, o.currency);
  const left = o.cap.remainingMinor <= 0n ? t(locale, 'ops.refund.nothingLeft') : t(locale, 'ops.refund.onlyLeft', { amount: formatMoneyL(locale, o.cap.remainingMinor, o.cap.currency) });
  const text = escapeMrkdwn(t(locale, 'ops.refund.overCapText', { amount, customer: o.deal.customer, id: o.deal.id, won: formatMoneyL(locale, o.deal.amountMinor, o.deal.currency), left }));
  return {
    text,
    blocks: [
      section(`:warning: ${text}`),
      {
        type: 'actions',
        block_id: 'refund_over_cap',
        elements: [
          { type: 'button', action_id: REFUND_CONFIRM_ACTION, text: { type: 'plain_text', text: truncate(t(locale, 'ops.refund.confirmButton', { amount: truncate(amount, 40) }), 75) }, value: o.confirmValue, style: 'danger' },
          { type: 'button', action_id: REFUND_CANCEL_ACTION, text: { type: 'plain_text', text: t(locale, 'deal.modal.cancel') }, value: o.cancelValue },
        ],
      },
    ],
  };
}

export function buildRefundCancelled(locale: TLocale = 'en'): SlackMessage {
  const text = t(locale, 'ops.refund.cancelled');
  return { text, blocks: [section(text)] };
}

/** The answer to `/deal undo` (or an Undo button): a deal change, or a refund, undone. */
export function buildUndoAnswer(undone: TUndoResult, locale: TLocale = 'en'): SlackMessage {
  if (undone.action !== 'refund-removed') return buildUndoConfirmation(undone.action, undone.deal, undone.note, locale, undone.mrrChange);
  const r = undone.refund;
  const amount = formatMoneyL(locale, r.amountMinor, r.currency);
  const text = escapeMrkdwn(undone.deal ? t(locale, 'ops.refund.undoneOn', { amount, customer: undone.deal.customer }) : t(locale, 'ops.refund.undone', { amount }));
  return { text, blocks: [section(`:leftwards_arrow_with_hook: ${text}`)] };
}
