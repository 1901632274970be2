import { parseAmount } from '../money.js';
import { unescapeSlackText } from './parse-deal-command.js';

export interface TDealHints {
  amount?: string;
  currency?: string;
  customer?: string;
}

const AMOUNT_CANDIDATE = /(?:[$€£¥₫]\s?)?\d[\d.,]*(?:\s?(?:k|m|bn|b|tr|triệu|trieu|tỷ|ty)\b)?(?:\s?(?:[A-Z]{3}\b|₫|đ))?/giu;
const CUSTOMER_AFTER = /\b(?:with|from|at|for|to|signed|closed|won)\s+((?:[A-Z0-9][\w&.'-]*)(?:\s+(?:[A-Z0-9][\w&.'-]*|&|of))*)/u;

/**
 * Best guesses of amount and customer from a chat message, to prefill the deal modal. The user
 * confirms them in the modal; nothing is stored from a guess. `locale`: the person opening the
 * modal, whose number form the modal reads (`1.200 USD` is 1,200 for a Vietnamese reader).
 *
 * @example extractDealHints('Closed Acme Corp for $12,000 today!', 'USD') // { amount: '$12,000', currency: 'USD', customer: 'Acme Corp' }
 */
export function extractDealHints(text: string, defaultCurrency: string, locale?: string): TDealHints {
  const hints: TDealHints = {};
  // Message text comes Slack-escaped; the modal's initial_value is plain text, so unescape once
  // (`AT&amp;T` prefills as `AT&T`, and is escaped again only when shown in mrkdwn).
  const plain = unescapeSlackText(text.replace(/<[^>]+>/g, ' ').replace(/[*_~`]/g, ''));
  for (const m of plain.matchAll(AMOUNT_CANDIDATE)) {
    const candidate = m[0].trim().replace(/[.,]$/, '');
    if (!/[kmbtrỷ$€£¥₫đ]|[A-Z]{3}|\d{3,}/iu.test(candidate)) continue;
    try {
      const parsed = parseAmount(candidate, { defaultCurrency, locale });
      hints.amount = candidate;
      hints.currency = parsed.currency;
      break;
    } catch {
      /* try the next candidate */
    }
  }
  const named = CUSTOMER_AFTER.exec(plain.replace(/(?:[$€£¥₫]\s?)?\d[\d.,]*\S*/g, ' '));
  const customer = named?.[1]?.replace(/\s+(?:for|at|to|of|&)$/i, '').trim();
  if (customer && !/^(?:USD|VND|EUR|GBP)$/.test(customer)) hints.customer = customer.slice(0, 200);
  return hints;
}
