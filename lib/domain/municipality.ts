// Progress and results of one municipality, computed from its reference data and current counts.
// Pure: the caller owns the record and passes it in; nothing here reads a clock or storage.
import type { CountCategory, CountStage } from '../contracts/ingest.ts';
import type { ArrivalCurve } from './arrival.ts';
import type { CouncilSeats, DistrictDetail, MunicipalitySummary, PartyResult, ProgressPoint, UnitResult } from '../contracts/live.ts';
import { summarizeMunicipality } from './stall-detection.ts';
import { computeStateReason, renderStateReason } from './state-reason.ts';
import { allocateSeats } from './seats.ts';
import { publishedChange, publishedShare } from './precision.ts';
import { turnoutPercent } from './turnout.ts';

/** The list that pools every list the source data does not itemise ("Andre lister"): it holds no seats and leads nowhere. */
export const POOLED_LISTS_CODE = 'ANDRE';

export interface MunicipalityRef {
  number: string;
  name: string;
  countyNumber: string;
  countyName: string;
  electorate: number;
  councilSize: number;
  /** Percent, e.g. 64.7: the turnout we expect, to estimate how many ballots are still to come. */
  expectedTurnout: number;
  /** On the watchlist: from the reference data, then as operators change it (a `watchlist.changed` fold). */
  watch: boolean;
  /** Why an operator put it on the watchlist; null or absent when it came with the reference data. */
  watchReason?: string | null;
  /** The municipality's expected schedule on election night, when known. */
  arrival?: ArrivalCurve | null;
  /** Turnout (percent) in the previous election of the same kind (the election's comparisonYear), when known. */
  comparisonTurnout?: number | null;
  /** Final votes per list code in the previous election of the same kind (2019), when known. */
  previousVotes?: Readonly<Record<string, number>> | null;
}

export interface DistrictRef {
  number: string;
  name: string;
  electorate: number;
  kind: 'advance' | 'election_day';
}

export interface PartyListRef {
  code: string;
  name: string;
}

/** Everything known about one municipality: reference data plus the current version of each count. */
export interface MunicipalityRecord {
  ref: MunicipalityRef;
  districts: DistrictRef[];
  partyLists: PartyListRef[];
  /** Current result per district number, at most one per category × stage. */
  results: Map<string, UnitResult[]>;
  /** District number → earliest time the municipality said it finished counting locally (any track). */
  countedLocallyAt: Map<string, string>;
  /** "district|category|stage" → when it was first reported counted locally (see localCountKey). */
  localCounts: Map<string, string>;
  /** One point per accepted result report, in commit order. */
  progress: ProgressPoint[];
  /** The latest time the municipality was heard from (a result or a status report). */
  lastContactAt: string | null;
  /** The state last recorded in the change log (by the stall monitor). */
  state: { state: import('../contracts/ops.ts').MunicipalityState; since: string | null; reason: string };
  /** Every recorded state with when it began, oldest first (for the progress timeline). */
  stateHistory: Array<{ state: import('../contracts/ops.ts').MunicipalityState; from: string }>;
  /** What operators have said: under review, and a public note. */
  oversight: { underReview: boolean; publicNote: string | null };
  /** When the oversight last changed (clock time): a completion after it ends the mark and the note. */
  oversightChangedAt?: string | null;
  /** The latest recount the municipality announced in a status report, if any. */
  recount?: { at: string; reason: string | null } | null;
  /** The alert not yet resolved, if any. */
  activeAlert: import('../contracts/ops.ts').Alert | null;
  /** A batch of result reports being folded (its changes are consecutive): the published counts before it. */
  openBatch?: { before: Map<CountCategory, number>; reports: import('../contracts/changes.ts').ResultAcceptedPayload[] } | null;
  /** The latest correction that lowered a published total. */
  regression: { at: string; district: string; category: CountCategory; stage: CountStage; version: number; previousVersion: number; lost: number } | null;
}

export function createMunicipalityRecord(ref: MunicipalityRef, districts: DistrictRef[], partyLists: PartyListRef[]): MunicipalityRecord {
  return { ref, districts, partyLists, results: new Map(), countedLocallyAt: new Map(), localCounts: new Map(), progress: [], lastContactAt: null, regression: null,
    state: { state: 'waiting', since: null, reason: 'venter på første resultat' }, stateHistory: [],
    oversight: { underReview: false, publicNote: null }, activeAlert: null,
  };
}

const STAGE_RANK: Record<CountStage, number> = { preliminary: 0, final: 1 };

/** The best available count per district × category: the final count where it exists, else the preliminary. */
export function listBestResults(record: MunicipalityRecord): UnitResult[] {
  const best: UnitResult[] = [];
  for (const results of record.results.values()) {
    const byCategory = new Map<CountCategory, UnitResult>();
    for (const result of results) {
      const held = byCategory.get(result.category);
      if (!held || STAGE_RANK[result.stage] > STAGE_RANK[held.stage]) byCategory.set(result.category, result);
    }
    best.push(...byCategory.values());
  }
  return best;
}

export function computeExpectedBallots(ref: MunicipalityRef): number {
  return Math.round((ref.electorate * ref.expectedTurnout) / 100);
}

function electionDayDistricts(record: MunicipalityRecord): DistrictRef[] {
  return record.districts.filter((district) => district.kind === 'election_day');
}

function hasResult(record: MunicipalityRecord, district: string, category: CountCategory, stage?: CountStage): boolean {
  return (record.results.get(district) ?? []).some((r) => r.category === category && (stage === undefined || r.stage === stage));
}

export interface MunicipalityView {
  summary: MunicipalitySummary;
  parties: PartyResult[];
  seats: CouncilSeats;
  /** Ballots cast counted so far (approved, blank included, and rejected): what turnout is made of. */
  ballotsCast: number;
}

/** Everything the public sees of one municipality, computed once per change. */
export function computeMunicipalityView(record: MunicipalityRecord): MunicipalityView {
  const { progress, ballotsCast } = countProgress(record);
  const parties = computePartyResults(record);
  const seats = computeCouncilSeats(record, parties, progress.finalShare);
  return { summary: { ...progress, leadingParty: findLeadingParty(parties, seats) }, parties, seats, ballotsCast };
}

export function computeMunicipalitySummary(record: MunicipalityRecord): MunicipalitySummary {
  return computeMunicipalityView(record).summary;
}

/** The summary's counting and state part: what is counted, not who is winning. */
function computeCountProgress(record: MunicipalityRecord): Omit<MunicipalitySummary, 'leadingParty'> {
  return countProgress(record).progress;
}

/** The count's progress and the ballots cast (approved, blank included, and rejected) it was made from. */
function countProgress(record: MunicipalityRecord): { progress: Omit<MunicipalitySummary, 'leadingParty'>; ballotsCast: number } {
  const { ref } = record;
  const districts = electionDayDistricts(record);
  const districtsReported = districts.filter((d) => hasResult(record, d.number, 'election_day')).length;
  const districtsFinal = districts.filter((d) => hasResult(record, d.number, 'election_day', 'final')).length;
  const advanceReported = [...record.results.values()].some((rs) => rs.some((r) => r.category === 'advance'));
  const advanceFinal = [...record.results.values()].some((rs) => rs.some((r) => r.category === 'advance' && r.stage === 'final'));
  const best = listBestResults(record);
  const ballotsCounted = best.reduce((sum, r) => sum + r.ballotsCounted, 0);
  const ballotsCast = best.reduce((sum, r) => sum + r.ballotsCounted + r.ballotsRejected, 0);
  const expectedBallots = computeExpectedBallots(ref);
  const complete = advanceReported && districtsReported === districts.length;
  const lastResultAt = best.reduce<string | null>((latest, r) => (latest === null || r.receivedAt > latest ? r.receivedAt : latest), null);
  const facts = summarizeMunicipality(record);
  const countedLocally = (category: CountCategory) => {
    const track = facts.tracks.find((t) => t.category === category && t.stage === 'preliminary');
    return track ? track.received + track.pending : 0;
  };
  const stateReasonFacts = computeStateReason(facts, record.state.state, record.regression, record.recount?.at ?? null);
  const progress: Omit<MunicipalitySummary, 'leadingParty'> = {
    number: ref.number,
    name: ref.name,
    countyNumber: ref.countyNumber,
    countyName: ref.countyName,
    watch: ref.watch,
    status: complete ? 'complete' : best.length > 0 ? 'counting' : 'waiting',
    districtsReported,
    districtsTotal: districts.length,
    advanceReported,
    ballotsCounted,
    electorate: ref.electorate,
    expectedBallots,
    countedShare: complete ? 1 : computeShare(ballotsCounted, expectedBallots),
    // Counting units are the election-day districts plus the municipality-wide advance unit.
    finalShare: publishedShare((districtsFinal + (advanceFinal ? 1 : 0)) / (districts.length + 1)),
    lastResultAt,
    state: record.state.state,
    stateSince: record.state.since,
    stateReason: renderStateReason(stateReasonFacts),
    stateReasonFacts,
    publicNote: record.oversight.publicNote,
    districtsCountedLocally: countedLocally('election_day'),
    advanceCountedLocally: countedLocally('advance') > 0,
    ballotsPendingEstimate: Math.min(facts.reconciliation.ballotsPendingEstimate, Math.max(0, expectedBallots - ballotsCounted)),
    turnout: turnoutPercent(ballotsCast, ref.electorate),
    expectedTurnout: ref.expectedTurnout,
    comparisonTurnout: ref.comparisonTurnout ?? null,
    pendingSince: facts.reconciliation.oldestPendingSince,
  };
  return { progress, ballotsCast };
}

/** Most votes; pooled lists never lead. Equal votes: more seats, then code, so the answer is stable. */
export function findLeadingParty(parties: readonly PartyResult[], seats: CouncilSeats): MunicipalitySummary['leadingParty'] {
  const seatsOf = new Map(seats.lists.map((l) => [l.code, l.seats]));
  const ranked = parties
    .filter((p) => p.votes > 0 && p.code !== POOLED_LISTS_CODE)
    .toSorted((a, b) => b.votes - a.votes || (seatsOf.get(b.code) ?? 0) - (seatsOf.get(a.code) ?? 0) || a.code.localeCompare(b.code));
  const leader = ranked[0];
  return leader ? { code: leader.code, name: leader.name, share: leader.share, seats: seatsOf.get(leader.code) ?? 0 } : null;
}

function computeShare(part: number, whole: number): number {
  if (whole <= 0) return 0;
  return publishedShare(Math.min(1, part / whole));
}

/** Votes per list from the best available counts (every list of the municipality, zero until counted). */
export function countListVotes(record: MunicipalityRecord): Map<string, number> {
  const votesByCode = new Map<string, number>(record.partyLists.map((list) => [list.code, 0]));
  for (const result of listBestResults(record)) {
    for (const [code, votes] of Object.entries(result.votes)) votesByCode.set(code, (votesByCode.get(code) ?? 0) + votes);
  }
  return votesByCode;
}

/**
 * Votes and shares per list from the best available counts, largest first (ties by code, for stable order),
 * with the change since the previous election.
 */
export function computePartyResults(record: MunicipalityRecord): PartyResult[] {
  const names = new Map(record.partyLists.map((list) => [list.code, list.name]));
  return rankPartyResults(countListVotes(record), names, record.ref.previousVotes ? new Map(Object.entries(record.ref.previousVotes)) : null);
}

/** Shares of list votes; with previous votes (same codes, same area) also the previous share and the change. */
export function rankPartyResults(votesByCode: ReadonlyMap<string, number>, names: ReadonlyMap<string, string>, previousVotes: ReadonlyMap<string, number> | null = null): PartyResult[] {
  const total = sumValues(votesByCode);
  const previousTotal = previousVotes ? sumValues(previousVotes) : 0;
  return [...votesByCode.entries()]
    .map(([code, votes]) => {
      const share = total > 0 ? publishedShare(votes / total) : 0;
      const before = previousVotes?.get(code);
      const previousShare = before !== undefined && previousTotal > 0 ? publishedShare(before / previousTotal) : null;
      // Before any votes are counted there is no share to compare.
      const change = previousShare !== null && total > 0 ? publishedChange(share, previousShare) : null;
      return { code, name: names.get(code) ?? code, votes, share, previousShare, change };
    })
    .sort((a, b) => b.votes - a.votes || a.code.localeCompare(b.code));
}

function sumValues(map: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const value of map.values()) total += value;
  return total;
}

/**
 * Below this share of the expected ballots a council computed from the count says more about which
 * districts came first than about the result: Oslo's first districts gave Høyre 29 of 59 seats at 1.6 %.
 */
export const SEATS_MIN_COUNTED_SHARE = 0.4;

/**
 * Whether the council from the count so far means something: the advance votes (about half the ballots,
 * spread over the whole municipality) are in and at least SEATS_MIN_COUNTED_SHARE of the expected ballots
 * are counted — or every unit has reported. Before that the pages say "for tidlig å si".
 */
export function hasEnoughCountedForSeats(m: Pick<MunicipalitySummary, 'status' | 'advanceReported' | 'countedShare'>): boolean {
  return m.status === 'complete' || (m.advanceReported && m.countedShare >= SEATS_MIN_COUNTED_SHARE);
}

/**
 * The council as the votes counted so far would elect it. Provisional until every counting unit has a final
 * count. Seats go by ballots (see lib/domain/seats.ts for why that ranks lists as the law's vote numbers do).
 */
export function computeCouncilSeats(record: MunicipalityRecord, parties: readonly PartyResult[], finalShare: number): CouncilSeats {
  const standing = parties.filter((p) => p.code !== POOLED_LISTS_CODE && p.votes > 0);
  const allocation = allocateSeats(standing.map((p) => ({ code: p.code, votes: p.votes })), record.ref.councilSize);
  const names = new Map(standing.map((p) => [p.code, p.name]));
  return {
    councilSize: record.ref.councilSize,
    provisional: finalShare < 1,
    lists: allocation.lists.map((l) => ({ ...l, name: names.get(l.code) ?? l.code })),
    drawnByLot: allocation.drawnByLot,
  };
}

export function computeDistrictDetail(record: MunicipalityRecord, district: DistrictRef): DistrictDetail {
  const results = [...(record.results.get(district.number) ?? [])].sort(
    (a, b) => a.category.localeCompare(b.category) || STAGE_RANK[a.stage] - STAGE_RANK[b.stage],
  );
  const ownCategory: CountCategory = district.kind === 'advance' ? 'advance' : 'election_day';
  const own = results.filter((r) => r.category === ownCategory);
  const newest = own.reduce<UnitResult | undefined>((held, r) => (!held || STAGE_RANK[r.stage] > STAGE_RANK[held.stage] ? r : held), undefined);
  const bestPerCategory = listBestResults({ ...record, results: new Map([[district.number, results]]) });
  return {
    number: district.number,
    name: district.name,
    kind: district.kind,
    electorate: district.electorate,
    status: newest ? newest.stage : 'waiting',
    ballotsCounted: bestPerCategory.reduce((sum, r) => sum + r.ballotsCounted, 0),
    lastReportAt: results.reduce<string | null>((latest, r) => (latest === null || r.receivedAt > latest ? r.receivedAt : latest), null),
    results,
    countedLocallyAt: record.countedLocallyAt.get(district.number) ?? null,
  };
}

export function listDistrictDetails(record: MunicipalityRecord): DistrictDetail[] {
  return record.districts.map((district) => computeDistrictDetail(record, district));
}

/**
 * Puts an accepted result in place as the current one for its district × category × stage and appends
 * a progress point. Returns the district it touched. Mutates the record: the caller owns it.
 */
export function applyAcceptedResult(record: MunicipalityRecord, district: string, result: UnitResult): void {
  const others = (record.results.get(district) ?? []).filter((r) => !(r.category === result.category && r.stage === result.stage));
  record.results.set(district, [...others, result]);
  const summary = computeCountProgress(record);
  record.progress.push({ at: result.receivedAt, districtsReported: summary.districtsReported, ballotsCounted: summary.ballotsCounted });
}

/** Records districts reported as finished locally, keeping the earliest time for each. */
export function applyLocalCounts(record: MunicipalityRecord, districts: string[], at: string, category: CountCategory = 'election_day', stage: CountStage = 'preliminary'): string[] {
  const added: string[] = [];
  for (const district of districts) {
    const key = `${district}|${category}|${stage}`;
    const track = record.localCounts.get(key);
    if (track === undefined || at < track) record.localCounts.set(key, at);
    const held = record.countedLocallyAt.get(district);
    if (held === undefined || at < held) {
      record.countedLocallyAt.set(district, at);
      added.push(district);
    }
  }
  return added;
}
