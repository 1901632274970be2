import type { KnownBlock, View } from '@slack/types';
import type { TLocale } from '../../i18n/locales.js';
import { t } from '../../i18n/t.js';
import { localStageLabel } from './kpi/funnel.js';
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
  /** The language of the person the modal opens for (English by default). */
  locale?: TLocale;
}




/**
 * The deal modal. Pure: the same options give the same view. The status select lists the open
 * stages, then Won and Lost.
 */
export function buildDealModal(o: DealModalOptions): View {
  const p = o.prefill ?? {};
  const locale = o.locale ?? 'en';
  const tr = (key: Parameters<typeof t>[1], values?: Parameters<typeof t>[2]) => t(locale, key, values);
  const statusOptions = [...o.stages.map((s) => option(`open:${s}`, tr('deal.modal.statusOpen', { stage: localStageLabel(s, locale) }))), option('won', tr('deal.modal.statusWon')), option('lost', tr('deal.modal.statusLost'))];
  const currencies = [o.defaultCurrency, ...o.currencies.filter((c) => c !== o.defaultCurrency)];
  const blocks: KnownBlock[] = [
    textInput('customer', tr('deal.modal.customer'), { initial: p.customer, placeholder: 'Acme Corp' }),
    textInput('amount', tr('deal.modal.amount'), { initial: p.amount, placeholder: tr('deal.modal.amountPlaceholder'), hint: tr('deal.modal.amountHint') }),
    staticSelect('currency', tr('deal.modal.currency'), currencies.map((c) => option(c, c)), p.currency ?? o.defaultCurrency),
    staticSelect('type', tr('deal.modal.type'), [option('new', tr('deal.modal.typeNew')), option('upsell', tr('deal.modal.typeUpsell')), option('renewal', tr('deal.modal.typeRenewal'))], p.type ?? 'new'),
    staticSelect('status', tr('deal.modal.status'), statusOptions, p.status ?? 'won'),
    {
      type: 'input',
      block_id: 'close_date',
      optional: true,
      label: { type: 'plain_text', text: tr('deal.modal.closeDate') },
      element: { type: 'datepicker', action_id: 'value', initial_date: p.closeDate ?? o.today },
    },
    {
      type: 'input',
      block_id: 'owner',
      label: { type: 'plain_text', text: tr('deal.modal.owner') },
      element: { type: 'users_select', action_id: 'value', initial_user: p.ownerUserId ?? o.userId },
    },
    textInput('recurring', tr('deal.modal.recurring'), { initial: p.recurring, optional: true, placeholder: tr('deal.modal.recurringPlaceholder'), hint: tr('deal.modal.recurringHint') }),
    textInput('discount', tr('deal.modal.discount'), { initial: p.discount, optional: true, placeholder: '1.5k' }),
    textInput('notes', tr('deal.modal.notes'), { initial: p.notes, optional: true, multiline: true }),
    {
      type: 'input',
      block_id: 'options',
      optional: true,
      label: { type: 'plain_text', text: tr('deal.modal.announcement') },
      element: { type: 'checkboxes', action_id: 'value', options: [option('private', tr('deal.modal.private'))] },
    },
    // A refund of a won deal has its own small form, opened on top of this one.
    {
      type: 'actions',
      block_id: 'deal_modal_refund',
      elements: [{ type: 'button', action_id: DEAL_MODAL_REFUND_ACTION, text: { type: 'plain_text', text: tr('deal.modal.refund') }, value: 'refund' }],
    },
  ];
  return {
    type: 'modal',
    callback_id: DEAL_MODAL_CALLBACK,
    title: { type: 'plain_text', text: tr('deal.modal.title') },
    submit: { type: 'plain_text', text: tr('deal.modal.submit') },
    close: { type: 'plain_text', text: tr('deal.modal.cancel') },
    private_metadata: o.seal(truncate(JSON.stringify(o.meta), LIMITS.privateMetadata - SEAL_OVERHEAD)),
    blocks,
  };
}
