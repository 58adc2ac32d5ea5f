import type { Metadata, Viewport } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Valgvakt – Kommunestyrevalget 2023', template: '%s – Valgvakt' },
  description: 'Valgresultater direkte: hvor mye som er talt i hver kommune, og hvilke kommuner som ligger etter.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

// Only the document: the site's header and footer live in app/(site)/layout.tsx, so embeds (app/embed/)
// render without them.
export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request, the 404 included: Next.js puts proxy.ts's fresh CSP nonce on its
  // scripts only then (a prerendered page's scripts would be refused).
  await connection();
  return (
    <html lang="nb">
      <body>{children}</body>
    </html>
  );
}
