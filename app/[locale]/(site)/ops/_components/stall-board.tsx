'use client';
import { memo, useMemo, useState } from 'react';
import { MUNICIPALITY_STATES, type BoardRow, type MunicipalityState } from '../../../../../lib/contracts/ops.ts';
import { formatAge, formatClockShort, formatInteger } from '../../../../../lib/format.ts';
import { isBehind } from '../../../../../lib/domain/night-status.ts';
import { StateBadge, useStateLabels } from '../../../../_components/status-badge.tsx';

type StateFilter = 'all' | 'problems' | MunicipalityState;
// The board holds municipalities not complete, so "complete" is never a choice.
const FILTER_STATES = MUNICIPALITY_STATES.filter((s) => s !== 'complete');

function matches(row: BoardRow, filter: { state: StateFilter; county: string; watchOnly: boolean; query: string }): boolean {
  const state = row.stateInfo.state;
  if (filter.state === 'problems' ? !isBehind(state) : filter.state !== 'all' && state !== filter.state) return false;
  if (filter.county && row.countyName !== filter.county) return false;
  if (filter.watchOnly && !row.watch) return false;
  const q = filter.query.trim().toLocaleLowerCase('nb');
  return !q || row.name.toLocaleLowerCase('nb').includes(q) || row.number.startsWith(q);
}

/** Every municipality not yet complete: watchlist first, then by ballots outstanding (the sidecar's order). */
export function StallBoard({ rows, now, onShowTimeline }: { rows: BoardRow[]; now: Date; onShowTimeline: (row: BoardRow) => void }) {
  const STATE_LABELS = useStateLabels();
  const [state, setState] = useState<StateFilter>('all');
  const [county, setCounty] = useState('');
  const [watchOnly, setWatchOnly] = useState(false);
  const [query, setQuery] = useState('');
  const counties = useMemo(() => [...new Set(rows.map((r) => r.countyName))].sort((a, b) => a.localeCompare(b, 'nb')), [rows]);
  const counts = useMemo(() => {
    const byState = new Map<MunicipalityState, number>();
    for (const r of rows) byState.set(r.stateInfo.state, (byState.get(r.stateInfo.state) ?? 0) + 1);
    return byState;
  }, [rows]);
  const problems = useMemo(() => rows.filter((r) => isBehind(r.stateInfo.state)).length, [rows]);
  const shown = useMemo(() => rows.filter((r) => matches(r, { state, county, watchOnly, query })), [rows, state, county, watchOnly, query]);

  return (
    <section className="panel ops-board" aria-labelledby="board-heading">
      <h2 id="board-heading">Kommune for kommune</h2>
      <div className="filters" role="group" aria-label="Filtrer kommunene">
        <label className="field">
          Tilstand
          <select value={state} onChange={(e) => setState(e.target.value as StateFilter)}>
            <option value="all">Alle ({rows.length})</option>
            <option value="problems">Alle problemer ({problems})</option>
            {FILTER_STATES.map((s) => <option key={s} value={s}>{STATE_LABELS[s]} ({counts.get(s) ?? 0})</option>)}
          </select>
        </label>
        <label className="field">
          Fylke
          <select value={county} onChange={(e) => setCounty(e.target.value)}>
            <option value="">Alle fylker</option>
            {counties.map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </label>
        <label className="field field--check">
          <input type="checkbox" checked={watchOnly} onChange={(e) => setWatchOnly(e.target.checked)} />
          Bare overvåkede
        </label>
        <label className="field field--grow">
          Søk
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Kommunenavn eller -nummer" autoComplete="off" />
        </label>
      </div>
      <p className="muted board-count">Viser {formatInteger(shown.length)} av {formatInteger(rows.length)} kommuner.</p>
      <div className="table-scroll" tabIndex={0}>
        <table className="data-table ops-table" aria-labelledby="board-caption">
          <caption id="board-caption">Kommuner som ikke er ferdig opptalt</caption>
          <thead>
            <tr>
              <th scope="col">Kommune</th>
              <th scope="col">Tilstand</th>
              <th scope="col">Grunn</th>
              <th scope="col">Siden</th>
              <th scope="col" className="num">Telleenheter lokalt talt / mottatt</th>
              <th scope="col" className="num">Stemmer</th>
              <th scope="col">Sist kontakt</th>
              <th scope="col">Merknad</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => <BoardTableRow key={row.number} row={row} now={now} onShowTimeline={onShowTimeline} />)}
          </tbody>
        </table>
      </div>
      {shown.length === 0 ? <p>Ingen kommuner passer filteret.</p> : null}
    </section>
  );
}

function TimeAndAge({ iso, now }: { iso: string | null; now: Date }) {
  if (!iso) return <>–</>;
  return (
    <>
      <time dateTime={iso}>{formatClockShort(iso)}</time>
      <span className="sub">{formatAge(iso, now)}</span>
    </>
  );
}

const BoardTableRow = memo(function BoardTableRow({ row, now, onShowTimeline }: { row: BoardRow; now: Date; onShowTimeline: (row: BoardRow) => void }) {
  const STATE_LABELS = useStateLabels();
  const info = row.stateInfo;
  const rec = info.reconciliation;
  const problem = isBehind(info.state);
  return (
    <tr data-municipality={row.number} data-state={info.state} className={problem ? `is-problem is-${info.state}` : undefined}>
      <th scope="row">
        <span className="ops-name">
          {row.watch ? <span className="watch-mark" title="Overvåket"><span aria-hidden="true">★</span><span className="visually-hidden">Overvåket:</span></span> : null}
          {' '}{row.name}
        </span>
        <span className="ops-name__more">
          <span className="sub">{row.number} · {row.countyName}</span>
          <button type="button" className="button button--small" onClick={() => onShowTimeline(row)}>
            Vis forløp<span className="visually-hidden"> for {row.name}</span>
          </button>
        </span>
      </th>
      <td data-testid="state" data-label="Tilstand">
        <StateBadge state={info.state} />
        {info.state === 'under_review' ? <span className="sub">etter reglene: {STATE_LABELS[info.underlyingState].toLocaleLowerCase('nb')}</span> : null}
      </td>
      <td className="ops-reason" data-label="Grunn">{info.reason}</td>
      <td className="nowrap" data-label="Siden"><TimeAndAge iso={info.since} now={now} /></td>
      <td className="num" data-testid="reconciliation" data-label="Telleenheter lokalt talt / mottatt">
        {formatInteger(rec.districtsCountedLocally)} / {formatInteger(rec.districtsReceived)}
        {rec.districtsPending > 0 ? <span className="sub sub--warn">{formatInteger(rec.districtsPending)} venter (~{formatInteger(rec.ballotsPendingEstimate)} stemmer)</span> : null}
      </td>
      <td className="num" data-label="Stemmer">
        {formatInteger(row.ballotsCounted)} av {formatInteger(row.expectedBallots)}
        <span className="sub">{formatInteger(row.ballotsOutstanding)} gjenstår</span>
      </td>
      <td className="nowrap" data-label="Sist kontakt"><TimeAndAge iso={info.lastContactAt} now={now} /></td>
      <td className="ops-note" data-label="Merknad">{info.publicNote ?? <span className="muted">–</span>}</td>
    </tr>
  );
});
