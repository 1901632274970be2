/**
 * CSV output (RFC 4180): fields separated by commas, records by CRLF, a field quoted when it holds a
 * comma, a double quote, CR or LF (quotes doubled inside).
 *
 * Text that a spreadsheet would run as a formula (a cell starting with `=`, `+`, `-`, `@`, tab or
 * CR) gets a leading `'`, as OWASP's CSV-injection guidance advises, so opening an export in Excel
 * or LibreOffice never evaluates what someone typed into Slack. Numbers and dates are written by the
 * app itself and never prefixed (a negative amount stays `-500`).
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One text cell: neutralised against formulas, then quoted when needed.
 *
 * @example csvText('=HYPERLINK("x")') // '"\'=HYPERLINK(""x"")"'
 * @example csvText('Acme, Inc.') // '"Acme, Inc."'
 * @example csvText('Acme') // 'Acme'
 */
export function csvText(value: string): string {
  return csvQuote(FORMULA_START.test(value) ? `'${value}` : value);
}

/**
 * Quotes a field when RFC 4180 requires it (comma, double quote, CR, LF), doubling inner quotes.
 *
 * @example csvQuote('say "hi"') // '"say ""hi"""'
 */
export function csvQuote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A record from already formatted fields, CRLF-terminated.
 *
 * @example csvRecord(['id', 'name']) // 'id,name\r\n'
 */
export function csvRecord(fields: readonly string[]): string {
  return `${fields.join(',')}\r\n`;
}
