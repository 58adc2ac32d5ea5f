import { describe, expect, it } from 'vitest';
import { DOMAIN_TEXTS } from './domain-texts.ts';
import { LOCALES } from './locale.ts';
import { listPlaceholders } from './text.ts';

type Tree = { readonly [key: string]: string | Tree };

/** Every text of a catalogue by its dotted path; a plural's forms are `path.one` and `path.other`. */
function listLeaves(tree: Tree, prefix = ''): Map<string, string> {
  const leaves = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') leaves.set(path, value);
    else for (const [sub, text] of listLeaves(value, path)) leaves.set(sub, text);
  }
  return leaves;
}

/** A plural's placeholders are those of all its forms: English may say "one district" where bokmål says "{n} …". */
function placeholdersByText(leaves: Map<string, string>): Map<string, string[]> {
  const byText = new Map<string, Set<string>>();
  for (const [path, text] of leaves) {
    const key = path.replace(/\.(one|other)$/, '');
    const set = byText.get(key) ?? new Set<string>();
    for (const name of listPlaceholders(text)) set.add(name);
    byText.set(key, set);
  }
  return new Map([...byText].map(([key, set]) => [key, [...set].sort()]));
}

const reference = listLeaves(DOMAIN_TEXTS.nb);

describe('the domain catalogues', () => {
  it('hold texts at all', () => {
    expect(reference.size).toBeGreaterThan(30);
  });

  it.each(LOCALES.map((locale) => [locale]))('%s has every key of bokmål, no other, none empty', (locale) => {
    const leaves = listLeaves(DOMAIN_TEXTS[locale]);
    expect([...leaves.keys()].sort()).toEqual([...reference.keys()].sort());
    for (const [path, text] of leaves) expect(text.trim(), `${locale}: ${path}`).not.toBe('');
  });

  it.each(LOCALES.map((locale) => [locale]))('%s uses the same placeholders as bokmål in every text', (locale) => {
    const expected = placeholdersByText(reference);
    const actual = placeholdersByText(listLeaves(DOMAIN_TEXTS[locale]));
    for (const [key, names] of expected) expect(actual.get(key), `${locale}: ${key}`).toEqual(names);
  });

  it('has no placeholder left unbalanced ({ without }) in any language', () => {
    for (const locale of LOCALES) {
      for (const [path, text] of listLeaves(DOMAIN_TEXTS[locale])) expect(text.replace(/\{\w+\}/g, ''), `${locale}: ${path}`).not.toMatch(/[{}]/);
    }
  });

  it('writes nynorsk with nynorsk words, not bokmål ones', () => {
    const nynorsk = [...listLeaves(DOMAIN_TEXTS.nn).values()].join(' \n ');
    for (const bokmål of [/\bikke\b/, /\bstemmer\b/, /\bkretser\b/, /\bopptelling\b/, /\bforeløpig\b/i, /\bendelig\b/i, /\bventer\b/i, /\bfra\b/, /\bsiden\b/, /\bresultater\b/]) {
      expect(nynorsk).not.toMatch(bokmål);
    }
  });
});
