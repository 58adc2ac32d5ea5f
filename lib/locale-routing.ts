// Which language a path is in, and where a reader who chose another language is sent. Bokmål keeps the
// published unprefixed paths (`/`, `/kommune/0301`, `/embed/…`, `/ops`); nynorsk and English live under
// `/nn/…` and `/en/…`. A reader's choice is the NEXT_LOCALE cookie, set by the language switch; since the
// public pages are one shared copy per URL (lib/page-cache.ts), the cookie never changes a page, it only
// redirects an unprefixed document load to the prefixed URL, privately, before any cache answers.
import { DEFAULT_LOCALE, LOCALES, isLocale, type Locale } from './i18n/locale.ts';

/** The cookie holding the reader's chosen language (next-intl's default name). */
export const LOCALE_COOKIE = 'NEXT_LOCALE';
/** A year: the choice outlives the election night. */
export const LOCALE_COOKIE_MAX_AGE_S = 365 * 24 * 3600;

const PREFIXED = new RegExp(`^/(${LOCALES.join('|')})(?=/|$)`);

export interface LocalePath {
  locale: Locale;
  /** The path without its language prefix (`/` for a language's front page). */
  path: string;
  /** True when the path carried a prefix (`/nb/…` too, which is redirected to the unprefixed path). */
  prefixed: boolean;
}

export function splitLocalePath(pathname: string): LocalePath {
  const match = PREFIXED.exec(pathname);
  const locale = match?.[1];
  if (!isLocale(locale)) return { locale: DEFAULT_LOCALE, path: pathname, prefixed: false };
  return { locale, path: pathname.slice(locale.length + 1) || '/', prefixed: true };
}

/** The URL of a path in a language: bokmål unprefixed, the others under their prefix. */
export function localizePath(path: string, locale: Locale): string {
  if (locale === DEFAULT_LOCALE) return path;
  return path === '/' ? `/${locale}` : `/${locale}${path.startsWith('/') ? path : `/${path}`}`;
}

/** Embeds take their language from their URL (the newsroom's snippet), never from a reader's cookie. */
export function isEmbedPath(path: string): boolean {
  return path === '/embed' || path.startsWith('/embed/');
}

/** The chosen language in a Cookie header, or null when none (or an unknown one) is set. */
export function readLocaleCookie(cookieHeader: string | undefined): Locale | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const [name, ...value] = part.split('=');
    if (name?.trim() !== LOCALE_COOKIE) continue;
    const locale = value.join('=').trim();
    return isLocale(locale) ? locale : null;
  }
  return null;
}

export interface LocaleRequestFacts {
  method: string;
  pathname: string;
  /** The query string with its `?`, or ''. */
  search: string;
  /** Lower-case header names. */
  headers: Record<string, string | string[] | undefined>;
}

const ROUTER_HEADERS = ['rsc', 'next-router-state-tree', 'next-router-prefetch', 'next-router-segment-prefetch', 'next-action'];

/**
 * Where an unprefixed document load goes for a reader whose cookie names nynorsk or English (a private
 * 307; the caller must not cache it), or null to serve the URL as asked. Only page loads: not files, not
 * the client router's data requests, not embeds, not a path that already names its language.
 */
export function decideLocaleRedirect(request: LocaleRequestFacts): string | null {
  if (request.method !== 'GET' && request.method !== 'HEAD') return null;
  const { prefixed, path } = splitLocalePath(request.pathname);
  if (prefixed || isEmbedPath(path) || path.startsWith('/_next/') || /\.[^/]*$/.test(path)) return null;
  if (ROUTER_HEADERS.some((name) => request.headers[name] !== undefined)) return null;
  const destination = request.headers['sec-fetch-dest'];
  if (destination !== undefined && destination !== 'document') return null;
  const cookie = request.headers.cookie;
  const chosen = readLocaleCookie(Array.isArray(cookie) ? cookie.join('; ') : cookie);
  if (chosen === null || chosen === DEFAULT_LOCALE) return null;
  return `${localizePath(path, chosen)}${request.search}`;
}
