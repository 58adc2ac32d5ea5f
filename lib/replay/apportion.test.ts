import { describe, it, expect } from 'vitest';
import { apportion } from './apportion.ts';
import { createRandom } from './random.ts';

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe('apportion', () => {
  it.each([
    // total, weights, expected
    [100, [50, 30, 20], [50, 30, 20]],
    [10, [1, 2], [3, 7]],
    [10, [2, 1], [7, 3]],
    // ties in the remainder go to the earlier item
    [10, [1, 1, 1], [4, 3, 3]],
    [7, [1, 1], [4, 3]],
    [2, [1, 1, 1], [1, 1, 0]],
    [5, [3, 3, 3, 3], [2, 1, 1, 1]],
    [2, [1, 1, 2], [1, 0, 1]],
    // the largest remainder wins even when it is a later item
    [1, [1, 3], [0, 1]],
    [3, [1, 2, 5], [0, 1, 2]],
    // zero, negative and non-finite weights get nothing
    [5, [0, 1, 0], [0, 5, 0]],
    [4, [-1, Number.NaN, 2], [0, 0, 4]],
    [3, [Number.POSITIVE_INFINITY, 1, 2], [0, 1, 2]],
    // no usable weight at all: an even split, remainder to the earlier items
    [3, [0, 0, 0], [1, 1, 1]],
    [5, [0, 0, 0], [2, 2, 1]],
    [0, [1, 2, 3], [0, 0, 0]],
    [0, [], []],
  ])('apportion(%i, %j) = %j', (total, weights, expected) => {
    expect(apportion(total, weights)).toEqual(expected);
  });

  // 2,000 random cases: seconds on a loaded 2-core machine, so it gets room beyond the 5 s default.
  it('adds up exactly to the total and stays within one of the exact quota, for many random inputs', { timeout: 60_000 }, () => {
    const random = createRandom('apportion-property');
    for (let run = 0; run < 2000; run++) {
      const n = 1 + Math.floor(random.next() * 40);
      const total = Math.floor(random.next() * (run % 3 === 0 ? 20 : 1_000_000));
      const weights = Array.from({ length: n }, () => (random.chance(0.2) ? 0 : random.next() * (random.chance(0.5) ? 1 : 10_000)));
      const parts = apportion(total, weights);
      expect(parts).toHaveLength(n);
      expect(sum(parts)).toBe(total);
      const weightSum = sum(weights);
      parts.forEach((part, i) => {
        expect(Number.isInteger(part)).toBe(true);
        expect(part).toBeGreaterThanOrEqual(0);
        const quota = weightSum > 0 ? (total * weights[i]!) / weightSum : total / n;
        // largest remainder: every part is its quota rounded down or up
        expect(part).toBeGreaterThanOrEqual(Math.floor(quota));
        expect(part).toBeLessThanOrEqual(Math.ceil(quota));
        if (weightSum > 0 && weights[i] === 0) expect(part).toBe(0);
      });
    }
  });

  it('is proportional: doubling every weight changes nothing, and larger weights never get fewer votes', () => {
    const weights = [3.5, 1, 0.25, 7, 2];
    const parts = apportion(1234, weights);
    expect(apportion(1234, weights.map((w) => w * 2))).toEqual(parts);
    const byWeight = weights.map((w, i) => [w, parts[i]!] as const).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < byWeight.length; i++) expect(byWeight[i]![1]).toBeGreaterThanOrEqual(byWeight[i - 1]![1]);
    // 1234 × 7 / 13.75 = 628.2…
    expect(parts[3]).toBe(628);
  });

  it('does not change its input', () => {
    const weights = [1, 2, 3];
    apportion(10, weights);
    expect(weights).toEqual([1, 2, 3]);
  });

  it.each([
    [1, []],
    [5, []],
  ])('refuses to put %i votes into no parts', (total, weights) => {
    expect(() => apportion(total, weights)).toThrow(RangeError);
    expect(() => apportion(total, weights)).toThrow(/no parts/);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses a total of %s', (total) => {
    expect(() => apportion(total, [1, 1])).toThrow(RangeError);
  });
});
