import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { CATALOGS } from '../../src/i18n/t.js';

/** Words that stay as they are in every language: product names, metric acronyms, currency codes. */
export const KEPT_WORDS: ReadonlySet<string> = new Set(['mrr', 'arr', 'nrr', 'grr', 'slack', 'kpi', 'crm', 'hubspot', 'pipedrive', 'salesforce', 'usd', 'eur', 'vnd', 'cny', 'iso']);

/** The literal text of a message (placeholders, option keys and ICU syntax left out). */
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

/** Latin words of 3+ letters outside code spans, emoji codes, mentions and links: what a reader would see as English. */
export function latinWords(text: string): string[] {
  const stripped = text
    .replace(/`[^`]*`/g, ' ')
    .replace(/:[a-z_+-]+:/g, ' ')
    .replace(/<[@#!][^>]*>|&lt;[@#!][^&]*&gt;/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/&lt;|&gt;|&amp;/g, ' ');
  return (stripped.match(/[A-Za-z]{3,}/g) ?? []).map((w) => w.toLowerCase()).filter((w) => !KEPT_WORDS.has(w));
}

let vocabulary: Set<string> | null = null;

/** Every word the English catalog shows a reader (outside code spans). */
export function englishVocabulary(): ReadonlySet<string> {
  if (!vocabulary) {
    vocabulary = new Set();
    for (const message of Object.values(CATALOGS.en)) for (const w of latinWords(literalText(parse(message, { ignoreTag: true })))) vocabulary.add(w);
  }
  return vocabulary;
}

/**
 * The English words (words of the English catalog) in what a Vietnamese or Chinese reader was
 * sent; names, commands in code spans, mentions and acronyms aside. Empty when nothing is left.
 *
 * @example englishLeft('Đã ghi hoàn tiền: 2.000.000 ₫ cho Kappa') // []
 * @example englishLeft('Refund recorded: …') // ['refund', 'recorded']
 */
export function englishLeft(text: string): string[] {
  const english = englishVocabulary();
  return latinWords(text).filter((w) => english.has(w));
}
