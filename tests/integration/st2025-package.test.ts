// The 2025 Storting election package (elections/st2025, built from the recorded official feed by
// scripts/build-election-from-recording.ts) loaded next to ko2023: served as a storting election with all 357
// municipalities, its expected results are the recording's last snapshot, and a clean replay of three
// municipalities ends with exactly those results.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadExpectedResults, loadReplayReference } from '../../data/election-package.ts';
import { readRecording } from '../../data/official-recording.ts';
import { createIngestCredentials } from '../../db/credentials.ts';
import { parseFeedBody } from '../../lib/official-feed/feed-2025.ts';
import { buildReplayPlan } from '../../lib/replay/plan.ts';
import { runReplay } from '../../replay/runner.ts';
import { CLOCK_TOKEN, startTestStack, TEST_ELECTION_ID, type TestStack } from './harness.ts';

const ID = 'st2025';
// Oslo (with its borough level), Bergen, and Utsira, the smallest municipality.
const SAMPLES = ['0301', '4601', '1151'];

/** Each sample municipality's party totals (BLANKE included, the feed's pools Andre/Andre2 not) in the recording's last snapshot of it. */
async function lastRecorded(): Promise<Map<string, Record<string, number>>> {
  const last = new Map<string, Record<string, number>>();
  for (const line of await readRecording()) {
    if (line.level !== 'kommune') continue;
    const parsed = parseFeedBody(line.body);
    if (!parsed.ok) throw new Error(`${line.file}: ${parsed.error}`);
    if (!SAMPLES.includes(parsed.body.nr)) continue;
    const lists = parsed.body.parties.filter((p) => !p.pool);
    // The lists without the pools are all the votes the feed counts (stemmer.total), blank included.
    if (lists.reduce((sum, p) => sum + (p.total ?? 0), 0) !== parsed.body.votes.total) throw new Error(`${line.file}: lists do not add up to stemmer.total`);
    last.set(parsed.body.nr, Object.fromEntries(lists.map((p) => [p.code, p.total ?? 0])));
  }
  return last;
}

const nonZero = (votes: Record<string, number>) => Object.fromEntries(Object.entries(votes).filter(([, v]) => v > 0));

describe('the st2025 package', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('pglite', { clock: 'simulated', election: ID, alsoLoad: [TEST_ELECTION_ID] });
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('is served as a storting election of 357 municipalities whose expected results are the recording\'s last snapshot', async () => {
    expect((await stack.getJson('/api/v1/election')).body).toMatchObject({ id: ID, kind: 'storting', name: 'Stortingsvalget 2025', electionDay: '2025-09-08' });
    const snapshot = (await stack.getJson('/api/v1/snapshot')).body;
    expect(snapshot.election).toMatchObject({ id: ID, kind: 'storting' });
    expect(snapshot.municipalities).toHaveLength(357);
    const expected = await loadExpectedResults(ID);
    expect(expected.size).toBe(357);
    const recorded = await lastRecorded();
    for (const number of SAMPLES) {
      const { BLANKE: blank, ...votes } = recorded.get(number)!;
      expect(expected.get(number), number).toEqual({ votes, blank });
    }
  });

  it('a clean replay of the samples ends with exactly the expected results', { timeout: 300_000 }, async () => {
    const reference = await loadReplayReference(ID);
    const plan = buildReplayPlan(reference, { name: 'clean', seed: 'st2025', municipalities: SAMPLES });
    const tokens = await createIngestCredentials(stack.database.db, ID, 'st2025-test', SAMPLES);
    const result = await runReplay({ baseUrl: stack.baseUrl, plan, tokens, speed: 'max', clockToken: CLOCK_TOKEN, concurrency: 16 });
    expect(result.unexpectedAnswers).toEqual([]);
    await stack.settle();
    const expected = await loadExpectedResults(ID);
    for (const number of SAMPLES) {
      const detail = (await stack.getJson(`/api/v1/municipalities/${number}`)).body;
      const stored = Object.fromEntries(detail.parties.filter((p: { votes: number }) => p.votes > 0).map((p: { code: string; votes: number }) => [p.code, p.votes]));
      expect(stored, number).toEqual(nonZero(expected.get(number)!.votes));
      expect(detail.municipality.status, number).toBe('complete');
    }
    expect(await stack.database.db.changeLog.count({ where: { electionId: TEST_ELECTION_ID } })).toBe(0);
  });
});
