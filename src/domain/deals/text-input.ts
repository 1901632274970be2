import { AppError } from '../../errors.js';

/** Longest text the app stores per field, on every path (modal, quick forms, shortcut, CSV import). */
export const TEXT_LIMITS = { customer: 200, reason: 500, notes: 3000 } as const;

/** Bidirectional embeddings, overrides and isolates: they can make a stored name read backwards. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
/** Characters that show nothing: whitespace, C0/C1 controls, zero-width and direction marks, BOM, soft hyphen. */
const INVISIBLE = /[\s\p{Cc}\u00AD\u180E\u200B-\u200F\u2060-\u2064\uFEFF]/gu;

/**
 * Text without bidi embedding/override/isolate characters.
 *
 * @example stripBidi('\u202EAcme') // 'Acme'
 */
export function stripBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/**
 * A name as stored: bidi controls removed, control characters dropped, trimmed. '' when nothing
 * visible is left.
 *
 * @example cleanName('  Acme\u202E Corp ') // 'Acme Corp'
 * @example cleanName('\u200B\u200B') // ''
 */
export function cleanName(raw: string): string {
  const name = stripBidi(raw).replace(/\p{Cc}/gu, ' ').replace(/\s+/g, ' ').trim();
  return name.replace(INVISIBLE, '') === '' ? '' : name;
}

/**
 * A customer name checked for storage; refused (with the limit) when empty, invisible or too long.
 *
 * @example checkedCustomer(' Acme ') // 'Acme'
 */
export function checkedCustomer(raw: string, example?: string): string {
  const name = cleanName(raw);
  const opts = { field: 'customer', ...(example ? { example } : {}) };
  if (!name) throw new AppError('INVALID_INPUT', raw.trim() ? 'The customer name has no visible characters.' : 'Which customer? Say the customer name.', { ...opts, i18n: { key: raw.trim() ? 'error.deal.customerBlank' : 'error.deal.customerMissing' } });
  if (name.length > TEXT_LIMITS.customer) {
    throw new AppError('INVALID_INPUT', `Customer names are at most ${TEXT_LIMITS.customer} characters (this one has ${name.length}).`, { ...opts, i18n: { key: 'error.deal.customerLong', values: { max: TEXT_LIMITS.customer, n: name.length } } });
  }
  return name;
}

/**
 * Free text (a lost reason, notes): bidi controls removed, trimmed, at most `limit` characters.
 *
 * @example checkedText(' too pricey ', 'reason') // 'too pricey'
 */
export function checkedText(raw: string, kind: 'reason' | 'notes', example?: string): string {
  const text = stripBidi(raw).trim();
  const limit = TEXT_LIMITS[kind];
  if (text.length > limit) {
    const what = kind === 'reason' ? 'A lost reason' : 'Notes';
    throw new AppError('INVALID_INPUT', `${what} can be at most ${limit.toLocaleString('en-US')} characters; yours has ${text.length.toLocaleString('en-US')}. Shorten it and send it again.`, {
      // The form has one Notes field; it doubles as the lost reason.
      field: 'notes',
      ...(example ? { example } : {}),
      i18n: { key: 'error.deal.textLong', values: { what: kind, max: limit, n: text.length } },
    });
  }
  return text;
}

/** Earliest close date the app accepts: older dates are typos, not CRM history. */
export const EARLIEST_CLOSE_DATE = '2000-01-01';

/**
 * Why a picked date cannot be used (not a real calendar day, or before 2000), or null. Slack's
 * datepicker only sends real dates, but a crafted payload may not.
 *
 * @example closeDateProblem('2026-02-30') // 'That is not a date on the calendar. Pick one with the date picker.'
 * @example closeDateProblem('2026-11-20') // null
 */
export function closeDateProblem(date: string): string | null {
  const kind = closeDateProblemKind(date);
  if (kind === 'notADate') return 'That is not a date on the calendar. Pick one with the date picker.';
  if (kind === 'tooEarly') return 'Close dates before 2000 are not accepted. Pick the date the deal actually closed.';
  return null;
}

/**
 * `closeDateProblem` as a kind, for the catalog (`error.refusals.closeDate*`).
 *
 * @example closeDateProblemKind('1999-12-31') // 'tooEarly'
 */
export function closeDateProblemKind(date: string): 'notADate' | 'tooEarly' | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return 'notADate';
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(0);
  probe.setUTCFullYear(y, mo - 1, d); // not Date.UTC: it maps years 0–99 to 1900–1999
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return 'notADate';
  if (date < EARLIEST_CLOSE_DATE) return 'tooEarly';
  return null;
}
