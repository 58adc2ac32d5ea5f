import { describe, expect, it } from 'vitest';
import {
  PUBLIC_PAGE_CACHE_CONTROL, PUBLIC_PAGE_VARY, SNAPSHOT_CACHE_CONTROL, addScriptHashes, chooseContentCoding, classifyFreshness,
  computeCodingEtag, computePageCacheKey, decidePageCaching, isPublicPagePath, isShareableStatus, listInlineScripts,
  matchesIfNoneMatch, normalizePageQuery, selectSharedHeaders,
} from './page-cache.ts';

describe('isPublicPagePath', () => {
  it.each([
    ['/', true], ['/kommune/0301', true], ['/fylke/03', true], ['/endringer', true], ['/embed/kommune/0301', true], ['/embed/folges', true],
    ['/ops', false], ['/ops/logg-inn', false], ['/api/x', false], ['/_next/static/a.js', false], ['/kommune/0301/x', false],
    ['/kommune', false], ['/endringer/x', false], ['/something', false],
    // Nynorsk and English copies are public pages of their own; /nb/… only redirects.
    ['/nn', true], ['/en/', true], ['/nn/kommune/0301', true], ['/en/fylke/03', true], ['/en/endringer', true], ['/nn/embed/kart', true],
    ['/en/ops', false], ['/nn/ops/logg-inn', false], ['/nb/kommune/0301', false], ['/nb', false], ['/nnx', false],
  ])('%s → %s', (path, expected) => {
    expect(isPublicPagePath(path)).toBe(expected);
  });
});

describe('decidePageCaching', () => {
  const get = (pathname: string, headers: Record<string, string> = {}, method = 'GET') => decidePageCaching({ method, pathname, headers });
  it('shares document loads of public pages, GET and HEAD', () => {
    expect(get('/')).toBe('shared');
    expect(get('/kommune/0301', {}, 'HEAD')).toBe('shared');
    // A visitor's cookie does not make the public page personal: the shared render never sees it.
    expect(get('/', { cookie: 'valgvakt-ops=abc' })).toBe('shared');
  });
  it('passes the console, other methods, and Next.js data requests', () => {
    expect(get('/ops')).toBe('pass');
    expect(get('/', {}, 'POST')).toBe('pass');
    expect(get('/', { rsc: '1' })).toBe('pass');
    expect(get('/kommune/0301', { 'next-router-prefetch': '1' })).toBe('pass');
    expect(get('/', { 'next-action': 'abc' })).toBe('pass');
  });
});

describe('computePageCacheKey', () => {
  it('keys on scheme, host (case-insensitive), path and the query parameters the page reads, sorted', () => {
    const a = computePageCacheKey({ https: false, host: 'Valg.Example.no', pathname: '/endringer', search: '?kommune=0301&eldre=5&x=1' });
    expect(a).toBe('http://valg.example.no/endringer?eldre=5&kommune=0301');
    expect(computePageCacheKey({ https: false, host: 'valg.example.no', pathname: '/endringer', search: '?eldre=5&kommune=0301' })).toBe(a);
    expect(computePageCacheKey({ https: true, host: 'valg.example.no', pathname: '/endringer', search: '?eldre=5&kommune=0301' })).not.toBe(a);
    // Each language is its own copy, and reads the same parameters.
    expect(computePageCacheKey({ https: false, host: 'valg.example.no', pathname: '/en/endringer', search: '?x=1&kommune=0301' })).toBe('http://valg.example.no/en/endringer?kommune=0301');
    expect(computePageCacheKey({ https: false, host: 'h', pathname: '/', search: '' })).toBe('http://h/');
  });

  it('ignores parameters a page does not read, so made-up queries share one entry', () => {
    expect(computePageCacheKey({ https: false, host: 'h', pathname: '/', search: '?bench=1' })).toBe('http://h/');
    expect(normalizePageQuery('/kommune/0301', '?utm_source=x')).toBe('');
    expect(normalizePageQuery('/endringer', '?eldre=9&eldre=10&foo=1')).toBe('?eldre=9');
  });
});

describe('classifyFreshness', () => {
  it.each([[0, 'fresh'], [999, 'fresh'], [1000, 'stale'], [10_999, 'stale'], [11_000, 'expired']] as const)('%i ms → %s', (age, expected) => {
    expect(classifyFreshness(age, { freshMs: 1000, staleMs: 10_000 })).toBe(expected);
  });
});

describe('matchesIfNoneMatch', () => {
  const tags = ['"h"', '"h-gzip"', '"h-br"'];
  it('matches any coding of the same body, weak or strong, and *', () => {
    expect(matchesIfNoneMatch('"h-gzip"', tags)).toBe(true);
    expect(matchesIfNoneMatch('W/"h"', tags)).toBe(true);
    expect(matchesIfNoneMatch('"x", "h-br"', tags)).toBe(true);
    expect(matchesIfNoneMatch('*', tags)).toBe(true);
  });
  it('does not match another body or no header', () => {
    expect(matchesIfNoneMatch('"g"', tags)).toBe(false);
    expect(matchesIfNoneMatch(undefined, tags)).toBe(false);
  });
});

describe('chooseContentCoding', () => {
  it.each([
    [undefined, 'identity'], ['', 'identity'], ['gzip, deflate, br', 'br'], ['gzip', 'gzip'], ['br;q=0, gzip', 'gzip'],
    ['gzip;q=0', 'identity'], ['*', 'br'], ['identity', 'identity'], ['GZIP', 'gzip'],
  ] as const)('%s → %s', (header, expected) => {
    expect(chooseContentCoding(header)).toBe(expected);
  });
  it('tags each coding of one body differently', () => {
    expect(new Set((['identity', 'gzip', 'br'] as const).map((c) => computeCodingEtag('abc', c))).size).toBe(3);
    expect(computeCodingEtag('abc', 'identity')).toBe('"abc"');
  });
});

describe('listInlineScripts', () => {
  it('lists inline scripts, not external ones or JSON data blocks', () => {
    const html = '<script src="/_next/a.js" async=""></script><script>self.__next_f=[]</script>'
      + '<script type="application/json">{"a":1}</script><SCRIPT type="module">go()</SCRIPT><script>\n</script>';
    expect(listInlineScripts(html)).toEqual(['self.__next_f=[]', 'go()', '\n']);
  });
});

describe('addScriptHashes', () => {
  it('adds each hash once to script-src only', () => {
    const policy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'";
    expect(addScriptHashes(policy, ['a=', 'b=', 'a='])).toBe("default-src 'self'; script-src 'self' 'sha256-a=' 'sha256-b='; style-src 'self' 'unsafe-inline'");
  });
});

describe('selectSharedHeaders', () => {
  it('keeps the type and security headers, drops cookies and everything per request', () => {
    const kept = selectSharedHeaders({
      'content-type': 'text/html; charset=utf-8', 'set-cookie': ['a=b'], 'content-security-policy': "script-src 'self'",
      'cache-control': 'private, no-cache, no-store', 'x-nextjs-cache': 'MISS', date: 'now', 'x-frame-options': 'DENY', vary: 'RSC',
    });
    expect(kept).toEqual({ 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "script-src 'self'", 'x-frame-options': 'DENY' });
  });
});

describe('cache policies', () => {
  it('lets shared caches hold public pages briefly, never browsers', () => {
    expect(PUBLIC_PAGE_CACHE_CONTROL).toBe('public, max-age=0, s-maxage=3, stale-while-revalidate=10');
    expect(SNAPSHOT_CACHE_CONTROL).toBe('public, max-age=2, s-maxage=2, stale-while-revalidate=10');
    expect(PUBLIC_PAGE_VARY).toContain('Accept-Encoding');
    expect(PUBLIC_PAGE_VARY).toContain('RSC');
  });
  it('shares pages and missing pages, not errors or redirects', () => {
    expect([200, 404, 500, 307, 304].map(isShareableStatus)).toEqual([true, true, false, false, false]);
  });
});
