// The stall monitor in a real sidecar: a clean night records no problem state; the 2023 night's transfer
// backlog is flagged with a reason in words, carried by the snapshot, and cleared when the results arrive.
import type { ScenarioInput } from '../../lib/contracts/scenario.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReplayReference, loadShippedScenario } from '../../data/election-package.ts';
import { createIngestCredentials } from '../../db/credentials.ts';
import { buildReplayPlan, type ReplayPlan } from '../../lib/replay/plan.ts';
import type { ReplayReference } from '../../lib/replay/reference.ts';
import { runReplay } from '../../replay/runner.ts';
import { CLOCK_TOKEN, nightAt, startTestStack, type TestStack, TEST_ELECTION_ID } from './harness.ts';

const MUNICIPALITIES = ['0301', '4601', '1101', '3107', '4621', '5001'];
const PROBLEMS = ['slow', 'stalled', 'backlog', 'regressed'];
let reference: ReplayReference;
/** The 2023 night with its incidents, from the ko2023 package (its default scenario). */
let SCENARIO_2023: ScenarioInput;
beforeAll(async () => {
  reference = await loadReplayReference(TEST_ELECTION_ID);
  SCENARIO_2023 = await loadShippedScenario(TEST_ELECTION_ID, '2023');
});

async function replayUntil(stack: TestStack, plan: ReplayPlan, until: string, from = '') {
  const part = { ...plan, requests: plan.requests.filter((r) => r.at > from && r.at <= until) };
  const tokens = await createIngestCredentials(stack.database.db, TEST_ELECTION_ID, `states-${until}`, MUNICIPALITIES);
  const result = await runReplay({ baseUrl: stack.baseUrl, plan: part, tokens, speed: 'max', clockToken: CLOCK_TOKEN });
  expect(result.unexpectedAnswers).toEqual([]);
  // The replay leaves the clock just past its last request; bring it to `until` if it is not there yet.
  const now = (await stack.getJson('/api/v1/clock')).body.now as string;
  if (now < until) {
    const moved = await fetch(`${stack.baseUrl}/api/v1/clock`, { method: 'PUT', headers: { authorization: `Bearer ${CLOCK_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ at: until }) });
    expect(moved.status).toBe(200);
  }
  await stack.settle();
}

async function transitions(stack: TestStack) {
  const rows = await stack.database.db.changeLog.findMany({ where: { kind: 'state.changed' }, orderBy: { seq: 'asc' }, select: { payload: true, at: true } });
  return rows.map((r) => ({ ...(r.payload as { municipality: string; to: string; since: string | null; reason: string }), at: r.at.toISOString() }));
}

describe('stall monitor on a clean night', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('pglite', { clock: 'simulated', stallMonitor: true });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('raises no problem state and ends with every municipality complete', { timeout: 120_000 }, async () => {
    const plan = buildReplayPlan(reference, { name: 'clean', seed: 'states', municipalities: MUNICIPALITIES.filter((m) => m !== '4621'), stages: ['preliminary'] });
    await replayUntil(stack, plan, nightAt('03:00').toISOString());
    // Municipalities outside the replay really are stalled; only the replayed ones must stay healthy.
    const replayed = new Set(MUNICIPALITIES.filter((m) => m !== '4621'));
    const recorded = (await transitions(stack)).filter((t) => replayed.has(t.municipality));
    expect(recorded.filter((t) => PROBLEMS.includes(t.to))).toEqual([]);
    expect(recorded.map((t) => t.to)).toContain('complete');
    const snapshot = (await stack.getJson('/api/v1/snapshot')).body;
    for (const number of MUNICIPALITIES.filter((m) => m !== '4621')) {
      expect(snapshot.municipalities.find((m: { number: string }) => m.number === number)).toMatchObject({ state: 'complete', status: 'complete' });
    }
  });
});

describe('stall monitor on the 2023 night', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('pglite', { clock: 'simulated', stallMonitor: true });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('flags the transfer backlog with a reason in words, and clears it when the results arrive', { timeout: 120_000 }, async () => {
    const plan = buildReplayPlan(reference, { ...SCENARIO_2023, municipalities: MUNICIPALITIES, stages: ['preliminary'] });
    await replayUntil(stack, plan, nightAt('23:30').toISOString());
    const snapshot = (await stack.getJson('/api/v1/snapshot')).body;
    const state = (number: string) => snapshot.municipalities.find((m: { number: string }) => m.number === number);
    expect(state('0301')).toMatchObject({ state: 'backlog', stateReason: expect.stringMatching(/ferdig talt lokalt, ikke mottatt$/) });
    expect(state('4601')).toMatchObject({ state: 'backlog', stateReason: expect.stringMatching(/kretser ferdig talt lokalt/) });
    // Voss holds its count for a re-check it announced itself: under review with a note, not stalled.
    expect(state('4621')).toMatchObject({
      state: 'under_review', stateReason: 'telles på nytt etter melding fra kommunen', publicNote: 'Telles på nytt: alle stemmesedler til kommunestyrevalget telles på nytt',
    });
    expect(state('0301').stateSince).not.toBeNull();

    const detail = (await stack.getJson('/api/v1/municipalities/0301')).body;
    expect(detail.municipality.state).toBe('backlog');
    const oslo = (await transitions(stack)).find((t) => t.municipality === '0301' && t.to === 'backlog')!;
    // Flagged at the first evaluation after the threshold was crossed.
    expect(Date.parse(oslo.at)).toBeGreaterThanOrEqual(Date.parse(oslo.since!));

    await replayUntil(stack, plan, nightAt('03:00').toISOString(), nightAt('23:30').toISOString()); // the queue has drained
    const after = (await stack.getJson('/api/v1/snapshot')).body;
    for (const number of ['0301', '4601', '1101', '3107']) {
      expect(after.municipalities.find((m: { number: string }) => m.number === number).state).toBe('complete');
    }
  });
});
