import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { EmbeddedMunicipality } from '../../../../_components/embedded-municipality.tsx';
import { findMunicipalityDetail, publicSidecarUrl } from '../../../../_data/sidecar.ts';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ number: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { number } = await params;
  const detail = /^\d{4}$/.test(number) ? await findMunicipalityDetail(number) : null;
  const t = await getTranslations('embed');
  return { title: detail ? t('municipalityTitle', { name: detail.municipality.name }) : t('municipalityNotFound') };
}

export default async function EmbeddedMunicipalityPage({ params }: Params) {
  const { number } = await params;
  if (!/^\d{4}$/.test(number)) notFound();
  const detail = await findMunicipalityDetail(number);
  if (!detail) notFound();
  return <EmbeddedMunicipality initial={detail} sidecarUrl={publicSidecarUrl()} />;
}
