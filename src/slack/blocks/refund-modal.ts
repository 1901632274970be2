import type { KnownBlock, View } from '@slack/types';
import { LIMITS, truncate } from './limits.js';
import { SEAL_OVERHEAD } from '../sealed-values.js';
import { option, staticSelect, textInput } from './inputs.js';
import type { TLocale } from '../../i18n/locales.js';
import { t } from '../../i18n/t.js';

export const REFUND_MODAL_CALLBACK = 'refund_modal';
/** The "Record a refund" button inside the deal modal (opens this modal on top of it). */
export const DEAL_MODAL_REFUND_ACTION = 'deal_modal_refund';
/** The checkbox value that confirms a refund above what was won minus earlier refunds. */
export const REFUND_OVER_CAP_OPTION = 'over_cap';

export interface TRefundModalMeta {
  /** Channel it was opened from, for the confirmation (null: a DM). */
  channelId: string | null;
}

export interface RefundModalOptions {
  currencies: readonly string[];
  defaultCurrency: string;
  prefill?: { customer?: string; amount?: string; currency?: string; reason?: string };
  meta: TRefundModalMeta;
  /** Signs the metadata (bound to the team and user), so a crafted one is refused. */
  seal: (json: string) => string;
  /** The opener's language (labels, hints, buttons). */
  locale?: TLocale;
}

/**
 * The refund modal (App Home's *Record refund*, the deal modal's *Record a refund*): customer,
 * amount, currency, reason, and the explicit confirmation for a refund above what was won.
 * Pure: the same options give the same view.
 */
export function buildRefundModal(o: RefundModalOptions): View {
  const p = o.prefill ?? {};
  const tr = (key: Parameters<typeof t>[1]) => t(o.locale ?? 'en', key);
  const currencies = [o.defaultCurrency, ...o.currencies.filter((c) => c !== o.defaultCurrency)];
  const blocks: KnownBlock[] = [
    textInput('customer', tr('deal.modal.customer'), { initial: p.customer, placeholder: 'Acme Corp', hint: tr('ops.refundModal.customerHint') }),
    textInput('amount', tr('ops.refundModal.amount'), { initial: p.amount, placeholder: tr('ops.refundModal.amountPlaceholder'), hint: tr('ops.refundModal.amountHint') }),
    staticSelect('currency', tr('deal.modal.currency'), currencies.map((c) => option(c, c)), p.currency ?? o.defaultCurrency),
    textInput('reason', tr('ops.refundModal.reason'), { initial: p.reason, optional: true, placeholder: tr('ops.refundModal.reasonPlaceholder'), maxLength: 500 }),
    {
      type: 'input',
      block_id: 'confirm',
      optional: true,
      label: { type: 'plain_text', text: tr('ops.refundModal.confirm') },
      element: { type: 'checkboxes', action_id: 'value', options: [option(REFUND_OVER_CAP_OPTION, tr('ops.refundModal.confirmOption'))] },
    },
  ];
  return {
    type: 'modal',
    callback_id: REFUND_MODAL_CALLBACK,
    title: { type: 'plain_text', text: tr('ops.refundModal.title') },
    submit: { type: 'plain_text', text: tr('ops.refundModal.submit') },
    close: { type: 'plain_text', text: tr('deal.modal.cancel') },
    private_metadata: o.seal(truncate(JSON.stringify(o.meta), LIMITS.privateMetadata - SEAL_OVERHEAD)),
    blocks,
  };
}
