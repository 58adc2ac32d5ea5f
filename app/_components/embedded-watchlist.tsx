'use client';
// Embed: counting progress in the municipalities watched after 2023's slow night, live, worst first.
import { useMemo } from 'react';
import type { Snapshot } from '../../lib/contracts/live.ts';
import { formatInteger, formatShare } from '../../lib/format.ts';
import { useLiveOverview } from '../_hooks/use-live-views.ts';
import { ProgressBar } from './progress-bar.tsx';
import { StatusBadge } from './status-badge.tsx';

export function EmbeddedWatchlist({ initial, sidecarUrl }: { initial: Snapshot; sidecarUrl: string | null }) {
  const { state, connection } = useLiveOverview(initial, sidecarUrl);
  const watched = useMemo(
    () => state.municipalities.filter((m) => m.watch).toSorted((a, b) => a.countedShare - b.countedShare || a.name.localeCompare(b.name, 'nb')),
    [state.municipalities],
  );
  return (
    <article className="embed-card" aria-labelledby="embed-heading" data-connection={connection}>
      <h1 id="embed-heading" className="embed-card__title">Opptelling i kommunene som kom sent i 2023</h1>
      <div className="table-scroll" tabIndex={0}>
        <table className="data-table watch-embed-table">
          <caption className="visually-hidden">Andel opptalt i {watched.length} kommuner, minst opptalt først</caption>
          <thead>
            <tr>
              <th scope="col">Kommune</th>
              <th scope="col">Status</th>
              <th scope="col">Opptalt</th>
            </tr>
          </thead>
          <tbody>
            {watched.map((m) => (
              <tr key={m.number} data-municipality={m.number}>
                <th scope="row"><a href={`/kommune/${m.number}`} target="_blank" rel="noopener">{m.name}</a></th>
                <td><StatusBadge summary={m} /></td>
                <td className="num">
                  <span>{formatShare(m.countedShare)}</span>
                  <span className="sub">{formatInteger(m.districtsReported)} av {formatInteger(m.districtsTotal)} kretser</span>
                  <ProgressBar share={m.countedShare} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="embed-card__source">Kilde: kommunenes opptelling via <a href="/" target="_blank" rel="noopener">Valgvakt</a></p>
    </article>
  );
}
