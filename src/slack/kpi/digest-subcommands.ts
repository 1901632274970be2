import { isValidTimeZone } from '../../config.js';
import { AppError } from '../../errors.js';
import type { DigestSubscription } from '../../storage/models.js';
import { commandRequestKey } from '../request-keys.js';
import { listSubscriptions, subscribeChannel, unsubscribeChannel, type TSubscriptionListItem } from '../../domain/digests/manage-subscriptions.js';
import type { TBuildDigest } from '../../domain/digests/run-digest.js';
import { buildHeaderOnlyDigest } from '../blocks/digest.js';
import { describeSchedule, parseLocalTime, parseWeekday } from '../../domain/digests/schedule.js';
import { isManagerOrAdmin } from '../../domain/workspaces/ensure-member.js';
import { findChannelSubscription } from '../../domain/workspaces/lookups.js';
import { escapeMrkdwn } from '../blocks/limits.js';
import { context, section } from '../blocks/messages.js';
import type { SlackMessage } from '../gateway.js';
import { parseChannelMention } from '../mentions.js';
import type { TKpiSubcommand, TKpiSubcommandArgs } from './registry.js';
import { localeOf } from '../locale-of.js';
import type { TLocale } from '../../i18n/locales.js';
import { formatInstantL, weekdayName } from '../../i18n/format.js';
import { t, type TMessageKey } from '../../i18n/t.js';

/**
 * `/kpi digest …`:
 * - `subscribe #channel [weekday] [HH:MM] [timezone]` (managers and admins; default Monday 09:00
 *   in the workspace's zone; the bot must already be in the channel — if not, says how to invite it);
 * - `unsubscribe #channel` (managers and admins);
 * - `list`: subscriptions with their next run in their zone and the last delivery;
 * - bare `digest` (or `preview`): the digest for this channel, now, privately.
 */

export interface TDigestSubcommandOptions {
  /** Builds the preview (the same builder the scheduler uses; called with `preview: true`). */
  buildDigest?: TBuildDigest;
}

const EXAMPLE = '/kpi digest subscribe #sales monday 09:00 Europe/Berlin';
const MAX_LISTED = 40;

export interface TParsedSubscribe {
  channelId: string | undefined;
  weekday: number | undefined;
  localTime: string | undefined;
  timeZone: string | undefined;
}

/**
 * Reads `#channel [weekday] [HH:MM] [timezone]` in any order. `here` (or no channel) means the
 * channel the command was typed in. Throws INVALID_INPUT naming the word it did not understand.
 *
 * @example
 * parseSubscribeArgs(['<#C123|sales>', 'tue', '8:30', 'Europe/Berlin']);
 * // { channelId: 'C123', weekday: 2, localTime: '08:30', timeZone: 'Europe/Berlin' }
 */
export function parseSubscribeArgs(args: readonly string[], currentChannel?: string): TParsedSubscribe {
  const out: TParsedSubscribe = { channelId: undefined, weekday: undefined, localTime: undefined, timeZone: undefined };
  for (const raw of args) {
    const token = raw.trim();
    if (!token) continue;
    const channel = parseChannelMention(token);
    if (channel && out.channelId === undefined) {
      out.channelId = channel;
      continue;
    }
    if ((token.toLowerCase() === 'here' || token.toLowerCase() === 'this') && out.channelId === undefined && currentChannel) {
      out.channelId = currentChannel;
      continue;
    }
    if (token.startsWith('#')) {
      throw new AppError('INVALID_INPUT', `Pick the channel from Slack's list as you type \`#\`, so it arrives as a link: "${token}" came through as plain text.`, {
        example: EXAMPLE,
        i18n: { key: 'error.digest.plainChannel', values: { typed: token } },
      });
    }
    const weekday = parseWeekday(token);
    if (weekday !== null && out.weekday === undefined) {
      out.weekday = weekday;
      continue;
    }
    const time = parseLocalTime(token);
    if (time !== null && out.localTime === undefined) {
      out.localTime = time;
      continue;
    }
    if ((token.includes('/') || /^(utc|gmt)$/i.test(token)) && out.timeZone === undefined) {
      const zone = /^(utc|gmt)$/i.test(token) ? 'UTC' : token;
      if (!isValidTimeZone(zone)) {
        throw new AppError('INVALID_INPUT', `"${token}" is not a time zone I know. Use an IANA name such as Europe/Berlin, America/New_York or Asia/Ho_Chi_Minh.`, {
          example: EXAMPLE,
          i18n: { key: 'error.digest.timeZone', values: { typed: token } },
        });
      }
      out.timeZone = zone;
      continue;
    }
    throw new AppError('INVALID_INPUT', `I didn't understand "${token}". Say the channel, then optionally a weekday, a time (HH:MM) and a time zone.`, {
      example: EXAMPLE,
      i18n: { key: 'error.digest.unreadWord', values: { typed: token } },
    });
  }
  if (out.channelId === undefined && currentChannel) out.channelId = currentChannel;
  return out;
}

function requireManager(a: TKpiSubcommandArgs, action: 'subscribe' | 'unsubscribe'): void {
  if (!isManagerOrAdmin(a.member.rep)) {
    const what = action === 'subscribe' ? 'subscribe channels to the weekly digest' : 'unsubscribe channels from the weekly digest';
    throw new AppError('FORBIDDEN', `Only managers and admins can ${what}. Ask an admin to make you a manager with \`/kpi role @you manager\`.`, {
      i18n: { key: 'error.managersOnly.digest', values: { action } },
    });
  }
}

/** Checks the bot can post in the channel before anything is saved; throws with how to fix it. */
async function assertBotCanPost(a: TKpiSubcommandArgs, channelId: string): Promise<void> {
  const channel = `<#${channelId}>`;
  const check = await a.deps.slack.botIsInChannel(channelId);
  if ('error' in check) {
    if (check.error === 'channel_not_found') {
      throw new AppError('NOT_IN_CHANNEL', `I can't see ${channel}. If it is a private channel, invite me first: type \`/invite @Sales KPIs\` in it, then subscribe again.`, {
        example: `/kpi digest subscribe ${channel}`,
        mentions: [channelId],
        i18n: { key: 'error.digest.cannotSee', values: { channel } },
      });
    }
    throw new AppError('NOT_IN_CHANNEL', `I couldn't check whether I can post in ${channel} (Slack said \`${check.error}\`), so nothing was saved. Try again in a moment.`, {
      mentions: [channelId],
      i18n: { key: 'error.digest.cannotCheck', values: { channel, error: check.error } },
    });
  }
  if (check.archived) {
    throw new AppError('NOT_IN_CHANNEL', `${channel} is archived, so I can't post digests there. Pick another channel.`, { example: EXAMPLE, mentions: [channelId], i18n: { key: 'error.digest.archived', values: { channel } } });
  }
  if (!check.member) {
    throw new AppError('NOT_IN_CHANNEL', `I'm not in ${channel} yet, so I couldn't post the digest there. Invite me by typing \`/invite @Sales KPIs\` in ${channel}, then run this again. Nothing was saved.`, {
      example: `/kpi digest subscribe ${channel}`,
      mentions: [channelId],
      i18n: { key: 'error.digest.notMember', values: { channel } },
    });
  }
}

/** "every Monday at 09:00 (Europe/Berlin)" in the reader's language (English: `describeSchedule`). */
function scheduleText(s: Pick<DigestSubscription, 'weekday' | 'localTime' | 'timeZone'>, locale: TLocale): string {
  if (locale === 'en' || s.weekday < 1 || s.weekday > 7) return describeSchedule(s);
  return t(locale, 'admin.digest.schedule', { weekday: weekdayName(locale, s.weekday), time: s.localTime, timeZone: s.timeZone });
}

function describeLast(item: TSubscriptionListItem, timeZone: string, locale: TLocale): string {
  const last = item.last;
  if (!last) return t(locale, 'admin.digest.lastNone');
  const when = formatInstantL(locale, last.scheduledFor, timeZone);
  switch (last.status) {
    case 'sent':
      return t(locale, 'admin.digest.lastSent', { when, late: last.late ? 'yes' : 'no' });
    case 'failed':
      // The stored error is Slack's own code (or the app's English note): shown as it is.
      return t(locale, 'admin.digest.lastFailed', { when, error: escapeMrkdwn(last.error ?? t(locale, 'admin.digest.unknownError')) });
    case 'skipped':
      return t(locale, 'admin.digest.lastSkipped', { when, error: escapeMrkdwn(last.error ?? t(locale, 'admin.digest.missed')) });
    default:
      return t(locale, 'admin.digest.lastPosting', { when });
  }
}

const DISABLED_REASONS: Record<string, TMessageKey> = {
  not_in_channel: 'admin.digest.offNotInChannel',
  channel_not_found: 'admin.digest.offChannelNotFound',
  is_archived: 'admin.digest.offArchived',
};

function describeItem(item: TSubscriptionListItem, locale: TLocale): string {
  const s = item.subscription;
  const channel = `<#${s.channelId}>`;
  const head = `${channel} — ${scheduleText(s, locale)}`;
  if (!s.active) {
    const reason = DISABLED_REASONS[s.disabledReason ?? ''];
    const why = reason ? t(locale, reason) : escapeMrkdwn(s.disabledReason ?? t(locale, 'admin.digest.disabled'));
    return t(locale, 'admin.digest.itemOff', { head, why, channel, last: describeLast(item, s.timeZone, locale) });
  }
  const next = item.next ? t(locale, 'admin.digest.next', { when: formatInstantL(locale, item.next, s.timeZone) }) : t(locale, 'admin.digest.nextUnknown');
  return t(locale, 'admin.digest.itemOn', { head, next, last: describeLast(item, s.timeZone, locale) });
}

async function subscribe(a: TKpiSubcommandArgs, args: string[]): Promise<SlackMessage> {
  requireManager(a, 'subscribe');
  const parsed = parseSubscribeArgs(args, a.command.channel_id);
  if (!parsed.channelId || !/^[CG][A-Z0-9]+$/.test(parsed.channelId)) {
    throw new AppError('INVALID_INPUT', 'Say which channel gets the digest, as a #channel mention.', { example: EXAMPLE, i18n: { key: 'error.digest.whichChannel' } });
  }
  await assertBotCanPost(a, parsed.channelId);
  const { subscription, created, next } = await subscribeChannel({
    db: a.deps.db,
    actor: a.member.rep,
    workspace: a.member.workspace,
    channelId: parsed.channelId,
    ...(parsed.weekday !== undefined ? { weekday: parsed.weekday } : {}),
    ...(parsed.localTime !== undefined ? { localTime: parsed.localTime } : {}),
    ...(parsed.timeZone !== undefined ? { timeZone: parsed.timeZone } : {}),
    now: a.deps.now(),
    requestKey: commandRequestKey(a.command),
  });
  const locale = localeOf(a.member);
  const text = t(locale, 'admin.digest.subscribed', {
    created: created ? 'yes' : 'no',
    channel: `<#${subscription.channelId}>`,
    schedule: scheduleText(subscription, locale),
    next: formatInstantL(locale, next, subscription.timeZone),
  });
  return { text, blocks: [section(`:calendar: ${text}`), context(t(locale, 'admin.digest.subscribedContext'))] };
}

async function unsubscribe(a: TKpiSubcommandArgs, args: string[]): Promise<SlackMessage> {
  requireManager(a, 'unsubscribe');
  const channelId = parseChannelMention(args[0]) ?? (args[0]?.toLowerCase() === 'here' || args.length === 0 ? a.command.channel_id : null);
  if (!channelId) {
    throw new AppError('INVALID_INPUT', 'Say which channel should stop getting the digest, as a #channel mention.', {
      example: '/kpi digest unsubscribe #sales',
      i18n: { key: 'error.digest.whichChannelStop' },
    });
  }
  await unsubscribeChannel({ db: a.deps.db, actor: a.member.rep, workspace: a.member.workspace, channelId, now: a.deps.now(), requestKey: commandRequestKey(a.command) });
  const text = t(localeOf(a.member), 'admin.digest.unsubscribed', { channel: `<#${channelId}>` });
  return { text, blocks: [section(`:wave: ${text}`)] };
}

async function list(a: TKpiSubcommandArgs): Promise<SlackMessage> {
  const locale = localeOf(a.member);
  const items = await listSubscriptions({ db: a.deps.db, workspace: a.member.workspace, now: a.deps.now() });
  if (items.length === 0) {
    const text = t(locale, 'admin.digest.none');
    return { text, blocks: [section(text)] };
  }
  const lines = items.map((item) => describeItem(item, locale));
  const shown = lines.slice(0, MAX_LISTED);
  const more = lines.length - shown.length;
  const head = t(locale, 'admin.digest.listHead', { count: items.length });
  const text = `${head}\n${lines.join('\n')}`;
  return {
    text: text.slice(0, 3900),
    blocks: [section(head), ...shown.map((l) => section(l)), ...(more > 0 ? [context(t(locale, 'admin.digest.more', { count: more }))] : [])],
  };
}

async function preview(a: TKpiSubcommandArgs, buildDigest: TBuildDigest): Promise<SlackMessage> {
  const { workspace } = a.member;
  const now = a.deps.now();
  const existing = await findChannelSubscription({ db: a.deps.db, workspaceId: workspace.id, channelId: a.command.channel_id });
  const subscription: DigestSubscription = existing ?? {
    id: 0,
    workspaceId: workspace.id,
    channelId: a.command.channel_id,
    weekday: 1,
    localTime: '09:00',
    timeZone: workspace.timeZone,
    kpis: 'quota,winrate,dealsize,revenue,funnel',
    teamId: null,
    createdBySlackUserId: a.command.user_id,
    active: true,
    disabledReason: null,
    createdAt: now,
    updatedAt: now,
  };
  const digest = await buildDigest({ ...subscription, workspace }, { slotId: 0, scheduledFor: now, late: false, lateByMs: 0, timeZone: subscription.timeZone, preview: true });
  return { text: digest.text, blocks: digest.blocks };
}

function help(locale: TLocale): SlackMessage {
  const text = t(locale, 'admin.digest.help');
  return { text, blocks: [section(text)] };
}

/**
 * The `/kpi digest` subcommand. `buildDigest` makes the preview (defaults to the header-only
 * placeholder until the KPI digest builder is wired).
 *
 * @example
 * const digest = createDigestSubcommand({ buildDigest: buildKpiDigest });
 * KPI_SUBCOMMANDS.push(digest);
 */
export function createDigestSubcommand(opts: TDigestSubcommandOptions = {}): TKpiSubcommand {
  const buildDigest = opts.buildDigest ?? buildHeaderOnlyDigest;
  return {
    names: ['digest', 'digests'],
    // The verbs of `run` below that only read (preview, list, help).
    readsOnly: (args) => [undefined, 'preview', 'now', 'list', 'ls', 'status', 'help'].includes(args[0]?.toLowerCase()),
    help: '`/kpi digest subscribe #channel [weekday] [HH:MM] [timezone]`, `unsubscribe #channel`, `list`; `/kpi digest` previews the weekly digest privately',
    helpKey: 'help.digest',
    async run(a) {
      const [verb, ...rest] = a.args;
      switch (verb?.toLowerCase()) {
        case undefined:
        case 'preview':
        case 'now':
          return preview(a, buildDigest);
        case 'subscribe':
        case 'sub':
        case 'add':
          return subscribe(a, rest);
        case 'unsubscribe':
        case 'unsub':
        case 'remove':
        case 'stop':
          return unsubscribe(a, rest);
        case 'list':
        case 'ls':
        case 'status':
          return list(a);
        case 'help':
          return help(localeOf(a.member));
        default:
          throw new AppError('INVALID_INPUT', `I don't know \`/kpi digest ${verb}\`. Use subscribe, unsubscribe, list, or nothing for a preview.`, {
            example: EXAMPLE,
            i18n: { key: 'error.digest.unknownVerb', values: { verb: verb ?? '' } },
          });
      }
    },
  };
}

/** The subcommand with the placeholder preview. */
export const digestSubcommand: TKpiSubcommand = createDigestSubcommand();
