// Operations: municipality states, the two-ledger reconciliation, alerts and what operators say.
import { z } from 'zod';
import { ZClockState } from './clock.ts';
import { ZFeedPanel } from './feed-status.ts';
import { ZStateReason } from './state-reason.ts';

export const MUNICIPALITY_STATES = ['waiting', 'counting', 'slow', 'stalled', 'backlog', 'regressed', 'complete', 'under_review'] as const;
export const ZMunicipalityState = z.enum(MUNICIPALITY_STATES);
export type MunicipalityState = z.infer<typeof ZMunicipalityState>;

/** States that raise an alert. */
export const ALERT_KINDS = ['slow', 'stalled', 'backlog', 'regressed'] as const;
export const ZAlertKind = z.enum(ALERT_KINDS);
export type AlertKind = z.infer<typeof ZAlertKind>;
export function isAlertKind(state: MunicipalityState): state is AlertKind {
  return ALERT_KINDS.some((kind) => kind === state);
}

/** "Counted locally" (status reports) against "received" (results), for one municipality or the nation. */
export const ZReconciliation = z.object({
  districtsCountedLocally: z.number().int(),
  districtsReceived: z.number().int(),
  /** Counted locally but no result received. */
  districtsPending: z.number().int(),
  ballotsReceived: z.number().int(),
  /** Estimate for the pending districts: their electorate × expected turnout. */
  ballotsPendingEstimate: z.number().int(),
  /** When the oldest pending district was counted locally. */
  oldestPendingSince: z.string().nullable(),
});
export type Reconciliation = z.infer<typeof ZReconciliation>;

export const ZStateInfo = z.object({
  state: ZMunicipalityState,
  since: z.string().nullable(),
  /** In bokmål, e.g. "ingen nye kretser — 10 av 101 gjenstår" (`reasonFacts` rendered). */
  reason: z.string(),
  /** The same reason as structured facts, for the console to render in its operator's language (`reason` is it in bokmål). */
  reasonFacts: ZStateReason,
  /** The state the rules give when an operator has set "under review". */
  underlyingState: ZMunicipalityState,
  publicNote: z.string().nullable(),
  lastContactAt: z.string().nullable(),
  reconciliation: ZReconciliation,
});
export type StateInfo = z.infer<typeof ZStateInfo>;

export const ZQueueMetrics = z.object({
  /** Districts counted locally whose results have not arrived, nationally. */
  depth: z.number().int(),
  oldestPendingSince: z.string().nullable(),
  /** Pending results received per minute over the last 10 minutes. */
  drainPerMinute: z.number(),
  /** Minutes to drain at that rate; null when nothing drains. */
  etaMinutes: z.number().nullable(),
  municipalitiesWithBacklog: z.number().int(),
  /** The two ledgers nationally: districts counted locally and received, and ballots received and pending. */
  districtsCountedLocally: z.number().int(),
  districtsReceived: z.number().int(),
  ballotsReceived: z.number().int(),
  ballotsPendingEstimate: z.number().int(),
});
export type QueueMetrics = z.infer<typeof ZQueueMetrics>;

/** Text an operator writes that is stored: PostgreSQL text cannot hold NUL, so it is refused here (a 4xx, not a failed write). */
const noNul = (text: string) => !text.includes('\u0000');
const NO_NUL = 'must not contain NUL characters';
const ZOperatorText = (max: number) => z.string().trim().max(max).refine(noNul, NO_NUL);

export const ACK_REASON_CODES = ['known_delay', 'contacted_municipality', 'technical_problem', 'recount', 'other'] as const;
export const ZAckReasonCode = z.enum(ACK_REASON_CODES);

export const ZAlert = z.object({
  id: z.number().int(),
  municipality: z.string(),
  name: z.string(),
  kind: ZAlertKind,
  /** In bokmål. */
  reason: z.string(),
  /** The same reason as structured facts, to tell in the reader's language; absent on alerts raised before they were kept. */
  reasonFacts: ZStateReason.optional(),
  status: z.enum(['open', 'acknowledged', 'resolved']),
  raisedAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  ackReasonCode: ZAckReasonCode.nullable(),
  ackText: z.string().nullable(),
  ackExpiresAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
});
export type Alert = z.infer<typeof ZAlert>;

export const ZAcknowledgeAlert = z.strictObject({
  reasonCode: ZAckReasonCode,
  text: ZOperatorText(500).default(''),
  owner: z.string().trim().min(1).max(80).refine(noNul, NO_NUL),
  /** After this many (clock) minutes an unresolved alert alerts again. */
  expiresInMinutes: z.number().int().min(1).max(24 * 60),
  /** Shown on the public pages and in the API; null clears it, absent leaves it. */
  publicNote: ZOperatorText(280).nullable().optional(),
});
export type AcknowledgeAlert = z.infer<typeof ZAcknowledgeAlert>;

export const ZSetOversight = z.strictObject({
  underReview: z.boolean().optional(),
  publicNote: ZOperatorText(280).nullable().optional(),
}).refine((v) => v.underReview !== undefined || v.publicNote !== undefined, 'give underReview, publicNote or both');
export type SetOversight = z.infer<typeof ZSetOversight>;

/** The answer to a change of oversight: where the municipality stands now. */
export const ZOversightAnswer = z.object({ municipality: z.string(), underReview: z.boolean(), publicNote: z.string().nullable(), state: ZMunicipalityState });
export type OversightAnswer = z.infer<typeof ZOversightAnswer>;

/** One row of the stall board. */
export const ZBoardRow = z.object({
  number: z.string(),
  name: z.string(),
  countyName: z.string(),
  watch: z.boolean(),
  stateInfo: ZStateInfo,
  districtsReported: z.number().int(),
  districtsTotal: z.number().int(),
  ballotsCounted: z.number().int(),
  expectedBallots: z.number().int(),
  /** Ranking key: ballots still to come (expected − counted, at least 0). */
  ballotsOutstanding: z.number().int(),
  lastResultAt: z.string().nullable(),
  alertId: z.number().int().nullable(),
});
export type BoardRow = z.infer<typeof ZBoardRow>;

/** The body of `PUT` and `DELETE /api/v1/ops/watchlist/:number`: why the operator adds or removes it. */
export const ZWatchlistChange = z.strictObject({
  reason: z.string().trim().min(1, 'give a reason').max(280).refine(noNul, NO_NUL),
});
export type WatchlistChange = z.infer<typeof ZWatchlistChange>;

/** One municipality on the watchlist, as the console lists it. */
export const ZWatchlistEntry = z.object({
  number: z.string(),
  name: z.string(),
  countyName: z.string(),
  /** Why an operator added it; null when it came with the election's reference data. */
  reason: z.string().nullable(),
});
export type WatchlistEntry = z.infer<typeof ZWatchlistEntry>;

/** The answer to a watchlist change: where the municipality stands now. */
export const ZWatchlistAnswer = z.object({
  municipality: z.string(),
  name: z.string(),
  watch: z.boolean(),
  reason: z.string().nullable(),
  /** False when the request changed nothing (already so, with the same reason). */
  changed: z.boolean(),
});
export type WatchlistAnswer = z.infer<typeof ZWatchlistAnswer>;

export const ZQueuePoint = z.object({ at: z.string(), depth: z.number().int() });

export const ZOpsBoard = z.object({
  seq: z.number().int(),
  clock: ZClockState,
  /** Every municipality not complete, watchlist first, then by ballots outstanding. */
  rows: z.array(ZBoardRow),
  alerts: z.array(ZAlert),
  queue: ZQueueMetrics,
  queueHistory: z.array(ZQueuePoint),
  /** Every municipality on the watchlist (complete ones too), by number. */
  watchlist: z.array(ZWatchlistEntry),
  /** The official feed's watchdog: its newest status, the feed's health and incident (absent from older sidecars). */
  feed: ZFeedPanel.optional(),
});
export type OpsBoard = z.infer<typeof ZOpsBoard>;

/** A municipality's counting progress over time, with the spans it was stalled or in backlog. */
export const ZMunicipalityTimeline = z.object({
  number: z.string(),
  progress: z.array(z.object({ at: z.string(), districtsReported: z.number().int(), ballotsCounted: z.number().int() })),
  spans: z.array(z.object({ state: ZMunicipalityState, from: z.string(), to: z.string().nullable() })),
});
export type MunicipalityTimeline = z.infer<typeof ZMunicipalityTimeline>;

export const OPS_NAMESPACE = '/ops';
export interface OpsServerToClientEvents {
  /** The whole board, sent on every change and state transition (coalesced). */
  'board:updated': (board: OpsBoard) => void;
}
// The console only listens; operator actions go through the HTTP API.
export type OpsClientToServerEvents = Record<string, never>;

/** One entry of the public revision log. */
export const ZRevision = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  kind: z.string(),
  municipality: z.string().nullable(),
  municipalityName: z.string().nullable(),
  /** In the language asked for (`lang`, bokmål by default), e.g. "krets 0101 (valgtingsstemmer): korrigert: versjon 2 erstatter versjon 1 (−12 stemmesedler)". */
  description: z.string(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
});
export type Revision = z.infer<typeof ZRevision>;

export const ZRevisionPage = z.object({
  latestSeq: z.number().int(),
  revisions: z.array(ZRevision),
  /** Paging back (`before` given): the `before` of the next older page, null when there is none. */
  nextBefore: z.number().int().nullable().optional(),
});
export type RevisionPage = z.infer<typeof ZRevisionPage>;
