'use client';
import { usePageLocale } from '../../../../_i18n/use-page-locale.ts';
import { useTranslations } from 'next-intl';
import { memo, useMemo, useState } from 'react';
import { MUNICIPALITY_STATES, type BoardRow, type MunicipalityState } from '../../../../../lib/contracts/ops.ts';
import { formatAge, formatClockShort, formatInteger } from '../../../../../lib/format.ts';
import { isBehind } from '../../../../../lib/domain/night-status.ts';
import { renderStateReason } from '../../../../../lib/domain/state-reason.ts';
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
  const t = useTranslations('board');
  const locale = usePageLocale();
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
      <h2 id="board-heading">{t('heading')}</h2>
      <div className="filters" role="group" aria-label={t('filterLabel')}>
        <label className="field">
          {t('state')}
          {/* The options are the filter's values, so the value is one of them. */}
          <select value={state} onChange={(e) => setState(e.target.value as StateFilter)}>
            <option value="all">{t('all', { count: rows.length })}</option>
            <option value="problems">{t('allProblems', { count: problems })}</option>
            {FILTER_STATES.map((s) => <option key={s} value={s}>{STATE_LABELS[s]} ({counts.get(s) ?? 0})</option>)}
          </select>
        </label>
        <label className="field">
          {t('county')}
          <select value={county} onChange={(e) => setCounty(e.target.value)}>
            <option value="">{t('allCounties')}</option>
            {counties.map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </label>
        <label className="field field--check">
          <input type="checkbox" checked={watchOnly} onChange={(e) => setWatchOnly(e.target.checked)} />
          {t('watchedOnly')}
        </label>
        <label className="field field--grow">
          {t('search')}
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('searchPlaceholder')} autoComplete="off" />
        </label>
      </div>
      <p className="muted board-count">{t('showing', { shown: formatInteger(shown.length, locale), total: formatInteger(rows.length, locale) })}</p>
      <div className="table-scroll" tabIndex={0}>
        <table className="data-table ops-table" aria-labelledby="board-caption">
          <caption id="board-caption">{t('caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('municipality')}</th>
              <th scope="col">{t('state')}</th>
              <th scope="col">{t('reason')}</th>
              <th scope="col">{t('since')}</th>
              <th scope="col" className="num">{t('units')}</th>
              <th scope="col" className="num">{t('votes')}</th>
              <th scope="col">{t('lastContact')}</th>
              <th scope="col">{t('note')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => <BoardTableRow key={row.number} row={row} now={now} onShowTimeline={onShowTimeline} />)}
          </tbody>
        </table>
      </div>
      {shown.length === 0 ? <p>{t('noMatch')}</p> : null}
    </section>
  );
}

function TimeAndAge({ iso, now }: { iso: string | null; now: Date }) {
  const locale = usePageLocale();
  if (!iso) return <>–</>;
  return (
    <>
      <time dateTime={iso}>{formatClockShort(iso, locale)}</time>
      <span className="sub">{formatAge(iso, now, locale)}</span>
    </>
  );
}

const BoardTableRow = memo(function BoardTableRow({ row, now, onShowTimeline }: { row: BoardRow; now: Date; onShowTimeline: (row: BoardRow) => void }) {
  const STATE_LABELS = useStateLabels();
  const t = useTranslations('board');
  const locale = usePageLocale();
  const info = row.stateInfo;
  const rec = info.reconciliation;
  const problem = isBehind(info.state);
  return (
    <tr data-municipality={row.number} data-state={info.state} className={problem ? `is-problem is-${info.state}` : undefined}>
      <th scope="row">
        <span className="ops-name">
          {row.watch ? <span className="watch-mark" title={t('watched')}><span aria-hidden="true">★</span><span className="visually-hidden">{t('watched')}:</span></span> : null}
          {' '}{row.name}
        </span>
        <span className="ops-name__more">
          <span className="sub">{row.number} · {row.countyName}</span>
          <button type="button" className="button button--small" onClick={() => onShowTimeline(row)}>
            {t.rich('showTimeline', { name: row.name, hidden: (chunks) => <span className="visually-hidden">{chunks}</span> })}
          </button>
        </span>
      </th>
      <td data-testid="state" data-label={t('state')}>
        <StateBadge state={info.state} />
        {info.state === 'under_review' ? <span className="sub">{t('byRules', { state: STATE_LABELS[info.underlyingState].toLocaleLowerCase() })}</span> : null}
      </td>
      <td className="ops-reason" data-label={t('reason')}>{renderStateReason(info.reasonFacts, locale)}</td>
      <td className="nowrap" data-label={t('since')}><TimeAndAge iso={info.since} now={now} /></td>
      <td className="num" data-testid="reconciliation" data-label={t('units')}>
        {formatInteger(rec.districtsCountedLocally, locale)} / {formatInteger(rec.districtsReceived, locale)}
        {rec.districtsPending > 0 ? <span className="sub sub--warn">{t('pending', { count: formatInteger(rec.districtsPending, locale), votes: formatInteger(rec.ballotsPendingEstimate, locale) })}</span> : null}
      </td>
      <td className="num" data-label={t('votes')}>
        {t('ofExpected', { counted: formatInteger(row.ballotsCounted, locale), expected: formatInteger(row.expectedBallots, locale) })}
        <span className="sub">{t('outstanding', { count: formatInteger(row.ballotsOutstanding, locale) })}</span>
      </td>
      <td className="nowrap" data-label={t('lastContact')}><TimeAndAge iso={info.lastContactAt} now={now} /></td>
      <td className="ops-note" data-label={t('note')}>{info.publicNote ?? <span className="muted">–</span>}</td>
    </tr>
  );
});
