import { useTranslations } from 'next-intl';
import type { ReportedSeats } from '../../lib/contracts/seats.ts';
import { formatDateTime, formatInteger } from '../../lib/format.ts';
import { usePageLocale } from '../_i18n/use-page-locale.ts';

function ReportedSeatsTable({ seats }: { seats: ReportedSeats }) {
  const t = useTranslations('reportedSeats');
  const locale = usePageLocale();
  const levelling = seats.lists.some((l) => l.levelling > 0);
  return (
    <div className="table-scroll" tabIndex={0}>
      <table className="data-table" data-area={seats.area}>
        <caption>
          {t('caption', {
            area: seats.area === 'national' ? 'national' : 'county', name: seats.areaName, final: seats.final ? 'yes' : 'no',
            total: formatInteger(seats.total, locale), source: seats.source, time: formatDateTime(seats.reportedAt, locale),
          })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('party')}</th>
            <th scope="col" className="num">{t('seats')}</th>
            {levelling ? <th scope="col" className="num">{t('levelling')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {seats.lists.map((l) => (
            <tr key={l.code} data-party={l.code}>
              <th scope="row">{l.name}</th>
              <td className="num" data-testid="reported-seats">{formatInteger(l.seats, locale)}</td>
              {levelling ? <td className="num">{formatInteger(l.levelling, locale)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Seats of an election Valgvakt does not compute them for (the Storting): only as the source reported them,
 * with who and when, so no reader takes them for Valgvakt's own arithmetic.
 */
export function ReportedSeatsPanel({ seats, area, headingId }: { seats: readonly ReportedSeats[]; area: 'national' | { county: string; name: string }; headingId: string }) {
  const t = useTranslations('reportedSeats');
  const locale = usePageLocale();
  const main = seats.find((s) => (area === 'national' ? s.area === 'national' : s.area === area.county));
  const counties = area === 'national' ? seats.filter((s) => s.area !== 'national') : [];
  const where = area === 'national' ? { area: 'national', name: '' } : { area: 'county', name: area.name };
  return (
    <section className="panel" aria-labelledby={headingId} data-testid="reported-seats-panel">
      <h2 id={headingId}>{t('heading')}</h2>
      <p className="lead">{t('lead')}</p>
      {main ? <ReportedSeatsTable seats={main} /> : <p data-testid="reported-seats-none">{t('none', where)}</p>}
      {counties.length > 0 ? (
        <details className="reported-seats-counties">
          <summary>{t('perCounty', { count: formatInteger(counties.length, locale) })}</summary>
          {counties.map((s) => <ReportedSeatsTable key={s.area} seats={s} />)}
        </details>
      ) : null}
    </section>
  );
}
