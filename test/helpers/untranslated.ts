/**
 * The "no English left" check of issue #12, shared by the catalog test and the e2e language tests:
 * Latin words of 3+ letters a Vietnamese or Chinese reader would see as English. Code spans, emoji
 * codes, Slack mentions and links, IANA time zone ids and the names below are left out.
 */

/** Words that stay as they are in every language: product names, metric acronyms, commands. */
export const UNTRANSLATED_NAMES: ReadonlySet<string> = new Set(['mrr', 'arr', 'nrr', 'grr', 'slack', 'kpi', 'crm', 'hubspot', 'pipedrive', 'salesforce', 'usd', 'eur', 'vnd', 'cny', 'iana', 'utc']);

/** Latin words of 3+ letters outside code spans, emoji codes, mentions, links and zone ids, lower-cased. */
export function latinWords(text: string): string[] {
  const stripped = text
    .replace(/`[^`]*`/g, ' ')
    .replace(/:[a-z0-9_+-]+:/g, ' ')
    .replace(/<[@#!][^>]*>/g, ' ')
    .replace(/<https?:[^>]*>|https?:\/\/\S+/g, ' ')
    .replace(/&lt;|&gt;|&amp;/g, ' ')
    .replace(/\b[A-Z][A-Za-z_]+\/[A-Za-z_/+-]+/g, ' ');
  return (stripped.match(/[A-Za-z]{3,}/g) ?? []).map((w) => w.toLowerCase()).filter((w) => !UNTRANSLATED_NAMES.has(w));
}

/**
 * The words of `translated` that are also words of `english` (the same message or answer in
 * English): what was left untranslated. Names, customers and team names appear in both, so pass
 * them as `allowed`.
 *
 * @example englishLeft('Đã lưu: *Win rate drop*', 'Saved: *Win rate drop*') // ['win', 'rate', 'drop']
 */
export function englishLeft(translated: string, english: string, allowed: readonly string[] = []): string[] {
  const reference = new Set(latinWords(english));
  const ok = new Set(allowed.flatMap((a) => latinWords(a)));
  return [...new Set(latinWords(translated).filter((w) => reference.has(w) && !ok.has(w)))];
}
