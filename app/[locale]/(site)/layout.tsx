import { getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { ElectionProvider } from '../../_components/election-context.tsx';
import { LanguageSwitch } from '../../_components/language-switch.tsx';
import { findElectionInfo } from '../../_data/sidecar.ts';
import { Link } from '../../_i18n/navigation.ts';

export default async function SiteLayout({ children }: { children: ReactNode }) {
  const election = await findElectionInfo();
  const t = await getTranslations('site');
  return (
    <ElectionProvider election={election}>
      <a className="skip-link" href="#main">{t('skipToContent')}</a>
      <header className="site-header">
        <Link href="/" className="brand">Valgvakt</Link>
        {election ? <span className="site-header__election" data-testid="election-name">{election.name}</span> : null}
        <LanguageSwitch />
      </header>
      <main id="main">{children}</main>
      <footer className="site-footer">
        <p>{t('footerSource')}</p>
        <p>{t.rich('footerChanges', { link: (chunks) => <Link href="/endringer">{chunks}</Link> })}</p>
      </footer>
    </ElectionProvider>
  );
}
