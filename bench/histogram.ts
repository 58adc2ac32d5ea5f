// A mergeable latency histogram in milliseconds, so load processes can aggregate millions of
// (viewer, report) samples and ship a few hundred buckets instead of the samples. Buckets are 0.1 ms wide
// below 100 ms and 1 % wide above: percentiles are good to a tenth of a millisecond where latencies are
// small and to 1 % where they are large.

const LINEAR_LIMIT_MS = 100;
const LINEAR_STEP_MS = 0.1;
const LINEAR_BUCKETS = Math.round(LINEAR_LIMIT_MS / LINEAR_STEP_MS);
const LOG_GROWTH = 1.01;
const LOG_BASE = Math.log(LOG_GROWTH);

export function bucketOf(valueMs: number): number {
  if (valueMs < LINEAR_LIMIT_MS) return Math.floor(valueMs / LINEAR_STEP_MS);
  return LINEAR_BUCKETS + Math.floor(Math.log(valueMs / LINEAR_LIMIT_MS) / LOG_BASE);
}

/** The value a bucket stands for: the middle of its range. */
export function bucketValue(bucket: number): number {
  if (bucket < LINEAR_BUCKETS) return (bucket + 0.5) * LINEAR_STEP_MS;
  return LINEAR_LIMIT_MS * LOG_GROWTH ** (bucket - LINEAR_BUCKETS + 0.5);
}

export interface HistogramData {
  /** [bucket, count] pairs, sparse. */
  buckets: Array<[number, number]>;
  total: number;
  sum: number;
  min: number | null;
  max: number | null;
  /** Samples below zero, counted as zero (clock skew between the commit stamp and the arrival). */
  negative: number;
}

export class Histogram {
  private readonly counts = new Map<number, number>();
  total = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  negative = 0;

  add(valueMs: number, count = 1): void {
    if (count <= 0 || !Number.isFinite(valueMs)) return;
    let value = valueMs;
    if (value < 0) {
      this.negative += count;
      value = 0;
    }
    const bucket = bucketOf(value);
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + count);
    this.total += count;
    this.sum += value * count;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  /** Adds every sample of `other` moved by `shiftMs` (e.g. arrival offsets turned into latencies). */
  addShifted(other: Histogram | HistogramData, shiftMs: number): void {
    const data = other instanceof Histogram ? other.toJSON() : other;
    for (const [bucket, count] of data.buckets) {
      const value = bucketValue(bucket) + shiftMs;
      this.add(value, count);
    }
  }

  merge(other: Histogram | HistogramData): void {
    const data = other instanceof Histogram ? other.toJSON() : other;
    for (const [bucket, count] of data.buckets) this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + count);
    this.total += data.total;
    this.sum += data.sum;
    this.negative += data.negative;
    if (data.min !== null && data.min < this.min) this.min = data.min;
    if (data.max !== null && data.max > this.max) this.max = data.max;
  }

  /** The value at percentile p (0–100): the smallest bucket holding at least p % of the samples. */
  percentile(p: number): number | null {
    if (this.total === 0) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (const [bucket, count] of [...this.counts].sort(([a], [b]) => a - b)) {
      seen += count;
      if (seen >= rank) return Math.min(this.max, Math.max(this.min, bucketValue(bucket)));
    }
    return this.max;
  }

  mean(): number | null {
    return this.total === 0 ? null : this.sum / this.total;
  }

  toJSON(): HistogramData {
    return {
      buckets: [...this.counts.entries()].sort((a, b) => a[0] - b[0]),
      total: this.total,
      sum: this.sum,
      min: this.total ? this.min : null,
      max: this.total ? this.max : null,
      negative: this.negative,
    };
  }

  static fromJSON(data: HistogramData): Histogram {
    const histogram = new Histogram();
    histogram.merge(data);
    return histogram;
  }
}
