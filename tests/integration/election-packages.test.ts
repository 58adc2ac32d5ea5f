// Election packages end to end: `npm run election` refuses a broken package of every file kind with the
// precise problem and writes nothing, loads idempotently and lists; two elections in one database never
// mix; the rehearsal package's replay ends with exactly its expected results.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultScenario, loadExpectedResults, loadReplayReference, loadShippedElection, shippedPackageDir } from '../../data/election-package.ts';
import { createIngestCredentials } from '../../db/credentials.ts';
import { openDatabase, type Database } from '../../db/database.ts';
import { buildReplayPlan } from '../../lib/replay/plan.ts';
import { runReplay } from '../../replay/runner.ts';
import { seedReferenceData } from '../../db/reference-data.ts';
import { CLOCK_TOKEN, createServerDatabase, makeResultReport, referenceData, startTestStack, TEST_ELECTION_ID, type TestStack } from './harness.ts';

const REHEARSAL = 'ko2027-proeve';
/** Each package's own description: what the sidecar and the CLI must report for it. */
const served = (await loadShippedElection(TEST_ELECTION_ID)).package;
const rehearsal = (await loadShippedElection(REHEARSAL)).package;
const run = promisify(execFile);

async function election(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(path.resolve('node_modules/.bin/tsx'), ['scripts/election.ts', ...args], { env: { ...process.env, ...env, LOG_LEVEL: 'silent' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function counts(database: Database) {
  const db = database.db;
  return {
    elections: await db.election.count(), municipalities: await db.municipality.count(), districts: await db.district.count(),
    lists: await db.partyList.count(), references: await db.referenceResult.count(), watched: await db.municipality.count({ where: { watch: true } }),
  };
}

describe('npm run election', () => {
  let server: { url: string; drop: () => Promise<void> };
  let database: Database;
  let work: string;
  beforeAll(async () => {
    server = await createServerDatabase();
    database = await openDatabase({ databaseUrl: server.url });
    work = await mkdtemp(path.join(tmpdir(), 'valgvakt-packages-'));
  });
  afterAll(async () => {
    await database?.close();
    await server?.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('imports a package, a second time changes nothing, and lists what is loaded', { timeout: 120_000 }, async () => {
    const first = await election(['import', shippedPackageDir(TEST_ELECTION_ID)], { DATABASE_URL: server.url });
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/loaded 357 municipalities, 1887 counting units/);
    const loaded = await counts(database);
    expect(loaded).toMatchObject({ elections: 1, municipalities: 357, districts: 1887, watched: 27 });
    const again = await election(['import', shippedPackageDir(TEST_ELECTION_ID)], { DATABASE_URL: server.url });
    expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining('already loaded from this package; nothing changed') });
    expect(await counts(database)).toEqual(loaded);

    const second = await election(['import', shippedPackageDir(REHEARSAL)], { DATABASE_URL: server.url });
    expect(second.code).toBe(0);
    const list = await election(['list'], { DATABASE_URL: server.url, ELECTION_ID: REHEARSAL });
    const rows = list.stdout.trim().split('\n').map((line) => line.split('\t'));
    expect(rows.slice(1).map((r) => [r[0], r[1], r[2], r[4], r[5], r[7]])).toEqual([
      [TEST_ELECTION_ID, 'municipal', served.manifest.electionDay, '357', '27', ''],
      [REHEARSAL, 'municipal', rehearsal.manifest.electionDay, '357', '15', 'yes'],
    ]);
  });

  // One broken file of each kind: the precise problem, exit 1, and nothing written.
  const BROKEN: Array<[string, string, (text: string) => string, string]> = [
    ['manifest', 'manifest.json', (t) => t.replace('"pollsClose": "21:00"', '"pollsClose": "21.00"'), 'manifest.json:7: pollsClose: must be a local time HH:MM'],
    ['municipalities', 'municipalities.csv', (t) => t.replace('0301;Oslo;03;Oslo;570413', '0301;Oslo;03;Oslo;570 413'), 'municipalities.csv:2: Antall stemmeberettigede: "570 413" must be a whole number ≥ 0'],
    ['counting units', 'counting-units.csv', (t) => t.replace('0301;0101;Vahl skole;valgting', '0301;0101;Vahl skole;valgdag'), 'counting-units.csv:3: Stemmekretstype: "valgdag" must be "forhånd" or "valgting"'],
    ['lists', 'lists.csv', (t) => t.replace('0301;A;Arbeiderpartiet', '0310;A;Arbeiderpartiet'), 'lists.csv:2: Kommunenummer: unknown municipality 0310 (not in municipalities.csv)'],
    ['council sizes', 'council-sizes.csv', (t) => t.replace('0301;59\n', '0301;59\n0301;61\n'), 'council-sizes.csv:3: Kommunenummer: duplicate of line 2'],
    ['comparison results', 'comparison-results.csv', (t) => t.replace('Kommunenummer;Partikode;Partinavn;Antall stemmer totalt', 'Kommunenummer;Partikode;Partinavn;Stemmer'), 'comparison-results.csv:1: Antall stemmer totalt: missing column'],
    ['arrival schedule', 'arrival-schedule.csv', (t) => t.replace(/^(0301;[^;]*;[^;]*;)[^;]*;/m, '$1-1;'), 'arrival-schedule.csv:2: Valgting 10 %: "-1" must be a number from 0 to 1440'],
    ['watchlist', 'watchlist.csv', (t) => `${t}0301;Igjen\n`, 'watchlist.csv:17: Kommunenummer: duplicate of line 2'],
    ['expected results', 'expected-results.csv', (t) => t.replace('0301;FRP;', '0301;FRPX;'), 'Partikode: FRPX is not a list of 0301 in lists.csv'],
    ['replay scenario (a municipality)', 'scenarios/proeve.json', (t) => t.replace('"municipality": "5001"', '"municipality": "9999"'), 'scenarios/proeve.json:18: hold.0.municipality: unknown municipality 9999 (not in municipalities.csv)'],
    ['replay scenario (a time)', 'scenarios/proeve.json', (t) => t.replace('"until": "23:45"', '"until": "kvart på tolv"'), 'scenarios/proeve.json:20: hold.0.until: a time like "23:20" or an ISO 8601 instant with offset'],
  ];
  it.each(BROKEN)('refuses a broken %s file with its file, line, column and reason, and writes nothing', { timeout: 60_000 }, async (kind, file, breakIt, message) => {
    const dir = path.join(work, kind.replace(/\W/g, '-'));
    await cp(shippedPackageDir(REHEARSAL), dir, { recursive: true });
    // A different id, so that a half-done import could not hide among rows already loaded.
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    await writeFile(path.join(dir, 'manifest.json'), `${JSON.stringify({ ...manifest, id: 'broken' }, null, 2)}\n`);
    const text = await readFile(path.join(dir, file), 'utf8');
    expect(breakIt(text)).not.toBe(text);
    await writeFile(path.join(dir, file), breakIt(text));
    const before = await counts(database);
    const outcome = await election(['import', dir], { DATABASE_URL: server.url });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(message);
    expect(outcome.stderr).toMatch(/refused, \d+ problems?; nothing was loaded/);
    expect(await counts(database)).toEqual(before);
    expect(await database.db.election.findUnique({ where: { id: 'broken' } })).toBeNull();
  });

  it('refuses another package under a loaded election\'s id', { timeout: 60_000 }, async () => {
    const dir = path.join(work, 'changed');
    await cp(shippedPackageDir(TEST_ELECTION_ID), dir, { recursive: true });
    const file = path.join(dir, 'council-sizes.csv');
    await writeFile(file, (await readFile(file, 'utf8')).replace('0301;59', '0301;61'));
    const before = await counts(database);
    const outcome = await election(['import', dir], { DATABASE_URL: server.url });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(new RegExp(`${TEST_ELECTION_ID}: refused: election ${TEST_ELECTION_ID} is already loaded from a different package`));
    expect(await counts(database)).toEqual(before);
    expect((await database.db.municipality.findFirstOrThrow({ where: { electionId: TEST_ELECTION_ID, number: '0301' } })).councilSize).toBe(59);
  });
});

describe('an election loaded before packages existed', () => {
  it('takes its description from the package, adds missing rows and leaves the operators\' watch flags alone', { timeout: 120_000 }, async () => {
    const database = await openDatabase({});
    try {
      const data = await referenceData(TEST_ELECTION_ID);
      await seedReferenceData(database.db, { ...data, election: { ...data.election, packageHash: null, comparisonYear: null }, referenceResults: [] });
      await database.db.municipality.update({ where: { electionId_number: { electionId: TEST_ELECTION_ID, number: '0301' } }, data: { watch: false } });
      const outcome = await seedReferenceData(database.db, data);
      expect(outcome).toEqual({ status: 'loaded', municipalities: 0, districts: 0, partyLists: 0, referenceResults: data.referenceResults.length });
      expect(await database.db.election.findUniqueOrThrow({ where: { id: TEST_ELECTION_ID } })).toMatchObject({ comparisonYear: served.manifest.comparisonYear, packageHash: data.election.packageHash, kind: 'municipal' });
      expect((await database.db.municipality.findFirstOrThrow({ where: { electionId: TEST_ELECTION_ID, number: '0301' } })).watch).toBe(false);
      expect((await seedReferenceData(database.db, data)).status).toBe('unchanged');
    } finally {
      await database.close();
    }
  });
});

describe('two elections in one database', () => {
  let first: TestStack;
  let second: TestStack;
  beforeAll(async () => {
    first = await startTestStack('postgres', { alsoLoad: [REHEARSAL] });
    second = await startTestStack('postgres', { databaseUrl: first.database.connectionString, election: REHEARSAL });
  }, 120_000);
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('each sidecar serves its own election: name, watchlist, polls closing', async () => {
    const [a, b] = await Promise.all([first.getJson('/api/v1/election'), second.getJson('/api/v1/election')]);
    expect(a.body).toMatchObject({ id: TEST_ELECTION_ID, comparisonYear: served.manifest.comparisonYear });
    const { name, kind, electionDay, timeZone, comparisonYear } = rehearsal.manifest;
    expect(b.body).toEqual({ id: REHEARSAL, name, kind, electionDay, pollsCloseAt: rehearsal.pollsCloseAt, timeZone, comparisonYear });
    const watched = async (stack: TestStack) => (await stack.getJson('/api/v1/snapshot')).body.municipalities.filter((m: { watch: boolean }) => m.watch).length;
    expect([await watched(first), await watched(second)]).toEqual([27, 15]);
    expect((await second.getJson('/api/v1/snapshot')).body.election.id).toBe(REHEARSAL);
  });

  it('never mix: ingest, tokens, snapshots, revision log and exports stay with their election', async () => {
    const tokenFirst = await first.token('0301');
    const tokenSecond = await second.token('0301');
    const report = makeResultReport({ municipality: '0301', district: '0101', countedAt: new Date(first.clock.now().getTime() - 60_000).toISOString(), votes: { A: 700, H: 300 }, ballots: { counted: 1000, rejected: 0, blank: 0 } });
    expect((await first.postResult(tokenFirst, report)).status).toBe(201);
    // A token is one election's: the other sidecar does not know it.
    expect((await second.postResult(tokenFirst, { ...report, countedAt: new Date(second.clock.now().getTime() - 60_000).toISOString() })).status).toBe(401);
    const secondReport = makeResultReport({ municipality: '0301', district: '0101', countedAt: new Date(second.clock.now().getTime() - 60_000).toISOString(), votes: { A: 11, H: 22 }, ballots: { counted: 33, rejected: 0, blank: 0 } });
    expect((await second.postResult(tokenSecond, secondReport)).status).toBe(201);
    await first.settle();
    await second.settle();

    const votes = async (stack: TestStack) => Object.fromEntries((await stack.getJson('/api/v1/municipalities/0301')).body.parties.filter((p: { votes: number }) => p.votes > 0).map((p: { code: string; votes: number }) => [p.code, p.votes]));
    expect(await votes(first)).toEqual({ A: 700, H: 300 });
    expect(await votes(second)).toEqual({ A: 11, H: 22 });
    const counted = async (stack: TestStack) => (await stack.getJson('/api/v1/snapshot')).body.municipalities.find((m: { number: string }) => m.number === '0301').ballotsCounted;
    expect([await counted(first), await counted(second)]).toEqual([1000, 33]);

    const log = async (stack: TestStack) => (await stack.getJson('/api/v1/changes?limit=100')).body.revisions.filter((r: { kind: string }) => r.kind.startsWith('result'));
    expect((await log(first)).map((r: { municipality: string }) => r.municipality)).toEqual(['0301']);
    expect((await log(second)).map((r: { municipality: string }) => r.municipality)).toEqual(['0301']);
    expect(JSON.stringify(await log(first))).not.toContain('"A":11');
    expect(JSON.stringify(await log(second))).not.toContain('"A":700');

    const exportedA = async (stack: TestStack) => (JSON.parse(await (await fetch(`${stack.baseUrl}/api/v1/export/municipalities.json?municipality=0301`)).text()) as { rows: Array<{ partyCode: string; votes: number }> })
      .rows.find((r) => r.partyCode === 'A')?.votes;
    expect([await exportedA(first), await exportedA(second)]).toEqual([700, 11]);
  });
});

describe('the rehearsal package replayed', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('pglite', { clock: 'simulated', election: REHEARSAL, alsoLoad: [TEST_ELECTION_ID] });
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('ends with exactly its expected results, which are not 2023\'s, through its own scenario\'s incidents', { timeout: 300_000 }, async () => {
    const reference = await loadReplayReference(REHEARSAL);
    const watchlist = (await loadShippedElection(REHEARSAL)).package.initialWatchlist.map((w) => w.municipality);
    const municipalities = [...new Set([...watchlist, '4621', '1101', '1144'])];
    // The package's default scenario (a transfer backlog and a silent stop that resumes, all on watched
    // municipalities): every incident must drain before the night ends.
    const scenario = await loadDefaultScenario(REHEARSAL);
    expect(scenario.name).toBe('proeve');
    const plan = buildReplayPlan(reference, { ...scenario, municipalities });
    expect(plan.requests.some((r) => r.tags.includes('held'))).toBe(true);
    expect(plan.requests.some((r) => r.tags.includes('backlog'))).toBe(true);
    const tokens = await createIngestCredentials(stack.database.db, REHEARSAL, 'rehearsal-test', municipalities);
    const result = await runReplay({ baseUrl: stack.baseUrl, plan, tokens, speed: 'max', clockToken: CLOCK_TOKEN, concurrency: 16 });
    expect(result.unexpectedAnswers).toEqual([]);
    await stack.settle();
    const expected = await loadExpectedResults(REHEARSAL);
    const real2023 = await loadExpectedResults(TEST_ELECTION_ID);
    const nonZero = (votes: Record<string, number>) => Object.fromEntries(Object.entries(votes).filter(([, v]) => v > 0));
    for (const number of municipalities) {
      const detail = (await stack.getJson(`/api/v1/municipalities/${number}`)).body;
      const stored = Object.fromEntries(detail.parties.filter((p: { votes: number }) => p.votes > 0).map((p: { code: string; votes: number }) => [p.code, p.votes]));
      expect(stored, number).toEqual(nonZero(expected.get(number)!.votes));
      expect(stored, number).not.toEqual(nonZero(real2023.get(number)!.votes));
      expect(detail.municipality.status, number).toBe('complete');
    }
    // The other election in the database is untouched.
    expect(await stack.database.db.changeLog.count({ where: { electionId: TEST_ELECTION_ID } })).toBe(0);
  });
});

describe('a storting election', () => {
  let stack: TestStack;
  let dir: string;
  beforeAll(async () => {
    // The rehearsal's data as an election whose seats Valgvakt does not compute.
    dir = await mkdtemp(path.join(tmpdir(), 'valgvakt-storting-'));
    await cp(shippedPackageDir(REHEARSAL), dir, { recursive: true });
    await rm(path.join(dir, 'council-sizes.csv'));
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, id: 'st-proeve', name: 'Prøvevalg – stortingsvalget', kind: 'storting' }));
    stack = await startTestStack('pglite', { packageDir: dir });
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('computes no council: results are served, seats are not', async () => {
    expect((await stack.getJson('/api/v1/election')).body).toMatchObject({ id: 'st-proeve', kind: 'storting' });
    const token = await stack.token('4601');
    const report = makeResultReport({ municipality: '4601', district: '0000', category: 'advance', countedAt: new Date(stack.clock.now().getTime() - 60_000).toISOString(), ballots: { counted: 1000, rejected: 0, blank: 0 }, votes: { A: 600, H: 400 } });
    expect((await stack.postResult(token, report)).status).toBe(201);
    await stack.settle();
    const detail = (await stack.getJson('/api/v1/municipalities/4601')).body;
    expect(detail.parties.filter((p: { votes: number }) => p.votes > 0).map((p: { code: string }) => p.code).sort()).toEqual(['A', 'H']);
    expect(detail.seats).toMatchObject({ councilSize: 0, lists: expect.any(Array) });
    expect(detail.seats.lists.every((l: { seats: number }) => l.seats === 0)).toBe(true);
    const snapshot = (await stack.getJson('/api/v1/snapshot')).body;
    expect(snapshot.election.kind).toBe('storting');
    expect(snapshot.national.councils.every((c: { seats: number }) => c.seats === 0)).toBe(true);
  });
});
