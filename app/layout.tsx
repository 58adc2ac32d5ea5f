import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Valgvakt – Kommunestyrevalget 2023', template: '%s – Valgvakt' },
  description: 'Valgresultater direkte: hvor mye som er talt i hver kommune, og hvilke kommuner som ligger etter.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="nb">
      <body>
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
      </body>
    </html>
  );
}
