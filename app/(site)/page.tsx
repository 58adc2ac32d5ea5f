import { ExportLinks } from '../_components/export-links.tsx';
import { LiveOverview } from '../_components/live-overview.tsx';
import { getSnapshot, publicSidecarUrl } from '../_data/sidecar.ts';

// Rendered per request from the sidecar's current snapshot, then kept live over the socket.
export const dynamic = 'force-dynamic';

export default async function OverviewPage() {
  const snapshot = await getSnapshot();
  return (
    <>
      <h1>Valgresultater direkte</h1>
      <LiveOverview initial={snapshot} sidecarUrl={publicSidecarUrl()} />
      <ExportLinks scope={{ kind: 'national' }} sidecarUrl={publicSidecarUrl()} />
    </>
  );
}
