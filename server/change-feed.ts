// Keeps the read model level with the change log. A commit of another process or node "pokes" the feed;
// the feed reads what is new from the database in seq order and applies it. One pull at a time: pokes
// during a pull make one more pull, which is how bursts coalesce without adding latency. What this
// process wrote itself (the ingest writer's batches) is applied as written, never read back; what another
// process read is applied as offered. Either, arriving during a pull, waits for it and is applied after.
import type { ChangeEntry } from '../lib/contracts/changes.ts';
import type { AppliedBatch, ElectionReadModel } from './read-model.ts';

export interface ChangeFeed {
  poke(): void;
  /** Resolves once the read model has reached at least `seq`. */
  waitFor(seq: number): Promise<void>;
  onBatch(listener: (batch: AppliedBatch) => void): void;
  stop(): Promise<void>;
}

/** A feed whose reads other processes can share (the sidecar's roles on the embedded database). */
export interface SharedChangeFeed extends ChangeFeed {
  /** Every non-empty read from the log: what came after `prevSeq` (all of it, in order, up to a page). */
  onRead(listener: (prevSeq: number, changes: ChangeEntry[]) => void): void;
  /**
   * Changes another process read after `prevSeq`: every change of the log after it, in order, so a model
   * standing at or past `prevSeq` applies the rest at once (the same rows a read would return); during a
   * pull they wait for it to end; a model behind `prevSeq` makes a poke instead. Ignored if the model has
   * them all. Not told to `onRead` listeners (they came from one).
   */
  offer(prevSeq: number, changes: readonly ChangeEntry[]): void;
  /**
   * Changes this process has just committed, as the log now holds them: every change after `prevSeq` up to
   * the last, in order (lib/intake/decide.ts `toWrittenChanges`). Applied without a read when they follow
   * on from the model, and told to `onRead` listeners as a read would be; otherwise a poke reads them.
   */
  applyWritten(prevSeq: number, changes: readonly ChangeEntry[]): void;
}

export function createChangeFeed(
  model: ElectionReadModel,
  listSince: (seq: number, limit: number) => Promise<ChangeEntry[]>,
  onError: (error: unknown) => void,
  pageSize = 2000,
): SharedChangeFeed {
  const listeners: Array<(batch: AppliedBatch) => void> = [];
  const readListeners: Array<(prevSeq: number, changes: ChangeEntry[]) => void> = [];
  const waiters: Array<{ seq: number; resolve: () => void }> = [];
  let pulling: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  /** Offered and written changes that arrived during a pull: applied after it, in arrival order. */
  const waiting: Array<{ prevSeq: number; changes: readonly ChangeEntry[]; tell: boolean }> = [];

  async function pullUntilLevel(): Promise<void> {
    do {
      again = false;
      let changes: ChangeEntry[];
      do {
        const prevSeq = model.seq;
        changes = await listSince(prevSeq, pageSize);
        applyRead(changes);
        if (changes.length > 0) readListeners.forEach((listener) => listener(prevSeq, changes));
      } while (changes.length >= pageSize && !stopped);
    } while (again && !stopped);
  }

  function applyRead(changes: readonly ChangeEntry[]): void {
    const batch = model.apply(changes);
    if (batch) listeners.forEach((listener) => listener(batch));
    for (let i = waiters.length - 1; i >= 0; i--) {
      // i counts down from the last index; splice removes only at i.
      const waiter = waiters[i]!;
      if (waiter.seq <= model.seq) {
        waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  function poke(): void {
    if (stopped) return;
    if (pulling) {
      again = true;
      return;
    }
    pulling = pullUntilLevel()
      .catch(onError)
      .finally(() => {
        pulling = undefined;
        for (const entry of waiting.splice(0)) take(entry.prevSeq, entry.changes, entry.tell);
        if (again) poke();
      });
  }

  /** Applies changes known to be the log's after `prevSeq` when they follow on from the model; else a poke. */
  function take(prevSeq: number, changes: readonly ChangeEntry[], tell: boolean): void {
    const last = changes.at(-1);
    if (stopped || !last || last.seq <= model.seq) return;
    if (pulling) {
      waiting.push({ prevSeq, changes, tell });
      return;
    }
    if (model.seq < prevSeq) {
      poke();
      return;
    }
    // The model may be part of the way (prevSeq < model.seq < last): only the rest is news to others.
    const fresh = changes.filter((change) => change.seq > model.seq);
    const from = model.seq;
    // Called from the writer's hand-over and the supervisor's messages, outside any pull: a listener's
    // failure goes where a pull's does, rather than ending the process.
    try {
      applyRead(fresh);
      if (tell) readListeners.forEach((listener) => listener(from, fresh));
    } catch (error) {
      onError(error);
    }
  }

  return {
    poke,
    waitFor(seq) {
      if (seq <= model.seq) return Promise.resolve();
      const promise = new Promise<void>((resolve) => waiters.push({ seq, resolve }));
      poke();
      return promise;
    },
    onBatch(listener) {
      listeners.push(listener);
    },
    onRead(listener) {
      readListeners.push(listener);
    },
    offer(prevSeq, changes) {
      take(prevSeq, changes, false);
    },
    applyWritten(prevSeq, changes) {
      take(prevSeq, changes, true);
    },
    async stop() {
      stopped = true;
      await pulling;
    },
  };
}
