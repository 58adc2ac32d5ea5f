import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { ClientMessages, PUBLIC_CLIENT_NAMESPACES, SIGN_IN_CLIENT_NAMESPACES } from '../../../_i18n/client-messages.tsx';

// Staff pages: kept out of search engines (they are behind sign-in anyway).
export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('ops');
  return { title: { default: t('title'), template: t('titleTemplate') }, robots: { index: false, follow: false } };
}

export default function OpsLayout({ children }: { children: ReactNode }) {
  return <ClientMessages namespaces={[...PUBLIC_CLIENT_NAMESPACES, ...SIGN_IN_CLIENT_NAMESPACES]}>{children}</ClientMessages>;
}
