import { useTranslations } from 'next-intl';
import type { ReactNode } from 'react';
import type { CouncilSeats } from '../../lib/contracts/live.ts';
import { formatInteger } from '../../lib/format.ts';
import { usePageLocale } from '../_i18n/use-page-locale.ts';

/** Seats per list and how close each is to winning or losing one: the seat chart's text alternative. */
export function SeatTable({ seats, caption }: { seats: CouncilSeats; caption: string }) {
  const t = useTranslations('seats');
  const locale = usePageLocale();
  const nameOf = new Map(seats.lists.map((l) => [l.code, l.name]));
  const sub = (chunks: ReactNode) => <span className="sub">{chunks}</span>;
  return (
    <div className="table-scroll" tabIndex={0}>
      <table className="data-table seat-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('party')}</th>
            <th scope="col" className="num">{t('seats')}</th>
            <th scope="col">{t('toNext')}</th>
            <th scope="col">{t('marginLast')}</th>
          </tr>
        </thead>
        <tbody>
          {seats.lists.map((l) => (
            <tr key={l.code} data-party={l.code}>
              <th scope="row">{l.name}</th>
              <td className="num" data-testid="seats">{formatInteger(l.seats, locale)}</td>
              <td>
                {l.votesToNextSeat === null ? '–' : t.rich('nextSeat', {
                  count: l.votesToNextSeat, votes: formatInteger(l.votesToNextSeat, locale), party: nameOf.get(l.nextSeatFrom ?? '') ?? l.nextSeatFrom ?? '', sub,
                })}
              </td>
              <td>
                {l.votesToSpareOnLastSeat === null ? '–' : l.lastSeatTo ? t.rich('lastSeat', {
                  count: l.votesToSpareOnLastSeat, votes: formatInteger(l.votesToSpareOnLastSeat, locale), party: nameOf.get(l.lastSeatTo) ?? l.lastSeatTo, sub,
                }) : t('lastSeatAlone', { count: l.votesToSpareOnLastSeat, votes: formatInteger(l.votesToSpareOnLastSeat, locale) })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
