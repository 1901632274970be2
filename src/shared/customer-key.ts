/**
 * The key deals are matched by customer name (`Deal.customerKey`): the same on SQLite and
 * PostgreSQL because it is computed here, in JavaScript, never by the database's LOWER (SQLite's
 * folds ASCII only).
 *
 * - Unicode NFC, so a name typed precomposed (`Á`) and decomposed (`A` + U+0301) match;
 * - leading and trailing whitespace removed, inner runs of whitespace (tabs, no-break spaces…)
 *   collapsed to one space;
 * - lower case by Unicode's default (locale-independent) rules, `toLowerCase()`.
 *
 * It is a lower-casing, not a full case folding nor an accent strip: `ß` stays `ß` (so `STRASSE`
 * and `Straße` differ, `STRAẞE` and `Straße` match), `İ` becomes `i̇` (`i` + U+0307, not the
 * Turkish-locale `i`), and accents count (`Anh` and `Ánh` are different names in Vietnamese).
 *
 * @example
 * customerKey('  Ánh   Dương '); // 'ánh dương'
 * customerKey('ACME\tCorp'); // 'acme corp'
 * customerKey('STRAẞE'); // 'straße'
 */
export function customerKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/gu, ' ').toLowerCase().normalize('NFC');
}
