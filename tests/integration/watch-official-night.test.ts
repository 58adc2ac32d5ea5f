// The whole recorded night through the whole chain: the playback server (scripts/play-recording.ts) serving
// the 2025 recording on a stepped recorded clock → the watchdog (watchdog/runner.ts) → a sidecar on PGlite
// serving st2025 on a simulated clock that follows the recorded one (PUT /api/v1/clock). A round in the
// middle of the night (22:30, unit bodies lagging) and one at its end; then every one of the 357
// municipalities' published counts equals its last recorded municipality body, list by list. Then incidents
// the playback stages: Oslo frozen at 22:30 is flagged stalled, a 10-minute outage is one feed_down incident.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecording } from '../../data/official-recording.ts';
import { createIngestCredentials } from '../../db/credentials.ts';
import { createOperator, createOperatorSession } from '../../db/operators.ts';
import { createSeatsCredential } from '../../db/seats.ts';
import type { RecordedLine } from '../../lib/official-feed/feed-2025.ts';
import { formatNightIso } from '../../lib/official-feed/playback.ts';
import { parseOfficialBody } from '../../lib/official-feed/parse.ts';
import { startPlayback, type Playback } from '../../scripts/play-recording.ts';
import { createWatchdog } from '../../watchdog/runner.ts';
import { CLOCK_TOKEN, startTestStack, type TestStack } from './harness.ts';

let stack: TestStack;
let playback: Playback;
let lines: RecordedLine[];
/** The playback's wall clock, stepped by the test: recorded time = 21:00 + (wall − 0) at speed 1. */
let wall = 0;
const FROM = new Date('2025-09-08T19:00:00Z');

async function setClock(target: TestStack, at: Date) {
  const response = await fetch(`${target.baseUrl}/api/v1/clock`, { method: 'PUT', headers: { authorization: `Bearer ${CLOCK_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ at: at.toISOString() }) });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  lines = await readRecording();
  [stack, playback] = await Promise.all([
    startTestStack('pglite', { clock: 'simulated', election: 'st2025' }),
    startPlayback({ lines, speed: 1, from: FROM, port: 0, wallClock: () => wall }),
  ]);
}, 120_000);

afterAll(async () => {
  await playback?.close();
  await stack?.close();
});

describe('the recorded night: playback → watchdog → sidecar', () => {
  it('ends with every municipality\'s published counts equal to its last recorded body', { timeout: 120_000 }, async () => {
    const started = Date.now();
    const tokens = await createIngestCredentials(stack.database.db, 'st2025', 'watchdog-night');
    const seatsToken = (await createSeatsCredential(stack.database.db, 'st2025', 'watchdog-night')).token;
    const dog = createWatchdog({
      base: playback.url, election: '2025/st', rootPath: '/2025/st', intervalMs: 15_000, concurrency: 16, timeoutMs: 10_000, sendConcurrency: 16,
      valgvakt: stack.baseUrl, tokens, seatsToken, logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      sleep: async () => {}, random: () => 0.5,
    });
    const last = new Date(Math.max(...lines.map((l) => Date.parse(l.polledAt))) + 60_000);
    const times = [new Date('2025-09-08T20:30:00Z'), last];
    for (const at of times) {
      wall = at.getTime() - FROM.getTime();
      expect(playback.recordedNow()).toEqual(at);
      await setClock(stack, at);
      const round = await dog.round();
      console.log(`round at ${formatNightIso(at)}: ${round.requests} requests (${round.notModified} 304), results ${JSON.stringify(round.results)}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
      expect(round.health.state).toBe('ok');
      expect(round.unmapped).toEqual([]);
      expect(round.results).toMatchObject({ refused: 0, failed: 0, heldBack: 0 });
      expect(round.complete).toBe(true);
    }
    await stack.settle();

    // The last recorded municipality body of each municipality.
    const lastBody = new Map<string, Record<string, number>>();
    for (const line of lines) {
      if (line.level !== 'kommune') continue;
      const parsed = parseOfficialBody(line.body);
      if (!parsed.ok) throw new Error(parsed.error);
      lastBody.set(parsed.body.nr, Object.fromEntries(parsed.body.parties.filter((p) => p.code !== 'BLANKE' && (p.total ?? 0) > 0).map((p) => [p.code, p.total!])));
    }
    let equal = 0;
    for (const [number, expected] of lastBody) {
      const detail = (await stack.getJson(`/api/v1/municipalities/${number}`)).body;
      const published = Object.fromEntries(detail.parties.filter((p: { votes: number }) => p.votes > 0).map((p: { code: string; votes: number }) => [p.code, p.votes]));
      expect(published, number).toEqual(expected);
      equal += 1;
    }
    console.log(`${equal} of ${lastBody.size} municipalities publish exactly their last recorded counts (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    expect(equal).toBe(357);
    const seats = (await stack.getJson('/api/v1/snapshot')).body.reportedSeats;
    expect(seats).toHaveLength(20);
    expect(seats[0]).toMatchObject({ area: 'national', source: 'valgresultat.no', total: 169 });
  });
});

// With the feed-status work: a frozen municipality is flagged stalled, and an outage of the service is one
// feed_down incident that holds back stall alerts. Four municipalities are fed (the runner's `only`), the
// watchdog's rounds 15 recorded minutes apart (its interval too, so the feed is never late between them).
describe('incidents staged by the playback: a frozen Oslo, a 10-minute outage', () => {
  const FED = new Set(['0301', '4601', '5001', '1103']);
  let stack2: TestStack;
  let playback2: Playback;
  let wall2 = 0;
  let operator: string;
  const oslo = (hhmm: string, day = 8) => new Date(`2025-09-0${day}T${hhmm}:00+02:00`);

  beforeAll(async () => {
    [stack2, playback2] = await Promise.all([
      startTestStack('pglite', { clock: 'simulated', election: 'st2025', stateMonitor: true }),
      startPlayback({
        lines, speed: 1, from: FROM, port: 0, wallClock: () => wall2,
        incidents: [{ kind: 'freeze', municipality: '0301', at: oslo('22:30') }, { kind: 'outage', from: oslo('00:50', 9), to: oslo('01:00', 9) }],
      }),
    ]);
    const account = await createOperator(stack2.database.db, 'vakt-watchdog', 'correct horse battery staple');
    operator = (await createOperatorSession(stack2.database.db, account.id, new Date())).token;
  }, 120_000);
  afterAll(async () => {
    await playback2?.close();
    await stack2?.close();
  });

  async function ops(path: string) {
    const response = await fetch(`${stack2.baseUrl}${path}`, { headers: { authorization: `Bearer ${operator}` } });
    return await response.json() as any;
  }

  it('Oslo, frozen at 22:30, is stalled with since-when and reason; the outage raises exactly one feed_down incident and no stall', { timeout: 60_000 }, async () => {
    const tokens = await createIngestCredentials(stack2.database.db, 'st2025', 'watchdog-incidents', [...FED]);
    const seatsToken = (await createSeatsCredential(stack2.database.db, 'st2025', 'watchdog-incidents')).token;
    const dog = createWatchdog({
      base: playback2.url, election: '2025/st', rootPath: '/2025/st', intervalMs: 15 * 60_000, concurrency: 8, timeoutMs: 10_000, only: FED,
      valgvakt: stack2.baseUrl, tokens, seatsToken, logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      sleep: async () => {}, random: () => 0.5, wallNow: () => wall2,
    });
    const roundAt = async (hhmm: string) => {
      const at = oslo(hhmm, hhmm < '12' ? 9 : 8);
      wall2 = at.getTime() - FROM.getTime();
      await setClock(stack2, at);
      const round = await dog.round();
      await stack2.settle();
      return round;
    };
    // Oslo has 15 of its 16 boroughs by 22:30; the last one is due at 00:04 (its arrival schedule), so it is
    // stalled from 00:34, 30 minutes (stallAfter) after that.
    for (const hhmm of ['21:45', '22:00', '22:15', '22:30', '22:45', '23:00', '23:15', '23:30', '23:45', '00:00', '00:15', '00:30', '00:45']) {
      const round = await roundAt(hhmm);
      expect(round.health.state, hhmm).toBe('ok');
      expect(round.feedStatus, hhmm).toBe('sent');
    }
    const osloNow = (await stack2.getJson('/api/v1/municipalities/0301')).body.municipality;
    console.log(`Oslo at 00:45: ${osloNow.state} since ${osloNow.stateSince}: ${osloNow.stateReason}`);
    expect(osloNow.state).toBe('stalled');
    expect(osloNow.stateSince).toBe(oslo('00:34', 9).toISOString());
    expect(osloNow.stateReason).toMatch(/gjenstår/);
    const alertsBefore = new Set((await ops('/api/v1/ops/board')).alerts.map((a: { municipality: string }) => a.municipality));
    expect(alertsBefore.has('0301')).toBe(true);
    const seqBefore = (await stack2.getJson('/api/v1/changes?limit=1&before=2147483647')).body.latestSeq;

    // The service answers 503 (Retry-After 60) from 00:50 to 01:00.
    for (const hhmm of ['00:50', '00:55']) {
      const round = await roundAt(hhmm);
      expect(round.health.state, hhmm).toBe('down');
      expect(round.feedStatus, hhmm).toBe('sent');
    }
    expect(dog.health().outageSince).toEqual(oslo('00:50', 9));
    expect((await ops('/api/v1/ops/board')).feed).toMatchObject({ health: 'down', incident: { kind: 'feed_down', status: 'open' } });
    const back = await roundAt('01:05');
    expect(back.health.state).toBe('ok');
    const changes = (await stack2.getJson(`/api/v1/changes?since=${seqBefore}&limit=500`)).body.revisions as { kind: string; description: string }[];
    const raised = changes.filter((c) => c.kind === 'feed.incident.raised');
    expect(raised).toHaveLength(1);
    expect(raised[0]!.description).toMatch(/svarer ikke siden 00:50/);
    expect(changes.filter((c) => c.kind === 'feed.incident.resolved')).toHaveLength(1);
    const alertsAfter = new Set((await ops('/api/v1/ops/board')).alerts.map((a: { municipality: string }) => a.municipality));
    expect([...alertsAfter].filter((m) => FED.has(m as string) && !alertsBefore.has(m))).toEqual([]);
  });
});
