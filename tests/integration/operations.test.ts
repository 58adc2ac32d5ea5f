// Operations end to end against a real sidecar: alerts raised, acknowledged (with a public note), re-raised
// when the acknowledgement expires and resolved when progress resumes; "under review"; regressions; the
// revision log; and a stepped replay with injected faults, each flagged within one evaluation interval.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReplayReference } from '../../data/election-package.ts';
import { createIngestCredentials } from '../../db/credentials.ts';
import { createOperator, createOperatorSession } from '../../db/operators.ts';

import { buildReplayPlan } from '../../lib/replay/plan.ts';
import { CLOCK_TOKEN, makeResultReport, makeStatusReport, nightAt, nightIso, startTestStack, type TestStack, TEST_ELECTION_ID } from './harness.ts';

const EVALUATE_EVERY_MS = 30_000;

async function setClock(stack: TestStack, at: string) {
  // Forward only, like the clock itself: tests that run alone and in sequence set what they need.
  const now = (await stack.getJson('/api/v1/clock')).body.now as string;
  if (Date.parse(now) >= Date.parse(at)) return;
  const response = await fetch(`${stack.baseUrl}/api/v1/clock`, { method: 'PUT', headers: { authorization: `Bearer ${CLOCK_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ at }) });
  expect(response.status).toBe(200);
}

async function operatorToken(stack: TestStack): Promise<string> {
  const operator = await createOperator(stack.database.db, `ops-${Math.random().toString(36).slice(2, 8)}`, 'correct horse battery staple');
  return (await createOperatorSession(stack.database.db, operator.id, new Date())).token;
}

function authed(stack: TestStack, token: string) {
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${stack.baseUrl}${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
}

describe('alerts, acknowledgements and the revision log', () => {
  let stack: TestStack;
  let ops: ReturnType<typeof authed>;
  let bergen: string;
  const summary = async (number: string) => (await stack.getJson('/api/v1/snapshot')).body.municipalities.find((m: { number: string }) => m.number === number);

  beforeAll(async () => {
    stack = await startTestStack('pglite', { clock: 'simulated', stallMonitor: true });
    ops = authed(stack, await operatorToken(stack));
    bergen = await stack.token('4601');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('refuses anonymous access to every operations route', async () => {
    for (const [method, path] of [['GET', '/api/v1/ops/board'], ['POST', '/api/v1/ops/alerts/1/ack'], ['PUT', '/api/v1/ops/municipalities/4601/oversight'], ['GET', '/api/v1/ops/municipalities/4601/timeline']] as const) {
      const response = await fetch(`${stack.baseUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{}' });
      expect([path, response.status]).toEqual([path, 401]);
    }
  });

  it('raises a backlog alert, takes an acknowledgement with a public note, re-alerts when it expires and resolves when results arrive', async () => {
    await setClock(stack, nightIso('21:05'));
    const advance = makeResultReport({ municipality: '4601', district: '0000', category: 'advance', countedAt: nightIso('21:01'), ballots: { counted: 50_000, rejected: 10, blank: 100 }, votes: { A: 20_000, H: 29_900 } });
    expect((await stack.postResult(bergen, advance)).status).toBe(201);
    await setClock(stack, nightIso('22:00'));
    expect((await stack.postStatus(bergen, makeStatusReport({ municipality: '4601', at: nightIso('21:55'), districts: ['0001', '0002', '0003'] }))).status).toBe(201);

    // Backlog after 10 minutes: not at 22:04:59, yes at 22:05.
    await setClock(stack, nightIso('22:04:59'));
    await stack.settle();
    expect((await summary('4601')).state).not.toBe('backlog');
    await setClock(stack, nightIso('22:05'));
    await stack.settle();
    expect(await summary('4601')).toMatchObject({ state: 'backlog', stateReason: '3 kretser ferdig talt lokalt, ikke mottatt', stateSince: nightAt('22:05').toISOString() });

    const board = (await ops('GET', '/api/v1/ops/board')).body;
    const alert = board.alerts.find((a: { municipality: string }) => a.municipality === '4601');
    // Quiet and behind schedule, Bergen was already stalled a moment earlier: the same alert escalated.
    expect(alert).toMatchObject({ kind: 'backlog', status: 'open' });
    expect(Date.parse(alert.raisedAt)).toBeLessThanOrEqual(nightAt('22:05').getTime());
    const row = board.rows.find((r: { number: string }) => r.number === '4601');
    // The advance unit has a result but no status report; three districts are counted but not received.
    expect(row.stateInfo.reconciliation).toMatchObject({ districtsCountedLocally: 3, districtsReceived: 1, districtsPending: 3, oldestPendingSince: nightAt('21:55').toISOString() });
    expect(row.alertId).toBe(alert.id);
    // The console tells what the public is told: the board's reason is the public one, and the alert's,
    // frozen when it was raised or escalated, agrees with it while nothing has changed since.
    expect(row.stateInfo.reason).toBe((await summary('4601')).stateReason);
    expect(alert.reason).toBe(row.stateInfo.reason);
    // The same reason as facts, for pages and console in the reader's language (issue 17).
    const facts = { kind: 'pending', stages: [{ stage: 'preliminary', units: [{ category: 'election_day', count: 3 }] }] };
    expect((await summary('4601')).stateReasonFacts).toEqual(facts);
    expect(row.stateInfo.reasonFacts).toEqual(facts);
    // The alert keeps its facts too, for the console to tell once the municipality has left the board.
    expect(alert.reasonFacts).toEqual(facts);
    // The revision log tells the state change from its recorded facts in the language asked for.
    const logIn = async (lang: string) => (await stack.getJson(`/api/v1/changes?since=0&limit=500&municipality=4601&lang=${lang}`)).body.revisions as Array<{ kind: string; description: string }>;
    const backlogEntry = (entries: Array<{ kind: string; description: string }>) => entries.filter((e) => e.kind === 'state.changed').at(-1)?.description;
    expect(backlogEntry(await logIn('nb'))).toBe('status: treg → overføring henger (3 kretser ferdig talt lokalt, ikke mottatt)');
    expect(backlogEntry(await logIn('nn'))).toBe('status: treg → overføringa heng (3 krinsar ferdig talt lokalt, ikkje motteke)');
    expect(backlogEntry(await logIn('en'))).toBe('status: slow → transfer backlog (3 districts counted locally, not received)');
    expect((await stack.getJson('/api/v1/changes?lang=se')).status).toBe(400);
    expect(board.queue.depth).toBeGreaterThanOrEqual(3);
    // Bergen's three pending districts' electorates × its expected turnout, in the national ledger.
    expect(board.queue).toMatchObject({ districtsCountedLocally: 3, districtsReceived: 1, ballotsReceived: 50_000 });
    expect(board.queue.ballotsPendingEstimate).toBe(row.stateInfo.reconciliation.ballotsPendingEstimate);
    expect(board.queue.ballotsPendingEstimate).toBeGreaterThan(10_000);

    const bad = await ops('POST', `/api/v1/ops/alerts/${alert.id}/ack`, { reasonCode: 'nope', owner: '', expiresInMinutes: 0 });
    expect(bad.status).toBe(422);
    expect(bad.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['expiresInMinutes', 'owner', 'reasonCode']);

    const note = 'Overføringen fra Bergen er forsinket; tallene kommer';
    const acked = await ops('POST', `/api/v1/ops/alerts/${alert.id}/ack`, { reasonCode: 'contacted_municipality', text: 'Ringt valgansvarlig', owner: 'vakt1', expiresInMinutes: 20, publicNote: note });
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'vakt1', ackReasonCode: 'contacted_municipality', ackExpiresAt: nightAt('22:25').toISOString() });
    expect((await summary('4601')).publicNote).toBe(note);
    expect((await stack.getJson('/api/v1/municipalities/4601')).body.municipality.publicNote).toBe(note);

    // The acknowledgement expires after 20 minutes while the backlog persists: it alerts again.
    await setClock(stack, nightIso('22:24:59'));
    await stack.settle();
    expect((await ops('GET', '/api/v1/ops/board')).body.alerts.find((a: { id: number }) => a.id === alert.id)).toMatchObject({ status: 'acknowledged' });
    await setClock(stack, nightIso('22:25'));
    await stack.settle();
    expect((await ops('GET', '/api/v1/ops/board')).body.alerts.find((a: { id: number }) => a.id === alert.id)).toMatchObject({ status: 'open' });

    // The results arrive: the backlog and its alert resolve by themselves.
    for (const district of ['0001', '0002', '0003']) {
      expect((await stack.postResult(bergen, makeResultReport({ municipality: '4601', district, countedAt: nightIso('21:56') }))).status).toBe(201);
    }
    await stack.settle();
    expect((await summary('4601')).state).not.toBe('backlog');
    expect((await ops('GET', '/api/v1/ops/board')).body.alerts.find((a: { id: number }) => a.id === alert.id)).toBeUndefined();
    const stored = await stack.database.db.alert.findUniqueOrThrow({ where: { id: alert.id } });
    expect(stored.status).toBe('resolved');
  });

  it('marks a municipality under review with a public note, and explains a correction that lowers a total', async () => {
    await setClock(stack, nightIso('22:30'));
    const note = 'Voss: alle stemmesedler gjennomgås på nytt';
    const set = await ops('PUT', '/api/v1/ops/municipalities/4621/oversight', { underReview: true, publicNote: note });
    expect(set.body).toMatchObject({ underReview: true, publicNote: note, state: 'under_review' });
    expect(await summary('4621')).toMatchObject({ state: 'under_review', publicNote: note });
    expect((await ops('PUT', '/api/v1/ops/municipalities/4621/oversight', {})).status).toBe(422);
    expect((await ops('PUT', '/api/v1/ops/municipalities/9999/oversight', { underReview: true })).status).toBe(404);

    const v1 = makeResultReport({ municipality: '4601', district: '0004', countedAt: nightIso('22:20'), ballots: { counted: 1000, rejected: 0, blank: 0 }, votes: { A: 500, H: 500 } });
    const first = await stack.postResult(bergen, v1);
    expect([first.status, first.body]).toEqual([201, expect.anything()]);
    expect((await stack.postResult(bergen, { ...v1, version: 2, ballots: { counted: 988, rejected: 0, blank: 0 }, votes: { A: 490, H: 498 } })).status).toBe(201);
    await stack.settle();
    expect(await summary('4601')).toMatchObject({ state: 'regressed', stateReason: 'korrigert: versjon 2 erstatter versjon 1 i krets 0004 (−12 stemmer)' });

    const timeline = (await ops('GET', '/api/v1/ops/municipalities/4601/timeline')).body;
    expect(timeline.spans.map((s: { state: string }) => s.state)).toEqual(expect.arrayContaining(['backlog', 'regressed']));
    expect(timeline.progress.length).toBeGreaterThanOrEqual(5);
  });

  it('serves the revision log in order, with corrections, status changes, acknowledgements and notes in words', async () => {
    const revisions: Array<{ seq: number; description: string; kind: string; actor: string; municipality: string | null }> = [];
    let latestSeq: number | undefined;
    for (let since = 0; ; ) {
      const page = (await stack.getJson(`/api/v1/changes?since=${since}&limit=500`)).body;
      latestSeq = page.latestSeq;
      if (page.revisions.length === 0) break;
      revisions.push(...page.revisions);
      since = page.revisions.at(-1).seq;
    }
    const page = { revisions };
    const seqs = page.revisions.map((r: { seq: number }) => r.seq);
    expect(seqs).toEqual([...seqs].sort((a: number, b: number) => a - b));
    expect(latestSeq).toBe(seqs.at(-1));
    const descriptions = page.revisions.map((r: { description: string }) => r.description);
    expect(descriptions).toEqual(expect.arrayContaining([
      expect.stringContaining('korrigert: versjon 2 erstatter versjon 1 (−12 stemmesedler)'),
      expect.stringContaining('3 kretser ferdig talt lokalt'),
      expect.stringMatching(/^status: .* → overføring henger/),
      expect.stringMatching(/^varsel kvittert/),
      expect.stringContaining('merknad: «Voss: alle stemmesedler gjennomgås på nytt»'),
    ]));
    const correction = page.revisions.find((r: { description: string }) => r.description.includes('versjon 2 erstatter'));
    expect(correction).toMatchObject({ before: { version: 1, ballots: { counted: 1000 } }, after: { version: 2, ballots: { counted: 988 } } });
    // Operators appear as the election authority, not by name.
    expect(page.revisions.filter((r: { kind: string }) => r.kind === 'oversight.changed').every((r: { actor: string }) => r.actor === 'valgmyndighetene')).toBe(true);
    const later = (await stack.getJson(`/api/v1/changes?since=${seqs.at(-3)}`)).body;
    expect(later.revisions.map((r: { seq: number }) => r.seq)).toEqual(seqs.slice(-2));
    expect((await stack.getJson('/api/v1/changes?limit=0')).status).toBe(400);
    // One municipality's changes, filtered by the query, not from a page of everyone's.
    const voss = (await stack.getJson('/api/v1/changes?since=0&limit=500&municipality=4621')).body.revisions;
    expect(voss.length).toBeGreaterThan(0);
    expect(voss.every((r: { municipality: string }) => r.municipality === '4621')).toBe(true);
    expect(voss.map((r: { seq: number }) => r.seq)).toEqual(revisions.filter((r) => r.municipality === '4621').map((r) => r.seq));
  });
});

describe('a night with injected faults, stepped every evaluation interval', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('pglite', { clock: 'simulated', stallMonitor: true });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('flags each stall and backlog within one evaluation interval of its threshold, with the right reason', { timeout: 180_000 }, async () => {
    const municipalities = ['3103', '5001', '1101'];
    const plan = buildReplayPlan(await loadReplayReference(TEST_ELECTION_ID), {
      name: 'faults', seed: 'stepped', municipalities, stages: ['preliminary'],
      // Moss goes quiet mid-count; Trondheim's transfer stalls while it keeps counting; Eigersund is clean.
      silentStop: [{ municipality: '3103', from: '21:40' }],
      transferBacklog: [{ municipalities: ['5001'], from: '21:50', drainFrom: '23:30' }],
    });
    const tokens = await createIngestCredentials(stack.database.db, TEST_ELECTION_ID, 'stepped', municipalities);
    let next = 0;
    for (let t = nightAt('21:00').getTime(); t <= nightAt('00:30').getTime(); t += EVALUATE_EVERY_MS) {
      await setClock(stack, new Date(t).toISOString());
      for (; next < plan.requests.length && Date.parse(plan.requests[next]!.at) <= t; next++) {
        const r = plan.requests[next]!;
        const path = r.kind === 'result' ? '/api/v1/results' : '/api/v1/status';
        const answer = await fetch(`${stack.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${tokens[r.municipality]}`, 'content-type': 'application/json' }, body: JSON.stringify(r.body) });
        expect([r.id, answer.status]).toEqual([r.id, r.expect]);
      }
      await stack.settle();
    }
    const transitions = (await stack.database.db.changeLog.findMany({ where: { kind: 'state.changed' }, orderBy: { seq: 'asc' } }))
      .map((row) => ({ at: row.at.getTime(), ...(row.payload as { municipality: string; to: string; since: string; reason: string }) }))
      .filter((t) => municipalities.includes(t.municipality));
    const first = (municipality: string, state: string) => transitions.find((t) => t.municipality === municipality && t.to === state);

    const moss = first('3103', 'slow') ?? first('3103', 'stalled');
    expect(moss?.reason).toMatch(/^(ingen nye kretser — \d+ av \d+ gjenstår|ingen resultater etter at valglokalene stengte — (\d+ forhåndsstemmeenhet og )?\d+ (kretser|krets|forhåndsstemmeenhet) gjenstår)$/);
    expect(moss!.at - Date.parse(moss!.since)).toBeLessThanOrEqual(EVALUATE_EVERY_MS);
    expect(moss!.at).toBeGreaterThanOrEqual(Date.parse(moss!.since));

    const trondheim = first('5001', 'backlog');
    expect(trondheim?.reason).toMatch(/^(\d+ forhåndsstemmeenhet og )?\d+ kretser? ferdig talt lokalt, ikke mottatt$/);
    expect(trondheim!.at - Date.parse(trondheim!.since)).toBeLessThanOrEqual(EVALUATE_EVERY_MS);

    // The clean municipality never leaves counting/complete.
    expect(transitions.filter((t) => t.municipality === '1101').map((t) => t.to).every((s) => ['counting', 'complete'].includes(s))).toBe(true);
  });
});
