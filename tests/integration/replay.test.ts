// A replayed night through the public API into real sidecars: every answer as planned, and the stored
// result equal to the real 2023 result (or, under dropped requests, to what the plan says must remain).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadExpectedResults, loadReplayReference, loadShippedScenario } from '../../data/election-package.ts';
import { createIngestCredentials } from '../../db/credentials.ts';
import type { ScenarioInput } from '../../lib/contracts/scenario.ts';
import { NATIONAL_PARTIES, OTHERS_CODE } from '../../lib/domain/national.ts';
import { buildReplayPlan, type ReplayPlan } from '../../lib/replay/plan.ts';
import type { ReplayReference } from '../../lib/replay/reference.ts';
import { runReplay } from '../../replay/runner.ts';
import { CLOCK_TOKEN, nightAt, nightIso, startTestStack, type TestStack, TEST_ELECTION_ID } from './harness.ts';

let reference: ReplayReference;
/** The 2023 night with its incidents, from the ko2023 package (its default scenario). */
let SCENARIO_2023: ScenarioInput;
beforeAll(async () => {
  reference = await loadReplayReference(TEST_ELECTION_ID);
  SCENARIO_2023 = await loadShippedScenario(TEST_ELECTION_ID, '2023');
});

async function replay(stack: TestStack, plan: ReplayPlan) {
  const municipalities = [...new Set(plan.requests.map((r) => r.municipality))];
  const tokens = await createIngestCredentials(stack.database.db, TEST_ELECTION_ID, 'replay-test', municipalities);
  const result = await runReplay({ baseUrl: stack.baseUrl, plan, tokens, speed: 'max', clockToken: CLOCK_TOKEN, concurrency: 16 });
  await stack.sidecar.feed.waitFor(Math.max(...(await stack.database.db.changeLog.findMany({ select: { seq: true }, orderBy: { seq: 'desc' }, take: 1 })).map((r) => Number(r.seq))));
  return result;
}

async function storedVotes(stack: TestStack, municipalities: string[]): Promise<Record<string, Record<string, number>>> {
  const stored: Record<string, Record<string, number>> = {};
  for (const number of municipalities) {
    const detail = (await stack.getJson(`/api/v1/municipalities/${number}`)).body;
    stored[number] = Object.fromEntries(detail.parties.filter((p: { votes: number }) => p.votes > 0).map((p: { code: string; votes: number }) => [p.code, p.votes]));
  }
  return stored;
}

function withoutZeros(votes: Record<string, Record<string, number>>) {
  return Object.fromEntries(Object.entries(votes).map(([m, v]) => [m, Object.fromEntries(Object.entries(v).filter(([, n]) => n > 0))]));
}

describe('the full 2023 night on the PostgreSQL server', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('postgres', { clock: 'simulated' });
  });
  afterAll(async () => {
    await stack?.close();
  });

  // The whole night through the API: about 3.5 min on PostgreSQL when the 2-core machine is busy.
  it('answers every request as planned and ends with the real 2023 result in every municipality and nationally', { timeout: 480_000 }, async () => {
    const plan = buildReplayPlan(reference, SCENARIO_2023);
    const result = await replay(stack, plan);
    expect(result.unexpectedAnswers).toEqual([]);
    expect(result.sent).toBe(plan.requests.length);

    const finals = await loadExpectedResults(TEST_ELECTION_ID);
    const real = Object.fromEntries([...finals].map(([m, f]) => [m, f.votes]));
    expect(withoutZeros(await storedVotes(stack, [...finals.keys()]))).toEqual(withoutZeros(real));

    const snapshot = (await stack.getJson('/api/v1/snapshot')).body;
    expect(snapshot.national.municipalitiesComplete).toBe(357);
    const nationalReal = new Map<string, number>();
    for (const f of finals.values()) {
      for (const [code, votes] of Object.entries(f.votes)) {
        const key = NATIONAL_PARTIES.has(code) ? code : OTHERS_CODE;
        nationalReal.set(key, (nationalReal.get(key) ?? 0) + votes);
      }
    }
    for (const party of snapshot.national.parties) expect([party.code, party.votes]).toEqual([party.code, nationalReal.get(party.code) ?? 0]);

    // The system's clock followed the night: results carry the night's simulated times, not today's.
    const clock = (await stack.getJson('/api/v1/clock')).body;
    expect(Date.parse(clock.now)).toBeGreaterThanOrEqual(Date.parse(plan.end));
    expect(snapshot.municipalities.every((m: { lastResultAt: string }) => Date.parse(m.lastResultAt) >= nightAt('12:00').getTime() && Date.parse(m.lastResultAt) <= Date.parse(clock.now))).toBe(true);
  });
});

describe('faults on embedded PGlite', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('pglite', { clock: 'simulated' });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const municipalities = ['0301', '4601', '4621', '1101', '5501', '3107'];
  const faulty = (faults: ScenarioInput['faults'], seed: string): ScenarioInput => ({ ...SCENARIO_2023, seed, municipalities, faults });

  it('absorbs duplicates, reordering, corrections and delays: every answer as expected, the real result at the end', { timeout: 120_000 }, async () => {
    const plan = buildReplayPlan(reference, faulty({ duplicate: 0.15, reorder: 0.15, correction: 0.1, delay: { share: 0.1, maxMinutes: 20 } }, 'faults-a'));
    const tags = plan.requests.flatMap((r) => r.tags);
    for (const tag of ['duplicate', 'reordered', 'correction', 'delayed']) expect(tags).toContain(tag);
    expect(plan.requests.some((r) => r.expect === 200)).toBe(true);

    const result = await replay(stack, plan);
    expect(result.unexpectedAnswers).toEqual([]);
    expect(result.duplicates).toBeGreaterThan(0);
    const finals = await loadExpectedResults(TEST_ELECTION_ID);
    expect(withoutZeros(await storedVotes(stack, municipalities))).toEqual(withoutZeros(Object.fromEntries(municipalities.map((m) => [m, finals.get(m)!.votes]))));

    // Corrections are versions: the superseded ones stay stored.
    const versions = await stack.database.db.resultReport.count({ where: { version: 2 } });
    expect(versions).toBe(plan.requests.filter((r) => r.tags.includes('correction') && r.expect === 201).length);
  });
});

describe('dropped requests', () => {
  it('leave exactly what the plan says must be missing', { timeout: 120_000 }, async () => {
    const stack = await startTestStack('pglite', { clock: 'simulated' });
    try {
      const plan = buildReplayPlan(reference, { ...SCENARIO_2023, seed: 'drops', municipalities: ['1101', '5501', '3107'], faults: { drop: 0.25 } });
      expect(plan.dropped).toBeGreaterThan(0);
      const result = await replay(stack, plan);
      expect(result.unexpectedAnswers).toEqual([]);
      expect(withoutZeros(await storedVotes(stack, ['1101', '5501', '3107']))).toEqual(withoutZeros(plan.expectedVotes));
      const finals = await loadExpectedResults(TEST_ELECTION_ID);
      expect(withoutZeros(plan.expectedVotes)).not.toEqual(withoutZeros(Object.fromEntries(['1101', '5501', '3107'].map((m) => [m, finals.get(m)!.votes]))));
    } finally {
      await stack.close();
    }
  });
});

describe('the clock endpoint', () => {
  it('tells the time, lets only the control token steer a simulated clock, and never goes backwards', async () => {
    const stack = await startTestStack('pglite', { clock: 'simulated' });
    try {
      const put = (body: unknown, token = CLOCK_TOKEN) =>
        fetch(`${stack.baseUrl}/api/v1/clock`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect((await stack.getJson('/api/v1/clock')).body).toEqual({ mode: 'simulated', now: nightAt('20:55').toISOString(), speed: 0 });
      expect((await put({ at: nightIso('23:00') }, 'wrong-token')).status).toBe(401);
      const moved = await put({ at: nightIso('23:00'), speed: 0 });
      expect(await moved.json()).toEqual({ mode: 'simulated', now: nightAt('23:00').toISOString(), speed: 0 });
      const backwards = await put({ at: nightIso('22:00') });
      expect(backwards.status).toBe(409);
      expect((await put({ speed: -1 })).status).toBe(422);
      // Reports are judged by the simulated clock: a count from 23:05 is "in the future" at 23:00.
      const token = await stack.token('1101');
      const early = await stack.postResult(token, { municipality: '1101', district: '0000', category: 'advance', stage: 'preliminary', version: 1, countedAt: nightIso('23:05'), ballots: { counted: 10, rejected: 0, blank: 0 }, votes: { A: 10 } });
      expect(early.status).toBe(422);
    } finally {
      await stack.close();
    }
    const wall = await startTestStack('pglite');
    try {
      const response = await fetch(`${wall.baseUrl}/api/v1/clock`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"speed":1}' });
      expect(response.status).toBe(404);
    } finally {
      await wall.close();
    }
  });
});

describe('a replay at a set pace', () => {
  // The demo at 90×, stopped at 23:30 by a presenter with the clock's control token: the replay ran on by its
  // own reckoning, and every report more than 2 minutes ahead of the paused clock was refused.
  it('waits while someone pauses the sidecar\'s clock, leaves it paused, and goes on with it: nothing refused', { timeout: 120_000 }, async () => {
    const stack = await startTestStack('pglite', { clock: 'simulated' });
    try {
      const plan = buildReplayPlan(reference, { name: 'clean', seed: 'pause', municipalities: ['1101', '5501', '3107'] });
      const tokens = await createIngestCredentials(stack.database.db, TEST_ELECTION_ID, 'replay-pause', ['1101', '5501', '3107']);
      const setSpeed = (speed: number) => fetch(`${stack.baseUrl}/api/v1/clock`, {
        method: 'PUT', headers: { authorization: `Bearer ${CLOCK_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ speed }),
      }).then(async (response) => ({ status: response.status, body: await response.json() as { now: string; speed: number } }));
      let sent = 0;
      const replaying = runReplay({ baseUrl: stack.baseUrl, plan, tokens, speed: 600, clockToken: CLOCK_TOKEN, skipIdleMinutes: 20, onProgress: (p) => (sent = p.sent) });
      await expect.poll(() => sent, { timeout: 30_000 }).toBeGreaterThan(0);
      const paused = await setSpeed(0);
      expect(paused.status).toBe(200);
      // What was on its way when the clock stopped may still land; after that, nothing while it stands still.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const sentWhenPaused = sent;
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(sent).toBe(sentWhenPaused);
      expect(sent).toBeLessThan(plan.requests.length);
      expect((await stack.getJson('/api/v1/clock')).body).toMatchObject({ now: paused.body.now, speed: 0 });
      expect((await setSpeed(600)).status).toBe(200);
      const result = await replaying;
      expect(result.unexpectedAnswers).toEqual([]);
      expect(result.refused).toBe(0);
      expect(result.sent).toBe(plan.requests.length);
    } finally {
      await stack.close();
    }
  });
});
