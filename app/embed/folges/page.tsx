import type { Metadata } from 'next';
import { EmbeddedWatchlist } from '../../_components/embedded-watchlist.tsx';
import { getSnapshot, publicSidecarUrl } from '../../_data/sidecar.ts';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Opptelling i kommunene som følges spesielt' };

export default async function EmbeddedWatchlistPage() {
  return <EmbeddedWatchlist initial={await getSnapshot()} sidecarUrl={publicSidecarUrl()} />;
}
