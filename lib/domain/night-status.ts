// The state of the night as the public pages lead with it: which municipalities are behind and why, worst
// first, and the nation's two ledgers (counted locally against published). Pure.
import type { MunicipalitySummary } from '../contracts/live.ts';
import type { MunicipalityState } from '../contracts/ops.ts';

/** States that mean a municipality is behind, in the order the public summary lists their counts. */
export const BEHIND_STATES = ['backlog', 'stalled', 'slow', 'regressed', 'under_review'] as const satisfies readonly MunicipalityState[];
export type BehindState = (typeof BEHIND_STATES)[number];

export function isBehind(state: MunicipalityState): state is BehindState {
  return BEHIND_STATES.some((behind) => behind === state);
}

/** Ballots still to come: what the public is waiting for (the ops board ranks by the same figure). */
export function ballotsWaiting(m: Pick<MunicipalitySummary, 'expectedBallots' | 'ballotsCounted' | 'status'>): number {
  return m.status === 'complete' ? 0 : Math.max(0, m.expectedBallots - m.ballotsCounted);
}

/** Most ballots waiting first; then the longest-standing state; then by number, so the order is stable. */
export type WorstFirstFields = Pick<MunicipalitySummary, 'expectedBallots' | 'ballotsCounted' | 'status' | 'stateSince' | 'number'>;
export function compareWorstFirst(a: WorstFirstFields, b: WorstFirstFields): number {
  return ballotsWaiting(b) - ballotsWaiting(a) || (a.stateSince ?? '').localeCompare(b.stateSince ?? '') || a.number.localeCompare(b.number);
}

export interface NightStatus {
  /** Municipalities in a behind state, worst first. */
  behind: MunicipalitySummary[];
  /** How many are in each behind state (states with none are left out), in BEHIND_STATES order. */
  byState: Array<{ state: BehindState; count: number }>;
  /** Election-day districts nationally: finished locally (status report or result), published, in all. */
  districtsCountedLocally: number;
  districtsPublished: number;
  districtsTotal: number;
  /** Estimated ballots in units finished locally but not yet published, nationally. */
  ballotsPendingEstimate: number;
}

export function computeNightStatus(municipalities: readonly MunicipalitySummary[]): NightStatus {
  const behind = municipalities.filter((m) => isBehind(m.state)).toSorted(compareWorstFirst);
  const counts = new Map<BehindState, number>();
  for (const m of behind) if (isBehind(m.state)) counts.set(m.state, (counts.get(m.state) ?? 0) + 1);
  let districtsCountedLocally = 0;
  let districtsPublished = 0;
  let districtsTotal = 0;
  let ballotsPendingEstimate = 0;
  for (const m of municipalities) {
    districtsCountedLocally += m.districtsCountedLocally;
    districtsPublished += m.districtsReported;
    districtsTotal += m.districtsTotal;
    ballotsPendingEstimate += m.ballotsPendingEstimate;
  }
  return {
    behind,
    byState: BEHIND_STATES.flatMap((state) => (counts.has(state) ? [{ state, count: counts.get(state) ?? 0 }] : [])),
    districtsCountedLocally, districtsPublished, districtsTotal, ballotsPendingEstimate,
  };
}

const STATE_ORDER: Record<MunicipalityState, number> = {
  backlog: 0, stalled: 0, slow: 0, regressed: 0, under_review: 0, counting: 1, waiting: 2, complete: 3,
};

/**
 * The watchlist as the public reads it: those behind first (worst first), then those counting, then those
 * waiting, and the complete ones last — for the page to fold away.
 */
export function orderWatchlist(municipalities: readonly MunicipalitySummary[]): MunicipalitySummary[] {
  const rank = (m: MunicipalitySummary) => (m.status === 'complete' && !isBehind(m.state) ? 3 : STATE_ORDER[m.state]);
  return municipalities.filter((m) => m.watch).toSorted((a, b) => rank(a) - rank(b) || compareWorstFirst(a, b));
}
