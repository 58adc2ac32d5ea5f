import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { EmbedHeight } from '../../_components/embed-height.tsx';
import { LanguageSwitch } from '../../_components/language-switch.tsx';
import { ElectionProvider } from '../../_components/election-context.tsx';
import { findElectionInfo } from '../../_data/sidecar.ts';

export const metadata: Metadata = { robots: { index: false } };

// No site chrome: an embed is one chart with its table and a source line, sized to its content.
export default async function EmbedLayout({ children }: { children: ReactNode }) {
  const election = await findElectionInfo();
  return (
    <ElectionProvider election={election}>
      <main id="main" className="embed">
        {children}
        {/* An embed's language is its URL's: switching here never sets the reader's cookie on the newsroom's page. */}
        <LanguageSwitch remember={false} className="language-switch--small" />
        <EmbedHeight />
      </main>
    </ElectionProvider>
  );
}
