import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';

/**
 * The "no English left" check of the Vietnamese and Chinese messages (issue #12), shared by the
 * catalog test (on catalog messages) and the e2e tests (on what Slack received): Latin words of 3+
 * letters outside code spans, emoji codes and links, minus the words that stay in every language
 * (product names, metric acronyms, the technical words admins see in their CRM: API, token,
 * webhook, URL, email).
 */
export const NAMES: ReadonlySet<string> = new Set(['mrr', 'arr', 'nrr', 'grr', 'slack', 'kpi', 'crm', 'hubspot', 'pipedrive', 'salesforce', 'usd', 'eur', 'vnd', 'cny', 'api', 'token', 'webhook', 'url', 'http', 'https', 'email', 'iana', 'utc', 'maven']);

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

/** Latin words of 3+ letters in shown text outside code spans, emoji codes, links and mentions, lower-cased. */
export function latinWordsOfText(text: string, names: ReadonlySet<string> = NAMES): string[] {
  const stripped = text
    .replace(/`[^`]*`/g, ' ')
    .replace(/:[a-z0-9_+-]+:/g, ' ')
    .replace(/<[^>|]*\|/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/&lt;|&gt;|&amp;/g, ' ')
    .replace(/\b[A-Z][A-Za-z_]+\/[A-Za-z_/+-]+/g, ' ');
  return (stripped.match(/[A-Za-z]{3,}/g) ?? []).map((w) => w.toLowerCase()).filter((w) => !names.has(w));
}

/** Latin words of a catalog message (ICU parsed: placeholders are not words). */
export function latinWords(message: string): string[] {
  return latinWordsOfText(literalText(parse(message, { ignoreTag: true })));
}

/**
 * The words of `shown` (a Vietnamese or Chinese message) that also appear in `english` (the same
 * surface in English): what a reader would see as untranslated English.
 *
 * @example englishLeft('Đã kết nối HubSpot.', 'HubSpot is connected.') // []
 */
export function englishLeft(shown: string, english: string, extraNames: readonly string[] = []): string[] {
  const names = new Set([...NAMES, ...extraNames.map((n) => n.toLowerCase())]);
  const en = new Set(latinWordsOfText(english, names));
  return [...new Set(latinWordsOfText(shown, names).filter((w) => en.has(w)))];
}
