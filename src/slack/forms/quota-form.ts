import { z } from 'zod';
import { isAppError } from '../../errors.js';
import { isKnownCurrency, parseAmount } from '../../domain/money.js';
import type { TPeriodContext } from '../../domain/periods.js';
import { parseQuotaPeriod, relativeQuotaPeriod, type TQuotaPeriod } from '../../domain/quotas/quota-period.js';
import { QUOTA_FIELDS, type TQuotaModalMeta } from '../blocks/quota-modal.js';
import type { TViewStateValues } from './deal-form.js';
import type { TLocale } from '../../i18n/locales.js';
import { t } from '../../i18n/t.js';
import { errorExample, errorText } from '../blocks/messages.js';

export type TQuotaFormTarget = { kind: 'user'; userId: string } | { kind: 'team'; teamId: number };

export type TQuotaFormResult =
  | { ok: true; target: TQuotaFormTarget; amountMinor: bigint; currency: string; period: TQuotaPeriod }
  | { ok: false; errors: Record<string, string> };

const ZKind = z.enum(['month', 'quarter', 'year']);
const ZWhich = z.enum(['this', 'next', 'specific']);

function read(values: TViewStateValues, block: string) {
  return values[block]?.value;
}

function message(e: unknown, fallback: string, locale: TLocale): string {
  if (!isAppError(e)) return fallback;
  const example = errorExample(e, locale);
  return example ? t(locale, 'ops.quotaForm.withExample', { message: errorText(e, locale), example }) : errorText(e, locale);
}

/**
 * Reads and validates the quota modal. Every field problem is reported at once, on its field,
 * and nothing is saved until the whole form is valid (Slack keeps what was typed). A period typed
 * in "Specific period" is used as is (its own kind); otherwise Period + This/Next decide.
 *
 * @example
 * parseQuotaForm(values, { reportingCurrency: 'USD', period: { now, timeZone: 'UTC', fiscalYearStartMonth: 1 } });
 * // { ok: true, target: { kind: 'user', userId: 'U1' }, amountMinor: 5000000n, currency: 'USD', period: {...} }
 */
export function parseQuotaForm(values: TViewStateValues, ctx: { reportingCurrency: string; period: TPeriodContext; locale?: TLocale }): TQuotaFormResult {
  const locale = ctx.locale ?? 'en';
  const tr = (key: Parameters<typeof t>[1], v?: Parameters<typeof t>[2]) => t(locale, key, v);
  const errors: Record<string, string> = {};

  const userId = read(values, QUOTA_FIELDS.rep)?.selected_user ?? '';
  const teamRaw = read(values, QUOTA_FIELDS.team)?.selected_option?.value ?? '';
  const teamId = /^\d{1,12}$/.test(teamRaw) ? Number(teamRaw) : null;
  let target: TQuotaFormTarget | null = null;
  // Option values are checked, not trusted: a crafted payload can send anything.
  if (teamRaw && teamId === null) errors[QUOTA_FIELDS.team] = tr('ops.quotaForm.pickTeam');
  else if (userId && teamId !== null) errors[QUOTA_FIELDS.team] = tr('ops.quotaForm.repOrTeam');
  else if (userId) target = { kind: 'user', userId };
  else if (teamId !== null) target = { kind: 'team', teamId };
  else errors[QUOTA_FIELDS.rep] = tr('ops.quotaForm.pickRep');

  const pickedCurrency = read(values, QUOTA_FIELDS.currency)?.selected_option?.value ?? ctx.reportingCurrency;
  if (!isKnownCurrency(pickedCurrency)) errors[QUOTA_FIELDS.currency] = tr('deal.form.pickCurrency');
  const currency = isKnownCurrency(pickedCurrency) ? pickedCurrency : ctx.reportingCurrency;
  const rawAmount = (read(values, QUOTA_FIELDS.amount)?.value ?? '').trim();
  let amountMinor: bigint | null = null;
  if (!rawAmount) errors[QUOTA_FIELDS.amount] = tr('ops.quotaForm.amountMissing');
  else {
    try {
      const parsed = parseAmount(rawAmount, { defaultCurrency: currency, locale: ctx.locale });
      if (parsed.currency !== currency) {
        errors[QUOTA_FIELDS.amount] = tr('deal.form.currencyMismatch', { typed: parsed.currency, picked: currency });
      } else amountMinor = parsed.amountMinor;
    } catch (e) {
      errors[QUOTA_FIELDS.amount] = message(e, tr('ops.quotaForm.notAmount'), locale);
    }
  }

  const kind = ZKind.safeParse(read(values, QUOTA_FIELDS.periodKind)?.selected_option?.value ?? 'month');
  const which = ZWhich.safeParse(read(values, QUOTA_FIELDS.periodWhich)?.selected_option?.value ?? 'this');
  const specific = (read(values, QUOTA_FIELDS.periodSpecific)?.value ?? '').trim();
  let period: TQuotaPeriod | null = null;
  if (!which.success) errors[QUOTA_FIELDS.periodWhich] = tr('ops.quotaForm.pickWhich');
  else if (specific) {
    try {
      period = parseQuotaPeriod(specific, ctx.period);
    } catch (e) {
      errors[QUOTA_FIELDS.periodSpecific] = message(e, tr('ops.quotaForm.periodUnreadable'), locale);
    }
  } else if (which.success && which.data === 'specific') {
    errors[QUOTA_FIELDS.periodSpecific] = tr('ops.quotaForm.periodMissing');
  } else if (!kind.success) {
    errors[QUOTA_FIELDS.periodKind] = tr('ops.quotaForm.pickKind');
  } else {
    period = relativeQuotaPeriod(kind.data, which.success && which.data === 'next' ? 'next' : 'this', ctx.period);
  }

  if (Object.keys(errors).length > 0 || !target || amountMinor === null || !period) return { ok: false, errors };
  return { ok: true, target, amountMinor, currency, period };
}

const ZMeta = z.object({ channelId: z.string().nullable().catch(null), origin: z.enum(['command', 'home']).catch('command') });

/** The modal's private metadata; anything unreadable means "no channel, opened by command". */
export function parseQuotaModalMeta(raw: string | undefined): TQuotaModalMeta {
  try {
    const parsed = ZMeta.safeParse(JSON.parse(raw || '{}'));
    return parsed.success ? parsed.data : { channelId: null, origin: 'command' };
  } catch {
    return { channelId: null, origin: 'command' };
  }
}
