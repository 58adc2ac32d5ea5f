import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { EmbeddedMap } from '../../../_components/embedded-map.tsx';
import { getSnapshot, publicSidecarUrl } from '../../../_data/sidecar.ts';

export const dynamic = 'force-dynamic';
export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('embed');
  return { title: t('mapTitle') };
}

export default async function EmbeddedMapPage() {
  return <EmbeddedMap initial={await getSnapshot()} sidecarUrl={publicSidecarUrl()} />;
}
