// The official feed's health as the watchdog over it reports it (POST /api/v1/feed-status), what the pages
// say about where the numbers come from (`source`), and the one incident an outage of the feed raises on
// the operators' board. See docs/api.md "Feed status".
import { z } from 'zod';
import { INT32_MAX, ZInstant } from './ingest.ts';

export const FEED_STATES = ['ok', 'degraded', 'down'] as const;
export const ZFeedState = z.enum(FEED_STATES, { error: 'must be "ok", "degraded" or "down"' });
export type FeedState = z.infer<typeof ZFeedState>;

/** The feed's health on Valgvakt's clock: the watchdog's state, or `late` when it has not reported for 3 intervals. */
export const FEED_HEALTHS = ['ok', 'degraded', 'down', 'late'] as const;
export const ZFeedHealth = z.enum(FEED_HEALTHS);
export type FeedHealth = z.infer<typeof ZFeedHealth>;

export const MAX_UNREADABLE = 50;
/** Ten years: any real lag fits. */
export const MAX_LAG_SECONDS = 315_360_000;
/** An unreadable path's reason as stored and shown. */
export const MAX_UNREADABLE_REASON = 300;

const ZCount = z.number({ error: 'must be a number' }).max(INT32_MAX, { error: `must be at most ${INT32_MAX}`, abort: true })
  .int({ error: 'must be a whole number', abort: true }).nonnegative('must not be negative');
const ZText = (max: number) => z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`)
  .refine((text) => !text.includes('\u0000'), 'must not contain NUL characters');

/** What the watchdog sends after every poll round. */
export const ZFeedStatusReport = z.strictObject({
  /** The feed's name as the pages show it, e.g. "valgresultat.no". */
  source: ZText(80),
  base: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. "https://valgresultat.no"' }).max(300, 'must be at most 300 characters'),
  /** The feed's election, e.g. "2025/st". */
  election: z.string({ error: 'must be a string' }).regex(/^\d{4}\/[a-z0-9-]{1,20}$/, 'must be "<year>/<type>", e.g. "2025/st"'),
  /** When this status was made (Valgvakt's clock); must be after the newest accepted one. */
  at: ZInstant,
  state: ZFeedState,
  /** The watchdog's poll interval; no status for 3 of them makes the feed `late`. */
  intervalSeconds: z.number({ error: 'must be a number' }).int({ error: 'must be a whole number', abort: true })
    .min(1, 'must be at least 1').max(3600, 'must be at most 3600'),
  lastPollAt: ZInstant.nullable(),
  lastGoodPollAt: ZInstant.nullable(),
  consecutiveFailures: ZCount,
  /** Failed requests in the last round. */
  errors: ZCount,
  /**
   * Valgvakt's now minus the newest `rapportGenerert` seen; null before one is seen. A measurement, so bounded
   * loosely (a recording played against a wall clock lags by months, and that is worth showing, not refusing).
   */
  lagSeconds: z.number({ error: 'must be a number' }).finite('must be finite').min(-MAX_LAG_SECONDS, `must be at least -${MAX_LAG_SECONDS}`)
    .max(MAX_LAG_SECONDS, `must be at most ${MAX_LAG_SECONDS}`).nullable(),
  /** The first failed round of the current outage; required while `down`. */
  outageSince: ZInstant.nullable(),
  // A reason is whatever the fetch or the parser said (possibly long): kept, shortened to 300 characters.
  unreadable: z.array(z.strictObject({ path: ZText(500), reason: z.string({ error: 'must be a string' }).max(4000, 'must be at most 4000 characters') }))
    .max(MAX_UNREADABLE, `must list at most ${MAX_UNREADABLE} entries`),
}).superRefine((report, context) => {
  if (report.state === 'down' && report.outageSince === null) {
    context.addIssue({ code: 'custom', path: ['outageSince'], message: 'must be given while state is "down" (the first failed round)' });
  }
  if (report.outageSince !== null && Date.parse(report.outageSince) > Date.parse(report.at)) {
    context.addIssue({ code: 'custom', path: ['outageSince'], message: 'must not be after at' });
  }
  if (report.lastGoodPollAt !== null && Date.parse(report.lastGoodPollAt) > Date.parse(report.at)) {
    context.addIssue({ code: 'custom', path: ['lastGoodPollAt'], message: 'must not be after at' });
  }
});
export type FeedStatusReport = z.infer<typeof ZFeedStatusReport>;

// UTC ("…Z"): the read model compares these strings.
const ZUtc = z.iso.datetime();

/** The change-log payload of an accepted status (`feed.status`): the report with its times in UTC. */
export const ZFeedStatusPayload = z.object({
  source: z.string(),
  base: z.string(),
  election: z.string(),
  at: ZUtc,
  receivedAt: ZUtc,
  state: ZFeedState,
  intervalSeconds: z.number().int(),
  lastPollAt: ZUtc.nullable(),
  lastGoodPollAt: ZUtc.nullable(),
  consecutiveFailures: z.number().int(),
  errors: z.number().int(),
  lagSeconds: z.number().nullable(),
  outageSince: ZUtc.nullable(),
  unreadable: z.array(z.object({ path: z.string(), reason: z.string() })),
});
export type FeedStatusPayload = z.infer<typeof ZFeedStatusPayload>;

/** What the public reads say about the numbers' source (additive `source` of the snapshot and municipality reads). */
export const ZFeedSource = z.object({
  kind: z.enum(['municipalities', 'official_feed']),
  feed: z.object({
    name: z.string(),
    base: z.string(),
    state: ZFeedState,
    lastGoodPollAt: z.string().nullable(),
    lagSeconds: z.number().nullable(),
    health: ZFeedHealth,
    /** When the newest status was made, and the interval: with the server's clock a page knows when it turns `late`. */
    statusAt: z.string(),
    intervalSeconds: z.number().int(),
    outageSince: z.string().nullable(),
  }).nullable(),
});
export type FeedSource = z.infer<typeof ZFeedSource>;

export const FEED_INCIDENT_KINDS = ['feed_down'] as const;

/** The one incident of the feed on the operators' board while it is down or late. */
export const ZFeedIncident = z.object({
  id: z.number().int(),
  kind: z.enum(FEED_INCIDENT_KINDS),
  /** In Norwegian, e.g. "valgresultat.no svarer ikke siden 23:10". */
  reason: z.string(),
  status: z.enum(['open', 'acknowledged', 'resolved']),
  /** When the outage began as the watchdog saw it (or, when late, its last status). */
  since: z.string(),
  raisedAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  ackText: z.string().nullable(),
  resolvedAt: z.string().nullable(),
});
export type FeedIncident = z.infer<typeof ZFeedIncident>;

export const FEED_INCIDENT_CHANGE_KINDS = ['feed.incident.raised', 'feed.incident.acknowledged', 'feed.incident.resolved'] as const;
export type FeedIncidentChangeKind = (typeof FEED_INCIDENT_CHANGE_KINDS)[number];
export const ZFeedIncidentPayload = z.object({ incident: ZFeedIncident });

export const ZAcknowledgeFeedIncident = z.strictObject({
  owner: z.string().trim().min(1).max(80).refine((text) => !text.includes('\u0000'), 'must not contain NUL characters'),
  text: z.string().trim().max(500).refine((text) => !text.includes('\u0000'), 'must not contain NUL characters').default(''),
});
export type AcknowledgeFeedIncident = z.infer<typeof ZAcknowledgeFeedIncident>;

/** The operators' board's feed panel (additive `feed` of the board). */
export const ZFeedPanel = z.object({
  health: ZFeedHealth.nullable(),
  status: ZFeedStatusPayload.nullable(),
  incident: ZFeedIncident.nullable(),
  /** Municipalities whose stall alert the outage holds back. */
  heldStalls: z.number().int(),
});
export type FeedPanel = z.infer<typeof ZFeedPanel>;
