import type { KnownBlock, View } from '@slack/types';
import { escapeMrkdwn, LIMITS, truncate } from './limits.js';
import { SEAL_OVERHEAD } from '../sealed-values.js';
import { option, plainText, staticSelect, textInput } from './inputs.js';
import { rateCommandExample } from '../../domain/money.js';

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
}





const KIND_LABEL: Record<TQuotaKindChoice, string> = { month: 'Month', quarter: 'Quarter', year: 'Year' };

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
  const currencies = [o.reportingCurrency, ...o.currencies.filter((c) => c !== o.reportingCurrency)];
  const kind = p.periodKind ?? 'month';
  const names = o.periodNames;
  const whichOptions = [
    option('this', `This one (${names.month.this} · ${names.quarter.this} · ${names.year.this})`),
    option('next', `The next one (${names.month.next} · ${names.quarter.next} · ${names.year.next})`),
    option('specific', 'A specific one, typed below'),
  ];
  const initialWhich = whichOptions.find((x) => x.value === (p.periodWhich ?? 'this'));
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(
          `Set a quota for *one rep or one team*. Setting it again for the same period replaces it. Periods follow the workspace calendar in *${escapeMrkdwn(o.timeZone)}*; amounts are kept in ${escapeMrkdwn(o.reportingCurrency)}.`,
          LIMITS.sectionText,
        ),
      },
    },
    {
      type: 'input',
      block_id: QUOTA_FIELDS.rep,
      optional: true,
      label: plainText('Rep'),
      hint: plainText(o.teams.length ? 'Pick a rep, or a team below (not both).' : 'Team quotas need a team: `/kpi team create North`.'),
      element: { type: 'users_select', action_id: 'value', ...(p.repUserId ? { initial_user: p.repUserId } : {}), placeholder: plainText('Choose a rep', LIMITS.inputPlaceholder) },
    },
  ];
  if (o.teams.length > 0) {
    const teamOptions = o.teams.map((t) => option(String(t.id), t.name));
    const more = o.teams.length > LIMITS.staticOptions ? ` Showing the first ${LIMITS.staticOptions} teams; for others use \`/kpi quota set team <name> 50k\`.` : '';
    blocks.push(staticSelect(QUOTA_FIELDS.team, '…or a team', teamOptions, p.teamId === undefined ? undefined : String(p.teamId), { optional: true, hint: `A team quota covers the whole team.${more}`, placeholder: 'Choose a team' }));
  }
  blocks.push(
    textInput(QUOTA_FIELDS.amount, 'Quota amount', { maxLength: 64, initial: p.amount, placeholder: '50k, $50,000, 1.5m, 800tr', hint: '50k = 50,000; 1.5m = 1,500,000; 800tr = 800 million VND.' }),
    staticSelect(QUOTA_FIELDS.currency, 'Currency', currencies.map((c) => option(c, c)), p.currency ?? o.reportingCurrency, {
      hint: currencies.length > 1 ? `Other currencies are converted to ${o.reportingCurrency} at the workspace rate.` : `Add other currencies with rates (admins), e.g. \`${rateCommandExample(o.reportingCurrency === 'USD' ? 'EUR' : 'USD', o.reportingCurrency)}\`.`,
    }),
    staticSelect(QUOTA_FIELDS.periodKind, 'Period', (['month', 'quarter', 'year'] as const).map((k) => option(k, KIND_LABEL[k])), kind),
    {
      type: 'input',
      block_id: QUOTA_FIELDS.periodWhich,
      label: plainText('Which one'),
      element: { type: 'radio_buttons', action_id: 'value', options: whichOptions, ...(initialWhich ? { initial_option: initialWhich } : {}) },
    },
    textInput(QUOTA_FIELDS.periodSpecific, 'Specific period', {
      maxLength: 64,
      initial: p.periodSpecific,
      optional: true,
      placeholder: '2026-11, 2026-Q3 or 2026',
      hint: `A month (2026-11), a quarter (2026-Q3) or a year (2026). When filled in, it is used instead of Period and Which one. Time zone ${o.timeZone}.`,
    }),
  );
  return {
    type: 'modal',
    callback_id: QUOTA_MODAL_CALLBACK,
    title: plainText('Set a quota', LIMITS.viewTitle),
    submit: plainText('Save quota', LIMITS.viewTitle),
    close: plainText('Cancel', LIMITS.viewTitle),
    private_metadata: o.seal(truncate(JSON.stringify(o.meta), LIMITS.privateMetadata - SEAL_OVERHEAD)),
    blocks,
  };
}
