import type { KnownBlock } from '@slack/types';
import { formatCount } from '../../domain/money.js';
import type { Deal } from '../../storage/models.js';
import type { TPeriod } from '../../domain/periods.js';
import type { SlackMessage } from '../gateway.js';
import { UNDO_ACTION } from './deal-messages.js';
import { escapeMrkdwn } from './limits.js';
import { context, section } from './messages.js';

/** Who a lead count is for, as shown in Slack. */
export type TLeadCountWhoView = { kind: 'workspace' } | { kind: 'team'; name: string } | { kind: 'rep'; slackUserId: string | null; name: string };

function whoMrkdwn(who: TLeadCountWhoView): string {
  if (who.kind === 'workspace') return 'the whole workspace';
  if (who.kind === 'team') return `the *${escapeMrkdwn(who.name)}* team`;
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
  period: Pick<TPeriod, 'label' | 'key'>;
  source: string | null;
  /** The count now stored (recorded), or the one removed (cleared). */
  count: number;
  /** The count it replaced (recorded only), if any. */
  previousCount: number | null;
  /** False: the same count was already stored, nothing changed. */
  changed: boolean;
}

const n = (x: number) => formatCount(x);

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
  const src = o.source === null ? 'all sources' : `source ${escapeMrkdwn(o.source)}`;
  const srcWords = o.source === null ? '' : ` ${escapeMrkdwn(o.source)}`;
  const period = escapeMrkdwn(o.period.label);
  const same = `${escapeMrkdwn(o.period.key)}${whoWords(o.who)}${srcWords}`;
  if (o.action === 'cleared') {
    const text = `Lead count removed: ${n(o.count)} leads for ${whoMrkdwn(o.who)} in ${period} (${src}).`;
    return {
      text,
      blocks: [
        section(`:wastebasket: ${text}`),
        context(`To put it back: \`/kpi leads ${n(o.count).replace(/,/g, '')} ${same}\`. Conversion counts the leads logged one by one there again.`),
      ],
    };
  }
  const replaced = o.changed && o.previousCount !== null ? ` It replaces ${n(o.previousCount)}.` : '';
  const verb = o.changed ? 'Lead count recorded' : 'Already recorded';
  const text = `${verb}: ${n(o.count)} leads for ${whoMrkdwn(o.who)} in ${period} (${src}).${replaced}${o.changed ? '' : ' Nothing changed.'}`;
  const back = o.previousCount !== null && o.changed ? `\`/kpi leads ${o.previousCount} ${same}\`` : `\`/kpi leads clear ${same}\``;
  const blocks: KnownBlock[] = [
    section(`:bar_chart: ${text}`),
    context(
      `Conversion takes this as the lead total of ${period} for ${whoMrkdwn(o.who)}: leads logged one by one there are part of it, not added. Recording a count for the same period, scope and source again replaces it. To go back: ${back}.`,
    ),
  ];
  return { text, blocks };
}

/**
 * The private confirmation of `/deal lead Acme web`.
 *
 * @example
 * buildLeadConfirmation({ deal, stageName: 'Lead', duplicate: false }).text; // 'Lead logged: Acme (source web), at stage Lead.'
 */
export function buildLeadConfirmation(o: { deal: Deal; stageName: string; duplicate: boolean; undoValue: string }): SlackMessage {
  const src = o.deal.leadSource ? ` (source ${escapeMrkdwn(o.deal.leadSource)})` : '';
  const text = `${o.duplicate ? 'Already logged' : 'Lead logged'}: ${escapeMrkdwn(o.deal.customer)}${src}, at stage ${escapeMrkdwn(o.stageName)}.`;
  const blocks: KnownBlock[] = [
    section(`:seedling: *${o.duplicate ? 'Already logged' : 'Lead logged'}:* ${escapeMrkdwn(o.deal.customer)}${src}, at stage *${escapeMrkdwn(o.stageName)}*.`),
    context(
      `Deal #${o.deal.id}: an open deal at the first funnel stage, so the funnel and lead conversion count it. Move it on with \`/deal stage ${escapeMrkdwn(quoteIfSpaced(o.deal.customer))} demo\`, close it with \`/deal won 12k ${escapeMrkdwn(quoteIfSpaced(o.deal.customer))}\`.`,
    ),
  ];
  if (!o.duplicate) {
    blocks.push({
      type: 'actions',
      block_id: 'deal_confirmation',
      elements: [{ type: 'button', action_id: UNDO_ACTION, text: { type: 'plain_text', text: 'Undo' }, value: o.undoValue, style: 'danger' }],
    });
  }
  return { text, blocks };
}

function quoteIfSpaced(name: string): string {
  return /\s/.test(name) ? `"${name}"` : name;
}
