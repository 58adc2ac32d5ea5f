// The whole recorded night through the whole chain: the playback server (scripts/play-recording.ts) serving
// the 2025 recording on a stepped recorded clock → the watchdog (watchdog/runner.ts) → a sidecar on PGlite
// serving st2025 on a simulated clock that follows the recorded one (PUT /api/v1/clock). A round in the
// middle of the night (22:30, unit bodies lagging) and one at its end; then every one of the 357
// municipalities' published counts equals its last recorded municipality body, list by list. Incidents the
// playback stages are in watch-official-incidents.test.ts.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZResultAcceptedPayload } from '../../lib/contracts/changes.ts';
import { readRecording } from '../../data/official-recording.ts';
import { createIngestCredentials } from '../../db/credentials.ts';
import { createSeatsCredential } from '../../db/seats.ts';
import type { RecordedLine } from '../../lib/official-feed/feed-2025.ts';
import { computeNationalCounts } from '../../lib/domain/national.ts';
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
    // The national counts from here on are kept as a running tally, batch by batch (checked at the end).
    const model = stack.sidecar.model;
    model.nationalCounts();
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
    // The tally brought up to date one municipality at a time equals a fresh count over all 357.
    const views = [...model.records()].map((record) => ({ view: model.viewOf(record.ref.number)!, previousVotes: record.ref.previousVotes ?? null }));
    expect(model.nationalCounts()).toEqual(computeNationalCounts(views));
    expect(model.nationalCounts().municipalitiesComplete).toBeGreaterThan(300);

    // The last recorded municipality body of each municipality.
    const lastBody = new Map<string, Record<string, number>>();
    for (const line of lines) {
      if (line.level !== 'kommune') continue;
      const parsed = parseOfficialBody(line.body);
      if (!parsed.ok) throw new Error(parsed.error);
      lastBody.set(parsed.body.nr, Object.fromEntries(parsed.body.parties.filter((p) => p.code !== 'BLANKE' && !p.pool && (p.total ?? 0) > 0).map((p) => [p.code, p.total!])));
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
    // Unit bodies arriving after the municipality body moved its booked difference between units (and from
    // preliminary to final counts): each move came as one batch, so a municipality reads as corrected down
    // ("Korrigert ned") only where the feed itself lowered a category's ballots between the two rounds.
    const lowerings = (await stack.database.db.changeLog.findMany({ where: { electionId: 'st2025', kind: 'result.accepted' }, select: { payload: true } }))
      .map((row) => ZResultAcceptedPayload.parse(row.payload))
      .filter((p) => p.previousBallots && p.ballots.counted < p.previousBallots.counted);
    const regressed = [...lastBody.keys()].filter((number) => stack.sidecar.model.findRecord(number)?.regression).sort();
    const byCategory = new Map<string, { first: [number, number]; last: [number, number] }>();
    for (const line of lines) {
      if (line.level !== 'kommune') continue;
      const parsed = parseOfficialBody(line.body);
      if (!parsed.ok) throw new Error(parsed.error);
      const listed = parsed.body.parties.filter((p) => !p.pool);
      const advance = listed.reduce((sum, p) => sum + (p.advance ?? 0), 0);
      const counts: [number, number] = [advance, listed.reduce((sum, p) => sum + (p.total ?? 0), 0) - advance];
      const held = byCategory.get(parsed.body.nr);
      if (Date.parse(line.polledAt) <= times[0]!.getTime() || !held) byCategory.set(parsed.body.nr, { first: counts, last: counts });
      else held.last = counts;
    }
    const corrected = [...byCategory].filter(([, c]) => c.last[0] < c.first[0] || c.last[1] < c.first[1]).map(([number]) => number).sort();
    console.log(`${lowerings.length} units lowered, ${lowerings.filter((p) => p.batch).length} of them in a batch; corrected down: ${regressed.join(', ')}; by the feed: ${corrected.join(', ')}`);
    expect(lowerings.filter((p) => p.batch).length).toBeGreaterThan(0);
    // No false alarm: each is a drop the feed made. Alstahaug's advance votes, 2,639 → 2,609 at 23:58, is one.
    // The others the feed made are final counts a few ballots below the preliminary they replace, which
    // Valgvakt does not call corrections (no count was lowered), from the feed or from a municipality.
    expect(regressed.filter((number) => !corrected.includes(number))).toEqual([]);
    expect(regressed).toContain('1820');

    const seats = (await stack.getJson('/api/v1/snapshot')).body.reportedSeats;
    expect(seats).toHaveLength(20);
    expect(seats[0]).toMatchObject({ area: 'national', source: 'valgresultat.no', total: 169 });
  });
});
