import { z } from 'zod';
import { isAppError } from '../../errors.js';
import { isKnownCurrency, parseAmount } from '../../domain/money.js';
import type { TPeriodContext } from '../../domain/periods.js';
import { parseQuotaPeriod, relativeQuotaPeriod, type TQuotaPeriod } from '../../domain/quotas/quota-period.js';
import { QUOTA_FIELDS, type TQuotaModalMeta } from '../blocks/quota-modal.js';
import type { TViewStateValues } from './deal-form.js';

export type TQuotaFormTarget = { kind: 'user'; userId: string } | { kind: 'team'; teamId: number };

export type TQuotaFormResult =
  | { ok: true; target: TQuotaFormTarget; amountMinor: bigint; currency: string; period: TQuotaPeriod }
  | { ok: false; errors: Record<string, string> };

const ZKind = z.enum(['month', 'quarter', 'year']);
const ZWhich = z.enum(['this', 'next', 'specific']);

function read(values: TViewStateValues, block: string) {
  return values[block]?.value;
}

function message(e: unknown, fallback: string): string {
  return isAppError(e) ? `${e.message}${e.example ? ` (e.g. ${e.example})` : ''}` : fallback;
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
export function parseQuotaForm(values: TViewStateValues, ctx: { reportingCurrency: string; period: TPeriodContext }): TQuotaFormResult {
  const errors: Record<string, string> = {};

  const userId = read(values, QUOTA_FIELDS.rep)?.selected_user ?? '';
  const teamRaw = read(values, QUOTA_FIELDS.team)?.selected_option?.value ?? '';
  const teamId = /^\d{1,12}$/.test(teamRaw) ? Number(teamRaw) : null;
  let target: TQuotaFormTarget | null = null;
  // Option values are checked, not trusted: a crafted payload can send anything.
  if (teamRaw && teamId === null) errors[QUOTA_FIELDS.team] = 'Pick a team from the list.';
  else if (userId && teamId !== null) errors[QUOTA_FIELDS.team] = 'Pick either a rep or a team, not both.';
  else if (userId) target = { kind: 'user', userId };
  else if (teamId !== null) target = { kind: 'team', teamId };
  else errors[QUOTA_FIELDS.rep] = 'Pick the rep this quota is for (or a team below).';

  const pickedCurrency = read(values, QUOTA_FIELDS.currency)?.selected_option?.value ?? ctx.reportingCurrency;
  if (!isKnownCurrency(pickedCurrency)) errors[QUOTA_FIELDS.currency] = 'Pick a currency from the list.';
  const currency = isKnownCurrency(pickedCurrency) ? pickedCurrency : ctx.reportingCurrency;
  const rawAmount = (read(values, QUOTA_FIELDS.amount)?.value ?? '').trim();
  let amountMinor: bigint | null = null;
  if (!rawAmount) errors[QUOTA_FIELDS.amount] = 'Enter the quota, e.g. 50k or $50,000.';
  else {
    try {
      const parsed = parseAmount(rawAmount, { defaultCurrency: currency });
      if (parsed.currency !== currency) {
        errors[QUOTA_FIELDS.amount] = `This says ${parsed.currency} but the currency field is ${currency}. Pick ${parsed.currency} in Currency, or remove the symbol.`;
      } else amountMinor = parsed.amountMinor;
    } catch (e) {
      errors[QUOTA_FIELDS.amount] = message(e, 'Not an amount. Try 50k or $50,000.');
    }
  }

  const kind = ZKind.safeParse(read(values, QUOTA_FIELDS.periodKind)?.selected_option?.value ?? 'month');
  const which = ZWhich.safeParse(read(values, QUOTA_FIELDS.periodWhich)?.selected_option?.value ?? 'this');
  const specific = (read(values, QUOTA_FIELDS.periodSpecific)?.value ?? '').trim();
  let period: TQuotaPeriod | null = null;
  if (!which.success) errors[QUOTA_FIELDS.periodWhich] = 'Pick this, next or a specific period.';
  else if (specific) {
    try {
      period = parseQuotaPeriod(specific, ctx.period);
    } catch (e) {
      errors[QUOTA_FIELDS.periodSpecific] = message(e, 'Type a month (2026-11), a quarter (2026-Q3) or a year (2026).');
    }
  } else if (which.success && which.data === 'specific') {
    errors[QUOTA_FIELDS.periodSpecific] = 'Type the period: a month (2026-11), a quarter (2026-Q3) or a year (2026).';
  } else if (!kind.success) {
    errors[QUOTA_FIELDS.periodKind] = 'Pick month, quarter or year.';
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
