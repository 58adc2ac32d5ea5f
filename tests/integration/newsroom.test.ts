// Issue #12, points 7–9 against a real sidecar: notes, review marks and alerts that end by themselves (in
// the revision log), a recount the counting system announces, the triage order of alerts, the revision log
// paged back and filtered, and the exports' state columns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator, createOperatorSession } from '../../db/operators.ts';
import { parseCsv } from '../../lib/csv.ts';
import { CLOCK_TOKEN, makeResultReport, makeStatusReport, nightIso, startTestStack, type TestStack } from './harness.ts';

const UTSIRA = '1151';
const VOSS = '4621';
const BODO = '1804';

async function setClock(stack: TestStack, at: string) {
  const now = (await stack.getJson('/api/v1/clock')).body.now as string;
  if (Date.parse(now) >= Date.parse(at)) return;
  const response = await fetch(`${stack.baseUrl}/api/v1/clock`, { method: 'PUT', headers: { authorization: `Bearer ${CLOCK_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ at }) });
  expect(response.status).toBe(200);
}

describe('issue #12: what ends by itself, and what newsrooms get', () => {
  let stack: TestStack;
  let operator: string;
  const ops = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${stack.baseUrl}${path}`, {
      method, headers: { authorization: `Bearer ${operator}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const summary = async (number: string) => (await stack.getJson('/api/v1/snapshot')).body.municipalities.find((m: { number: string }) => m.number === number);
  const changesOf = async (number: string) => (await stack.getJson(`/api/v1/changes?since=0&limit=500&municipality=${number}`)).body.revisions as Array<{ seq: number; kind: string; actor: string; description: string }>;

  beforeAll(async () => {
    stack = await startTestStack('pglite', { clock: 'simulated', stallMonitor: true });
    const account = await createOperator(stack.database.db, 'newsroom-ops', 'correct horse battery staple');
    operator = (await createOperatorSession(stack.database.db, account.id, new Date())).token;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('marking a stalled municipality under review resolves its alert, in the revision log', async () => {
    const bodo = await stack.token(BODO);
    await setClock(stack, nightIso('21:05'));
    expect((await stack.postResult(bodo, makeResultReport({ municipality: BODO, district: '0000', category: 'advance', countedAt: nightIso('21:02') }))).status).toBe(201);
    await setClock(stack, nightIso('23:30'));
    await stack.settle();
    expect((await summary(BODO)).state).toBe('stalled');
    const alert = (await ops('GET', '/api/v1/ops/board')).body.alerts.find((a: { municipality: string }) => a.municipality === BODO);
    expect(alert).toMatchObject({ kind: 'stalled', status: 'open' });

    expect((await ops('PUT', `/api/v1/ops/municipalities/${BODO}/oversight`, { underReview: true })).body.state).toBe('under_review');
    await stack.settle();
    const board = (await ops('GET', '/api/v1/ops/board')).body;
    expect(board.alerts.find((a: { municipality: string }) => a.municipality === BODO)).toBeUndefined();
    expect((await stack.database.db.alert.findUniqueOrThrow({ where: { id: alert.id } })).status).toBe('resolved');
    const log = await changesOf(BODO);
    const marked = log.findIndex((r) => r.kind === 'oversight.changed');
    expect(log.slice(marked).map((r) => r.kind)).toEqual(['oversight.changed', 'state.changed', 'alert.resolved']);
  });

  it('a public note ends when the municipality completes after it, and says so in the revision log', async () => {
    const utsira = await stack.token(UTSIRA);
    await setClock(stack, nightIso('23:35'));
    const note = 'Tallene kommer';
    expect((await ops('PUT', `/api/v1/ops/municipalities/${UTSIRA}/oversight`, { publicNote: note })).status).toBe(200);
    expect((await summary(UTSIRA)).publicNote).toBe(note);
    await setClock(stack, nightIso('23:40'));
    for (const [district, category] of [['0000', 'advance'], ['0001', 'election_day']] as const) {
      const report = makeResultReport({ municipality: UTSIRA, district, category, countedAt: nightIso('23:38'), ballots: { counted: 60, rejected: 0, blank: 0 }, votes: { UL: 30, UTB: 30 } });
      expect((await stack.postResult(utsira, report)).status).toBe(201);
    }
    await stack.settle();
    await stack.settle();
    expect(await summary(UTSIRA)).toMatchObject({ state: 'complete', publicNote: null });
    const log = await changesOf(UTSIRA);
    const cleared = log.filter((r) => r.kind === 'oversight.changed').at(-1)!;
    expect(cleared).toMatchObject({ actor: 'system:state-monitor', description: 'automatisk, ferdig opptalt: merknad fjernet' });

    // A note written about the complete count stays.
    await setClock(stack, nightIso('23:45'));
    await ops('PUT', `/api/v1/ops/municipalities/${UTSIRA}/oversight`, { publicNote: 'Endelig telling i morgen' });
    await setClock(stack, nightIso('23:46'));
    await stack.settle();
    expect((await summary(UTSIRA)).publicNote).toBe('Endelig telling i morgen');
  });

  it('a recount announced in a status report puts the municipality under review until its final count is in', async () => {
    const voss = await stack.token(VOSS);
    const announced = await stack.postStatus(voss, makeStatusReport({
      municipality: VOSS, at: nightIso('23:46'), districts: [], recount: true, recountReason: 'alle stemmesedler telles på nytt',
    }));
    expect(announced.status).toBe(201);
    await stack.settle();
    await stack.settle();
    expect(await summary(VOSS)).toMatchObject({ state: 'under_review', publicNote: 'Telles på nytt: alle stemmesedler telles på nytt', stateReason: 'telles på nytt etter melding fra kommunen' });
    const row = (await ops('GET', '/api/v1/ops/board')).body.rows.find((r: { number: string }) => r.number === VOSS);
    expect(row.stateInfo.reason).toBe('telles på nytt etter melding fra kommunen');
    expect((await ops('GET', '/api/v1/ops/board')).body.alerts.find((a: { municipality: string }) => a.municipality === VOSS)).toBeUndefined();
    expect((await stack.postStatus(voss, makeStatusReport({ municipality: VOSS, districts: [], recountReason: 'x' }))).status).toBe(422);

    // The next day: every unit's final count.
    await setClock(stack, nightIso('11:00'));
    for (const district of ['0000', '0001', '0002', '0003', '0004', '0005', '0006', '0007', '0008', '0009']) {
      const report = makeResultReport({ municipality: VOSS, district, category: district === '0000' ? 'advance' : 'election_day', stage: 'final', countedAt: nightIso('10:30'), ballots: { counted: 100, rejected: 0, blank: 0 }, votes: { A: 50, H: 50 } });
      const answer = await stack.postResult(voss, report);
      expect([district, answer.status]).toEqual([district, 201]);
    }
    await stack.settle();
    await stack.settle();
    expect(await summary(VOSS)).toMatchObject({ state: 'complete', publicNote: null });
    const descriptions = (await changesOf(VOSS)).map((r) => r.description);
    expect(descriptions).toEqual(expect.arrayContaining([
      'kommunen meldte seg (ingen nye kretser ferdig talt); meldte at den teller på nytt (alle stemmesedler telles på nytt)',
      'automatisk, kommunen meldte at den teller på nytt: satt til gjennomgang, merknad: «Telles på nytt: alle stemmesedler telles på nytt»',
      'automatisk, endelig opptelling ferdig: ikke lenger til gjennomgang, merknad fjernet',
    ]));
  });

  it('pages the revision log back from the newest, filters it by municipality and names districts', async () => {
    const latest = (await stack.getJson('/api/v1/changes?since=0&limit=1')).body.latestSeq as number;
    const newest = (await stack.getJson(`/api/v1/changes?before=${latest + 1}&limit=3`)).body;
    expect(newest.revisions.map((r: { seq: number }) => r.seq)).toEqual([latest - 2, latest - 1, latest]);
    expect(newest.nextBefore).toBe(latest - 2);
    const older = (await stack.getJson(`/api/v1/changes?before=${newest.nextBefore}&limit=3`)).body;
    expect(older.revisions.at(-1).seq).toBe(latest - 3);
    const first = (await stack.getJson('/api/v1/changes?before=3&limit=5')).body;
    expect([first.revisions.map((r: { seq: number }) => r.seq), first.nextBefore]).toEqual([[1, 2], null]);
    // The default is unchanged: forwards from `since`, no paging field.
    expect((await stack.getJson('/api/v1/changes?limit=2')).body).not.toHaveProperty('nextBefore');

    const voss = (await stack.getJson(`/api/v1/changes?before=${latest + 1}&limit=500&municipality=${VOSS}`)).body.revisions;
    expect(voss.every((r: { municipality: string }) => r.municipality === VOSS)).toBe(true);
    expect(voss.map((r: { description: string }) => r.description)).toContain('krets 0003 Vangen (valgtingsstemmer): endelig opptelling mottatt, 100 stemmesedler');

    for (const [query, field] of [['before=0', 'before'], ['before=x', 'before'], ['municipality=46', 'municipality'], ['limit=501', 'limit']]) {
      const refused = await stack.getJson(`/api/v1/changes?${query}`);
      expect([query, refused.status, refused.body.issues[0].field]).toEqual([query, 400, field]);
    }
    expect((await stack.getJson('/api/v1/changes?municipality=9999')).status).toBe(404);
  });

  it('exports each municipality\'s state, ledgers, last result and note after the published columns', async () => {
    const json = (await stack.getJson(`/api/v1/export/municipalities.json?municipality=${UTSIRA}`)).body;
    expect(json.rows[0]).toMatchObject({ state: 'complete', stateSince: expect.any(String), districtsCountedLocally: 0, districtsPending: 0, ballotsPendingEstimate: 0, lastResultAt: expect.any(String), publicNote: 'Endelig telling i morgen' });
    const response = await fetch(`${stack.baseUrl}/api/v1/export/municipalities.csv?municipality=${UTSIRA}`);
    const csv = (await response.text()).slice(1);
    expect(csv.slice(0, csv.indexOf('\r\n')).split(';').slice(16)).toEqual([
      'Tilstand', 'Begrunnelse for tilstand', 'Tilstand siden', 'Telleenheter talt lokalt', 'Telleenheter talt lokalt, ikke mottatt',
      'Stemmer talt lokalt, ikke mottatt (anslag)', 'Siste resultat mottatt', 'Offentlig merknad',
      'Valgdeltakelse prosent (så langt opptalt)', 'Forventet valgdeltakelse prosent', 'Valgdeltakelse prosent siste tilsvarende valg',
    ]);
    expect(parseCsv(csv, { delimiter: ';' })[0]).toMatchObject({ Tilstand: 'ferdig opptalt', 'Offentlig merknad': 'Endelig telling i morgen' });
    // Turnout: Utsira's, counted, beside the expected and 2019's (both 2019's in ko2023), with decimal commas.
    const utsira = json.rows[0];
    expect(utsira.turnout).toBeGreaterThan(0);
    expect(utsira.comparisonTurnout).toBe(utsira.expectedTurnout);
    expect(parseCsv(csv, { delimiter: ';' })[0]!['Valgdeltakelse prosent (så langt opptalt)']).toBe(String(utsira.turnout).replace('.', ','));
    const districts = parseCsv((await (await fetch(`${stack.baseUrl}/api/v1/export/districts.csv?municipality=${VOSS}`)).text()).slice(1), { delimiter: ';' });
    expect(new Set(districts.map((r) => r.Opptellingsstatus))).toEqual(new Set(['endelig']));
  });
});
