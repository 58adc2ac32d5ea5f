// Entries of the append-only change log. Each carries everything needed to fold it into the read model,
// so a sidecar rebuilds its state from the log alone and live updates take the same path as start-up.
import { z } from 'zod';
import { FEED_INCIDENT_CHANGE_KINDS, ZFeedIncidentPayload, ZFeedStatusPayload } from './feed-status.ts';
import { ZSeatsReportedPayload } from './seats.ts';
import { ZCountCategory, ZCountStage } from './ingest.ts';
import { ZAlert, ZMunicipalityState } from './ops.ts';
import { ZStateReason } from './state-reason.ts';

// UTC ("…Z") only: the read model orders times by comparing these strings.
const ZUtcInstant = z.iso.datetime();

export const ZResultAcceptedPayload = z.object({
  municipality: z.string(),
  district: z.string(),
  category: ZCountCategory,
  stage: ZCountStage,
  version: z.number().int(),
  previousVersion: z.number().int().nullable(),
  countedAt: ZUtcInstant,
  receivedAt: ZUtcInstant,
  ballots: z.object({ counted: z.number().int(), rejected: z.number().int(), blank: z.number().int() }),
  previousBallots: z.object({ counted: z.number().int(), rejected: z.number().int(), blank: z.number().int() }).nullable(),
  votes: z.record(z.string(), z.number().int()),
  /**
   * Set when the report came in a batch (POST /api/v1/results/batch) of more than one accepted report: its
   * place among them and how many. A batch's changes are consecutive in the log; a lowering in one is judged
   * on the municipality's published count per category once the whole batch is folded. Absent in older entries.
   */
  batch: z.object({ index: z.number().int().min(0), size: z.number().int().min(2) }).optional(),
});
export type ResultAcceptedPayload = z.infer<typeof ZResultAcceptedPayload>;

export const ZStatusReportedPayload = z.object({
  municipality: z.string(),
  category: ZCountCategory,
  stage: ZCountStage,
  at: ZUtcInstant,
  receivedAt: ZUtcInstant,
  districts: z.array(z.string()),
  /** The districts this report was the first to declare counted locally. */
  newlyCounted: z.array(z.string()),
  /** The report announced a recount (absent in reports without one, and in entries from before the field). */
  recount: z.boolean().optional(),
  recountReason: z.string().optional(),
});
export type StatusReportedPayload = z.infer<typeof ZStatusReportedPayload>;

export const ZStateChangedPayload = z.object({
  municipality: z.string(),
  from: ZMunicipalityState,
  to: ZMunicipalityState,
  since: ZUtcInstant.nullable(),
  /** The reason in bokmål, as it was when the state changed. */
  reason: z.string(),
  /** The same reason as facts, for the log to tell in its reader's language (absent in entries from before the field). */
  reasonFacts: ZStateReason.optional(),
});
export type StateChangedPayload = z.infer<typeof ZStateChangedPayload>;

export const ZAlertChangedPayload = z.object({ municipality: z.string(), alert: ZAlert });
export type AlertChangedPayload = z.infer<typeof ZAlertChangedPayload>;

/** Why Valgvakt changed a municipality's oversight by itself (lib/domain/oversight-follow-up.ts). */
export const OVERSIGHT_CAUSES = ['complete', 'final_complete', 'recount_announced'] as const;
export type OversightCause = (typeof OVERSIGHT_CAUSES)[number];

const ZOversightState = z.object({ underReview: z.boolean(), publicNote: z.string().nullable() });
export const ZOversightChangedPayload = z.object({
  municipality: z.string(),
  before: ZOversightState,
  after: ZOversightState,
  by: z.string(),
  /** Set when Valgvakt changed it by itself, in bokmål: what ended or began (e.g. "ferdig opptalt"). */
  reason: z.string().optional(),
  /** The same as a code, for the log to tell in its reader's language (absent in entries from before the field). */
  cause: z.enum(OVERSIGHT_CAUSES).optional(),
});
export type OversightChangedPayload = z.infer<typeof ZOversightChangedPayload>;

export const ZWatchState = z.object({ watch: z.boolean(), reason: z.string().nullable() });
/** An operator put a municipality on the watchlist, took it off, or gave a new reason for watching it. */
export const ZWatchlistChangedPayload = z.object({
  municipality: z.string(),
  before: ZWatchState,
  after: ZWatchState,
  /** The reason the operator gave for this change (also for a removal, where `after.reason` is null). */
  reason: z.string(),
  by: z.string(),
});
export type WatchlistChangedPayload = z.infer<typeof ZWatchlistChangedPayload>;

export const ALERT_CHANGE_KINDS = ['alert.raised', 'alert.updated', 'alert.acknowledged', 'alert.reopened', 'alert.resolved'] as const;
export type AlertChangeKind = (typeof ALERT_CHANGE_KINDS)[number];

export const ZChangeEntry = z.discriminatedUnion('kind', [
  z.object({ seq: z.number().int(), kind: z.literal('result.accepted'), actor: z.string(), at: z.string(), payload: ZResultAcceptedPayload }),
  z.object({ seq: z.number().int(), kind: z.literal('status.reported'), actor: z.string(), at: z.string(), payload: ZStatusReportedPayload }),
  z.object({ seq: z.number().int(), kind: z.literal('state.changed'), actor: z.string(), at: z.string(), payload: ZStateChangedPayload }),
  z.object({ seq: z.number().int(), kind: z.enum(ALERT_CHANGE_KINDS), actor: z.string(), at: z.string(), payload: ZAlertChangedPayload }),
  z.object({ seq: z.number().int(), kind: z.literal('oversight.changed'), actor: z.string(), at: z.string(), payload: ZOversightChangedPayload }),
  z.object({ seq: z.number().int(), kind: z.literal('watchlist.changed'), actor: z.string(), at: z.string(), payload: ZWatchlistChangedPayload }),
  // An area's seats as a source reported them (elections of kind storting); concerns no one municipality.
  z.object({ seq: z.number().int(), kind: z.literal('seats.reported'), actor: z.string(), at: z.string(), payload: ZSeatsReportedPayload }),
  // The official feed's health as its watchdog reported it, and the one incident an outage raises; neither
  // concerns one municipality.
  z.object({ seq: z.number().int(), kind: z.literal('feed.status'), actor: z.string(), at: z.string(), payload: ZFeedStatusPayload }),
  z.object({ seq: z.number().int(), kind: z.enum(FEED_INCIDENT_CHANGE_KINDS), actor: z.string(), at: z.string(), payload: ZFeedIncidentPayload }),
]);
export type ChangeEntry = z.infer<typeof ZChangeEntry>;
export type ChangeKind = ChangeEntry['kind'];

/** Changes that concern the whole election rather than one municipality (the read model folds them itself). */
export const ELECTION_CHANGE_KINDS = ['seats.reported', 'feed.status', ...FEED_INCIDENT_CHANGE_KINDS] as const;
export type ElectionChange = Extract<ChangeEntry, { kind: (typeof ELECTION_CHANGE_KINDS)[number] }>;
export function isElectionChange(change: ChangeEntry): change is ElectionChange {
  return ELECTION_CHANGE_KINDS.some((kind) => kind === change.kind);
}

/** What every draft carries besides its kind and payload. */
interface ChangeDraftBase {
  electionId: string;
  /** Null for a change of the whole election or a county (`seats.reported`). */
  municipalityId: number | null;
  actor: string;
  at: Date;
}

// Distributes over the entry union, so each draft's payload is the one its kind names.
type DraftOf<Entry> = Entry extends ChangeEntry ? ChangeDraftBase & Pick<Entry, 'kind' | 'payload'> : never;

/** An alert's change (raised, updated, acknowledged, reopened, resolved). */
export type AlertChange = Extract<ChangeEntry, { kind: AlertChangeKind }>;
export function isAlertChangeKind(kind: string): kind is AlertChangeKind {
  return ALERT_CHANGE_KINDS.some((alertKind) => alertKind === kind);
}
export function isAlertChange(change: ChangeEntry): change is AlertChange {
  return isAlertChangeKind(change.kind);
}

/** A change-log entry before the database has drawn its seq: what a decision asks to append. */
export type ChangeDraft = DraftOf<ChangeEntry>;
