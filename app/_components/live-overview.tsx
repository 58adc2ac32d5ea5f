'use client';
import { useMemo, useState } from 'react';
import { ZSnapshot, type MunicipalitySummary, type OverviewDelta, type Snapshot } from '../../lib/contracts/live.ts';
import { mergeByKey } from '../../lib/domain/delta.ts';
import { formatInteger, formatShare } from '../../lib/format.ts';
import { useLiveState } from '../_hooks/use-live-state.ts';
import { useServerNow } from '../_hooks/use-server-now.ts';
import { LazyPartyChart } from './lazy-charts.tsx';
import { LiveStatus } from './live-status.tsx';
import { MunicipalityTable } from './municipality-table.tsx';
import { PartyTable } from './party-table.tsx';
import { ProgressBar } from './progress-bar.tsx';

function applyOverviewDelta(state: Snapshot, delta: OverviewDelta): Snapshot {
  return {
    ...state,
    seq: delta.seq,
    clock: delta.clock,
    national: delta.national,
    municipalities: mergeByKey(state.municipalities, delta.municipalities, (m) => m.number),
  };
}

function latestResultAt(municipalities: MunicipalitySummary[]): string | null {
  return municipalities.reduce<string | null>((latest, m) => (m.lastResultAt && (!latest || m.lastResultAt > latest) ? m.lastResultAt : latest), null);
}

export function LiveOverview({ initial, sidecarUrl }: { initial: Snapshot; sidecarUrl: string | null }) {
  const { state, connection, updatedAt, clockAnchor } = useLiveState<Snapshot, OverviewDelta>({
    initial,
    sidecarUrl,
    subscribe: (socket, onDelta) => {
      socket.on('overview:updated', onDelta);
      return () => socket.off('overview:updated', onDelta);
    },
    resync: async (_socket, url) => {
      const response = await fetch(`${url}/api/v1/snapshot`, { cache: 'no-store' });
      if (!response.ok) throw new Error(`snapshot ${response.status}`);
      return ZSnapshot.parse(await response.json());
    },
    apply: applyOverviewDelta,
  });
  const [query, setQuery] = useState('');
  // Ages tick on the sidecar's clock; the tables need not tick every second.
  const now = useServerNow(clockAnchor, 15_000);
  const { national, municipalities } = state;
  const watchlist = useMemo(() => municipalities.filter((m) => m.watch), [municipalities]);
  const filtered = useMemo(() => {
    const q = query.trim().toLocaleLowerCase('nb');
    if (!q) return municipalities;
    return municipalities.filter((m) => m.name.toLocaleLowerCase('nb').includes(q) || m.number.startsWith(q) || m.countyName.toLocaleLowerCase('nb').includes(q));
  }, [municipalities, query]);

  return (
    <>
      <LiveStatus connection={connection} updatedAt={updatedAt} clockAnchor={clockAnchor} dataAt={latestResultAt(municipalities)} />
      <section aria-labelledby="national-heading" className="panel">
        <h2 id="national-heading">Hele landet</h2>
        <dl className="key-figures">
          <div>
            <dt>Opptalt</dt>
            <dd data-testid="national-share">{formatShare(national.countedShare)}</dd>
            <ProgressBar share={national.countedShare} />
          </div>
          <div>
            <dt>Stemmer talt</dt>
            <dd data-testid="national-ballots">{formatInteger(national.ballotsCounted)}</dd>
          </div>
          <div>
            <dt>Kommuner ferdig</dt>
            <dd data-testid="national-complete">{formatInteger(national.municipalitiesComplete)} av {formatInteger(national.municipalitiesTotal)}</dd>
          </div>
          <div>
            <dt>Kretser rapportert</dt>
            <dd>{formatInteger(national.districtsReported)} av {formatInteger(national.districtsTotal)}</dd>
          </div>
        </dl>
        <div className="results-grid">
          <LazyPartyChart parties={national.parties} label="Partienes oppslutning i alle opptalte kommuner" />
          <PartyTable parties={national.parties} caption="Oppslutning i alle opptalte kommuner" />
        </div>
      </section>
      <section aria-labelledby="watch-heading" className="panel">
        <h2 id="watch-heading">Følges spesielt ({watchlist.length})</h2>
        <p className="lead">Kommunene der resultatene kom sent fram valgnatten 2023.</p>
        <MunicipalityTable rows={watchlist} caption="Kommuner som følges spesielt" id="watchlist" now={now} />
      </section>
      <section aria-labelledby="all-heading" className="panel">
        <h2 id="all-heading">Alle kommuner</h2>
        <label className="search">
          Søk etter kommune, nummer eller fylke
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
        </label>
        <MunicipalityTable rows={filtered} caption={`Alle kommuner (${filtered.length} vist)`} id="all" now={now} />
      </section>
    </>
  );
}
