// The status map (app/_components/status-map.tsx): what colour and pattern each municipality gets, the
// legend, the order keyboard users meet the municipalities in, and the text alternative. Pure.
import type { MunicipalitySummary } from '../contracts/live.ts';
import type { BoardRow, MunicipalityState } from '../contracts/ops.ts';
import { compareWorstFirst, isBehind } from './night-status.ts';

/** What the map needs of a municipality: the public summary's fields, so the overview passes its own. */
export type MapMunicipality = Pick<MunicipalitySummary,
  'number' | 'name' | 'status' | 'state' | 'stateReason' | 'stateReasonFacts' | 'stateSince' | 'publicNote' | 'districtsCountedLocally'
  | 'districtsReported' | 'districtsTotal' | 'ballotsCounted' | 'ballotsPendingEstimate' | 'advanceCountedLocally'
  | 'advanceReported' | 'expectedBallots' | 'leadingParty'>;

export type MapMode = 'state' | 'leader';
export type MapPattern = 'dots' | 'diagonal' | 'cross' | 'horizontal' | 'vertical';

export interface StateStyle {
  fill: string;
  /** Problem states carry a pattern as well, so colour is never the only cue. */
  pattern: MapPattern | null;
  /** Colour of the pattern's marks, chosen for contrast against the fill. */
  ink: string;
}

/**
 * Okabe–Ito colours (distinguishable with the common colour-vision deficiencies), a neutral grey for
 * waiting, and a distinct pattern for each state that means a municipality is behind.
 */
export const STATE_STYLES: Record<MunicipalityState, StateStyle> = {
  waiting: { fill: '#d9d9d9', pattern: null, ink: '#000000' },
  counting: { fill: '#56b4e9', pattern: null, ink: '#000000' },
  complete: { fill: '#009e73', pattern: null, ink: '#ffffff' },
  slow: { fill: '#f0e442', pattern: 'dots', ink: '#000000' },
  stalled: { fill: '#d55e00', pattern: 'diagonal', ink: '#ffffff' },
  backlog: { fill: '#e69f00', pattern: 'cross', ink: '#000000' },
  regressed: { fill: '#cc79a7', pattern: 'horizontal', ink: '#000000' },
  under_review: { fill: '#0072b2', pattern: 'vertical', ink: '#ffffff' },
};

/** Legend order: the night's progress first, then the ways of being behind (BEHIND_STATES' order). */
export const MAP_STATE_ORDER = ['waiting', 'counting', 'complete', 'backlog', 'stalled', 'slow', 'regressed', 'under_review'] as const satisfies readonly MunicipalityState[];

/** The state the map shows: a problem state wins over progress, as on the public badges (StatusBadge). */
export function mapStateOf(m: Pick<MapMunicipality, 'state' | 'status'>): MunicipalityState {
  return isBehind(m.state) ? m.state : m.status;
}

export interface LegendEntry {
  key: string;
  count: number;
}

/** Every state with how many municipalities are in it, so the palette is always explained in full. */
export function computeStateLegend(municipalities: readonly Pick<MapMunicipality, 'state' | 'status'>[]): Array<LegendEntry & { key: MunicipalityState }> {
  const counts = new Map<MunicipalityState, number>();
  for (const m of municipalities) counts.set(mapStateOf(m), (counts.get(mapStateOf(m)) ?? 0) + 1);
  return MAP_STATE_ORDER.map((key) => ({ key, count: counts.get(key) ?? 0 }));
}

/** The lists that lead somewhere, most municipalities first (then by code); `null` for those without votes. */
export function computeLeaderLegend(municipalities: readonly Pick<MapMunicipality, 'leadingParty'>[]): Array<{ code: string | null; name: string | null; count: number }> {
  const counts = new Map<string, { name: string; count: number }>();
  let none = 0;
  for (const { leadingParty: p } of municipalities) {
    if (!p) none += 1;
    else counts.set(p.code, { name: p.name, count: (counts.get(p.code)?.count ?? 0) + 1 });
  }
  const parties = [...counts].map(([code, { name, count }]) => ({ code, name, count }))
    .toSorted((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  return none > 0 ? [...parties, { code: null, name: null, count: none }] : parties;
}

/**
 * The order keyboard users meet the municipalities in (and the map's drawing order): those behind first,
 * worst first as in the night status, then the rest by number — 357 stops, so the important ones come first.
 */
export function orderForFocus<T extends MapMunicipality>(municipalities: readonly T[]): T[] {
  const behind = listBehind(municipalities);
  const rest = municipalities.filter((m) => !isBehind(m.state)).toSorted((a, b) => a.number.localeCompare(b.number));
  return [...behind, ...rest];
}

/** The text alternative: those behind, worst first (the same order as the night status). */
export function listBehind<T extends MapMunicipality>(municipalities: readonly T[]): T[] {
  return municipalities.filter((m) => isBehind(m.state)).toSorted(compareWorstFirst);
}

/**
 * The ops board as map entries. The board lists every municipality that is not complete; it carries no
 * results, so the map shows it by state only, with the local ledger from the board's reconciliation.
 */
export function mapMunicipalityFromBoardRow(row: BoardRow): MapMunicipality {
  const r = row.stateInfo.reconciliation;
  return {
    number: row.number,
    name: row.name,
    status: row.stateInfo.state === 'complete' ? 'complete' : row.districtsReported > 0 || row.ballotsCounted > 0 ? 'counting' : 'waiting',
    state: row.stateInfo.state,
    stateReason: row.stateInfo.reason,
    stateReasonFacts: row.stateInfo.reasonFacts,
    stateSince: row.stateInfo.since,
    publicNote: row.stateInfo.publicNote,
    // As on the public pages: finished by a status report or by a result (the board counts status reports).
    districtsCountedLocally: Math.min(row.districtsTotal, row.districtsReported + r.districtsPending),
    districtsReported: row.districtsReported,
    districtsTotal: row.districtsTotal,
    ballotsCounted: row.ballotsCounted,
    ballotsPendingEstimate: r.ballotsPendingEstimate,
    advanceCountedLocally: false,
    advanceReported: false,
    expectedBallots: row.expectedBallots,
    leadingParty: null,
  };
}

