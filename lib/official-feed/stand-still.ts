// Stand-stills of a recorded night (pure, no I/O): per municipality, the stretches in which its published
// counts — total votes and the first count's status — did not change while its first count (`forste`) of all polling
// stations and advance venues was not yet done. Measured twice:
//   - on the poll clock (`polledAt`): the recorder polled every municipality every 15 minutes and kept a body
//     only when it had changed, so a change is known to have happened in the interval before the poll that
//     saw it. A stand-still is given as nominal (poll to poll) with bounds one interval either side.
//   - on report time (`rapportGenerert`, Oslo local time without offset): from the report that first showed
//     the counts to the report that first showed new ones, as the feed stamped them.
// "Published" means what the feed served, which is not the same as what the municipality had sent: the feed
// is not the municipalities' systems, and a stand-still may be on either side.
import type { Snapshot } from './package-from-recording.ts';
import type { FeedBody, FeedCount } from './feed-2025.ts';
import { zonedTimeToInstant } from '../election-package/zoned-time.ts';

export type StandStillOptions = {
  /** How far apart the recorder's polls of one municipality were (15 minutes on the 2025 night). */
  pollIntervalMs: number;
  /** When the polls closed: nothing was published before, so no stand-still starts earlier. */
  pollsCloseAt: Date;
  /** The last poll known to have happened (the recording's last poll time): an unended stand-still lasted at least until the poll before it. */
  recordingEnd: string;
  /** The IANA zone `rapportGenerert` is written in (Europe/Oslo). */
  timeZone: string;
  /** Valgvakt's stall threshold for the preliminary count (config/thresholds.json: `stallAfter`). */
  stallAfterMs: number;
  /** How many stand-stills of at least `stallAfter` must end in one report minute to be listed as ending together (default 5). */
  togetherMinimum?: number;
};

export type PublishedCounts = {
  votes: number | null;
  /** `forste.valgtingslokale` and `forste.forhaandsstemmelokale` (done/total), null where the body has none. */
  pollingStations: { done: number; total: number } | null;
  advanceVenues: { done: number; total: number } | null;
};

export type StandStill = {
  municipality: string;
  name: string;
  /** The counts that stood still. */
  counts: PublishedCounts;
  /** True when nothing had been published yet (no votes): waiting for a first count rather than stopped. */
  beforeFirstCount: boolean;
  /** The poll that first saw the counts, and the poll that first saw them change (null: never, by the end of the recording). */
  fromPoll: string;
  untilPoll: string | null;
  /** Poll to poll, in minutes; the true length lies within [minMinutes, maxMinutes] (maxMinutes null when unended). */
  minutes: number;
  minMinutes: number;
  maxMinutes: number | null;
  /** `rapportGenerert` of the report that first showed the counts (as given, Oslo local) and of the one that changed them. */
  fromReport: string | null;
  untilReport: string | null;
  /** Report to report in minutes, counted from the polls closing where the first report is older; null when a time is missing or unended. */
  reportMinutes: number | null;
  /** Whether the change ended the count (the municipality complete from `untilPoll`). */
  endedComplete: boolean;
  /**
   * What the ending change brought: new votes, or only a new counting status with the same total (units
   * marked done whose votes were already published); null when unended.
   */
  endedBy: 'votes' | 'status' | null;
};

export type MunicipalityStandStills = {
  municipality: string;
  name: string;
  /** The first poll at which the municipality was complete, null if never by the end of the recording. */
  completeAt: string | null;
  completeReport: string | null;
  standStills: StandStill[];
  /** The longest that ended, after the first count, by poll clock (ties: by report time, then the earlier), null if none. */
  longest: StandStill | null;
};

export type EndedTogether = {
  /** `rapportGenerert` of the ending reports, to the minute (Oslo local, "YYYY-MM-DDTHH:MM"). */
  reportMinute: string;
  /** The polls that saw the changes. */
  polls: string[];
  /** The stand-stills of at least `stallAfter` that ended in this minute, longest first. */
  standStills: StandStill[];
  /** Every change of published counts stamped in this minute, short stand-stills included: the baseline to compare with. */
  changesInMinute: number;
  /** How many of `standStills` ended with a new status only, the total votes unchanged. */
  statusOnly: number;
};

export type StandStillFindings = {
  municipalities: MunicipalityStandStills[];
  /** Each municipality's longest stand-still after its first count that ended (its counts changed again), longest first. */
  ranked: StandStill[];
  /** Municipalities not complete by the last poll of the recording, each with the stand-still still open at the end. */
  neverComplete: { municipality: MunicipalityStandStills; open: StandStill | null }[];
  /** Waits for a first count (no votes published at the first poll), longest first. */
  waitingForFirstCount: StandStill[];
  /**
   * Report minutes in which at least `togetherMinimum` stand-stills of at least `stallAfter` ended, most first.
   * Many long stand-stills ending in one minute suggest a release on the feed's side rather than in each municipality.
   */
  endedTogether: EndedTogether[];
  /**
   * Stand-stills after a first count that reach `stallAfter`: surely (lower bound), nominally (poll to poll),
   * possibly (upper bound; unended ones included), and how many municipalities the nominal ones are in.
   */
  stallFlags: { stallAfterMinutes: number; certain: number; nominal: number; possible: number; municipalities: number };
};

const MINUTE = 60_000;

function pick(c: FeedCount | undefined): { done: number; total: number } | null {
  return c ? { done: c.done, total: c.total } : null;
}

/** The counts a stand-still reports: total votes, and the first count of polling stations and advance venues. */
export function readPublishedCounts(body: FeedBody): PublishedCounts {
  return { votes: body.votes.total, pollingStations: pick(body.counting.forste?.valgtingslokale), advanceVenues: pick(body.counting.forste?.forhaandsstemmelokale) };
}

/** Complete: the first count of every polling station and every advance venue done (a category the body lacks, or with none, counts as done). */
export function isComplete(body: FeedBody): boolean {
  const done = (c: FeedCount | undefined) => !c || c.done >= c.total;
  return done(body.counting.forste?.valgtingslokale) && done(body.counting.forste?.forhaandsstemmelokale);
}

/**
 * What "did not change" compares: total votes and the first count's status (`forste`: every category, done,
 * total and status word), in a fixed key order. The later stages (`andre`, `kontroll`, `oppgjor`) are left
 * out: they recount ballots already in the total and bring a municipality no closer to complete, so their
 * progress does not end a stand-still (Rauma's second count moved at 23:18 while its first count stood at
 * 3 of 4 polling stations from 21:02 to 00:04). Other changes of the body (its report time, a district's link)
 * do not either.
 */
export function countsKey(body: FeedBody): string {
  const forste = body.counting.forste ?? {};
  const status = Object.entries(forste)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([c, v]) => (v ? [`${c}:${v.done}/${v.total}/${v.status ?? ''}`] : []));
  return `${body.votes.total ?? 'null'}|${status.join(',')}`;
}

/** "2025-09-08T23:18:40" (local, no offset, seconds and a fraction optional) in `timeZone` → epoch ms; null if unreadable. */
export function localReportTimeToMs(local: string, timeZone: string): number | null {
  const m = local.match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/);
  if (!m) return null;
  return zonedTimeToInstant(`${m[1]}-${m[2]}-${m[3]}`, `${m[4]}:${m[5]}`, timeZone).getTime() + Number(m[6] ?? 0) * 1000 + Math.round(Number(m[7] ?? 0) * 1000);
}

const round1 = (ms: number) => Math.round(ms / MINUTE * 10) / 10;

/** One municipality's stand-stills, from its snapshots in poll order (only those where its body changed). */
export function computeMunicipalityStandStills(municipality: string, snapshots: readonly Snapshot[], options: StandStillOptions): MunicipalityStandStills {
  const sorted = [...snapshots].sort((a, b) => (a.polledAt < b.polledAt ? -1 : a.polledAt > b.polledAt ? 1 : 0));
  const name = sorted.at(-1)?.body.name ?? municipality;
  const closeMs = options.pollsCloseAt.getTime();
  const endMs = Date.parse(options.recordingEnd);
  const interval = options.pollIntervalMs;
  const reportMs = (r: string | null) => (r === null ? null : localReportTimeToMs(r, options.timeZone));

  function measure(from: Snapshot, until: Snapshot | null): StandStill {
    const fromMs = Date.parse(from.polledAt);
    // Published in the interval before the poll that saw it, but not before the polls closed.
    const earliestStart = Math.max(fromMs - interval, closeMs);
    const untilMs = until ? Date.parse(until.polledAt) : endMs;
    const fromReportMs = reportMs(from.body.reportGenerated);
    const untilReportMs = until ? reportMs(until.body.reportGenerated) : null;
    const counts = readPublishedCounts(from.body);
    return {
      municipality, name, counts,
      beforeFirstCount: !counts.votes,
      fromPoll: from.polledAt,
      untilPoll: until?.polledAt ?? null,
      minutes: round1(untilMs - fromMs),
      minMinutes: round1(Math.max(0, untilMs - interval - fromMs)),
      maxMinutes: until ? round1(untilMs - earliestStart) : null,
      fromReport: from.body.reportGenerated,
      untilReport: until?.body.reportGenerated ?? null,
      reportMinutes: fromReportMs !== null && untilReportMs !== null ? round1(Math.max(0, untilReportMs - Math.max(fromReportMs, closeMs))) : null,
      endedComplete: until !== null && isComplete(until.body),
      endedBy: until === null ? null : until.body.votes.total !== from.body.votes.total ? 'votes' : 'status',
    };
  }

  const standStills: StandStill[] = [];
  let completeAt: string | null = null;
  let completeReport: string | null = null;
  // The snapshot that first showed the current counts.
  let start: Snapshot | null = null;
  for (const snap of sorted) {
    if (start === null) {
      start = snap;
    } else if (countsKey(snap.body) !== countsKey(start.body)) {
      standStills.push(measure(start, snap));
      start = snap;
    }
    if (isComplete(snap.body)) {
      completeAt = snap.polledAt;
      completeReport = snap.body.reportGenerated;
      start = null;
      break;
    }
  }
  if (start !== null) standStills.push(measure(start, null));

  const counted = standStills.filter((s) => !s.beforeFirstCount && s.untilPoll !== null);
  const longest = counted.reduce<StandStill | null>((best, s) => (best === null || compareLongest(s, best) < 0 ? s : best), null);
  return { municipality, name, completeAt, completeReport, standStills, longest };
}

/** Longest first: poll-clock minutes, then report minutes, then the earlier start, then the number. */
function compareLongest(a: StandStill, b: StandStill): number {
  return b.minutes - a.minutes || (b.reportMinutes ?? -1) - (a.reportMinutes ?? -1) || (a.fromPoll < b.fromPoll ? -1 : a.fromPoll > b.fromPoll ? 1 : 0) || (a.municipality < b.municipality ? -1 : a.municipality > b.municipality ? 1 : 0);
}

/** The night's findings over every municipality of a recording (`parseRecording(lines).kommune`). */
export function computeStandStillFindings(kommune: ReadonlyMap<string, readonly Snapshot[]>, options: StandStillOptions): StandStillFindings {
  const municipalities = [...kommune].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([nr, snapshots]) => computeMunicipalityStandStills(nr, snapshots, options));
  const ranked = municipalities.flatMap((m) => (m.longest ? [m.longest] : [])).sort(compareLongest);
  const neverComplete = municipalities.filter((m) => m.completeAt === null).map((m) => ({ municipality: m, open: m.standStills.find((s) => s.untilPoll === null) ?? null }));
  const waitingForFirstCount = municipalities.flatMap((m) => m.standStills.filter((s) => s.beforeFirstCount)).sort(compareLongest);

  const stallMinutes = options.stallAfterMs / MINUTE;
  const afterFirst = municipalities.flatMap((m) => m.standStills.filter((s) => !s.beforeFirstCount));
  const certain = afterFirst.filter((s) => s.minMinutes >= stallMinutes);
  const nominal = afterFirst.filter((s) => s.minutes >= stallMinutes);
  const possible = afterFirst.filter((s) => s.maxMinutes === null || s.maxMinutes >= stallMinutes);

  const minuteOf = (s: StandStill) => s.untilReport?.slice(0, 16) ?? null;
  const changes = new Map<string, number>();
  for (const s of afterFirst) {
    const minute = minuteOf(s);
    if (minute !== null) changes.set(minute, (changes.get(minute) ?? 0) + 1);
  }
  const groups = new Map<string, StandStill[]>();
  for (const s of nominal) {
    const minute = minuteOf(s);
    if (minute !== null) groups.set(minute, [...(groups.get(minute) ?? []), s]);
  }
  const endedTogether = [...groups]
    .filter(([, list]) => list.length >= (options.togetherMinimum ?? 5))
    .map(([reportMinute, list]) => ({
      reportMinute, polls: [...new Set(list.flatMap((s) => (s.untilPoll === null ? [] : [s.untilPoll])))].sort(), standStills: [...list].sort(compareLongest), changesInMinute: changes.get(reportMinute) ?? 0,
      statusOnly: list.filter((s) => s.endedBy === 'status').length,
    }))
    .sort((a, b) => b.standStills.length - a.standStills.length || (a.reportMinute < b.reportMinute ? -1 : 1));

  return {
    municipalities, ranked, neverComplete, waitingForFirstCount, endedTogether,
    stallFlags: { stallAfterMinutes: stallMinutes, certain: certain.length, nominal: nominal.length, possible: possible.length, municipalities: new Set(nominal.map((s) => s.municipality)).size },
  };
}
