import { describe, it, expect } from 'vitest';
import { createRandom } from './random.ts';
import type { ArrivalCurve } from './reference.ts';
import { assignLocalMinutes, minutesAtShare, stretchToCount } from './timing.ts';

const curve = (quantiles: ArrivalCurve['quantiles']): ArrivalCurve => ({ quantiles, advanceMinutes: 1 });
// Uneven gaps, so that a knot taken for its neighbour shows.
const UNEVEN = curve([5, 11, 23, 47, 60, 90, 150]);
const districts = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1).padStart(4, '0'));
const doneBy = (minutes: Map<string, number>, at: number) => [...minutes.values()].filter((m) => m <= at).length;

describe('minutesAtShare', () => {
  it.each([
    [0, 5],
    [0.1, 11],
    [0.25, 23],
    [0.5, 47],
    [0.75, 60],
    [0.9, 90],
    [1, 150],
  ])('hits the knot at share %s exactly', (u, expected) => {
    expect(minutesAtShare(UNEVEN, u)).toBe(expected);
  });

  it.each([
    [0.05, 8],
    [0.175, 17],
    [0.375, 35],
    [0.6, 52.2],
    [0.825, 75],
    [0.95, 120],
  ])('interpolates linearly between knots: share %s → %s', (u, expected) => {
    expect(minutesAtShare(UNEVEN, u)).toBeCloseTo(expected, 9);
  });

  it.each([
    [-0.5, 5],
    [1.5, 150],
  ])('clamps share %s to the curve', (u, expected) => {
    expect(minutesAtShare(UNEVEN, u)).toBe(expected);
  });

  it('keeps a flat start flat (Stavanger: p0 = p10)', () => {
    const flat = curve([1, 1, 47.3, 62.9, 70.4, 76.7, 91.9]);
    expect(minutesAtShare(flat, 0.05)).toBe(1);
    expect(minutesAtShare(flat, 0.1)).toBe(1);
    expect(minutesAtShare(flat, 0.175)).toBeCloseTo(24.15, 9);
  });

  it('never decreases with the share', () => {
    let last = -Infinity;
    for (let u = 0; u <= 1.0000001; u += 0.001) {
      const m = minutesAtShare(UNEVEN, u);
      expect(m).toBeGreaterThanOrEqual(last);
      last = m;
    }
  });
});

describe('assignLocalMinutes', () => {
  it('gives every district a time, never before p0 and never past p100 + ½ minute', () => {
    const names = districts(101);
    for (const seed of ['a', 'b', 'c', 'd']) {
      const minutes = assignLocalMinutes(names, UNEVEN, createRandom(seed));
      expect([...minutes.keys()].sort()).toEqual(names);
      for (const m of minutes.values()) {
        expect(m).toBeGreaterThanOrEqual(5);
        expect(m).toBeLessThan(150.5);
      }
    }
  });

  it('clamps the noise at p0 when the curve starts flat', () => {
    // p0 = p10 = 30: the first tenth would dip below 30 half of the time without the clamp.
    const flat = curve([30, 30, 40, 50, 60, 70, 80]);
    let atP0 = 0;
    for (const seed of ['a', 'b', 'c', 'd', 'e']) {
      const minutes = assignLocalMinutes(districts(41), flat, createRandom(seed));
      expect(Math.min(...minutes.values())).toBeGreaterThanOrEqual(30);
      atP0 += [...minutes.values()].filter((m) => m === 30).length;
    }
    expect(atP0).toBeGreaterThan(0);
  });

  it('puts the middle district at p50 (± the ½-minute noise), and a single district there too', () => {
    for (const seed of ['a', 'b', 'c']) {
      const minutes = [...assignLocalMinutes(districts(21), UNEVEN, createRandom(seed)).values()];
      expect(minutes.filter((m) => Math.abs(m - 47) <= 0.5)).toHaveLength(1);
      const [only] = [...assignLocalMinutes(['0101'], UNEVEN, createRandom(seed)).values()];
      expect(Math.abs(only! - 47)).toBeLessThanOrEqual(0.5);
    }
  });

  it('follows the curve: about a quarter done by p25, half by p50, 90 % by p90', () => {
    const minutes = assignLocalMinutes(districts(201), UNEVEN, createRandom('curve'));
    expect(doneBy(minutes, 23)).toBeGreaterThanOrEqual(48);
    expect(doneBy(minutes, 23)).toBeLessThanOrEqual(53);
    expect(doneBy(minutes, 47)).toBeGreaterThanOrEqual(99);
    expect(doneBy(minutes, 47)).toBeLessThanOrEqual(102);
    expect(doneBy(minutes, 90)).toBeGreaterThanOrEqual(179);
    expect(doneBy(minutes, 90)).toBeLessThanOrEqual(182);
  });

  it('is deterministic per seed and shuffles which district comes when', () => {
    const names = districts(30);
    const a = assignLocalMinutes(names, UNEVEN, createRandom('s', 'timing'));
    expect(assignLocalMinutes(names, UNEVEN, createRandom('s', 'timing'))).toEqual(a);
    const b = assignLocalMinutes(names, UNEVEN, createRandom('t', 'timing'));
    const firstOf = (m: Map<string, number>) => [...m].sort((x, y) => x[1] - y[1]).map(([d]) => d);
    expect(firstOf(b)).not.toEqual(firstOf(a));
    // Not simply in the given order.
    expect(firstOf(a)).not.toEqual(names);
  });

  it('handles no districts', () => {
    expect(assignLocalMinutes([], UNEVEN, createRandom('s')).size).toBe(0);
  });
});

describe('stretchToCount', () => {
  const four = new Map([['a', 10], ['b', 20], ['c', 30], ['d', 40]]);

  it.each([
    // at, count, expected
    [25, 2, { a: 10, b: 20, c: 30, d: 40 }], // already true: the midpoint between 2nd and 3rd is 25
    [50, 2, { a: 20, b: 40, c: 60, d: 80 }], // stretched ×2
    [10, 3, { a: 100 / 35, b: 200 / 35, c: 300 / 35, d: 400 / 35 }], // compressed: midpoint 35 → 10
    [15, 1, { a: 10, b: 20, c: 30, d: 40 }], // midpoint of 10 and 20 is 15
  ])('at %s with %s done', (at, count, expected) => {
    const result = stretchToCount(four, at, count);
    expect([...result.keys()]).toEqual(['a', 'b', 'c', 'd']);
    for (const [d, m] of Object.entries(expected)) expect(result.get(d)).toBeCloseTo(m, 9);
    expect(doneBy(result, at)).toBe(count);
  });

  it('with every district done, finishes the last one a minute before the time', () => {
    const result = stretchToCount(four, 21, 4);
    expect(result.get('d')).toBeCloseTo(20, 9);
    expect(result.get('a')).toBeCloseTo(5, 9);
    expect(doneBy(result, 21)).toBe(4);
  });

  it('with every district already done in time, leaves the times alone', () => {
    expect(stretchToCount(four, 120, 4)).toEqual(four);
  });

  it('does not change its input', () => {
    stretchToCount(four, 50, 2);
    expect([...four.values()]).toEqual([10, 20, 30, 40]);
  });

  it.each([0, -1, 5])('refuses %i of 4 districts', (count) => {
    expect(() => stretchToCount(four, 30, count)).toThrow(RangeError);
  });

  it('leaves exactly `count` districts done at the time, keeping their order (random inputs)', () => {
    const random = createRandom('stretch-property');
    for (let run = 0; run < 1000; run++) {
      const n = 1 + Math.floor(random.next() * 150);
      const minutes = new Map(districts(n).map((d) => [d, random.between(0.5, 300)]));
      const at = random.between(5, 400);
      const count = 1 + Math.floor(random.next() * n);
      const result = stretchToCount(minutes, at, count);
      expect(doneBy(result, at), `run ${run}: ${count} of ${n} at ${at}`).toBe(count);
      expect(result.size).toBe(n);
      const order = (m: Map<string, number>) => [...m].sort((x, y) => x[1] - y[1]).map(([d]) => d);
      expect(order(result)).toEqual(order(minutes));
      for (const m of result.values()) expect(m).toBeGreaterThan(0);
    }
  });

  it('reproduces Oslo 2023 on a real-looking night: 91 of 101 done at 00:30 (210 minutes after 21:00)', () => {
    const oslo = curve([23.6, 55.6, 64.6, 77.6, 92.9, 117.7, 169.6]);
    const minutes = assignLocalMinutes(districts(101), oslo, createRandom('2023', 'timing:0301'));
    expect(doneBy(minutes, 210)).toBe(101);
    const stretched = stretchToCount(minutes, 210, 91);
    expect(doneBy(stretched, 210)).toBe(91);
  });
});
