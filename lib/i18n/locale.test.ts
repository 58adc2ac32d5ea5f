import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCALE, INTL_TAG, isLocale, LOCALES } from './locale.ts';

describe('locales', () => {
  it('knows bokmål (default), nynorsk and English, each with an Intl tag Node formats with', () => {
    expect(LOCALES).toEqual(['nb', 'nn', 'en']);
    expect(DEFAULT_LOCALE).toBe('nb');
    for (const locale of LOCALES) expect(Intl.NumberFormat.supportedLocalesOf([INTL_TAG[locale]])).toHaveLength(1);
  });

  it('tells a locale from anything else', () => {
    expect(isLocale('nn')).toBe(true);
    expect(isLocale('se')).toBe(false);
    expect(isLocale(undefined)).toBe(false);
  });
});
