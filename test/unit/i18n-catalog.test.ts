import { parse as parseIcu, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { messageLatinWords } from '../helpers/english-words.js';
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
/** Parsed as `t` formats it: `<…>` is text (usage lines such as `<count>`), not a tag. */
const parse = (message: string) => parseIcu(message, { ignoreTag: true });
const OTHERS = LOCALES.filter((l): l is Exclude<TLocale, 'en'> => l !== 'en');

/** Where each message is shown: an exact key, or a prefix ending in `.` (longest wins); default: a section's text. */
const FIELD_LIMITS: ReadonlyArray<readonly [string, number]> = [
  ['kpi.title.', LIMITS.headerText],
  ['kpi.common.share', LIMITS.buttonText],
  ['kpi.revenue.chartAlt', LIMITS.altText],
  ['kpi.revenue.chartTitle', LIMITS.headerText],
  ['stage.', 75],
  // App Home (catalog/home): its header, buttons, and the modals its buttons open.
  ['home.header', LIMITS.headerText],
  ['home.button.', LIMITS.buttonText],
  ['home.team.field', LIMITS.fieldText],
  ['refundModal.', LIMITS.fieldText],
  ['refundModal.amountPlaceholder', LIMITS.inputPlaceholder],
  ['refundModal.reasonPlaceholder', LIMITS.inputPlaceholder],
  ['refundModal.title', LIMITS.viewTitle],
  ['refundModal.submit', LIMITS.viewTitle],
  ['refundModal.cancel', LIMITS.viewTitle],
  ['refundModal.confirmOption', LIMITS.optionText],
  ['quotaModal.', LIMITS.fieldText],
  ['quotaModal.repPlaceholder', LIMITS.inputPlaceholder],
  ['quotaModal.teamPlaceholder', LIMITS.inputPlaceholder],
  ['quotaModal.amountPlaceholder', LIMITS.inputPlaceholder],
  ['quotaModal.specificPlaceholder', LIMITS.inputPlaceholder],
  ['quotaModal.intro', LIMITS.sectionText],
  ['quotaModal.title', LIMITS.viewTitle],
  ['quotaModal.submit', LIMITS.viewTitle],
  ['quotaModal.cancel', LIMITS.viewTitle],
  ['quotaModal.kind', LIMITS.optionText],
  ['quotaModal.whichThis', LIMITS.optionText],
  ['quotaModal.whichNext', LIMITS.optionText],
  ['quotaModal.whichSpecific', LIMITS.optionText],
  ['crm.connect.submit', LIMITS.viewTitle],
  ['crm.modal.cancel', LIMITS.viewTitle],
  ['crm.stages.title', LIMITS.viewTitle],
  ['crm.stages.submit', LIMITS.viewTitle],
  ['crm.salesforce.button', LIMITS.buttonText],
  ['crm.disconnect.confirmTitle', 100],
  ['crm.disconnect.confirm', 30],
  ['crm.disconnect.deny', 30],
  ['crm.stages.edited', 150],
  ['crm.stages.default', 150],
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
// Short values where the real ones are short (the quota modal's period names in a 75-character option).
const SAMPLES: Readonly<Record<string, string>> = { currency: 'VND', user: '<@U0123456789>', month: 'tháng 11/2026', quarter: '2026-Q4', year: 'FY2027' };

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

  const latinWords = messageLatinWords;

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
