import type { Metadata } from 'next';
import { getPathname, Link } from '../../../_i18n/navigation.ts';
import { getLocale, getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { formatClock, formatDateTime } from '../../../../lib/format.ts';
import { DEFAULT_LOCALE, isLocale } from '../../../../lib/i18n/locale.ts';
import { ExportLinks } from '../../../_components/export-links.tsx';
import { findRevisionsBefore, getSnapshot, publicSidecarUrl } from '../../../_data/sidecar.ts';

// Server-rendered per request and without client JavaScript (but the export links): a record to read, not a live view.
export const dynamic = 'force-dynamic';
export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('changes');
  return { title: t('title') };
}

const SHOWN = 200;

/** `?kommune=NNNN` filters by municipality; `?eldre=SEQ` pages back to the changes before that one. */
function readQuery(params: Record<string, string | string[] | undefined>): { municipality?: string; before?: number } {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const kommune = one(params.kommune);
  const eldre = one(params.eldre);
  return {
    ...(kommune && /^\d{4}$/.test(kommune) ? { municipality: kommune } : {}),
    ...(eldre && /^\d{1,15}$/.test(eldre) && Number(eldre) > 0 ? { before: Number(eldre) } : {}),
  };
}

function pageHref(query: { municipality?: string; before?: number }): string {
  const params = new URLSearchParams();
  if (query.municipality) params.set('kommune', query.municipality);
  if (query.before) params.set('eldre', String(query.before));
  const search = params.toString();
  return search ? `/endringer?${search}` : '/endringer';
}

export default async function RevisionLogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = readQuery(await searchParams);
  const locale = await getLocale();
  const lang = isLocale(locale) ? locale : DEFAULT_LOCALE;
  const [page, snapshot] = await Promise.all([findRevisionsBefore({ ...query, limit: SHOWN, lang }), getSnapshot()]);
  if (!page) notFound();
  const { revisions, nextBefore } = page;
  const t = await getTranslations('changes');
  const municipalities = snapshot.municipalities.toSorted((a, b) => a.name.localeCompare(b.name, 'nb'));
  const chosen = query.municipality ? municipalities.find((m) => m.number === query.municipality) : undefined;
  const scope = chosen ? t('scopeFor', { name: chosen.name }) : '';
  return (
    <>
      <h1>{t('heading', { scope })}</h1>
      <p className="lead">
        {t('lead')}
      </p>
      <form className="filters revision-filter" method="get" action={getPathname({ href: '/endringer', locale })} aria-label={t('filterLabel')}>
        <label className="field">
          {t('municipality')}
          <select name="kommune" defaultValue={query.municipality ?? ''}>
            <option value="">{t('allMunicipalities')}</option>
            {municipalities.map((m) => <option key={m.number} value={m.number}>{m.name} ({m.number})</option>)}
          </select>
        </label>
        <button type="submit" className="button">{t('show')}</button>
      </form>
      <section className="panel" aria-labelledby="revisions-caption">
        <div className="table-scroll" tabIndex={0}>
          <table className="data-table revision-table" aria-labelledby="revisions-caption">
            <caption id="revisions-caption">
              {t(query.before ? 'captionOlder' : 'captionLatest', { count: revisions.length, scope })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('time')}</th>
                <th scope="col">{t('municipality')}</th>
                <th scope="col">{t('change')}</th>
                <th scope="col">{t('by')}</th>
              </tr>
            </thead>
            <tbody>
              {revisions.map((r) => (
                <tr key={r.seq} data-seq={r.seq}>
                  <td className="nowrap"><time dateTime={r.at} title={formatClock(r.at, lang)}>{formatDateTime(r.at, lang)}</time></td>
                  <td>{r.municipality ? <Link href={`/kommune/${r.municipality}`}>{r.municipalityName ?? r.municipality}</Link> : '–'}</td>
                  <td className="revision-table__change">{r.description}</td>
                  <td>{actorName(r.actor, t)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {revisions.length === 0 ? <p>{t('none')}</p> : null}
        <nav className="pager" aria-label={t('pager')}>
          {query.before ? <Link href={pageHref({ municipality: query.municipality })}>{t('newest')}</Link> : null}
          {nextBefore !== null ? <Link href={pageHref({ municipality: query.municipality, before: nextBefore })}>{t('older')}</Link> : null}
        </nav>
      </section>
      <ExportLinks scope={chosen ? { kind: 'municipality', number: chosen.number } : { kind: 'national' }} sidecarUrl={publicSidecarUrl()} />
    </>
  );
}

/** The log's actors in words: ingest tokens are the municipality's counting system, the monitor is Valgvakt. */
function actorName(actor: string, t: (key: 'actorAuthorities' | 'actorIngest' | 'actorSystem') => string): string {
  if (actor === 'valgmyndighetene') return t('actorAuthorities');
  if (actor.startsWith('ingest:')) return t('actorIngest');
  if (actor.startsWith('system:')) return t('actorSystem');
  return actor;
}
