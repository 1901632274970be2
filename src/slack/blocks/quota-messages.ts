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

/** A team was created (the creator's language). */
export function buildTeamCreated(name: string, locale: TLocale = 'en'): SlackMessage {
  const text = escapeMrkdwn(t(locale, 'admin.team.created', { name }));
  return {
    text,
    blocks: [section(t(locale, 'admin.team.createdSection', { name: escapeMrkdwn(name) })), context(escapeMrkdwn(t(locale, 'admin.team.createdContext', { name })))],
  };
}

/** A rep joined a team (moving out of their previous one), in the asker's language. */
export function buildTeamMemberAdded(o: { who: TQuotaWho; team: string; previousTeam: string | null; changed: boolean }, locale: TLocale = 'en'): SlackMessage {
  if (locale === 'en') {
    const moved = o.previousTeam && o.previousTeam !== o.team ? ` (moved from ${o.previousTeam})` : '';
    const text = o.changed ? `${whoText(o.who)} is now in the ${escapeMrkdwn(o.team)} team${escapeMrkdwn(moved)}.` : `${whoText(o.who)} is already in the ${escapeMrkdwn(o.team)} team.`;
    const mrkdwn = o.changed
      ? `:busts_in_silhouette: ${whoMrkdwn(o.who)} is now in the *${escapeMrkdwn(o.team)}* team${escapeMrkdwn(moved)}.`
      : `:busts_in_silhouette: ${whoMrkdwn(o.who)} is already in the *${escapeMrkdwn(o.team)}* team.`;
    return { text, blocks: [section(mrkdwn)] };
  }
  // A rep here is always a person (a mention, or their name in bold); teams are not added to teams.
  const who = o.who.kind === 'rep' && o.who.slackUserId ? `<@${o.who.slackUserId}>` : escapeMrkdwn(o.who.name);
  const whoBold = o.who.kind === 'rep' && o.who.slackUserId ? who : `*${who}*${locale === 'zh-CN' ? ' ' : ''}`;
  const moved = o.previousTeam && o.previousTeam !== o.team ? t(locale, 'admin.team.moved', { team: escapeMrkdwn(o.previousTeam) }) : '';
  const team = escapeMrkdwn(o.team);
  const text = t(locale, o.changed ? 'admin.team.added' : 'admin.team.already', { who, team, moved });
  const mrkdwn = t(locale, o.changed ? 'admin.team.addedSection' : 'admin.team.alreadySection', { who: whoBold, team, moved });
  return { text, blocks: [section(mrkdwn)] };
}

const TEAM_LINES_PER_SECTION = 25;
const MAX_TEAM_SECTIONS = 40;

/** The workspace's teams with their member counts (25 lines per section, up to 1,000 teams), in the reader's language. */
export function buildTeamList(teams: ReadonlyArray<{ name: string; members: number }>, locale: TLocale = 'en'): SlackMessage {
  if (teams.length === 0) {
    const text = t(locale, 'admin.team.none');
    return { text, blocks: [section(`:busts_in_silhouette: ${escapeMrkdwn(text)}`)] };
  }
  const lines = teams.map((team) => t(locale, 'admin.team.line', { name: escapeMrkdwn(truncate(team.name, 60)), count: team.members }));
  const blocks: KnownBlock[] = [section(t(locale, 'admin.team.head', { count: teams.length }))];
  for (let i = 0; i < lines.length && i < TEAM_LINES_PER_SECTION * MAX_TEAM_SECTIONS; i += TEAM_LINES_PER_SECTION) {
    blocks.push(section(lines.slice(i, i + TEAM_LINES_PER_SECTION).join('\n')));
  }
  const hidden = lines.length - TEAM_LINES_PER_SECTION * MAX_TEAM_SECTIONS;
  // The catalog writes the `<name>` placeholders escaped already.
  blocks.push(context(t(locale, 'admin.team.footer', { more: hidden > 0 ? t(locale, 'admin.team.more', { count: hidden }) : '' })));
  const text = t(locale, 'admin.team.text', { list: teams.map((team) => `${escapeMrkdwn(team.name)} (${team.members})`).join(locale === 'zh-CN' ? '、' : ', ') });
  return { text: truncate(text, 3000), blocks };
}
