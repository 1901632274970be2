import type { KnownBlock, View } from '@slack/types';
import { stageLabel } from '../../domain/deals/stages.js';
import { LIMITS, truncate } from './limits.js';
import { SEAL_OVERHEAD } from '../sealed-values.js';
import { option, staticSelect, textInput } from './inputs.js';
import { DEAL_MODAL_REFUND_ACTION } from './refund-modal.js';

export const DEAL_MODAL_CALLBACK = 'deal_modal';

/** Values the modal opens with (from a message shortcut, or a previous attempt). */
export interface TDealModalPrefill {
  customer?: string;
  amount?: string;
  currency?: string;
  type?: 'new' | 'upsell' | 'renewal';
  status?: string;
  closeDate?: string;
  ownerUserId?: string;
  recurring?: string;
  discount?: string;
  notes?: string;
}

export interface TDealModalMeta {
  /** Channel the modal was opened from, for the announcement and confirmation. */
  channelId: string | null;
  /** Message shortcut source (channel:ts), so the same message is not logged twice. */
  sourceKey?: string;
}

export interface DealModalOptions {
  stages: readonly string[];
  currencies: readonly string[];
  defaultCurrency: string;
  userId: string;
  today: string;
  prefill?: TDealModalPrefill;
  meta: TDealModalMeta;
  /** Signs the metadata (ValueSealer bound to the team and user), so a crafted one is refused. */
  seal: (json: string) => string;
}




/**
 * The deal modal. Pure: the same options give the same view. The status select lists the open
 * stages, then Won and Lost.
 */
export function buildDealModal(o: DealModalOptions): View {
  const p = o.prefill ?? {};
  const statusOptions = [...o.stages.map((s) => option(`open:${s}`, `Open: ${stageLabel(s)}`)), option('won', 'Won'), option('lost', 'Lost')];
  const currencies = [o.defaultCurrency, ...o.currencies.filter((c) => c !== o.defaultCurrency)];
  const blocks: KnownBlock[] = [
    textInput('customer', 'Customer', { initial: p.customer, placeholder: 'Acme Corp' }),
    textInput('amount', 'Amount', { initial: p.amount, placeholder: '12k, $12,000, 1.5m, 800tr', hint: 'Whole deal value after discount. 12k = 12,000; 800tr = 800 million VND.' }),
    staticSelect('currency', 'Currency', currencies.map((c) => option(c, c)), p.currency ?? o.defaultCurrency),
    staticSelect('type', 'Type', [option('new', 'New business'), option('upsell', 'Upsell / cross-sell / expansion'), option('renewal', 'Renewal')], p.type ?? 'new'),
    staticSelect('status', 'Status', statusOptions, p.status ?? 'won'),
    {
      type: 'input',
      block_id: 'close_date',
      optional: true,
      label: { type: 'plain_text', text: 'Close date (won or lost deals)' },
      element: { type: 'datepicker', action_id: 'value', initial_date: p.closeDate ?? o.today },
    },
    {
      type: 'input',
      block_id: 'owner',
      label: { type: 'plain_text', text: 'Owner' },
      element: { type: 'users_select', action_id: 'value', initial_user: p.ownerUserId ?? o.userId },
    },
    textInput('recurring', 'Monthly recurring amount (subscriptions)', { initial: p.recurring, optional: true, placeholder: '1,000 per month', hint: 'Counts toward MRR from the close date.' }),
    textInput('discount', 'Discount given', { initial: p.discount, optional: true, placeholder: '1.5k' }),
    textInput('notes', 'Notes', { initial: p.notes, optional: true, multiline: true }),
    {
      type: 'input',
      block_id: 'options',
      optional: true,
      label: { type: 'plain_text', text: 'Announcement' },
      element: { type: 'checkboxes', action_id: 'value', options: [option('private', "Private: don't announce a won deal in the channel")] },
    },
    // A refund of a won deal has its own small form, opened on top of this one.
    {
      type: 'actions',
      block_id: 'deal_modal_refund',
      elements: [{ type: 'button', action_id: DEAL_MODAL_REFUND_ACTION, text: { type: 'plain_text', text: 'Record a refund instead' }, value: 'refund' }],
    },
  ];
  return {
    type: 'modal',
    callback_id: DEAL_MODAL_CALLBACK,
    title: { type: 'plain_text', text: 'Log a deal' },
    submit: { type: 'plain_text', text: 'Save deal' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: o.seal(truncate(JSON.stringify(o.meta), LIMITS.privateMetadata - SEAL_OVERHEAD)),
    blocks,
  };
}
