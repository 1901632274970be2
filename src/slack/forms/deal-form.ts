import { AppError, isAppError } from '../../errors.js';
import type { TDealInput } from '../../domain/deals/schemas.js';
import { ZDealType } from '../../domain/deals/schemas.js';
import { isKnownCurrency, parseAmount } from '../../domain/money.js';
import { cleanName, closeDateProblem, closeDateProblemKind, stripBidi, TEXT_LIMITS } from '../../domain/deals/text-input.js';
import { localParts, zonedDateTime } from '../../domain/periods.js';
import type { TDealModalMeta } from '../blocks/deal-modal.js';
import type { TLocale } from '../../i18n/locales.js';
import { t } from '../../i18n/t.js';
import { errorExample, errorText } from '../blocks/messages.js';

/** `view.state.values` as Slack sends it. */
export type TViewStateValues = Record<string, Record<string, { type?: string; value?: string | null; selected_option?: { value: string } | null; selected_date?: string | null; selected_user?: string | null; selected_options?: Array<{ value: string }> }>>;

export type TDealFormResult =
  | { ok: true; input: TDealInput; ownerUserId: string; announce: boolean }
  | { ok: false; errors: Record<string, string> };

function read(values: TViewStateValues, block: string) {
  return values[block]?.value;
}

/**
 * A picked close date → an instant: today means now (so it counts today); another day means
 * local noon of that day in the workspace's zone, clear of DST edges.
 */
function dateToInstant(date: string, timeZone: string, now: Date): Date {
  const today = localParts(now, timeZone);
  const todayIso = `${today.year}-${String(today.month).padStart(2, '0')}-${String(today.day).padStart(2, '0')}`;
  return date === todayIso ? now : zonedDateTime(date, '12:00', timeZone);
}

/**
 * Reads and validates the deal modal. Every field problem is reported at once, on its field;
 * nothing is saved until the whole form is valid.
 */
export function parseDealForm(values: TViewStateValues, ctx: { defaultCurrency: string; timeZone: string; now: Date; stages: readonly string[]; locale?: TLocale }): TDealFormResult {
  const errors: Record<string, string> = {};
  const locale = ctx.locale ?? 'en';
  // English keeps its wording as written here; other languages read the catalog.
  const say = (english: string, key: Parameters<typeof t>[1], values?: Parameters<typeof t>[2]) => (locale === 'en' ? english : t(locale, key, values));
  const typedCustomer = read(values, 'customer')?.value ?? '';
  const customer = cleanName(typedCustomer);
  if (!customer) errors.customer = typedCustomer.trim() ? say('The customer name has no visible characters.', 'deal.form.customerBlank') : say('Enter the customer name.', 'deal.form.customerMissing');
  else if (customer.length > TEXT_LIMITS.customer) errors.customer = say(`Customer names are at most ${TEXT_LIMITS.customer} characters (this one has ${customer.length}).`, 'deal.form.customerLong', { max: TEXT_LIMITS.customer, n: customer.length });

  // Option values come back from Slack as sent, but a crafted payload can say anything: check them.
  const pickedCurrency = read(values, 'currency')?.selected_option?.value ?? ctx.defaultCurrency;
  if (!isKnownCurrency(pickedCurrency)) errors.currency = say('Pick a currency from the list.', 'deal.form.pickCurrency');
  const currency = isKnownCurrency(pickedCurrency) ? pickedCurrency : ctx.defaultCurrency;
  const money = (block: string, required: boolean, label: string): bigint | null => {
    const raw = (read(values, block)?.value ?? '').trim();
    if (!raw) {
      if (required) errors[block] = say(`Enter the ${label}, e.g. 12k or $12,000.`, 'deal.form.amountMissing', { what: block });
      return null;
    }
    try {
      const parsed = parseAmount(raw, { defaultCurrency: currency, locale: ctx.locale });
      if (parsed.currency !== currency) {
        errors[block] = say(`This says ${parsed.currency} but the currency field is ${currency}. Pick ${parsed.currency} in Currency, or remove the symbol.`, 'deal.form.currencyMismatch', { typed: parsed.currency, picked: currency });
        return null;
      }
      return parsed.amountMinor;
    } catch (e) {
      errors[block] = isAppError(e) ? withExample(e, locale, 'eg') : say('Not an amount.', 'deal.form.notAmount');
      return null;
    }
  };
  const statusRaw = read(values, 'status')?.selected_option?.value ?? 'won';
  const status = statusRaw === 'won' || statusRaw === 'lost' ? statusRaw : 'open';
  const stage = status === 'open' ? statusRaw.replace(/^open:/, '') : status;
  if (status === 'open' && (!statusRaw.startsWith('open:') || !ctx.stages.includes(stage))) errors.status = say('Pick a status from the list.', 'deal.form.pickStatus');
  const amountMinor = money('amount', status !== 'open', 'amount');
  const recurringMonthlyMinor = money('recurring', false, 'monthly amount');
  const discountMinor = money('discount', false, 'discount');

  const typeParsed = ZDealType.safeParse(read(values, 'type')?.selected_option?.value ?? 'new');
  if (!typeParsed.success) errors.type = say('Pick a type from the list.', 'deal.form.pickType');
  const closeDate = read(values, 'close_date')?.selected_date ?? null;
  let closedAt: Date | null = null;
  const dateProblem = closeDate ? closeDateProblem(closeDate) : null;
  if (dateProblem) errors.close_date = locale === 'en' ? dateProblem : t(locale, closeDateProblemKind(closeDate ?? '') === 'tooEarly' ? 'error.refusals.closeDateTooEarly' : 'error.refusals.closeDateNotADate');
  else if (status !== 'open') {
    closedAt = closeDate ? dateToInstant(closeDate, ctx.timeZone, ctx.now) : ctx.now;
    const yearAhead = ctx.now.getTime() + 366 * 24 * 3600 * 1000;
    if (closedAt.getTime() > yearAhead) errors.close_date = say('That is more than a year in the future. Pick the date the deal actually closed.', 'deal.form.yearAhead');
    else if (closedAt.getTime() > ctx.now.getTime() + 36 * 3600 * 1000) errors.close_date = say('A won or lost deal cannot close in the future. Pick today or an earlier date.', 'deal.form.future');
  }
  const ownerUserId = read(values, 'owner')?.selected_user ?? '';
  if (!ownerUserId) errors.owner = say('Pick who owns this deal.', 'deal.form.pickOwner');
  const notes = stripBidi(read(values, 'notes')?.value ?? '').trim();
  if (notes.length > TEXT_LIMITS.notes) errors.notes = say(`Notes are at most ${TEXT_LIMITS.notes.toLocaleString('en-US')} characters (yours has ${notes.length.toLocaleString('en-US')}).`, 'error.refusals.notesLong', { max: TEXT_LIMITS.notes, n: notes.length });
  const announce = !(read(values, 'options')?.selected_options ?? []).some((o) => o.value === 'private');

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    ownerUserId,
    announce,
    input: {
      customer,
      amountMinor: amountMinor ?? 0n,
      currency,
      type: typeParsed.success ? typeParsed.data : 'new',
      status,
      stage,
      closedAt,
      recurringMonthlyMinor,
      discountMinor,
      // The notes double as the lost reason; the reason keeps its first 500 characters, the notes all.
      lostReason: status === 'lost' ? notes.slice(0, 500) || null : null,
      notes: notes || null,
    },
  };
}

export function parseDealModalMeta(raw: string | undefined): TDealModalMeta {
  try {
    const parsed = JSON.parse(raw ?? '{}') as Partial<TDealModalMeta>;
    return { channelId: typeof parsed.channelId === 'string' ? parsed.channelId : null, ...(typeof parsed.sourceKey === 'string' ? { sourceKey: parsed.sourceKey } : {}) };
  } catch {
    return { channelId: null };
  }
}

/** A domain error that belongs on a modal field, as `response_action: errors` wants it. */
export function fieldErrorsFrom(e: unknown, locale: TLocale = 'en'): Record<string, string> | null {
  if (e instanceof AppError && e.field) {
    const block = e.field === 'recurring' || e.field === 'discount' || e.field === 'close_date' || e.field === 'owner' || e.field === 'currency' ? e.field : 'amount';
    return { [block]: withExample(e, locale, 'plain') };
  }
  return null;
}

/**
 * A refusal on a modal field with its example in the reader's form (`errorExample`: an amount as
 * they would type it), after the message: `(e.g. $12,000)` in English from the form's own parse,
 * `(…)` otherwise, as before.
 */
function withExample(e: AppError, locale: TLocale, english: 'eg' | 'plain'): string {
  const message = errorText(e, locale);
  const example = errorExample(e, locale);
  if (!example) return message;
  return locale === 'en' ? `${message} (${english === 'eg' ? 'e.g. ' : ''}${example})` : t(locale, 'error.refusals.fieldExample', { message, example });
}
