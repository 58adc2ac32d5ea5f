import type { PartyResult } from '../../lib/contracts/live.ts';
import { formatInteger, formatPoints, formatShare } from '../../lib/format.ts';
import { useElection } from './election-context.tsx';

/** The party results as a table: the chart's text alternative, and useful on its own. */
export function PartyTable({ parties, caption, seats }: { parties: PartyResult[]; caption: string; seats?: ReadonlyMap<string, number> }) {
  const comparisonYear = useElection()?.comparisonYear;
  return (
    <div className="table-scroll" tabIndex={0}>
      <table className="data-table party-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Parti</th>
            {/* On a phone the share and the change matter more than the raw count, which gives way. */}
            <th scope="col" className="num party-table__votes">Stemmer</th>
            <th scope="col" className="num">Andel</th>
            <th scope="col" className="num"><abbr title={comparisonYear ? `Endring i prosentpoeng siden valget i ${comparisonYear}` : 'Endring i prosentpoeng'}>Endring</abbr></th>
            {/* On a phone the seats panel below lists the seats; here share and change keep the width. */}
            {seats ? <th scope="col" className="num hide-narrow">Mandater</th> : null}
          </tr>
        </thead>
        <tbody>
          {parties.map((p) => (
            <tr key={p.code} data-party={p.code}>
              <th scope="row">{p.name}</th>
              <td className="num party-table__votes">{formatInteger(p.votes)}</td>
              <td className="num">{formatShare(p.share)}</td>
              <td className="num" data-testid="party-change">
                {p.change === null ? <span title={p.previousShare === null ? (comparisonYear ? `Stilte ikke liste i ${comparisonYear}` : 'Ingen tall å sammenligne med') : 'Ingen stemmer talt ennå'}>–</span> : (
                  <span className={p.change > 0 ? 'change change--up' : p.change < 0 ? 'change change--down' : 'change'}>{formatPoints(p.change)}<span className="visually-hidden"> prosentpoeng</span></span>
                )}
              </td>
              {seats ? <td className="num hide-narrow">{formatInteger(seats.get(p.code) ?? 0)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
