import { describe, expect, it } from 'vitest';
import { minutesAtShare, shareAtMinutes, type ArrivalCurve } from './arrival.ts';

// 0 % at +20 min, 10 % at +30, 25 % at +40, 50 % at +60, 75 % at +80, 90 % at +100, 100 % at +120.
const CURVE: ArrivalCurve = { quantiles: [20, 30, 40, 60, 80, 100, 120], advanceMinutes: 10 };

describe('shareAtMinutes and minutesAtShare', () => {
  // [minutes, share]: the knots, then midpoints of each segment.
  it.each<[number, number]>([
    [20, 0], [30, 0.1], [40, 0.25], [60, 0.5], [80, 0.75], [100, 0.9], [120, 1],
    [25, 0.05], [35, 0.175], [50, 0.375], [70, 0.625], [90, 0.825], [110, 0.95],
    [22, 0.02], [57, 0.4625],
  ])('%d min ↔ share %d', (minutes, share) => {
    expect(shareAtMinutes(CURVE, minutes)).toBeCloseTo(share, 12);
    expect(minutesAtShare(CURVE, share)).toBeCloseTo(minutes, 9);
  });

  it('round-trips every tenth of a minute between the first and last knot', () => {
    for (let tenth = 200; tenth <= 1200; tenth++) {
      const minutes = tenth / 10;
      expect(minutesAtShare(CURVE, shareAtMinutes(CURVE, minutes))).toBeCloseTo(minutes, 9);
    }
  });

  it('is increasing between the knots', () => {
    let previous = -1;
    for (let minutes = 20; minutes < 120; minutes += 0.25) {
      const share = shareAtMinutes(CURVE, minutes);
      expect(share).toBeGreaterThan(previous);
      previous = share;
    }
  });

  it.each<[number, number]>([[-30, 0], [0, 0], [19.999, 0], [120, 1], [120.001, 1], [600, 1]])('outside the curve: %d min → %d', (minutes, share) => {
    expect(shareAtMinutes(CURVE, minutes)).toBe(share);
  });

  it.each<[number, number]>([[-0.5, 20], [0, 20], [1, 120], [1.5, 120]])('clamps the share: %d → %d min', (share, minutes) => {
    expect(minutesAtShare(CURVE, share)).toBe(minutes);
  });
});

describe('flat segments (equal quantiles)', () => {
  it('p0 = p10 (1103 Stavanger, fit-2025): 10 % report at once at minute 1', () => {
    const curve: ArrivalCurve = { quantiles: [1, 1, 47.3, 62.9, 70.4, 76.7, 91.9], advanceMinutes: 5 };
    expect(shareAtMinutes(curve, 0.999)).toBe(0);
    expect(shareAtMinutes(curve, 1)).toBeCloseTo(0.1, 12);
    expect(shareAtMinutes(curve, 24.15)).toBeCloseTo(0.175, 12);
    expect(minutesAtShare(curve, 0)).toBe(1);
    expect(minutesAtShare(curve, 0.05)).toBe(1);
    expect(minutesAtShare(curve, 0.1)).toBe(1);
    expect(minutesAtShare(curve, 0.175)).toBeCloseTo(24.15, 9);
  });

  it('p25 = p50 in the middle: the share jumps from 25 % to 50 % at that minute', () => {
    const curve: ArrivalCurve = { quantiles: [20, 30, 60, 60, 80, 100, 120], advanceMinutes: 10 };
    expect(shareAtMinutes(curve, 59.999)).toBeCloseTo(0.25, 4);
    expect(shareAtMinutes(curve, 59.999)).toBeLessThan(0.25);
    expect(shareAtMinutes(curve, 60)).toBe(0.5);
    expect(shareAtMinutes(curve, 70)).toBeCloseTo(0.625, 12);
    for (const share of [0.25, 0.3, 0.4, 0.5]) expect(minutesAtShare(curve, share)).toBe(60);
    expect(minutesAtShare(curve, 0.625)).toBeCloseTo(70, 9);
  });

  it('p90 = p100: the last 10 % at one minute', () => {
    const curve: ArrivalCurve = { quantiles: [20, 30, 40, 60, 80, 120, 120], advanceMinutes: 10 };
    expect(shareAtMinutes(curve, 100)).toBeCloseTo(0.825, 12);
    expect(shareAtMinutes(curve, 119.999)).toBeLessThan(0.9);
    expect(shareAtMinutes(curve, 120)).toBe(1);
    expect(minutesAtShare(curve, 0.95)).toBe(120);
  });

  it('all at one minute', () => {
    const curve: ArrivalCurve = { quantiles: [50, 50, 50, 50, 50, 50, 50], advanceMinutes: 10 };
    expect(shareAtMinutes(curve, 49.999)).toBe(0);
    expect(shareAtMinutes(curve, 50)).toBe(1);
    for (const share of [0, 0.1, 0.5, 0.99, 1]) expect(minutesAtShare(curve, share)).toBe(50);
  });
});
