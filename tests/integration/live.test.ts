// The live protocol with real Socket.IO clients: deltas after commit, in seq order, per room, with the
// (prevSeq, seq] chain a browser relies on to detect gaps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MunicipalityDelta, OverviewDelta, OverviewPatch, Snapshot } from '../../lib/contracts/live.ts';
import { classifyDelta } from '../../lib/domain/delta.ts';
import { applyOverviewPatch } from '../../lib/domain/overview-patch.ts';
import { BACKENDS, makeResultReport, nextEvent, startTestStack, type TestStack } from './harness.ts';

describe.each(BACKENDS)('live deltas on %s', (backend) => {
  let stack: TestStack;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack(backend);
    token = await stack.token('0301');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('sends every viewer the overview delta for an accepted report, never ahead of what is stored', async () => {
    const [first, second] = [await stack.viewer(), await stack.viewer()];
    const deltas = [nextEvent(first, 'overview:updated'), nextEvent(second, 'overview:updated')];
    const created = await stack.postResult(token, makeResultReport({ municipality: '0301', district: '0101' }));
    for (const delta of await Promise.all(deltas)) {
      expect(delta.seq).toBe(created.body.seq);
      expect(delta.municipalities).toEqual([expect.objectContaining({ number: '0301', districtsReported: 1, ballotsCounted: 1000 })]);
      expect(delta.national.ballotsCounted).toBe(1000);
      const stored = await stack.database.db.changeLog.findUnique({ where: { seq: BigInt(delta.seq) } });
      expect(stored).not.toBeNull();
    }
  });

  it("answers a join with the municipality's detail and then sends that room its deltas only", async () => {
    const viewer = await stack.viewer();
    const ack = await viewer.timeout(5000).emitWithAck('municipality:join', { number: '0301' });
    if (!ack.ok) throw new Error(ack.error);
    expect(ack.detail.municipality.number).toBe('0301');
    expect(ack.detail.districts.length).toBe(102);
    const heldSeq = ack.detail.seq;

    const bergen = await stack.token('4601');
    const osloDelta = nextEvent(viewer, 'municipality:updated');
    await stack.postResult(bergen, makeResultReport({ municipality: '4601', district: '0000', category: 'advance', votes: { A: 100, H: 100 } }));
    const created = await stack.postResult(token, makeResultReport({ municipality: '0301', district: '0102' }));
    const delta = await osloDelta;
    expect(delta.number).toBe('0301');
    expect(delta.seq).toBe(created.body.seq);
    expect(classifyDelta(heldSeq, delta)).toBe('apply');
    expect(delta.districts.map((d) => d.number)).toEqual(['0102']);
    expect(delta.municipality.districtsReported).toBe(2);

    const refused = await viewer.timeout(5000).emitWithAck('municipality:join', { number: 'x' });
    expect(refused).toEqual({ ok: false, error: expect.any(String) });
  });

  it('chains deltas so a viewer can apply all of a burst in order without a gap', async () => {
    const viewer = await stack.viewer();
    const snapshot = await stack.getJson('/api/v1/snapshot');
    let held = snapshot.body.seq as number;
    const received: OverviewDelta[] = [];
    viewer.on('overview:updated', (delta) => received.push(delta));
    const districts = ['0201', '0202', '0203', '0204', '0205', '0206', '0301', '0302', '0303', '0304'];
    const responses = await Promise.all(districts.map((district) => stack.postResult(token, makeResultReport({ municipality: '0301', district }))));
    const last = Math.max(...responses.map((r) => r.body.seq as number));
    await expect.poll(() => received.at(-1)?.seq, { timeout: 10_000 }).toBe(last);
    for (const delta of received) {
      expect(classifyDelta(held, delta)).toBe('apply');
      held = delta.seq;
    }
    // Bursts may be coalesced into fewer deltas, but the last one carries the complete state.
    expect(received.length).toBeLessThanOrEqual(districts.length);
    expect(received.at(-1)!.municipalities.find((m) => m.number === '0301')!.districtsReported).toBe(12); // 0101, 0102 and these ten
  });

  it('lets a viewer that missed deltas see the gap and catch up from the snapshot', async () => {
    const snapshot = await stack.getJson('/api/v1/snapshot');
    const staleSeq = snapshot.body.seq - 1;
    const viewer = await stack.viewer();
    const delta = nextEvent(viewer, 'overview:updated');
    await stack.postResult(token, makeResultReport({ municipality: '0301', district: '0305' }));
    const received = await delta;
    if (snapshot.body.seq > 0) expect(classifyDelta(staleSeq - 1, received)).toBe('gap');
    const fresh = await stack.getJson('/api/v1/snapshot');
    expect(fresh.body.seq).toBeGreaterThanOrEqual(received.seq);
  });

  it('sends compact overview deltas to viewers that ask, which rebuild exactly the snapshot the server then serves', async () => {
    const compact = await stack.viewer({ overview: 'compact' });
    const full = await stack.viewer();
    const held = (await stack.getJson('/api/v1/snapshot')).body as Snapshot;
    const patches: OverviewPatch[] = [];
    const deltas: OverviewDelta[] = [];
    // Each viewer gets its own form only; a wrong one is counted here (a throw inside a socket handler would not fail the test).
    const wrongForm: string[] = [];
    compact.on('overview:patch', (patch) => patches.push(patch));
    compact.on('overview:updated', () => wrongForm.push('compact viewer got overview:updated'));
    full.on('overview:updated', (delta) => deltas.push(delta));
    full.on('overview:patch', () => wrongForm.push('full viewer got overview:patch'));
    const bergen = await stack.token('4601');
    // A second municipality, a new leading party there and a first 2019 comparison: counts, votes and councils move.
    const first = await stack.postResult(bergen, makeResultReport({ municipality: '4601', district: '0001', votes: { A: 40, H: 300, FRP: 20 } }));
    const last = await stack.postResult(token, makeResultReport({ municipality: '0301', district: '0401' }));
    expect([first.status, last.status], JSON.stringify([first.body, last.body])).toEqual([201, 201]);
    await expect.poll(() => patches.at(-1)?.seq, { timeout: 10_000 }).toBe(last.body.seq);
    await expect.poll(() => deltas.at(-1)?.seq, { timeout: 10_000 }).toBe(last.body.seq);

    let state = held;
    for (const patch of patches) {
      expect(classifyDelta(state.seq, patch)).toBe('apply');
      state = applyOverviewPatch(state, patch);
    }
    const served = (await stack.getJson('/api/v1/snapshot')).body as Snapshot;
    expect(served.seq).toBe(state.seq);
    expect({ ...state, clock: null, generatedAt: null }).toEqual({ ...served, clock: null, generatedAt: null });
    // The same deltas, a fraction of the bytes.
    const bytes = (items: unknown[]) => items.reduce<number>((sum, item) => sum + JSON.stringify(item).length, 0);
    expect(patches.map((p) => [p.prevSeq, p.seq])).toEqual(deltas.map((d) => [d.prevSeq, d.seq]));
    expect(bytes(patches)).toBeLessThan(bytes(deltas) * 0.5);
    expect(wrongForm).toEqual([]);
  });

  it('does not send municipality deltas to viewers of other municipalities', async () => {
    const viewer = await stack.viewer();
    await viewer.timeout(5000).emitWithAck('municipality:join', { number: '4601' });
    const seen: MunicipalityDelta[] = [];
    viewer.on('municipality:updated', (d) => seen.push(d));
    const overview = nextEvent(viewer, 'overview:updated');
    await stack.postResult(token, makeResultReport({ municipality: '0301', district: '0306' }));
    await overview;
    expect(seen).toEqual([]);
  });
});

describe.each(BACKENDS)('paced live deltas on %s', (backend) => {
  const INTERVAL_MS = 400;
  let stack: TestStack;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack(backend, { sidecar: { deltaIntervalMs: INTERVAL_MS } });
    token = await stack.token('0301');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('sends the batches that follow a delta within the interval as one delta per room, at most one per interval, with nothing lost', async () => {
    const compact = await stack.viewer({ overview: 'compact' });
    const room = await stack.viewer();
    const joined = await room.timeout(5000).emitWithAck('municipality:join', { number: '0301' });
    if (!joined.ok) throw new Error(joined.error);
    const held = (await stack.getJson('/api/v1/snapshot')).body as Snapshot;
    const patches: { at: number; patch: OverviewPatch }[] = [];
    const details: MunicipalityDelta[] = [];
    compact.on('overview:patch', (patch) => patches.push({ at: performance.now(), patch }));
    room.on('municipality:updated', (delta) => details.push(delta));
    // Quiet first, so the first report's delta goes out at once, on its own.
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS + 100));

    const districts = ['0501', '0502', '0503', '0504', '0505', '0506', '0402', '0403'];
    const seqs: number[] = [];
    for (const district of districts) {
      const created = await stack.postResult(token, makeResultReport({ municipality: '0301', district }));
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      seqs.push(created.body.seq as number);
    }
    const last = seqs.at(-1)!; // eight reports were posted
    await expect.poll(() => patches.at(-1)?.patch.seq, { timeout: 10_000 }).toBe(last);
    await expect.poll(() => details.at(-1)?.seq, { timeout: 10_000 }).toBe(last);

    expect(patches[0]!.patch.seq).toBe(seqs[0]); // the expect.poll above saw at least one
    // Eight batches (and the monitor's state changes) in fewer deltas, spaced by the interval (less a little for delivery jitter).
    expect(patches.length).toBeLessThan(districts.length);
    for (let i = 1; i < patches.length; i++) expect(patches[i]!.at - patches[i - 1]!.at).toBeGreaterThan(INTERVAL_MS - 50);
    // The chain holds, and applying it gives exactly the snapshot served.
    let state = held;
    for (const { patch } of patches) {
      expect(classifyDelta(state.seq, patch)).toBe('apply');
      state = applyOverviewPatch(state, patch);
    }
    const served = (await stack.getJson('/api/v1/snapshot')).body as Snapshot;
    expect({ ...state, clock: null, generatedAt: null }).toEqual({ ...served, clock: null, generatedAt: null });
    // The municipality room's merged deltas carry every district reported, and chain from the joined detail.
    let roomSeq = joined.detail.seq;
    for (const delta of details) {
      expect(classifyDelta(roomSeq, delta)).toBe('apply');
      roomSeq = delta.seq;
    }
    expect(details.length).toBeLessThan(districts.length);
    expect(new Set(details.flatMap((d) => d.districts.map((x) => x.number)))).toEqual(new Set(districts));
    expect(details.at(-1)!.municipality.districtsReported).toBe(joined.detail.municipality.districtsReported + districts.length);
  });
});
