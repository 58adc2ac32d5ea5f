import type { Metadata } from 'next';
import { EmbeddedMap } from '../../_components/embedded-map.tsx';
import { getSnapshot, publicSidecarUrl } from '../../_data/sidecar.ts';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Kart over kommunene: status i opptellingen' };

export default async function EmbeddedMapPage() {
  return <EmbeddedMap initial={await getSnapshot()} sidecarUrl={publicSidecarUrl()} />;
}
