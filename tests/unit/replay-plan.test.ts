// The replay planner against the real 2023 reference data: the plan must end in the real result, obey the
// ingest rules request by request, reproduce the known incidents of the night, and inject faults honestly.
import { beforeAll, describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { loadExpectedResults, loadPackageScenarios, loadReplayReference, loadShippedElection } from '../../data/election-package.ts';
import { parseNightTime } from '../../lib/replay/night-time.ts';
import { loadFinalResults2023 } from '../../data/reference.ts';
import { DEFAULT_ELECTION_ID } from '../../server/config.ts';
import { ZResultReport, ZStatusReport, type ResultReport } from '../../lib/contracts/ingest.ts';
import { ZScenario, type ScenarioInput } from '../../lib/contracts/scenario.ts';
import { buildReplayPlan, type PlannedRequest, type ReplayPlan } from '../../lib/replay/plan.ts';
import type { ReplayMunicipality, ReplayReference } from '../../lib/replay/reference.ts';
import { defaultScenarioName, resolveScenarioName } from '../../lib/replay/scenarios.ts';

let reference: ReplayReference;
let finals: Map<string, { votes: Record<string, number>; blank: number | null }>;
let plan2023: ReplayPlan;
let planClean: ReplayPlan;
/** The package's night "2023" and the built-in clean night, as `npm run replay` resolves them for ko2023. */
let SCENARIO_2023: ScenarioInput;
let SCENARIO_CLEAN: ScenarioInput;
let byNumber: Map<string, ReplayMunicipality>;

beforeAll(async () => {
  [reference, finals] = await Promise.all([loadReplayReference(DEFAULT_ELECTION_ID), loadExpectedResults(DEFAULT_ELECTION_ID)]);
  byNumber = new Map(reference.municipalities.map((m) => [m.number, m]));
  const scenarios = await loadPackageScenarios(DEFAULT_ELECTION_ID);
  expect(defaultScenarioName(scenarios)).toBe('2023');
  SCENARIO_2023 = resolveScenarioName('2023', scenarios)!;
  SCENARIO_CLEAN = resolveScenarioName('clean', scenarios)!;
  plan2023 = buildReplayPlan(reference, SCENARIO_2023);
  planClean = buildReplayPlan(reference, SCENARIO_CLEAN);
}, 60_000);

// ---- helpers (independent of the planner's own bookkeeping) ----

const ms = (iso: string) => Date.parse(iso);
/** Norwegian summer time on the night of 11 September 2023 → epoch ms ("before noon" = next morning). */
const NIGHT = (await loadShippedElection(DEFAULT_ELECTION_ID)).package.manifest;
/** A local time of the served package's night ("00:30" is the morning after), as epoch ms. */
const night = (hhmm: string) => parseNightTime(hhmm, NIGHT).getTime();
const results = (plan: ReplayPlan) => plan.requests.filter((r): r is Extract<PlannedRequest, { kind: 'result' }> => r.kind === 'result');
const statuses = (plan: ReplayPlan) => plan.requests.filter((r): r is Extract<PlannedRequest, { kind: 'status' }> => r.kind === 'status');
const unitKey = (r: ResultReport) => `${r.municipality}:${r.district}:${r.category}`;
const stageKey = (r: ResultReport) => `${unitKey(r)}:${r.stage}`;
const dayDistricts = (m: string) => byNumber.get(m)!.districts.filter((d) => d.kind === 'election_day').map((d) => d.number);

/** When each unit was first named counted locally (status reports), per municipality:district:category. */
function localCountTimes(plan: ReplayPlan): Map<string, number> {
  const first = new Map<string, number>();
  for (const r of statuses(plan)) {
    for (const d of r.body.districts) {
      const key = `${r.body.municipality}:${d}:${r.body.category}`;
      if (!first.has(key)) first.set(key, ms(r.body.at));
    }
  }
  return first;
}

/** When each unit's first preliminary result is sent. */
function publishTimes(plan: ReplayPlan): Map<string, number> {
  const first = new Map<string, number>();
  for (const r of results(plan)) {
    if (r.body.stage !== 'preliminary') continue;
    const key = unitKey(r.body);
    if (!first.has(key)) first.set(key, ms(r.at));
  }
  return first;
}

/** Counted locally and not yet published at `at`, over the municipalities `which` accepts. */
function transferQueue(plan: ReplayPlan, at: number, which: (m: string) => boolean): number {
  const published = publishTimes(plan);
  let depth = 0;
  for (const [key, local] of localCountTimes(plan)) {
    if (!which(key.slice(0, 4))) continue;
    if (local <= at && (published.get(key) ?? Infinity) > at) depth += 1;
  }
  return depth;
}

/** Votes summed per municipality over the best report per unit (final over preliminary, highest version). */
function foldVotes(reports: ResultReport[]): Record<string, Record<string, number>> {
  const best = new Map<string, ResultReport>();
  for (const r of reports) {
    const held = best.get(unitKey(r));
    const rank = (x: ResultReport) => (x.stage === 'final' ? 1_000_000 : 0) + x.version;
    if (!held || rank(r) > rank(held)) best.set(unitKey(r), r);
  }
  const votes: Record<string, Record<string, number>> = {};
  for (const r of best.values()) {
    const tally = (votes[r.municipality] ??= {});
    for (const [code, v] of Object.entries(r.votes)) tally[code] = (tally[code] ?? 0) + v;
  }
  return votes;
}

function realVotes(numbers: Iterable<string>): Record<string, Record<string, number>> {
  return Object.fromEntries([...numbers].map((n) => [n, finals.get(n)!.votes]));
}

/** Every way a report of the plan would be refused by the ingest rules of docs/api.md. */
function ingestViolations(plan: ReplayPlan): string[] {
  const problems: string[] = [];
  // Largest approved + rejected any version of a unit carries, per municipality and stage: an upper bound
  // of the stage's sum of current counts at any moment.
  const heaviest = new Map<string, Map<string, number>>();
  for (const r of plan.requests) {
    const where = `#${r.id} ${r.municipality}`;
    const m = byNumber.get(r.municipality);
    if (!m) { problems.push(`${where}: unknown municipality`); continue; }
    if (r.body.municipality !== r.municipality) problems.push(`${where}: body names ${r.body.municipality}`);
    const districts = new Map(m.districts.map((d) => [d.number, d.kind]));
    if (r.kind === 'result') {
      const parsed = ZResultReport.safeParse(r.body);
      if (!parsed.success) { problems.push(`${where}: shape ${parsed.error.message}`); continue; }
      const body = parsed.data;
      const kind = districts.get(body.district);
      if (!kind) problems.push(`${where}: unknown district ${body.district}`);
      else if (kind === 'advance' && body.category !== 'advance') problems.push(`${where}: 0000 with ${body.category}`);
      else if (kind === 'election_day' && body.category !== 'election_day') problems.push(`${where}: ${body.district} with ${body.category}`);
      for (const code of Object.keys(body.votes)) if (!(code in finals.get(body.municipality)!.votes)) problems.push(`${where}: unknown list ${code}`);
      const listVotes = Object.values(body.votes).reduce((a, b) => a + b, 0);
      if (listVotes + body.ballots.blank > body.ballots.counted) problems.push(`${where}: votes ${listVotes} + blank ${body.ballots.blank} > counted ${body.ballots.counted}`);
      if (ms(body.countedAt) > ms(r.at) + 2 * 60_000) problems.push(`${where}: countedAt ${body.countedAt} is more than 2 minutes after ${r.at}`);
      const stage = `${body.municipality}:${body.stage}`;
      const units = heaviest.get(stage) ?? new Map<string, number>();
      units.set(unitKey(body), Math.max(units.get(unitKey(body)) ?? 0, body.ballots.counted + body.ballots.rejected));
      heaviest.set(stage, units);
    } else {
      const parsed = ZStatusReport.safeParse(r.body);
      if (!parsed.success) { problems.push(`${where}: shape ${parsed.error.message}`); continue; }
      const body = parsed.data;
      if (new Set(body.districts).size !== body.districts.length) problems.push(`${where}: a district listed twice`);
      for (const d of body.districts) {
        const kind = districts.get(d);
        if (!kind) problems.push(`${where}: unknown district ${d}`);
        else if (kind === 'advance' && body.category !== 'advance') problems.push(`${where}: 0000 in ${body.category}`);
      }
      if (ms(body.at) > ms(r.at) + 2 * 60_000) problems.push(`${where}: at ${body.at} is more than 2 minutes after ${r.at}`);
    }
  }
  for (const [stage, units] of heaviest) {
    const total = [...units.values()].reduce((a, b) => a + b, 0);
    const electorate = byNumber.get(stage.slice(0, 4))!.electorate;
    if (total > electorate) problems.push(`${stage}: ${total} ballots > electorate ${electorate}`);
  }
  return problems;
}

// ---- tests ----

describe('the reference data the tests rely on', () => {
  it('has the 357 municipalities, 27 on the watchlist, Oslo with 101 election-day districts', () => {
    expect(reference.municipalities).toHaveLength(357);
    expect(reference.municipalities.filter((m) => m.watch)).toHaveLength(27);
    expect(dayDistricts('0301')).toHaveLength(101);
    expect(finals.size).toBe(357);
  });
});

describe('determinism', () => {
  it('gives deep-equal plans for the same scenario and seed, and leaves the scenario alone', () => {
    const before = structuredClone(SCENARIO_2023);
    const again = buildReplayPlan(reference, SCENARIO_2023);
    expect(again).toEqual(plan2023);
    expect(SCENARIO_2023).toEqual(before);
    expect(buildReplayPlan(reference, SCENARIO_CLEAN)).toEqual(planClean);
  });

  it('gives a different order and timing for a different seed, with the same final state', () => {
    const other = buildReplayPlan(reference, { ...SCENARIO_CLEAN, seed: 'another night' });
    expect(other.seed).toBe('another night');
    const shape = (plan: ReplayPlan) => plan.requests.map((r) => `${r.at} ${r.municipality} ${r.kind} ${'district' in r.body ? r.body.district : r.body.districts.join(',')}`);
    expect(shape(other)).not.toEqual(shape(planClean));
    const order = (plan: ReplayPlan, m: string) => results(plan).filter((r) => r.municipality === m && r.body.stage === 'preliminary').map((r) => r.body.district);
    expect(order(other, '0301')).not.toEqual(order(planClean, '0301'));
    expect(order(other, '4601')).not.toEqual(order(planClean, '4601'));
    expect(other.expectedVotes).toEqual(realVotes(finals.keys()));
  });

  it('sorts requests by time, with ids in order', () => {
    for (const plan of [plan2023, planClean]) {
      plan.requests.forEach((r, i) => {
        expect(r.id).toBe(i);
        if (i > 0) expect(ms(r.at)).toBeGreaterThanOrEqual(ms(plan.requests[i - 1]!.at));
      });
      expect(plan.end).toBe(plan.requests.at(-1)!.at);
      expect(plan.start).toBe(new Date(night('20:55')).toISOString());
    }
  });
});

describe('the final state is the real 2023 result', () => {
  it.each(['2023', 'clean'])('scenario %s: expected votes per municipality and list', (name) => {
    const plan = name === '2023' ? plan2023 : planClean;
    expect(Object.keys(plan.expectedVotes).sort()).toEqual([...finals.keys()].sort());
    for (const [number, real] of finals) expect(plan.expectedVotes[number], number).toEqual(real.votes);
  });

  it.each(['2023', 'clean'])('scenario %s: national totals per list, and each municipality\'s list votes', async (name) => {
    const plan = name === '2023' ? plan2023 : planClean;
    const national = (rows: Iterable<Record<string, number>>) => {
      const sum: Record<string, number> = {};
      for (const votes of rows) for (const [code, v] of Object.entries(votes)) sum[code] = (sum[code] ?? 0) + v;
      return sum;
    };
    const real = national([...finals.values()].map((f) => f.votes));
    expect(national(Object.values(plan.expectedVotes))).toEqual(real);
    // sanity: the package's totals are what the research source says, not something derived from the plan
    expect(Object.values(real).reduce((a, b) => a + b, 0)).toBe([...(await loadFinalResults2023()).values()].reduce((a, f) => a + f.listVotes, 0));
    expect(real.H).toBeGreaterThan(real.A!);
  });

  it.each(['2023', 'clean'])('scenario %s: the final reports themselves add up to the real result, one per unit', (name) => {
    const plan = name === '2023' ? plan2023 : planClean;
    const finalReports = results(plan).filter((r) => r.body.stage === 'final').map((r) => r.body);
    const perUnit = new Map<string, number>();
    for (const r of finalReports) perUnit.set(unitKey(r), (perUnit.get(unitKey(r)) ?? 0) + 1);
    const allUnits = reference.municipalities.flatMap((m) => m.districts.map((d) => `${m.number}:${d.number}:${d.kind}`));
    expect([...perUnit.keys()].sort()).toEqual(allUnits.sort());
    expect([...perUnit.values()].every((n) => n === 1)).toBe(true);
    expect(foldVotes(finalReports)).toEqual(realVotes(finals.keys()));
  });

  it('the preliminary counts differ a little from the final ones, as real recounts do', () => {
    const prelim = results(planClean).filter((r) => r.body.stage === 'preliminary').map((r) => r.body);
    const folded = foldVotes(prelim);
    let differing = 0;
    for (const [number, real] of finals) {
      const listVotes = Object.values(real.votes).reduce((a, b) => a + b, 0);
      const total = Object.values(folded[number] ?? {}).reduce((a, b) => a + b, 0);
      if (total !== listVotes) differing += 1;
      expect(Math.abs(total - listVotes), number).toBeLessThanOrEqual(Math.max(5, listVotes * 0.004));
    }
    expect(differing).toBeGreaterThan(100);
  });

  it.each(['2023', 'clean'])('scenario %s: every request expects 201 (no faults)', (name) => {
    const plan = name === '2023' ? plan2023 : planClean;
    expect(plan.dropped).toBe(0);
    expect(plan.requests.filter((r) => r.expect !== 201)).toEqual([]);
  });
});

describe('every report obeys the ingest rules', () => {
  it.each(['2023', 'clean'])('scenario %s', (name) => {
    const plan = name === '2023' ? plan2023 : planClean;
    expect(ingestViolations(plan)).toEqual([]);
  });

  it('status reports are cumulative: each election-day report names every district of the one before', () => {
    for (const plan of [plan2023, planClean]) {
      const last = new Map<string, string[]>();
      for (const r of statuses(plan)) {
        // A recount announcement (Voss) names no districts: it says the count starts over, not how far it got.
        if (r.body.recount) continue;
        if (r.body.category !== 'election_day') {
          expect(r.body.districts).toEqual(['0000']);
          continue;
        }
        const before = last.get(r.municipality) ?? [];
        expect(r.body.districts.slice(0, before.length)).toEqual(before);
        expect(r.body.districts.length).toBe(before.length + 1);
        last.set(r.municipality, r.body.districts);
      }
    }
  });

  it('results are never sent before their count time, and status reports go out when the count is done', () => {
    for (const plan of [plan2023, planClean]) {
      for (const r of results(plan)) expect(ms(r.body.countedAt)).toBeLessThanOrEqual(ms(r.at));
      for (const r of statuses(plan)) expect(r.body.at).toBe(r.at);
    }
  });
});

describe('advance votes first (clean night)', () => {
  it('the advance result goes out before the first election-day result in nearly every municipality, and always when p0 > advance time', () => {
    const prelim = results(planClean).filter((r) => r.body.stage === 'preliminary');
    const firstLate: string[] = [];
    let municipalities = 0;
    for (const m of reference.municipalities) {
      const mine = prelim.filter((r) => r.municipality === m.number);
      const advance = mine.findIndex((r) => r.body.district === '0000');
      const day = mine.findIndex((r) => r.body.category === 'election_day');
      expect(advance, m.number).toBeGreaterThanOrEqual(0);
      if (day < 0) continue;
      municipalities += 1;
      if (advance > day) {
        firstLate.push(m.number);
        // Only where the curve's first district comes no later than the advance votes (p0 = 1 minute).
        expect(m.arrival.quantiles[0], m.number).toBeLessThanOrEqual(m.arrival.advanceMinutes);
      }
    }
    expect(municipalities).toBe(357);
    expect(firstLate.length / municipalities).toBeLessThanOrEqual(0.05);
    const early = reference.municipalities.filter((m) => m.arrival.quantiles[0] <= m.arrival.advanceMinutes);
    expect(early.length).toBeLessThan(20);
  });
});

describe('the 2023 incidents', () => {
  it('Oslo at 00:30: 91 of 101 districts counted locally, about 35,000 ballots published', () => {
    const at = night('00:30');
    expect(at).toBe(night('00:30'));
    const reports = statuses(plan2023).filter((r) => r.municipality === '0301' && r.body.category === 'election_day' && ms(r.at) <= at);
    const lastStatus = reports.at(-1)!;
    expect(lastStatus.body.districts).toHaveLength(91);
    expect(new Set(lastStatus.body.districts).size).toBe(91);
    for (const d of lastStatus.body.districts) expect(dayDistricts('0301')).toContain(d);
    const published = results(plan2023).filter((r) => r.municipality === '0301' && r.body.stage === 'preliminary' && ms(r.at) <= at);
    const ballots = published.reduce((a, r) => a + r.body.ballots.counted, 0);
    expect(ballots).toBeGreaterThanOrEqual(30_000);
    expect(ballots).toBeLessThanOrEqual(36_000);
    // and the advance votes are held in the queue
    expect(published.some((r) => r.body.category === 'advance')).toBe(false);
    // a clean night has all of Oslo published by then
    expect(results(planClean).filter((r) => r.municipality === '0301' && r.body.stage === 'preliminary' && ms(r.at) <= at).length).toBe(102);
  });

  it('Oslo: the stretched count is still complete later in the night, and everything is published by 03:00', () => {
    const all = statuses(plan2023).filter((r) => r.municipality === '0301' && r.body.category === 'election_day').at(-1)!;
    expect(all.body.districts).toHaveLength(101);
    const published = publishTimes(plan2023);
    for (const d of ['0000', ...dayDistricts('0301')]) expect(published.get(`0301:${d}:${d === '0000' ? 'advance' : 'election_day'}`)).toBeLessThan(night('03:00'));
  });

  it('Bergen at 23:20: exactly 10 districts counted locally but not yet published', () => {
    const at = night('23:20');
    expect(transferQueue(plan2023, at, (m) => m === '4601')).toBe(10);
    // and some districts were published before the stall
    expect(results(plan2023).filter((r) => r.municipality === '4601' && r.body.stage === 'preliminary' && ms(r.at) <= at).length).toBeGreaterThan(0);
    expect(transferQueue(planClean, at, (m) => m === '4601')).toBeLessThanOrEqual(2);
  });

  it('Voss sends no preliminary result at all, but its final count arrives', () => {
    const voss = results(plan2023).filter((r) => r.municipality === '4621');
    expect(voss.filter((r) => r.body.stage === 'preliminary')).toEqual([]);
    const units = byNumber.get('4621')!.districts.map((d) => d.number).sort();
    expect(voss.filter((r) => r.body.stage === 'final').map((r) => r.body.district).sort()).toEqual(units);
    expect(voss.every((r) => r.expect === 201)).toBe(true);
    expect(plan2023.expectedVotes['4621']).toEqual(finals.get('4621')!.votes);
    // the clean night has Voss's preliminary results
    expect(results(planClean).filter((r) => r.municipality === '4621' && r.body.stage === 'preliminary')).toHaveLength(units.length);
  });

  it('the watchlist\'s national transfer queue grows from 22:00 to 00:00 and is empty by 03:00', () => {
    const watch = new Set(reference.municipalities.filter((m) => m.watch).map((m) => m.number));
    const queue = (t: string, plan = plan2023) => transferQueue(plan, night(t), (m) => watch.has(m));
    expect(queue('22:00')).toBeLessThan(queue('23:00'));
    expect(queue('23:00')).toBeLessThan(queue('00:00'));
    expect(queue('00:00')).toBeGreaterThanOrEqual(50);
    expect(queue('03:00')).toBe(0);
    // on a clean night there is no such queue
    expect(queue('23:00', planClean)).toBeLessThanOrEqual(3);
    expect(queue('00:00', planClean)).toBeLessThanOrEqual(3);
  });

  it('municipalities off the watchlist never wait more than 5 minutes between local count and publication', () => {
    const local = localCountTimes(plan2023);
    const published = publishTimes(plan2023);
    let checked = 0;
    for (const [key, sent] of published) {
      if (byNumber.get(key.slice(0, 4))!.watch) continue;
      const counted = local.get(key);
      expect(counted, key).toBeDefined();
      expect(sent - counted!, key).toBeLessThanOrEqual(5 * 60_000);
      expect(sent - counted!, key).toBeGreaterThanOrEqual(0);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('tags results that waited more than 5 minutes as backlog', () => {
    const local = localCountTimes(plan2023);
    for (const r of results(plan2023).filter((x) => x.body.stage === 'preliminary')) {
      const waited = ms(r.at) - local.get(unitKey(r.body))!;
      expect(r.tags.includes('backlog'), `${unitKey(r.body)} waited ${waited / 60_000} min`).toBe(waited > 5 * 60_000);
    }
  });

  it('notes the facts it reproduces', () => {
    expect(plan2023.notes).toContain('0301 at 00:30: 91 of 101 districts counted locally');
    expect(plan2023.notes).toContain('4601 at 23:20: 10 districts counted locally but not published');
    expect(plan2023.notes.some((n) => n.startsWith('4621: preliminary results held from 21:00 (none on the night)'))).toBe(true);
  });
});

describe('faults', () => {
  const SUBSET = ['0301', '4601', '1101', '5501'];
  const scenario = (faults: NonNullable<ScenarioInput['faults']>, extra: Partial<ScenarioInput> = {}): ScenarioInput =>
    ({ name: 'faults', seed: 'faults', municipalities: SUBSET, faults, ...extra });
  let baseline: ReplayPlan;
  beforeAll(() => {
    baseline = buildReplayPlan(reference, scenario({}));
  });
  const real = () => realVotes(SUBSET);
  const bodyKey = (r: PlannedRequest) => JSON.stringify(r.body);

  it('baseline: the subset alone ends in the real result with every request accepted', () => {
    expect(Object.keys(baseline.expectedVotes).sort()).toEqual([...SUBSET].sort());
    expect(baseline.expectedVotes).toEqual(real());
    expect(baseline.requests.every((r) => r.expect === 201)).toBe(true);
    expect(new Set(baseline.requests.map(bodyKey)).size).toBe(baseline.requests.length);
    expect(ingestViolations(baseline)).toEqual([]);
  });

  it('duplicate: resends are tagged, expect 200, follow their original, and change nothing', () => {
    const plan = buildReplayPlan(reference, scenario({ duplicate: 0.2 }));
    const dups = plan.requests.filter((r) => r.tags.includes('duplicate'));
    expect(dups.length).toBeGreaterThan(0.1 * baseline.requests.length);
    expect(dups.length).toBeLessThan(0.3 * baseline.requests.length);
    expect(plan.requests.length).toBe(baseline.requests.length + dups.length);
    for (const dup of dups) {
      expect(dup.expect).toBe(200);
      const original = plan.requests.find((r) => r.id < dup.id && !r.tags.includes('duplicate') && bodyKey(r) === bodyKey(dup));
      expect(original, `original of #${dup.id}`).toBeDefined();
      expect(original!.expect).toBe(201);
    }
    expect(plan.requests.filter((r) => !r.tags.includes('duplicate')).every((r) => r.expect === 201)).toBe(true);
    expect(plan.expectedVotes).toEqual(real());
    expect(ingestViolations(plan)).toEqual([]);
  });

  it('correction: a wrong version 1 and the right version 2 a few minutes later, both accepted', () => {
    const plan = buildReplayPlan(reference, scenario({ correction: 0.2 }));
    const rightOf = new Map(results(baseline).map((r) => [stageKey(r.body), r]));
    const wrong = results(plan).filter((r) => r.tags.includes('corrected-later'));
    const fixes = results(plan).filter((r) => r.tags.includes('correction'));
    const resultCount = results(baseline).length;
    expect(wrong.length).toBeGreaterThan(0.1 * resultCount);
    expect(wrong.length).toBeLessThan(0.3 * resultCount);
    expect(fixes).toHaveLength(wrong.length);
    for (const v1 of wrong) {
      const key = stageKey(v1.body);
      const v2 = fixes.find((r) => stageKey(r.body) === key)!;
      expect(v2, key).toBeDefined();
      const right = rightOf.get(key)!;
      expect(v1.body.version).toBe(1);
      expect(v2.body.version).toBe(2);
      expect(v1.expect).toBe(201);
      expect(v2.expect).toBe(201);
      // version 2 is the count the clean plan sends; version 1 differs from it in its votes only
      expect(v2.body).toEqual({ ...right.body, version: 2 });
      expect(v1.body.votes).not.toEqual(right.body.votes);
      expect(v1.body.ballots).toEqual(right.body.ballots);
      const total = (v: Record<string, number>) => Object.values(v).reduce((a, b) => a + b, 0);
      expect(total(v1.body.votes)).toBe(total(right.body.votes));
      expect(Object.values(v1.body.votes).every((v) => v >= 0)).toBe(true);
      expect(v1.at).toBe(right.at);
      const gap = ms(v2.at) - ms(v1.at);
      expect(gap).toBeGreaterThanOrEqual(2 * 60_000);
      expect(gap).toBeLessThanOrEqual(15 * 60_000);
    }
    expect(plan.requests.every((r) => r.expect === 201)).toBe(true);
    expect(plan.expectedVotes).toEqual(real());
    expect(ingestViolations(plan)).toEqual([]);
  });

  it('reorder with correction: a version 1 arriving after its version 2 is refused (409) and the result stays right', () => {
    const plan = buildReplayPlan(reference, scenario({ reorder: 0.3, correction: 0.3 }));
    expect(plan.requests.some((r) => r.tags.includes('reordered'))).toBe(true);
    const byStage = new Map<string, PlannedRequest[]>();
    for (const r of results(plan)) byStage.set(stageKey(r.body), [...(byStage.get(stageKey(r.body)) ?? []), r]);
    let late = 0;
    let inOrder = 0;
    for (const [key, list] of byStage) {
      const v1 = list.find((r) => (r.body as ResultReport).version === 1)!;
      const v2 = list.find((r) => (r.body as ResultReport).version === 2);
      expect(v1, key).toBeDefined();
      if (!v2) {
        expect(v1.expect, key).toBe(201);
        continue;
      }
      if (v1.id > v2.id) {
        late += 1;
        expect(v1.expect, key).toBe(409);
        expect(v2.expect, key).toBe(201);
      } else {
        inOrder += 1;
        expect([v1.expect, v2.expect], key).toEqual([201, 201]);
      }
    }
    expect(late).toBeGreaterThan(0);
    expect(inOrder).toBeGreaterThan(late);
    // the only refusals are the late version 1s
    expect(plan.requests.filter((r) => r.expect === 409)).toHaveLength(late);
    expect(plan.expectedVotes).toEqual(real());
    expect(ingestViolations(plan)).toEqual([]);
  });

  it('reorder never sends anything earlier than planned', () => {
    const plan = buildReplayPlan(reference, scenario({ reorder: 0.3 }));
    const planned = new Map(baseline.requests.map((r) => [bodyKey(r), ms(r.at)]));
    expect(plan.requests).toHaveLength(baseline.requests.length);
    let moved = 0;
    for (const r of plan.requests) {
      const was = planned.get(bodyKey(r))!;
      expect(ms(r.at)).toBeGreaterThanOrEqual(was);
      if (r.tags.includes('reordered')) {
        moved += 1;
        expect(ms(r.at)).toBeGreaterThan(was);
      } else expect(ms(r.at)).toBe(was);
    }
    expect(moved).toBeGreaterThan(0);
    expect(plan.expectedVotes).toEqual(real());
  });

  it('drop: some requests are never sent, and the expected state follows what was sent', () => {
    const plan = buildReplayPlan(reference, scenario({ drop: 0.2 }));
    expect(plan.dropped).toBeGreaterThan(0.1 * baseline.requests.length);
    expect(plan.dropped).toBeLessThan(0.3 * baseline.requests.length);
    expect(plan.requests.length).toBe(baseline.requests.length - plan.dropped);
    const sent = new Set(baseline.requests.map(bodyKey));
    for (const r of plan.requests) expect(sent.has(bodyKey(r))).toBe(true);
    expect(plan.expectedVotes).not.toEqual(real());
    const differing = SUBSET.filter((m) => JSON.stringify(plan.expectedVotes[m]) !== JSON.stringify(real()[m]));
    expect(differing.length).toBeGreaterThan(0);
    // what should be held is exactly what the sent reports add up to
    const folded = foldVotes(results(plan).map((r) => r.body));
    for (const m of SUBSET) expect(plan.expectedVotes[m], m).toEqual(folded[m] ?? {});
    expect(plan.requests.every((r) => r.expect === 201)).toBe(true);
  });

  it('delay: delayed requests go out later than planned (by at most maxMinutes), the rest on time', () => {
    const plan = buildReplayPlan(reference, scenario({ delay: { share: 0.3, maxMinutes: 10 } }));
    const planned = new Map(baseline.requests.map((r) => [bodyKey(r), ms(r.at)]));
    expect(plan.requests).toHaveLength(baseline.requests.length);
    const delayed = plan.requests.filter((r) => r.tags.includes('delayed'));
    expect(delayed.length).toBeGreaterThan(0.15 * plan.requests.length);
    expect(delayed.length).toBeLessThan(0.45 * plan.requests.length);
    let total = 0;
    for (const r of plan.requests) {
      const was = planned.get(bodyKey(r));
      expect(was, `#${r.id}`).toBeDefined();
      const late = ms(r.at) - was!;
      if (r.tags.includes('delayed')) {
        expect(late).toBeGreaterThanOrEqual(0);
        expect(late).toBeLessThanOrEqual(10 * 60_000);
        total += late;
      } else expect(late).toBe(0);
    }
    // on average about half of maxMinutes
    expect(total / delayed.length).toBeGreaterThan(3 * 60_000);
    expect(total / delayed.length).toBeLessThan(7 * 60_000);
    expect(plan.expectedVotes).toEqual(real());
    expect(ingestViolations(plan)).toEqual([]);
  });

  it('silent stop: Bergen sends nothing at or after 23:00, the others are unaffected', () => {
    const stop = night('23:00');
    const plan = buildReplayPlan(reference, scenario({}, { silentStop: [{ municipality: '4601', from: '23:00' }] }));
    const bergen = plan.requests.filter((r) => r.municipality === '4601');
    expect(bergen.length).toBeGreaterThan(0);
    expect(bergen.filter((r) => ms(r.at) >= stop)).toEqual([]);
    expect(baseline.requests.filter((r) => r.municipality === '4601' && ms(r.at) >= stop).length).toBeGreaterThan(0);
    const others = (p: ReplayPlan) => p.requests.filter((r) => r.municipality !== '4601').map((r) => [r.at, bodyKey(r)]);
    expect(others(plan)).toEqual(others(baseline));
    expect(plan.expectedVotes['4601']).not.toEqual(finals.get('4601')!.votes);
    expect(plan.expectedVotes['0301']).toEqual(finals.get('0301')!.votes);
  });

  it('hold with an end: held results go out from `until`, half a minute apart; final beats preliminary whatever the order', () => {
    const plan = buildReplayPlan(reference, scenario({}, {
      hold: [
        { municipality: '1101', from: '21:30', until: '00:00' },
        // released only after the final counts: the final result must still be what is held
        { municipality: '5501', from: '21:00', until: new Date(night('23:00') + 17 * 3_600_000).toISOString() },
      ],
    }));
    const prelim = (m: string) => results(plan).filter((r) => r.municipality === m && r.body.stage === 'preliminary');
    const held = prelim('1101').filter((r) => r.tags.includes('held'));
    expect(held.length).toBeGreaterThan(0);
    held.forEach((r, i) => {
      expect(ms(r.at)).toBe(night('00:00') + i * 30_000);
      expect(ms(r.body.countedAt)).toBeGreaterThanOrEqual(night('21:30'));
    });
    for (const r of prelim('1101').filter((x) => !x.tags.includes('held'))) expect(ms(r.body.countedAt)).toBeLessThan(night('21:30'));
    const late = prelim('5501');
    expect(late).toHaveLength(byNumber.get('5501')!.districts.length);
    const lastFinal = Math.max(...results(plan).filter((r) => r.municipality === '5501' && r.body.stage === 'final').map((r) => ms(r.at)));
    for (const r of late) {
      expect(r.tags).toContain('held');
      expect(ms(r.at)).toBeGreaterThan(lastFinal);
    }
    expect(plan.requests.every((r) => r.expect === 201)).toBe(true);
    expect(plan.expectedVotes).toEqual(real());
    expect(ingestViolations(plan)).toEqual([]);
  });

  it('Voss announces its re-check in a status report when the hold begins (2023), and only a hold that says so does', () => {
    const announcements = statuses(plan2023).filter((r) => r.body.recount);
    expect(announcements.map((r) => [r.municipality, ms(r.at), r.body.districts, r.body.recountReason, r.expect])).toEqual([
      ['4621', night('21:00'), [], 'alle stemmesedler til kommunestyrevalget telles på nytt', 201],
    ]);
    expect(ZStatusReport.safeParse(announcements[0]!.body).success).toBe(true);
    const quiet = buildReplayPlan(reference, scenario({}, { hold: [{ municipality: '1101', from: '21:30' }] }));
    expect(statuses(quiet).some((r) => r.body.recount)).toBe(false);
  });

  it('silent stop holds with faults too: nothing is sent at or after it', () => {
    const stop = night('23:00');
    const plan = buildReplayPlan(reference, scenario(
      { delay: { share: 0.5, maxMinutes: 30 }, correction: 0.5, reorder: 0.3, duplicate: 0.3 },
      { silentStop: [{ municipality: '4601', from: '23:00' }] },
    ));
    expect(plan.requests.filter((r) => r.municipality === '4601' && ms(r.at) >= stop).map((r) => `${r.at} ${r.tags.join(',')}`)).toEqual([]);
  });
});

describe('scenario validation', () => {
  it('accepts the built-in scenarios and fills in defaults', () => {
    const parsed = ZScenario.parse(SCENARIO_CLEAN);
    expect(parsed).toMatchObject({ name: 'clean', seed: '2023', start: '20:55', municipalities: 'all', stages: ['preliminary', 'final'], statusReports: true });
    expect(parsed.faults).toEqual({ drop: 0, duplicate: 0, reorder: 0, delay: { share: 0, maxMinutes: 10 }, correction: 0 });
    expect(ZScenario.safeParse(SCENARIO_2023).success).toBe(true);
  });

  it.each([
    ['an unknown key', { name: 'x', speed: 60 }],
    ['an unknown fault', { name: 'x', faults: { explode: 0.1 } }],
    ['an unknown backlog key', { name: 'x', transferBacklog: [{ municipalities: 'all', from: '23:00', drainFrom: '01:00', rate: 2 }] }],
    ['no name', { seed: 'x' }],
    ['an empty name', { name: '' }],
    ['a time without a colon', { name: 'x', start: '2055' }],
    ['a time with one hour digit', { name: 'x', silentStop: [{ municipality: '0301', from: '9:00' }] }],
    ['a time as words', { name: 'x', hold: [{ municipality: '0301', from: 'midnight' }] }],
    ['a date without a time', { name: 'x', finalsFrom: NIGHT.electionDay }],
    ['a drop share above 1', { name: 'x', faults: { drop: 1.5 } }],
    ['a negative duplicate share', { name: 'x', faults: { duplicate: -0.1 } }],
    ['a delay share above 1', { name: 'x', faults: { delay: { share: 2, maxMinutes: 5 } } }],
    ['a delay of 0 minutes', { name: 'x', faults: { delay: { share: 0.1, maxMinutes: 0 } } }],
    ['a bad municipality number', { name: 'x', municipalities: ['301'] }],
    ['an unknown municipality keyword', { name: 'x', municipalities: 'some' }],
    ['no stages', { name: 'x', stages: [] }],
    ['an unknown stage', { name: 'x', stages: ['recount'] }],
    ['a fractional district count', { name: 'x', countedLocally: [{ municipality: '0301', at: '00:30', districts: 90.5 }] }],
    ['a zero drain rate', { name: 'x', transferBacklog: [{ municipalities: 'all', from: '23:00', drainFrom: '01:00', drainPerMinute: 0 }] }],
  ])('rejects %s', (_what, input) => {
    expect(ZScenario.safeParse(input).success).toBe(false);
  });

  it('the planner refuses an invalid scenario and unknown municipalities', () => {
    expect(() => buildReplayPlan(reference, { name: 'x', faults: { drop: 2 } })).toThrow();
    expect(() => buildReplayPlan(reference, { name: 'x', municipalities: ['0301', '9999'] })).toThrow(/9999/);
  });
});

describe('the ko2023 plans are pinned', () => {
  // The demo, the e2e tests and the tests above depend on the timing of these two nights. Moving the 2023
  // scenario into the package and deriving clean's seed from it must not change a single request: these
  // digests are of the plans built from the built-in scenarios the code had before (SCENARIO_2023 and
  // { name: 'clean', seed: '2023' }). A deliberate change to the planner changes them; update them then.
  const digest = (plan: ReplayPlan) => createHash('sha256').update(JSON.stringify(plan)).digest('hex');

  it('2023 (the package\'s default scenario) plans exactly as before', () => {
    expect(plan2023.requests).toHaveLength(5642);
    expect(digest(plan2023)).toBe('7981805a3e65593a78bcabaaffa27f1aa4ed74ecf8480c86fb1c2b47bb2366e0');
  });

  it('clean plans exactly as before: its seed, from the package\'s default scenario, is still "2023"', () => {
    expect(SCENARIO_CLEAN).toEqual({ name: 'clean', seed: '2023' });
    expect(planClean.requests).toHaveLength(5661);
    expect(digest(planClean)).toBe('e903b8d4844f6eb6f109362198d5be8f3c54f3163ae0162e152cfb6340fa2812');
  });
});
