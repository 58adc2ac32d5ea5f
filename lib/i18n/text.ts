// The two operations every catalogue text needs: filling its {placeholders} and picking a plural form by
// the locale's rules (Intl.PluralRules), so "1 krets" / "2 kretser" / "1 district" / "2 districts" come
// from the catalogue, not from `n === 1` scattered through the domain code. Pure.
import { INTL_TAG, type Locale } from './locale.ts';

/** A text with a plural form per CLDR category the locales use; categories a language lacks fall back to `other`. */
export interface Plural {
  one: string;
  other: string;
}

/**
 * The Intl locales to format with, best first. Nynorsk falls back to bokmål: numbers, dates and plural
 * rules are the same in both, and a browser whose ICU data lacks `nn` would otherwise format in its own
 * default language.
 */
export function intlLocales(locale: Locale): string[] {
  return locale === 'nn' ? [INTL_TAG.nn, INTL_TAG.nb, 'no'] : locale === 'nb' ? [INTL_TAG.nb, 'no'] : [INTL_TAG[locale]];
}

const pluralRules = new Map<Locale, Intl.PluralRules>();

function rulesFor(locale: Locale): Intl.PluralRules {
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(intlLocales(locale));
    pluralRules.set(locale, rules);
  }
  return rules;
}

/** The form of `forms` for `n` in `locale`. */
export function selectPlural(locale: Locale, forms: Plural, n: number): string {
  return rulesFor(locale).select(n) === 'one' ? forms.one : forms.other;
}

const PLACEHOLDER = /\{(\w+)\}/g;

/** The names of a template's placeholders, in order of first appearance. */
export function listPlaceholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? ''))];
}

/**
 * `template` with each {name} replaced by `values[name]`. A placeholder without a value is an error in the
 * caller, not a text to show a reader: it throws.
 */
export function fill(template: string, values: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for {${name}} in "${template}"`);
    return String(value);
  });
}

/** `fill` on the plural form for `n` (available to the template as {n}, beside `values`). */
export function fillPlural(locale: Locale, forms: Plural, n: number, values: Readonly<Record<string, string | number>> = {}): string {
  return fill(selectPlural(locale, forms, n), { n, ...values });
}
