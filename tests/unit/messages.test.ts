// The catalogues (messages/*.json) say the same things in every language: no key missing or empty in any,
// none extra, and the same ICU placeholders and rich-text tags, so no language shows a raw key or drops a number.
import { readFileSync } from 'node:fs';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCALE, LOCALES, type Locale } from '../../lib/i18n/locale.ts';

type Tree = { [key: string]: string | Tree };

function load(locale: Locale): Tree {
  return JSON.parse(readFileSync(new URL(`../../messages/${locale}.json`, import.meta.url), 'utf8')) as Tree;
}

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

/** Argument names with their kind (`count:plural`, `link:tag`), sorted: what a caller must pass. */
function listArguments(message: string): string[] {
  const found = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      if (element.type === TYPE.argument) found.add(`${element.value}:argument`);
      else if (element.type === TYPE.number || element.type === TYPE.date || element.type === TYPE.time) found.add(`${element.value}:${TYPE[element.type]}`);
      else if (element.type === TYPE.plural || element.type === TYPE.select) {
        found.add(`${element.value}:${TYPE[element.type]}`);
        for (const option of Object.values(element.options)) walk(option.value);
      } else if (element.type === TYPE.tag) {
        found.add(`${element.value}:tag`);
        walk(element.children);
      }
    }
  };
  walk(parse(message));
  return [...found].sort();
}

const catalogues = Object.fromEntries(LOCALES.map((locale) => [locale, flatten(load(locale))])) as Record<Locale, Map<string, string>>;
const reference = catalogues[DEFAULT_LOCALE];

describe('message catalogues', () => {
  it('has the reference catalogue filled', () => {
    expect(reference.size).toBeGreaterThan(100);
  });

  for (const locale of LOCALES) {
    it(`${locale}: the same keys as ${DEFAULT_LOCALE}, none empty`, () => {
      const keys = catalogues[locale];
      expect([...reference.keys()].filter((key) => !keys.has(key))).toEqual([]);
      expect([...keys.keys()].filter((key) => !reference.has(key))).toEqual([]);
      expect([...keys].filter(([, value]) => value.trim() === '').map(([key]) => key)).toEqual([]);
    });

    it(`${locale}: every message parses, with the same placeholders and tags as ${DEFAULT_LOCALE}`, () => {
      const mismatched = [...reference].flatMap(([key, message]) => {
        const other = catalogues[locale].get(key);
        if (other === undefined) return [];
        const expected = listArguments(message);
        const actual = listArguments(other);
        return JSON.stringify(expected) === JSON.stringify(actual) ? [] : [{ key, expected, actual }];
      });
      expect(mismatched).toEqual([]);
    });
  }

  it('tells nynorsk from bokmål: the nynorsk catalogue is not a copy', () => {
    const same = [...reference].filter(([key, value]) => catalogues.nn.get(key) === value).length;
    expect(same / reference.size).toBeLessThan(0.6);
  });
});
