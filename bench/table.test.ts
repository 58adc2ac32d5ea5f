import { describe, expect, it } from 'vitest';
import { formatBytes, formatMs, formatNumber, formatPercent, formatRatio, markdownTable } from './table.ts';

describe('markdownTable', () => {
  it('pads columns to a common width and right-aligns numbers when asked', () => {
    const table = markdownTable(['name', 'ms'], [['Valgvakt', 12], ['naive', 3]], ['left', 'right']);
    expect(table.split('\n')).toEqual([
      '| name     |  ms |',
      '| -------- | --: |',
      '| Valgvakt |  12 |',
      '| naive    |   3 |',
    ]);
  });

  it('fills missing cells', () => {
    expect(markdownTable(['a', 'b'], [['x']]).split('\n')[2]).toBe('| x   |     |');
  });
});

describe('formats', () => {
  it.each<[number | null, string]>([
    [0.04, '0.0 ms'], [3.14159, '3.1 ms'], [12.6, '13 ms'], [999.4, '999 ms'], [1_250, '1.25 s'], [12_345, '12.3 s'], [null, '–'], [Number.NaN, '–'],
  ])('formatMs(%s) = %s', (ms, text) => {
    expect(formatMs(ms)).toBe(text);
  });

  it.each<[number, string]>([[512, '512 B'], [13_516, '13.2 KB'], [1_468_006, '1.4 MB'], [-2048, '−2.0 KB']])('formatBytes(%s) = %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('formats ratios with sensible precision and refuses to divide by nothing', () => {
    expect(formatRatio(82, 100)).toBe('0.82×');
    expect(formatRatio(150, 10)).toBe('15.0×');
    expect(formatRatio(5_000, 20)).toBe('250×');
    expect(formatRatio(1, 0)).toBe('–');
    expect(formatRatio(null, 3)).toBe('–');
  });

  it('formats counts and shares', () => {
    expect(formatNumber(10_000)).toBe('10,000');
    expect(formatNumber(2.345, 1)).toBe('2.3');
    expect(formatPercent(99.96, 1)).toBe('100.0 %');
    expect(formatPercent(undefined)).toBe('–');
  });
});
