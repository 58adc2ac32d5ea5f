import type { Metadata } from 'next';
import { Link } from '../../../../_i18n/navigation.ts';
import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { ExportLinks } from '../../../../_components/export-links.tsx';
import { LiveCounty } from '../../../../_components/live-county.tsx';
import { findCountyDetail, publicSidecarUrl } from '../../../../_data/sidecar.ts';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ number: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { number } = await params;
  const detail = /^\d{2}$/.test(number) ? await findCountyDetail(number) : null;
  const t = await getTranslations('countyPage');
  return { title: detail ? t('title', { name: detail.county.name }) : t('notFoundTitle') };
}

export default async function CountyPage({ params }: Params) {
  const { number } = await params;
  if (!/^\d{2}$/.test(number)) notFound();
  const detail = await findCountyDetail(number);
  if (!detail) notFound();
  const t = await getTranslations('countyPage');
  return (
    <>
      <nav aria-label={t('breadcrumbs')} className="breadcrumbs"><Link href="/">{t('allMunicipalities')}</Link> / {detail.county.name}</nav>
      <h1>{detail.county.name} <span className="muted">{t('countyNumber', { number: detail.county.number })}</span></h1>
      <LiveCounty initial={detail} sidecarUrl={publicSidecarUrl()} />
      <ExportLinks scope={{ kind: 'county', number: detail.county.number }} sidecarUrl={publicSidecarUrl()} />
    </>
  );
}
