// The ingest API's contract, against real PGlite and the real PostgreSQL server: acknowledged reports are
// committed and visible; every refusal has a status, field and reason, and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, makeResultReport, makeStatusReport, nightAt, nightIso, referenceData, startTestStack, type TestStack } from './harness.ts';

describe.each(BACKENDS)('ingest API on %s', (backend) => {
  let stack: TestStack;
  let oslo: string;
  let bergen: string;

  beforeAll(async () => {
    stack = await startTestStack(backend);
    oslo = await stack.token('0301');
    bergen = await stack.token('4601');
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function state() {
    const snapshot = await stack.getJson('/api/v1/snapshot');
    const oslo = await stack.getJson('/api/v1/municipalities/0301');
    return { seq: snapshot.body.seq, snapshot: snapshot.body.national, oslo: oslo.body.districts };
  }

  it('commits a new report before acknowledging it, and answers an exact resend with the same seq', async () => {
    const report = makeResultReport({ municipality: '0301', district: '0101' });
    const created = await stack.postResult(oslo, report);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ seq: expect.any(Number), status: 'created' });

    const stored = await stack.database.db.resultReport.count({ where: { seq: BigInt(created.body.seq) } });
    expect(stored).toBe(1);

    // Same instant written with another offset and keys in another order is still the same report.
    const resend = await stack.postResult(oslo, { ...report, countedAt: nightAt('21:45').toISOString(), votes: { FRP: 200, H: 400, A: 300 } });
    expect(resend.status).toBe(200);
    expect(resend.body).toEqual({ seq: created.body.seq, status: 'duplicate' });
    expect(await stack.database.db.resultReport.count()).toBe(1);

    await stack.sidecar.feed.waitFor(created.body.seq);
    const detail = await stack.getJson('/api/v1/municipalities/0301');
    const district = detail.body.districts.find((d: { number: string }) => d.number === '0101');
    expect(district).toMatchObject({ status: 'preliminary', ballotsCounted: 1000 });
    expect(detail.body.municipality).toMatchObject({ status: 'counting', districtsReported: 1, ballotsCounted: 1000 });
    expect(detail.body.parties.find((p: { code: string }) => p.code === 'H')).toMatchObject({ votes: 400 });
  });

  it('takes a correction as a higher version that supersedes the old one, keeping both', async () => {
    const v1 = makeResultReport({ municipality: '0301', district: '0102', ballots: { counted: 900, rejected: 2, blank: 0 }, votes: { A: 500, H: 400 } });
    const first = await stack.postResult(oslo, v1);
    const second = await stack.postResult(oslo, { ...v1, version: 2, ballots: { counted: 880, rejected: 2, blank: 0 }, votes: { A: 480, H: 400 } });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.seq).toBeGreaterThan(first.body.seq);
    await stack.sidecar.feed.waitFor(second.body.seq);
    const detail = await stack.getJson('/api/v1/municipalities/0301');
    const district = detail.body.districts.find((d: { number: string }) => d.number === '0102');
    expect(district.ballotsCounted).toBe(880);
    expect(district.results).toHaveLength(1);
    expect(district.results[0]).toMatchObject({ version: 2 });
    const versions = await stack.database.db.resultReport.findMany({ where: { district: { number: '0102', municipality: { number: '0301' } } }, select: { version: true } });
    expect(versions.map((v) => v.version).sort()).toEqual([1, 2]);

    const stale = await stack.postResult(oslo, v1);
    expect(stale.status).toBe(200); // an exact resend of version 1 is still recognised
    const lower = await stack.postResult(oslo, { ...v1, version: 1, votes: { A: 499, H: 401 } });
    expect(lower.status).toBe(409);
    expect(lower.body.issues).toEqual([{ field: 'version', reason: expect.stringContaining('different content') }]);
  });

  const valid = () => makeResultReport({ municipality: '0301', district: '0103' });
  const refusals: Array<[string, () => { token?: 'oslo' | 'bergen' | 'none' | 'bad'; body?: unknown; raw?: string; contentType?: string }, number, string | null]> = [
    ['no token', () => ({ token: 'none', body: valid() }), 401, null],
    ['an unknown token', () => ({ token: 'bad', body: valid() }), 401, null],
    ["another municipality's token", () => ({ token: 'bergen', body: valid() }), 403, 'municipality'],
    ['a non-JSON body', () => ({ raw: 'municipality=0301', contentType: 'text/plain' }), 415, null],
    ['an oversized body', () => ({ raw: JSON.stringify({ ...valid(), padding: 'x'.repeat(70 * 1024) }) }), 413, null],
    ['malformed JSON', () => ({ raw: '{"municipality": "0301",' }), 400, null],
    ['a negative count', () => ({ body: { ...valid(), ballots: { counted: -1, rejected: 0, blank: 0 } } }), 422, 'ballots.counted'],
    ['a fractional count', () => ({ body: { ...valid(), votes: { A: 1.5 } } }), 422, 'votes.A'],
    ['an unknown field', () => ({ body: { ...valid(), extra: 1 } }), 422, 'extra'],
    ['a timestamp without offset', () => ({ body: { ...valid(), countedAt: nightIso('21:45').slice(0, 19) } }), 422, 'countedAt'],
    ['an unknown district', () => ({ body: { ...valid(), district: '9999' } }), 422, 'district'],
    ['an unknown party', () => ({ body: { ...valid(), votes: { A: 1, NOPE: 2 } } }), 422, 'votes.NOPE'],
    ['votes + blank above counted', () => ({ body: { ...valid(), ballots: { counted: 100, rejected: 0, blank: 1 }, votes: { A: 100 } } }), 422, 'ballots.counted'],
    ['more ballots than the electorate', () => ({ body: { ...valid(), ballots: { counted: 600_000, rejected: 0, blank: 0 }, votes: { A: 600_000 } } }), 422, 'ballots.counted'],
    ['a count time in the future', () => ({ body: { ...valid(), countedAt: nightIso('23:30') } }), 422, 'countedAt'],
    ['election-day votes on the advance unit', () => ({ body: { ...valid(), district: '0000' } }), 422, 'category'],
  ];

  it.each(refusals)('refuses %s with %i and changes nothing', async (_name, make, status, field) => {
    const before = await state();
    const { token = 'oslo', body, raw, contentType } = make();
    const tokens = { oslo, bergen, none: '', bad: 'vv_0301_not-a-real-token' };
    const response = token === 'none'
      ? await fetch(`${stack.baseUrl}/api/v1/results`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: await r.json() }))
      : await stack.postResult(tokens[token], body, { raw, contentType });
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    if (field) expect(response.body.issues.map((i: { field: string }) => i.field)).toContain(field);
    expect(await state()).toEqual(before);
  });

  it('reports every failing field at once', async () => {
    const response = await stack.postResult(oslo, { ...valid(), version: 0, stage: 'almost', ballots: { counted: 1, rejected: -1, blank: 0.5 } });
    expect(response.status).toBe(422);
    expect(response.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['ballots.blank', 'ballots.rejected', 'stage', 'version']);
  });

  it('records which districts were counted locally, idempotently', async () => {
    const status = makeStatusReport({ municipality: '0301', districts: ['0104', '0105'] });
    const first = await stack.postStatus(oslo, status);
    expect(first.status).toBe(201);
    expect((await stack.postStatus(oslo, { ...status, districts: ['0105', '0104'] })).body).toEqual({ seq: first.body.seq, status: 'duplicate' });
    const later = await stack.postStatus(oslo, { ...status, at: nightIso('21:55'), districts: ['0105', '0106'] });
    expect(later.status).toBe(201);
    await stack.sidecar.feed.waitFor(later.body.seq);
    const detail = await stack.getJson('/api/v1/municipalities/0301');
    const localTimes = Object.fromEntries(detail.body.districts.filter((d: { countedLocallyAt: string | null }) => d.countedLocallyAt).map((d: { number: string; countedLocallyAt: string }) => [d.number, d.countedLocallyAt]));
    expect(localTimes).toEqual({ '0104': nightAt('21:50').toISOString(), '0105': nightAt('21:50').toISOString(), '0106': nightAt('21:55').toISOString() });

    const bad = await stack.postStatus(oslo, { ...status, districts: ['0104', '9999'] });
    expect(bad.status).toBe(422);
    expect(bad.body.issues).toEqual([{ field: 'districts.1', reason: expect.stringContaining('unknown district') }]);
    expect((await stack.postStatus(bergen, status)).status).toBe(403);
  });

  it('gives every change its own seq in commit order under concurrent reports', async () => {
    const used = new Set(['0101', '0102', '0103', '0301']);
    const districts = (await referenceData()).districts
      .filter((d) => d.municipality === '0301' && d.kind === 'election_day' && !used.has(d.number))
      .slice(0, 30)
      .map((d) => d.number);
    const responses = await Promise.all(districts.map((district) => stack.postResult(oslo, makeResultReport({ municipality: '0301', district }))));
    expect(responses.every((r) => r.status === 201)).toBe(true);
    const seqs = responses.map((r) => r.body.seq as number).sort((a, b) => a - b);
    expect(new Set(seqs).size).toBe(30);
    expect(seqs.at(-1)! - seqs[0]!).toBe(29); // contiguous: nothing else wrote in between
    const log = await stack.database.db.changeLog.findMany({ orderBy: { seq: 'asc' }, select: { seq: true } });
    expect(log.map((r) => Number(r.seq))).toEqual(log.map((_, i) => Number(log[0]!.seq) + i));
  });

  it('serves the snapshot with its seq as ETag and answers a matching conditional request with 304', async () => {
    const first = await stack.getJson('/api/v1/snapshot');
    const etag = first.headers.get('etag');
    expect(etag).toBe(`"snapshot-${first.body.seq}"`);
    expect(first.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const again = await fetch(`${stack.baseUrl}/api/v1/snapshot`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    const created = await stack.postResult(oslo, makeResultReport({ municipality: '0301', district: '0301' }));
    await stack.sidecar.feed.waitFor(created.body.seq);
    const changed = await fetch(`${stack.baseUrl}/api/v1/snapshot`, { headers: { 'if-none-match': etag! } });
    expect(changed.status).toBe(200);
  });

  it('answers unknown and malformed municipality numbers with 404 and 400', async () => {
    expect((await stack.getJson('/api/v1/municipalities/9999')).status).toBe(404);
    const malformed = await stack.getJson('/api/v1/municipalities/abc');
    expect(malformed.status).toBe(400);
    expect(malformed.body.issues[0].field).toBe('number');
  });

  it('reports health with the database kind and seq', async () => {
    const health = await stack.getJson('/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', database: backend === 'pglite' ? 'embedded' : 'server', seq: expect.any(Number) });
  });
});
