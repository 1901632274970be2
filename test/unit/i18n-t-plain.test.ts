import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, test } from 'vitest';
import { CATALOGS, t, type TMessageKey } from '../../src/i18n/t.js';
import { INTL_TAG, LOCALES } from '../../src/i18n/locales.js';

type MessageFormatElement = ReturnType<IntlMessageFormat['getAst']>[number];

/** Every placeholder name of a message, nested ones (plural and select options) included. */
function placeholders(elements: readonly MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const el of elements) {
    if ('value' in el && el.type !== 0 && typeof el.value === 'string') into.add(el.value);
    if ('options' in el) for (const option of Object.values(el.options) as Array<{ value: MessageFormatElement[] }>) placeholders(option.value, into);
  }
  return into;
}

function viaIntl(format: IntlMessageFormat, values: Record<string, string | number>): string {
  try {
    const out = format.format(values);
    return typeof out === 'string' ? out : String(out);
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

function viaT(locale: (typeof LOCALES)[number], key: TMessageKey, values: Record<string, string | number>): string {
  try {
    return t(locale, key, values);
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

describe('t() fills plain messages itself, exactly as intl-messageformat would', () => {
  test.each(LOCALES)('every message of %s, with text, number, zero, empty and missing values', (locale) => {
    const differences: string[] = [];
    for (const [key, source] of Object.entries(CATALOGS[locale])) {
      const format = new IntlMessageFormat(source, INTL_TAG[locale], undefined, { ignoreTag: true });
      const names = [...placeholders(format.getAst())];
      const variants: Array<Record<string, string | number>> = [
        Object.fromEntries(names.map((n) => [n, `<${n}> '{x}' #`])),
        Object.fromEntries(names.map((n) => [n, 3])),
        Object.fromEntries(names.map((n) => [n, 0])),
        Object.fromEntries(names.map((n) => [n, ''])),
        ...(names.length > 0 ? [{}] : []),
      ];
      for (const values of variants) {
        const expected = viaIntl(format, values);
        const got = viaT(locale, key as TMessageKey, values);
        if (got !== expected) differences.push(`${key} ${JSON.stringify(values)}: ${JSON.stringify(got)} ≠ ${JSON.stringify(expected)}`);
      }
    }
    expect(differences).toEqual([]);
  });
});
