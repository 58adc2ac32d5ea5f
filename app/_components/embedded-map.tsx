'use client';
// Embed: the status map, live, with its text alternative; links open the site in a new tab.
import type { Snapshot } from '../../lib/contracts/live.ts';
import { useLiveOverview } from '../_hooks/use-live-views.ts';
import { useServerNow } from '../_hooks/use-server-now.ts';
import { StatusMapSection } from './status-map-section.tsx';
import { SourceLine, SourceWarning } from './source-line.tsx';

export function EmbeddedMap({ initial, sidecarUrl }: { initial: Snapshot; sidecarUrl: string | null }) {
  const { state, connection, clockAnchor } = useLiveOverview(initial, sidecarUrl);
  const now = useServerNow(clockAnchor, 15_000);
  return (
    <article className="embed-card" aria-labelledby="embed-heading" data-connection={connection}>
      <h1 id="embed-heading" className="embed-card__title">Opptellingen i kommunene</h1>
      <SourceWarning source={state.source} now={now} />
      <StatusMapSection municipalities={state.municipalities} now={now} label="Kart over kommunene, fargelagt etter status" leaderMode linkTarget="_blank" listHeading="h2" />
      <SourceLine source={state.source} now={now} compact warning={false} />
      <p className="embed-card__source">Via <a href="/" target="_blank" rel="noopener">Valgvakt</a>. Kommunegrenser: FemtiGram/kart (inndelingen fra 2024).</p>
    </article>
  );
}
