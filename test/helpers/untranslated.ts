import { latinWords, NAMES } from './english-words.js';

/**
 * The words of `shown` (a Vietnamese or Chinese message) that also appear in `english` (the same
 * surface in English): what a reader would see as untranslated English. Names in the data (customers,
 * teams) appear in both: pass them as `extraNames`. Word rules: `latinWords` (english-words.ts).
 *
 * @example englishLeft('Đã kết nối HubSpot.', 'HubSpot is connected.') // []
 */
export function englishLeft(shown: string, english: string, extraNames: readonly string[] = []): string[] {
  const allowed = new Set(extraNames.flatMap((n) => latinWords(n)));
  const words = latinWords;
  const en = new Set(words(english));
  return [...new Set(words(shown).filter((w) => en.has(w) && !allowed.has(w) && !NAMES.has(w)))];
}
