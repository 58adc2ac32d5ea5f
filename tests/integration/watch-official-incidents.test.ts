// Incidents the playback server stages, through the watchdog into a sidecar on PGlite serving st2025 with its
// stall monitor: Oslo frozen at 22:30 (--freeze 0301@22:30) is flagged stalled with since-when and reason,
// Bergen corrected at 23:00 (--correction 4601@23:00: its largest list lowered) publishes the lowered count,
// and a 10-minute outage of the service (--outage 00:50-01:00) is exactly one feed_down incident, raised and
// resolved, holding back stall alerts. Four municipalities are fed (the runner's `only`); the watchdog's
// rounds are 15 recorded minutes apart, its interval too, so the feed is never late between them.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecording } from '../../data/official-recording.ts';
import { createIngestCredentials } from '../../db/credentials.ts';
import { createOperator, createOperatorSession } from '../../db/operators.ts';
import { createSeatsCredential } from '../../db/seats.ts';
import type { RecordedLine } from '../../lib/official-feed/feed-2025.ts';
import { parseOfficialBody } from '../../lib/official-feed/parse.ts';
import { startPlayback, type Playback } from '../../scripts/play-recording.ts';
import { createWatchdog } from '../../watchdog/runner.ts';
import { CLOCK_TOKEN, startTestStack, type TestStack } from './harness.ts';

const FROM = new Date('2025-09-08T19:00:00Z');
let lines: RecordedLine[];

async function setClock(target: TestStack, at: Date) {
  const response = await fetch(`${target.baseUrl}/api/v1/clock`, { method: 'PUT', headers: { authorization: `Bearer ${CLOCK_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ at: at.toISOString() }) });
  expect(response.status).toBe(200);
}

describe('incidents staged by the playback: a frozen Oslo, a 10-minute outage', () => {
  const FED = new Set(['0301', '4601', '5001', '1103']);
  let stack2: TestStack;
  let playback2: Playback;
  let wall2 = 0;
  let operator: string;
  const oslo = (hhmm: string, day = 8) => new Date(`2025-09-0${day}T${hhmm}:00+02:00`);

  beforeAll(async () => {
    lines = await readRecording();
    [stack2, playback2] = await Promise.all([
      startTestStack('pglite', { clock: 'simulated', election: 'st2025', stallMonitor: true }),
      startPlayback({
        lines, speed: 1, from: FROM, port: 0, wallClock: () => wall2,
        incidents: [{ kind: 'freeze', municipality: '0301', at: oslo('22:30') }, { kind: 'correction', municipality: '4601', at: oslo('23:00') }, { kind: 'outage', from: oslo('00:50', 9), to: oslo('01:00', 9) }],
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

  it('Oslo, frozen at 22:30, is stalled with since-when and reason; Bergen\'s lowered count is published; the outage raises exactly one feed_down incident and no stall', { timeout: 60_000 }, async () => {
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
    // The others, not frozen, have every polling unit in, those that never count on their own ("Uoppgitt
    // krets") included: none is left waiting on its election-night count.
    for (const number of ['4601', '5001', '1103']) {
      const other = (await stack2.getJson(`/api/v1/municipalities/${number}`)).body.municipality;
      expect([number, other.districtsReported]).toEqual([number, other.districtsTotal]);
      expect([number, other.state]).not.toEqual([number, 'stalled']);
    }

    // Bergen's correction: the body served now has its largest list below the recorded one, and Valgvakt
    // publishes exactly the served (lowered) counts.
    const served = parseOfficialBody(await (await fetch(`${playback2.url}/api/2025/st/12/4601`)).json());
    if (!served.ok) throw new Error(served.error);
    const recordedBergen = lines.filter((l) => l.level === 'kommune' && Date.parse(l.polledAt) <= oslo('00:45', 9).getTime() && l.file.includes('-4601/')).map((l) => parseOfficialBody(l.body)).at(-1)!;
    if (!recordedBergen.ok) throw new Error(recordedBergen.error);
    const votesOf = (parties: { code: string; pool: boolean; total: number | null }[]) => Object.fromEntries(parties.filter((p) => p.code !== 'BLANKE' && !p.pool && (p.total ?? 0) > 0).map((p) => [p.code, p.total!]));
    const lowered = Object.entries(votesOf(served.body.parties)).filter(([code, votes]) => votes < votesOf(recordedBergen.body.parties)[code]!);
    expect(lowered).toHaveLength(1);
    const bergen = (await stack2.getJson('/api/v1/municipalities/4601')).body;
    expect(Object.fromEntries(bergen.parties.filter((p: { votes: number }) => p.votes > 0).map((p: { code: string; votes: number }) => [p.code, p.votes]))).toEqual(votesOf(served.body.parties));
    console.log(`Bergen corrected at 23:00: ${lowered[0]![0]} ${votesOf(recordedBergen.body.parties)[lowered[0]![0]]} recorded, ${lowered[0]![1]} served and published`);

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
