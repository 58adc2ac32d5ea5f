import type { Metadata, Viewport } from 'next';
import { hasLocale } from 'next-intl';
import { getTranslations, setRequestLocale } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { localizePath } from '../../lib/locale-routing.ts';
import { findElectionInfo } from '../_data/sidecar.ts';
import { ClientMessages, PUBLIC_CLIENT_NAMESPACES } from '../_i18n/client-messages.tsx';
import { routing } from '../_i18n/routing.ts';
import '../globals.css';

type Props = { children: ReactNode; params: Promise<{ locale: string }> };

// The title names the election the sidecar serves (its package), so changing ELECTION_ID needs no rebuild.
export async function generateMetadata({ params }: Omit<Props, 'children'>): Promise<Metadata> {
  await connection();
  const { locale } = await params;
  const t = await getTranslations({ locale: hasLocale(routing.locales, locale) ? locale : routing.defaultLocale, namespace: 'meta' });
  const election = await findElectionInfo();
  return {
    title: { default: election ? `Valgvakt – ${election.name}` : 'Valgvakt', template: '%s – Valgvakt' },
    description: t('description'),
    // Each language's front page names the others (hreflang), relative to the site's own host.
    alternates: { languages: Object.fromEntries(routing.locales.map((l) => [l, localizePath('/', l)])) },
  };
}

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

// Only the document, in the page's language: the site's header and footer live in
// app/[locale]/(site)/layout.tsx, so embeds (app/[locale]/embed/) render without them.
export default async function RootLayout({ children, params }: Props) {
  // Every page renders on demand, the 404 included: the console with proxy.ts's fresh CSP nonce on its
  // scripts (a prerendered page's scripts would be refused), the public pages once for everyone through
  // the web server's shared render, their inline scripts allowed by hash (lib/page-cache.ts).
  await connection();
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  setRequestLocale(locale);
  return (
    <html lang={locale}>
      <body>
        <ClientMessages namespaces={PUBLIC_CLIENT_NAMESPACES}>{children}</ClientMessages>
      </body>
    </html>
  );
}
