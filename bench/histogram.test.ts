import { describe, expect, it } from 'vitest';
import { Histogram, bucketOf, bucketValue } from './histogram.ts';

describe('buckets', () => {
  it('are 0.1 ms wide below 100 ms', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(0.09)).toBe(0);
    expect(bucketOf(0.1)).toBe(1);
    expect(bucketOf(12.34)).toBe(123);
    expect(bucketOf(99.99)).toBe(999);
    expect(bucketValue(123)).toBeCloseTo(12.35, 10);
  });

  it('are at most 1 % wide above 100 ms, and stand for a value inside their range', () => {
    for (const value of [100, 150, 999, 12_345, 600_000]) {
      const middle = bucketValue(bucketOf(value));
      expect(Math.abs(middle - value) / value).toBeLessThan(0.01);
      expect(bucketOf(middle)).toBe(bucketOf(value));
    }
  });
});

describe('Histogram', () => {
  it('finds percentiles to a tenth of a millisecond among small latencies', () => {
    const h = new Histogram();
    for (let ms = 1; ms <= 100; ms++) h.add(ms - 0.5); // 0.5, 1.5, …, 99.5
    expect(h.total).toBe(100);
    expect(h.percentile(50)).toBeCloseTo(49.55, 1);
    expect(h.percentile(99)).toBeCloseTo(98.55, 1);
    expect(h.percentile(100)).toBe(99.5); // never beyond the largest sample
    expect(h.mean()).toBeCloseTo(50, 10);
    expect(h.min).toBe(0.5);
  });

  it('keeps large latencies to within 1 %', () => {
    const h = new Histogram();
    h.add(20, 98);
    h.add(1500);
    h.add(4000);
    expect(h.percentile(50)).toBeCloseTo(20, 0);
    expect(h.percentile(99)! / 1500).toBeGreaterThan(0.99);
    expect(h.percentile(99)! / 1500).toBeLessThan(1.01);
    expect(h.max).toBe(4000);
  });

  it('answers null when empty', () => {
    expect(new Histogram().percentile(50)).toBeNull();
    expect(new Histogram().mean()).toBeNull();
    expect(new Histogram().toJSON()).toMatchObject({ total: 0, min: null, max: null });
  });

  it('counts negative samples and treats them as zero', () => {
    const h = new Histogram();
    h.add(-3, 2);
    h.add(5);
    expect(h.negative).toBe(2);
    expect(h.percentile(50)).toBeLessThan(0.1);
    expect(h.min).toBe(0);
  });

  it('merges: two halves give the percentiles of the whole, also through JSON', () => {
    const whole = new Histogram();
    const a = new Histogram();
    const b = new Histogram();
    for (let i = 0; i < 1000; i++) {
      const value = (i * 7919) % 2500;
      whole.add(value);
      (i % 2 ? a : b).add(value);
    }
    const merged = Histogram.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    merged.merge(b);
    for (const p of [50, 95, 99]) expect(merged.percentile(p)).toBe(whole.percentile(p));
    expect(merged.total).toBe(1000);
    expect(merged.max).toBe(whole.max);
    expect(merged.min).toBe(whole.min);
  });

  it('adds another histogram shifted by a constant', () => {
    const offsets = new Histogram();
    offsets.add(0, 3);
    offsets.add(10, 1);
    const latency = new Histogram();
    latency.addShifted(offsets, 40);
    expect(latency.total).toBe(4);
    expect(latency.percentile(50)).toBeCloseTo(40.05, 1);
    expect(latency.percentile(100)).toBeCloseTo(50.05, 1);
  });
});
