import type { KnownBlock } from '@slack/types';
import type { Deal } from '../../storage/models.js';
import type { TPeriod } from '../../domain/periods.js';
import type { SlackMessage } from '../gateway.js';
import { UNDO_ACTION } from './deal-messages.js';
import { escapeMrkdwn } from './limits.js';
import { context, section } from './messages.js';
import type { TLocale } from '../../i18n/locales.js';
import { formatCountL, periodLabel } from '../../i18n/format.js';
import { t } from '../../i18n/t.js';

/** Who a lead count is for, as shown in Slack. */
export type TLeadCountWhoView = { kind: 'workspace' } | { kind: 'team'; name: string } | { kind: 'rep'; slackUserId: string | null; name: string };

function whoMrkdwn(who: TLeadCountWhoView, locale: TLocale): string {
  if (who.kind === 'workspace') return t(locale, 'ops.leads.whoWorkspace');
  if (who.kind === 'team') return t(locale, 'ops.leads.whoTeam', { team: escapeMrkdwn(who.name) });
  return who.slackUserId ? `<@${who.slackUserId}>` : `*${escapeMrkdwn(who.name)}*`;
}

/** The words that name the same scope again in a `/kpi leads` command. */
function whoWords(who: TLeadCountWhoView): string {
  if (who.kind === 'workspace') return '';
  if (who.kind === 'team') return ` team ${escapeMrkdwn(who.name)}`;
  return who.slackUserId ? ` <@${who.slackUserId}>` : ' me';
}

export interface LeadCountConfirmationOptions {
  action: 'recorded' | 'cleared';
  who: TLeadCountWhoView;
  period: Pick<TPeriod, 'kind' | 'label' | 'key' | 'start' | 'end' | 'timeZone'>;
  source: string | null;
  /** The count now stored (recorded), or the one removed (cleared). */
  count: number;
  /** The count it replaced (recorded only), if any. */
  previousCount: number | null;
  /** False: the same count was already stored, nothing changed. */
  changed: boolean;
  /** The reader's language. */
  locale?: TLocale;
}

/**
 * The private confirmation of `/kpi leads …`: what is stored now, what it replaced, and the exact
 * command that goes back (the previous count again, or `clear` for a new one).
 *
 * @example
 * buildLeadCountConfirmation({ action: 'recorded', who: { kind: 'workspace' }, period: { label: 'March 2026', key: '2026-03' },
 *   source: null, count: 500, previousCount: 400, changed: true }).text;
 * // 'Lead count recorded: 500 leads for the whole workspace in March 2026 (all sources). It replaces 400.'
 */
export function buildLeadCountConfirmation(o: LeadCountConfirmationOptions): SlackMessage {
  const locale = o.locale ?? 'en';
  const n = (x: number) => formatCountL(locale, x);
  const src = o.source === null ? t(locale, 'ops.leads.allSources') : t(locale, 'ops.leads.source', { source: escapeMrkdwn(o.source) });
  const srcWords = o.source === null ? '' : ` ${escapeMrkdwn(o.source)}`;
  const period = escapeMrkdwn(periodLabel(locale, o.period));
  const same = `${escapeMrkdwn(o.period.key)}${whoWords(o.who)}${srcWords}`;
  const who = whoMrkdwn(o.who, locale);
  if (o.action === 'cleared') {
    const text = t(locale, 'ops.leads.removed', { count: n(o.count), who, period, source: src });
    return {
      text,
      blocks: [section(`:wastebasket: ${text}`), context(t(locale, 'ops.leads.putBack', { command: `${o.count} ${same}` }))],
    };
  }
  const replaced = o.changed && o.previousCount !== null ? t(locale, 'ops.leads.replaces', { count: n(o.previousCount) }) : '';
  const verb = o.changed ? t(locale, 'ops.leads.recorded') : t(locale, 'ops.leads.already');
  const text = t(locale, 'ops.leads.text', { verb, count: n(o.count), who, period, source: src, replaced, unchanged: o.changed ? '' : t(locale, 'ops.leads.unchanged') });
  const back = o.previousCount !== null && o.changed ? `/kpi leads ${o.previousCount} ${same}` : `/kpi leads clear ${same}`;
  const blocks: KnownBlock[] = [section(`:bar_chart: ${text}`), context(t(locale, 'ops.leads.context', { period, who, command: back }))];
  return { text, blocks };
}

/**
 * The private confirmation of `/deal lead Acme web`.
 *
 * @example
 * buildLeadConfirmation({ deal, stageName: 'Lead', duplicate: false }).text; // 'Lead logged: Acme (source web), at stage Lead.'
 */
export function buildLeadConfirmation(o: { deal: Deal; stageName: string; duplicate: boolean; undoValue: string; locale?: TLocale }): SlackMessage {
  const locale = o.locale ?? 'en';
  const src = o.deal.leadSource ? t(locale, 'ops.lead.source', { source: escapeMrkdwn(o.deal.leadSource) }) : '';
  const verb = o.duplicate ? t(locale, 'deal.alreadyLogged') : t(locale, 'ops.lead.logged');
  const parts = { verb, customer: escapeMrkdwn(o.deal.customer), source: src, stage: escapeMrkdwn(o.stageName) };
  const text = t(locale, 'ops.lead.text', parts);
  const blocks: KnownBlock[] = [
    section(`:seedling: ${t(locale, 'ops.lead.section', parts)}`),
    context(t(locale, 'ops.lead.context', { id: o.deal.id, name: escapeMrkdwn(quoteIfSpaced(o.deal.customer)) })),
  ];
  if (!o.duplicate) {
    blocks.push({
      type: 'actions',
      block_id: 'deal_confirmation',
      elements: [{ type: 'button', action_id: UNDO_ACTION, text: { type: 'plain_text', text: t(locale, 'deal.undo') }, value: o.undoValue, style: 'danger' }],
    });
  }
  return { text, blocks };
}

function quoteIfSpaced(name: string): string {
  return /\s/.test(name) ? `"${name}"` : name;
}
