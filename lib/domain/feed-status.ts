// The official feed's health from the newest status and Valgvakt's clock, what the pages and the board say
// about it, and which municipalities' stall alerts an outage holds back. Pure: the clock is an argument.
import { MAX_UNREADABLE_REASON, type FeedHealth, type FeedIncident, type FeedSource, type FeedStatusPayload, type FeedStatusReport } from '../contracts/feed-status.ts';
import { ALERT_KINDS, type MunicipalityState } from '../contracts/ops.ts';
import type { FieldIssue } from '../contracts/ingest.ts';
import { formatClockShort } from '../format.ts';
import { domainTexts } from '../i18n/domain-texts.ts';
import { DEFAULT_LOCALE, type Locale } from '../i18n/locale.ts';
import { fill } from '../i18n/text.ts';
import { checkTimestamp } from './report-rules.ts';

/** Missing this many intervals' statuses makes the feed `late`. */
export const LATE_AFTER_INTERVALS = 3;

type StatusTimes = Pick<FeedStatusPayload, 'at' | 'intervalSeconds'>;

/** The instant (ms) from which the feed is late if no newer status arrives. */
export function computeFeedLateAt(status: StatusTimes): number {
  return Date.parse(status.at) + LATE_AFTER_INTERVALS * status.intervalSeconds * 1000;
}

/** ok / degraded / down as the watchdog said, or late once it has been silent for 3 intervals; null without a status. */
export function computeFeedHealth(status: (StatusTimes & Pick<FeedStatusPayload, 'state'>) | null, now: Date): FeedHealth | null {
  return status ? healthAt(status, now) : null;
}

function healthAt(status: StatusTimes & Pick<FeedStatusPayload, 'state'>, now: Date): FeedHealth {
  return now.getTime() >= computeFeedLateAt(status) ? 'late' : status.state;
}

/** Down or late: the numbers may be behind, and an incident is open. */
export function isFeedOutage(health: FeedHealth | null): boolean {
  return health === 'down' || health === 'late';
}

const toUtc = (iso: string) => new Date(iso).toISOString();
const toUtcOrNull = (iso: string | null) => (iso === null ? null : toUtc(iso));

/** Whatever a fetch or parser said, as stored (jsonb holds no NUL) and shown: at most 300 characters. */
function shortenReason(reason: string): string {
  const clean = reason.replaceAll('\u0000', '');
  return clean.length > MAX_UNREADABLE_REASON ? `${clean.slice(0, MAX_UNREADABLE_REASON - 1)}…` : clean;
}

export function toFeedStatusPayload(report: FeedStatusReport, receivedAt: Date): FeedStatusPayload {
  return {
    source: report.source, base: report.base, election: report.election, at: toUtc(report.at), receivedAt: receivedAt.toISOString(),
    state: report.state, intervalSeconds: report.intervalSeconds, lastPollAt: toUtcOrNull(report.lastPollAt), lastGoodPollAt: toUtcOrNull(report.lastGoodPollAt),
    consecutiveFailures: report.consecutiveFailures, errors: report.errors, lagSeconds: report.lagSeconds, outageSince: toUtcOrNull(report.outageSince),
    unreadable: report.unreadable.map(({ path, reason }) => ({ path, reason: shortenReason(reason) })),
  };
}

/**
 * A status dated ahead of Valgvakt's clock would stay the newest for good (`at` only moves forward) and lock
 * out every correct one after it, so `at` is held to the window of every other time a source gives.
 */
export function checkFeedStatus(report: FeedStatusReport, now: Date, pollsCloseAt: Date): FieldIssue[] {
  return checkTimestamp('at', report.at, now, pollsCloseAt);
}

export interface StoredFeedStatus {
  at: Date;
  payloadHash: string;
  seq: number;
}

export type FeedStatusDecision = { kind: 'create' } | { kind: 'duplicate'; seq: number } | { kind: 'conflict'; field: 'at'; reason: string };

/** An exact resend is a duplicate; any other status not after the newest accepted one is refused (409 on `at`). */
export function decideFeedStatus(at: Date, payloadHash: string, sameTime: StoredFeedStatus | null, newest: StoredFeedStatus | null): FeedStatusDecision {
  if (sameTime?.payloadHash === payloadHash) return { kind: 'duplicate', seq: sameTime.seq };
  if (sameTime) return { kind: 'conflict', field: 'at', reason: `another status was already accepted at ${sameTime.at.toISOString()}` };
  if (newest && newest.at >= at) return { kind: 'conflict', field: 'at', reason: `must be after the newest accepted status (${newest.at.toISOString()})` };
  return { kind: 'create' };
}

/** The `source` of the public reads: the municipalities' own reports until a feed status has arrived. */
export function computeFeedSource(status: FeedStatusPayload | null, now: Date): FeedSource {
  if (!status) return { kind: 'municipalities', feed: null };
  return {
    kind: 'official_feed',
    feed: {
      name: status.source, base: status.base, state: status.state, lastGoodPollAt: status.lastGoodPollAt, lagSeconds: status.lagSeconds,
      health: healthAt(status, now), statusAt: status.at, intervalSeconds: status.intervalSeconds, outageSince: status.outageSince,
    },
  };
}

/** The source with its health judged again at `now` (a page's clock moves on between deltas). */
export function refreshFeedSource(source: FeedSource, now: Date): FeedSource {
  if (!source.feed) return source;
  const health = healthAt({ at: source.feed.statusAt, intervalSeconds: source.feed.intervalSeconds, state: source.feed.state }, now);
  return health === source.feed.health ? source : { ...source, feed: { ...source.feed, health } };
}

/** When the outage began as pages and the board tell it: the watchdog's first failed round, else its last status. */
export function computeOutageSince(feed: { health: FeedHealth; outageSince: string | null; lastGoodPollAt: string | null; statusAt: string }): string {
  if (feed.health === 'late') return feed.lastGoodPollAt ?? feed.statusAt;
  return feed.outageSince ?? feed.lastGoodPollAt ?? feed.statusAt;
}

export interface SourceLine {
  /** "Kilde: kommunenes rapporter" or "Kilde: valgresultat.no · sist lest 22:15". */
  text: string;
  /** Shown prominently while the feed is down or late. */
  warning: string | null;
}

/** What the pages say under their figures, in the reader's language (bokmål by default). */
export function describeSource(source: FeedSource, locale: Locale = DEFAULT_LOCALE): SourceLine {
  const texts = domainTexts(locale).source;
  const feed = source.feed;
  if (!feed) return { text: texts.municipalities, warning: null };
  const text = feed.lastGoodPollAt ? fill(texts.feed, { name: feed.name, clock: formatClockShort(feed.lastGoodPollAt, locale) }) : fill(texts.feedUnread, { name: feed.name });
  // Late is a silent watchdog: whether the service still answers is not known, only since when it was read.
  const warning = feed.health === 'late' || feed.health === 'down'
    ? fill(feed.health === 'late' ? texts.late : texts.down, { name: feed.name, clock: formatClockShort(computeOutageSince(feed), locale) })
    : feed.health === 'degraded' ? fill(texts.degraded, { name: feed.name }) : null;
  return { text, warning };
}

const minuteOf = (iso: string | null | undefined) => (iso ? Math.floor(Date.parse(iso) / 60_000) : null);

/**
 * What viewers see change: a new health or feed, or a new minute in "sist lest HH:MM". Only these send a
 * delta of their own (at most about one a minute, not one per 15-s status); other statuses ride along with
 * the next delta.
 */
export function hasVisibleSourceChange(before: FeedSource, after: FeedSource): boolean {
  return before.kind !== after.kind || before.feed?.health !== after.feed?.health || before.feed?.name !== after.feed?.name
    || minuteOf(before.feed?.lastGoodPollAt) !== minuteOf(after.feed?.lastGoodPollAt);
}

export type FeedIncidentAction =
  | { kind: 'raise'; since: string; reason: string }
  | { kind: 'resolve' }
  | null;

/** One incident per outage: raised when the feed goes down or late, resolved when it is ok or degraded again. */
export function decideFeedIncident(source: FeedSource, active: Pick<FeedIncident, 'status'> | null): FeedIncidentAction {
  const feed = source.feed;
  if (!feed) return null;
  if (isFeedOutage(feed.health)) {
    if (active) return null;
    return { kind: 'raise', since: computeOutageSince(feed), reason: describeOutage(feed, DEFAULT_LOCALE) };
  }
  return active ? { kind: 'resolve' } : null;
}

/**
 * Why the feed is out now (null while it is not): the incident's reason when raised, and what the board says
 * while the incident stays open, for the cause can change within one outage (a silent watchdog that comes
 * back reporting the feed down).
 */
export function describeFeedOutage(source: FeedSource, locale: Locale = DEFAULT_LOCALE): string | null {
  const feed = source.feed;
  if (!feed || !isFeedOutage(feed.health)) return null;
  return describeOutage(feed, locale);
}

/** The outage line of a feed that is down or late. */
function describeOutage(feed: NonNullable<FeedSource['feed']>, locale: Locale): string {
  const texts = domainTexts(locale).source;
  return feed.health === 'late'
    ? fill(texts.outageLate, { name: feed.name, clock: formatClockShort(feed.statusAt, locale) })
    : fill(texts.outageDown, { name: feed.name, clock: formatClockShort(computeOutageSince(feed), locale) });
}

const QUIET_STATES = new Set<MunicipalityState>(['slow', 'stalled']);
const PROBLEMS = new Set<MunicipalityState>(ALERT_KINDS);

/**
 * While the feed is down or late no municipality's numbers can arrive, so a municipality that goes quiet
 * is the feed's outage, not its own stall: the transition into slow or stalled waits (it is judged again
 * once the feed is back). A municipality already in a problem state before the outage keeps it and may
 * escalate.
 */
export function isStallHeldBack(from: MunicipalityState, to: MunicipalityState, feedHealth: FeedHealth | null): boolean {
  return isFeedOutage(feedHealth) && QUIET_STATES.has(to) && !PROBLEMS.has(from);
}
