// Playing the recorded election night back as valgresultat.no served it (pure; the HTTP server is
// scripts/play-recording.ts). The recording holds every response that CHANGED, each with its poll time, so
// at recorded time T a path is answered with the newest body polled at or before T. On top of that, three
// incidents a watchdog must survive can be staged: a municipality that freezes, a count that is corrected
// DOWN, and an outage of the whole service.
import { z } from 'zod';
import { formatZonedIso, toZonedParts } from '../election-package/zoned-time.ts';
import { parseNightTime, type ElectionNight } from '../replay/night-time.ts';
import type { RecordedLine } from './feed-2025.ts';
import { errorMessage } from '../error-message.ts';

/** The recorded night: Stortingsvalget 2025. "HH:MM" before noon is the morning of 9 September. */
export const PLAYBACK_NIGHT: ElectionNight = { electionDay: '2025-09-08', timeZone: 'Europe/Oslo', pollsClose: '21:00' };
/** The outage's answer asks clients to come back after this long (seconds), as the contract says. */
export const OUTAGE_RETRY_AFTER_SECONDS = 60;

// Only the body's own path is read when indexing: a full parse of 7,887 bodies would cost start-up time and
// the bodies are served as recorded anyway.
const ZSelfLink = z.object({ _links: z.object({ self: z.object({ href: z.string().regex(/^\/\S+$/) }) }) });

export type RecordedEntry = {
  /** Position in the recording, 1-based: with the incident, the identity of a served body. */
  line: number;
  polledAt: number;
  body: unknown;
};

export type RecordingIndex = {
  /** API path (`_links.self.href`, e.g. /2025/st/03/0301) → its bodies, oldest poll first. */
  paths: Map<string, RecordedEntry[]>;
  /** Municipality number → the path of its own body. */
  municipalities: Map<string, string>;
  first: Date;
  last: Date;
  lines: number;
};

/** Indexes the recording by API path; throws naming the line whose poll time or path cannot be read. */
export function indexRecording(lines: readonly RecordedLine[]): RecordingIndex {
  if (lines.length === 0) throw new Error('recording: no lines');
  const paths = new Map<string, RecordedEntry[]>();
  const municipalities = new Map<string, string>();
  let first = Infinity;
  let last = -Infinity;
  lines.forEach((recorded, i) => {
    const polledAt = Date.parse(recorded.polledAt);
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(recorded.polledAt) || Number.isNaN(polledAt)) {
      throw new Error(`recording line ${i + 1}: polledAt: not an instant with an offset: ${recorded.polledAt}`);
    }
    const self = ZSelfLink.safeParse(recorded.body);
    if (!self.success) throw new Error(`recording line ${i + 1}: body._links.self.href: ${self.error.issues[0]?.message ?? 'missing'}`);
    const path = normalizeApiPath(self.data._links.self.href);
    const entries = paths.get(path) ?? [];
    entries.push({ line: i + 1, polledAt, body: recorded.body });
    paths.set(path, entries);
    const municipality = municipalityOfPath(path);
    if (municipality && path.split('/').length === 5) municipalities.set(municipality, path);
    first = Math.min(first, polledAt);
    last = Math.max(last, polledAt);
  });
  // Stable sort: of two bodies polled at the same minute, the later line is the newer one.
  for (const entries of paths.values()) entries.sort((a, b) => a.polledAt - b.polledAt || a.line - b.line);
  return { paths, municipalities, first: new Date(first), last: new Date(last), lines: lines.length };
}

/** "/2025/st/03/0301/" and "/2025/st/03/0301" are one path. */
export function normalizeApiPath(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** The municipality a path is of or below (/2025/st/<county>/<municipality>[/<unit>]), else null. */
export function municipalityOfPath(path: string): string | null {
  return path.split('/')[4] ?? null;
}

/** The newest body of `path` polled at or before `t`, or null (unknown path, or nothing polled yet). */
export function bodyAt(index: RecordingIndex, path: string, t: Date | number): RecordedEntry | null {
  const entries = index.paths.get(normalizeApiPath(path));
  if (!entries) return null;
  const at = typeof t === 'number' ? t : t.getTime();
  // Binary search for the last entry with polledAt ≤ at.
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    // lo ≤ mid < hi ≤ entries.length, so mid is an entry.
    if (entries[mid]!.polledAt <= at) lo = mid + 1;
    else hi = mid;
  }
  // lo only grows past an entry, so when it is above 0, entry lo - 1 exists.
  return lo === 0 ? null : entries[lo - 1]!;
}

// ── The recorded clock ─────────────────────────────────────────────────────────────────────────────────

export type PlaybackClock = { from: Date; speed: number; wallStart: number };

/** Recorded time at wall time `wallNow`: `from` plus the wall time since the start, `speed` times over. */
export function recordedTimeAt(clock: PlaybackClock, wallNow: number): Date {
  return new Date(clock.from.getTime() + (wallNow - clock.wallStart) * clock.speed);
}

// ── Oslo local time ────────────────────────────────────────────────────────────────────────────────────

/** ISO 8601 with the night's own offset, e.g. 2025-09-08T22:30:00+02:00 (whole seconds). */
export function formatNightIso(instant: Date, night: ElectionNight = PLAYBACK_NIGHT): string {
  return formatZonedIso(instant, night.timeZone);
}

// ── Incidents ──────────────────────────────────────────────────────────────────────────────────────────

export type PlaybackIncident =
  | { kind: 'freeze'; municipality: string; at: Date }
  | { kind: 'correction'; municipality: string; at: Date }
  | { kind: 'outage'; from: Date; to: Date };

/** The incident as the command line writes it, e.g. "freeze 0301@22:30", "outage 23:10-23:20". */
export function describeIncident(incident: PlaybackIncident, night: ElectionNight = PLAYBACK_NIGHT): string {
  const hhmm = (at: Date) => toZonedParts(at, night.timeZone).local.slice(11, 16);
  return incident.kind === 'outage' ? `outage ${hhmm(incident.from)}-${hhmm(incident.to)}` : `${incident.kind} ${incident.municipality}@${hhmm(incident.at)}`;
}

export type Correction = { party: string; from: number; to: number; reportGenerated: string };

type RawParty = { id?: { partikode?: unknown }; stemmer?: { resultat?: { antall?: { total?: unknown; fhs?: unknown } | null } } };
type RawBody = { tidspunkt?: { rapportGenerert?: unknown }; stemmer?: { total?: unknown; fhs?: unknown }; partier?: unknown };

/**
 * A recorded body with one party's count corrected down (pure; the input is not changed). Deterministic:
 * the party with the most votes (the first of equals in the body's order) loses 1 % of them, at least 1;
 * `stemmer.total` loses the same; advance votes (`fhs`) are capped at the new totals so the body stays
 * consistent; `rapportGenerert` becomes the correction's time (Oslo local, no offset, as the feed writes
 * it) unless the recorded body is newer still, so a report time never goes back. Party percentages are left
 * as recorded. Null when there is nothing to lower (no party with votes, or no total).
 */
export function correctBody(raw: unknown, at: Date, night: ElectionNight = PLAYBACK_NIGHT): { body: unknown; correction: Correction } | null {
  if (typeof raw !== 'object' || raw === null) return null;
  // A loose view of a recorded JSON object: every field is unknown and checked with typeof before it is used.
  const body = structuredClone(raw) as RawBody;
  if (typeof body.stemmer?.total !== 'number' || !Array.isArray(body.partier)) return null;
  let largest: RawParty | null = null;
  let largestVotes = 0;
  // Each party is read through optional chains and typeof checks only, as RawParty's unknown fields ask.
  for (const party of body.partier as RawParty[]) {
    const votes = party.stemmer?.resultat?.antall?.total;
    if (typeof votes === 'number' && votes > largestVotes) {
      largest = party;
      largestVotes = votes;
    }
  }
  const antall = largest?.stemmer?.resultat?.antall;
  if (!largest || !antall || typeof largest.id?.partikode !== 'string') return null;
  const by = Math.max(1, Math.floor(largestVotes / 100));
  const partyTotal = largestVotes - by;
  antall.total = partyTotal;
  if (typeof antall.fhs === 'number') antall.fhs = Math.min(antall.fhs, partyTotal);
  const total = Math.max(0, body.stemmer.total - by);
  body.stemmer.total = total;
  if (typeof body.stemmer.fhs === 'number') body.stemmer.fhs = Math.min(body.stemmer.fhs, total);
  const stamp = toZonedParts(at, night.timeZone).local;
  const recorded = typeof body.tidspunkt?.rapportGenerert === 'string' ? body.tidspunkt.rapportGenerert : null;
  const reportGenerated = recorded !== null && recorded > stamp ? recorded : stamp;
  body.tidspunkt = { ...body.tidspunkt, rapportGenerert: reportGenerated };
  return { body, correction: { party: largest.id.partikode, from: largestVotes, to: largestVotes - by, reportGenerated } };
}

// ── Answering a request ────────────────────────────────────────────────────────────────────────────────

export type PlaybackAnswer =
  | {
    status: 200;
    /** Identity of the served body (recorded line, and the correction applied): equal keys, equal bytes. */
    key: string;
    body: unknown;
    polledAt: Date;
    /** Incidents that shaped this answer, as `describeIncident` writes them. */
    incidents: string[];
  }
  | { status: 404; error: string }
  | { status: 503; error: string; retryAfterSeconds: number };

/**
 * What the feed answers for API path `path` (without the /api prefix) at recorded time `t`:
 * - during an outage (from ≤ t < to) every path is 503;
 * - a frozen municipality and every path below it answer what they had at the freeze time (the earliest
 *   freeze if given twice);
 * - from a correction's time on, the municipality's own body is the one due, corrected down (`correctBody`);
 * - otherwise the newest body polled at or before t; 404 for a path never recorded or not polled yet.
 */
export function answerAt(index: RecordingIndex, incidents: readonly PlaybackIncident[], path: string, t: Date, night: ElectionNight = PLAYBACK_NIGHT): PlaybackAnswer {
  const now = t.getTime();
  const outage = incidents.find((i) => i.kind === 'outage' && i.from.getTime() <= now && now < i.to.getTime());
  if (outage) return { status: 503, error: `service unavailable (${describeIncident(outage, night)})`, retryAfterSeconds: OUTAGE_RETRY_AFTER_SECONDS };

  const apiPath = normalizeApiPath(path);
  if (!index.paths.has(apiPath)) return { status: 404, error: `no such path in the recording: ${apiPath}` };
  const municipality = municipalityOfPath(apiPath);
  const applied: string[] = [];
  let at = now;
  const freeze = incidents
    .filter((i): i is Extract<PlaybackIncident, { kind: 'freeze' }> => i.kind === 'freeze' && i.municipality === municipality && i.at.getTime() <= now)
    .sort((a, b) => a.at.getTime() - b.at.getTime())[0];
  if (freeze) {
    at = freeze.at.getTime();
    applied.push(describeIncident(freeze, night));
  }
  const entry = bodyAt(index, apiPath, at);
  if (!entry) return { status: 404, error: `${apiPath}: nothing recorded yet at ${formatNightIso(new Date(at), night)}` };

  const ownBody = apiPath.split('/').length === 5;
  const correction = ownBody
    ? incidents
      .filter((i): i is Extract<PlaybackIncident, { kind: 'correction' }> => i.kind === 'correction' && i.municipality === municipality && i.at.getTime() <= now)
      .sort((a, b) => a.at.getTime() - b.at.getTime())[0]
    : undefined;
  if (correction) {
    const corrected = correctBody(entry.body, correction.at, night);
    if (corrected) {
      applied.push(describeIncident(correction, night));
      return { status: 200, key: `${entry.line}+correction@${correction.at.getTime()}`, body: corrected.body, polledAt: new Date(entry.polledAt), incidents: applied };
    }
  }
  return { status: 200, key: String(entry.line), body: entry.body, polledAt: new Date(entry.polledAt), incidents: applied };
}

// ── Command line ───────────────────────────────────────────────────────────────────────────────────────

export type PlaybackOptions = { speed: number; from: Date; port: number; host: string; incidents: PlaybackIncident[] };

export const PLAYBACK_USAGE = `usage: npm run play-recording -- [options]

  --speed N            recorded seconds per wall-clock second (default 60)
  --from HH:MM         recorded time to start at, Oslo time on 8 Sept 2025 (before noon: the 9th); default 21:00
  --port N             port to listen on (default 4100; 0 = any free port)
  --host ADDRESS       address to listen on (default 127.0.0.1)
  --freeze K@HH:MM     municipality K and everything below it stay as they were at HH:MM (repeatable)
  --correction K@HH:MM from HH:MM on, municipality K's largest party has 1 % fewer votes (repeatable)
  --outage HH:MM-HH:MM every request answers 503 with Retry-After: 60 recorded seconds (in wall seconds at the speed) in that window (repeatable)
`;

/** Thrown for a bad command line: the message names the flag and the reason. */
export class PlaybackUsageError extends Error {}

const DEFAULTS = { speed: 60, from: '21:00', port: 4100, host: '127.0.0.1' };

/** `shown` is the flag's whole value, when the time is only part of it (K@HH:MM, HH:MM-HH:MM). */
function nightTime(flag: string, value: string, night: ElectionNight, shown = value): Date {
  try {
    return parseNightTime(value, night);
  } catch (error) {
    throw new PlaybackUsageError(`${flag} ${shown}: ${errorMessage(error)} (write HH:MM, Oslo time)`);
  }
}

function municipalityAt(flag: string, value: string, night: ElectionNight): { municipality: string; at: Date } {
  const match = /^(\d{4})@(.+)$/.exec(value);
  if (!match) throw new PlaybackUsageError(`${flag} ${value}: expected K@HH:MM with K a 4-digit municipality number, e.g. 0301@22:30`);
  // Both groups are not optional, so a match sets them.
  return { municipality: match[1]!, at: nightTime(flag, match[2]!, night, value) };
}

/**
 * Reads the command line (pure; what needs the recording is `checkIncidents`). Throws `PlaybackUsageError`
 * naming the flag; `--help` throws with the usage text.
 */
export function parsePlaybackArgs(argv: readonly string[], night: ElectionNight = PLAYBACK_NIGHT): PlaybackOptions {
  const values: Record<string, string[]> = {};
  const flags = new Set(['--speed', '--from', '--port', '--host', '--freeze', '--correction', '--outage']);
  for (let i = 0; i < argv.length; i++) {
    // i < argv.length (the loop's condition).
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') throw new PlaybackUsageError(PLAYBACK_USAGE);
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (!flags.has(flag)) throw new PlaybackUsageError(`${flag}: unknown option`);
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new PlaybackUsageError(`${flag}: needs a value`);
    (values[flag] ??= []).push(value);
  }
  const single = (flag: string): string | undefined => {
    const given = values[flag];
    if (given && given.length > 1) throw new PlaybackUsageError(`${flag}: given ${given.length} times, at most once`);
    return given?.[0];
  };

  const speedText = single('--speed') ?? String(DEFAULTS.speed);
  const speed = Number(speedText);
  if (!/^\d+(\.\d+)?$/.test(speedText) || !(speed > 0) || speed > 1_000_000) throw new PlaybackUsageError(`--speed ${speedText}: must be a positive number of at most 1000000 (recorded seconds per wall second)`);
  const portText = single('--port') ?? String(DEFAULTS.port);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535) throw new PlaybackUsageError(`--port ${portText}: must be a whole number 0–65535`);
  const host = single('--host') ?? DEFAULTS.host;
  if (host.trim() === '') throw new PlaybackUsageError('--host: must not be empty');
  const from = nightTime('--from', single('--from') ?? DEFAULTS.from, night);

  const incidents: PlaybackIncident[] = [];
  for (const kind of ['freeze', 'correction'] as const) {
    for (const value of values[`--${kind}`] ?? []) {
      const { municipality, at } = municipalityAt(`--${kind}`, value, night);
      incidents.push({ kind, municipality, at });
    }
  }
  for (const value of values['--outage'] ?? []) {
    const match = /^(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(value);
    if (!match) throw new PlaybackUsageError(`--outage ${value}: expected HH:MM-HH:MM, e.g. 23:10-23:20`);
    // Both groups are not optional, so a match sets them.
    const [start, end] = [nightTime('--outage', match[1]!, night, value), nightTime('--outage', match[2]!, night, value)];
    if (end.getTime() <= start.getTime()) throw new PlaybackUsageError(`--outage ${value}: the end must be after the start`);
    incidents.push({ kind: 'outage', from: start, to: end });
  }
  return { speed, from, port, host, incidents };
}

/**
 * Checks incidents against the recording: a correction needs a body of the municipality with votes to lower
 * at its time. Returns the problems, each naming the flag (empty when all is well).
 */
export function checkIncidents(index: RecordingIndex, incidents: readonly PlaybackIncident[], night: ElectionNight = PLAYBACK_NIGHT): string[] {
  const problems: string[] = [];
  for (const incident of incidents) {
    if (incident.kind === 'outage') continue;
    const flag = `--${describeIncident(incident, night)}`;
    const path = index.municipalities.get(incident.municipality);
    if (path === undefined) {
      problems.push(`${flag}: municipality ${incident.municipality} is not in the recording`);
      continue;
    }
    if (incident.kind !== 'correction') continue;
    const entry = bodyAt(index, path, incident.at);
    if (!entry || !correctBody(entry.body, incident.at, night)) {
      problems.push(`${flag}: municipality ${incident.municipality} has no votes recorded by then, so there is no count to lower`);
    }
  }
  return problems;
}

/** The state `GET /_playback` reports. */
export function describePlayback(index: RecordingIndex, clock: PlaybackClock, incidents: readonly PlaybackIncident[], t: Date, night: ElectionNight = PLAYBACK_NIGHT) {
  const now = t.getTime();
  return {
    recordedNow: formatNightIso(t, night),
    speed: clock.speed,
    from: formatNightIso(clock.from, night),
    recording: { first: formatNightIso(index.first, night), last: formatNightIso(index.last, night), lines: index.lines, paths: index.paths.size },
    incidents: incidents.map((incident) => incident.kind === 'outage'
      ? { kind: incident.kind, from: formatNightIso(incident.from, night), to: formatNightIso(incident.to, night), active: incident.from.getTime() <= now && now < incident.to.getTime() }
      : { kind: incident.kind, municipality: incident.municipality, at: formatNightIso(incident.at, night), active: incident.at.getTime() <= now }),
  };
}
