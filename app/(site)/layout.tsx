import Link from 'next/link';
import type { ReactNode } from 'react';

export default function SiteLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <a className="skip-link" href="#main">Hopp til innholdet</a>
      <header className="site-header">
        <Link href="/" className="brand">Valgvakt</Link>
        <span className="site-header__election">Kommunestyrevalget 2023</span>
      </header>
      <main id="main">{children}</main>
      <footer className="site-footer">
        <p>Tall fra kommunenes opptelling, slik de er mottatt. Foreløpige tall kan bli korrigert.</p>
        <p><Link href="/endringer">Endringslogg</Link>: alle mottatte tall, korrigeringer og merknader.</p>
      </footer>
    </>
  );
}
