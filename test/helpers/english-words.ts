import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { CATALOGS } from '../../src/i18n/t.js';

/**
 * "No English left" checks (issue #12), shared by the catalog test (message by message) and the
 * end-to-end tests (what a Vietnamese or Chinese reader is shown).
 */

/** Words that stay as they are in every language: product names, metric acronyms, commands. */
export const NAMES: ReadonlySet<string> = new Set(['mrr', 'arr', 'nrr', 'grr', 'slack', 'kpi', 'crm', 'hubspot', 'pipedrive', 'salesforce', 'usd', 'eur', 'vnd', 'cny', 'maven', 'iso', 'api', 'token', 'webhook', 'url', 'http', 'https', 'email', 'iana', 'utc']);

/** The literal text of an ICU message (placeholders, option keys and ICU syntax left out). */
export function literalText(elements: readonly MessageFormatElement[]): string {
  return elements
    .map((el) => {
      if (el.type === TYPE.literal) return el.value;
      if (el.type === TYPE.plural || el.type === TYPE.select) return Object.values(el.options).map((o) => literalText(o.value)).join(' ');
      if (el.type === TYPE.tag) return literalText(el.children);
      return ' ';
    })
    .join('');
}

/**
 * Latin words of 3+ letters outside code spans, emoji codes, mentions and links: what a reader
 * would see as English (lower case; product names, codes and acronyms left out).
 *
 * @example latinWords('Đã chốt *Acme* · `/kpi quota` :tada:') // ['acme']
 */
export function latinWords(text: string): string[] {
  const stripped = text
    .replace(/`[^`]*`/g, ' ')
    .replace(/:[a-z0-9_+-]+:/g, ' ')
    .replace(/<[@#!][^>]*>/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/&lt;|&gt;|&amp;/g, ' ')
    // IANA time zone ids (Asia/Ho_Chi_Minh) are names.
    .replace(/\b[A-Z][A-Za-z_]+\/[A-Za-z_/+-]+/g, ' ');
  // Upper-case words are codes and acronyms (VND, TRY, HTTP), not English prose.
  return (stripped.match(/[A-Za-z]{3,}/g) ?? []).filter((w) => !/^[A-Z]{3,5}$/.test(w)).map((w) => w.toLowerCase()).filter((w) => !NAMES.has(w));
}

/** Latin words of an ICU message's own text (its placeholders' values left out). */
export function messageLatinWords(message: string): string[] {
  return latinWords(literalText(parse(message, { ignoreTag: true })));
}

let vocabulary: ReadonlySet<string> | null = null;

/** Every word the English catalog uses (what an untranslated message would show). */
export function englishVocabulary(): ReadonlySet<string> {
  vocabulary ??= new Set(Object.values(CATALOGS.en).flatMap((m) => messageLatinWords(m)));
  return vocabulary;
}

/**
 * The English catalog's words left in a text shown to a Vietnamese or Chinese reader (empty when
 * none). Names in the data are allowed through `allowed`.
 *
 * @example englishLeft('Đã chốt Acme: 641.700.000 ₫') // []
 * @example englishLeft('Win rate 50,0%') // ['win', 'rate']
 */
export function englishLeft(text: string, allowed: readonly string[] = []): string[] {
  const english = englishVocabulary();
  const ok = new Set(allowed.map((a) => a.toLowerCase()));
  return [...new Set(latinWords(text).filter((w) => english.has(w) && !ok.has(w)))];
}
