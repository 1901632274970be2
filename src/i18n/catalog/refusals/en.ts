/**
 * Refusals that used to reach Vietnamese and Chinese readers in English, or half in English
 * (issue #12): the amount parser's ambiguous-separator refusals with what to write instead, the
 * plain-number refusals of machine amounts, the deal form's close-date and notes errors, and the
 * form of a field error with its example. Spread into the main catalogs. English answers keep the
 * AppError's own message (byte for byte): these English entries say the same for the catalog checks.
 */
export const enRefusals = {
  'error.refusals.ambiguousDot': '"{shown}" is ambiguous in {currency}: is the dot a thousands separator ({thousands}) or a decimal point ({decimal})? Write {asThousands} with a comma for thousands, or at most {digits, plural, one {# digit} other {# digits}} after a decimal point.',
  'error.refusals.ambiguousThreeDecimals': '"{shown}" is ambiguous in {currency}, which has 3 decimals: is the {sep, select, dot {dot} other {comma}} a thousands separator ({thousands}) or a decimal mark ({decimal})? Write {asThousands} for thousands, or {asDecimal} for the decimal.',
  'error.refusals.notANumber': '{value} is not an amount.',
  'error.refusals.notPlainNumber': '"{typed}" is not a plain number: write digits with a dot for decimals, as in {example} (commas only every 3 digits).',
  'error.refusals.plainAmbiguous': '"{typed}" is ambiguous in {currency}, which has 3 decimals: write {plain} without commas, or {plain}.000.',
  'error.refusals.fieldExample': '{message} (e.g. {example})',
  'error.refusals.closeDateNotADate': 'That is not a date on the calendar. Pick one with the date picker.',
  'error.refusals.closeDateTooEarly': 'Close dates before 2000 are not accepted. Pick the date the deal actually closed.',
  'error.refusals.notesLong': 'Notes are at most {max, number} characters (yours has {n, number}).',
} as const;
