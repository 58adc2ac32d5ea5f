// The snapshot's bytes, compressed once per seq rather than per request: at the peak every arriving
// viewer fetches it (about 0.5 MB of JSON), so gzip and brotli are computed once, shared by every request
// and every cache in front, and re-made when the seq moves on or the clock in the body is a second old
// (the body carries the sidecar's clock, which pages anchor their "now" on).
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import type { ContentCoding } from '../../lib/page-cache.ts';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** How old the clock reading in a served body may be (wall time) before it is re-made. */
export const SNAPSHOT_CLOCK_AGE_MS = 1000;

export interface SnapshotBodies {
  seq: number;
  madeAt: number;
  bodies: Record<ContentCoding, Buffer>;
}

export interface SnapshotSource {
  /** The model's seq now, cheaply. */
  currentSeq: () => number;
  /** The snapshot as served (with the clock of this moment). */
  serve: () => { seq: number; json: string };
}

export function createSnapshotBodies(source: SnapshotSource, now: () => number = Date.now): () => Promise<SnapshotBodies> {
  let current: SnapshotBodies | undefined;
  let making: Promise<SnapshotBodies> | undefined;

  async function make(): Promise<SnapshotBodies> {
    const { seq, json } = source.serve();
    const identity = Buffer.from(json, 'utf8');
    const [gzipped, brotli] = await Promise.all([
      gzipAsync(identity, { level: 6 }),
      brotliAsync(identity, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
    ]);
    current = { seq, madeAt: now(), bodies: { identity, gzip: gzipped, br: brotli } };
    return current;
  }

  return async () => {
    if (current && current.seq === source.currentSeq() && now() - current.madeAt < SNAPSHOT_CLOCK_AGE_MS) return current;
    // One compression at a time, however many requests arrive meanwhile.
    making ??= make().finally(() => { making = undefined; });
    return making;
  };
}
