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

export const UNDO_ACTION = 'deal_undo';

const TYPE_LABEL: Record<string, string> = { new: 'new business', upsell: 'upsell', renewal: 'renewal' };

function who(rep: Pick<Rep, 'slackUserId' | 'name'>): string {
  return rep.slackUserId ? `<@${rep.slackUserId}>` : escapeMrkdwn(rep.name);
}

/**
 * One line that states what the deal now is, as plain (unescaped) text: pass it through
 * `escapeMrkdwn` before it goes into a message.
 *
 * @example describeDeal(deal) // 'Acme: $12,000 won (upsell)'
 */
export function describeDeal(deal: Deal): string {
  const amount = deal.amountMinor > 0n ? formatMoney(deal.amountMinor, deal.currency) : 'no amount yet';
  if (deal.status === 'won') return `${deal.customer}: ${amount} won (${TYPE_LABEL[deal.type] ?? deal.type})`;
  if (deal.status === 'lost') return `${deal.customer}: lost${deal.lostReason ? ` (${deal.lostReason})` : ''}, ${amount}`;
  return `${deal.customer}: ${stageLabel(deal.stage)}, ${amount}`;
}

/** Private confirmation of a change, with an Undo button carrying `undoValue` (the sealed deal id). */
export function buildDealConfirmation(opts: { deal: Deal; owner: Pick<Rep, 'slackUserId' | 'name'>; verb: string; timeZone: string; duplicate?: boolean; undoValue: string }): SlackMessage {
  const { deal } = opts;
  const line = describeDeal(deal);
  const text = escapeMrkdwn(opts.duplicate ? `Already logged: ${line}` : `${opts.verb}: ${line}`);
  const when = deal.closedAt ? `closed ${formatInstant(deal.closedAt, opts.timeZone)}` : `opened ${formatInstant(deal.createdAt, opts.timeZone)}`;
  const blocks: KnownBlock[] = [
    section(`:white_check_mark: *${escapeMrkdwn(opts.duplicate ? 'Already logged' : opts.verb)}:* ${escapeMrkdwn(line)}`),
    context(`Deal #${deal.id} · owner ${who(opts.owner)} · ${escapeMrkdwn(when)}`),
  ];
  if (!opts.duplicate) {
    blocks.push({
      type: 'actions',
      block_id: 'deal_confirmation',
      elements: [{ type: 'button', action_id: UNDO_ACTION, text: { type: 'plain_text', text: 'Undo' }, value: opts.undoValue, style: 'danger' }],
    });
  }
  return { text, blocks };
}

/** The channel announcement of a won deal. */
export function buildWonAnnouncement(deal: Deal, owner: Pick<Rep, 'slackUserId' | 'name'>): SlackMessage {
  const amount = formatMoney(deal.amountMinor, deal.currency);
  const type = TYPE_LABEL[deal.type] ?? deal.type;
  return {
    text: escapeMrkdwn(`${owner.name} won ${deal.customer}: ${amount} (${type})`),
    blocks: [section(`:tada: ${who(owner)} won *${escapeMrkdwn(deal.customer)}*: *${escapeMrkdwn(amount)}* (${escapeMrkdwn(type)})`)],
  };
}

export function buildUndoConfirmation(action: 'removed' | 'restored', deal: Deal, note?: string): SlackMessage {
  const text = escapeMrkdwn(note ? `Undone: ${note}` : action === 'removed' ? `Undone: the ${deal.customer} deal was removed.` : `Undone: ${describeDeal(deal)}`);
  return { text, blocks: [section(`:leftwards_arrow_with_hook: ${text}`)] };
}

export function buildDealHelp(): SlackMessage {
  const lines = [
    '*Log and move deals*',
    '`/deal`: open the deal form (customer, amount, type, stage, owner, subscription, discount)',
    '`/deal won 12k Acme upsell` or `/deal won "Acme Corp" 12k`: a won deal (type: new, upsell or renewal; new if omitted)',
    '`/deal lost Acme price`: mark the open Acme deal lost, with a reason; with no open deal, a new lost deal is recorded (it counts in the win rate)',
    '`/deal stage Acme demo`: move Acme to a stage (lead, contacted, demo, proposal); opens a deal if there is none',
    '`/deal lead Acme web`: log one lead (an open deal at the first stage) with its source; `/deal lead "Acme Corp" trade show`',
    REFUND_HELP_LINE,
    ...SUBSCRIPTION_HELP_LINES,
    '`/deal undo`: revert your last deal change',
    'Bulk lead counts for a period: `/kpi leads 500 2026-03 [team North | @rep] [source]`.',
    'Amounts: `12000`, `12k`, `1.5m`, `$12,000`, `€1.200,50`, `800tr` (VND millions), `12.000.000 ₫`. Put names with spaces in "quotes": `/deal lost "Acme Corp" price`, `/deal stage "Acme Corp" demo`.',
  ];
  return { text: lines.join('\n'), blocks: [section(lines.join('\n'))] };
}
