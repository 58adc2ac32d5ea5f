import type { Metadata, Viewport } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { findElectionInfo } from './_data/sidecar.ts';
import './globals.css';

// The title names the election the sidecar serves (its package), so changing ELECTION_ID needs no rebuild.
export async function generateMetadata(): Promise<Metadata> {
  await connection();
  const election = await findElectionInfo();
  return {
    title: { default: election ? `Valgvakt – ${election.name}` : 'Valgvakt', template: '%s – Valgvakt' },
    description: 'Valgresultater direkte: hvor mye som er talt i hver kommune, og hvilke kommuner som ligger etter.',
  };
}

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

// Only the document: the site's header and footer live in app/(site)/layout.tsx, so embeds (app/embed/)
// render without them.
export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders on demand, the 404 included: the console with proxy.ts's fresh CSP nonce on its
  // scripts (a prerendered page's scripts would be refused), the public pages once for everyone through
  // the web server's shared render, their inline scripts allowed by hash (lib/page-cache.ts).
  await connection();
  return (
    <html lang="nb">
      <body>{children}</body>
    </html>
  );
}
