import { describe, expect, test } from 'vitest';
import { customerKey } from '../../src/shared/customer-key.js';

describe('customerKey', () => {
  test.each([
    // Vietnamese: precomposed, decomposed (NFD) and mixed input give the same key.
    ['Ánh Dương', 'ánh dương'],
    ['ánh dương', 'ánh dương'],
    ['  ÁNH   DƯƠNG  ', 'ánh dương'],
    ['A\u0301nh Du\u031bo\u031bng', 'ánh dương'],
    ['Công ty TNHH Đại Việt', 'công ty tnhh đại việt'],
    // Accents are part of the name: not stripped.
    ['ANH Dương', 'anh dương'],
    // German: capital sharp s lowers to ß; ß is not folded to ss.
    ['STRAẞE', 'straße'],
    ['Straße', 'straße'],
    ['STRASSE', 'strasse'],
    ['Müller GmbH', 'müller gmbh'],
    // Turkish dotted capital I: Unicode default lowering (i + combining dot above), whatever the locale.
    ['İzmir', 'i\u0307zmir'],
    ['IZMIR', 'izmir'],
    ['ılık', 'ılık'],
    // Whitespace: trimmed, inner runs (tabs, newlines, no-break and ideographic spaces) collapsed.
    ['  Acme   Corp  ', 'acme corp'],
    ['Acme\tCorp\n', 'acme corp'],
    ['Acme\u00a0\u00a0Corp', 'acme corp'],
    ['\u3000Acme\u2003Corp\u3000', 'acme corp'],
    ['ACME', 'acme'],
    ['', ''],
    ['   ', ''],
  ])('%j → %j', (name, key) => {
    expect(customerKey(name)).toBe(key);
  });

  test('is idempotent and yields NFC', () => {
    for (const name of ['  A\u0301NH   Du\u031bo\u031bng ', 'İSTANBUL', 'STRAẞE']) {
      const k = customerKey(name);
      expect(customerKey(k)).toBe(k);
      expect(k.normalize('NFC')).toBe(k);
    }
  });
});
