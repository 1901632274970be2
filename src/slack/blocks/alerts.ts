import type { KnownBlock } from '@slack/types';
import type { AlertEvent, AlertSnooze } from '../../storage/models.js';
import type { TAlertCondition } from '../../domain/alerts/evaluate-alerts.js';
import type { TAlertSettings } from '../../domain/alerts/load-alert-settings.js';
import { ALERT_RULES, alertDescription, alertTitle, formatThresholdL, parseAlertRule, type TAlertRule } from '../../domain/alerts/rules.js';
import { formatInstantL } from '../../i18n/format.js';
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
 * What replaces an alert message once a manager snoozed it, in the channel's language.
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
  locale = 'en',
}: {
  userId: string;
  until: Date;
  timeZone: string;
  title: string;
  message: string | null;
  wholeRule?: boolean;
  /** The channel's language (the workspace's); `title` arrives in it. */
  locale?: TLocale;
}): SlackMessage {
  const when = formatInstantL(locale, until, timeZone);
  const what = wholeRule ? t(locale, 'admin.snoozed.every', { title }) : title;
  const colon = locale === 'zh-CN' ? '：' : ': ';
  const user = `<@${userId}>`;
  const text = truncate(t(locale, 'admin.snoozed.text', { user, rest: escapeMrkdwn(`${when}${colon}${what}${message ? ` — ${message}` : ''}`) }), 3000);
  const blocks: KnownBlock[] = [
    section(`${t(locale, 'admin.snoozed.section', { user, until: escapeMrkdwn(when), what: escapeMrkdwn(what) })}${message ? `\n~${escapeMrkdwn(message)}~` : ''}`),
    context(t(locale, 'admin.snoozed.context')),
  ];
  return { text, blocks };
}

function ruleLine(rule: TAlertRule, settings: TAlertSettings, snoozes: readonly AlertSnooze[], timeZone: string, locale: TLocale): string {
  const s = settings[rule];
  const state = t(locale, s.enabled ? 'admin.alerts.ruleOn' : 'admin.alerts.ruleOff');
  const ruleSnoozes = snoozes.filter((z) => z.rule === rule);
  const wide = ruleSnoozes.find((z) => z.conditionKey === '*');
  const parts = [
    t(locale, 'admin.alerts.ruleLine', {
      state,
      title: escapeMrkdwn(alertTitle(rule, locale)),
      rule,
      threshold: formatThresholdL(s.threshold, locale),
      description: escapeMrkdwn(alertDescription(rule, locale)),
    }),
  ];
  if (wide) parts.push(t(locale, 'admin.alerts.ruleSnoozedUntil', { until: escapeMrkdwn(formatInstantL(locale, wide.until, timeZone)) }));
  const single = ruleSnoozes.filter((z) => z.conditionKey !== '*').length;
  if (single > 0) parts.push(t(locale, 'admin.alerts.ruleSnoozedCount', { count: single }));
  return parts.join(' · ');
}

/**
 * `/kpi alerts`: every rule with its threshold, on/off and snoozes; the alerts channel; the
 * currently active alerts; how to change things. In the reader's language (`locale`); an active
 * alert's sentence stays in the language it was written in when it fired.
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
  locale = 'en',
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
  locale?: TLocale;
}): SlackMessage {
  const more = locale === 'en' ? undefined : (n: number) => t(locale, 'digest.andMore', { count: n });
  const on = ALERT_RULES.filter((r) => settings[r].enabled).length;
  const rules = fitLines(
    ALERT_RULES.map((r) => ruleLine(r, settings, snoozes, timeZone, locale)),
    LIMITS.sectionText - 40,
    more,
  );
  const channel = alertsChannelId
    ? t(locale, 'admin.alerts.statusChannel', { channel: `<#${alertsChannelId}>`, hour: String(alertHour).padStart(2, '0'), timeZone: escapeMrkdwn(timeZone) })
    : t(locale, 'admin.alerts.statusNoChannel');
  const activeLines = active.map((e) => {
    const rule = parseAlertRule(e.rule);
    const title = rule ? alertTitle(rule, locale) : e.rule;
    const teamId = /^team:(\d+)/.exec(e.conditionKey)?.[1];
    const scope = teamId === undefined ? '' : t(locale, 'admin.alerts.activeTeam', { name: teamNames[Number(teamId)] ?? `#${teamId}` });
    return t(locale, 'admin.alerts.activeLine', {
      title: escapeMrkdwn(title),
      scope: escapeMrkdwn(scope),
      period: escapeMrkdwn(e.periodKey),
      since: escapeMrkdwn(formatInstantL(locale, e.firedAt, timeZone)),
      message: escapeMrkdwn(e.message ?? ''),
    });
  });
  const hidden = activeTotal - active.length;
  const activeText =
    activeTotal === 0
      ? t(locale, 'admin.alerts.activeNone')
      : `${t(locale, 'admin.alerts.activeHead', { count: activeTotal })}\n${fitLines(activeLines, LIMITS.sectionText - 80, more)}${hidden > 0 ? `\n${t(locale, 'admin.alerts.activeMore', { count: hidden })}` : ''}`;
  const blocks: KnownBlock[] = [
    section(`${t(locale, 'admin.alerts.rulesHead', { on, total: ALERT_RULES.length })}\n${rules}`),
    section(channel),
    section(activeText),
    context(t(locale, 'admin.alerts.statusContext')),
  ];
  const text = t(locale, 'admin.alerts.statusText', {
    total: ALERT_RULES.length,
    on,
    channel: alertsChannelId ? t(locale, 'admin.alerts.statusTextChannel', { channel: `<#${alertsChannelId}>` }) : t(locale, 'admin.alerts.statusTextNoChannel'),
    active: activeTotal,
    rules: ALERT_RULES.map((r) => `${r} ${settings[r].enabled ? formatThresholdL(settings[r].threshold, locale) : t(locale, 'admin.alerts.statusTextOff')}`).join(locale === 'zh-CN' ? '，' : ', '),
  });
  return { text, blocks };
}
