import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_CLOCK_AGE_MS, createSnapshotBodies } from '../../server/http/snapshot-body.ts';

function source() {
  const state = { seq: 1, serves: 0 };
  return {
    state,
    currentSeq: () => state.seq,
    serve: () => {
      state.serves += 1;
      return { seq: state.seq, json: JSON.stringify({ seq: state.seq, serve: state.serves, filler: 'x'.repeat(2000) }) };
    },
  };
}

describe('createSnapshotBodies', () => {
  it('compresses once per seq, however many ask at once, and every coding holds the same body', async () => {
    const s = source();
    let now = 0;
    const bodies = createSnapshotBodies(s, () => now);
    const all = await Promise.all([bodies(), bodies(), bodies()]);
    expect(s.state.serves).toBe(1);
    expect(new Set(all).size).toBe(1);
    const { identity, gzip, br } = all[0]!.bodies;
    expect(gunzipSync(gzip).equals(identity)).toBe(true);
    expect(brotliDecompressSync(br).equals(identity)).toBe(true);
    expect(gzip.length).toBeLessThan(identity.length);
    now = SNAPSHOT_CLOCK_AGE_MS - 1;
    await bodies();
    expect(s.state.serves).toBe(1);
  });

  it('makes them again when the seq moves on or the clock in the body is a second old', async () => {
    const s = source();
    let now = 0;
    const bodies = createSnapshotBodies(s, () => now);
    await bodies();
    s.state.seq = 2;
    expect((await bodies()).seq).toBe(2);
    expect(s.state.serves).toBe(2);
    now = SNAPSHOT_CLOCK_AGE_MS;
    await bodies();
    expect(s.state.serves).toBe(3);
  });
});
