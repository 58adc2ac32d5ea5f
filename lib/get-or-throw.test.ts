import { describe, expect, it } from 'vitest';
import { atOrThrow, getOrThrow } from './get-or-throw.ts';

describe('getOrThrow', () => {
  const map = new Map([['0301', 7], ['1101', 0]]);
  it('returns the value, falsy ones too', () => {
    expect(getOrThrow(map, '0301', 'municipality')).toBe(7);
    expect(getOrThrow(map, '1101', 'municipality')).toBe(0);
  });
  it('names what is missing', () => {
    expect(() => getOrThrow(map, '9999', 'municipality')).toThrow('municipality 9999 is missing');
  });
});

describe('atOrThrow', () => {
  it.each([[0, 'a'], [2, 'c']])('returns item %i', (index, expected) => {
    expect(atOrThrow(['a', 'b', 'c'], index, 'unit')).toBe(expected);
  });
  it.each([-1, 3, 1.5])('throws for index %s', (index) => {
    expect(() => atOrThrow(['a', 'b', 'c'], index, 'unit')).toThrow(`unit #${index} is missing (3 in all)`);
  });
});
