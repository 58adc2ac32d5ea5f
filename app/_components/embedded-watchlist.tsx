'use client';
// Embed: counting progress in the municipalities on the watchlist (operators edit it), live, worst first.
import { useMemo } from 'react';
import type { Snapshot } from '../../lib/contracts/live.ts';
import { formatInteger, formatShare } from '../../lib/format.ts';
import { useLiveOverview } from '../_hooks/use-live-views.ts';
import { ProgressBar } from './progress-bar.tsx';
import { PublicNote } from './public-note.tsx';
import { StateLine } from './state-line.tsx';
import { useServerNow } from '../_hooks/use-server-now.ts';
import { orderWatchlist } from '../../lib/domain/night-status.ts';
import { inSentence } from './election-context.tsx';
import { SourceLine, SourceWarning } from './source-line.tsx';

export function EmbeddedWatchlist({ initial, sidecarUrl }: { initial: Snapshot; sidecarUrl: string | null }) {
  const { state, connection, clockAnchor } = useLiveOverview(initial, sidecarUrl);
  const now = useServerNow(clockAnchor, 15_000);
  // The same order as the overview's: those behind first, worst first; finished ones last.
  const watched = useMemo(() => orderWatchlist(state.municipalities), [state.municipalities]);
  return (
    <article className="embed-card" aria-labelledby="embed-heading" data-connection={connection}>
      <h1 id="embed-heading" className="embed-card__title">Opptelling i kommunene som følges spesielt: {inSentence(state.election.name)}</h1>
      <SourceWarning source={state.source} now={now} />
      <div className="table-scroll" tabIndex={0}>
        <table className="data-table watch-embed-table">
          <caption className="visually-hidden">Opptelling i {watched.length} kommuner, de som henger etter først</caption>
          <thead>
            <tr>
              <th scope="col">Kommune</th>
              <th scope="col" className="hide-narrow">Status</th>
              <th scope="col">Opptalt</th>
            </tr>
          </thead>
          <tbody>
            {watched.map((m) => (
              <tr key={m.number} data-municipality={m.number}>
                <th scope="row">
                  <a href={`/kommune/${m.number}`} target="_blank" rel="noopener">{m.name}</a>
                  <span className="show-narrow"><StateLine summary={m} now={now} /></span>
                  <PublicNote note={m.publicNote} className="public-note--compact" />
                </th>
                <td className="hide-narrow"><StateLine summary={m} now={now} /></td>
                <td className="num">
                  <span>{formatShare(m.countedShare)}</span>
                  <span className="sub">{formatInteger(m.districtsReported)} av {formatInteger(m.districtsTotal)} kretser publisert</span>
                  {m.districtsCountedLocally > m.districtsReported ? <span className="sub sub--warn">{formatInteger(m.districtsCountedLocally)} talt lokalt</span> : null}
                  <ProgressBar share={m.countedShare} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <SourceLine source={state.source} now={now} compact warning={false} />
      <p className="embed-card__source">Via <a href="/" target="_blank" rel="noopener">Valgvakt</a></p>
    </article>
  );
}
