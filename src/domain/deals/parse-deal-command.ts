import { AppError, withoutExamples } from '../../errors.js';
import { englishDealText } from '../command-aliases.js';
import { isKnownCurrency, parseAmount } from '../money.js';
import type { TDealType } from './schemas.js';
import { gluedHanWord, STAGE_WORD_INDEX, takeTrailingDealType, trailingStagePhrase } from './deal-words.js';
import { DEFAULT_LOCALE, type TLocale } from '../../i18n/locales.js';
import { checkedCustomer, cleanName, TEXT_LIMITS } from './text-input.js';
import { firstArgQuoted, LEAD_EXAMPLE, parseLeadArgs, takeTrailingAmount, type TLeadCommand } from './quick-form-args.js';
import { parseRefundArgs, type TRefundCommand } from '../refunds/parse-refund-command.js';
import { parseSubscriptionCommand, type TSubscriptionCommand } from '../subscriptions/parse-subscription-command.js';

/** What `/deal <text>` asks for. Customer/reason splits are resolved later against open deals. */
export type TDealCommand =
  | { kind: 'modal' }
  | { kind: 'help' }
  | { kind: 'undo' }
  | { kind: 'won'; amountMinor: bigint; currency: string; customer: string; type: TDealType | null }
  | { kind: 'lost'; candidates: Array<{ customer: string; reason: string | null }> }
  | { kind: 'stage'; customer: string; stage: string; amountMinor: bigint | null; currency: string }
  | TLeadCommand
  | TRefundCommand
  | TSubscriptionCommand;

export const DEAL_EXAMPLES = {
  won: '/deal won 12k Acme upsell',
  lost: '/deal lost Acme price',
  stage: '/deal stage Acme demo',
  lead: LEAD_EXAMPLE,
  undo: '/deal undo',
} as const;

/** Slack escapes `&`, `<` and `>` typed in a slash command; mentions keep their real brackets. */
export function unescapeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Replaces Slack's live tokens in raw command text with what the person sees, leaving `&lt;`,
 * `&gt;` and `&amp;` for `unescapeSlackText`: typing `@channel` arrives as `<!channel>` and is
 * stored as `@channel`, while typing `<!channel>` arrives as `&lt;!channel&gt;` and is stored as
 * `<!channel>`; either way it is escaped again when shown, so it never pings.
 *
 * @example readableSlackTokens('<!channel> <@U1|dana> <#C1|sales> <https://x.io|x.io> a &amp; b') // '@channel @dana #sales x.io a &amp; b'
 */
export function readableSlackTokens(text: string): string {
  return text.replace(/<([^<>]*)>/g, (_m, inner: string) => {
    const bar = inner.indexOf('|');
    const target = bar < 0 ? inner : inner.slice(0, bar);
    const label = bar < 0 ? '' : inner.slice(bar + 1);
    if (target.startsWith('@')) return label ? `@${label.replace(/^@/, '')}` : target;
    if (target.startsWith('#')) return label ? `#${label.replace(/^#/, '')}` : target;
    if (target.startsWith('!')) {
      if (label) return label;
      const special = /^!(channel|here|everyone)\b/.exec(target);
      return special ? `@${special[1]}` : target.startsWith('!subteam^') ? '@group' : '';
    }
    return label || target;
  });
}

/**
 * Raw slash-command text as the person typed it: tokens made readable, then unescaped once.
 *
 * @example slackTextToPlain('won 12k &lt;b&gt; <!here>') // 'won 12k <b> @here'
 */
export function slackTextToPlain(text: string): string {
  return unescapeSlackText(readableSlackTokens(text));
}

/**
 * Splits on spaces, keeping "quoted customer names" together, and undoes Slack's escaping
 * inside each word (so `Acme &amp; Co` is `Acme & Co`).
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /"([^"]*)"|“([^”]*)”|(\S+)/g;
  for (const m of text.matchAll(re)) tokens.push(unescapeSlackText((m[1] ?? m[2] ?? m[3] ?? '').trim()));
  return tokens.filter((t) => t.length > 0);
}

/** Whether a token reads as an amount on its own (`5万`, `12k`). */
function readsAsAmount(token: string, defaultCurrency: string, locale: string | undefined): boolean {
  try {
    parseAmount(token, { defaultCurrency, locale });
    return true;
  } catch {
    return false;
  }
}

/**
 * Longest leading run of tokens (at most 3) that reads as an amount, so `800 triệu`,
 * `12,000 USD` and `12.000.000 ₫` work as well as `12k`.
 */
function takeAmount(tokens: string[], defaultCurrency: string, usage: string, locale: string | undefined): { amountMinor: bigint; currency: string; rest: string[] } {
  let firstError: unknown;
  for (let n = Math.min(3, tokens.length - 1); n >= 1; n--) {
    try {
      const parsed = parseAmount(tokens.slice(0, n).join(' '), { defaultCurrency, locale });
      return { ...parsed, rest: tokens.slice(n) };
    } catch (e) {
      // An amount with its currency that is ambiguous (`1.200 USD` from an English reader, `12 kr`)
      // is asked about: reading fewer tokens would guess (1,200 ₫ for a customer "USD Acme").
      if (n > 1 && e instanceof AppError && e.code === 'AMBIGUOUS') {
        throw new AppError(e.code, e.message, { example: usage, ...(e.i18n ? { i18n: withoutExamples(e.i18n) } : {}) });
      }
      if (n === 1) firstError = e;
    }
  }
  if (firstError instanceof AppError) throw new AppError(firstError.code, firstError.message, { example: usage, ...(firstError.i18n ? { i18n: withoutExamples(firstError.i18n) } : {}) });
  throw new AppError('INVALID_AMOUNT', `"${tokens[0] ?? ''}" is not an amount.`, { example: usage, i18n: { key: 'error.deal.notAmount', values: { typed: tokens[0] ?? '' } } });
}

/**
 * Parses the text after `/deal`. `locale` is the asker's: it words the choices of an ambiguous deal
 * type, and reads amounts in their number form (`1.200` is 1,200 for a Vietnamese reader; see
 * `parseAmount`).
 *
 * @example parseDealCommand('won 12k Acme upsell', 'USD') // { kind: 'won', amountMinor: 1200000n, currency: 'USD', customer: 'Acme', type: 'upsell' }
 * @example parseDealCommand('', 'USD') // { kind: 'modal' }
 */
export function parseDealCommand(typed: string, defaultCurrency: string, locale: TLocale = DEFAULT_LOCALE): TDealCommand {
  // A verb in Vietnamese or Chinese (`thắng`, `赢单`) reads as its English verb (domain/command-aliases.ts).
  const text = englishDealText(typed);
  // `/deal` takes no mentions: any token in a customer name or reason is kept as the readable text.
  const tokens = tokenize(readableSlackTokens(text));
  const verb = tokens[0]?.toLowerCase();
  const args = tokens.slice(1);
  if (!verb || verb === 'new' || verb === 'log' || verb === 'modal') return { kind: 'modal' };
  if (verb === 'help' || verb === '?') return { kind: 'help' };
  if (verb === 'undo') {
    if (args.length > 0) throw new AppError('INVALID_INPUT', '`/deal undo` takes nothing after it: it reverts your last deal change.', { example: DEAL_EXAMPLES.undo, i18n: { key: 'error.deal.undoArgs' } });
    return { kind: 'undo' };
  }
  if (verb === 'won' || verb === 'win') {
    if (args.length < 2) throw new AppError('INVALID_INPUT', 'Say the amount and the customer.', { example: DEAL_EXAMPLES.won, i18n: { key: 'error.deal.wonArgs' } });
    // The customer may come first: `/deal won "Acme Corp" 5m [type]`, `/deal won Acme 5m`.
    const nameFirst = takeTrailingAmount(args, defaultCurrency, firstArgQuoted(text), locale);
    if (nameFirst) return { kind: 'won', ...nameFirst, customer: checkedCustomer(nameFirst.customer, DEAL_EXAMPLES.won) };
    const { amountMinor, currency, rest: taken } = takeAmount(args, defaultCurrency, DEAL_EXAMPLES.won, locale);
    // An optional type at the end, in any language (`upsell`, `gia hạn`, `续签`: deal-words.ts).
    const typed = takeTrailingDealType(taken, 1, locale);
    const type: TDealType | null = typed.type;
    const rest = typed.rest;
    // `/deal won 12 XYZ Foo`: a bare number then a code-like word that is no currency reads like
    // "12 XYZ", so it is asked about, never guessed (`12k BMW` or `$12 XYZ Foo` is clear).
    const codeLike = rest[0];
    if (codeLike && !/["“]/.test(text) && /^[A-Z]{3}$/.test(codeLike) && !isKnownCurrency(codeLike) && /^[\d.,]+$/.test(args[0] ?? '')) {
      const name = rest.join(' ');
      throw new AppError('INVALID_INPUT', `${codeLike} is not a currency I know. Did you mean the customer "${name}"? Then write it in quotes with the currency.`, {
        example: `/deal won ${args[0]} ${currency} "${name}"`,
        i18n: { key: 'error.deal.notCurrency', values: { code: codeLike, name } },
      });
    }
    if (rest.length === 0 || !rest.join(' ').trim()) throw new AppError('INVALID_INPUT', 'Which customer? The customer name comes after the amount.', { example: DEAL_EXAMPLES.won, i18n: { key: 'error.deal.whichCustomer' } });
    const customer = checkedCustomer(rest.join(' '), DEAL_EXAMPLES.won);
    return { kind: 'won', amountMinor, currency, customer, type };
  }
  if (verb === 'lost' || verb === 'lose') {
    if (args.length < 1) throw new AppError('INVALID_INPUT', 'Which customer was lost?', { example: DEAL_EXAMPLES.lost, i18n: { key: 'error.deal.whichLost' } });
    const quoted = /^\s*\S+\s+["“]/.test(text);
    const candidates = quoted
      ? [{ customer: args[0]!, reason: args.slice(1).join(' ') || null }]
      : args.map((_, i) => ({ customer: args.slice(0, args.length - i).join(' '), reason: args.slice(args.length - i).join(' ') || null }));
    // Splits whose customer part could never be a stored name are not tried.
    const named = candidates
      .map((c) => ({ customer: cleanName(c.customer), reason: c.reason }))
      .filter((c) => c.customer.length > 0 && c.customer.length <= TEXT_LIMITS.customer);
    if (named.length === 0) checkedCustomer(args[0]!, DEAL_EXAMPLES.lost);
    return { kind: 'lost', candidates: named };
  }
  if (verb === 'lead') return parseLeadArgs(args, firstArgQuoted(text));
  // `/deal refund Acme 2m reason` (domain/refunds/parse-refund-command.ts).
  if (verb === 'refund' || verb === 'return') return parseRefundArgs(args, /^\s*\S+\s+["“]/.test(text), defaultCurrency, locale);
  if (verb === 'stage' || verb === 'move') {
    // Chinese is written without spaces: `华为报价` is the customer 华为 at the stage 报价 (also
    // before an amount: `华为报价 5万`).
    const unglue = (i: number): boolean => {
      const glued = i >= 0 ? gluedHanWord(STAGE_WORD_INDEX, args[i]!) : null;
      if (glued) args.splice(i, 1, glued.prefix, glued.word);
      return glued !== null;
    };
    if (!unglue(args.length - 1) && args.length >= 2 && readsAsAmount(args[args.length - 1]!, defaultCurrency, locale)) unglue(args.length - 2);
    if (args.length < 2) throw new AppError('INVALID_INPUT', 'Say the customer and the stage.', { example: DEAL_EXAMPLES.stage, i18n: { key: 'error.deal.stageArgs' } });
    let amountMinor: bigint | null = null;
    let currency = defaultCurrency;
    const rest = [...args];
    // An optional trailing amount: `/deal stage Acme demo 12k`.
    if (rest.length >= 3) {
      try {
        const parsed = parseAmount(rest[rest.length - 1]!, { defaultCurrency, locale });
        amountMinor = parsed.amountMinor;
        currency = parsed.currency;
        rest.pop();
      } catch {
        /* not an amount: part of the name */
      }
    }
    // The stage may be several words (`báo giá`, `khách hàng tiềm năng`): parseStage reads them.
    const { phrase: stage, rest: named } = trailingStagePhrase(rest, 1);
    rest.splice(0, rest.length, ...named);
    if (!rest.join(' ').trim()) throw new AppError('INVALID_INPUT', 'Say the customer and the stage.', { example: DEAL_EXAMPLES.stage, i18n: { key: 'error.deal.stageArgs' } });
    const customer = checkedCustomer(rest.join(' '), DEAL_EXAMPLES.stage);
    return { kind: 'stage', customer, stage, amountMinor, currency };
  }
  const subscription = parseSubscriptionCommand(verb, args, defaultCurrency, locale);
  if (subscription) return subscription;
  throw new AppError('INVALID_INPUT', `I don't know "/deal ${verb}".`, { i18n: { key: 'error.deal.unknownVerb', values: { verb } }, example: `${DEAL_EXAMPLES.won}, ${DEAL_EXAMPLES.lost}, ${DEAL_EXAMPLES.stage}, ${DEAL_EXAMPLES.lead} or ${DEAL_EXAMPLES.undo}` });
}
