// The watchdog's I/O around the pure rules in lib/official-feed/: one round walks the official feed
// (conditional requests, a concurrency limit, timeouts, retries with backoff and jitter, Retry-After honoured),
// maps each municipality's newest bodies onto reports, sends what changed through Valgvakt's own ingest API
// with the municipality's token, sends the seats the feed reports, and then the feed's health
// (POST /api/v1/feed-status). It never touches the database. See docs/official-feed.md, "The watchdog".
import type { WatchOptions } from './cli-options.ts';
import type { Logger } from 'pino';
import { ZClockState } from '../lib/contracts/clock.ts';
import { ZElectionInfo } from '../lib/contracts/election.ts';
import { ZApiError, ZCountCategory, ZCountStage, ZIngestBatchAccepted, type ResultReport, type StatusReport } from '../lib/contracts/ingest.ts';
import { ZMunicipalityDetail } from '../lib/contracts/live.ts';
import type { SeatsReport } from '../lib/contracts/seats.ts';
import type { FeedBody } from '../lib/official-feed/feed-2025.ts';
import { parseOfficialBody } from '../lib/official-feed/parse.ts';
import { computeMunicipalityReports, computeSeatsReport, listUnitLinks, readFeedTime, type MunicipalityFrame } from '../lib/official-feed/to-reports.ts';
import {
  buildFeedStatus, computeFeedHealth, computeRetryDelayMs, feedUrl, INITIAL_HEALTH, isRetryableStatus, listChildLinks, MAX_ATTEMPTS, MAX_UNREADABLE,
  parseRetryAfterMs, selectStaleUnits, type FeedHealth, type Unreadable,
} from '../lib/official-feed/walk.ts';
import { errorMessage } from '../lib/error-message.ts';

/** Reports dated more than this ahead of Valgvakt's clock wait (it refuses more than 2 minutes ahead). */
export const HOLD_AHEAD_MS = 90_000;
/** Attempts at one request to Valgvakt on a 5xx, 429 or lost connection before the round leaves it for the next. */
const VALGVAKT_ATTEMPTS = 4;

/** The command line's options, with the tokens file read. */
export interface WatchdogDeps extends Omit<WatchOptions, 'tokensFile' | 'once'> {
  tokens: Record<string, string>;
  logger: Logger;
  /** Only these municipalities are read and fed (the national and county bodies still are); default all. */
  only?: ReadonlySet<string>;
  /** Municipalities sending to Valgvakt at once (each sends its own reports in order); default 8. */
  sendConcurrency?: number;
  /** Injected for tests: waiting between retries, and the jitter's random draw. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Wall time, only to honour the service's Retry-After between rounds. */
  wallNow?: () => number;
}

export type Tally = { created: number; duplicate: number; refused: number; failed: number; heldBack: number; unchanged: number };
export type RoundSummary = {
  health: FeedHealth;
  requests: number;
  notModified: number;
  bodies: number;
  results: Tally;
  statuses: Tally;
  seats: Tally;
  /** Municipalities whose bodies could not be mapped (with why), or that have no token. */
  unmapped: string[];
  noToken: string[];
  feedStatus: 'sent' | 'not_supported' | 'refused' | 'failed';
  /** Everything read, mapped and accepted: what `--once` exits 0 on. */
  complete: boolean;
};

type Held = { body: FeedBody; etag: string | null; lastModified: string | null };
type Fetched = { kind: 'body'; body: FeedBody } | { kind: 'not_modified'; body: FeedBody } | { kind: 'failed'; reason: string; transport: boolean };

const emptyTally = (): Tally => ({ created: 0, duplicate: 0, refused: 0, failed: 0, heldBack: 0, unchanged: 0 });

/** At most `limit` of the tasks run at once. */
async function runLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      // next < items.length was checked just above.
      const item = items[next++]!;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const contentKey = (r: Pick<ResultReport, 'ballots' | 'votes'>) => JSON.stringify([r.ballots.counted, r.ballots.rejected, r.ballots.blank, Object.entries(r.votes).filter(([, v]) => v > 0).sort(([a], [b]) => (a < b ? -1 : 1))]);

export function createWatchdog(deps: WatchdogDeps) {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = deps.random ?? Math.random;
  const wallNow = deps.wallNow ?? Date.now;
  const held = new Map<string, Held>();
  const frames = new Map<string, MunicipalityFrame>();
  /** municipality|district|category|stage → content Valgvakt holds (seeded from its detail, then what it accepted). */
  const accepted = new Map<string, { content: string; counted: number; version: number }>();
  /** Reports Valgvakt refused (409/422): not sent again until their content or version changes. */
  const refused = new Map<string, string>();
  const statusSent = new Map<string, string>();
  const seatsSent = new Map<string, string>();
  const warnedOnce = new Set<string>();
  let health = INITIAL_HEALTH;
  let pollsCloseAt: Date | null = null;
  let feedStatusSupported = true;
  /** Wall time before which the service asked not to be asked again (Retry-After). */
  let notBefore = 0;

  const warnOnce = (key: string, message: string, extra: Record<string, unknown> = {}) => {
    if (warnedOnce.has(key)) return;
    warnedOnce.add(key);
    deps.logger.warn(extra, message);
  };

  async function fetchFeed(path: string): Promise<Fetched> {
    const previous = held.get(path);
    for (let attempt = 0; ; attempt++) {
      if (wallNow() < notBefore) return { kind: 'failed', reason: `held off: the service asked to wait (Retry-After) until ${new Date(notBefore).toISOString()}`, transport: true };
      let response: Response;
      try {
        const headers: Record<string, string> = { accept: 'application/json' };
        if (previous?.etag) headers['if-none-match'] = previous.etag;
        if (previous?.lastModified) headers['if-modified-since'] = previous.lastModified;
        response = await fetch(feedUrl(deps.base, path), { headers, signal: AbortSignal.timeout(deps.timeoutMs) });
      } catch (error) {
        const reason = error instanceof Error && error.name === 'TimeoutError' ? `timeout after ${deps.timeoutMs} ms` : `network: ${errorMessage(error)}`;
        if (attempt + 1 >= MAX_ATTEMPTS) return { kind: 'failed', reason, transport: true };
        await sleep(computeRetryDelayMs(attempt, null, random));
        continue;
      }
      if (response.status === 304 && previous) {
        await response.body?.cancel();
        return { kind: 'not_modified', body: previous.body };
      }
      if (response.status !== 200) {
        await response.body?.cancel();
        const retryAfter = parseRetryAfterMs(response.headers.get('retry-after'), wallNow());
        const reason = `HTTP ${response.status}${retryAfter !== null ? ` (Retry-After ${Math.round(retryAfter / 1000)} s)` : ''}`;
        if (!isRetryableStatus(response.status)) return { kind: 'failed', reason, transport: true };
        // A wait longer than the round allows is honoured across rounds: no request until it has passed.
        if (retryAfter !== null && retryAfter > deps.intervalMs) {
          notBefore = Math.max(notBefore, wallNow() + retryAfter);
          return { kind: 'failed', reason, transport: true };
        }
        if (attempt + 1 >= MAX_ATTEMPTS) return { kind: 'failed', reason, transport: true };
        await sleep(computeRetryDelayMs(attempt, retryAfter, random));
        continue;
      }
      let raw: unknown;
      try {
        raw = await response.json();
      } catch (error) {
        return { kind: 'failed', reason: `not JSON: ${errorMessage(error)}`, transport: false };
      }
      const parsed = parseOfficialBody(raw);
      if (!parsed.ok) return { kind: 'failed', reason: parsed.error, transport: false };
      for (const field of parsed.body.unknownFields) warnOnce(`unknown-${parsed.body.level}-${field}`, `${path}: unknown field ${field} (reported, not read)`);
      held.set(path, { body: parsed.body, etag: response.headers.get('etag'), lastModified: response.headers.get('last-modified') });
      return { kind: 'body', body: parsed.body };
    }
  }

  /** One request to Valgvakt, retried on 5xx, 429 and lost connections; other answers are returned. */
  async function callValgvakt(method: 'GET' | 'POST', path: string, token: string | null, body?: unknown): Promise<{ status: number; json: unknown } | null> {
    for (let attempt = 0; attempt < VALGVAKT_ATTEMPTS; attempt++) {
      try {
        const response = await fetch(`${deps.valgvakt}${path}`, {
          method,
          headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(deps.timeoutMs),
        });
        const text = await response.text();
        if (response.status === 429 || response.status >= 500) {
          await sleep(computeRetryDelayMs(attempt, parseRetryAfterMs(response.headers.get('retry-after'), wallNow()), random));
          continue;
        }
        let json: unknown = null;
        try {
          json = text ? JSON.parse(text) : null;
        } catch {
          json = text;
        }
        return { status: response.status, json };
      } catch {
        await sleep(computeRetryDelayMs(attempt, null, random));
      }
    }
    return null;
  }

  // How many of Valgvakt's seconds pass in one of ours: 60 during a replay at 60×, else 1.
  let clockSpeed = 1;
  async function valgvaktNow(): Promise<Date> {
    const answer = await callValgvakt('GET', '/api/v1/clock', null);
    if (answer?.status !== 200) throw new Error(`Valgvakt ${deps.valgvakt}: GET /api/v1/clock answered ${answer?.status ?? 'nothing'}`);
    const clock = ZClockState.parse(answer.json);
    clockSpeed = clock.speed > 0 ? clock.speed : 1;
    return new Date(clock.now);
  }

  async function loadFrame(number: string): Promise<MunicipalityFrame | null> {
    const known = frames.get(number);
    if (known) return known;
    const answer = await callValgvakt('GET', `/api/v1/municipalities/${number}`, null);
    if (answer?.status !== 200) {
      warnOnce(`frame-${number}`, `municipality ${number}: Valgvakt does not serve it (${answer?.status ?? 'no answer'}); its bodies are not mapped`);
      return null;
    }
    const detail = ZMunicipalityDetail.parse(answer.json);
    // `held` is filled in each round from `accepted`, which starts as what Valgvakt holds.
    const frame: MunicipalityFrame = { number, units: detail.districts.map((d) => ({ number: d.number, kind: d.kind })), lists: detail.parties.map((p) => p.code), held: [] };
    // What Valgvakt already holds is not sent again (a restarted watchdog does not add versions).
    for (const d of detail.districts) {
      for (const r of d.results) {
        accepted.set(`${number}|${d.number}|${r.category}|${r.stage}`, { content: contentKey({ ballots: { counted: r.ballotsCounted, rejected: r.ballotsRejected, blank: r.ballotsBlank }, votes: r.votes }), counted: r.ballotsCounted, version: r.version });
      }
    }
    frames.set(number, frame);
    return frame;
  }

  const issueFields = (json: unknown) => {
    const parsed = ZApiError.safeParse(json);
    const issues = parsed.success ? parsed.data.issues ?? [] : [];
    return issues.map((i) => `${i.field}: ${i.reason}`).join('; ') || JSON.stringify(json);
  };

  // Valgvakt before POST /api/v1/results/batch answers 404 there: then every report goes one by one.
  let batchSupported = true;

  // Reports are only made for municipalities with a token (the round skips the others as noToken).
  function tokenOf(number: string): string {
    const token = deps.tokens[number];
    if (!token) throw new Error(`no token for municipality ${number}: the round should have skipped it`);
    return token;
  }

  async function sendResults(number: string, results: ResultReport[], now: Date, tally: Tally): Promise<void> {
    const token = tokenOf(number);
    const keyOf = (r: ResultReport) => `${number}|${r.district}|${r.category}|${r.stage}`;
    const change = (r: ResultReport) => r.ballots.counted - (accepted.get(keyOf(r))?.counted ?? 0);
    const toSend: ResultReport[] = [];
    for (const report of results) {
      const key = keyOf(report);
      const content = contentKey(report);
      const had = accepted.get(key);
      if (had?.content === content) {
        tally.unchanged += 1;
        continue;
      }
      // The counts changed but no body's rapportGenerert moved past the held version (a unit body arriving
      // after the municipality body that already counted it moves votes between units): one above the held.
      if (had && had.version >= report.version) report.version = had.version + 1;
      if (refused.get(key) === `${report.version}|${content}`) {
        tally.refused += 1;
        continue;
      }
      if (Date.parse(report.countedAt) - now.getTime() > HOLD_AHEAD_MS) {
        tally.heldBack += 1;
        continue;
      }
      toSend.push(report);
    }

    const accept = (report: ResultReport, status: 201 | 200) => {
      tally[status === 201 ? 'created' : 'duplicate'] += 1;
      accepted.set(keyOf(report), { content: contentKey(report), counted: report.ballots.counted, version: report.version });
    };
    // Per category: a difference booked on a unit's preliminary count may move to other units' final counts.
    const byCategory = new Map<string, ResultReport[]>();
    for (const report of toSend) {
      const group = byCategory.get(report.category);
      if (group) group.push(report);
      else byCategory.set(report.category, [report]);
    }
    for (const group of byCategory.values()) {
      // Lowered counts first: moving votes between units never adds up to more than the municipality has.
      const ordered = [...group].sort((a, b) => change(a) - change(b));
      // A unit lowered while others rise is a booked difference moving to the units that now report it: one
      // batch, judged by Valgvakt on the municipality's total, so the move is not shown as a correction.
      if (batchSupported && ordered.length > 1 && change(ordered[0]!) < 0) {
        const answer = await callValgvakt('POST', '/api/v1/results/batch', token, { reports: ordered });
        const parsed = answer && (answer.status === 201 || answer.status === 200) ? ZIngestBatchAccepted.safeParse(answer.json) : null;
        if (parsed?.success && parsed.data.results.length === ordered.length) {
          // One result per report, in order (its length was checked just above).
          parsed.data.results.forEach((result, i) => accept(ordered[i]!, result.status === 'created' ? 201 : 200));
          continue;
        }
        if (answer?.status === 404) {
          batchSupported = false;
          deps.logger.warn('Valgvakt has no POST /api/v1/results/batch (an older version): moved votes are sent one report at a time and may read as corrections there');
        } else if (answer) {
          deps.logger.warn({ municipality: number, reports: ordered.length, status: answer.status }, `Valgvakt refused a batch (${issueFields(answer.json)}): its reports are sent one by one`);
        }
      }
      for (const report of ordered) {
        const answer = await callValgvakt('POST', '/api/v1/results', token, report);
        if (answer === null) tally.failed += 1;
        else if (answer.status === 201 || answer.status === 200) accept(report, answer.status);
        else {
          tally.refused += 1;
          refused.set(keyOf(report), `${report.version}|${contentKey(report)}`);
          deps.logger.warn({ municipality: number, district: report.district, category: report.category, stage: report.stage, version: report.version, status: answer.status }, `Valgvakt refused a result: ${issueFields(answer.json)}`);
        }
      }
    }
  }

  async function sendStatuses(number: string, statuses: StatusReport[], now: Date, tally: Tally): Promise<void> {
    for (const status of statuses) {
      const key = `${number}|${status.category}|${status.stage}`;
      const content = status.districts.join(',');
      if (statusSent.get(key) === content) {
        tally.unchanged += 1;
        continue;
      }
      if (Date.parse(status.at) - now.getTime() > HOLD_AHEAD_MS) {
        tally.heldBack += 1;
        continue;
      }
      const answer = await callValgvakt('POST', '/api/v1/status', tokenOf(number), status);
      if (answer === null) tally.failed += 1;
      else if (answer.status === 201 || answer.status === 200) {
        tally[answer.status === 201 ? 'created' : 'duplicate'] += 1;
        statusSent.set(key, content);
      } else {
        tally.refused += 1;
        statusSent.set(key, content);
        deps.logger.warn({ municipality: number, category: status.category, stage: status.stage, status: answer.status }, `Valgvakt refused a status report: ${issueFields(answer.json)}`);
      }
    }
  }

  async function sendSeats(report: SeatsReport, now: Date, tally: Tally): Promise<void> {
    if (seatsSent.get(report.area) === report.reportedAt) {
      tally.unchanged += 1;
      return;
    }
    if (!deps.seatsToken) {
      warnOnce('no-seats-token', 'no seats token (--seats-token or "seats" in the tokens file): the seats the feed reports are not sent');
      tally.refused += 1;
      return;
    }
    if (Date.parse(report.reportedAt) - now.getTime() > HOLD_AHEAD_MS) {
      tally.heldBack += 1;
      return;
    }
    const answer = await callValgvakt('POST', '/api/v1/seats', deps.seatsToken, report);
    if (answer === null) tally.failed += 1;
    else if (answer.status === 201 || answer.status === 200) {
      tally[answer.status === 201 ? 'created' : 'duplicate'] += 1;
      seatsSent.set(report.area, report.reportedAt);
    } else {
      tally.refused += 1;
      seatsSent.set(report.area, report.reportedAt);
      deps.logger.warn({ area: report.area, reportedAt: report.reportedAt, status: answer.status }, `Valgvakt refused a seats report: ${issueFields(answer.json)}`);
    }
  }

  /** One round: walk, map, send, report health. */
  async function round(): Promise<RoundSummary> {
    const startedAt = wallNow();
    const now = await valgvaktNow();
    if (pollsCloseAt === null) {
      const answer = await callValgvakt('GET', '/api/v1/election', null);
      if (answer?.status !== 200) throw new Error(`Valgvakt ${deps.valgvakt}: GET /api/v1/election answered ${answer?.status ?? 'nothing'}`);
      pollsCloseAt = new Date(ZElectionInfo.parse(answer.json).pollsCloseAt);
    }
    const closeAt = pollsCloseAt;
    let requests = 0;
    let notModified = 0;
    let bodies = 0;
    let errors = 0;
    const unreadable: Unreadable[] = [];
    const read = async (path: string): Promise<FeedBody | null> => {
      requests += 1;
      const got = await fetchFeed(path);
      if (got.kind === 'failed') {
        if (got.transport) errors += 1;
        unreadable.push({ path, reason: got.reason });
        return null;
      }
      if (got.kind === 'not_modified') notModified += 1;
      else bodies += 1;
      return got.body;
    };

    // National → counties → municipalities, each level fetched with the concurrency limit.
    const root = await read(deps.rootPath);
    const countyPaths = root ? listChildLinks(root) : [];
    const countyBodies: FeedBody[] = [];
    await runLimited(countyPaths, deps.concurrency, async (path) => {
      const body = await read(path);
      if (body) countyBodies.push(body);
    });
    const municipalityPaths = countyBodies.flatMap((b) => listChildLinks(b)).filter((path) => !deps.only || deps.only.has(path.split('/').at(-1) ?? path));
    const kommuneBodies: FeedBody[] = [];
    await runLimited(municipalityPaths, deps.concurrency, async (path) => {
      const body = await read(path);
      if (body?.level === 'kommune') kommuneBodies.push(body);
    });
    // Units below each municipality: only those whose link says they changed (or never read). A
    // municipality's units and holdings come from Valgvakt, read once (several at once on the first round).
    await runLimited(kommuneBodies, deps.sendConcurrency ?? 8, async (k) => {
      await loadFrame(k.nr);
    });
    const unitTasks: string[] = [];
    for (const k of kommuneBodies) {
      const frame = frames.get(k.nr);
      if (!frame) continue;
      unitTasks.push(...selectStaleUnits(listUnitLinks(k, frame), (href) => held.get(href)?.body.reportGenerated).map((l) => l.href));
    }
    await runLimited(unitTasks, deps.concurrency, async (path) => {
      await read(path);
    });

    const walkedAt = wallNow();
    // Map and send, municipality by municipality (several at once).
    const results = emptyTally();
    const statuses = emptyTally();
    const seats = emptyTally();
    const unmapped: string[] = [];
    const noToken: string[] = [];
    let newest: string | null = null;
    const consider = (t: string | null) => {
      const time = t === null ? null : readFeedTime(t);
      // newest is only ever set to a time that reads.
      const newestTime = newest === null ? null : readFeedTime(newest);
      if (time && (newestTime === null || time.at > newestTime.at)) newest = t;
    };
    for (const h of held.values()) consider(h.body.reportGenerated);
    await runLimited(kommuneBodies, deps.sendConcurrency ?? 8, async (k) => {
      const frame = frames.get(k.nr);
      if (!frame) {
        unmapped.push(`${k.nr}: not served by Valgvakt`);
        return;
      }
      const unitBodies = listUnitLinks(k, frame).map((l) => held.get(l.href)?.body).filter((b): b is FeedBody => b !== undefined);
      // What Valgvakt holds now: seeded from its detail, then every report it accepted from us.
      const holding = [...accepted].filter(([key]) => key.startsWith(`${k.nr}|`)).map(([key, held]) => {
        // The key is `${number}|${district}|${category}|${stage}` (keyOf in sendResults).
        const [, district = '', category, stage] = key.split('|');
        return { district, category: ZCountCategory.parse(category), stage: ZCountStage.parse(stage), version: held.version };
      });
      const outcome = computeMunicipalityReports({ ...frame, held: holding }, k, unitBodies, closeAt);
      if (!outcome.ok) {
        unmapped.push(outcome.error);
        return;
      }
      for (const issue of outcome.reports.issues) warnOnce(`issue-${issue}`, issue);
      if (!deps.tokens[k.nr]) {
        noToken.push(k.nr);
        warnOnce(`token-${k.nr}`, `municipality ${k.nr}: no token in the tokens file; its reports are not sent`);
        return;
      }
      await sendResults(k.nr, outcome.reports.results, now, results);
      await sendStatuses(k.nr, outcome.reports.statuses, now, statuses);
    });
    for (const body of [...(root ? [root] : []), ...countyBodies]) {
      const outcome = computeSeatsReport(body);
      if (!outcome.ok) {
        unmapped.push(outcome.error);
        continue;
      }
      if (outcome.report) await sendSeats(outcome.report, now, seats);
    }

    health = computeFeedHealth(health, { at: now, requests, unreadable, errors, rootFailed: root === null, newestReport: newest });
    let feedStatus: RoundSummary['feedStatus'] = 'not_supported';
    if (feedStatusSupported && deps.seatsToken) {
      // The interval on Valgvakt's clock, which judges a silent watchdog "late" after three of them: on a
      // simulated clock at 60×, rounds 15 s apart are 15 minutes apart there.
      const body = buildFeedStatus(health, { base: deps.base, election: deps.election, intervalSeconds: Math.min(3600, Math.max(1, Math.round((deps.intervalMs / 1000) * clockSpeed))), now });
      const answer = await callValgvakt('POST', '/api/v1/feed-status', deps.seatsToken, body);
      if (answer === null) feedStatus = 'failed';
      else if (answer.status === 404) {
        feedStatusSupported = false;
        deps.logger.warn('Valgvakt has no POST /api/v1/feed-status (an older version): the feed\'s health is not reported there');
      } else if (answer.status === 200 || answer.status === 201) feedStatus = 'sent';
      else {
        feedStatus = 'refused';
        deps.logger.warn({ status: answer.status }, `Valgvakt refused the feed status: ${issueFields(answer.json)}`);
      }
    } else if (!deps.seatsToken) warnOnce('feed-status-token', 'no seats token: the feed\'s health is not sent to Valgvakt (POST /api/v1/feed-status needs it)');

    const bad = (t: Tally) => t.refused + t.failed + t.heldBack;
    const complete = health.state === 'ok' && unmapped.length === 0 && noToken.length === 0 && bad(results) + bad(statuses) + bad(seats) === 0 && feedStatus !== 'refused' && feedStatus !== 'failed';
    const summary: RoundSummary = { health, requests, notModified, bodies, results, statuses, seats, unmapped, noToken, feedStatus, complete };
    deps.logger.info({
      state: health.state, requests, notModified, bodies, unreadable: unreadable.length, errors,
      results, statuses, seats, unmapped: unmapped.length, noToken: noToken.length, feedStatus,
      walkMs: walkedAt - startedAt, sendMs: wallNow() - walkedAt,
      lagSeconds: buildFeedStatus(health, { base: deps.base, election: deps.election, intervalSeconds: 1, now }).lagSeconds,
    }, `round ${health.state}: ${requests} requests (${notModified} unchanged), results ${results.created} new / ${results.duplicate} resent / ${results.refused + results.failed} not accepted / ${results.heldBack} held back`);
    // What could not be read, each with why (at most 50 lines a round, then how many more).
    for (const u of unreadable.slice(0, MAX_UNREADABLE)) deps.logger.warn(u, `unreadable: ${u.path}: ${u.reason}`);
    if (unreadable.length > MAX_UNREADABLE) deps.logger.warn(`unreadable: ${unreadable.length - MAX_UNREADABLE} more this round`);
    for (const u of unmapped) deps.logger.warn(`not mapped: ${u}`);
    return summary;
  }

  /** Rounds every `intervalMs` (from start to start) until the signal aborts. */
  async function run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const started = wallNow();
      try {
        await round();
      } catch (error) {
        deps.logger.error({ err: error }, `round failed: ${errorMessage(error)}`);
      }
      const wait = Math.max(0, deps.intervalMs - (wallNow() - started));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });
    }
  }

  return { round, run, health: () => health };
}
