// POST /api/v1/results/batch against a real sidecar with its stall monitor, on PGlite and on PostgreSQL: a
// batch is written whole or not at all; a batch that moves votes between units is not a correction
// ("Korrigert ned"), one that lowers the municipality's total is; every refusal names the report and field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, CLOCK_TOKEN, makeResultReport, nightIso, startTestStack, type TestStack } from './harness.ts';

describe.each(BACKENDS)('result batches on %s', (backend) => {
  let stack: TestStack;
  let bergen: string;
  const summary = async () => (await stack.getJson('/api/v1/snapshot')).body.municipalities.find((m: { number: string }) => m.number === '4601');
  const postBatch = async (token: string, body: unknown) => {
    const response = await fetch(`${stack.baseUrl}/api/v1/results/batch`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  };
  const stored = () => stack.database.db.resultReport.count();
  const unit = (district: string, version: number, counted: number) =>
    makeResultReport({ municipality: '4601', district, version, countedAt: nightIso('22:20'), ballots: { counted, rejected: 0, blank: 0 }, votes: { A: counted - Math.floor(counted / 2), H: Math.floor(counted / 2) } });
  const revisions = async () => (await stack.getJson('/api/v1/changes?municipality=4601&limit=500')).body.revisions as Array<{ kind: string; description: string; municipality: string | null }>;

  beforeAll(async () => {
    stack = await startTestStack(backend, { clock: 'simulated', stallMonitor: true });
    bergen = await stack.token('4601');
    const response = await fetch(`${stack.baseUrl}/api/v1/clock`, { method: 'PUT', headers: { authorization: `Bearer ${CLOCK_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ at: nightIso('22:30') }) });
    expect(response.status).toBe(200);
    for (const [district, counted] of [['0001', 1000], ['0002', 500]] as const) {
      expect((await stack.postResult(bergen, unit(district, 1, counted))).status).toBe(201);
    }
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('writes a move (one unit lowered, another raised as much) whole, and does not call it a correction', async () => {
    const moved = await postBatch(bergen, { reports: [unit('0001', 2, 800), unit('0003', 1, 200)] });
    expect(moved.status).toBe(201);
    expect(moved.body).toEqual({ results: [{ seq: expect.any(Number), status: 'created' }, { seq: expect.any(Number), status: 'created' }] });
    expect(moved.body.results[1].seq).toBe(moved.body.results[0].seq + 1);
    await stack.settle();
    const municipality = await summary();
    expect(municipality.ballotsCounted).toBe(1500);
    expect(municipality.state).not.toBe('regressed');
    const lowering = (await revisions()).find((r) => r.kind === 'result.accepted' && r.description.startsWith('krets 0001') && r.description.includes('versjon 2 erstatter'));
    expect(lowering?.description).toContain('(−200 stemmesedler; sendt sammen med 1 annen rapport)');

    // The same batch again is a resend: 200, the same seqs, nothing written.
    const before = await stored();
    const resent = await postBatch(bergen, { reports: [unit('0001', 2, 800), unit('0003', 1, 200)] });
    expect(resent).toEqual({ status: 200, body: { results: moved.body.results.map((r: { seq: number }) => ({ seq: r.seq, status: 'duplicate' })) } });
    expect(await stored()).toBe(before);
  });

  it('calls a batch that lowers the municipality\'s total a correction, by the total\'s drop', async () => {
    const lowered = await postBatch(bergen, { reports: [unit('0001', 3, 700), unit('0003', 2, 250)] });
    expect(lowered.status).toBe(201);
    await stack.settle();
    expect(await summary()).toMatchObject({ ballotsCounted: 1450, state: 'regressed', stateReason: 'korrigert: versjon 3 erstatter versjon 2 i krets 0001 (−50 stemmer)' });
  });

  it('writes nothing when one report is refused, and names it', async () => {
    const before = await stored();
    const unknown = await postBatch(bergen, { reports: [unit('0004', 1, 100), unit('0999', 1, 100)] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.issues).toEqual([{ field: 'reports.1.district', reason: expect.stringContaining('unknown district 0999') }]);

    // Decided in the transaction: the first report would be new, the second conflicts with a stored version.
    const conflict = await postBatch(bergen, { reports: [unit('0004', 1, 100), unit('0002', 1, 499)] });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ error: 'version_conflict', issues: [{ field: 'reports.1.version', reason: expect.any(String) }] });

    const oslo = await postBatch(bergen, { reports: [unit('0004', 1, 100), { ...unit('0004', 1, 100), municipality: '0301' }] });
    expect(oslo.status).toBe(403);
    expect(oslo.body.issues).toEqual([{ field: 'reports.1.municipality', reason: "not the token's municipality (4601)" }]);

    const empty = await postBatch(bergen, { reports: [] });
    expect(empty.status).toBe(422);
    expect(empty.body.issues).toEqual([{ field: 'reports', reason: 'must hold at least one report' }]);
    const badField = await postBatch(bergen, { reports: [{ ...unit('0004', 1, 100), ballots: { counted: -1, rejected: 0, blank: 0 } }] });
    expect(badField.status).toBe(422);
    expect(badField.body.issues[0].field).toBe('reports.0.ballots.counted');

    expect(await stored()).toBe(before);
  });
});
