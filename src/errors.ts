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
