'use client';
// Embed: one municipality's party results (chart and table), live, with how much is counted and whether
// the numbers are provisional, and a link back to the full page.
import type { MunicipalityDetail } from '../../lib/contracts/live.ts';
import { formatClockShort, formatInteger, formatShare } from '../../lib/format.ts';
import { useLiveMunicipality } from '../_hooks/use-live-views.ts';
import { LazyPartyChart } from './lazy-charts.tsx';
import { PartyTable } from './party-table.tsx';

export function EmbeddedMunicipality({ initial, sidecarUrl }: { initial: MunicipalityDetail; sidecarUrl: string | null }) {
  const { state, connection } = useLiveMunicipality(initial, sidecarUrl);
  const m = state.municipality;
  const seats = new Map(state.seats.lists.map((l) => [l.code, l.seats]));
  return (
    <article className="embed-card" aria-labelledby="embed-heading" data-connection={connection}>
      <h1 id="embed-heading" className="embed-card__title">{m.name}: kommunestyrevalget 2023</h1>
      <p className="embed-card__meta" data-testid="embed-counted">
        {formatShare(m.countedShare)} opptalt · {formatInteger(m.ballotsCounted)} stemmer
        {state.seats.provisional ? ' · foreløpige tall' : ' · endelig opptalt'}
        {m.lastResultAt ? <> · sist oppdatert kl. <time dateTime={m.lastResultAt}>{formatClockShort(m.lastResultAt)}</time></> : null}
      </p>
      <LazyPartyChart parties={state.parties} label={`Partienes oppslutning i ${m.name}`} />
      <details className="embed-card__table">
        <summary>Vis som tabell</summary>
        <PartyTable parties={state.parties} seats={seats} caption={`Oppslutning og mandater i ${m.name}${state.seats.provisional ? ' (foreløpig)' : ''}`} />
      </details>
      <p className="embed-card__source">Kilde: kommunenes opptelling via <a href={`/kommune/${m.number}`} target="_blank" rel="noopener">Valgvakt</a></p>
    </article>
  );
}
