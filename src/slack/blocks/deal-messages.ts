import { aliasList, DEAL_VERBS } from '../../domain/command-aliases.js';
import type { KnownBlock } from '@slack/types';
import type { Deal, Rep } from '../../storage/models.js';
import { stageLabel } from '../../domain/deals/stages.js';
import { formatMoney } from '../../domain/money.js';
import { formatInstant } from '../../domain/periods.js';
import type { SlackMessage } from '../gateway.js';
import { escapeMrkdwn } from './limits.js';
import { context, section } from './messages.js';
import { REFUND_HELP_LINE } from './refund-help.js';
import { SUBSCRIPTION_HELP_LINES } from '../../domain/subscriptions/parse-subscription-command.js';
import type { TLocale } from '../../i18n/locales.js';
import { formatDateL, formatMoneyL } from '../../i18n/format.js';
import { t, type TMessageKey } from '../../i18n/t.js';
import { localStageLabel } from './kpi/funnel.js';

export const UNDO_ACTION = 'deal_undo';

const TYPE_LABEL: Record<string, string> = { new: 'new business', upsell: 'upsell', renewal: 'renewal' };

/** A deal type's words in a language (an unknown type as stored). */
function typeLabel(type: string, locale: TLocale): string {
  if (locale === 'en') return TYPE_LABEL[type] ?? type;
  return type in TYPE_LABEL ? t(locale, `deal.type.${type}` as TMessageKey) : type;
}

/** A moment as people of the locale write it: English keeps `Fri, Nov 20, 2026 12:00 (UTC)`. */
export function instantL(d: Date, timeZone: string, locale: TLocale): string {
  if (locale === 'en') return formatInstant(d, timeZone);
  const hm = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(d);
  return `${formatDateL(locale, d, timeZone)} ${hm} (${timeZone})`;
}

function who(rep: Pick<Rep, 'slackUserId' | 'name'>): string {
  return rep.slackUserId ? `<@${rep.slackUserId}>` : escapeMrkdwn(rep.name);
}

/**
 * One line that states what the deal now is, as plain (unescaped) text: pass it through
 * `escapeMrkdwn` before it goes into a message.
 *
 * @example describeDeal(deal) // 'Acme: $12,000 won (upsell)'
 */
export function describeDeal(deal: Deal, locale: TLocale = 'en'): string {
  if (locale === 'en') {
    const amount = deal.amountMinor > 0n ? formatMoney(deal.amountMinor, deal.currency) : 'no amount yet';
    if (deal.status === 'won') return `${deal.customer}: ${amount} won (${TYPE_LABEL[deal.type] ?? deal.type})`;
    if (deal.status === 'lost') return `${deal.customer}: lost${deal.lostReason ? ` (${deal.lostReason})` : ''}, ${amount}`;
    return `${deal.customer}: ${stageLabel(deal.stage)}, ${amount}`;
  }
  // Plain text like the English line (escaped by the caller): names go in as typed.
  const amount = deal.amountMinor > 0n ? formatMoneyL(locale, deal.amountMinor, deal.currency) : t(locale, 'deal.noAmount');
  if (deal.status === 'won') return t(locale, 'deal.describe.won', { customer: deal.customer, amount, type: typeLabel(deal.type, locale) });
  if (deal.status === 'lost') return t(locale, 'deal.describe.lost', { customer: deal.customer, amount, reason: deal.lostReason ? t(locale, 'deal.describe.lostReason', { reason: deal.lostReason }) : '' });
  return t(locale, 'deal.describe.open', { customer: deal.customer, amount, stage: localStageLabel(deal.stage, locale) });
}

/** What a confirmation says was done (`deal.verb.*` in the catalog). */
export type TDealVerb = 'won' | 'lost' | 'lostCreated' | 'opened' | 'moved' | 'logged';

/**
 * Private confirmation of a change, with an Undo button carrying `undoValue` (the sealed deal id),
 * in the reader's language.
 */
export function buildDealConfirmation(opts: { deal: Deal; owner: Pick<Rep, 'slackUserId' | 'name'>; verb: TDealVerb; timeZone: string; duplicate?: boolean; undoValue: string; locale?: TLocale }): SlackMessage {
  const { deal } = opts;
  const locale = opts.locale ?? 'en';
  const verb = t(locale, `deal.verb.${opts.verb}`, { customer: deal.customer });
  const already = t(locale, 'deal.alreadyLogged');
  const line = describeDeal(deal, locale);
  const text = escapeMrkdwn(t(locale, 'deal.line', { verb: opts.duplicate ? already : verb, line }));
  const when = deal.closedAt ? t(locale, 'deal.closed', { when: instantL(deal.closedAt, opts.timeZone, locale) }) : t(locale, 'deal.opened', { when: instantL(deal.createdAt, opts.timeZone, locale) });
  const sep = locale === 'zh-CN' ? '：' : ':';
  const blocks: KnownBlock[] = [
    section(`:white_check_mark: *${escapeMrkdwn(opts.duplicate ? already : verb)}${sep}* ${escapeMrkdwn(line)}`),
    context(t(locale, 'deal.context', { id: String(deal.id), owner: who(opts.owner), when: escapeMrkdwn(when) })),
  ];
  if (!opts.duplicate) {
    blocks.push({
      type: 'actions',
      block_id: 'deal_confirmation',
      elements: [{ type: 'button', action_id: UNDO_ACTION, text: { type: 'plain_text', text: t(locale, 'deal.undo') }, value: opts.undoValue, style: 'danger' }],
    });
  }
  return { text, blocks };
}

/** The channel announcement of a won deal, in the channel's (the workspace's) language. */
export function buildWonAnnouncement(deal: Deal, owner: Pick<Rep, 'slackUserId' | 'name'>, locale: TLocale = 'en'): SlackMessage {
  const amount = formatMoneyL(locale, deal.amountMinor, deal.currency);
  const type = typeLabel(deal.type, locale);
  return {
    text: escapeMrkdwn(t(locale, 'deal.announce.text', { owner: owner.name, customer: deal.customer, amount, type })),
    blocks: [section(t(locale, 'deal.announce.section', { owner: who(owner), customer: escapeMrkdwn(deal.customer), amount: escapeMrkdwn(amount), type: escapeMrkdwn(type) }))],
  };
}

/** The answer to an undo; a domain `note` (a churn or MRR change reverted) is English for now. */
export function buildUndoConfirmation(action: 'removed' | 'restored', deal: Deal, note?: string, locale: TLocale = 'en', mrrChange?: { monthlyMinor: bigint; currency: string }): SlackMessage {
  const said = mrrChange
    ? t(locale, 'ops.mrr.undone', { customer: deal.customer, amount: formatMoneyL(locale, mrrChange.monthlyMinor, mrrChange.currency) })
    : note ? `Undone: ${note}` : action === 'removed' ? t(locale, 'deal.undone.removed', { customer: deal.customer }) : t(locale, 'deal.undone.restored', { line: describeDeal(deal, locale) });
  const text = escapeMrkdwn(said);
  return { text, blocks: [section(`:leftwards_arrow_with_hook: ${text}`)] };
}

export function buildDealHelp(locale: TLocale = 'en'): SlackMessage {
  const tr = (key: TMessageKey) => t(locale, key);
  const lines = [
    tr('deal.help.title'),
    tr('deal.help.modal'),
    tr('deal.help.won'),
    tr('deal.help.lost'),
    tr('deal.help.stage'),
    tr('deal.help.lead'),
    // English reads the lines where the refund and subscription commands are defined.
    locale === 'en' ? REFUND_HELP_LINE : tr('deal.help.refund'),
    ...(locale === 'en' ? SUBSCRIPTION_HELP_LINES : [tr('deal.help.churn'), tr('deal.help.mrr')]),
    tr('deal.help.undo'),
    tr('deal.help.bulkLeads'),
    tr('deal.help.amounts'),
    // The verbs of the reader's language (domain/command-aliases.ts); English help is as it was.
    ...(locale === 'en' ? [] : [t(locale, 'deal.help.localVerbs', { verbs: aliasList(DEAL_VERBS, locale, (v) => v !== 'help' && v !== 'modal') })]),
  ];
  return { text: lines.join('\n'), blocks: [section(lines.join('\n'))] };
}
