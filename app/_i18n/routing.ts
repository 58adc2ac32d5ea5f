// next-intl's routing, to match proxy.ts and lib/locale-routing.ts: bokmål at the published unprefixed
// paths, nynorsk and English under /nn and /en. No detection from Accept-Language or the cookie here: the
// unprefixed pages are one shared copy for everyone, and a reader's cookie redirects before any cache
// answers (scripts/web-server.ts, proxy.ts), so next-intl itself neither reads nor sets it.
import { defineRouting } from 'next-intl/routing';
import { DEFAULT_LOCALE, LOCALES } from '../../lib/i18n/locale.ts';

export const routing = defineRouting({
  locales: LOCALES,
  defaultLocale: DEFAULT_LOCALE,
  localePrefix: 'as-needed',
  localeDetection: false,
  localeCookie: false,
  // A Link header with absolute alternates would be cached with the shared copy; the pages name them in <head>.
  alternateLinks: false,
});
