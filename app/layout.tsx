import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Valgvakt – Kommunestyrevalget 2023', template: '%s – Valgvakt' },
  description: 'Valgresultater direkte: hvor mye som er talt i hver kommune, og hvilke kommuner som ligger etter.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

// Only the document: the site's header and footer live in app/(site)/layout.tsx, so embeds (app/embed/)
// render without them.
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="nb">
      <body>{children}</body>
    </html>
  );
}
