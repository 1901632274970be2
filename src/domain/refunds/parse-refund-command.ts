import { AppError, isAppError, type TErrorI18n, withoutExamples } from '../../errors.js';
import { parseAmount } from '../money.js';
import { stripBidi, checkedCustomer, TEXT_LIMITS } from '../deals/text-input.js';

/** `/deal refund <customer> <amount> [reason]`, as parsed (the deal is found later, by customer). */
export interface TRefundCommand {
  kind: 'refund';
  customer: string;
  amountMinor: bigint;
  currency: string;
  reason: string | null;
}

export const REFUND_EXAMPLE = '/deal refund Acme 2m damaged goods';
export const REFUND_USAGE = '`/deal refund <customer> <amount> [reason]`, e.g. `/deal refund Acme 2m damaged goods` or `/deal refund "Acme Corp" 800tr`';

/** Longest run of 1–3 tokens at the start of `tokens` that reads as an amount, or null. */
function amountAt(tokens: readonly string[], defaultCurrency: string, locale: string | undefined): { ok: true; amountMinor: bigint; currency: string; used: number } | { ok: false; error: unknown } {
  let firstError: unknown = null;
  for (let n = Math.min(3, tokens.length); n >= 1; n--) {
    try {
      const parsed = parseAmount(tokens.slice(0, n).join(' '), { defaultCurrency, locale });
      return { ok: true, ...parsed, used: n };
    } catch (e) {
      if (n === 1) firstError = e;
    }
  }
  return { ok: false, error: firstError };
}

/**
 * A refund reason as stored: bidi controls removed, trimmed, at most 500 characters; null when empty.
 *
 * @example checkedRefundReason('  damaged goods ') // 'damaged goods'
 */
export function checkedRefundReason(raw: string | null | undefined): string | null {
  const text = stripBidi(raw ?? '').replace(/\s+/g, ' ').trim();
  if (text.length > TEXT_LIMITS.reason) {
    throw new AppError('INVALID_INPUT', `A refund reason can be at most ${TEXT_LIMITS.reason} characters; yours has ${text.length.toLocaleString('en-US')}. Shorten it and send it again.`, {
      field: 'reason',
      example: REFUND_EXAMPLE,
      i18n: { key: 'error.refund.reasonLong', values: { max: TEXT_LIMITS.reason, n: text.length } },
    });
  }
  return text || null;
}

function usageError(message: string, i18n: TErrorI18n): AppError {
  return new AppError('INVALID_INPUT', `${message} Write it as ${REFUND_USAGE}.`, { example: REFUND_EXAMPLE, i18n: { ...i18n, then: REFUND_USAGE_I18N } });
}

/** The right form, after a refusal, in the reader's language. */
export const REFUND_USAGE_I18N: TErrorI18n = { key: 'error.refund.usage' };

/**
 * Parses the words after `/deal refund` (already tokenized: "quoted names" are one token).
 * The customer comes first, then the amount in any form `/deal won` takes (`2m`, `800tr`,
 * `2,000,000`, `€1.200,50`, `12,000 USD`), then an optional reason. Without quotes the customer
 * is every word before the first one that reads as an amount. `locale`: the asker's number form
 * (see `parseAmount`).
 *
 * @example parseRefundArgs(['Acme', '2m', 'damaged', 'goods'], false, 'USD') // { kind: 'refund', customer: 'Acme', amountMinor: 200000000n, currency: 'USD', reason: 'damaged goods' }
 * @example parseRefundArgs(['Acme Corp', '800tr'], true, 'USD') // { kind: 'refund', customer: 'Acme Corp', amountMinor: 800000000n, currency: 'VND', reason: null }
 */
export function parseRefundArgs(args: readonly string[], firstQuoted: boolean, defaultCurrency: string, locale?: string): TRefundCommand {
  if (args.length === 0) throw usageError('Say the customer and the amount refunded.', { key: 'error.refund.args' });
  if (args.length === 1) {
    const only = amountAt(args, defaultCurrency, locale);
    throw usageError(only.ok ? 'Which customer? The customer name comes before the amount.' : `How much was refunded to ${args[0]}?`, only.ok ? { key: 'error.refund.whichCustomer' } : { key: 'error.refund.howMuch', values: { customer: args[0] ?? '' } });
  }
  let at = -1;
  let amount: { amountMinor: bigint; currency: string; used: number } | null = null;
  let amountError: unknown = null;
  const starts = firstQuoted ? [1] : Array.from({ length: args.length - 1 }, (_, i) => i + 1);
  for (const i of starts) {
    const found = amountAt(args.slice(i), defaultCurrency, locale);
    if (found.ok) {
      at = i;
      amount = found;
      break;
    }
    if (i === 1) amountError = found.error;
  }
  if (!amount) {
    // A number that is not a valid amount (`-5`, `0`, `12.3.4`) is explained as such.
    const numberLike = /^[-+−]?[\d$€£¥₫]/.test(args[1] ?? '');
    if (isAppError(amountError) && (amountError.code !== 'INVALID_AMOUNT' || numberLike)) throw new AppError(amountError.code, `${amountError.message} Write it as ${REFUND_USAGE}.`, { example: REFUND_EXAMPLE, ...(amountError.i18n ? { i18n: { ...withoutExamples(amountError.i18n), then: REFUND_USAGE_I18N } } : {}) });
    const shown = firstQuoted ? args[1] : args.slice(1).join(' ');
    throw usageError(`I couldn't find the amount refunded in "${shown ?? ''}": say it after the customer, as \`2m\`, \`800tr\` or \`2,000,000\`.`, { key: 'error.refund.noAmount', values: { typed: shown ?? '' } });
  }
  const customer = checkedCustomer(args.slice(0, at).join(' '), REFUND_EXAMPLE);
  const reason = checkedRefundReason(args.slice(at + amount.used).join(' '));
  return { kind: 'refund', customer, amountMinor: amount.amountMinor, currency: amount.currency, reason };
}
