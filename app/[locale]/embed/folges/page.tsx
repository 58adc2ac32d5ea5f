import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { EmbeddedWatchlist } from '../../../_components/embedded-watchlist.tsx';
import { getSnapshot, publicSidecarUrl } from '../../../_data/sidecar.ts';

export const dynamic = 'force-dynamic';
export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('embed');
  return { title: t('watchlistTitle') };
}

export default async function EmbeddedWatchlistPage() {
  return <EmbeddedWatchlist initial={await getSnapshot()} sidecarUrl={publicSidecarUrl()} />;
}
