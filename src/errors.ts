/**
 * Domain errors carry a code and a message written for the person in Slack, plus an optional
 * example of the right form. `toUserMessage` is the one place that turns any error into text.
 */
export type AppErrorCode =
  | 'INVALID_INPUT'
  | 'INVALID_AMOUNT'
  | 'UNKNOWN_CURRENCY'
  | 'NO_RATE'
  | 'NOT_FOUND'
  | 'AMBIGUOUS'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'NOTHING_TO_UNDO'
  | 'INVALID_PERIOD'
  | 'NOT_IN_CHANNEL'
  | 'SLACK_UNREACHABLE'
  /** A repeated delivery of a request that was already carried out: nothing changed again. */
  | 'ALREADY_DONE'
  | 'INTERNAL';

/** A catalog key (src/i18n/catalog, `error.*`) and its values; a plain string keeps errors a leaf. */
export interface TErrorI18n {
  readonly key: string;
  readonly values?: Readonly<Record<string, string | number>>;
  /** Amounts (minor units as a decimal string, ISO code), formatted for the reader's locale. */
  readonly money?: Readonly<Record<string, { readonly amountMinor: string; readonly currency: string }>>;
  /** A message that follows this one (its usage lines, the right form), after `separator` (a space). */
  readonly then?: TErrorI18n & { readonly separator?: string };
  /** A sentence shown before this one (a more specific error it grew from), when it has a key too. */
  readonly lead?: TErrorI18n;
  /** The example in another language, by locale (`vi`, `zh-CN`): `/kpi winrate tháng trước`. */
  readonly examples?: Readonly<Record<string, string>>;
  /**
   * The example is this amount: another language shows it in its own form, one `parseAmount` reads
   * back, for that reader, as the same amount (`1.200 USD` in Vietnamese).
   */
  readonly exampleAmount?: TErrorAmount;
  /** Amounts to type back (the right form of a refused one), in the reader's form (see exampleAmount). */
  readonly inputs?: Readonly<Record<string, TErrorAmount>>;
  /** Plain decimal numbers (`1200`, `1.2`), shown with the reader's grouping and decimal mark. */
  readonly numbers?: Readonly<Record<string, string>>;
  /**
   * Days (an instant and the zone whose calendar day it is) in the reader's date form; `show`:
   * the time of day only, or the day and the time (`day`, the default: the day only).
   */
  readonly dates?: Readonly<Record<string, { readonly at: Date; readonly timeZone: string; readonly show?: 'day' | 'time' | 'dayAndTime' }>>;
  /** Periods (`TPeriod`'s fields), named in the reader's language. */
  readonly periods?: Readonly<Record<string, TErrorPeriod>>;
  /**
   * Stage keys, listed by their names in the reader's language; `typed`: the key to type after each
   * name (a list of what the person may write), else the names alone.
   */
  readonly stages?: Readonly<Record<string, { readonly keys: readonly string[]; readonly separator: ' → ' | ', '; readonly typed: boolean }>>;
}

/** An amount inside an error: minor units as a decimal string and the ISO code. */
export interface TErrorAmount {
  readonly amountMinor: string;
  readonly currency: string;
  /** Name the currency by its code (`EUR`) rather than its symbol; `bare`: the number alone. */
  readonly show?: 'symbol' | 'code' | 'bare';
}

/** A period as `domain/periods.ts` describes it (kept structural: errors is a leaf). */
export interface TErrorPeriod {
  readonly kind: 'day' | 'week' | 'month' | 'quarter' | 'year' | 'ytd' | 'rolling';
  readonly key: string;
  readonly label: string;
  readonly start: Date;
  readonly end: Date;
  readonly timeZone: string;
}

/**
 * The same message for an error whose example a caller replaces (a command's usage instead of the
 * amount's own example): the examples in other languages go with the old example.
 */
export function withoutExamples(i18n: TErrorI18n): TErrorI18n {
  const { examples: _examples, exampleAmount: _amount, ...rest } = i18n;
  return rest;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly example?: string;
  /** Modal field (block id) the error belongs to, for `response_action: errors`. */
  readonly field?: string;
  /**
   * Slack user/channel ids whose `<@U…>` / `<#C…>` in the message are the app's own (from a parsed
   * mention): they stay live when the message is shown; everything else in it is escaped.
   */
  readonly mentions?: readonly string[];
  /**
   * The message's catalog key and raw (unescaped) values, for readers in another language; the
   * English `message` stays the source. Errors without one are shown in English.
   */
  readonly i18n?: TErrorI18n;

  constructor(code: AppErrorCode, message: string, opts: { example?: string; field?: string; cause?: unknown; mentions?: readonly string[]; i18n?: TErrorI18n } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    if (opts.example !== undefined) this.example = opts.example;
    if (opts.field !== undefined) this.field = opts.field;
    if (opts.mentions !== undefined) this.mentions = opts.mentions;
    if (opts.i18n !== undefined) this.i18n = opts.i18n;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** Text shown to the user. Unknown errors never leak internals (or secrets). */
export function toUserMessage(e: unknown): string {
  if (isAppError(e)) {
    return e.example ? `${e.message}\nExample: \`${e.example}\`` : e.message;
  }
  return 'Something went wrong on our side and nothing was changed. Please try again in a moment.';
}
