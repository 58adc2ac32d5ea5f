// The public read model: snapshots (HTTP) and deltas (Socket.IO), shared by sidecar and browser.
import { ZElectionInfo } from './election.ts';
import { z } from 'zod';
import { ZClockState } from './clock.ts';
import { ZCountCategory, ZCountStage } from './ingest.ts';
import { ZMunicipalityState } from './ops.ts';
import { ZStateReason } from './state-reason.ts';
import { ZFeedSource } from './feed-status.ts';
import { ZReportedSeats } from './seats.ts';

export const ZMunicipalityStatus = z.enum(['waiting', 'counting', 'complete']);
export type MunicipalityStatus = z.infer<typeof ZMunicipalityStatus>;

export const ZMunicipalitySummary = z.object({
  number: z.string(),
  name: z.string(),
  countyNumber: z.string(),
  countyName: z.string(),
  watch: z.boolean(),
  status: ZMunicipalityStatus,
  /** Election-day districts with a count (either stage) of the districtsTotal expected. */
  districtsReported: z.number().int(),
  districtsTotal: z.number().int(),
  advanceReported: z.boolean(),
  /** Best available count: final where it exists, else preliminary; approved ballots incl. blank. */
  ballotsCounted: z.number().int(),
  electorate: z.number().int(),
  expectedBallots: z.number().int(),
  /** 0..1 of expectedBallots; exactly 1 once every counting unit has reported. */
  countedShare: z.number(),
  finalShare: z.number(),
  lastResultAt: z.string().nullable(),
  /** Health on the night (lib/domain/stall-detection.ts): waiting · counting · slow · stalled · backlog · regressed · complete · under_review. */
  state: ZMunicipalityState,
  stateSince: z.string().nullable(),
  /**
   * In bokmål (`stateReasonFacts` rendered), from the facts of this moment (which units are outstanding now), never with elapsed time:
   * pages render "for 42 min siden" live from stateSince.
   */
  stateReason: z.string(),
  /**
   * The same reason as structured facts (counts by kind and stage, a correction's versions), for a page to
   * render in its reader's language (lib/domain/state-reason.ts `renderStateReason`); `stateReason` is it
   * rendered in bokmål.
   */
  stateReasonFacts: ZStateReason,
  /** What the election directorate wants the public to know, e.g. "Alle stemmesedler telles på nytt". */
  publicNote: z.string().nullable(),
  /**
   * The municipality's own ledger beside the published one: election-day districts it has finished counting
   * (a status report or a result), whether its advance votes are counted, and the ballots those finished
   * districts hold that are not yet published (estimated from electorate × expected turnout, never more
   * than expected − counted). "91 av 101 kretser talt, 21 publisert" is the 2023 story.
   */
  districtsCountedLocally: z.number().int(),
  advanceCountedLocally: z.boolean(),
  ballotsPendingEstimate: z.number().int(),
  /** When the oldest unit counted locally but not yet published was finished; null when none waits. */
  pendingSince: z.string().nullable(),
  /**
   * Turnout in percent (one decimal): ballots cast — approved, blank included, and rejected — per 100 entitled
   * to vote, as counted so far; the municipality's turnout once its status is complete.
   */
  turnout: z.number(),
  /** The turnout expected (percent; the package's, in ko2023 the 2019 turnout). */
  expectedTurnout: z.number(),
  /** The turnout in the previous election of the same kind (the election's comparisonYear), when known. */
  comparisonTurnout: z.number().nullable(),
  /** The list with the most votes counted so far (pooled "Andre lister" never leads); null before any votes. */
  leadingParty: z.object({ code: z.string(), name: z.string(), share: z.number(), seats: z.number().int() }).nullable(),
});
export type MunicipalitySummary = z.infer<typeof ZMunicipalitySummary>;

export const ZPartyResult = z.object({
  code: z.string(),
  name: z.string(),
  votes: z.number().int(),
  /** 0..1 of all list votes counted. */
  share: z.number(),
  /**
   * Share in the previous election of the same kind (2019), over the same area: for a municipality its final
   * 2019 result, nationally the 2019 result of the municipalities counted so far. Null where the list did not
   * stand then or there is no 2019 result.
   */
  previousShare: z.number().nullable(),
  /** share − previousShare: 0.023 is 2.3 percentage points. */
  change: z.number().nullable(),
});
export type PartyResult = z.infer<typeof ZPartyResult>;

export const ZSeatResult = z.object({
  code: z.string(),
  name: z.string(),
  votes: z.number().int(),
  seats: z.number().int(),
  /** Extra votes (others unchanged) that win this list at least one more seat; null when there is none to take. */
  votesToNextSeat: z.number().int().nullable(),
  /** The list that would lose that seat. */
  nextSeatFrom: z.string().nullable(),
  /** Votes the list could lose and keep its last seat; null without seats. */
  votesToSpareOnLastSeat: z.number().int().nullable(),
  /** The list that would take that seat. */
  lastSeatTo: z.string().nullable(),
});
export type SeatResult = z.infer<typeof ZSeatResult>;

/** Council seats by modified Sainte-Laguë (first divisor 1.4) on the votes counted so far (lib/domain/seats.ts). */
export const ZCouncilSeats = z.object({
  councilSize: z.number().int(),
  /** True until every counting unit has its final count: the seats may still change. */
  provisional: z.boolean(),
  /** Lists (largest first) that stand for seats: real lists with votes; "Andre lister" pools several and takes none. */
  lists: z.array(ZSeatResult),
  /** Lists in an exact tie for the last seat, which the law settles by lot; the seat shown is not decided. */
  drawnByLot: z.array(z.string()),
});
export type CouncilSeats = z.infer<typeof ZCouncilSeats>;

/** Per national party: councils where it has the most votes counted, and council seats won, over all municipalities. */
export const ZPartyCouncils = z.object({
  code: z.string(),
  name: z.string(),
  councilsLed: z.number().int(),
  seats: z.number().int(),
});
export type PartyCouncils = z.infer<typeof ZPartyCouncils>;

/** An area's turnout (lib/domain/turnout.ts), in percent with one decimal. */
export const ZTurnoutTotals = z.object({
  /** Ballots cast counted so far per 100 entitled to vote in the whole area. */
  soFar: z.number(),
  /** Expected over the whole area (the municipalities' expected turnouts, weighted by electorate). */
  expected: z.number(),
  /**
   * Over the municipalities complete so far: their turnout and, like for like over those of them with a
   * previous figure, their turnout now and in the previous election (weighted by today's electorate). Null
   * until one is complete.
   */
  complete: z.object({
    municipalities: z.number().int(),
    turnout: z.number(),
    /** Like for like: over those of them with a previous figure, their turnout now and then. */
    comparison: z.object({ municipalities: z.number().int(), turnout: z.number(), previous: z.number() }).nullable(),
  }).nullable(),
});
export type TurnoutTotals = z.infer<typeof ZTurnoutTotals>;

export const ZNationalTotals = z.object({
  municipalitiesTotal: z.number().int(),
  municipalitiesReporting: z.number().int(),
  municipalitiesComplete: z.number().int(),
  districtsReported: z.number().int(),
  districtsTotal: z.number().int(),
  ballotsCounted: z.number().int(),
  expectedBallots: z.number().int(),
  countedShare: z.number(),
  parties: z.array(ZPartyResult),
  /** Local lists count as "Andre"; municipalities without votes counted lead nowhere. */
  councils: z.array(ZPartyCouncils),
  /** Entitled to vote in the area. */
  electorate: z.number().int(),
  turnout: ZTurnoutTotals,
});
export type NationalTotals = z.infer<typeof ZNationalTotals>;

export const ZSnapshot = z.object({
  seq: z.number().int(),
  generatedAt: z.string(),
  /** The sidecar's clock when this was served (simulated during a replay). */
  clock: ZClockState,
  election: ZElectionInfo,
  national: ZNationalTotals,
  municipalities: z.array(ZMunicipalitySummary),
  /** Seats as a source reported them, national first, then by county (elections of kind storting; else empty). */
  reportedSeats: z.array(ZReportedSeats),
  /** Where the numbers come from: the municipalities' own reports or the official feed, with its health when served. */
  source: ZFeedSource.optional(),
});
export type Snapshot = z.infer<typeof ZSnapshot>;

/** A county's roll-up of its municipalities, in the same terms as the national totals. */
export const ZCountyDetail = z.object({
  seq: z.number().int(),
  generatedAt: z.string(),
  clock: ZClockState,
  county: z.object({ number: z.string(), name: z.string() }),
  totals: ZNationalTotals,
  municipalities: z.array(ZMunicipalitySummary),
  /** The county's seats as a source reported them (at most one entry; none before a report). */
  reportedSeats: z.array(ZReportedSeats),
  /** As the snapshot's `source`: a county page says where its numbers come from like every other page. */
  source: ZFeedSource.optional(),
});
export type CountyDetail = z.infer<typeof ZCountyDetail>;

export const ZUnitResult = z.object({
  category: ZCountCategory,
  stage: ZCountStage,
  version: z.number().int(),
  countedAt: z.string(),
  receivedAt: z.string(),
  ballotsCounted: z.number().int(),
  ballotsRejected: z.number().int(),
  ballotsBlank: z.number().int(),
  votes: z.record(z.string(), z.number().int()),
});
export type UnitResult = z.infer<typeof ZUnitResult>;

export const ZDistrictDetail = z.object({
  number: z.string(),
  name: z.string(),
  kind: z.enum(['advance', 'election_day']),
  electorate: z.number().int(),
  /** The newest stage reported for this district's own category; 'waiting' before any. */
  status: z.enum(['waiting', 'preliminary', 'final']),
  ballotsCounted: z.number().int(),
  lastReportAt: z.string().nullable(),
  /** Current version per category × stage. */
  results: z.array(ZUnitResult),
  /** When the municipality said this district finished counting locally (any category/stage), if it did. */
  countedLocallyAt: z.string().nullable(),
});
export type DistrictDetail = z.infer<typeof ZDistrictDetail>;

export const ZProgressPoint = z.object({
  at: z.string(),
  districtsReported: z.number().int(),
  ballotsCounted: z.number().int(),
});
export type ProgressPoint = z.infer<typeof ZProgressPoint>;

export const ZMunicipalityDetail = z.object({
  seq: z.number().int(),
  generatedAt: z.string(),
  clock: ZClockState,
  municipality: ZMunicipalitySummary.extend({ councilSize: z.number().int() }),
  parties: z.array(ZPartyResult),
  seats: ZCouncilSeats,
  districts: z.array(ZDistrictDetail),
  progress: z.array(ZProgressPoint),
  /** As the snapshot's `source`. */
  source: ZFeedSource.optional(),
});
export type MunicipalityDetail = z.infer<typeof ZMunicipalityDetail>;

/**
 * Deltas replace the state of what changed in (prevSeq, seq]. A client holding state at S applies a delta
 * when prevSeq <= S < seq, ignores it when seq <= S, and fetches a snapshot when S < prevSeq (a gap).
 * prevSeq is per room: the seq of the previous delta sent to that room.
 */
export const ZOverviewDelta = z.object({
  prevSeq: z.number().int(),
  seq: z.number().int(),
  clock: ZClockState,
  municipalities: z.array(ZMunicipalitySummary),
  national: ZNationalTotals,
  /** Areas whose reported seats changed in (prevSeq, seq], whole; absent when none did. */
  reportedSeats: z.array(ZReportedSeats).optional(),
  /** The numbers' source as of seq, while it is the official feed (absent while it is the municipalities'). */
  source: ZFeedSource.optional(),
});
export type OverviewDelta = z.infer<typeof ZOverviewDelta>;

/**
 * What can change in a municipality's summary; the rest (name, county, electorate, …) is in the snapshot.
 * `watch` is here because operators edit the watchlist during the night.
 */
export const ZMunicipalityProgress = ZMunicipalitySummary.omit({
  name: true, countyNumber: true, countyName: true, districtsTotal: true, electorate: true, expectedBallots: true, expectedTurnout: true, comparisonTurnout: true,
});
export type MunicipalityProgress = z.infer<typeof ZMunicipalityProgress>;

const ZVotesByCode = z.record(z.string(), z.number().int());

/**
 * The national figures that change, from which the totals follow (lib/domain/national.ts
 * `nationalTotalsFrom`): list votes rather than shares, party codes rather than names.
 */
export const ZNationalCounts = z.object({
  municipalitiesReporting: z.number().int(),
  municipalitiesComplete: z.number().int(),
  districtsReported: z.number().int(),
  ballotsCounted: z.number().int(),
  countedShare: z.number(),
  /** List votes per national code (local lists as ANDRE); codes without votes are left out. */
  votes: ZVotesByCode,
  /** 2019 votes per code in the municipalities counted so far (like for like); null before any are counted. */
  previousVotes: ZVotesByCode.nullable(),
  /** Councils each code leads, and council seats it holds; codes with none are left out. */
  councilsLed: ZVotesByCode,
  seats: ZVotesByCode,
  turnout: z.object({
    ballotsCast: z.number().int(),
    completeMunicipalities: z.number().int(),
    completeBallotsCast: z.number().int(),
    completeElectorate: z.number().int(),
    /** Of the complete municipalities, those with a previous figure: how many, their ballots cast, previous voters and electorate. */
    comparisonMunicipalities: z.number().int(),
    comparisonBallotsCast: z.number().int(),
    comparisonVoters: z.number().int(),
    comparisonElectorate: z.number().int(),
  }),
});
export type NationalCounts = z.infer<typeof ZNationalCounts>;
export type TurnoutCounts = NationalCounts['turnout'];

/**
 * The compact overview delta (`overview:patch`, for connections that ask for it): the same (prevSeq, seq]
 * rule and the same information as `overview:updated` at a third of the bytes, for a client that holds the
 * snapshot — what the site's own pages do (lib/domain/overview-patch.ts applies it).
 */
export const ZOverviewPatch = ZOverviewDelta.extend({
  municipalities: z.array(ZMunicipalityProgress),
  national: ZNationalCounts,
});
export type OverviewPatch = z.infer<typeof ZOverviewPatch>;

/** Handshake `auth` of a /live connection: `overview: 'compact'` gets `overview:patch` instead of `overview:updated`. */
export const ZLiveAuth = z.object({ overview: z.enum(['full', 'compact']).default('full') }).catch({ overview: 'full' });

export const ZMunicipalityDelta = z.object({
  prevSeq: z.number().int(),
  seq: z.number().int(),
  clock: ZClockState,
  number: z.string(),
  municipality: ZMunicipalityDetail.shape.municipality,
  parties: z.array(ZPartyResult),
  seats: ZCouncilSeats,
  districts: z.array(ZDistrictDetail),
  progress: z.array(ZProgressPoint),
  /** As the detail's `source`, while it is the official feed. */
  source: ZFeedSource.optional(),
});
export type MunicipalityDelta = z.infer<typeof ZMunicipalityDelta>;

export const ZJoinMunicipality = z.object({ number: z.string().regex(/^\d{4}$/) });

/** A subscriber asks how far behind it is: the seq it holds against the newest this node has applied. */
export const ZSyncCheck = z.object({ seq: z.number().int().nonnegative() });
export type SyncCheck = z.infer<typeof ZSyncCheck>;
export const ZSyncStatus = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), seq: z.number().int(), latestSeq: z.number().int(), behind: z.number().int(), serverTime: z.string() }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type SyncStatus = z.infer<typeof ZSyncStatus>;
export type JoinMunicipality = z.infer<typeof ZJoinMunicipality>;

export const ZJoinAck = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), detail: ZMunicipalityDetail }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type JoinAck = z.infer<typeof ZJoinAck>;

/**
 * A viewer back on a new connection that Socket.IO could not recover (the live process restarted, or the
 * page was away too long) asks for what changed after the seq it holds, instead of a whole snapshot.
 */
export const ZOverviewCatchUp = z.object({ seq: z.number().int().nonnegative() });
export type OverviewCatchUp = z.infer<typeof ZOverviewCatchUp>;
/**
 * One delta (seq, latest] in the form of the connection's overview room: `overview:patch`'s for a compact
 * connection, `overview:updated`'s otherwise; then the room's deltas follow it. Refused when this node has
 * not reached that seq (fetch the snapshot then).
 */
export const ZOverviewCatchUpAck = z.union([
  z.object({ ok: z.literal(true), form: z.literal('compact'), delta: ZOverviewPatch }),
  z.object({ ok: z.literal(true), form: z.literal('full'), delta: ZOverviewDelta }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type OverviewCatchUpAck = z.infer<typeof ZOverviewCatchUpAck>;

/** Socket.IO namespace for public viewers. Read-only: the only commands join and leave rooms. */
export const LIVE_NAMESPACE = '/live';
export const OVERVIEW_ROOM = 'overview';
/** The overview room of connections that asked for compact deltas. */
export const OVERVIEW_PATCH_ROOM = 'overview:compact';
export const MUNICIPALITY_ROOM_PREFIX = 'municipality:';
export const municipalityRoom = (number: string): string => `${MUNICIPALITY_ROOM_PREFIX}${number}`;

export interface LiveServerToClientEvents {
  'overview:updated': (delta: OverviewDelta) => void;
  'overview:patch': (patch: OverviewPatch) => void;
  'municipality:updated': (delta: MunicipalityDelta) => void;
}

export interface LiveClientToServerEvents {
  'municipality:join': (request: JoinMunicipality, ack: (reply: JoinAck) => void) => void;
  'municipality:leave': (request: JoinMunicipality) => void;
  'sync:check': (request: SyncCheck, ack: (reply: SyncStatus) => void) => void;
  'overview:catch-up': (request: OverviewCatchUp, ack: (reply: OverviewCatchUpAck) => void) => void;
}
