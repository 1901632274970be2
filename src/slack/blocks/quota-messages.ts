import type { KnownBlock } from '@slack/types';
import { formatMoney } from '../../domain/money.js';
import type { TPeriod } from '../../domain/periods.js';
import type { SlackMessage } from '../gateway.js';
import { escapeMrkdwn, truncate } from './limits.js';
import { context, section } from './messages.js';
import type { TLocale } from '../../i18n/locales.js';
import { formatMoneyL, periodLabel } from '../../i18n/format.js';
import { t } from '../../i18n/t.js';
import { instantL } from './deal-messages.js';

/** Who a quota or team change is about, as shown in Slack. */
export type TQuotaWho = { kind: 'rep'; slackUserId: string | null; name: string } | { kind: 'team'; name: string };

function whoMrkdwn(who: TQuotaWho, locale: TLocale = 'en'): string {
  if (who.kind === 'team') return t(locale, 'ops.quota.whoTeam', { team: escapeMrkdwn(who.name) });
  return who.slackUserId ? `<@${who.slackUserId}>` : `*${escapeMrkdwn(who.name)}*`;
}

/** For the `text` fallback (read as mrkdwn too): names escaped. */
function whoText(who: TQuotaWho, locale: TLocale = 'en'): string {
  if (who.kind === 'team') return t(locale, 'ops.quota.whoTeamText', { team: escapeMrkdwn(who.name) });
  return who.slackUserId ? `<@${who.slackUserId}>` : escapeMrkdwn(who.name);
}

export interface QuotaConfirmationOptions {
  who: TQuotaWho;
  /** Stored amount, in the reporting currency. */
  amountMinor: bigint;
  currency: string;
  /** What was typed, when it was in another currency. */
  entered: { amountMinor: bigint; currency: string };
  period: Pick<TPeriod, 'kind' | 'label' | 'key' | 'start' | 'end' | 'timeZone'>;
  /** Amount of the quota it replaced (reporting currency), if any. */
  replacedMinor: bigint | null;
  changed: boolean;
  /** The reader's language. */
  locale?: TLocale;
}

/**
 * The private confirmation of a quota: the formatted amount, the period label and its time zone,
 * and what it replaced.
 *
 * @example
 * buildQuotaConfirmation({ who: { kind: 'rep', slackUserId: 'U1', name: 'dana' }, amountMinor: 5_000_000n, currency: 'USD',
 *   entered: { amountMinor: 5_000_000n, currency: 'USD' }, period, replacedMinor: null, changed: true }).text;
 * // 'Quota set: <@U1>: $50,000 for Q3 2026 (Jul 1 – Sep 30), time zone Europe/Berlin.'
 */
export function buildQuotaConfirmation(o: QuotaConfirmationOptions): SlackMessage {
  const locale = o.locale ?? 'en';
  const amount = formatMoneyL(locale, o.amountMinor, o.currency);
  const converted = o.entered.currency !== o.currency ? t(locale, 'ops.quota.converted', { amount: formatMoneyL(locale, o.entered.amountMinor, o.entered.currency) }) : '';
  const replaced = !o.changed ? '' : o.replacedMinor !== null ? t(locale, 'ops.quota.replaces', { amount: formatMoneyL(locale, o.replacedMinor, o.currency) }) : '';
  const verb = o.changed ? t(locale, 'ops.quota.set') : t(locale, 'ops.quota.already');
  const period = periodLabel(locale, o.period);
  const text = t(locale, 'ops.quota.text', { verb, who: whoText(o.who, locale), amount: escapeMrkdwn(amount), converted: escapeMrkdwn(converted), period: escapeMrkdwn(period), timeZone: escapeMrkdwn(o.period.timeZone), replaced: escapeMrkdwn(replaced) });
  const blocks: KnownBlock[] = [
    section(`:dart: ${t(locale, 'ops.quota.section', { verb, who: whoMrkdwn(o.who, locale), amount: escapeMrkdwn(amount), converted: escapeMrkdwn(converted), period: escapeMrkdwn(period), replaced: escapeMrkdwn(replaced) })}`),
    context(escapeMrkdwn(t(locale, 'ops.quota.context', { start: instantL(o.period.start, o.period.timeZone, locale), end: instantL(o.period.end, o.period.timeZone, locale), key: o.period.key }))),
  ];
  return { text, blocks };
}

/** A team was created. */
export function buildTeamCreated(name: string): SlackMessage {
  const text = escapeMrkdwn(`Team ${name} created. Add reps with /kpi team add @rep ${name}, then set its quota with /kpi quota set team ${name} 100k quarter.`);
  return {
    text,
    blocks: [
      section(`:busts_in_silhouette: Team *${escapeMrkdwn(name)}* created.`),
      context(escapeMrkdwn(`Add reps: /kpi team add @rep ${name} · Team quota: /kpi quota set team ${name} 100k quarter`)),
    ],
  };
}

/** A rep joined a team (moving out of their previous one). */
export function buildTeamMemberAdded(o: { who: TQuotaWho; team: string; previousTeam: string | null; changed: boolean }): SlackMessage {
  const moved = o.previousTeam && o.previousTeam !== o.team ? ` (moved from ${o.previousTeam})` : '';
  const text = o.changed ? `${whoText(o.who)} is now in the ${escapeMrkdwn(o.team)} team${escapeMrkdwn(moved)}.` : `${whoText(o.who)} is already in the ${escapeMrkdwn(o.team)} team.`;
  const mrkdwn = o.changed
    ? `:busts_in_silhouette: ${whoMrkdwn(o.who)} is now in the *${escapeMrkdwn(o.team)}* team${escapeMrkdwn(moved)}.`
    : `:busts_in_silhouette: ${whoMrkdwn(o.who)} is already in the *${escapeMrkdwn(o.team)}* team.`;
  return { text, blocks: [section(mrkdwn)] };
}

const TEAM_LINES_PER_SECTION = 25;
const MAX_TEAM_SECTIONS = 40;

/** The workspace's teams with their member counts (25 lines per section, up to 1,000 teams). */
export function buildTeamList(teams: ReadonlyArray<{ name: string; members: number }>): SlackMessage {
  if (teams.length === 0) {
    const text = 'No teams yet. A manager can create one with /kpi team create North.';
    return { text, blocks: [section(`:busts_in_silhouette: ${escapeMrkdwn(text)}`)] };
  }
  const lines = teams.map((t) => `• *${escapeMrkdwn(truncate(t.name, 60))}*: ${t.members} ${t.members === 1 ? 'rep' : 'reps'}`);
  const blocks: KnownBlock[] = [section(`:busts_in_silhouette: *Teams* (${teams.length})`)];
  for (let i = 0; i < lines.length && i < TEAM_LINES_PER_SECTION * MAX_TEAM_SECTIONS; i += TEAM_LINES_PER_SECTION) {
    blocks.push(section(lines.slice(i, i + TEAM_LINES_PER_SECTION).join('\n')));
  }
  const hidden = lines.length - TEAM_LINES_PER_SECTION * MAX_TEAM_SECTIONS;
  blocks.push(context(escapeMrkdwn(`${hidden > 0 ? `…and ${hidden} more. ` : ''}/kpi team create <name> · /kpi team add @rep <name> (managers and admins)`)));
  const text = `Teams: ${teams.map((t) => `${escapeMrkdwn(t.name)} (${t.members})`).join(', ')}`;
  return { text: truncate(text, 3000), blocks };
}
