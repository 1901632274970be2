import type { KnownBlock, View } from '@slack/types';
import { escapeMrkdwn, LIMITS, truncate } from './limits.js';
import { SEAL_OVERHEAD } from '../sealed-values.js';
import { option, plainText, staticSelect, textInput } from './inputs.js';
import { rateCommandExample } from '../../domain/money.js';
import type { TLocale } from '../../i18n/locales.js';
import { t } from '../../i18n/t.js';

export const QUOTA_MODAL_CALLBACK = 'quota_modal';

/** Block ids of the quota modal (also the keys of `response_action: errors`). */
export const QUOTA_FIELDS = {
  rep: 'rep',
  team: 'team',
  amount: 'amount',
  currency: 'currency',
  periodKind: 'period_kind',
  periodWhich: 'period_which',
  periodSpecific: 'period_specific',
} as const;

export type TQuotaKindChoice = 'month' | 'quarter' | 'year';
export type TQuotaWhichChoice = 'this' | 'next' | 'specific';

export interface TQuotaModalMeta {
  /** Channel the modal was opened from (for the private confirmation); null from the App Home. */
  channelId: string | null;
  origin: 'command' | 'home';
}

export interface TQuotaModalPrefill {
  repUserId?: string;
  teamId?: number;
  amount?: string;
  currency?: string;
  periodKind?: TQuotaKindChoice;
  periodWhich?: TQuotaWhichChoice;
  periodSpecific?: string;
}

export interface QuotaModalOptions {
  teams: ReadonlyArray<{ readonly id: number; readonly name: string }>;
  /** Currencies a quota can be entered in (the reporting currency and those with a rate). */
  currencies: readonly string[];
  reportingCurrency: string;
  timeZone: string;
  /** Short names of the current and next periods, e.g. { month: { this: 'November 2026', next: 'December 2026' }, quarter: { this: '2026-Q4', … }, … }. */
  periodNames: Readonly<Record<TQuotaKindChoice, { readonly this: string; readonly next: string }>>;
  prefill?: TQuotaModalPrefill;
  meta: TQuotaModalMeta;
  /** Signs the metadata (ValueSealer bound to the team and user), so a crafted one is refused. */
  seal: (json: string) => string;
  /** The opener's language (labels, hints, options, buttons). */
  locale?: TLocale;
}






/**
 * The quota modal (callback `quota_modal`). Pure: the same options give the same view. A rep
 * (users_select) or a team (static select, first 100 teams), the amount as typed (`50k`,
 * `$50,000`, `800tr`), its currency, the period kind and which one: this, next, or a specific one
 * typed as `2026-11`, `2026-Q3` or `2026`. Periods follow the workspace's zone and fiscal year.
 *
 * @example
 * const view = buildQuotaModal({ teams, currencies: ['USD'], reportingCurrency: 'USD', timeZone: 'UTC', periodNames, meta: { channelId: 'C1', origin: 'command' } });
 */
export function buildQuotaModal(o: QuotaModalOptions): View {
  const p = o.prefill ?? {};
  const locale = o.locale ?? 'en';
  const tr = (key: Parameters<typeof t>[1], values?: Parameters<typeof t>[2]) => t(locale, key, values);
  const currencies = [o.reportingCurrency, ...o.currencies.filter((c) => c !== o.reportingCurrency)];
  const kind = p.periodKind ?? 'month';
  const names = o.periodNames;
  const whichOptions = [
    option('this', tr('ops.quotaModal.this', { names: `${names.month.this} · ${names.quarter.this} · ${names.year.this}` })),
    option('next', tr('ops.quotaModal.next', { names: `${names.month.next} · ${names.quarter.next} · ${names.year.next}` })),
    option('specific', tr('ops.quotaModal.specificOption')),
  ];
  const initialWhich = whichOptions.find((x) => x.value === (p.periodWhich ?? 'this'));
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(tr('ops.quotaModal.intro', { timeZone: escapeMrkdwn(o.timeZone), currency: escapeMrkdwn(o.reportingCurrency) }), LIMITS.sectionText) },
    },
    {
      type: 'input',
      block_id: QUOTA_FIELDS.rep,
      optional: true,
      label: plainText(tr('ops.quotaModal.rep')),
      hint: plainText(o.teams.length ? tr('ops.quotaModal.repHint') : tr('ops.quotaModal.repHintNoTeams')),
      element: { type: 'users_select', action_id: 'value', ...(p.repUserId ? { initial_user: p.repUserId } : {}), placeholder: plainText(tr('ops.quotaModal.repPlaceholder'), LIMITS.inputPlaceholder) },
    },
  ];
  if (o.teams.length > 0) {
    const teamOptions = o.teams.map((t) => option(String(t.id), t.name));
    const hint = o.teams.length > LIMITS.staticOptions ? tr('ops.quotaModal.teamHintMore', { max: LIMITS.staticOptions }) : tr('ops.quotaModal.teamHint');
    blocks.push(staticSelect(QUOTA_FIELDS.team, tr('ops.quotaModal.team'), teamOptions, p.teamId === undefined ? undefined : String(p.teamId), { optional: true, hint, placeholder: tr('ops.quotaModal.teamPlaceholder') }));
  }
  blocks.push(
    textInput(QUOTA_FIELDS.amount, tr('ops.quotaModal.amount'), { maxLength: 64, initial: p.amount, placeholder: tr('ops.quotaModal.amountPlaceholder'), hint: tr('ops.quotaModal.amountHint') }),
    staticSelect(QUOTA_FIELDS.currency, tr('deal.modal.currency'), currencies.map((c) => option(c, c)), p.currency ?? o.reportingCurrency, {
      hint: currencies.length > 1 ? tr('ops.quotaModal.currencyHintConverted', { currency: o.reportingCurrency }) : tr('ops.quotaModal.currencyHintRates', { command: rateCommandExample(o.reportingCurrency === 'USD' ? 'EUR' : 'USD', o.reportingCurrency) }),
    }),
    staticSelect(QUOTA_FIELDS.periodKind, tr('ops.quotaModal.period'), (['month', 'quarter', 'year'] as const).map((k) => option(k, tr(`ops.quotaModal.${k}`))), kind),
    {
      type: 'input',
      block_id: QUOTA_FIELDS.periodWhich,
      label: plainText(tr('ops.quotaModal.which')),
      element: { type: 'radio_buttons', action_id: 'value', options: whichOptions, ...(initialWhich ? { initial_option: initialWhich } : {}) },
    },
    textInput(QUOTA_FIELDS.periodSpecific, tr('ops.quotaModal.specific'), {
      maxLength: 64,
      initial: p.periodSpecific,
      optional: true,
      placeholder: tr('ops.quotaModal.specificPlaceholder'),
      hint: tr('ops.quotaModal.specificHint', { timeZone: o.timeZone }),
    }),
  );
  return {
    type: 'modal',
    callback_id: QUOTA_MODAL_CALLBACK,
    title: plainText(tr('ops.quotaModal.title'), LIMITS.viewTitle),
    submit: plainText(tr('ops.quotaModal.submit'), LIMITS.viewTitle),
    close: plainText(tr('deal.modal.cancel'), LIMITS.viewTitle),
    private_metadata: o.seal(truncate(JSON.stringify(o.meta), LIMITS.privateMetadata - SEAL_OVERHEAD)),
    blocks,
  };
}
