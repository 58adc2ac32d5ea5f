import { useTranslations } from 'next-intl';
import { usePageLocale } from '../_i18n/use-page-locale.ts';
import { Link } from '../_i18n/navigation.ts';
import type { MunicipalitySummary } from '../../lib/contracts/live.ts';
import type { SortKey } from '../../lib/domain/municipality-query.ts';
import { formatAge, formatClockShort, formatInteger, formatShare } from '../../lib/format.ts';
import { partyColor } from './party-colors.ts';
import { ProgressBar } from './progress-bar.tsx';
import { PublicNote } from './public-note.tsx';
import { StateLine } from './state-line.tsx';
import { StatusBadge } from './status-badge.tsx';

export interface TableSort {
  key: SortKey;
  descending: boolean;
  onSort: (key: SortKey) => void;
}

/** A column header; sortable ones are buttons that say their order (aria-sort) to screen readers. */
function Header({ label, sortKey, sort, className }: { label: string; sortKey?: SortKey; sort?: TableSort; className?: string }) {
  if (!sort || !sortKey) return <th scope="col" className={className}>{label}</th>;
  const active = sort.key === sortKey;
  return (
    <th scope="col" className={className} aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="sort-button" onClick={() => sort.onSort(sortKey)} data-sort={sortKey}>
        {label}<span aria-hidden="true" className="sort-button__arrow">{active ? (sort.descending ? ' ▼' : ' ▲') : ' ↕'}</span>
      </button>
    </th>
  );
}

/** `now` (the sidecar's clock, simulated during a replay) adds "12 min siden" to the last result's time. */
export function MunicipalityTable({ rows, caption, id, now, sort }: { rows: MunicipalitySummary[]; caption: string; id: string; now?: Date | null; sort?: TableSort }) {
  const t = useTranslations('table');
  const locale = usePageLocale();
  return (
    <div className="table-scroll" tabIndex={0}>
      <table className="data-table municipality-table" aria-labelledby={`${id}-caption`} id={`${id}-table`}>
        <caption id={`${id}-caption`}>{caption}</caption>
        <thead>
          <tr>
            <Header label={t('municipality')} sortKey="name" sort={sort} />
            <Header label={t('county')} sortKey="county" sort={sort} className="hide-medium" />
            <Header label={t('status')} sortKey="state" sort={sort} className="hide-narrow" />
            <Header label={t('counted')} sortKey="counted" sort={sort} />
            <Header label={t('largest')} sortKey="leader" sort={sort} className="hide-narrow" />
            <Header label={t('lastResult')} sortKey="lastResult" sort={sort} className="hide-medium" />
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => (
            <tr key={m.number} data-municipality={m.number}>
              <th scope="row">
                <Link href={`/kommune/${m.number}`}>{m.name}</Link>
                {/* On a phone the state goes under the name: three columns do not fit 360 px. */}
                <span className="show-narrow">{now ? <StateLine summary={m} now={now} /> : <StatusBadge summary={m} />}</span>
                <PublicNote note={m.publicNote} className="public-note--compact" />
              </th>
              <td className="hide-medium"><Link href={`/fylke/${m.countyNumber}`}>{m.countyName}</Link></td>
              <td className="hide-narrow">{now ? <StateLine summary={m} now={now} /> : <StatusBadge summary={m} />}</td>
              <td className="num" data-testid="counted">
                <span>{formatShare(m.countedShare, locale)}</span>
                <span className="sub">{t('votes', { count: formatInteger(m.ballotsCounted, locale) })}</span>
                <span className="sub" data-testid="districts">{t('districtsPublished', { part: formatInteger(m.districtsReported, locale), total: formatInteger(m.districtsTotal, locale) })}</span>
                {m.districtsCountedLocally > m.districtsReported ? (
                  <span className="sub sub--warn" data-testid="counted-locally">{t('countedLocally', { count: formatInteger(m.districtsCountedLocally, locale) })}</span>
                ) : null}
                <ProgressBar share={m.countedShare} />
              </td>
              <td className="hide-narrow" data-testid="leader">
                {m.leadingParty ? (
                  <><span className="party-swatch" style={{ background: partyColor(m.leadingParty.code) }} aria-hidden="true" />{m.leadingParty.name} <span className="sub">{formatShare(m.leadingParty.share, locale)}</span></>
                ) : '–'}
              </td>
              <td className="hide-medium">
                {m.lastResultAt ? <time dateTime={m.lastResultAt}>{formatClockShort(m.lastResultAt, locale)}</time> : '–'}
                {m.lastResultAt && now ? <span className="sub">{formatAge(m.lastResultAt, now, locale)}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
