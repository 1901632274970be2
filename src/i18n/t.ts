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

const compiled = new Map<string, IntlMessageFormat>();

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
  const id = `${locale}\u0000${key}`;
  let f = compiled.get(id);
  if (!f) {
    const source = CATALOGS[locale][key] ?? en[key];
    f = new IntlMessageFormat(source, INTL_TAG[locale], undefined, { ignoreTag: true });
    compiled.set(id, f);
  }
  const out = f.format(values as Record<string, string | number> | undefined);
  return typeof out === 'string' ? out : String(out);
}

/** A message function bound to one locale: `const tr = translator('vi'); tr('kpi.title.funnel')`. */
export type TTranslate = (key: TMessageKey, values?: TMessageValues) => string;

export function translator(locale: TLocale): TTranslate {
  return (key, values) => t(locale, key, values);
}
