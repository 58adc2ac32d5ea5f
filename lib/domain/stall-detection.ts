// Stall detection's rules: a municipality's state on election night, derived — never typed by hand — from
// its counts, its status reports (which districts it has counted locally), the thresholds and `now`. Pure.
//
// Per count category × stage ("track"):
//   complete   every counting unit of the track has a result
//   backlog    units counted locally whose results have not arrived for backlogAfter
//   stalled    no new result for stallAfter while units are outstanding, and behind schedule
//   slow       the same with slowAfter
//   counting   progressing; waiting: nothing yet
// "Behind schedule": fewer results than the municipality's historical arrival curve says should have
// arrived by (now − threshold). A municipality whose next district is not yet due is not called slow — a
// clean night raises no alert, while one that stops early is caught within the threshold.
// The municipality takes its most urgent track: under_review (set by an operator) > regressed > backlog >
// stalled > slow > counting > waiting > complete. Final-count tracks that have not started do not count.
import type { CountCategory, CountStage } from '../contracts/ingest.ts';
import type { MunicipalityState, Reconciliation } from '../contracts/ops.ts';
import type { Thresholds } from '../contracts/thresholds.ts';
import { minutesAtShare, shareAtMinutes, type ArrivalCurve } from './arrival.ts';
import { computeExpectedBallots, type MunicipalityRecord } from './municipality.ts';
import type { StateReason } from '../contracts/state-reason.ts';
import { computeStateReason, describeTrack, renderStateReason } from './state-reason.ts';

// The reason builder lives in state-reason.ts; re-exported for callers that know it from here.
export { describeState, describeTrack } from './state-reason.ts';

export interface Regression {
  at: string;
  district: string;
  category: CountCategory;
  stage: CountStage;
  version: number;
  previousVersion: number;
  /** Ballots the correction took away. */
  lost: number;
}

export interface TrackState {
  category: CountCategory;
  stage: CountStage;
  state: Exclude<MunicipalityState, 'regressed' | 'under_review'>;
  since: string | null;
  reason: string;
  received: number;
  total: number;
}

export interface DerivedState {
  state: MunicipalityState;
  /** The state the rules give, whatever an operator has set. */
  underlyingState: MunicipalityState;
  since: string | null;
  reason: string;
  /** The reason as structured facts (`reason` is it rendered in bokmål). */
  reasonFacts: StateReason;
  tracks: TrackState[];
  reconciliation: Reconciliation;
}

export interface StateContext {
  thresholds: Thresholds;
  now: Date;
  /** When the polls close (21:00 on election day). */
  pollsCloseAt: Date;
  arrival: ArrivalCurve | null;
  underReview: boolean;
  regression: Regression | null;
  /** When the municipality announced a recount, if it did: the reason says so while it lasts. */
  recountSince?: string | null;
}

const PRIORITY: MunicipalityState[] = ['under_review', 'regressed', 'backlog', 'stalled', 'slow', 'counting', 'waiting', 'complete'];
const MINUTE = 60_000;

export function localCountKey(district: string, category: CountCategory, stage: CountStage): string {
  return `${district}|${category}|${stage}`;
}

/** Results expected by `at` on this track according to the municipality's schedule; null when it has none. */
function expectedReceivedBy(category: CountCategory, total: number, at: Date, ctx: StateContext): number | null {
  if (!ctx.arrival) return null;
  const sinceClose = (at.getTime() - ctx.pollsCloseAt.getTime()) / MINUTE;
  if (category === 'advance') return sinceClose >= ctx.arrival.advanceMinutes ? total : 0;
  return Math.floor(total * shareAtMinutes(ctx.arrival, sinceClose) + 1e-9);
}

/** When, by the schedule, the `count`-th result of the track is due (ms); null without a schedule. */
function dueAt(category: CountCategory, count: number, total: number, ctx: StateContext): number | null {
  if (!ctx.arrival) return null;
  const minutesAfterClose = category === 'advance' ? ctx.arrival.advanceMinutes : minutesAtShare(ctx.arrival, Math.min(1, count / total));
  return ctx.pollsCloseAt.getTime() + minutesAfterClose * MINUTE;
}

/**
 * What a track's state depends on besides the time, from the record alone: a monitor that re-judges
 * every municipality as its clock moves keeps these between changes of the record.
 */
export interface TrackFacts {
  category: CountCategory;
  stage: CountStage;
  received: number;
  total: number;
  /** When its latest result arrived. */
  latest: string | null;
  /** Units counted locally whose results have not arrived: how many, and the earliest local count. */
  pending: number;
  oldestPending: string | null;
}

export function summarizeTrack(record: MunicipalityRecord, category: CountCategory, stage: CountStage): TrackFacts | null {
  let total = 0;
  let received = 0;
  let latest: string | null = null;
  let pending = 0;
  let oldestPending: string | null = null;
  for (const unit of record.districts) {
    if (unit.kind !== (category === 'advance' ? 'advance' : 'election_day')) continue;
    total += 1;
    // A final count supersedes the preliminary one: a unit that skipped straight to it (Voss in 2023,
    // re-checking every ballot) has reported for the preliminary track too.
    const result = record.results.get(unit.number)?.find((r) => r.category === category && (r.stage === stage || (stage === 'preliminary' && r.stage === 'final')));
    if (result) {
      received += 1;
      if (latest === null || result.receivedAt > latest) latest = result.receivedAt;
      continue;
    }
    const local = record.localCounts.get(localCountKey(unit.number, category, stage));
    if (local === undefined) continue;
    pending += 1;
    if (oldestPending === null || local < oldestPending) oldestPending = local;
  }
  return total === 0 ? null : { category, stage, received, total, latest, pending, oldestPending };
}

export function deriveTrackState(record: MunicipalityRecord, category: CountCategory, stage: CountStage, ctx: StateContext): TrackState | null {
  const facts = summarizeTrack(record, category, stage);
  return facts && judgeTrack(facts, ctx);
}

// A plain literal in a top-level function, not `{ ...base, state }` or a closure: this runs for every track
// of every municipality each time the monitor looks, and V8 builds spread-then-extend objects far slower.
function trackState(facts: TrackFacts, state: TrackState['state'], since: string | null, reason: string): TrackState {
  return { category: facts.category, stage: facts.stage, received: facts.received, total: facts.total, state, since, reason };
}

/** A track's state at ctx.now, from its facts. */
function judgeTrack(facts: TrackFacts, ctx: StateContext): TrackState {
  const { category, stage, received, total, latest } = facts;
  const limits = ctx.thresholds[category][stage];
  const now = ctx.now.getTime();

  if (received === total) return trackState(facts, 'complete', latest, describeTrack(facts, 'complete'));

  const oldest = facts.oldestPending;
  if (oldest && now - Date.parse(oldest) >= limits.backlogAfter) {
    return trackState(facts, 'backlog', new Date(Date.parse(oldest) + limits.backlogAfter).toISOString(), describeTrack(facts, 'backlog'));
  }

  // Final counts come the next day: not started means not due.
  if (stage === 'final' && received === 0) return trackState(facts, 'waiting', null, describeTrack(facts, 'waiting'));

  const quietSince = latest ? Date.parse(latest) : ctx.pollsCloseAt.getTime();
  const quiet = now - quietSince;
  for (const [state, after] of [['stalled', limits.stallAfter], ['slow', limits.slowAfter]] as const) {
    if (quiet < after) continue;
    const due = expectedReceivedBy(category, total, new Date(now - after), ctx);
    if (stage === 'preliminary' && due !== null && received >= due) continue;
    // It began when it had been quiet long enough AND its next district was overdue by the threshold.
    const nextDue = stage === 'preliminary' ? dueAt(category, received + 1, total, ctx) : null;
    return trackState(facts, state, new Date(Math.max(quietSince + after, nextDue === null ? 0 : nextDue + after)).toISOString(), describeTrack(facts, state));
  }
  if (received === 0) return trackState(facts, 'waiting', null, describeTrack(facts, 'waiting'));
  return trackState(facts, 'counting', latest, describeTrack(facts, 'counting'));
}

export function reconcile(record: MunicipalityRecord): Reconciliation {
  let counted = 0;
  let received = 0;
  let pending = 0;
  let ballotsPendingEstimate = 0;
  let oldestPendingSince: string | null = null;
  const turnout = record.ref.expectedTurnout / 100;
  for (const unit of record.districts) {
    const category: CountCategory = unit.kind === 'advance' ? 'advance' : 'election_day';
    const local = record.localCounts.get(localCountKey(unit.number, category, 'preliminary'));
    const result = record.results.get(unit.number)?.find((r) => r.category === category);
    if (local) counted += 1;
    if (result) received += 1;
    if (local && !result) {
      pending += 1;
      // The advance unit has no electorate of its own: estimate it as the municipality's advance share.
      ballotsPendingEstimate += unit.kind === 'advance' ? Math.round(computeExpectedBallots(record.ref) * 0.4) : Math.round(unit.electorate * turnout);
      if (oldestPendingSince === null || local < oldestPendingSince) oldestPendingSince = local;
    }
  }
  const ballotsReceived = [...record.results.values()].flat().filter((r) => r.stage === 'preliminary').reduce((sum, r) => sum + r.ballotsCounted, 0);
  // Per-unit estimates overshoot where turnout was low (Oslo's 90 pending districts came to more than its
  // whole remaining vote): never more than the ballots still expected.
  ballotsPendingEstimate = Math.min(ballotsPendingEstimate, Math.max(0, computeExpectedBallots(record.ref) - ballotsReceived));
  return { districtsCountedLocally: counted, districtsReceived: received, districtsPending: pending, ballotsReceived, ballotsPendingEstimate, oldestPendingSince };
}

/** What a municipality's state depends on besides the time and the operators: see `TrackFacts`. */
export interface StateFacts {
  tracks: TrackFacts[];
  reconciliation: Reconciliation;
}

export function summarizeMunicipality(record: MunicipalityRecord): StateFacts {
  const tracks: TrackFacts[] = [];
  for (const category of ['advance', 'election_day'] as const) {
    for (const stage of ['preliminary', 'final'] as const) {
      const track = summarizeTrack(record, category, stage);
      if (track) tracks.push(track);
    }
  }
  return { tracks, reconciliation: reconcile(record) };
}

export function deriveMunicipalityState(record: MunicipalityRecord, ctx: StateContext): DerivedState {
  return deriveStateFromFacts(summarizeMunicipality(record), ctx);
}

/** The state at ctx.now from the municipality's facts: what `deriveMunicipalityState` gives for its record. */
export function deriveStateFromFacts(facts: StateFacts, ctx: StateContext): DerivedState {
  const tracks = facts.tracks.map((track) => judgeTrack(track, ctx));
  const preliminary = tracks.filter((t) => t.stage === 'preliminary');
  const finals = tracks.filter((t) => t.stage === 'final');
  // After the night, a final count that is merely under way or not started leaves the municipality complete.
  const relevant = preliminary.every((t) => t.state === 'complete')
    ? [...preliminary, ...finals.filter((t) => ['backlog', 'stalled', 'slow'].includes(t.state))]
    : [...preliminary, ...finals.filter((t) => t.state !== 'waiting')];
  const worst = relevant.reduce<TrackState | null>((held, t) => {
    if (held === null) return t;
    const rank = PRIORITY.indexOf(t.state) - PRIORITY.indexOf(held.state);
    // Complete only once its last track is: the latest `since` among the complete tracks.
    return rank < 0 || (rank === 0 && t.state === 'complete' && (t.since ?? '') > (held.since ?? '')) ? t : held;
  }, null);
  let underlying: { state: MunicipalityState; since: string | null } = worst ? { state: worst.state, since: worst.since } : { state: 'waiting', since: null };
  const regression = ctx.regression;
  if (regression && ctx.now.getTime() - Date.parse(regression.at) < ctx.thresholds.regressedFor && PRIORITY.indexOf('regressed') < PRIORITY.indexOf(underlying.state)) {
    underlying = { state: 'regressed', since: regression.at };
  }
  const reconciliation = facts.reconciliation;
  const state = ctx.underReview ? 'under_review' : underlying.state;
  // The public builder's words, not the worst track's: the alert, the board and the pages say the same.
  const reasonFacts = computeStateReason(facts, state, regression, ctx.recountSince ?? null);
  return { state, underlyingState: underlying.state, since: underlying.since, reason: renderStateReason(reasonFacts), reasonFacts, tracks, reconciliation };
}

/**
 * The earliest instant after ctx.now at which the municipality's derived state can change with nothing but
 * the clock moving: a backlog threshold passed, a quiet track becoming slow or stalled (each the moment
 * `judgeTrack` would give as its `since`), a correction's regressed span ending. Null when only new facts
 * can change it. The stall monitor wakes exactly then instead of on a fixed timer, so a stall is on the
 * board at its threshold, on the wall clock or on a simulated one at any speed.
 */
export function findNextStateChange(facts: StateFacts, ctx: StateContext): number | null {
  const now = ctx.now.getTime();
  let next = Number.POSITIVE_INFINITY;
  const consider = (at: number | null) => {
    if (at !== null && at > now && at < next) next = at;
  };
  for (const track of facts.tracks) {
    const { category, stage, received, total } = track;
    if (received === total) continue;
    const limits = ctx.thresholds[category][stage];
    if (track.oldestPending) consider(Date.parse(track.oldestPending) + limits.backlogAfter);
    if (stage === 'final' && received === 0) continue;
    const quietSince = track.latest ? Date.parse(track.latest) : ctx.pollsCloseAt.getTime();
    const nextDue = stage === 'preliminary' ? dueAt(category, received + 1, total, ctx) : null;
    for (const after of [limits.slowAfter, limits.stallAfter]) consider(Math.max(quietSince + after, nextDue === null ? 0 : nextDue + after));
  }
  if (ctx.regression) consider(Date.parse(ctx.regression.at) + ctx.thresholds.regressedFor);
  return Number.isFinite(next) ? next : null;
}
