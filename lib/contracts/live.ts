// The public read model: snapshots (HTTP) and deltas (Socket.IO), shared by sidecar and browser.
import { z } from 'zod';
import { ZClockState } from './clock.ts';
import { ZCountCategory, ZCountStage } from './ingest.ts';
import { ZMunicipalityState } from './ops.ts';

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
  /** Health on the night (lib/domain/municipality-state.ts): waiting · counting · slow · stalled · backlog · regressed · complete · under_review. */
  state: ZMunicipalityState,
  stateSince: z.string().nullable(),
  /** In Norwegian, as of the last state change. */
  stateReason: z.string(),
  /** What the election directorate wants the public to know, e.g. "Alle stemmesedler telles på nytt". */
  publicNote: z.string().nullable(),
});
export type MunicipalitySummary = z.infer<typeof ZMunicipalitySummary>;

export const ZPartyResult = z.object({
  code: z.string(),
  name: z.string(),
  votes: z.number().int(),
  /** 0..1 of all list votes counted. */
  share: z.number(),
});
export type PartyResult = z.infer<typeof ZPartyResult>;

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
});
export type NationalTotals = z.infer<typeof ZNationalTotals>;

export const ZSnapshot = z.object({
  seq: z.number().int(),
  generatedAt: z.string(),
  /** The sidecar's clock when this was served (simulated during a replay). */
  clock: ZClockState,
  election: z.object({ id: z.string(), name: z.string() }),
  national: ZNationalTotals,
  municipalities: z.array(ZMunicipalitySummary),
});
export type Snapshot = z.infer<typeof ZSnapshot>;

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
  municipality: ZMunicipalitySummary.extend({ councilSize: z.number().int(), expectedTurnout: z.number() }),
  parties: z.array(ZPartyResult),
  districts: z.array(ZDistrictDetail),
  progress: z.array(ZProgressPoint),
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
});
export type OverviewDelta = z.infer<typeof ZOverviewDelta>;

export const ZMunicipalityDelta = z.object({
  prevSeq: z.number().int(),
  seq: z.number().int(),
  clock: ZClockState,
  number: z.string(),
  municipality: ZMunicipalityDetail.shape.municipality,
  parties: z.array(ZPartyResult),
  districts: z.array(ZDistrictDetail),
  progress: z.array(ZProgressPoint),
});
export type MunicipalityDelta = z.infer<typeof ZMunicipalityDelta>;

export const ZJoinMunicipality = z.object({ number: z.string().regex(/^\d{4}$/) });
export type JoinMunicipality = z.infer<typeof ZJoinMunicipality>;

export type JoinAck = { ok: true; detail: MunicipalityDetail } | { ok: false; error: string };

/** Socket.IO namespace for public viewers. Read-only: the only commands join and leave rooms. */
export const LIVE_NAMESPACE = '/live';
export const OVERVIEW_ROOM = 'overview';
export const municipalityRoom = (number: string): string => `municipality:${number}`;

export interface LiveServerToClientEvents {
  'overview:updated': (delta: OverviewDelta) => void;
  'municipality:updated': (delta: MunicipalityDelta) => void;
}

export interface LiveClientToServerEvents {
  'municipality:join': (request: JoinMunicipality, ack: (reply: JoinAck) => void) => void;
  'municipality:leave': (request: JoinMunicipality) => void;
}
