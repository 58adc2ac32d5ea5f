// The pure parts of the watchdog's walk over the official feed (no I/O, no clock): which bodies to fetch,
// how long to wait before a retry (full jitter, Retry-After honoured), what counts as the feed being
// degraded or down, and the body of POST /api/v1/feed-status. scripts/watch-official.ts does the fetching.
import { formatZonedIso } from '../election-package/zoned-time.ts';
import type { FeedBody } from './feed-2025.ts';
import { FEED_SOURCE, FEED_TIME_ZONE, readFeedTime } from './to-reports.ts';

/** Retries of one request; the rest of the round goes on without the body. */
export const MAX_ATTEMPTS = 4;
export const BACKOFF = { baseMs: 500, capMs: 30_000 } as const;
/** The contract's bound on `unreadable` entries in one feed-status report. */
export const MAX_UNREADABLE = 50;
/** The contract's bound on an entry's `path` and `reason` (characters). */
export const MAX_UNREADABLE_TEXT = 300;

const clip = (text: string) => (text.length <= MAX_UNREADABLE_TEXT ? text : `${text.slice(0, MAX_UNREADABLE_TEXT - 1)}…`);

/** The URL of a body: the base, `/api`, and the body's own `_links.self.href` (e.g. /2025/st/03/0301). */
export function feedUrl(base: string, href: string): string {
  return `${base.replace(/\/+$/, '')}/api${href.startsWith('/') ? href : `/${href}`}`;
}

/** The national body's path of an election given as `<year>/<type>` (e.g. "2025/st"), or null if malformed. */
export function electionRootPath(election: string): string | null {
  return /^\d{4}\/[a-z]{2,4}$/.test(election) ? `/${election}` : null;
}

/** Full-jitter exponential backoff: uniformly random in [0, min(cap, base · 2^attempt)) (attempt 0 = first retry). */
export function computeBackoffMs(attempt: number, random: () => number, options: { baseMs: number; capMs: number } = BACKOFF): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}

/**
 * A `Retry-After` header in milliseconds from `nowMs`: delta-seconds or an HTTP date (RFC 9110 §10.2.3);
 * null when absent or unreadable, 0 for a date already past.
 */
export function parseRetryAfterMs(header: string | null | undefined, nowMs: number): number | null {
  if (header === null || header === undefined) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** How long to wait before retry number `attempt`: what the server asks for, at least, else the jittered backoff. */
export function computeRetryDelayMs(attempt: number, retryAfterMs: number | null, random: () => number, options = BACKOFF): number {
  const jittered = computeBackoffMs(attempt, random, options);
  return retryAfterMs === null ? jittered : Math.max(retryAfterMs, jittered);
}

/** Answers worth another try: timeouts, rate limits and server errors. A 4xx otherwise will not change. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

export type Unreadable = { path: string; reason: string };

/** What one round of the walk read, for the health rules. */
export type RoundOutcome = {
  /** When the round started, on Valgvakt's clock. */
  at: Date;
  /** Requests made (304 answers and bodies alike). */
  requests: number;
  /** Bodies that could not be read: failed requests and bodies the parser refused. */
  unreadable: Unreadable[];
  /** Requests that failed (network error, timeout, non-2xx/304 status) after their retries. */
  errors: number;
  /** The national body could not be read: nothing below it can be planned. */
  rootFailed: boolean;
  /** The newest `rapportGenerert` of any body held after the round (Oslo local, no offset), or null. */
  newestReport: string | null;
};

export type FeedHealthState = 'ok' | 'degraded' | 'down';
export type FeedHealth = {
  state: FeedHealthState;
  lastPollAt: Date | null;
  lastGoodPollAt: Date | null;
  consecutiveFailures: number;
  outageSince: Date | null;
  errors: number;
  unreadable: Unreadable[];
  newestReport: string | null;
};

export const INITIAL_HEALTH: FeedHealth = { state: 'ok', lastPollAt: null, lastGoodPollAt: null, consecutiveFailures: 0, outageSince: null, errors: 0, unreadable: [], newestReport: null };

/**
 * The feed's health after a round. `down`: the service answered nothing usable (the national body failed,
 * or every request did); `outageSince` is the first such round and stays until a round reads again.
 * `degraded`: some bodies unreadable. `ok`: everything read. A round that is not down is a good poll.
 */
export function computeFeedHealth(previous: FeedHealth, round: RoundOutcome): FeedHealth {
  const down = round.rootFailed || (round.requests > 0 && round.errors >= round.requests);
  const state: FeedHealthState = down ? 'down' : round.unreadable.length > 0 || round.errors > 0 ? 'degraded' : 'ok';
  return {
    state,
    lastPollAt: round.at,
    lastGoodPollAt: down ? previous.lastGoodPollAt : round.at,
    consecutiveFailures: down ? previous.consecutiveFailures + 1 : 0,
    outageSince: down ? previous.outageSince ?? round.at : null,
    errors: round.errors,
    unreadable: round.unreadable,
    newestReport: round.newestReport ?? previous.newestReport,
  };
}

/** An instant as ISO 8601 in Oslo time with its offset (`2025-09-08T22:15:03+02:00`), as the contract writes times. */
export function formatOsloIso(at: Date): string {
  return formatZonedIso(at, FEED_TIME_ZONE);
}

export type FeedStatusBody = {
  source: string; base: string; election: string; at: string; state: FeedHealthState;
  intervalSeconds: number; lastPollAt: string | null; lastGoodPollAt: string | null;
  consecutiveFailures: number; errors: number; lagSeconds: number | null; outageSince: string | null;
  unreadable: Unreadable[];
};

/**
 * The body of POST /api/v1/feed-status (the shared contract): `now` is Valgvakt's clock; `lagSeconds` is
 * now minus the newest `rapportGenerert` seen, read as Oslo time (never negative), or null before any.
 */
export function buildFeedStatus(health: FeedHealth, context: { base: string; election: string; intervalSeconds: number; now: Date }): FeedStatusBody {
  const newest = health.newestReport === null ? null : readFeedTime(health.newestReport);
  const iso = (d: Date | null) => (d === null ? null : formatOsloIso(d));
  return {
    source: FEED_SOURCE,
    base: context.base.replace(/\/+$/, ''),
    election: context.election,
    at: formatOsloIso(context.now),
    state: health.state,
    intervalSeconds: context.intervalSeconds,
    lastPollAt: iso(health.lastPollAt),
    lastGoodPollAt: iso(health.lastGoodPollAt),
    consecutiveFailures: health.consecutiveFailures,
    errors: health.errors,
    lagSeconds: newest === null ? null : Math.max(0, Math.round((context.now.getTime() - newest.at.getTime()) / 1000)),
    outageSince: iso(health.outageSince),
    unreadable: health.unreadable.slice(0, MAX_UNREADABLE).map((u) => ({ path: clip(u.path), reason: clip(u.reason) })),
  };
}

/**
 * The children of a national or county body to fetch: every related link (each fetched conditionally, so an
 * unchanged one costs a 304). Below a municipality use `selectStaleUnits`.
 */
export function listChildLinks(body: FeedBody): string[] {
  if (body.level !== 'land' && body.level !== 'fylke') return [];
  return body.links.related.map((l) => l.href);
}

/**
 * Units to fetch below a municipality: those never read, and those whose link in the municipality body
 * carries a `rapportGenerert` other than the body held (or none at all). In the recorded night every link's
 * time equals its unit body's, so an unchanged unit is not asked for at all.
 */
export function selectStaleUnits<L extends { href: string; reportGenerated: string | null }>(links: readonly L[], heldTime: (href: string) => string | null | undefined): L[] {
  return links.filter((l) => {
    const held = heldTime(l.href);
    return held === undefined || l.reportGenerated === null || held !== l.reportGenerated;
  });
}
