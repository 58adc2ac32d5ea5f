import { getTranslations } from 'next-intl/server';
import { computeFirstScreen } from '../../../lib/domain/first-screen.ts';
import { ExportLinks } from '../../_components/export-links.tsx';
import { LiveOverview } from '../../_components/live-overview.tsx';
import { getSnapshot, publicSidecarUrl } from '../../_data/sidecar.ts';

// Rendered from the sidecar's current snapshot (once for everyone, scripts/web-server.ts), carrying only
// the first screen (lib/domain/first-screen.ts); the live socket brings the rest and keeps it current.
export const dynamic = 'force-dynamic';

export default async function OverviewPage() {
  const snapshot = await getSnapshot();
  const t = await getTranslations('overview');
  return (
    <>
      <h1>{t('heading')}</h1>
      <LiveOverview initial={computeFirstScreen(snapshot)} sidecarUrl={publicSidecarUrl()} />
      <ExportLinks scope={{ kind: 'national' }} sidecarUrl={publicSidecarUrl()} />
    </>
  );
}
