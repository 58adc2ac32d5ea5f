import Link from 'next/link';
import type { MunicipalitySummary } from '../../lib/contracts/live.ts';
import { formatAge, formatClockShort, formatInteger, formatShare } from '../../lib/format.ts';
import { ProgressBar } from './progress-bar.tsx';
import { PublicNote } from './public-note.tsx';
import { StatusBadge } from './status-badge.tsx';

/** `now` (the sidecar's clock, simulated during a replay) adds "12 min siden" to the last result's time. */
export function MunicipalityTable({ rows, caption, id, now }: { rows: MunicipalitySummary[]; caption: string; id: string; now?: Date | null }) {
  return (
    <div className="table-scroll">
      <table className="data-table municipality-table" aria-labelledby={`${id}-caption`}>
        <caption id={`${id}-caption`}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Kommune</th>
            <th scope="col" className="hide-narrow">Fylke</th>
            <th scope="col">Status</th>
            <th scope="col">Kretser</th>
            <th scope="col">Opptalt</th>
            <th scope="col" className="hide-narrow">Sist resultat</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => (
            <tr key={m.number} data-municipality={m.number}>
              <th scope="row">
                <Link href={`/kommune/${m.number}`}>{m.name}</Link>
                <PublicNote note={m.publicNote} className="public-note--compact" />
              </th>
              <td className="hide-narrow">{m.countyName}</td>
              <td><StatusBadge summary={m} /></td>
              <td className="num" data-testid="districts">
                <span>{formatInteger(m.districtsReported)} av {formatInteger(m.districtsTotal)}</span>
                <ProgressBar share={m.districtsTotal ? m.districtsReported / m.districtsTotal : 0} tone="district" />
              </td>
              <td className="num" data-testid="counted">
                <span>{formatShare(m.countedShare)}</span>
                <span className="sub">{formatInteger(m.ballotsCounted)} stemmer</span>
                <ProgressBar share={m.countedShare} />
              </td>
              <td className="hide-narrow">
                {m.lastResultAt ? <time dateTime={m.lastResultAt}>{formatClockShort(m.lastResultAt)}</time> : '–'}
                {m.lastResultAt && now ? <span className="sub">{formatAge(m.lastResultAt, now)}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
