import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ExportLinks } from '../../../_components/export-links.tsx';
import { LiveCounty } from '../../../_components/live-county.tsx';
import { findCountyDetail, publicSidecarUrl } from '../../../_data/sidecar.ts';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ number: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { number } = await params;
  const detail = /^\d{2}$/.test(number) ? await findCountyDetail(number) : null;
  return { title: detail ? `${detail.county.name} fylke` : 'Fant ikke fylket' };
}

export default async function CountyPage({ params }: Params) {
  const { number } = await params;
  if (!/^\d{2}$/.test(number)) notFound();
  const detail = await findCountyDetail(number);
  if (!detail) notFound();
  return (
    <>
      <nav aria-label="Brødsmuler" className="breadcrumbs"><Link href="/">Alle kommuner</Link> / {detail.county.name}</nav>
      <h1>{detail.county.name} <span className="muted">fylke {detail.county.number}</span></h1>
      <LiveCounty initial={detail} sidecarUrl={publicSidecarUrl()} />
      <ExportLinks scope={{ kind: 'county', number: detail.county.number }} sidecarUrl={publicSidecarUrl()} />
    </>
  );
}
