import { describe, expect, it } from 'vitest';
import { decideLocaleRedirect, isEmbedPath, localizePath, readLocaleCookie, splitLocalePath } from './locale-routing.ts';

describe('splitLocalePath', () => {
  it.each([
    ['/', 'nb', '/', false], ['/kommune/0301', 'nb', '/kommune/0301', false], ['/nn', 'nn', '/', true], ['/nn/', 'nn', '/', true],
    ['/nn/kommune/0301', 'nn', '/kommune/0301', true], ['/en/embed/kart', 'en', '/embed/kart', true], ['/nb/fylke/03', 'nb', '/fylke/03', true],
    // A word that merely starts like a prefix is not one.
    ['/nnx', 'nb', '/nnx', false], ['/english', 'nb', '/english', false], ['/ops', 'nb', '/ops', false],
  ])('%s → %s %s', (pathname, locale, path, prefixed) => {
    expect(splitLocalePath(pathname)).toEqual({ locale, path, prefixed });
  });
});

describe('localizePath', () => {
  it.each([
    ['/', 'nb', '/'], ['/kommune/0301', 'nb', '/kommune/0301'], ['/', 'nn', '/nn'], ['/kommune/0301', 'en', '/en/kommune/0301'],
    ['ops', 'en', '/en/ops'],
  ] as const)('%s in %s → %s', (path, locale, expected) => {
    expect(localizePath(path, locale)).toBe(expected);
    expect(splitLocalePath(expected).locale).toBe(locale);
  });
});

describe('isEmbedPath', () => {
  it.each([['/embed/kart', true], ['/embed', true], ['/embedded', false], ['/', false]])('%s → %s', (path, expected) => {
    expect(isEmbedPath(path)).toBe(expected);
  });
});

describe('readLocaleCookie', () => {
  it.each([
    [undefined, null], ['', null], ['NEXT_LOCALE=nn', 'nn'], ['a=1; NEXT_LOCALE=en; b=2', 'en'], ['NEXT_LOCALE=nb', 'nb'],
    ['NEXT_LOCALE=de', null], ['XNEXT_LOCALE=nn', null], ['valgvakt-ops=abc', null],
  ])('%s → %s', (header, expected) => {
    expect(readLocaleCookie(header)).toBe(expected);
  });
});

describe('decideLocaleRedirect', () => {
  const load = (pathname: string, headers: Record<string, string> = {}, method = 'GET', search = '') =>
    decideLocaleRedirect({ method, pathname, search, headers });
  it('sends an unprefixed document load to the chosen language, keeping the query', () => {
    expect(load('/', { cookie: 'NEXT_LOCALE=nn' })).toBe('/nn');
    expect(load('/kommune/0301', { cookie: 'NEXT_LOCALE=en', 'sec-fetch-dest': 'document' })).toBe('/en/kommune/0301');
    expect(load('/endringer', { cookie: 'NEXT_LOCALE=en' }, 'GET', '?kommune=0301')).toBe('/en/endringer?kommune=0301');
    expect(load('/ops', { cookie: 'NEXT_LOCALE=en' }, 'HEAD')).toBe('/en/ops');
  });
  it('leaves bokmål, no choice, prefixed paths and embeds where they are', () => {
    expect(load('/', {})).toBeNull();
    expect(load('/', { cookie: 'NEXT_LOCALE=nb' })).toBeNull();
    expect(load('/nn/kommune/0301', { cookie: 'NEXT_LOCALE=en' })).toBeNull();
    expect(load('/en', { cookie: 'NEXT_LOCALE=nn' })).toBeNull();
    expect(load('/embed/kommune/0301', { cookie: 'NEXT_LOCALE=en' })).toBeNull();
  });
  it('never redirects other methods, files or the client router’s data requests', () => {
    expect(load('/ops', { cookie: 'NEXT_LOCALE=en' }, 'POST')).toBeNull();
    expect(load('/municipality-map.json', { cookie: 'NEXT_LOCALE=en' })).toBeNull();
    expect(load('/_next/static/chunks/a', { cookie: 'NEXT_LOCALE=en' })).toBeNull();
    expect(load('/', { cookie: 'NEXT_LOCALE=en', rsc: '1' })).toBeNull();
    expect(load('/', { cookie: 'NEXT_LOCALE=en', 'next-action': 'x' })).toBeNull();
    expect(load('/', { cookie: 'NEXT_LOCALE=en', 'sec-fetch-dest': 'iframe' })).toBeNull();
  });
});
