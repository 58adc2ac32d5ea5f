import type { Metadata } from 'next';
import { Link } from '../../../../_i18n/navigation.ts';
import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { ExportLinks } from '../../../../_components/export-links.tsx';
import { LiveMunicipality } from '../../../../_components/live-municipality.tsx';
import { findMunicipalityDetail, publicSidecarUrl } from '../../../../_data/sidecar.ts';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ number: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { number } = await params;
  const detail = /^\d{4}$/.test(number) ? await findMunicipalityDetail(number) : null;
  const t = await getTranslations('municipalityPage');
  return { title: detail ? `${detail.municipality.name} (${number})` : t('notFoundTitle') };
}

export default async function MunicipalityPage({ params }: Params) {
  const { number } = await params;
  if (!/^\d{4}$/.test(number)) notFound();
  const detail = await findMunicipalityDetail(number);
  if (!detail) notFound();
  const m = detail.municipality;
  const t = await getTranslations('municipalityPage');
  return (
    <>
      <nav aria-label={t('breadcrumbs')} className="breadcrumbs"><Link href="/">{t('allMunicipalities')}</Link> / <Link href={`/fylke/${m.countyNumber}`}>{m.countyName}</Link> / {m.name}</nav>
      <h1>{m.name} <span className="muted">{m.number} · {m.countyName}</span></h1>
      <LiveMunicipality initial={detail} sidecarUrl={publicSidecarUrl()} />
      <ExportLinks scope={{ kind: 'municipality', number: m.number }} sidecarUrl={publicSidecarUrl()} />
    </>
  );
}
