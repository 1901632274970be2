import { z } from 'zod';
import { isAppError } from '../../errors.js';
import { isKnownCurrency, parseAmount } from '../../domain/money.js';
import { cleanName, TEXT_LIMITS } from '../../domain/deals/text-input.js';
import { checkedRefundReason } from '../../domain/refunds/parse-refund-command.js';
import { REFUND_OVER_CAP_OPTION, type TRefundModalMeta } from '../blocks/refund-modal.js';
import type { TViewStateValues } from './deal-form.js';

export type TRefundFormResult =
  | { ok: true; customer: string; amountMinor: bigint; currency: string; reason: string | null; confirmedOverCap: boolean }
  | { ok: false; errors: Record<string, string> };

/**
 * Reads and validates the refund modal; every problem goes on its field at once (Slack keeps what
 * was typed), and nothing is looked up or written until the form is valid.
 */
export function parseRefundForm(values: TViewStateValues, ctx: { defaultCurrency: string }): TRefundFormResult {
  const errors: Record<string, string> = {};
  const read = (block: string) => values[block]?.value;
  const typed = read('customer')?.value ?? '';
  const customer = cleanName(typed);
  if (!customer) errors.customer = typed.trim() ? 'The customer name has no visible characters.' : 'Enter the customer of the won deal.';
  else if (customer.length > TEXT_LIMITS.customer) errors.customer = `Customer names are at most ${TEXT_LIMITS.customer} characters (this one has ${customer.length}).`;
  const picked = read('currency')?.selected_option?.value ?? ctx.defaultCurrency;
  if (!isKnownCurrency(picked)) errors.currency = 'Pick a currency from the list.';
  const currency = isKnownCurrency(picked) ? picked : ctx.defaultCurrency;
  let amountMinor = 0n;
  const rawAmount = (read('amount')?.value ?? '').trim();
  if (!rawAmount) errors.amount = 'Enter the amount refunded, e.g. 2m or $2,000,000.';
  else {
    try {
      const parsed = parseAmount(rawAmount, { defaultCurrency: currency });
      if (parsed.currency !== currency) errors.amount = `This says ${parsed.currency} but the currency field is ${currency}. Pick ${parsed.currency} in Currency, or remove the symbol.`;
      else amountMinor = parsed.amountMinor;
    } catch (e) {
      errors.amount = isAppError(e) ? `${e.message} (e.g. 2m, 800tr or 2,000,000)` : 'Not an amount.';
    }
  }
  let reason: string | null = null;
  try {
    reason = checkedRefundReason(read('reason')?.value);
  } catch (e) {
    errors.reason = isAppError(e) ? e.message : 'The reason cannot be read.';
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
