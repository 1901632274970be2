import { listAlertStatus } from '../../domain/alerts/list-alert-status.js';
import { assertCanManageAlerts } from '../../domain/alerts/permissions.js';
import { ALERT_RULE_INFO, ALERT_RULES, alertDescription, alertTitle, formatThresholdL, parseAlertRule, parseAlertThreshold, parseSnoozeDuration, type TAlertRule } from '../../domain/alerts/rules.js';
import { setAlertThreshold } from '../../domain/alerts/set-alert-threshold.js';
import { setAlertsChannel } from '../../domain/alerts/set-alerts-channel.js';
import { snoozeAlert, unsnoozeAlert } from '../../domain/alerts/snooze-alert.js';
import { toggleAlertRule } from '../../domain/alerts/toggle-alert-rule.js';
import { commandRequestKey } from '../request-keys.js';
import { AppError, type TErrorI18n } from '../../errors.js';
import { buildAlertStatusMessage } from '../blocks/alerts.js';
import { escapeMrkdwn } from '../blocks/limits.js';
import { context, section } from '../blocks/messages.js';
import type { SlackMessage } from '../gateway.js';
import { parseChannelMention } from '../mentions.js';
import type { TKpiSubcommand, TKpiSubcommandArgs } from './registry.js';
import { localeOf } from '../locale-of.js';
import type { TLocale } from '../../i18n/locales.js';
import { formatInstantL } from '../../i18n/format.js';
import { t } from '../../i18n/t.js';

/**
 * `/kpi alerts …` (SPEC §4):
 * - `/kpi alerts`: every rule with its threshold and on/off, snoozes, the alerts channel, active alerts;
 * - `set <rule> <threshold>`: `set winrate-drop 15` (points), `set revenue-drop 20%`,
 *   `set dealsize-below 25%`, `set funnel-leak 10`, `set oversized-deal 5x`, `set attainment-band 60% 90%`;
 * - `off <rule>` / `on <rule>`;
 * - `channel #sales-alerts` (the bot must be in it) / `channel off`;
 * - `snooze <rule> [1w|3d|2w]` / `unsnooze <rule>`.
 * Everything but the list is for managers and admins; bad input answers with an example.
 */

const RULE_NAMES = ALERT_RULES.join(', ');

function requireRule(word: string | undefined, example: string): TAlertRule {
  const rule = parseAlertRule(word);
  if (!rule) {
    const what = word ? `"${word}" is not an alert rule.` : 'Say which alert rule.';
    const i18n: TErrorI18n = word ? { key: 'error.alerts.notRule', values: { typed: word, rules: RULE_NAMES } } : { key: 'error.alerts.whichRule', values: { rules: RULE_NAMES } };
    throw new AppError('INVALID_INPUT', `${what} Rules: ${RULE_NAMES}.`, { example, i18n });
  }
  return rule;
}

async function status(a: TKpiSubcommandArgs): Promise<SlackMessage> {
  const { workspace } = a.member;
  const s = await listAlertStatus({ db: a.deps.db, workspace, now: a.deps.now() });
  return buildAlertStatusMessage({ ...s, timeZone: workspace.timeZone, locale: localeOf(a.member) });
}

async function set(a: TKpiSubcommandArgs, words: string[]): Promise<SlackMessage> {
  assertCanManageAlerts(a.member.rep, 'change alert thresholds');
  const rule = requireRule(words[0], '/kpi alerts set winrate-drop 15');
  const info = ALERT_RULE_INFO[rule];
  const valueWords = words.slice(1);
  const threshold = parseAlertThreshold(rule, valueWords);
  if (!threshold) {
    const typed = valueWords.join(' ');
    const unit =
      info.thresholdKind === 'points'
        ? 'a number of percentage points above 0 and at most 100'
        : info.thresholdKind === 'percent'
          ? 'a percent above 0 and at most 100'
          : info.thresholdKind === 'multiple'
            ? 'a multiple of at least 1 (such as 4x)'
            : 'two percents, low then high (such as 60% 90%)';
    const i18n: TErrorI18n = typed ? { key: 'error.alerts.notThreshold', values: { typed, rule, kind: info.thresholdKind } } : { key: 'error.alerts.giveThreshold', values: { rule, kind: info.thresholdKind } };
    throw new AppError('INVALID_INPUT', `${typed ? `"${typed}" is not a threshold for ${rule}` : `Give ${rule} a threshold`}: it takes ${unit}.`, { example: info.example, i18n });
  }
  const setting = await setAlertThreshold({ db: a.deps.db, actor: a.member.rep, workspace: a.member.workspace, rule, threshold, now: a.deps.now(), requestKey: commandRequestKey(a.command) });
  const locale = localeOf(a.member);
  const text = t(locale, 'admin.alerts.saved', { title: alertTitle(rule, locale), rule, threshold: formatThresholdL(setting.threshold, locale), enabled: setting.enabled ? 'yes' : 'no' });
  const note = t(locale, threshold.kind === 'band' || threshold.kind === 'multiple' ? 'admin.alerts.savedWorkspaceNote' : 'admin.alerts.savedNextNote');
  return { text, blocks: [section(`:gear: ${text}`), context(note)] };
}

async function toggle(a: TKpiSubcommandArgs, words: string[], enabled: boolean): Promise<SlackMessage> {
  assertCanManageAlerts(a.member.rep, enabled ? 'turn alerts on' : 'turn alerts off');
  const rule = requireRule(words[0], `/kpi alerts ${enabled ? 'on' : 'off'} funnel-leak`);
  await toggleAlertRule({ db: a.deps.db, actor: a.member.rep, workspace: a.member.workspace, rule, enabled, now: a.deps.now(), requestKey: commandRequestKey(a.command) });
  const locale = localeOf(a.member);
  const text = t(locale, 'admin.alerts.toggled', { title: alertTitle(rule, locale), rule, enabled: enabled ? 'yes' : 'no' });
  return { text, blocks: [section(`${enabled ? ':large_green_circle:' : ':white_circle:'} ${text}`)] };
}

async function channel(a: TKpiSubcommandArgs, words: string[]): Promise<SlackMessage> {
  assertCanManageAlerts(a.member.rep, 'choose the alerts channel');
  const word = words[0];
  const example = '/kpi alerts channel #sales-alerts';
  if (word && ['off', 'none', 'clear', 'remove'].includes(word.toLowerCase())) {
    await setAlertsChannel({ db: a.deps.db, actor: a.member.rep, workspace: a.member.workspace, channelId: null, now: a.deps.now(), requestKey: commandRequestKey(a.command) });
    const text = t(localeOf(a.member), 'admin.alerts.channelOff');
    return { text, blocks: [section(`:mega: ${text}`)] };
  }
  const channelId = parseChannelMention(word) ?? (word?.toLowerCase() === 'here' ? a.command.channel_id : null);
  if (!channelId) {
    const plain = word?.startsWith('#') ?? false;
    const why = plain
      ? `Pick the channel from Slack's list as you type \`#\`, so it arrives as a link: "${word}" came through as plain text.`
      : 'Say which channel gets the alerts, as a #channel mention (or `off`).';
    throw new AppError('INVALID_INPUT', why, { example, i18n: plain ? { key: 'error.alerts.plainChannel', values: { typed: word ?? '' } } : { key: 'error.alerts.whichChannel' } });
  }
  const check = await a.deps.slack.botIsInChannel(channelId);
  const mention = `<#${channelId}>`;
  if ('error' in check) {
    throw new AppError('NOT_IN_CHANNEL', `I can't see ${mention} (Slack said \`${check.error}\`). If it is private, invite me first: type \`/invite @Sales KPIs\` in it, then run this again. Nothing was saved.`, { example, mentions: [channelId], i18n: { key: 'error.alerts.cannotSee', values: { channel: mention, error: check.error } } });
  }
  if (check.archived) throw new AppError('NOT_IN_CHANNEL', `${mention} is archived, so I can't post alerts there. Pick another channel.`, { example, mentions: [channelId], i18n: { key: 'error.alerts.archived', values: { channel: mention } } });
  if (!check.member) {
    throw new AppError('NOT_IN_CHANNEL', `I'm not in ${mention} yet, so I couldn't post alerts there. Invite me by typing \`/invite @Sales KPIs\` in ${mention}, then run this again. Nothing was saved.`, { example, mentions: [channelId], i18n: { key: 'error.alerts.notMember', values: { channel: mention } } });
  }
  await setAlertsChannel({ db: a.deps.db, actor: a.member.rep, workspace: a.member.workspace, channelId, now: a.deps.now(), requestKey: commandRequestKey(a.command) });
  const text = t(localeOf(a.member), 'admin.alerts.channelSet', { channel: mention, timeZone: a.member.workspace.timeZone });
  return { text, blocks: [section(`:mega: ${text}`)] };
}

async function snooze(a: TKpiSubcommandArgs, words: string[]): Promise<SlackMessage> {
  assertCanManageAlerts(a.member.rep, 'snooze alerts');
  const rule = requireRule(words[0], '/kpi alerts snooze oversized-deal 1w');
  const durationMs = parseSnoozeDuration(words.slice(1).join(''));
  if (durationMs === null) {
    throw new AppError('INVALID_INPUT', `"${words.slice(1).join(' ')}" is not a snooze length. Use hours, days or weeks (up to 13 weeks), such as 1w, 3d or 12h.`, {
      example: `/kpi alerts snooze ${rule} 2w`,
      i18n: { key: 'error.alerts.snoozeLength', values: { typed: words.slice(1).join(' ') } },
    });
  }
  const { workspace } = a.member;
  const row = await snoozeAlert({ db: a.deps.db, actor: a.member.rep, workspace, rule, now: a.deps.now(), durationMs, requestKey: commandRequestKey(a.command) });
  const locale = localeOf(a.member);
  const text = t(locale, 'admin.alerts.snoozed', { title: alertTitle(rule, locale), until: formatInstantL(locale, row.until, workspace.timeZone), rule });
  return { text, blocks: [section(`:zzz: ${text}`)] };
}

async function unsnooze(a: TKpiSubcommandArgs, words: string[]): Promise<SlackMessage> {
  assertCanManageAlerts(a.member.rep, 'end alert snoozes');
  const rule = requireRule(words[0], '/kpi alerts unsnooze oversized-deal');
  const n = await unsnoozeAlert({ db: a.deps.db, actor: a.member.rep, workspace: a.member.workspace, rule, now: a.deps.now(), requestKey: commandRequestKey(a.command) });
  const locale = localeOf(a.member);
  const title = alertTitle(rule, locale);
  const text = n > 0 ? t(locale, 'admin.alerts.unsnoozed', { count: n, title }) : t(locale, 'admin.alerts.notSnoozed', { title });
  return { text, blocks: [section(`:alarm_clock: ${text}`)] };
}

function help(locale: TLocale): SlackMessage {
  const lines = [
    t(locale, 'admin.alerts.helpHead'),
    t(locale, 'admin.alerts.helpList'),
    ...ALERT_RULES.map((r) => `\`${ALERT_RULE_INFO[r].example}\`${locale === 'zh-CN' ? '：' : ': '}${escapeMrkdwn(alertDescription(r, locale))}`),
    t(locale, 'admin.alerts.helpVerbs'),
    t(locale, 'admin.alerts.helpWho'),
  ];
  const text = lines.join('\n');
  return { text, blocks: [section(text)] };
}

/**
 * The `/kpi alerts` subcommand (register it with the other `/kpi` subcommands).
 *
 * @example
 * KPI_SUBCOMMANDS.push(alertsSubcommand);
 */
export const alertsSubcommand: TKpiSubcommand = {
  names: ['alerts', 'alert'],
  help: '`/kpi alerts`: alert rules, thresholds and active alerts; `set &lt;rule&gt; &lt;threshold&gt;`, `on|off &lt;rule&gt;`, `channel #channel`, `snooze &lt;rule&gt; [1w]` (managers and admins)',
  helpKey: 'help.alerts',
  async run(a) {
    const [verb, ...rest] = a.args;
    switch (verb?.toLowerCase()) {
      case undefined:
      case 'list':
      case 'status':
      case 'show':
        return status(a);
      case 'set':
        return set(a, rest);
      case 'on':
      case 'enable':
        return toggle(a, rest, true);
      case 'off':
      case 'disable':
        return toggle(a, rest, false);
      case 'channel':
        return channel(a, rest);
      case 'snooze':
      case 'mute':
        return snooze(a, rest);
      case 'unsnooze':
      case 'unmute':
        return unsnooze(a, rest);
      case 'help':
      case '?':
        return help(localeOf(a.member));
      default:
        throw new AppError('INVALID_INPUT', `I don't know \`/kpi alerts ${verb}\`. Try list, set, on, off, channel, snooze or unsnooze.`, {
          example: '/kpi alerts set winrate-drop 15',
          i18n: { key: 'error.alerts.unknownVerb', values: { verb: verb ?? '' } },
        });
    }
  },
};
