'use client';
// A county: its municipalities live from the overview stream, and its roll-up (parties, change since 2019,
// councils led) re-read from the sidecar after a change in one of them.
import { useEffect, useState } from 'react';
import { ZCountyDetail, type CountyDetail, type OverviewDelta } from '../../lib/contracts/live.ts';
import { mergeByKey } from '../../lib/domain/delta.ts';
import { formatInteger, formatShare } from '../../lib/format.ts';
import { useLiveState } from '../_hooks/use-live-state.ts';
import { useServerNow } from '../_hooks/use-server-now.ts';
import { resolveSidecarUrl } from '../_lib/live-socket.ts';
import { CouncilsTable } from './councils-table.tsx';
import { LazyPartyChart } from './lazy-charts.tsx';
import { LiveStatus } from './live-status.tsx';
import { MunicipalityTable } from './municipality-table.tsx';
import { PartyTable } from './party-table.tsx';
import { ProgressBar } from './progress-bar.tsx';

type CountyState = CountyDetail & { totalsBehind: boolean };

async function fetchCounty(url: string, number: string): Promise<CountyDetail> {
  const response = await fetch(`${url}/api/v1/counties/${number}`, { cache: 'no-store' });
  if (!response.ok) throw new Error(`county ${response.status}`);
  return ZCountyDetail.parse(await response.json());
}

export function LiveCounty({ initial, sidecarUrl }: { initial: CountyDetail; sidecarUrl: string | null }) {
  const number = initial.county.number;
  const { state, connection, updatedAt, clockAnchor } = useLiveState<CountyState, OverviewDelta>({
    initial: { ...initial, totalsBehind: false },
    sidecarUrl,
    // Every overview delta moves the seq chain on; only ours change the table.
    subscribe: (socket, onDelta) => {
      socket.on('overview:updated', onDelta);
      return () => socket.off('overview:updated', onDelta);
    },
    resync: async (_socket, url) => ({ ...(await fetchCounty(url, number)), totalsBehind: false }),
    apply: (current, delta) => {
      const ours = delta.municipalities.filter((m) => m.countyNumber === number);
      return {
        ...current, seq: delta.seq, clock: delta.clock,
        municipalities: mergeByKey(current.municipalities, ours, (m) => m.number),
        totalsBehind: current.totalsBehind || ours.length > 0,
      };
    },
  });
  const [totals, setTotals] = useState(initial.totals);
  useEffect(() => {
    setTotals(state.totals);
  }, [state.totals]);
  useEffect(() => {
    if (!state.totalsBehind) return;
    // A burst of deltas becomes one read.
    const timer = setTimeout(() => {
      fetchCounty(resolveSidecarUrl(sidecarUrl), number).then((fresh) => setTotals(fresh.totals), () => undefined);
    }, 400);
    return () => clearTimeout(timer);
  }, [state.seq, state.totalsBehind, number, sidecarUrl]);
  const now = useServerNow(clockAnchor, 15_000);
  const latest = state.municipalities.reduce<string | null>((at, m) => (m.lastResultAt && (!at || m.lastResultAt > at) ? m.lastResultAt : at), null);
  return (
    <>
      <LiveStatus connection={connection} updatedAt={updatedAt} clockAnchor={clockAnchor} dataAt={latest} />
      <section className="panel" aria-labelledby="county-count-heading">
        <h2 id="county-count-heading">Opptelling</h2>
        <dl className="key-figures">
          <div>
            <dt>Opptalt</dt>
            <dd data-testid="county-share">{formatShare(totals.countedShare)}</dd>
            <ProgressBar share={totals.countedShare} />
          </div>
          <div>
            <dt>Stemmer talt</dt>
            <dd data-testid="county-ballots">{formatInteger(totals.ballotsCounted)}</dd>
          </div>
          <div>
            <dt>Kommuner ferdig</dt>
            <dd>{formatInteger(totals.municipalitiesComplete)} av {formatInteger(totals.municipalitiesTotal)}</dd>
          </div>
        </dl>
      </section>
      <section className="panel" aria-labelledby="county-results-heading">
        <h2 id="county-results-heading">Resultater i {state.county.name}</h2>
        <div className="results-grid">
          <LazyPartyChart parties={totals.parties} label={`Partienes oppslutning i ${state.county.name}`} />
          <PartyTable parties={totals.parties} caption={`Oppslutning i ${state.county.name}, endring fra 2019 i de samme kommunene`} />
        </div>
        <CouncilsTable councils={totals.councils} caption={`Kommunestyrer i ${state.county.name}: hvor partiene er størst, og mandater så langt`} />
      </section>
      <section className="panel" aria-labelledby="county-municipalities-heading">
        <h2 id="county-municipalities-heading">Kommunene</h2>
        <MunicipalityTable rows={state.municipalities} caption={`Kommuner i ${state.county.name} (${state.municipalities.length})`} id="county" now={now} />
      </section>
    </>
  );
}
