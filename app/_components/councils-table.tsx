import type { PartyCouncils } from '../../lib/contracts/live.ts';
import { formatInteger } from '../../lib/format.ts';

/** Per national party: councils where it is largest so far, and council seats it would have. */
export function CouncilsTable({ councils, caption }: { councils: PartyCouncils[]; caption: string }) {
  const rows = councils.filter((c) => c.councilsLed > 0 || c.seats > 0);
  return (
    <div className="table-scroll" tabIndex={0}>
      <table className="data-table councils-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Parti</th>
            <th scope="col" className="num">Størst i</th>
            <th scope="col" className="num">Mandater</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr><td colSpan={3}>Ingen stemmer talt ennå.</td></tr>
          ) : rows.map((c) => (
            <tr key={c.code} data-party={c.code}>
              <th scope="row">{c.name}</th>
              <td className="num" data-testid="councils-led">{formatInteger(c.councilsLed)}<span className="hide-narrow"> kommuner</span></td>
              <td className="num">{formatInteger(c.seats)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
