// The official feed's health (POST /api/v1/feed-status) against a real sidecar on PGlite: every answer,
// the public `source` in the snapshot, the municipality read and the deltas, the board's feed panel, and an
// outage as ONE feed_down incident that holds back municipalities' stall alerts and is resolved when the
// feed is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator, createOperatorSession } from '../../db/operators.ts';
import { createSeatsCredential, revokeSeatsCredential } from '../../db/seats.ts';
import type { FeedStatusReport } from '../../lib/contracts/feed-status.ts';
import { CLOCK_TOKEN, makeResultReport, nextEvent, nightAt, nightIso, startTestStack, type TestStack } from './harness.ts';

const status = (at: string, patch: Partial<FeedStatusReport> = {}): FeedStatusReport => ({
  source: 'valgresultat.no', base: 'https://valgresultat.no', election: '2023/k', at: nightIso(at), state: 'ok', intervalSeconds: 15,
  lastPollAt: nightIso(at), lastGoodPollAt: nightIso(at), consecutiveFailures: 0, errors: 0, lagSeconds: 42, outageSince: null, unreadable: [], ...patch,
});

describe('feed status', () => {
  let stack: TestStack;
  let token: string;
  let operator: string;

  async function post(body: unknown, init: { token?: string | null; contentType?: string; raw?: string } = {}) {
    const bearer = init.token === undefined ? token : init.token;
    const response = await fetch(`${stack.baseUrl}/api/v1/feed-status`, {
      method: 'POST',
      headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), 'content-type': init.contentType ?? 'application/json' },
      body: init.raw ?? JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() as any };
  }
  async function setClock(at: string) {
    const response = await fetch(`${stack.baseUrl}/api/v1/clock`, { method: 'PUT', headers: { authorization: `Bearer ${CLOCK_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ at: nightIso(at) }) });
    expect(response.status).toBe(200);
  }
  async function ops(method: string, path: string, body?: unknown) {
    const response = await fetch(`${stack.baseUrl}${path}`, {
      method, headers: { authorization: `Bearer ${operator}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() as any };
  }
  const board = async () => (await ops('GET', '/api/v1/ops/board')).body;
  const alertedMunicipalities = async () => new Set<string>((await board()).alerts.map((a: { municipality: string }) => a.municipality));
  const incidents = async () => stack.database.db.feedIncident.findMany({ where: { electionId: stack.electionId }, orderBy: { id: 'asc' } });

  beforeAll(async () => {
    stack = await startTestStack('pglite', { clock: 'simulated', stallMonitor: true });
    token = (await createSeatsCredential(stack.database.db, stack.electionId, 'watchdog')).token;
    const account = await createOperator(stack.database.db, 'vakt-feed', 'correct horse battery staple');
    operator = (await createOperatorSession(stack.database.db, account.id, new Date())).token;
    await setClock('21:00:30');
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('says the municipalities report the numbers before any status', async () => {
    expect((await stack.getJson('/api/v1/snapshot')).body.source).toEqual({ kind: 'municipalities', feed: null });
    expect((await stack.getJson('/api/v1/municipalities/0301')).body.source).toEqual({ kind: 'municipalities', feed: null });
    expect((await board()).feed).toEqual({ health: null, status: null, incident: null, heldStalls: 0 });
  });

  it('stores a status (201), answers an exact resend with its seq (200), and serves the source', async () => {
    const viewer = await stack.viewer({ overview: 'compact' });
    const patch = nextEvent(viewer, 'overview:patch', (p) => p.source !== undefined);
    const created = await post(status('21:00:15', { unreadable: [{ path: '/2023/k/03/0301', reason: 'HTTP 503' }], state: 'degraded', errors: 1 }));
    expect(created).toEqual({ status: 201, body: { status: 'created', seq: expect.any(Number) } });
    const resend = await post(status('21:00:15', { unreadable: [{ path: '/2023/k/03/0301', reason: 'HTTP 503' }], state: 'degraded', errors: 1 }));
    expect(resend).toEqual({ status: 200, body: { status: 'duplicate', seq: created.body.seq } });
    const feed = {
      name: 'valgresultat.no', base: 'https://valgresultat.no', state: 'degraded', health: 'degraded', lastGoodPollAt: nightAt('21:00:15').toISOString(),
      lagSeconds: 42, statusAt: nightAt('21:00:15').toISOString(), intervalSeconds: 15, outageSince: null,
    };
    expect((await patch).source).toEqual({ kind: 'official_feed', feed });
    await stack.settle();
    expect((await stack.getJson('/api/v1/snapshot')).body.source).toEqual({ kind: 'official_feed', feed });
    expect((await stack.getJson('/api/v1/municipalities/0301')).body.source).toEqual({ kind: 'official_feed', feed });
    expect((await board()).feed).toMatchObject({ health: 'degraded', incident: null, status: { errors: 1, unreadable: [{ path: '/2023/k/03/0301', reason: 'HTTP 503' }] } });
    // Every status is kept, each with its change; the public revision log leaves the statuses out.
    expect(await stack.database.db.feedStatus.count({ where: { electionId: stack.electionId } })).toBe(1);
    const log = (await stack.getJson(`/api/v1/changes?since=${created.body.seq - 1}`)).body;
    expect(log.revisions.map((r: { kind: string }) => r.kind)).not.toContain('feed.status');
  });

  it('sends viewers a delta only for what they see change: a status in the same minute rides along with the next', async () => {
    const viewer = await stack.viewer({ overview: 'compact' });
    const sameMinute = await post(status('21:00:25', { state: 'degraded', errors: 1 }));
    expect(sameMinute.status).toBe(201);
    const patch = nextEvent(viewer, 'overview:patch', (p) => p.source?.feed?.health === 'ok');
    const recovered = await post(status('21:00:40'));
    expect(recovered.status).toBe(201);
    const received = await patch;
    expect(received.seq).toBe(recovered.body.seq);
    // The chain skips the status nobody could see (a room may skip seqs that do not concern it).
    expect(received.prevSeq).toBeLessThan(sameMinute.body.seq);
  });

  it('refuses a status not after the newest (409 naming at), and another status at the same time', async () => {
    const older = await post(status('21:00:20'));
    expect(older.status).toBe(409);
    expect(older.body).toMatchObject({ error: 'version_conflict', issues: [{ field: 'at', reason: expect.stringContaining('after the newest accepted status') }] });
    const other = await post(status('21:00:40', { errors: 3 }));
    expect(other.status).toBe(409);
    expect(other.body.issues).toEqual([{ field: 'at', reason: expect.stringContaining('already accepted') }]);
  });

  it('names every bad field (422), and refuses a missing or wrong token (401), another type (415) and broken JSON (400)', async () => {
    const bad = await post({ ...status('21:01'), state: 'late', intervalSeconds: 0, unreadable: 'x', extra: true });
    expect(bad.status).toBe(422);
    expect(bad.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['extra', 'intervalSeconds', 'state', 'unreadable']);
    const down = await post(status('21:01', { state: 'down' }));
    expect(down.status).toBe(422);
    expect(down.body.issues).toEqual([{ field: 'outageSince', reason: 'must be given while state is "down" (the first failed round)' }]);
    const ahead = await post(status('23:00'));
    expect(ahead.status).toBe(422);
    expect(ahead.body.issues).toEqual([{ field: 'at', reason: expect.stringContaining('lies in the future') }]);
    expect((await post(status('21:01'), { token: null })).status).toBe(401);
    expect((await post(status('21:01'), { token: 'vvs_not-a-token' })).status).toBe(401);
    // A municipality's ingest token is not a seat source's.
    expect((await post(status('21:01'), { token: await stack.token('0301') })).status).toBe(401);
    const revoked = await createSeatsCredential(stack.database.db, stack.electionId, 'old-watchdog');
    await revokeSeatsCredential(stack.database.db, stack.electionId, revoked.id);
    expect((await post(status('21:01'), { token: revoked.token })).status).toBe(401);
    expect((await post(status('21:01'), { contentType: 'text/plain' })).status).toBe(415);
    const broken = await post(null, { raw: '{"source": ' });
    expect(broken.status).toBe(400);
    expect(await stack.database.db.feedStatus.count({ where: { electionId: stack.electionId } })).toBe(3);
  });

  it('an outage is one feed_down incident, holds back new stall alerts, keeps earlier ones, and is resolved when the feed is back', async () => {
    // Every municipality without a result is slow a quarter of an hour after the polls close; Bergen has
    // reported its advance votes and a district at 21:10 and is counting.
    await setClock('21:10');
    const bergen = await stack.token('4601');
    const advance = makeResultReport({ municipality: '4601', district: '0000', category: 'advance', countedAt: nightIso('21:09'), ballots: { counted: 50_000, rejected: 10, blank: 100 }, votes: { A: 20_000, H: 29_900 } });
    expect((await stack.postResult(bergen, advance)).status).toBe(201);
    expect((await stack.postResult(bergen, makeResultReport({ municipality: '4601', district: '0001', countedAt: nightIso('21:09') }))).status).toBe(201);
    // (The watchdog has been silent since 21:00:40, so the feed was late meanwhile: that incident ends now.)
    await setClock('21:16');
    const back = await post(status('21:15:45'));
    expect(back.status).toBe(201);
    await stack.settle();
    const before = await alertedMunicipalities();
    expect(before.size).toBe(356);
    expect(before.has('4601')).toBe(false);
    const earlier = await incidents();
    expect(earlier.every((i) => i.status === 'resolved')).toBe(true);

    // The service stops answering at 21:16; the watchdog says so every round.
    const outage = { state: 'down', lastGoodPollAt: nightIso('21:15:45'), outageSince: nightIso('21:16:00'), consecutiveFailures: 1, errors: 357 } as const;
    expect((await post(status('21:16:15', outage))).status).toBe(201);
    await stack.settle();
    let panel = (await board()).feed;
    expect(panel).toMatchObject({ health: 'down', incident: { kind: 'feed_down', status: 'open', since: nightAt('21:16').toISOString(), reason: 'valgresultat.no svarer ikke siden 21:16' } });
    expect((await stack.getJson('/api/v1/snapshot')).body.source.feed).toMatchObject({ health: 'down', outageSince: nightAt('21:16').toISOString() });

    // More than an hour of outage, a status every round: still one incident, and Bergen, whose schedule makes
    // it stalled by 22:30 only because nothing can arrive, is not alerted; the stalls that began before stay.
    for (const at of ['21:30', '22:00', '22:30']) {
      await setClock(at);
      expect((await post(status(at, { ...outage, consecutiveFailures: 9 }))).status).toBe(201);
      await stack.settle();
    }
    expect(await alertedMunicipalities()).toEqual(before);
    expect((await stack.getJson('/api/v1/snapshot')).body.municipalities.find((m: { number: string }) => m.number === '4601').state).toBe('counting');
    expect((await board()).rows.find((r: { number: string }) => r.number === '4601').stateInfo).toMatchObject({ state: 'counting', underlyingState: 'stalled' });
    panel = (await board()).feed;
    expect(panel.heldStalls).toBe(1);
    expect(await incidents()).toHaveLength(earlier.length + 1);

    // Acknowledgeable like any alert; it stays until the feed is back.
    const incidentId = panel.incident.id;
    const ack = await ops('POST', `/api/v1/ops/feed-incidents/${incidentId}/ack`, { owner: 'anna.ops', text: 'Valgdirektoratet varslet' });
    expect(ack).toMatchObject({ status: 200, body: { id: incidentId, status: 'acknowledged', acknowledgedBy: 'anna.ops', ackText: 'Valgdirektoratet varslet' } });
    expect((await ops('POST', `/api/v1/ops/feed-incidents/${incidentId}/ack`, { owner: '' })).status).toBe(422);
    expect((await ops('POST', '/api/v1/ops/feed-incidents/999999/ack', { owner: 'anna.ops' })).status).toBe(404);
    expect((await board()).feed.incident).toMatchObject({ id: incidentId, status: 'acknowledged' });

    // Back: resolved, and the municipalities are judged on their own again.
    await setClock('22:30:15');
    expect((await post(status('22:30:15'))).status).toBe(201);
    await stack.settle();
    expect((await incidents()).at(-1)).toMatchObject({ id: incidentId, status: 'resolved', resolvedAt: nightAt('22:30:15') });
    panel = (await board()).feed;
    expect(panel).toMatchObject({ health: 'ok', incident: null, heldStalls: 0 });
    expect((await ops('POST', `/api/v1/ops/feed-incidents/${incidentId}/ack`, { owner: 'anna.ops' })).status).toBe(409);
    // Bergen has still sent nothing since 21:10: with the feed back, that is its own stall.
    expect((await alertedMunicipalities()).size).toBe(357);
    const logged = await stack.database.db.changeLog.findMany({ where: { electionId: stack.electionId, seq: { gt: back.body.seq }, kind: { startsWith: 'feed.incident.' } }, orderBy: { seq: 'asc' } });
    const ofThisOutage = logged.filter((entry) => (entry.payload as { incident: { id: number } }).incident.id === incidentId);
    expect(ofThisOutage.map((entry) => entry.kind)).toEqual(['feed.incident.raised', 'feed.incident.acknowledged', 'feed.incident.resolved']);
    // The public revision log tells it too.
    const raised = (await stack.getJson(`/api/v1/changes?since=${Number(ofThisOutage[0]!.seq) - 1}&limit=1`)).body.revisions[0];
    expect(raised).toMatchObject({ kind: 'feed.incident.raised', municipality: null, description: 'varsel: kilden svarer ikke — valgresultat.no svarer ikke siden 21:16' });
  });

  it('a silent watchdog makes the feed late by the clock alone: the warning, one incident, resolved by the next status', async () => {
    // 3 × 15 s after the last status (22:30:15).
    await setClock('22:31:00');
    await stack.settle();
    const snapshot = await stack.getJson('/api/v1/snapshot');
    expect(snapshot.body.source.feed).toMatchObject({ health: 'late', state: 'ok' });
    // No new seq is needed for it: a late source is another body, so another ETag.
    expect(snapshot.headers.get('etag')).toMatch(/^"snapshot-\d+-late"$/);
    const open = (await incidents()).filter((i) => i.status !== 'resolved');
    expect(open).toHaveLength(1);
    expect(open[0]!.reason).toContain('vaktprogrammet har ikke meldt seg siden 22:30');
    expect((await post(status('22:31:05'))).status).toBe(201);
    await stack.settle();
    expect((await incidents()).every((i) => i.status === 'resolved')).toBe(true);
    expect((await stack.getJson('/api/v1/snapshot')).body.source.feed.health).toBe('ok');
  });
});
