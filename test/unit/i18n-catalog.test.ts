import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, test } from 'vitest';
import { LIMITS } from '../../src/shared/block-kit-limits.js';
import { CATALOGS, t, type TMessageKey } from '../../src/i18n/t.js';
import { LOCALES, type TLocale } from '../../src/i18n/locales.js';

/**
 * The catalog check (issue #12), run in CI with the unit tests: every key in every language, the
 * same placeholders everywhere, every message inside the Block Kit limit of the field it is shown
 * in (formatted with long sample values, every select branch), and no English left in the
 * Vietnamese and Chinese catalogs.
 */

const KEYS = Object.keys(CATALOGS.en) as TMessageKey[];
const OTHERS = LOCALES.filter((l): l is Exclude<TLocale, 'en'> => l !== 'en');

/** Where each message is shown: an exact key, or a prefix ending in `.` (longest wins); default: a section's text. */
const FIELD_LIMITS: ReadonlyArray<readonly [string, number]> = [
  ['kpi.title.', LIMITS.headerText],
  ['kpi.common.share', LIMITS.buttonText],
  ['kpi.revenue.chartAlt', LIMITS.altText],
  ['kpi.revenue.chartTitle', LIMITS.headerText],
  ['stage.', 75],
];

function limitOf(key: string): number {
  let best: readonly [string, number] | null = null;
  for (const entry of FIELD_LIMITS) {
    const hit = entry[0].endsWith('.') ? key.startsWith(entry[0]) : key === entry[0];
    if (hit && (!best || entry[0].length > best[0].length)) best = entry;
  }
  return best ? best[1] : LIMITS.sectionText;
}

interface TArg {
  name: string;
  kind: 'text' | 'number' | 'select';
  options: string[];
}

function argsOf(elements: readonly MessageFormatElement[], into = new Map<string, TArg>()): Map<string, TArg> {
  for (const el of elements) {
    if (el.type === TYPE.argument) {
      if (!into.has(el.value)) into.set(el.value, { name: el.value, kind: 'text', options: [] });
    } else if (el.type === TYPE.number) {
      into.set(el.value, { name: el.value, kind: 'number', options: [] });
    } else if (el.type === TYPE.plural) {
      into.set(el.value, { name: el.value, kind: 'number', options: [] });
      for (const o of Object.values(el.options)) argsOf(o.value, into);
    } else if (el.type === TYPE.select) {
      const prev = into.get(el.value);
      into.set(el.value, { name: el.value, kind: 'select', options: [...new Set([...(prev?.options ?? []), ...Object.keys(el.options)])] });
      for (const o of Object.values(el.options)) argsOf(o.value, into);
    } else if (el.type === TYPE.tag) {
      argsOf(el.children, into);
    }
  }
  return into;
}

const argsIn = (locale: TLocale, key: TMessageKey) => argsOf(parse(CATALOGS[locale][key]));

/** A long but realistic value for a text placeholder: a long name, amount or period. */
const LONG_TEXT = 'Nguyễn Thị Minh Khai — 1.234.567.890.123 ₫ (Quý 3 năm tài chính 2027)'.padEnd(120, 'x');
/** Placeholders whose values have a known shape. */
const SAMPLES: Readonly<Record<string, string>> = { currency: 'VND', user: '<@U0123456789>' };

describe('message catalog', () => {
  test('has messages', () => {
    expect(KEYS.length).toBeGreaterThan(150);
  });

  test.each(OTHERS)('%s has exactly the English keys', (locale) => {
    const keys = Object.keys(CATALOGS[locale]).sort();
    const missing = KEYS.filter((k) => !(k in CATALOGS[locale]));
    const extra = keys.filter((k) => !(k in CATALOGS.en));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  test.each(LOCALES)('every %s message is valid ICU MessageFormat', (locale) => {
    const broken = KEYS.filter((k) => {
      try {
        parse(CATALOGS[locale][k]);
        return false;
      } catch {
        return true;
      }
    });
    expect(broken).toEqual([]);
  });

  test.each(OTHERS)('%s uses the same placeholders as English in every message', (locale) => {
    const differ = KEYS.flatMap((k) => {
      const a = [...argsIn('en', k).keys()].sort().join(',');
      const b = [...argsIn(locale, k).keys()].sort().join(',');
      return a === b ? [] : [`${k}: en {${a}} vs ${locale} {${b}}`];
    });
    expect(differ).toEqual([]);
  });

  test.each(OTHERS)('%s select placeholders offer the English options', (locale) => {
    const differ = KEYS.flatMap((k) => {
      const en = argsIn('en', k);
      const other = argsIn(locale, k);
      return [...en.values()]
        .filter((a) => a.kind === 'select')
        .filter((a) => a.options.some((o) => !other.get(a.name)?.options.includes(o)) && !other.get(a.name)?.options.includes('other'))
        .map((a) => `${k}.${a.name}`);
    });
    expect(differ).toEqual([]);
  });

  test.each(LOCALES)('every %s message stays inside the Block Kit limit of its field, in every branch', (locale) => {
    const over: string[] = [];
    for (const key of KEYS) {
      const args = [...argsOf(parse(CATALOGS.en[key])).values()];
      const base: Record<string, string | number> = {};
      for (const a of args) base[a.name] = a.kind === 'text' ? (SAMPLES[a.name] ?? LONG_TEXT) : a.kind === 'number' ? 1_234_567 : 'other';
      const variants: Record<string, string | number>[] = [base];
      for (const a of args.filter((x) => x.kind === 'select')) for (const o of a.options) variants.push({ ...base, [a.name]: o });
      for (const v of variants) {
        const text = t(locale, key, v);
        if (text.length > limitOf(key)) over.push(`${key} (${text.length} > ${limitOf(key)})`);
      }
    }
    expect(over).toEqual([]);
  });

  // Words that stay as they are in every language: product names, metric acronyms, commands.
  const NAMES = new Set(['mrr', 'arr', 'nrr', 'grr', 'slack', 'kpi', 'crm', 'hubspot', 'pipedrive', 'salesforce', 'usd', 'eur', 'vnd', 'cny', 'maven']);

  /** The literal text of a message (placeholders, option keys and ICU syntax left out). */
  function literalText(elements: readonly MessageFormatElement[]): string {
    return elements
      .map((el) => {
        if (el.type === TYPE.literal) return el.value;
        if (el.type === TYPE.plural || el.type === TYPE.select) return Object.values(el.options).map((o) => literalText(o.value)).join(' ');
        if (el.type === TYPE.tag) return literalText(el.children);
        return ' ';
      })
      .join('');
  }

  /** Latin words of 3+ letters outside code spans and emoji codes: what a reader would see as English. */
  function latinWords(message: string): string[] {
    const stripped = literalText(parse(message))
      .replace(/`[^`]*`/g, ' ')
      .replace(/:[a-z_]+:/g, ' ')
      .replace(/&lt;|&gt;/g, ' ');
    return (stripped.match(/[A-Za-z]{3,}/g) ?? []).map((w) => w.toLowerCase()).filter((w) => !NAMES.has(w));
  }

  test.each(OTHERS)('%s has no untranslated English left', (locale) => {
    const left = KEYS.flatMap((k) => {
      const english = new Set(latinWords(CATALOGS.en[k]));
      const words = latinWords(CATALOGS[locale][k]).filter((w) => english.has(w));
      return words.length > 0 ? [`${k}: ${words.join(', ')}`] : [];
    });
    expect(left).toEqual([]);
  });

  test('the untranslated check catches an English message copied into another language', () => {
    const english = new Set(latinWords(CATALOGS.en['kpi.winrate.definition']));
    expect(latinWords(CATALOGS.en['kpi.winrate.definition']).filter((w) => english.has(w)).length).toBeGreaterThan(5);
    expect(latinWords(CATALOGS.vi['kpi.winrate.definition']).filter((w) => english.has(w))).toEqual([]);
  });
});
