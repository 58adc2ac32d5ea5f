import type { CouncilSeats } from '../../lib/contracts/live.ts';
import { SEATS_MIN_COUNTED_SHARE } from '../../lib/domain/municipality.ts';
import { formatInteger, formatShare } from '../../lib/format.ts';
import { LazySeatChart } from './lazy-charts.tsx';
import { SeatTable } from './seat-table.tsx';

/** Council seats on the votes counted so far, clearly provisional until the final count. */
export function SeatsPanel({ seats, municipalityName, enoughCounted }: { seats: CouncilSeats; municipalityName: string; enoughCounted: boolean }) {
  const nameOf = new Map(seats.lists.map((l) => [l.code, l.name]));
  const heading = <h2 id="seats-heading">Kommunestyret <span className="muted">({formatInteger(seats.councilSize)} representanter)</span></h2>;
  if (!enoughCounted) {
    return (
      <section className="panel" aria-labelledby="seats-heading">
        {heading}
        <p className="provisional-note" data-testid="seats-status">
          For tidlig å si. Mandatfordelingen vises når forhåndsstemmene og minst {formatShare(SEATS_MIN_COUNTED_SHARE)} av
          de ventede stemmene er talt: før det sier den mer om hvilke kretser som kom først enn om resultatet.
        </p>
      </section>
    );
  }
  return (
    <section className="panel" aria-labelledby="seats-heading">
      {heading}
      <p className={seats.provisional ? 'provisional-note' : 'lead'} data-testid="seats-status">
        {seats.provisional
          ? 'Foreløpig fordeling ut fra stemmene som er talt så langt. Den kan endre seg til alt er endelig opptalt.'
          : 'Fordelingen på endelig opptalte stemmer.'}
        {' '}Mandatene er beregnet etter Sainte-Laguës modifiserte metode (første deler 1,4) på partienes stemmetall; det offisielle valgoppgjøret bruker listestemmetall med slengere, og kan avvike i jevne tilfeller.
      </p>
      {seats.drawnByLot.length > 0 ? (
        <p className="provisional-note" role="note">
          Stemmelikt om siste mandat mellom {seats.drawnByLot.map((code) => nameOf.get(code) ?? code).join(' og ')}: det avgjøres ved loddtrekning.
        </p>
      ) : null}
      {/* The table's margins need the width: chart above, table below. */}
      <LazySeatChart seats={seats} label={`Mandater i ${municipalityName}`} />
      <SeatTable seats={seats} caption={`Mandater i ${municipalityName}${seats.provisional ? ' (foreløpig)' : ''}`} />
    </section>
  );
}
