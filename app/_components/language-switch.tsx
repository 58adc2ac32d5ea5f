'use client';
// The visible language switch (bokmål · nynorsk · English): links to the same page in each language. On the
// site and the console the choice is remembered in the NEXT_LOCALE cookie, which the web server turns into
// a private redirect of later unprefixed visits (lib/locale-routing.ts); embeds never set it, since their
// language is their URL's. A page served from a shared cache in front that ignores the cookie is corrected
// here too: a reader who chose nynorsk or English and lands on a bokmål page is sent to their language.
import { useLocale, useTranslations } from 'next-intl';
import { useEffect } from 'react';
import { DEFAULT_LOCALE, LOCALES, isLocale, type Locale } from '../../lib/i18n/locale.ts';
import { LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE_S, localizePath, readLocaleCookie } from '../../lib/locale-routing.ts';
import { usePathname } from '../_i18n/navigation.ts';

/** Each language's own name, in that language. */
const NAMES: Record<Locale, string> = { nb: 'Bokmål', nn: 'Nynorsk', en: 'English' };

function rememberLocale(locale: Locale): void {
  document.cookie = `${LOCALE_COOKIE}=${locale}; path=/; max-age=${LOCALE_COOKIE_MAX_AGE_S}; samesite=lax`;
}

/**
 * `remember={false}` is the embed's switch: it sets no cookie, and it is a labelled group rather than a
 * navigation landmark, since an embed's landmarks join the newsroom page's own list for screen readers.
 */
export function LanguageSwitch({ remember = true, className }: { remember?: boolean; className?: string }) {
  const t = useTranslations('languageSwitch');
  const current = useLocale();
  // Without the language prefix: `/kommune/0301` on /nn/kommune/0301 as on /kommune/0301.
  const path = usePathname();
  useEffect(() => {
    if (!remember || current !== DEFAULT_LOCALE) return;
    const chosen = readLocaleCookie(document.cookie);
    if (chosen !== null && chosen !== DEFAULT_LOCALE) window.location.replace(`${localizePath(window.location.pathname, chosen)}${window.location.search}`);
  }, [remember, current]);
  const Container = remember ? 'nav' : 'div';
  return (
    <Container role={remember ? undefined : 'group'} aria-label={t('label')} className={`language-switch${className ? ` ${className}` : ''}`}>
      <ul>
        {LOCALES.map((locale) => (
          <li key={locale}>
            <a
              href={localizePath(path, locale)}
              hrefLang={locale}
              lang={locale}
              aria-current={isLocale(current) && current === locale ? 'true' : undefined}
              onClick={remember ? () => rememberLocale(locale) : undefined}
            >
              {NAMES[locale]}
            </a>
          </li>
        ))}
      </ul>
    </Container>
  );
}
