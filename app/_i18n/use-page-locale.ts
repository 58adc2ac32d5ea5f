// The page's language as the lib/ helpers take it (formats, reasons, turnout and source sentences).
import { useLocale } from 'next-intl';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../../lib/i18n/locale.ts';

export function usePageLocale(): Locale {
  const locale = useLocale();
  return isLocale(locale) ? locale : DEFAULT_LOCALE;
}
