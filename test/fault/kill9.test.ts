import { describe, expect, test } from 'vitest';
import { runKillBurst } from '../helpers/kill9-burst.js';
import { testEngines } from '../helpers/test-db.js';

/**
 * kill -9 at random moments during a 100/s burst of `/deal won` quick forms and deal-modal
 * submissions (some delivered twice), five rounds, then a restart that receives every acknowledged
 * request again: every acknowledged request is stored, none twice. `npm run fault` runs the same
 * with more rounds and prints the figures (BENCHMARKS.md).
 */
describe.each(testEngines())('kill -9 during a burst on %s', (dialect) => {
  test('0 acknowledged requests lost, 0 doubled over 5 rounds', { timeout: 240_000 }, async () => {
    const report = await runKillBurst({ dialect, rounds: 5, ratePerSecond: 100, burstMs: 2_000, seed: 7 });
    expect(report.acknowledged).toBeGreaterThan(20);
    expect(report.stored).toBeGreaterThan(0);
    expect(report.lostKeys).toEqual([]);
    expect(report.lost).toBe(0);
    expect(report.doubled).toBe(0);
  });
});
