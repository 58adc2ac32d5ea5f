// Filtering and sorting the public municipality table: search by name or number, filters by county, state,
// share counted and leading party, and a sort column. Pure, so the page and its tests agree.
import type { MunicipalitySummary } from '../contracts/live.ts';
import type { MunicipalityState } from '../contracts/ops.ts';

export const COUNTED_BANDS = ['none', 'some', 'most', 'all'] as const;
export type CountedBand = (typeof COUNTED_BANDS)[number];
export const SORT_KEYS = ['name', 'county', 'state', 'counted', 'leader', 'lastResult'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface MunicipalityQuery {
  search: string;
  county: string | null;
  state: MunicipalityState | null;
  counted: CountedBand | null;
  leader: string | null;
  sort: SortKey;
  descending: boolean;
}

export const DEFAULT_QUERY: MunicipalityQuery = { search: '', county: null, state: null, counted: null, leader: null, sort: 'name', descending: false };

/** "Nothing", "under half", "half or more", "all": how a reader asks about progress. */
export function countedBand(m: Pick<MunicipalitySummary, 'countedShare' | 'status'>): CountedBand {
  if (m.status === 'complete') return 'all';
  if (m.countedShare <= 0) return 'none';
  return m.countedShare < 0.5 ? 'some' : 'most';
}

/** The state a reader sees: a problem state outranks plain counting progress (as the badge shows it). */
export function visibleState(m: Pick<MunicipalitySummary, 'state' | 'status'>): MunicipalityState {
  return m.state === 'waiting' || m.state === 'counting' || m.state === 'complete' ? m.status : m.state;
}

const STATE_ORDER: Record<MunicipalityState, number> = {
  stalled: 0, backlog: 1, regressed: 2, slow: 3, under_review: 4, waiting: 5, counting: 6, complete: 7,
};

function normalize(text: string): string {
  return text.toLocaleLowerCase('nb').normalize('NFC').trim();
}

/** Digits match the start of the number; text matches anywhere in the name or the county's name. */
export function matchesSearch(m: Pick<MunicipalitySummary, 'name' | 'number' | 'countyName'>, search: string): boolean {
  const q = normalize(search);
  if (!q) return true;
  return /^\d+$/.test(q) ? m.number.startsWith(q) : normalize(m.name).includes(q) || normalize(m.countyName).includes(q);
}

const compareText = (a: string, b: string) => a.localeCompare(b, 'nb');

function compareBy(key: SortKey, a: MunicipalitySummary, b: MunicipalitySummary): number {
  switch (key) {
    case 'name': return compareText(a.name, b.name);
    case 'county': return compareText(a.countyName, b.countyName);
    case 'state': return STATE_ORDER[visibleState(a)] - STATE_ORDER[visibleState(b)];
    case 'counted': return a.countedShare - b.countedShare;
    case 'leader': return compareText(a.leadingParty?.name ?? '\uffff', b.leadingParty?.name ?? '\uffff');
    case 'lastResult': return (a.lastResultAt ?? '').localeCompare(b.lastResultAt ?? '');
  }
}

export function queryMunicipalities(rows: readonly MunicipalitySummary[], query: MunicipalityQuery): MunicipalitySummary[] {
  const filtered = rows.filter((m) =>
    matchesSearch(m, query.search)
    && (query.county === null || m.countyNumber === query.county)
    && (query.state === null || visibleState(m) === query.state)
    && (query.counted === null || countedBand(m) === query.counted)
    && (query.leader === null || m.leadingParty?.code === query.leader));
  const direction = query.descending ? -1 : 1;
  // Ties fall back to the name, always ascending, so the order is stable and predictable.
  return filtered.sort((a, b) => direction * compareBy(query.sort, a, b) || compareText(a.name, b.name));
}

/** The counties the municipalities belong to, as [number, name], in Norwegian alphabetical order. */
export function listCounties(rows: readonly Pick<MunicipalitySummary, 'countyNumber' | 'countyName'>[]): Array<[string, string]> {
  return [...new Map(rows.map((m) => [m.countyNumber, m.countyName])).entries()].sort((a, b) => compareText(a[1], b[1]));
}

/** When the newest result among these municipalities arrived, or null before any. */
export function latestResultAt(rows: readonly Pick<MunicipalitySummary, 'lastResultAt'>[]): string | null {
  return rows.reduce<string | null>((latest, m) => (m.lastResultAt && (!latest || m.lastResultAt > latest) ? m.lastResultAt : latest), null);
}
