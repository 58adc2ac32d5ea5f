// Seats as a source reports them (POST /api/v1/seats), for an election whose seats Valgvakt does not compute:
// stored with its change, served in the snapshot and the county, carried live to viewers, idempotent, and
// every careless or hostile request answered with a 4xx that names the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeatsCredential, revokeSeatsCredential } from '../../db/seats.ts';
import type { ReportedSeats } from '../../lib/contracts/seats.ts';
import { createStortingPackage, STORTING_TEST_ELECTION } from '../support/storting-package.ts';
import { nextEvent, startTestStack, type TestStack } from './harness.ts';

async function postSeats(stack: TestStack, token: string | null, body: unknown, contentType = 'application/json') {
  const response = await fetch(`${stack.baseUrl}/api/v1/seats`, {
    method: 'POST',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': contentType },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const VESTLAND = {
  area: '46', reportedAt: '2027-09-13T23:40:00+02:00', source: 'valgresultat.no',
  seats: [{ list: 'H', seats: 4, levelling: 1 }, { list: 'A', seats: 5 }, { list: 'FRP', seats: 3 }],
};

describe('reported seats of a storting election', () => {
  let stack: TestStack;
  let remove: () => Promise<void>;
  let token: string;
  beforeAll(async () => {
    const made = await createStortingPackage();
    remove = made.remove;
    stack = await startTestStack('pglite', { packageDir: made.dir });
    token = (await createSeatsCredential(stack.database.db, stack.electionId, 'test-source')).token;
    // The morning after: every report time below lies in the past.
    stack.setClock(new Date('2027-09-14T03:00:00+02:00'));
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await remove?.();
  });

  it('stores a county\'s seats, serves them named and ordered, and sends them to viewers in the next delta', async () => {
    expect(stack.electionId).toBe(STORTING_TEST_ELECTION.id);
    expect((await stack.getJson('/api/v1/snapshot')).body.reportedSeats).toEqual([]);
    const viewer = await stack.viewer({ overview: 'compact' });
    const patch = nextEvent(viewer, 'overview:patch', (p) => (p.reportedSeats ?? []).length > 0);
    const answer = await postSeats(stack, token, VESTLAND);
    expect(answer).toMatchObject({ status: 201, body: { status: 'created', seq: expect.any(Number) } });
    const expected: ReportedSeats = {
      area: '46', areaName: 'Vestland', source: 'valgresultat.no', reportedAt: '2027-09-13T21:40:00.000Z', receivedAt: expect.any(String), final: false, total: 12,
      lists: [
        { code: 'A', name: 'Arbeiderpartiet', seats: 5, levelling: 0 },
        { code: 'H', name: 'Høyre', seats: 4, levelling: 1 },
        { code: 'FRP', name: 'Fremskrittspartiet', seats: 3, levelling: 0 },
      ],
    };
    expect((await patch).reportedSeats).toEqual([expected]);
    await stack.settle();
    expect((await stack.getJson('/api/v1/snapshot')).body.reportedSeats).toEqual([expected]);
    expect((await stack.getJson('/api/v1/counties/46')).body.reportedSeats).toEqual([expected]);
    expect((await stack.getJson('/api/v1/counties/03')).body.reportedSeats).toEqual([]);
    const log = (await stack.getJson(`/api/v1/changes?since=${answer.body.seq - 1}`)).body;
    expect(log.revisions[0]).toMatchObject({ seq: answer.body.seq, kind: 'seats.reported', municipality: null, actor: 'seats:test-source' });
    expect(log.revisions[0].description).toContain('fylke 46 rapportert av valgresultat.no: 12 fordelt');
  });

  it('answers an exact resend, in any list order, with the stored seq; refuses older or contradicting seats', async () => {
    const first = await postSeats(stack, token, { ...VESTLAND, seats: [...VESTLAND.seats].reverse() });
    expect(first).toMatchObject({ status: 200, body: { status: 'duplicate' } });
    const contradicting = await postSeats(stack, token, { ...VESTLAND, seats: [{ list: 'A', seats: 6 }] });
    expect(contradicting.status).toBe(409);
    expect(contradicting.body.issues).toEqual([{ field: 'reportedAt', reason: expect.stringContaining('other seats for this area were already reported') }]);
    const older = await postSeats(stack, token, { ...VESTLAND, reportedAt: '2027-09-13T23:00:00+02:00' });
    expect(older.status).toBe(409);
    expect(older.body.issues[0]).toMatchObject({ field: 'reportedAt', reason: expect.stringContaining('older than the seats already reported') });
    const newer = await postSeats(stack, token, { ...VESTLAND, reportedAt: '2027-09-14T01:10:00+02:00', final: true, seats: [{ list: 'A', seats: 6 }, { list: 'H', seats: 6 }] });
    expect(newer.status).toBe(201);
    await stack.settle();
    const [vestland] = (await stack.getJson('/api/v1/counties/46')).body.reportedSeats;
    expect(vestland).toMatchObject({ final: true, total: 12, reportedAt: '2027-09-13T23:10:00.000Z' });
  });

  it('keeps the national area first and the counties in number order', async () => {
    expect((await postSeats(stack, token, { area: 'national', reportedAt: '2027-09-14T02:00:00+02:00', source: 'valgresultat.no', seats: [{ list: 'A', seats: 169 }] })).status).toBe(201);
    expect((await postSeats(stack, token, { ...VESTLAND, area: '03' })).status).toBe(201);
    await stack.settle();
    expect((await stack.getJson('/api/v1/snapshot')).body.reportedSeats.map((s: ReportedSeats) => [s.area, s.areaName])).toEqual([['national', 'Hele landet'], ['03', 'Oslo'], ['46', 'Vestland']]);
  });

  it('exports them per area and list, as JSON and as CSV, filtered by county', async () => {
    const json = (await stack.getJson('/api/v1/export/seats.json')).body;
    expect(json.rows.map((r: { area: string; partyCode: string; seats: number }) => [r.area, r.partyCode, r.seats])).toEqual([
      ['national', 'A', 169], ['03', 'A', 5], ['03', 'H', 4], ['03', 'FRP', 3], ['46', 'A', 6], ['46', 'H', 6],
    ]);
    expect(json.rows[4]).toEqual({ area: '46', areaName: 'Vestland', partyCode: 'A', partyName: 'Arbeiderpartiet', seats: 6, levellingSeats: 0, final: true, source: 'valgresultat.no', reportedAt: '2027-09-13T23:10:00.000Z' });
    const csv = await (await fetch(`${stack.baseUrl}/api/v1/export/seats.csv?county=46`)).text();
    expect(csv.replace(/^\uFEFF/, '').split('\r\n').slice(0, 2)).toEqual([
      'Område;Områdenavn;Partikode;Partinavn;Antall mandater;Herav utjevningsmandater;Endelig;Kilde;Rapportert',
      '46;Vestland;A;Arbeiderpartiet;6;0;ja;valgresultat.no;2027-09-13T23:10:00.000Z',
    ]);
    const refused = await stack.getJson('/api/v1/export/seats.json?municipality=4601');
    expect(refused.status).toBe(400);
    expect(refused.body.issues).toEqual([{ field: 'municipality', reason: 'not accepted by the seats export; use county' }]);
  });

  it('names the field and the reason for every refused report, and changes nothing', async () => {
    const before = (await stack.getJson('/api/v1/snapshot')).body.seq;
    const cases: Array<[unknown, string, string | RegExp]> = [
      [{ ...VESTLAND, area: '99' }, 'area', 'no county 99 in election st-proeve'],
      [{ ...VESTLAND, area: 'Vestland' }, 'area', /2-digit county number/],
      [{ ...VESTLAND, seats: [{ list: 'XYZ', seats: 1 }] }, 'seats.0.list', 'no list "XYZ" stands in county 46'],
      [{ ...VESTLAND, seats: [{ list: 'A', seats: 1 }, { list: 'A', seats: 2 }] }, 'seats.1.list', 'list "A" is named twice'],
      [{ ...VESTLAND, seats: [{ list: 'A', seats: 1, levelling: 2 }] }, 'seats.0.levelling', 'must not exceed seats'],
      [{ ...VESTLAND, seats: [{ list: 'A', seats: -1 }] }, 'seats.0.seats', 'must not be negative'],
      [{ ...VESTLAND, seats: [] }, 'seats', 'must name at least one list'],
      [{ ...VESTLAND, reportedAt: '23:40' }, 'reportedAt', /ISO 8601/],
      [{ ...VESTLAND, source: '' }, 'source', 'must not be empty'],
      [{ ...VESTLAND, reportedAt: '2099-09-13T23:40:00+02:00' }, 'reportedAt', /lies in the future/],
      [{ ...VESTLAND, extra: 1 }, 'extra', 'unknown field'],
    ];
    for (const [body, field, reason] of cases) {
      const answer = await postSeats(stack, token, body);
      expect(answer.status, JSON.stringify(body)).toBe(422);
      expect(answer.body.issues, JSON.stringify(body)).toContainEqual({ field, reason: typeof reason === 'string' ? reason : expect.stringMatching(reason) });
    }
    expect((await postSeats(stack, token, VESTLAND, 'text/plain')).status).toBe(415);
    await stack.settle();
    expect((await stack.getJson('/api/v1/snapshot')).body.seq).toBe(before);
  });

  it('takes only a live seats token: none, a municipality\'s, a revoked one and the wrong route are refused', async () => {
    expect((await postSeats(stack, null, VESTLAND)).status).toBe(401);
    expect((await postSeats(stack, await stack.token('4601'), VESTLAND)).status).toBe(401);
    const { token: revoked, id } = await createSeatsCredential(stack.database.db, stack.electionId, 'revoked');
    await revokeSeatsCredential(stack.database.db, stack.electionId, id);
    expect((await postSeats(stack, revoked, VESTLAND)).status).toBe(401);
    expect((await stack.postResult(token, { municipality: '4601' })).status).toBe(401);
  });
});

describe('reported seats of a municipal election', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('pglite');
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('are refused: Valgvakt computes its councils', async () => {
    const { token } = await createSeatsCredential(stack.database.db, stack.electionId, 'test');
    const answer = await postSeats(stack, token, { ...VESTLAND, reportedAt: stack.clock.now().toISOString() });
    expect(answer.status).toBe(422);
    expect(answer.body.issues).toEqual([{ field: 'area', reason: `election ${stack.electionId} is municipal: Valgvakt computes its seats, so none are reported` }]);
  });
});
