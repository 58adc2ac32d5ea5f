'use client';
import type { MunicipalityDetail } from '../../lib/contracts/live.ts';
import { hasEnoughCountedForSeats } from '../../lib/domain/municipality.ts';
import { DISTRICT_STATUS_LABELS, formatClockShort, formatInteger, formatShare } from '../../lib/format.ts';
import { describeMunicipalityTurnout } from '../../lib/domain/turnout.ts';
import { useLiveMunicipality } from '../_hooks/use-live-views.ts';
import { LazyPartyChart, LazyProgressChart } from './lazy-charts.tsx';
import { LiveStatus } from './live-status.tsx';
import { SourceLine } from './source-line.tsx';
import { PartyTable } from './party-table.tsx';
import { ProgressBar } from './progress-bar.tsx';
import { PublicNote } from './public-note.tsx';
import { StateLine } from './state-line.tsx';
import { useServerNow } from '../_hooks/use-server-now.ts';
import { EmbedSnippet } from './embed-snippet.tsx';
import { SeatsPanel } from './seats-panel.tsx';
import { changeSince, useElection } from './election-context.tsx';

export function LiveMunicipality({ initial, sidecarUrl }: { initial: MunicipalityDetail; sidecarUrl: string | null }) {
  const { state, connection, updatedAt, clockAnchor } = useLiveMunicipality(initial, sidecarUrl);
  const now = useServerNow(clockAnchor, 15_000);
  const election = useElection();
  const m = state.municipality;
  const enoughCounted = hasEnoughCountedForSeats(m);
  // An election whose seats Valgvakt does not compute (the Storting's) shows no council at all.
  const councils = election?.kind !== 'storting';
  const seatsByCode = enoughCounted && councils ? new Map(state.seats.lists.map((l) => [l.code, l.seats])) : undefined;
  return (
    <>
      <LiveStatus connection={connection} updatedAt={updatedAt} clockAnchor={clockAnchor} dataAt={m.lastResultAt} />
      <SourceLine source={state.source} now={now} />
      <PublicNote note={m.publicNote} className="public-note--prominent" />
      <section className="panel" aria-labelledby="count-heading">
        <h2 id="count-heading">Opptelling</h2>
        <div className="municipality-state" data-testid="municipality-status">
          <StateLine summary={m} now={now} />
        </div>
        <dl className="key-figures">
          <div>
            <dt>Kretser talt lokalt</dt>
            <dd data-testid="municipality-counted-locally">{formatInteger(m.districtsCountedLocally)} av {formatInteger(m.districtsTotal)}</dd>
            <ProgressBar share={m.districtsTotal ? m.districtsCountedLocally / m.districtsTotal : 0} tone="district" />
          </div>
          <div>
            <dt>Kretser publisert</dt>
            <dd data-testid="municipality-districts">{formatInteger(m.districtsReported)} av {formatInteger(m.districtsTotal)}</dd>
            <ProgressBar share={m.districtsTotal ? m.districtsReported / m.districtsTotal : 0} tone="district" />
          </div>
          <div>
            <dt>Opptalt</dt>
            <dd data-testid="municipality-share">{formatShare(m.countedShare)}</dd>
            <ProgressBar share={m.countedShare} />
          </div>
          <div>
            <dt>Stemmer publisert</dt>
            <dd data-testid="municipality-ballots">{formatInteger(m.ballotsCounted)}</dd>
          </div>
          {m.ballotsPendingEstimate > 0 ? (
            <div>
              <dt>Talt, ikke publisert</dt>
              <dd data-testid="municipality-pending">ca. {formatInteger(m.ballotsPendingEstimate)}</dd>
            </div>
          ) : null}
          <div>
            <dt>Forhåndsstemmer</dt>
            <dd>{m.advanceReported ? 'Publisert' : m.advanceCountedLocally ? 'Talt lokalt' : 'Ikke talt ennå'}</dd>
          </div>
          <div>
            <dt>Stemmeberettigede</dt>
            <dd>{formatInteger(m.electorate)}</dd>
          </div>
          <div className="key-figures__wide">
            <dt>Valgdeltakelse</dt>
            <dd data-testid="municipality-turnout">{describeMunicipalityTurnout(m, election?.comparisonYear ?? null)}</dd>
          </div>
        </dl>
      </section>
      <section className="panel" aria-labelledby="parties-heading">
        <h2 id="parties-heading">Resultater</h2>
        <div className="results-grid">
          <LazyPartyChart parties={state.parties} label={`Partienes oppslutning i ${m.name}`} />
          <PartyTable parties={state.parties} seats={seatsByCode} caption={`Oppslutning i ${m.name}${m.finalShare < 1 ? ' (foreløpig)' : ''}${changeSince(election)}`} />
        </div>
      </section>
      {councils ? <SeatsPanel seats={state.seats} municipalityName={m.name} enoughCounted={enoughCounted} /> : null}
      <section className="panel" aria-labelledby="progress-heading">
        <h2 id="progress-heading">Opptelling over tid</h2>
        <LazyProgressChart progress={state.progress} districtsTotal={m.districtsTotal} />
      </section>
      <section className="panel" aria-labelledby="districts-heading">
        <h2 id="districts-heading">Stemmekretser</h2>
        <div className="table-scroll" tabIndex={0}>
          <table className="data-table district-table">
            <caption>Stemmekretser i {m.name}</caption>
            <thead>
              <tr>
                <th scope="col">Krets</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">Stemmeberettigede</th>
                <th scope="col" className="num">Stemmer talt</th>
                <th scope="col">Sist rapport</th>
              </tr>
            </thead>
            <tbody>
              {state.districts.map((d) => (
                <tr key={d.number} data-district={d.number}>
                  <th scope="row"><span className="muted">{d.number}</span> {d.name}</th>
                  <td>{d.status === 'waiting' && d.countedLocallyAt
                    ? <>Talt lokalt kl. <time dateTime={d.countedLocallyAt}>{formatClockShort(d.countedLocallyAt)}</time>, ikke publisert</>
                    : DISTRICT_STATUS_LABELS[d.status]}</td>
                  <td className="num">{d.kind === 'advance' ? '–' : formatInteger(d.electorate)}</td>
                  <td className="num">{formatInteger(d.ballotsCounted)}</td>
                  <td>{d.lastReportAt ? <time dateTime={d.lastReportAt}>{formatClockShort(d.lastReportAt)}</time> : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <EmbedSnippet path={`/embed/kommune/${m.number}`} title={`Valgresultat ${m.name}`} />
    </>
  );
}
