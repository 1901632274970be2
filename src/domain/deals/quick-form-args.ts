import { AppError, withoutExamples } from '../../errors.js';
import { normalizeLeadSource } from '../leads/lead-count-key.js';
import { parseAmount } from '../money.js';
import type { TDealType } from './schemas.js';
import { takeTrailingDealType } from './deal-words.js';
import { DEFAULT_LOCALE, type TLocale } from '../../i18n/locales.js';
import { checkedCustomer } from './text-input.js';

// Argument forms the quick forms of `/deal` share: a customer name in "quotes" first, then the
// rest (`/deal won "Acme Corp" 5m`, `/deal lead "Acme Corp" trade show`).

export const LEAD_EXAMPLE = '/deal lead Acme web';

/** `/deal lead Acme [source]`: one lead, an open deal at the first funnel stage. */
export interface TLeadCommand {
  kind: 'lead';
  customer: string;
  source: string | null;
}

/**
 * True when the first word after the verb is written in quotes (`won "Acme Corp" 5m`).
 *
 * @example firstArgQuoted('won "Acme Corp" 5m') // true
 * @example firstArgQuoted('won 5m "Acme Corp"') // false
 */
export function firstArgQuoted(text: string): boolean {
  return /^\s*\S+\s+["“]/.test(text);
}

/**
 * `/deal won "Acme Corp" 5m [type]`: the quoted customer first, then the amount (any form `/deal`
 * accepts, up to 3 words) and an optional type. Null when the first word is not quoted (the
 * amount-first form applies). A quoted name with no readable amount after it is refused. `locale`:
 * the asker's, for their number form (see `parseAmount`).
 *
 * @example
 * takeTrailingAmount(['Acme Corp', '5m', 'upsell'], 'USD', true); // { customer: 'Acme Corp', amountMinor: 500000000n, currency: 'USD', type: 'upsell' }
 */
export function takeTrailingAmount(
  args: readonly string[],
  defaultCurrency: string,
  quotedFirst: boolean,
  locale: TLocale = DEFAULT_LOCALE,
): { customer: string; amountMinor: bigint; currency: string; type: TDealType | null } | null {
  if (!quotedFirst) return null;
  const customer = args[0] ?? '';
  let rest = args.slice(1);
  const example = `/deal won "${customer}" 5m`;
  if (rest.length === 0) throw new AppError('INVALID_INPUT', `Say the amount after "${customer}".`, { example, i18n: { key: 'error.deal.amountAfter', values: { customer } } });
  // An optional type after the amount, in any language (`upsell`, `bán thêm`, `续签`).
  const typed = takeTrailingDealType(rest, 1, locale);
  const type = typed.type;
  rest = typed.rest;
  if (rest.length > 3) throw new AppError('INVALID_INPUT', `After "${customer}" give the amount and optionally the type (new, upsell or renewal), nothing else.`, { example, i18n: { key: 'error.deal.tooManyWords', values: { customer } } });
  try {
    const parsed = parseAmount(rest.join(' '), { defaultCurrency, locale });
    return { customer, amountMinor: parsed.amountMinor, currency: parsed.currency, type };
  } catch (e) {
    if (e instanceof AppError) throw new AppError(e.code, e.message, { example, ...(e.i18n ? { i18n: withoutExamples(e.i18n) } : {}) });
    throw e;
  }
}

/** Source words taken from the end of an unquoted `/deal lead` without quotes. */
const COMMON_SOURCES = new Set([
  'web', 'website', 'inbound', 'outbound', 'referral', 'referrals', 'partner', 'partners', 'event', 'events', 'webinar', 'tradeshow',
  'ads', 'ad', 'paid', 'ppc', 'seo', 'organic', 'social', 'linkedin', 'facebook', 'twitter', 'email', 'newsletter', 'cold', 'call', 'phone', 'chat', 'other',
]);

/**
 * The words after `/deal lead`: a customer, then optionally the lead's source. A quoted name
 * takes everything after it as the source (`"Acme Corp" trade show`); without quotes the last word
 * is the source only when it is a common one (web, referral, event, ads, email…), so `Acme Corp`
 * stays one name.
 *
 * @example
 * parseLeadArgs(['Acme', 'web'], false); // { kind: 'lead', customer: 'Acme', source: 'web' }
 * parseLeadArgs(['Acme', 'Corp'], false); // { kind: 'lead', customer: 'Acme Corp', source: null }
 * parseLeadArgs(['Acme Corp', 'trade', 'show'], true); // { kind: 'lead', customer: 'Acme Corp', source: 'trade show' }
 */
export function parseLeadArgs(args: readonly string[], quotedFirst: boolean): TLeadCommand {
  if (args.length === 0) throw new AppError('INVALID_INPUT', 'Which customer is the lead? Say the name, and optionally where the lead came from.', { example: LEAD_EXAMPLE, i18n: { key: 'error.deal.whichLead' } });
  let customer: string;
  let source: string | null;
  const last = args[args.length - 1]?.toLowerCase() ?? '';
  if (quotedFirst) {
    customer = args[0] ?? '';
    source = args.slice(1).join(' ') || null;
  } else if (args.length > 1 && COMMON_SOURCES.has(last)) {
    customer = args.slice(0, -1).join(' ');
    source = last;
  } else {
    customer = args.join(' ');
    source = null;
  }
  return { kind: 'lead', customer: checkedCustomer(customer, LEAD_EXAMPLE), source: normalizeLeadSource(source, '/deal lead "Acme Corp" web') };
}
