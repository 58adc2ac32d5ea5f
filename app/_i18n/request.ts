// next-intl's request configuration (next.config.js names this file): the catalogue of the page's language,
// and Norwegian time for every reader, since the night happens in Norway.
import { hasLocale } from 'next-intl';
import { getRequestConfig } from 'next-intl/server';
import { DEFAULT_LOCALE } from '../../lib/i18n/locale.ts';
import { routing } from './routing.ts';

export default getRequestConfig(async ({ requestLocale }) => {
  const requested = await requestLocale;
  const locale = hasLocale(routing.locales, requested) ? requested : DEFAULT_LOCALE;
  return {
    locale,
    messages: (await import(`../../messages/${locale}.json`)).default,
    timeZone: 'Europe/Oslo',
  };
});
