import { IntlMessageFormat } from 'intl-messageformat';
import { en, type TMessageKey } from './catalog/en.js';
import { vi } from './catalog/vi.js';
import { zhCN } from './catalog/zh-CN.js';
import { INTL_TAG, type TLocale } from './locales.js';

export type { TMessageKey } from './catalog/en.js';

/** Every catalog, by locale (the English one is the source of the keys). */
export const CATALOGS: Readonly<Record<TLocale, Readonly<Record<TMessageKey, string>>>> = { en, vi, 'zh-CN': zhCN };

/** A placeholder's value: text (already escaped and formatted) or a number (plural, select, `#`). */
export type TMessageValues = Readonly<Record<string, string | number>>;

/**
 * A compiled message. Most messages are literal text and plain `{name}` placeholders: those are
 * filled by joining their pieces (what intl-messageformat does for them, without its per-call
 * part objects); anything else (plural, select, number, …) goes through intl-messageformat.
 */
interface TCompiled {
  readonly format: IntlMessageFormat;
  /** Literal text at even indexes, placeholder names at odd ones; null: not a plain message. */
  readonly pieces: readonly string[] | null;
}

/** Element kinds of intl-messageformat's AST (`TYPE` in @formatjs/icu-messageformat-parser). */
const LITERAL_ELEMENT = 0;
const ARGUMENT_ELEMENT = 1;

function plainPieces(format: IntlMessageFormat): string[] | null {
  const pieces: string[] = [''];
  for (const el of format.getAst()) {
    if (el.type === LITERAL_ELEMENT) pieces[pieces.length - 1] += el.value;
    else if (el.type === ARGUMENT_ELEMENT) pieces.push(el.value, '');
    else return null;
  }
  return pieces;
}

const compiled: Record<TLocale, Map<TMessageKey, TCompiled>> = { en: new Map(), vi: new Map(), 'zh-CN': new Map() };

function compile(locale: TLocale, key: TMessageKey): TCompiled {
  const source = CATALOGS[locale][key] ?? en[key];
  const format = new IntlMessageFormat(source, INTL_TAG[locale], undefined, { ignoreTag: true });
  const c: TCompiled = { format, pieces: plainPieces(format) };
  compiled[locale].set(key, c);
  return c;
}

/**
 * The message `key` in `locale`, with its placeholders filled (ICU MessageFormat, intl-messageformat).
 * A message missing in a locale falls back to English (the catalog test fails on it first).
 *
 * @example
 * t('en', 'kpi.common.deals', { count: 3 }); // '3 deals'
 * t('vi', 'kpi.title.winrate'); // 'Tỷ lệ chốt đơn'
 * t('zh-CN', 'kpi.common.up', { value: '7.5 个百分点' }); // '上升 7.5 个百分点'
 */
export function t(locale: TLocale, key: TMessageKey, values?: TMessageValues): string {
  const c = compiled[locale].get(key) ?? compile(locale, key);
  const pieces = c.pieces;
  if (pieces !== null) {
    // As intl-messageformat fills a plain placeholder: strings as they are, numbers by String().
    let out = pieces[0]!;
    let plain = true;
    for (let i = 1; i < pieces.length && plain; i += 2) {
      const name = pieces[i]!;
      const value = values !== undefined && name in values ? values[name] : undefined;
      if (typeof value === 'string') out += value;
      else if (typeof value === 'number') out += String(value);
      else plain = false;
      out += pieces[i + 1]!;
    }
    // A missing value: intl-messageformat's own error.
    if (plain) return out;
  }
  const out = c.format.format(values as Record<string, string | number> | undefined);
  return typeof out === 'string' ? out : String(out);
}

/** A message function bound to one locale: `const tr = translator('vi'); tr('kpi.title.funnel')`. */
export type TTranslate = (key: TMessageKey, values?: TMessageValues) => string;

export function translator(locale: TLocale): TTranslate {
  return (key, values) => t(locale, key, values);
}
