'use client';
// All municipalities: search, filters (county, state, share counted, leading party) and a sortable table.
// The query logic is lib/domain/municipality-query.ts; this is only its controls.
import { useTranslations } from 'next-intl';
import { useId, useMemo, useState } from 'react';
import type { MunicipalitySummary } from '../../lib/contracts/live.ts';
import type { MunicipalityState } from '../../lib/contracts/ops.ts';
import { COUNTED_BANDS, DEFAULT_QUERY, listCounties, queryMunicipalities, visibleState, type CountedBand, type MunicipalityQuery, type SortKey } from '../../lib/domain/municipality-query.ts';
import { MunicipalityTable } from './municipality-table.tsx';
import { useStateLabels } from './status-badge.tsx';


function Select<T extends string>({ label, value, options, onChange, disabled }: {
  label: string; value: T | null; options: Array<[T, string]>; onChange: (value: T | null) => void; disabled: boolean;
}) {
  const id = useId();
  const t = useTranslations('explorer');
  return (
    <div className="filter">
      <label htmlFor={id}>{label}</label>
      {/* The options are the choices of T (or '' for none), so a value is one of them. */}
      <select id={id} value={value ?? ''} disabled={disabled} onChange={(e) => onChange(e.target.value === '' ? null : (e.target.value as T))}>
        <option value="">{t('all')}</option>
        {options.map(([v, text]) => <option key={v} value={v}>{text}</option>)}
      </select>
    </div>
  );
}

/** Rows rendered before the reader asks for more: a phone should not lay out 357 rows to show the first. */
const FIRST_ROWS = 25;

/**
 * `pendingTotal`: `municipalities` is the first screen's subset of that many (lib/domain/first-screen.ts);
 * the first rows are right, but searching, filtering and "Vis alle" wait for the full list.
 */
export function MunicipalityExplorer({ municipalities, now, pendingTotal }: { municipalities: MunicipalitySummary[]; now: Date | null; pendingTotal?: number }) {
  const STATE_LABELS = useStateLabels();
  const t = useTranslations('explorer');
  const pending = pendingTotal !== undefined;
  const [query, setQuery] = useState<MunicipalityQuery>(DEFAULT_QUERY);
  const [showAll, setShowAll] = useState(false);
  const update = (patch: Partial<MunicipalityQuery>) => setQuery((q) => ({ ...q, ...patch }));
  const rows = useMemo(() => queryMunicipalities(municipalities, query), [municipalities, query]);
  const counties = useMemo(() => listCounties(municipalities), [municipalities]);
  // Offer only what occurs, so no filter leads to an empty table by construction.
  const states = useMemo(() => [...new Set(municipalities.map(visibleState))].map((s): [MunicipalityState, string] => [s, STATE_LABELS[s]]), [municipalities]);
  const leaders = useMemo(
    () => [...new Map(municipalities.flatMap((m) => (m.leadingParty ? [[m.leadingParty.code, m.leadingParty.name] as const] : []))).entries()]
      .sort((a, b) => a[1].localeCompare(b[1], 'nb')),
    [municipalities],
  );
  const onSort = (key: SortKey) => setQuery((q) => ({ ...q, sort: key, descending: q.sort === key ? !q.descending : key === 'counted' || key === 'lastResult' }));
  const filtered = rows.length !== municipalities.length;
  const total = pending ? pendingTotal : rows.length;
  return (
    <>
      <div className="filters" role="search" aria-label={t('searchLabel')}>
        <div className="filter filter--search">
          <label htmlFor="municipality-search">{t('search')}</label>
          <input id="municipality-search" type="search" value={query.search} onChange={(e) => update({ search: e.target.value })} autoComplete="off" disabled={pending} />
        </div>
        <Select label={t('county')} disabled={pending} value={query.county} options={counties} onChange={(county) => update({ county })} />
        <Select label={t('status')} disabled={pending} value={query.state} options={states} onChange={(state) => update({ state })} />
        <Select label={t('counted')} disabled={pending} value={query.counted} options={COUNTED_BANDS.map((b): [CountedBand, string] => [b, t(`band.${b}`)])} onChange={(counted) => update({ counted })} />
        <Select label={t('largestParty')} disabled={pending} value={query.leader} options={leaders} onChange={(leader) => update({ leader })} />
        {filtered || query.search ? <button type="button" className="button button--quiet" onClick={() => setQuery({ ...DEFAULT_QUERY, sort: query.sort, descending: query.descending })}>{t('reset')}</button> : null}
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">{t('shown', { count: total })}</p>
      <MunicipalityTable
        rows={showAll ? rows : rows.slice(0, FIRST_ROWS)}
        caption={t(!pending && (filtered || query.search) ? 'captionMatches' : 'captionTotal', { count: total, first: !showAll && total > FIRST_ROWS ? FIRST_ROWS : 0 })}
        id="all" now={now} sort={pending ? undefined : { key: query.sort, descending: query.descending, onSort }}
      />
      {total > FIRST_ROWS ? (
        <p><button type="button" className="button" aria-expanded={showAll} aria-controls="all-table" disabled={pending} onClick={() => setShowAll((v) => !v)}>
          {showAll ? t('showFirst', { count: FIRST_ROWS }) : t('showAll', { count: total })}
        </button></p>
      ) : null}
    </>
  );
}
