// How often the live role sends deltas (SIDECAR_DELTA_INTERVAL_MS, ARCHITECTURE.md "The read path"). Pure.
//
// Every delta costs each viewer a message: at 30 batches a second, 10,000 viewers are 300,000 messages a
// second, more than the sockets and the viewers' own clients can take, and every delta waits behind the
// ones before it. A delta covers (prevSeq, seq] and carries the current state of what changed, so the
// batches applied while the previous delta is recent can go out as one, with their touched municipalities
// merged: the first batch after a quiet interval goes out at once, later ones at most one delta per interval.

export interface PacedBatch {
  seq: number;
  /** The overview rooms get a delta for this batch (a feed status alone may concern no one). */
  overview: boolean;
  /** Municipality number → districts whose detail changed. */
  touched: ReadonlyMap<string, ReadonlySet<string>>;
  seatAreas: readonly string[];
}

/** The batches since the previous delta, as one: up to the newest seq, touched and seats merged. */
export interface MergedBatches {
  seq: number;
  overview: boolean;
  touched: Map<string, Set<string>>;
  seatAreas: string[];
}

export class DeltaPacer {
  private pending: MergedBatches | undefined;
  private lastSentAt = Number.NEGATIVE_INFINITY;

  /** minIntervalMs 0: every batch is due at once, as it arrives. */
  constructor(readonly minIntervalMs: number) {
    if (!Number.isFinite(minIntervalMs) || minIntervalMs < 0) throw new RangeError(`minIntervalMs must be a finite number ≥ 0, not ${minIntervalMs}`);
  }

  /** Adds an applied batch (in seq order) and says when what is pending is due: `now` or later, in the same clock. */
  add(batch: PacedBatch, now: number): number {
    const pending: MergedBatches = (this.pending ??= { seq: batch.seq, overview: false, touched: new Map(), seatAreas: [] });
    pending.seq = batch.seq;
    pending.overview ||= batch.overview;
    for (const [number, districts] of batch.touched) {
      const merged = pending.touched.get(number);
      if (merged) for (const district of districts) merged.add(district);
      else pending.touched.set(number, new Set(districts));
    }
    for (const area of batch.seatAreas) if (!pending.seatAreas.includes(area)) pending.seatAreas.push(area);
    return Math.max(now, this.lastSentAt + this.minIntervalMs);
  }

  /** Takes what is pending, to be sent now; the next interval starts now. Undefined when nothing is. */
  take(now: number): MergedBatches | undefined {
    const pending = this.pending;
    this.pending = undefined;
    if (pending) this.lastSentAt = now;
    return pending;
  }

  /** Drops what is pending (this node stopped sending; the next sender resends it). */
  clear(): void {
    this.pending = undefined;
  }
}
