// Invariants of the timing calibration built by scripts/build-timing.ts (see SOURCES.md, "Timing calibration").
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../lib/csv.ts';

function read(name: string, columns: readonly string[]): Record<string, string>[] {
  const text = readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
  expect(text.slice(0, text.indexOf('\n')), name).toBe(columns.join(','));
  return parseCsv(text);
}

const LEVELS = ['p0', 'p10', 'p25', 'p50', 'p75', 'p90', 'p100'] as const;
const municipalities = parseCsv(readFileSync(new URL('./municipalities.csv', import.meta.url), 'utf8'));
const curves = read('arrival-curves.csv', ['municipality', 'source', ...LEVELS]);
const advance = read('advance-arrival.csv', ['municipality', 'minutes']);
const numbers = municipalities.map((m) => m.number!);
const curveOf = (n: string) => {
  const row = curves.find((r) => r.municipality === n);
  expect(row, n).toBeDefined();
  return row!;
};
const value = (s: string | undefined) => {
  expect(s).toMatch(/^\d+(\.\d)?$/);
  return Number(s);
};

describe('arrival-curves.csv', () => {
  it('has one row per municipality of municipalities.csv, in the same order', () => {
    expect(numbers).toHaveLength(357);
    expect(curves).toHaveLength(357);
    expect(new Set(curves.map((r) => r.municipality)).size).toBe(357);
    expect(curves.map((r) => r.municipality)).toEqual(numbers);
  });

  it('has non-decreasing quantiles with p0 >= 0', () => {
    for (const r of curves) {
      const q = LEVELS.map((l) => value(r[l]));
      expect(q[0], r.municipality).toBeGreaterThanOrEqual(0);
      for (let i = 1; i < q.length; i++) expect(q[i], `${r.municipality} ${LEVELS[i]}`).toBeGreaterThanOrEqual(q[i - 1]!);
    }
  });

  it('fits every watch municipality from real curves and models the others', () => {
    const watch = new Set(municipalities.filter((m) => m.watch === '1').map((m) => m.number));
    expect(watch.size).toBe(27);
    for (const r of curves) {
      if (watch.has(r.municipality)) expect(r.source, r.municipality).toMatch(/^fit-(2021|2025|2021\+2025)$/);
      else expect(r.source, r.municipality).toBe('model');
    }
  });

  it('keeps modelled municipalities after 21:15', () => {
    for (const r of curves.filter((c) => c.source === 'model')) expect(value(r.p0), r.municipality).toBeGreaterThanOrEqual(15);
  });

  it('lets a big municipality finish later than a tiny one', () => {
    expect(value(curveOf('0301').p100)).toBeGreaterThan(value(curveOf('1151').p100)); // Oslo vs Utsira
    expect(value(curveOf('5001').p100)).toBeGreaterThan(value(curveOf('1151').p100)); // Trondheim (model) vs Utsira
  });
});

describe('advance-arrival.csv', () => {
  it('has one row per municipality, in the same order', () => {
    expect(advance).toHaveLength(357);
    expect(advance.map((r) => r.municipality)).toEqual(numbers);
  });

  it('has minutes in [0, 120]', () => {
    for (const r of advance) {
      const m = value(r.minutes);
      expect(m, r.municipality).toBeGreaterThanOrEqual(0);
      expect(m, r.municipality).toBeLessThanOrEqual(120);
    }
  });
});
