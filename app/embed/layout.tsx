import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { EmbedHeight } from '../_components/embed-height.tsx';

export const metadata: Metadata = { robots: { index: false } };

// No site chrome: an embed is one chart with its table and a source line, sized to its content.
export default function EmbedLayout({ children }: { children: ReactNode }) {
  return (
    <main id="main" className="embed">
      {children}
      <EmbedHeight />
    </main>
  );
}
