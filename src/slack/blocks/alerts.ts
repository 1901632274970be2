import type { KnownBlock } from '@slack/types';
import type { AlertEvent, AlertSnooze } from '../../storage/models.js';
import type { TAlertCondition } from '../../domain/alerts/evaluate-alerts.js';
import type { TAlertSettings } from '../../domain/alerts/load-alert-settings.js';
import { ALERT_RULE_INFO, ALERT_RULES, alertTitle, formatThreshold, parseAlertRule, type TAlertRule } from '../../domain/alerts/rules.js';
import { formatInstant } from '../../domain/periods.js';
import type { SlackMessage } from '../gateway.js';
import { escapeMrkdwn, LIMITS, truncate } from './limits.js';
import type { TLocale } from '../../i18n/locales.js';
import { t } from '../../i18n/t.js';
import { context, section } from './messages.js';

/** Action id of the *Snooze 1 week* button on alert messages. */
export const ALERT_SNOOZE_ACTION = 'alert_snooze';
/** Matches the button above and the per-rule buttons of the overflow message (`alert_snooze:<rule>`). */
export const ALERT_SNOOZE_ACTION_PATTERN = /^alert_snooze(?::[a-z-]+)?$/;

/** Alerts posted one by one per run and workspace; the rest go into one summary message. */
export const MAX_INDIVIDUAL_ALERTS = 10;

/**
 * The Snooze button's value: `rule|conditionKey` (`conditionKey` `*` = the whole rule).
 *
 * @example
 * encodeSnoozeValue('oversized-deal', 'all/deal:8'); // 'oversized-deal|all/deal:8'
 */
export function encodeSnoozeValue(rule: TAlertRule, conditionKey: string): string {
  return truncate(`${rule}|${conditionKey}`, LIMITS.buttonValue);
}

/**
 * Reads a Snooze button's value; null when it is not one.
 *
 * @example
 * parseSnoozeValue('winrate-drop|all'); // { rule: 'winrate-drop', conditionKey: 'all' }
 * parseSnoozeValue('nonsense'); // null
 */
export function parseSnoozeValue(value: string | undefined): { rule: TAlertRule; conditionKey: string } | null {
  const i = (value ?? '').indexOf('|');
  if (i <= 0) return null;
  const rule = parseAlertRule(value!.slice(0, i));
  const conditionKey = value!.slice(i + 1).trim();
  return rule && conditionKey ? { rule, conditionKey } : null;
}

function snoozeButton(rule: TAlertRule, conditionKey: string, label = 'Snooze 1 week'): KnownBlock {
  return {
    type: 'actions',
    elements: [
      {
        type: 'button',
        action_id: ALERT_SNOOZE_ACTION,
        text: { type: 'plain_text', text: truncate(label, LIMITS.buttonText), emoji: true },
        value: encodeSnoozeValue(rule, conditionKey),
      },
    ],
  };
}

/** What an alert message needs: a condition (fired or evaluated), where it applies, and the zone to print. */
export interface TAlertMessageInput {
  readonly alert: Pick<TAlertCondition, 'rule' | 'title' | 'conditionKey' | 'periodLabel' | 'message'>;
  /** `all reps`, `team North`. */
  readonly scopeLabel: string;
  readonly timeZone: string;
  /** The channel's language (the workspace's); English when absent. Title, period and message arrive in it. */
  readonly locale?: TLocale;
}

/**
 * One alert as its own channel message: the rule's title, the period and zone, the sentence with
 * value and threshold, the rule id, and a *Snooze 1 week* button for this condition.
 *
 * @example
 * buildAlertMessage({ alert, scopeLabel: 'all reps', timeZone: 'Europe/Berlin' }).text;
 * // 'Alert: Win rate drop (week of Nov 23, 2026, Europe/Berlin) — Win rate 22.0% is 13.5 points below its 4-week average 35.5% (threshold: 10 points).'
 */
export function buildAlertMessage({ alert, scopeLabel, timeZone, locale = 'en' }: TAlertMessageInput): SlackMessage {
  if (locale !== 'en') {
    const at = `${alert.periodLabel}${locale === 'zh-CN' ? '，' : ', '}${timeZone}`;
    const sep = locale === 'zh-CN' ? ' · ' : ' · ';
    return {
      text: truncate(escapeMrkdwn(t(locale, 'alert.post.text', { title: alert.title, where: at, message: alert.message })), LIMITS.messageText),
      blocks: [
        section(`:rotating_light: *${escapeMrkdwn(alert.title)}*${sep}${escapeMrkdwn(at)}\n${escapeMrkdwn(alert.message)}`),
        context(t(locale, 'alert.post.context', { rule: alert.rule, scope: escapeMrkdwn(scopeLabel) })),
        snoozeButton(alert.rule, alert.conditionKey, t(locale, 'alert.post.snooze')),
      ],
    };
  }
  const where = `${alert.periodLabel}, ${timeZone}`;
  const text = truncate(escapeMrkdwn(`Alert: ${alert.title} (${where}) — ${alert.message}`), LIMITS.messageText);
  const blocks: KnownBlock[] = [
    section(`:rotating_light: *${escapeMrkdwn(alert.title)}* · ${escapeMrkdwn(where)}\n${escapeMrkdwn(alert.message)}`),
    context(`Rule \`${alert.rule}\` · ${escapeMrkdwn(scopeLabel)} · thresholds and snoozes: \`/kpi alerts\``),
    snoozeButton(alert.rule, alert.conditionKey),
  ];
  return { text, blocks };
}

/**
 * The alerts of one run beyond the first `MAX_INDIVIDUAL_ALERTS`, in one message: a line each (cut
 * to fit) and a rule-wide *Snooze* button per rule (at most 5).
 *
 * @example
 * buildAlertOverflowMessage({ alerts: rest, scopeLabel: 'all reps', timeZone: 'UTC' }).text; // '14 more alerts: …'
 */
export function buildAlertOverflowMessage({
  alerts,
  scopeLabel,
  timeZone,
  locale = 'en',
}: {
  alerts: ReadonlyArray<TAlertMessageInput['alert']>;
  scopeLabel: string;
  timeZone: string;
  locale?: TLocale;
}): SlackMessage {
  if (locale !== 'en') return localOverflowMessage(alerts, scopeLabel, timeZone, locale);
  const lines = alerts.map((a) => `• *${escapeMrkdwn(a.title)}* (${escapeMrkdwn(a.periodLabel)}): ${escapeMrkdwn(a.message)}`);
  const head = `:rotating_light: *${alerts.length} more alerts* for ${escapeMrkdwn(scopeLabel)} (${escapeMrkdwn(timeZone)})`;
  const body = fitLines(lines, LIMITS.sectionText - 80);
  const rules = [...new Set(alerts.map((a) => a.rule))].slice(0, 5);
  const blocks: KnownBlock[] = [section(`${head}\n${body}`)];
  if (rules.length > 0) {
    blocks.push({
      type: 'actions',
      elements: rules.map((rule) => ({
        type: 'button' as const,
        action_id: `${ALERT_SNOOZE_ACTION}:${rule}`,
        text: { type: 'plain_text' as const, text: truncate(`Snooze all "${rule}" 1 week`, LIMITS.buttonText), emoji: true },
        value: encodeSnoozeValue(rule, '*'),
      })),
    });
  }
  blocks.push(context('Every active alert: `/kpi alerts`'));
  const text = truncate(escapeMrkdwn(`${alerts.length} more alerts: ${alerts.map((a) => `${a.title}: ${a.message}`).join(' | ')}`), 3000);
  return { text, blocks };
}

/**
 * Lines joined with newlines, as many as fit in `max` characters, then `…and N more`.
 *
 * @example
 * fitLines(['a', 'b', 'c'], 3); // 'a\n…and 2 more'
 */
export function fitLines(lines: readonly string[], max: number, more: (n: number) => string = (n) => `…and ${n} more`): string {
  const out: string[] = [];
  let used = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = truncate(lines[i]!, Math.max(20, Math.floor(max / 2)));
    const reserve = i < lines.length - 1 ? 20 : 0;
    if (out.length > 0 && used + line.length + reserve > max) {
      out.push(more(lines.length - i));
      break;
    }
    out.push(line);
    used += line.length + 1;
  }
  return out.join('\n');
}

function localOverflowMessage(alerts: ReadonlyArray<TAlertMessageInput['alert']>, scopeLabel: string, timeZone: string, locale: Exclude<TLocale, 'en'>): SlackMessage {
  const colon = locale === 'zh-CN' ? '：' : ': ';
  const lines = alerts.map((a) => `• *${escapeMrkdwn(a.title)}* (${escapeMrkdwn(a.periodLabel)})${colon}${escapeMrkdwn(a.message)}`);
  const head = t(locale, 'alert.overflow.head', { count: alerts.length, scope: escapeMrkdwn(scopeLabel), timeZone: escapeMrkdwn(timeZone) });
  const body = fitLines(lines, LIMITS.sectionText - 80, (n) => t(locale, 'digest.andMore', { count: n }));
  const rules = [...new Set(alerts.map((a) => a.rule))].slice(0, 5);
  const blocks: KnownBlock[] = [section(`${head}\n${body}`)];
  if (rules.length > 0) {
    blocks.push({
      type: 'actions',
      elements: rules.map((rule) => ({
        type: 'button' as const,
        action_id: `${ALERT_SNOOZE_ACTION}:${rule}`,
        text: { type: 'plain_text' as const, text: truncate(t(locale, 'alert.overflow.snoozeRule', { rule: alertTitle(rule, locale) }), LIMITS.buttonText), emoji: true },
        value: encodeSnoozeValue(rule, '*'),
      })),
    });
  }
  blocks.push(context(t(locale, 'alert.overflow.footer')));
  const list = alerts.map((a) => `${a.title}${colon}${a.message}`).join(' | ');
  return { text: truncate(escapeMrkdwn(t(locale, 'alert.overflow.text', { count: alerts.length, list })), 3000), blocks };
}

/**
 * What replaces an alert message once a manager snoozed it.
 *
 * @example
 * buildSnoozedMessage({ userId: 'U1', until, timeZone: 'Europe/Berlin', title: 'Win rate drop', message: 'Win rate 22.0% is …' }).text;
 * // 'Snoozed by <@U1> until Mon, Dec 7, 2026 09:00 (Europe/Berlin): Win rate drop — Win rate 22.0% is …'
 */
export function buildSnoozedMessage({
  userId,
  until,
  timeZone,
  title,
  message,
  wholeRule = false,
}: {
  userId: string;
  until: Date;
  timeZone: string;
  title: string;
  message: string | null;
  wholeRule?: boolean;
}): SlackMessage {
  const when = formatInstant(until, timeZone);
  const what = wholeRule ? `every "${title}" alert` : title;
  const text = truncate(`Snoozed by <@${userId}> until ${escapeMrkdwn(`${when}: ${what}${message ? ` — ${message}` : ''}`)}`, 3000);
  const blocks: KnownBlock[] = [
    section(`:zzz: Snoozed by <@${userId}> until ${escapeMrkdwn(when)}: *${escapeMrkdwn(what)}*${message ? `\n~${escapeMrkdwn(message)}~` : ''}`),
    context('It stays quiet until then; if it still holds afterwards it fires again. `/kpi alerts` lists snoozes.'),
  ];
  return { text, blocks };
}

function ruleLine(rule: TAlertRule, settings: TAlertSettings, snoozes: readonly AlertSnooze[], timeZone: string): string {
  const s = settings[rule];
  const info = ALERT_RULE_INFO[rule];
  const state = s.enabled ? ':large_green_circle: on' : ':white_circle: off';
  const ruleSnoozes = snoozes.filter((z) => z.rule === rule);
  const wide = ruleSnoozes.find((z) => z.conditionKey === '*');
  const parts = [`${state} · *${escapeMrkdwn(info.title)}* (\`${rule}\`): threshold ${formatThreshold(s.threshold)} — ${escapeMrkdwn(info.description)}`];
  if (wide) parts.push(`:zzz: snoozed until ${escapeMrkdwn(formatInstant(wide.until, timeZone))}`);
  const single = ruleSnoozes.filter((z) => z.conditionKey !== '*').length;
  if (single > 0) parts.push(`:zzz: ${single} condition${single === 1 ? '' : 's'} snoozed`);
  return parts.join(' · ');
}

/**
 * `/kpi alerts`: every rule with its threshold, on/off and snoozes; the alerts channel; the
 * currently active alerts; how to change things.
 *
 * @example
 * buildAlertStatusMessage({ status, timeZone: 'Europe/Berlin' }).text; // 'Alerts: 6 rules, 5 on; channel <#C1>; 2 active.'
 */
export function buildAlertStatusMessage({
  settings,
  snoozes,
  active,
  activeTotal,
  alertsChannelId,
  timeZone,
  teamNames = {},
  alertHour = 8,
}: {
  settings: TAlertSettings;
  snoozes: readonly AlertSnooze[];
  active: readonly AlertEvent[];
  activeTotal: number;
  alertsChannelId: string | null;
  timeZone: string;
  /** Team names for team-scoped alerts (condition keys `team:<id>…`). */
  teamNames?: Readonly<Record<number, string>>;
  alertHour?: number;
}): SlackMessage {
  const on = ALERT_RULES.filter((r) => settings[r].enabled).length;
  const rules = fitLines(
    ALERT_RULES.map((r) => ruleLine(r, settings, snoozes, timeZone)),
    LIMITS.sectionText - 40,
  );
  const channel = alertsChannelId
    ? `:mega: New alerts are posted to <#${alertsChannelId}> every day at ${String(alertHour).padStart(2, '0')}:00 (${escapeMrkdwn(timeZone)}), and listed in the weekly digests.`
    : ':mega: No alerts channel yet: alerts show in the weekly digests only. Set one with `/kpi alerts channel #sales-alerts`.';
  const activeLines = active.map((e) => {
    const rule = parseAlertRule(e.rule);
    const title = rule ? ALERT_RULE_INFO[rule].title : e.rule;
    const teamId = /^team:(\d+)/.exec(e.conditionKey)?.[1];
    const scope = teamId === undefined ? '' : `team ${teamNames[Number(teamId)] ?? `#${teamId}`}, `;
    return `• *${escapeMrkdwn(title)}* (${escapeMrkdwn(scope)}${escapeMrkdwn(e.periodKey)}, since ${escapeMrkdwn(formatInstant(e.firedAt, timeZone))}): ${escapeMrkdwn(e.message ?? '')}`;
  });
  const more = activeTotal - active.length;
  const activeText =
    activeTotal === 0
      ? '*Active alerts*: none right now.'
      : `*Active alerts* (${activeTotal})\n${fitLines(activeLines, LIMITS.sectionText - 80)}${more > 0 ? `\n…and ${more} more` : ''}`;
  const blocks: KnownBlock[] = [
    section(`*Alert rules* (${on} of ${ALERT_RULES.length} on)\n${rules}`),
    section(channel),
    section(activeText),
    context(
      'Change: `/kpi alerts set winrate-drop 15` · `set revenue-drop 20%` · `set attainment-band 60% 90%` · `set oversized-deal 5x` · `off &lt;rule&gt;` · `on &lt;rule&gt;` · `channel #sales-alerts` · `snooze &lt;rule&gt; [1w]` · `unsnooze &lt;rule&gt;` (managers and admins)',
    ),
  ];
  const text = `Alerts: ${ALERT_RULES.length} rules, ${on} on; ${alertsChannelId ? `channel <#${alertsChannelId}>` : 'no alerts channel'}; ${activeTotal} active. ${ALERT_RULES.map((r) => `${r} ${settings[r].enabled ? formatThreshold(settings[r].threshold) : 'off'}`).join(', ')}.`;
  return { text, blocks };
}
