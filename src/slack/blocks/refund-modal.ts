import type { KnownBlock, View } from '@slack/types';
import { LIMITS, truncate } from './limits.js';
import { SEAL_OVERHEAD } from '../sealed-values.js';
import { option, staticSelect, textInput } from './inputs.js';

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
}

/**
 * The refund modal (App Home's *Record refund*, the deal modal's *Record a refund*): customer,
 * amount, currency, reason, and the explicit confirmation for a refund above what was won.
 * Pure: the same options give the same view.
 */
export function buildRefundModal(o: RefundModalOptions): View {
  const p = o.prefill ?? {};
  const currencies = [o.defaultCurrency, ...o.currencies.filter((c) => c !== o.defaultCurrency)];
  const blocks: KnownBlock[] = [
    textInput('customer', 'Customer', { initial: p.customer, placeholder: 'Acme Corp', hint: 'The customer of a won deal; the refund is recorded against it.' }),
    textInput('amount', 'Amount refunded', { initial: p.amount, placeholder: '2m, $2,000,000, 800tr', hint: 'Counts against net revenue of today’s period.' }),
    staticSelect('currency', 'Currency', currencies.map((c) => option(c, c)), p.currency ?? o.defaultCurrency),
    textInput('reason', 'Reason', { initial: p.reason, optional: true, placeholder: 'Damaged goods', maxLength: 500 }),
    {
      type: 'input',
      block_id: 'confirm',
      optional: true,
      label: { type: 'plain_text', text: 'Above the deal' },
      element: { type: 'checkboxes', action_id: 'value', options: [option(REFUND_OVER_CAP_OPTION, 'Record it even if it is more than was won (minus earlier refunds)')] },
    },
  ];
  return {
    type: 'modal',
    callback_id: REFUND_MODAL_CALLBACK,
    title: { type: 'plain_text', text: 'Record a refund' },
    submit: { type: 'plain_text', text: 'Record refund' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: o.seal(truncate(JSON.stringify(o.meta), LIMITS.privateMetadata - SEAL_OVERHEAD)),
    blocks,
  };
}
