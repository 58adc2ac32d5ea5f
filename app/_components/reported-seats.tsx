import type { ReportedSeats } from '../../lib/contracts/seats.ts';
import { formatDateTime, formatInteger } from '../../lib/format.ts';

function ReportedSeatsTable({ seats }: { seats: ReportedSeats }) {
  const levelling = seats.lists.some((l) => l.levelling > 0);
  return (
    <div className="table-scroll" tabIndex={0}>
      <table className="data-table" data-area={seats.area}>
        <caption>
          Mandater {seats.area === 'national' ? 'i hele landet' : `i ${seats.areaName}`}, {seats.final ? 'endelige' : 'foreløpige'}:{' '}
          {formatInteger(seats.total)} fordelt, slik {seats.source} rapporterte dem {formatDateTime(seats.reportedAt)}
        </caption>
        <thead>
          <tr>
            <th scope="col">Parti</th>
            <th scope="col" className="num">Mandater</th>
            {levelling ? <th scope="col" className="num">Herav utjevning</th> : null}
          </tr>
        </thead>
        <tbody>
          {seats.lists.map((l) => (
            <tr key={l.code} data-party={l.code}>
              <th scope="row">{l.name}</th>
              <td className="num" data-testid="reported-seats">{formatInteger(l.seats)}</td>
              {levelling ? <td className="num">{formatInteger(l.levelling)}</td> : null}
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
  const main = seats.find((s) => (area === 'national' ? s.area === 'national' : s.area === area.county));
  const counties = area === 'national' ? seats.filter((s) => s.area !== 'national') : [];
  const where = area === 'national' ? 'hele landet' : area.name;
  return (
    <section className="panel" aria-labelledby={headingId} data-testid="reported-seats-panel">
      <h2 id={headingId}>Mandater</h2>
      <p className="lead">
        Valgvakt beregner ikke mandatene i dette valget (distrikts- og utjevningsmandater avhenger av hele landets
        stemmer). De vises slik kilden rapporterer dem.
      </p>
      {main ? <ReportedSeatsTable seats={main} /> : <p data-testid="reported-seats-none">Ingen mandater rapportert for {where} ennå.</p>}
      {counties.length > 0 ? (
        <details className="reported-seats-counties">
          <summary>Mandater per fylke ({formatInteger(counties.length)} rapportert)</summary>
          {counties.map((s) => <ReportedSeatsTable key={s.area} seats={s} />)}
        </details>
      ) : null}
    </section>
  );
}
