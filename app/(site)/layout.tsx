import Link from 'next/link';
import type { ReactNode } from 'react';
import { ElectionProvider } from '../_components/election-context.tsx';
import { findElectionInfo } from '../_data/sidecar.ts';

export default async function SiteLayout({ children }: { children: ReactNode }) {
  const election = await findElectionInfo();
  return (
    <ElectionProvider election={election}>
      <a className="skip-link" href="#main">Hopp til innholdet</a>
      <header className="site-header">
        <Link href="/" className="brand">Valgvakt</Link>
        {election ? <span className="site-header__election" data-testid="election-name">{election.name}</span> : null}
      </header>
      <main id="main">{children}</main>
      <footer className="site-footer">
        <p>Tall fra kommunenes opptelling, slik de er mottatt. Foreløpige tall kan bli korrigert.</p>
        <p><Link href="/endringer">Endringslogg</Link>: alle mottatte tall, korrigeringer og merknader.</p>
      </footer>
    </ElectionProvider>
  );
}
