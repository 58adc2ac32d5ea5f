import type { PartyResult } from '../../lib/contracts/live.ts';
import { formatInteger, formatShare } from '../../lib/format.ts';

/** The party results as a table: the chart's text alternative, and useful on its own. */
export function PartyTable({ parties, caption }: { parties: PartyResult[]; caption: string }) {
  return (
    <div className="table-scroll">
    <table className="data-table party-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Parti</th>
          <th scope="col" className="num">Stemmer</th>
          <th scope="col" className="num">Andel</th>
        </tr>
      </thead>
      <tbody>
        {parties.map((p) => (
          <tr key={p.code} data-party={p.code}>
            <th scope="row">{p.name}</th>
            <td className="num">{formatInteger(p.votes)}</td>
            <td className="num">{formatShare(p.share)}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}
