// The bookkeeping behind each room's (prevSeq, seq] chain (ARCHITECTURE.md, "The delta protocol"). Pure.
//
// A delta's claim "this is everything in the room that changed in (prevSeq, seq]" must be true, and a
// client that may have missed something must see a gap rather than a delta that seems to follow. So a
// chain only continues from deltas this sender itself built; when a node starts sending (start-up, or a new
// leader taking over from another node) every room starts again from the seq it has reached.

export class DeltaChains {
  private readonly last = new Map<string, number>();

  constructor(private startSeq: number) {}

  /** The prevSeq of the room's next delta, which ends at seq; from now on the room continues from seq. */
  advance(room: string, seq: number): number {
    const prevSeq = this.last.get(room) ?? this.startSeq;
    this.last.set(room, seq);
    return prevSeq;
  }

  /** Forgets every chain: each room's next delta starts from seq. */
  restart(seq: number): void {
    this.startSeq = seq;
    this.last.clear();
  }
}
