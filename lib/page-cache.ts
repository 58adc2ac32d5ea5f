// Decisions for serving the public pages from a shared cache (the web process's own, and a CDN or nginx in
// front): which requests may be shared, under which key, how fresh an entry is, which of the rendered
// headers a shared copy may carry, and the Content-Security-Policy of a copy served to many visitors (it
// cannot hold a per-request nonce, so it names its inline scripts by hash). Pure: scripts/web-server.ts
// does the I/O (rendering, hashing, compressing) around it.
import { DEFAULT_LOCALE } from './i18n/locale.ts';
import { splitLocalePath } from './locale-routing.ts';

/** Shared caches hold a public page 3 s and may serve it 10 s more while fetching a fresh one; browsers revalidate. */
export const PUBLIC_PAGE_CACHE_CONTROL = 'public, max-age=0, s-maxage=3, stale-while-revalidate=10';
/** The sidecar's snapshot: browsers and shared caches alike may hold it 2 s (the live socket carries the rest). */
export const SNAPSHOT_CACHE_CONTROL = 'public, max-age=2, s-maxage=2, stale-while-revalidate=10';

/** How long the web process serves its own copy without re-rendering, and how long a stale one while it does. */
export const RENDER_FRESH_MS = 1000;
export const RENDER_STALE_MS = 10_000;
/** Distinct pages (paths with queries) kept; the oldest goes first. */
export const RENDER_CACHE_ENTRIES = 500;

/** Request headers a shared response varies on: Next.js answers the same URL with RSC data for client navigations. */
const NEXT_VARY = ['RSC', 'Next-Router-State-Tree', 'Next-Router-Prefetch', 'Next-Router-Segment-Prefetch'];
export const PUBLIC_PAGE_VARY = [...NEXT_VARY, 'Accept-Encoding'].join(', ');

const PUBLIC_PATHS = [/^\/$/, /^\/kommune\/[^/]+$/, /^\/fylke\/[^/]+$/, /^\/endringer$/, /^\/embed\/[^/]+(\/[^/]+)*$/];

/**
 * A public page in any language: bokmål at its published path, nynorsk and English under `/nn`, `/en`
 * (each language's copy is cached under its own URL). `/nb/…` is not a page: it redirects to the unprefixed path.
 */
export function isPublicPagePath(pathname: string): boolean {
  const { locale, path, prefixed } = splitLocalePath(pathname);
  if (prefixed && locale === DEFAULT_LOCALE) return false;
  return PUBLIC_PATHS.some((pattern) => pattern.test(path));
}

export interface PageRequestFacts {
  method: string;
  pathname: string;
  /** Lower-case header names. */
  headers: Record<string, string | string[] | undefined>;
}

/**
 * 'shared': a full document load of a public page, answered from the shared render (no cookie, nothing
 * personal). 'pass': everything else goes to Next.js as it is and is marked private.
 */
export function decidePageCaching(request: PageRequestFacts): 'shared' | 'pass' {
  if (request.method !== 'GET' && request.method !== 'HEAD') return 'pass';
  if (!isPublicPagePath(request.pathname)) return 'pass';
  // Client navigations, prefetches and server actions fetch RSC data, not the document.
  for (const name of ['rsc', 'next-router-state-tree', 'next-router-prefetch', 'next-router-segment-prefetch', 'next-action']) {
    if (request.headers[name] !== undefined) return 'pass';
  }
  return 'shared';
}

/** Query parameters a public page reads (app/(site)/endringer/page.tsx); every other one changes nothing. */
const PAGE_QUERY_PARAMS: Array<[RegExp, readonly string[]]> = [[/^\/endringer$/, ['kommune', 'eldre']]];

/**
 * The query the page is rendered with: only the parameters it reads, sorted, so `?x=1`, `?x=2`, … cannot
 * make a render each or push real pages out of the cache.
 */
export function normalizePageQuery(pathname: string, search: string): string {
  const { path } = splitLocalePath(pathname);
  const known = PAGE_QUERY_PARAMS.find(([pattern]) => pattern.test(path))?.[1] ?? [];
  const params = new URLSearchParams(search);
  const kept = new URLSearchParams();
  for (const name of [...known].sort()) {
    const value = params.get(name);
    if (value !== null) kept.set(name, value);
  }
  const query = kept.toString();
  return query ? `?${query}` : '';
}

/** One entry per page as the visitor's browser sees it: scheme and host shape the policy and the links. */
export function computePageCacheKey(page: { https: boolean; host: string; pathname: string; search: string }): string {
  return `${page.https ? 'https' : 'http'}://${page.host.toLowerCase()}${page.pathname}${normalizePageQuery(page.pathname, page.search)}`;
}

export type Freshness = 'fresh' | 'stale' | 'expired';

export function classifyFreshness(ageMs: number, limits: { freshMs: number; staleMs: number } = { freshMs: RENDER_FRESH_MS, staleMs: RENDER_STALE_MS }): Freshness {
  if (ageMs < limits.freshMs) return 'fresh';
  if (ageMs < limits.freshMs + limits.staleMs) return 'stale';
  return 'expired';
}

/** True when If-None-Match names the entity (any of its encodings' tags, weak or strong, or *). */
export function matchesIfNoneMatch(header: string | undefined, etags: readonly string[]): boolean {
  if (header === undefined) return false;
  const named = header.split(',').map((value) => value.trim().replace(/^W\//, ''));
  return named.includes('*') || named.some((tag) => etags.includes(tag));
}

export type ContentCoding = 'br' | 'gzip' | 'identity';

/** The best coding the client accepts (q > 0): brotli, then gzip, else none. */
export function chooseContentCoding(acceptEncoding: string | undefined): ContentCoding {
  if (!acceptEncoding) return 'identity';
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q ? Number(q.slice(2)) : 1;
    accepted.set(name.trim(), Number.isFinite(weight) ? weight : 0);
  }
  const allows = (name: string) => (accepted.get(name) ?? (accepted.get('*') ?? 0)) > 0;
  if (allows('br')) return 'br';
  if (allows('gzip')) return 'gzip';
  return 'identity';
}

/** A strong tag per coding of one body: a cache must not take a gzip body for the brotli one. */
export function computeCodingEtag(bodyHash: string, coding: ContentCoding): string {
  return coding === 'identity' ? `"${bodyHash}"` : `"${bodyHash}-${coding}"`;
}

/** The text of every inline script (no src) in a document, as the browser hashes it for CSP. */
export function listInlineScripts(html: string): string[] {
  const scripts: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const attributes = match[1] ?? '';
    if (/\ssrc\s*=/i.test(` ${attributes}`)) continue;
    const type = /\stype\s*=\s*["']?([^"'\s>]+)/i.exec(` ${attributes}`)?.[1]?.toLowerCase();
    // Data blocks (JSON) are not executed, so CSP does not govern them.
    if (type && type !== 'text/javascript' && type !== 'module' && type !== 'application/javascript') continue;
    scripts.push(match[2] ?? '');
  }
  return scripts;
}

/** Adds 'sha256-…' sources for the page's inline scripts to script-src (deduplicated, in order). */
export function addScriptHashes(policy: string, sha256Base64: readonly string[]): string {
  const sources = [...new Set(sha256Base64)].map((hash) => `'sha256-${hash}'`);
  return policy
    .split(/;\s*/)
    .map((directive) => (directive === 'script-src' || directive.startsWith('script-src ') ? [directive, ...sources].join(' ') : directive))
    .join('; ');
}

/** Response headers a shared copy keeps from the render: its type, its security headers and preload hints, nothing else. */
const KEPT_HEADERS = new Set([
  'content-type', 'content-security-policy', 'permissions-policy', 'strict-transport-security',
  'x-content-type-options', 'referrer-policy', 'x-frame-options', 'content-language', 'link',
]);

export function selectSharedHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (!KEPT_HEADERS.has(key) || value === undefined) continue;
    kept[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return kept;
}

/** Renders worth sharing: a page, or a page that does not exist (404 is the same for everyone). */
export function isShareableStatus(status: number): boolean {
  return status === 200 || status === 404;
}
