import { useTranslations } from 'next-intl';
import type { CouncilSeats } from '../../lib/contracts/live.ts';
import { SEATS_MIN_COUNTED_SHARE } from '../../lib/domain/municipality.ts';
import { formatInteger, formatShare } from '../../lib/format.ts';
import { usePageLocale } from '../_i18n/use-page-locale.ts';
import { LazySeatChart } from './lazy-charts.tsx';
import { SeatTable } from './seat-table.tsx';

/** Council seats on the votes counted so far, clearly provisional until the final count. */
export function SeatsPanel({ seats, municipalityName, enoughCounted }: { seats: CouncilSeats; municipalityName: string; enoughCounted: boolean }) {
  const t = useTranslations('seats');
  const tc = useTranslations('common');
  const locale = usePageLocale();
  const nameOf = new Map(seats.lists.map((l) => [l.code, l.name]));
  const heading = (
    <h2 id="seats-heading">
      {t.rich('heading', { size: formatInteger(seats.councilSize, locale), muted: (chunks) => <span className="muted">{chunks}</span> })}
    </h2>
  );
  if (!enoughCounted) {
    return (
      <section className="panel" aria-labelledby="seats-heading">
        {heading}
        <p className="provisional-note" data-testid="seats-status">
          {t('tooEarly', { share: formatShare(SEATS_MIN_COUNTED_SHARE, locale) })}
        </p>
      </section>
    );
  }
  return (
    <section className="panel" aria-labelledby="seats-heading">
      {heading}
      <p className={seats.provisional ? 'provisional-note' : 'lead'} data-testid="seats-status">
        {seats.provisional ? t('provisional') : t('final')}
        {' '}{t('method')}
      </p>
      {seats.drawnByLot.length > 0 ? (
        <p className="provisional-note" role="note">
          {t('drawnByLot', { parties: seats.drawnByLot.map((code) => nameOf.get(code) ?? code).join(` ${t('and')} `) })}
        </p>
      ) : null}
      {/* The table's margins need the width: chart above, table below. */}
      <LazySeatChart seats={seats} label={t('label', { name: municipalityName })} />
      <SeatTable seats={seats} caption={`${t('label', { name: municipalityName })}${seats.provisional ? tc('provisionalSuffix') : ''}`} />
    </section>
  );
}
