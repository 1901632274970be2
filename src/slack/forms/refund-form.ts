import { z } from 'zod';
import { isAppError } from '../../errors.js';
import { isKnownCurrency, parseAmount } from '../../domain/money.js';
import { cleanName, TEXT_LIMITS } from '../../domain/deals/text-input.js';
import { checkedRefundReason } from '../../domain/refunds/parse-refund-command.js';
import { REFUND_OVER_CAP_OPTION, type TRefundModalMeta } from '../blocks/refund-modal.js';
import type { TViewStateValues } from './deal-form.js';
import type { TLocale } from '../../i18n/locales.js';
import { t } from '../../i18n/t.js';
import { errorText } from '../blocks/messages.js';

export type TRefundFormResult =
  | { ok: true; customer: string; amountMinor: bigint; currency: string; reason: string | null; confirmedOverCap: boolean }
  | { ok: false; errors: Record<string, string> };

/**
 * Reads and validates the refund modal; every problem goes on its field at once (Slack keeps what
 * was typed), and nothing is looked up or written until the form is valid.
 */
export function parseRefundForm(values: TViewStateValues, ctx: { defaultCurrency: string; locale?: TLocale }): TRefundFormResult {
  const locale = ctx.locale ?? 'en';
  const errors: Record<string, string> = {};
  const read = (block: string) => values[block]?.value;
  const typed = read('customer')?.value ?? '';
  const customer = cleanName(typed);
  if (!customer) errors.customer = typed.trim() ? t(locale, 'deal.form.customerBlank') : t(locale, 'ops.refundForm.customerMissing');
  else if (customer.length > TEXT_LIMITS.customer) errors.customer = t(locale, 'deal.form.customerLong', { max: TEXT_LIMITS.customer, n: customer.length });
  const picked = read('currency')?.selected_option?.value ?? ctx.defaultCurrency;
  if (!isKnownCurrency(picked)) errors.currency = t(locale, 'deal.form.pickCurrency');
  const currency = isKnownCurrency(picked) ? picked : ctx.defaultCurrency;
  let amountMinor = 0n;
  const rawAmount = (read('amount')?.value ?? '').trim();
  if (!rawAmount) errors.amount = t(locale, 'ops.refundForm.amountMissing');
  else {
    try {
      const parsed = parseAmount(rawAmount, { defaultCurrency: currency, locale: ctx.locale });
      if (parsed.currency !== currency) errors.amount = t(locale, 'deal.form.currencyMismatch', { typed: parsed.currency, picked: currency });
      else amountMinor = parsed.amountMinor;
    } catch (e) {
      errors.amount = isAppError(e) ? t(locale, 'ops.refundForm.amountExample', { message: errorText(e, locale) }) : t(locale, 'deal.form.notAmount');
    }
  }
  let reason: string | null = null;
  try {
    reason = checkedRefundReason(read('reason')?.value);
  } catch (e) {
    errors.reason = isAppError(e) ? errorText(e, locale) : t(locale, 'ops.refundForm.reasonUnreadable');
  }
  const confirmedOverCap = (read('confirm')?.selected_options ?? []).some((o) => o.value === REFUND_OVER_CAP_OPTION);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, customer, amountMinor, currency, reason, confirmedOverCap };
}

export function parseRefundModalMeta(raw: string): TRefundModalMeta {
  try {
    const parsed = JSON.parse(raw) as Partial<TRefundModalMeta>;
    return { channelId: typeof parsed.channelId === 'string' ? parsed.channelId : null };
  } catch {
    return { channelId: null };
  }
}

/**
 * What a refund button (pick a deal, Confirm, Cancel) carries, sealed for the team and user: the
 * deal, the refund as asked, and the key of the request it answers, so any number of clicks
 * records it at most once.
 */
export const ZRefundButton = z.object({
  /** Deal id. */
  d: z.number().int().positive(),
  /** Amount in minor units (a bigint as a string). */
  a: z.string().regex(/^[1-9]\d{0,30}$/),
  c: z.string().refine(isKnownCurrency),
  r: z.string().max(TEXT_LIMITS.reason).nullable(),
  /** The request key of the command or form that asked. */
  k: z.string().min(1).max(300),
  s: z.enum(['slack-command', 'slack-modal']),
});
export type TRefundButton = z.infer<typeof ZRefundButton>;

/** The sealed payload of a refund button, or null when it is not one. */
export function readRefundButton(payload: string | null): TRefundButton | null {
  if (payload === null) return null;
  try {
    const parsed = ZRefundButton.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
