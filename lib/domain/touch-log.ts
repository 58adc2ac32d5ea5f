// Which municipality changed when, by seq: the read model records every change it folds (from seq 0), so
// it can say what changed after any seq. Pure.

/**
 * Which municipalities changed after a given seq, as far as the log has been applied: what a new leader
 * must send again when the previous one's watermark says it sent deltas only up to that seq, and what a
 * viewer that holds an older seq must be sent to catch up (`overview:catch-up`).
 */
export class TouchLog {
  private readonly lastTouched = new Map<string, number>();

  record(seq: number, municipalities: Iterable<string>): void {
    for (const number of municipalities) this.lastTouched.set(number, seq);
  }

  touchedAfter(seq: number): string[] {
    return [...this.lastTouched].filter(([, touched]) => touched > seq).map(([number]) => number).sort();
  }
}
