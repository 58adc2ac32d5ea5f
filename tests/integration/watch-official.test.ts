// The watchdog (watchdog/runner.ts, scripts/watch-official.ts) against a real sidecar on PGlite serving st2025
// and a small HTTP server serving recorded bodies of the 2025 night (Oslo with its boroughs, Bergen, Utsira;
// the national and county bodies' links trimmed to them) with ETags. One round sends everything; reports
// dated ahead of Valgvakt's clock wait for it; a restarted watchdog adds nothing; a lowered count is accepted
// as a correction; the CLI's --once exits 0 when everything was read and accepted.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecording } from '../../data/official-recording.ts';
import { findLatestSeq } from '../../db/changes.ts';
import { createIngestCredentials } from '../../db/credentials.ts';
import { createSeatsCredential } from '../../db/seats.ts';
import { parseOfficialBody } from '../../lib/official-feed/parse.ts';
import { createWatchdog } from '../../watchdog/runner.ts';
import { CLOCK_TOKEN, startTestStack, type TestStack } from './harness.ts';

const SAMPLES = ['0301', '4601', '1151'];
const COUNTIES = ['03', '12', '11'];
/** Recorded time of the served state: 22:45 in Oslo. */
const AT = '2025-09-08T20:45:00Z';

type Raw = Record<string, any>;
/** The bodies served, by API path (without /api). */
const bodies = new Map<string, Raw>();
let stack: TestStack;
let server: Server;
let base: string;
let tokens: Record<string, string>;
let seatsToken: string;
let requests = 0;
let conditional = 0;
/** While set, the service answers every request 503 with this Retry-After (seconds). */
let outageRetryAfter: string | null = null;
let dir: string;

const etagOf = (text: string) => `"${createHash('sha256').update(text).digest('hex').slice(0, 20)}"`;

async function setClock(at: string) {
  const response = await fetch(`${stack.baseUrl}/api/v1/clock`, { method: 'PUT', headers: { authorization: `Bearer ${CLOCK_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ at }) });
  expect(response.status).toBe(200);
}

function watchdog(wallNow?: () => number) {
  return createWatchdog({
    wallNow,
    base, election: '2025/st', rootPath: '/2025/st', intervalMs: 15_000, concurrency: 4, timeoutMs: 10_000,
    valgvakt: stack.baseUrl, tokens, seatsToken, logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    sleep: async () => {}, random: () => 0.5,
  });
}

/** Valgvakt's published votes per list of a municipality (non-zero). */
async function published(number: string): Promise<Record<string, number>> {
  const detail = (await stack.getJson(`/api/v1/municipalities/${number}`)).body;
  return Object.fromEntries(detail.parties.filter((p: { votes: number }) => p.votes > 0).map((p: { code: string; votes: number }) => [p.code, p.votes]));
}
function expected(number: string): Record<string, number> {
  const body = bodies.get([...bodies.keys()].find((k) => k.endsWith(`/${number}`) && bodies.get(k)!.id.nivaa === 'kommune')!)!;
  return Object.fromEntries(body.partier.filter((p: Raw) => p.id.partikode !== 'BLANKE' && p.id.partikategori !== 0 && p.stemmer.resultat.antall.total > 0).map((p: Raw) => [p.id.partikode, p.stemmer.resultat.antall.total]));
}

beforeAll(async () => {
  // The newest recorded body of each path at AT, for the samples, their counties and the nation.
  for (const line of await readRecording()) {
    if (line.polledAt > AT) continue;
    const parsed = parseOfficialBody(line.body);
    if (!parsed.ok) throw new Error(parsed.error);
    const b = parsed.body;
    const keep = b.level === 'land' || (b.level === 'fylke' && COUNTIES.includes(b.nr)) || (b.ids.municipality !== null && SAMPLES.includes(b.ids.municipality));
    if (keep) bodies.set(b.links.self, structuredClone(line.body) as Raw);
  }
  const national = bodies.get('/2025/st')!;
  national._links.related = national._links.related.filter((l: Raw) => COUNTIES.includes(l.nr));
  for (const c of COUNTIES) {
    const county = bodies.get(`/2025/st/${c}`)!;
    county._links.related = county._links.related.filter((l: Raw) => SAMPLES.includes(l.nr));
  }
  server = createServer((req, res) => {
    requests += 1;
    if (outageRetryAfter !== null) {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': outageRetryAfter }).end('{"error":"unavailable"}');
      return;
    }
    const path = (req.url ?? '').replace(/^\/api/, '');
    const body = bodies.get(path);
    if (!body) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    const text = JSON.stringify(body);
    const etag = etagOf(text);
    if (req.headers['if-none-match'] === etag) {
      conditional += 1;
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', etag }).end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stack = await startTestStack('pglite', { clock: 'simulated', election: 'st2025' });
  tokens = await createIngestCredentials(stack.database.db, 'st2025', 'watchdog-test', SAMPLES);
  seatsToken = (await createSeatsCredential(stack.database.db, 'st2025', 'watchdog-test')).token;
  dir = await mkdtemp(join(tmpdir(), 'valgvakt-watchdog-'));
}, 120_000);

afterAll(async () => {
  await stack?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the watchdog against a sidecar serving st2025', () => {
  it('holds back reports dated ahead of Valgvakt\'s clock, then sends every municipality\'s counts, statuses and seats', { timeout: 60_000 }, async () => {
    await setClock('2025-09-08T22:00:00+02:00');
    const dog = watchdog();
    const early = await dog.round();
    expect(early.complete).toBe(false);
    expect(early.results.heldBack).toBeGreaterThan(0);
    expect(early.health.state).toBe('ok');
    expect(early.health.unreadable).toEqual([]);
    // Advance venues and the feed's advance districts are not fetched: the municipality body carries their votes.
    expect(early.bodies).toBeGreaterThan(1 + COUNTIES.length + SAMPLES.length);
    expect(early.bodies).toBeLessThan(bodies.size);

    await setClock('2025-09-08T23:00:00+02:00');
    const round = await dog.round();
    expect(round.unmapped).toEqual([]);
    expect(round.results).toMatchObject({ refused: 0, failed: 0, heldBack: 0 });
    expect(round.results.created).toBeGreaterThan(0);
    expect(round.statuses.refused + round.seats.refused).toBe(0);
    expect(round.complete).toBe(true);
    // The second round asked conditionally: only the root and the levels above units, all 304.
    expect(round.notModified).toBeGreaterThan(0);
    expect(round.bodies).toBe(0);
    await stack.settle();
    for (const number of SAMPLES) expect(await published(number), number).toEqual(expected(number));
    const seats = (await stack.getJson('/api/v1/snapshot')).body.reportedSeats.map((s: { area: string; source: string }) => `${s.area}:${s.source}`);
    expect(seats).toEqual(expect.arrayContaining(['national:valgresultat.no', '03:valgresultat.no', '12:valgresultat.no', '11:valgresultat.no']));
    // The feed status reached Valgvakt: its pages name the source and its health.
    expect(round.feedStatus).toBe('sent');
    expect((await stack.getJson('/api/v1/snapshot')).body.source).toMatchObject({ kind: 'official_feed', feed: { name: 'valgresultat.no', base, health: 'ok' } });
  });

  it('restarted, it sends nothing new: the change log gains only the round\'s feed status', { timeout: 60_000 }, async () => {
    await stack.settle();
    await setClock('2025-09-08T23:00:10+02:00');
    const before = await findLatestSeq(stack.database.db, 'st2025');
    const round = await watchdog().round();
    expect(round.results.created + round.statuses.created + round.seats.created).toBe(0);
    expect(round.results.unchanged).toBeGreaterThan(0);
    expect(round.complete).toBe(true);
    await stack.settle();
    // Only the round's feed status (feed.status) is new: no result, status report or seats.
    const since = (await stack.database.db.changeLog.findMany({ where: { electionId: 'st2025', seq: { gt: before } }, orderBy: { seq: 'asc' } })).map((c) => c.kind);
    expect(since).toEqual(['feed.status']);
    expect(round.feedStatus).toBe('sent');
  });

  it('a lowered count in a newer body is accepted as a correction', { timeout: 60_000 }, async () => {
    const bergen = bodies.get('/2025/st/12/4601')!;
    const a = bergen.partier.find((p: Raw) => p.id.partikode === 'A');
    a.stemmer.resultat.antall.total -= 40;
    bergen.stemmer.total -= 40;
    const generated = new Date(Date.parse(`${bergen.tidspunkt.rapportGenerert}Z`) + 60_000).toISOString().slice(0, 19);
    bergen.tidspunkt.rapportGenerert = generated;
    const before = (await published('4601')).A!;
    await setClock('2025-09-08T23:00:20+02:00');
    const round = await watchdog().round();
    expect(round.results.created).toBeGreaterThan(0);
    expect(round.results.refused).toBe(0);
    expect(round.complete).toBe(true);
    await stack.settle();
    expect((await published('4601')).A).toBe(before - 40);
    expect(await published('4601')).toEqual(expected('4601'));
    const changes = (await stack.getJson('/api/v1/changes?municipality=4601&limit=500')).body.revisions;
    expect(changes.some((c: { kind: string; description: string }) => c.kind === 'result.accepted' && /korrigert/.test(c.description))).toBe(true);
  });

  it('an outage: 503 with a long Retry-After makes the round down, the next rounds ask nothing until it has passed', { timeout: 60_000 }, async () => {
    let wall = 1_000_000;
    const dog = watchdog(() => wall);
    await setClock('2025-09-08T23:00:22+02:00');
    expect((await dog.round()).complete).toBe(true);
    outageRetryAfter = '60';
    await setClock('2025-09-08T23:00:24+02:00');
    const before = requests;
    const down = await dog.round();
    // One request, refused with a wait longer than the interval: honoured across rounds, not slept through.
    expect(requests - before).toBe(1);
    expect(down.health).toMatchObject({ state: 'down', consecutiveFailures: 1, outageSince: new Date('2025-09-08T21:00:24Z'), unreadable: [{ path: '/2025/st', reason: 'HTTP 503 (Retry-After 60 s)' }] });
    expect(down.complete).toBe(false);
    outageRetryAfter = null;
    wall += 30_000;
    await setClock('2025-09-08T23:00:26+02:00');
    const held = await dog.round();
    expect(requests - before).toBe(1);
    expect(held.health).toMatchObject({ state: 'down', consecutiveFailures: 2, outageSince: new Date('2025-09-08T21:00:24Z') });
    expect(held.health.unreadable[0]!.reason).toMatch(/^held off/);
    await stack.settle();
    expect((await stack.getJson('/api/v1/snapshot')).body.source.feed).toMatchObject({ health: 'down', outageSince: '2025-09-08T21:00:24.000Z' });
    wall += 31_000;
    await setClock('2025-09-08T23:00:28+02:00');
    const back = await dog.round();
    expect(back.health).toMatchObject({ state: 'ok', consecutiveFailures: 0, outageSince: null, lastGoodPollAt: new Date('2025-09-08T21:00:28Z') });
    expect(back.complete).toBe(true);
  });

  it('the CLI: --once exits 0 when everything is read and accepted, 1 when the service is unreachable', { timeout: 60_000 }, async () => {
    const file = join(dir, 'tokens.json');
    await writeFile(file, JSON.stringify({ ...tokens, seats: seatsToken }));
    const run = promisify(execFile);
    await setClock('2025-09-08T23:00:30+02:00');
    const cwd = new URL('../..', import.meta.url).pathname;
    const ok = await run('npx', ['tsx', 'scripts/watch-official.ts', '--base', base, '--election', '2025/st', '--valgvakt', stack.baseUrl, '--tokens-file', file, '--once'], { cwd, env: { ...process.env, LOG_LEVEL: 'info' } })
      .catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(ok, JSON.stringify(ok)).not.toHaveProperty('code');
    expect(ok.stdout).toMatch(/"msg":"round ok/);
    await setClock('2025-09-08T23:00:40+02:00');
    const down = await run('npx', ['tsx', 'scripts/watch-official.ts', '--base', 'http://127.0.0.1:9', '--election', '2025/st', '--valgvakt', stack.baseUrl, '--tokens-file', file, '--once', '--timeout', '500ms'], { cwd })
      .catch((e: { code: number; stdout: string }) => e);
    expect(down).toMatchObject({ code: 1 });
    expect((down as { stdout: string }).stdout).toMatch(/"state":"down"/);
    expect(requests).toBeGreaterThan(0);
    expect(conditional).toBeGreaterThan(0);
  });
});
