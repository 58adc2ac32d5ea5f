// The state rules over whole replayed nights, all 357 municipalities, minute by minute: the clean night
// raises nothing; the 2023 night flags the transfer backlog in the watchlist and Voss, and nothing else.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadReplayReference, loadShippedElection, loadShippedScenario } from '../../data/election-package.ts';
import { DEFAULT_ELECTION_ID } from '../../server/config.ts';
import type { ResultReport, StatusReport } from '../../lib/contracts/ingest.ts';
import { ZThresholdsFile } from '../../lib/contracts/thresholds.ts';
import { applyAcceptedResult, applyLocalCounts, createMunicipalityRecord, type MunicipalityRecord } from '../../lib/domain/municipality.ts';
import { deriveMunicipalityState, deriveStateFromFacts, findNextStateChange, summarizeMunicipality, type StateContext } from '../../lib/domain/stall-detection.ts';
import { buildReplayPlan, type ReplayPlan } from '../../lib/replay/plan.ts';
import type { ReplayReference } from '../../lib/replay/reference.ts';
import type { ScenarioInput } from '../../lib/contracts/scenario.ts';

const thresholds = ZThresholdsFile.parse(JSON.parse(readFileSync(new URL('../../config/thresholds.json', import.meta.url), 'utf8')));
const POLLS_CLOSE = new Date((await loadShippedElection(DEFAULT_ELECTION_ID)).package.pollsCloseAt);
const HOUR = 3_600_000;
const PROBLEMS = new Set(['slow', 'stalled', 'backlog', 'regressed']);
let reference: ReplayReference;
/** The 2023 night with its incidents, from the ko2023 package (its default scenario). */
let SCENARIO_2023: ScenarioInput;

beforeAll(async () => {
  reference = await loadReplayReference(DEFAULT_ELECTION_ID);
  SCENARIO_2023 = await loadShippedScenario(DEFAULT_ELECTION_ID, '2023');
});

/** A planned request applied to its record as the sidecar applies an accepted one. */
function applyPlanned(record: MunicipalityRecord, request: ReplayPlan['requests'][number]): void {
  if (request.kind === 'result') {
    const r = request.body as ResultReport;
    applyAcceptedResult(record, r.district, {
      category: r.category, stage: r.stage, version: r.version, countedAt: r.countedAt, receivedAt: request.at,
      ballotsCounted: r.ballots.counted, ballotsRejected: r.ballots.rejected, ballotsBlank: r.ballots.blank, votes: r.votes,
    });
  } else {
    const s = request.body as StatusReport;
    applyLocalCounts(record, s.districts, s.at, s.category, s.stage);
  }
}

/** First problem state per municipality, evaluating every minute from 21:00 to 04:00. */
function flagged(scenario: ScenarioInput): Map<string, { state: string; reason: string }> {
  const plan = buildReplayPlan(reference, { ...scenario, stages: ['preliminary'] });
  const records = new Map<string, MunicipalityRecord>(reference.municipalities.map((m) => [m.number, createMunicipalityRecord(
    { number: m.number, name: m.name, countyNumber: '', countyName: '', electorate: m.electorate, councilSize: 11, expectedTurnout: 65, watch: m.watch, arrival: m.arrival },
    m.districts.map((d) => ({ ...d, name: d.number })),
    Object.keys(m.final.votes).map((code) => ({ code, name: code })),
  )]));
  const first = new Map<string, { state: string; reason: string }>();
  let next = 0;
  for (let t = POLLS_CLOSE.getTime(); t <= POLLS_CLOSE.getTime() + 7 * HOUR; t += 60_000) {
    for (; next < plan.requests.length && Date.parse(plan.requests[next]!.at) <= t; next++) {
      const request = plan.requests[next]!;
      applyPlanned(records.get(request.municipality)!, request);
    }
    for (const [number, record] of records) {
      if (first.has(number)) continue;
      const derived = deriveMunicipalityState(record, { thresholds, now: new Date(t), pollsCloseAt: POLLS_CLOSE, arrival: record.ref.arrival ?? null, underReview: false, regression: null });
      if (PROBLEMS.has(derived.state)) first.set(number, { state: derived.state, reason: derived.reason });
    }
  }
  return first;
}

describe('state rules over a whole night', { timeout: 60_000 }, () => {
  it('raise no alert in any of the 357 municipalities on a clean night', () => {
    expect([...flagged({ name: 'clean', seed: '2023' })]).toEqual([]);
  });

  it('also with another seed', () => {
    expect([...flagged({ name: 'clean', seed: 'another night' })]).toEqual([]);
  });

  it('flag the 2023 transfer backlog in the watchlist and the held Voss count, and nothing else', () => {
    const result = flagged(SCENARIO_2023);
    const watch = new Set(reference.municipalities.filter((m) => m.watch).map((m) => m.number));
    expect(result.get('0301')).toMatchObject({ state: 'backlog' });
    expect(result.get('4601')).toMatchObject({ state: 'backlog', reason: expect.stringMatching(/kretser ferdig talt lokalt/) });
    expect(['slow', 'stalled']).toContain(result.get('4621')?.state);
    const others = [...result.keys()].filter((n) => !watch.has(n) && n !== '4621');
    expect(others).toEqual([]);
    expect([...result.keys()].filter((n) => watch.has(n)).length).toBeGreaterThanOrEqual(10);
  });

  it('change only at an instant findNextStateChange foretold, unless new facts arrived (the monitor sleeps until then)', () => {
    const plan = buildReplayPlan(reference, { ...SCENARIO_2023, stages: ['preliminary'] });
    const records = new Map<string, MunicipalityRecord>(reference.municipalities.map((m) => [m.number, createMunicipalityRecord(
      { number: m.number, name: m.name, countyNumber: '', countyName: '', electorate: m.electorate, councilSize: 11, expectedTurnout: 65, watch: m.watch, arrival: m.arrival },
      m.districts.map((d) => ({ ...d, name: d.number })),
      Object.keys(m.final.votes).map((code) => ({ code, name: code })),
    )]));
    const held = new Map<string, { state: string; since: string | null; next: number | null }>();
    const context = (record: MunicipalityRecord, t: number): StateContext => ({ thresholds, now: new Date(t), pollsCloseAt: POLLS_CLOSE, arrival: record.ref.arrival ?? null, underReview: false, regression: null });
    let next = 0;
    let checked = 0;
    for (let t = POLLS_CLOSE.getTime(); t <= POLLS_CLOSE.getTime() + 6 * HOUR; t += 60_000) {
      const touched = new Set<string>();
      for (; next < plan.requests.length && Date.parse(plan.requests[next]!.at) <= t; next++) {
        const request = plan.requests[next]!;
        touched.add(request.municipality);
        applyPlanned(records.get(request.municipality)!, request);
      }
      for (const [number, record] of records) {
        const facts = summarizeMunicipality(record);
        const derived = deriveStateFromFacts(facts, context(record, t));
        const before = held.get(number);
        if (before && !touched.has(number) && (before.state !== derived.state || before.since !== derived.since)) {
          checked += 1;
          expect({ number, at: new Date(t).toISOString(), foretold: before.next !== null && before.next <= t }).toEqual({ number, at: new Date(t).toISOString(), foretold: true });
        }
        held.set(number, { state: derived.state, since: derived.since, next: findNextStateChange(facts, context(record, t)) });
      }
    }
    // The night has such changes to check (14 at the time of writing): backlogs and stalls that come by the clock.
    expect(checked).toBeGreaterThanOrEqual(10);
  });
});
