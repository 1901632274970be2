/**
 * Amounts read in the reader's number form (issue #12): the refusal a reader whose language writes
 * `1.234,5` (Vietnamese) gets for `1,200` in a currency with cents, their decimal mark before three
 * digits. Spread into the main catalogs. English answers keep the AppError's own message.
 */
export const enAmounts = {
  'error.amounts.ambiguousComma': '"{shown}" is ambiguous in {currency}: is the comma a thousands separator ({thousands}) or a decimal mark ({decimal})? Write {asThousands} with a dot for thousands, or at most {digits, plural, one {# digit} other {# digits}} after a decimal comma.',
} as const;
