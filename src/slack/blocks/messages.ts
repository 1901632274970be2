import type { KnownBlock } from '@slack/types';
import { slackTextToPlain } from '../../domain/deals/parse-deal-command.js';
import { localParts } from '../../domain/periods.js';
import { isAppError, toUserMessage, type AppError, type TErrorI18n } from '../../errors.js';
import { amountToTypeL, formatDateL, formatDecimalTextL, formatMoneyL, periodLabel } from '../../i18n/format.js';
import type { SlackMessage } from '../gateway.js';
import { cleanText, escapeMrkdwn, LIMITS, truncate } from './limits.js';
import type { TLocale } from '../../i18n/locales.js';
import { CATALOGS, t, type TMessageKey } from '../../i18n/t.js';
import { stageListL } from './stage-names.js';

/**
 * A mrkdwn text object. `verbatim: true` stops Slack's automatic parsing (bare URLs, `#channel`
 * names, `@here`-style words in user text turned live); the app's own `<@U…>` still works.
 */
export function mrkdwn(text: string): { type: 'mrkdwn'; text: string; verbatim: true } {
  return { type: 'mrkdwn', text, verbatim: true };
}

/** A section block with text cut to Slack's limit. */
export function section(text: string): KnownBlock {
  return { type: 'section', text: mrkdwn(truncate(text || ' ', LIMITS.sectionText)) };
}

export function context(...texts: string[]): KnownBlock {
  return { type: 'context', elements: texts.slice(0, LIMITS.contextElements).map((t) => mrkdwn(truncate(t, LIMITS.sectionText))) };
}

/** A header; plain_text is never parsed for mentions, so the text is only cleaned, not escaped. */
export function header(text: string): KnownBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(cleanText(text), LIMITS.headerText), emoji: true } };
}

/**
 * Turns the escaped `&lt;@U1&gt;` / `&lt;#C1&gt;` of the given ids (Slack ids only) back into
 * live mentions.
 *
 * @example liveMentions('&lt;#C1&gt; &lt;!here&gt;', ['C1']) // '<#C1> &lt;!here&gt;'
 */
function liveMentions(escaped: string, ids: readonly string[]): string {
  let out = escaped;
  for (const id of ids) {
    if (!/^[UWCG][A-Z0-9]+$/.test(id)) continue;
    const sigil = id.startsWith('C') || id.startsWith('G') ? '#' : '@';
    out = out.replaceAll(`&lt;${sigil}${id}&gt;`, `<${sigil}${id}>`);
  }
  return out;
}

/**
 * An error's message in a language: its catalog message when it carries a key (`AppError.i18n`),
 * else the English message as written; an unknown error is the generic apology. Plain text.
 */
export function errorText(e: unknown, locale: TLocale): string {
  if (locale === 'en' || !isAppError(e)) return locale === 'en' ? (isAppError(e) ? e.message : toUserMessage(e)) : t(locale, 'error.generic');
  return (e.i18n && i18nText(e.i18n, locale)) ?? e.message;
}

/**
 * A keyed error message in a language, or null for an unknown key: its lead sentence first, amounts
 * formatted for the locale, any following message (usage lines, the right form) after it.
 */
function i18nText(i18n: TErrorI18n, locale: TLocale): string | null {
  if (!(i18n.key in CATALOGS.en)) return null;
  const own = t(locale, i18n.key as TMessageKey, { ...i18n.values, ...typedValues(i18n, locale) });
  const lead = i18n.lead && i18nText(i18n.lead, locale);
  const withLead = lead ? `${lead} ${own}` : own;
  if (!i18n.then) return withLead;
  const next = i18nText(i18n.then, locale);
  return next === null ? withLead : `${withLead}${i18n.then.separator ?? ' '}${next}`;
}

/**
 * An error's typed values (amounts, numbers, days, periods, stage lists) in the reader's forms:
 * the domain hands them over as data, so each language formats them at render time.
 */
function typedValues(i18n: TErrorI18n, locale: TLocale): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, m] of Object.entries(i18n.money ?? {})) out[k] = formatMoneyL(locale, BigInt(m.amountMinor), m.currency);
  for (const [k, m] of Object.entries(i18n.inputs ?? {})) out[k] = amountToTypeL(locale, BigInt(m.amountMinor), m.currency, m.show);
  for (const [k, n] of Object.entries(i18n.numbers ?? {})) out[k] = formatDecimalTextL(locale, n);
  // English dates stay ISO (`2026-11-15`), as the English messages have always written them.
  for (const [k, d] of Object.entries(i18n.dates ?? {})) out[k] = dayText(locale, d.at, d.timeZone, d.show ?? 'day');
  for (const [k, p] of Object.entries(i18n.periods ?? {})) out[k] = periodLabel(locale, p);
  for (const [k, s] of Object.entries(i18n.stages ?? {})) out[k] = stageListL(s.keys, locale, s.separator, s.typed);
  return out;
}

/** A day (and time) for a refusal: the reader's date form; English keeps ISO (`2026-11-15 10:02`), as its messages write it. */
function dayText(locale: TLocale, at: Date, timeZone: string, show: 'day' | 'time' | 'dayAndTime'): string {
  const p = localParts(at, timeZone);
  const pad = (x: number) => String(x).padStart(2, '0');
  const time = `${pad(p.hour)}:${pad(p.minute)}`;
  if (show === 'time') return time;
  const day = locale === 'en' ? `${p.year}-${pad(p.month)}-${pad(p.day)}` : formatDateL(locale, at, timeZone);
  return show === 'day' ? day : `${day} ${time}`;
}

/**
 * The error's example for a reader of `locale`: its own form in that language when it has one, an
 * amount in the reader's form (one the parser reads back), else the example as written.
 */
export function errorExample(e: AppError, locale: TLocale): string | undefined {
  if (locale === 'en') return e.example;
  const amount = e.i18n?.exampleAmount;
  return e.i18n?.examples?.[locale] ?? (amount ? amountToTypeL(locale, BigInt(amount.amountMinor), amount.currency, amount.show) : undefined) ?? e.example;
}

/**
 * The private reply for any failure, in the reader's language: says what was wrong and, for input
 * mistakes, the right form. Unknown errors get a generic apology with no internals.
 */
export function buildErrorMessage(e: unknown, locale: TLocale = 'en'): SlackMessage {
  // Messages quote what was typed (`"<!here>" is not an amount`): escaped in `text` too, but for
  // the app's own mentions of the ids the error names.
  const shown = (s: string) => liveMentions(escapeMrkdwn(s), isAppError(e) ? (e.mentions ?? []) : []);
  const message = errorText(e, locale);
  const example = isAppError(e) ? errorExample(e, locale) : undefined;
  const full = locale === 'en' ? toUserMessage(e) : example ? `${message}\n${t(locale, 'error.example', { example })}` : message;
  const text = shown(full);
  if (!isAppError(e)) return { text, blocks: [section(`:warning: ${text}`)] };
  // A repeated delivery is not a failure: the request was carried out, once.
  const icon = e.code === 'ALREADY_DONE' ? ':white_check_mark:' : ':warning:';
  const blocks: KnownBlock[] = [section(`${icon} ${shown(message)}`)];
  if (example) blocks.push(context(t(locale, 'error.try', { example: escapeMrkdwn(example) })));
  return { text, blocks };
}

/**
 * Echoes what the user typed so nothing they wrote is lost when a command is refused. `typed` is
 * the raw command text as Slack sent it (escaped, with live tokens): it is shown as the person
 * typed it, escaped exactly once.
 *
 * @example withTypedText(msg, '/deal won x <!channel> &amp;') // adds the context 'You typed: `/deal won x @channel &amp;`'
 */
export function withTypedText(message: SlackMessage, typed: string, locale: TLocale = 'en'): SlackMessage {
  if (!typed.trim()) return message;
  return { text: message.text, blocks: [...(message.blocks ?? []), context(t(locale, 'error.typed', { typed: escapeMrkdwn(truncate(slackTextToPlain(typed), 2800)) }))] };
}
