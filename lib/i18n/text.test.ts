import { describe, expect, it } from 'vitest';
import { fill, fillPlural, intlLocales, listPlaceholders, selectPlural } from './text.ts';

const DISTRICTS = { one: '{n} krets', other: '{n} kretser' };

describe('fill', () => {
  it('replaces every placeholder, as often as it appears', () => {
    expect(fill('{a} og {b}, {a}', { a: 'x', b: 2 })).toBe('x og 2, x');
    expect(fill('ingen')).toBe('ingen');
  });

  it('throws on a placeholder without a value rather than show it to a reader', () => {
    expect(() => fill('{n} kretser', {})).toThrow(/\{n\}/);
  });

  it('lists placeholders once each, in order', () => {
    expect(listPlaceholders('{b} {a} {b}')).toEqual(['b', 'a']);
  });
});

describe('plural forms by Intl.PluralRules', () => {
  it.each([
    ['nb', 0, '0 kretser'], ['nb', 1, '1 krets'], ['nb', 2, '2 kretser'],
    ['nn', 1, '1 krets'], ['nn', 21, '21 kretser'],
    ['en', 1, '1 krets'], ['en', 1.5, '1.5 kretser'],
  ] as const)('%s %d → %s', (locale, n, text) => {
    expect(fillPlural(locale, DISTRICTS, n)).toBe(text);
  });

  it('picks the English forms the same way', () => {
    expect(selectPlural('en', { one: 'district', other: 'districts' }, 1)).toBe('district');
    expect(selectPlural('en', { one: 'district', other: 'districts' }, 0)).toBe('districts');
  });

  it('lets nynorsk fall back to bokmål formats where a browser lacks nn', () => {
    expect(intlLocales('nn')).toEqual(['nn-NO', 'nb-NO', 'no']);
    expect(intlLocales('en')).toEqual(['en-GB']);
  });
});
