// The languages of the public pages, embeds and the operations console: bokmål first (the default, served
// at the unprefixed paths that are published), nynorsk, and English for foreign press.
export const LOCALES = ['nb', 'nn', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'nb';

/** The BCP 47 tag Intl formats numbers and dates with, per locale (Norwegian time either way). */
export const INTL_TAG: Record<Locale, string> = { nb: 'nb-NO', nn: 'nn-NO', en: 'en-GB' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && LOCALES.some((locale) => locale === value);
}
