import type { CouncilSeats } from '../../lib/contracts/live.ts';
import { formatInteger } from '../../lib/format.ts';

/** Seats per list and how close each is to winning or losing one: the seat chart's text alternative. */
export function SeatTable({ seats, caption }: { seats: CouncilSeats; caption: string }) {
  const nameOf = new Map(seats.lists.map((l) => [l.code, l.name]));
  return (
    <div className="table-scroll" tabIndex={0}>
      <table className="data-table seat-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Parti</th>
            <th scope="col" className="num">Mandater</th>
            <th scope="col">Til neste mandat</th>
            <th scope="col">Margin på siste mandat</th>
          </tr>
        </thead>
        <tbody>
          {seats.lists.map((l) => (
            <tr key={l.code} data-party={l.code}>
              <th scope="row">{l.name}</th>
              <td className="num" data-testid="seats">{formatInteger(l.seats)}</td>
              <td>
                {l.votesToNextSeat === null ? '–' : <>{formatInteger(l.votesToNextSeat)} stemmer <span className="sub">(fra {nameOf.get(l.nextSeatFrom ?? '') ?? l.nextSeatFrom})</span></>}
              </td>
              <td>
                {l.votesToSpareOnLastSeat === null ? '–' : <>{formatInteger(l.votesToSpareOnLastSeat)} stemmer {l.lastSeatTo ? <span className="sub">(ellers til {nameOf.get(l.lastSeatTo) ?? l.lastSeatTo})</span> : null}</>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
