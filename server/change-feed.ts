// Keeps the read model level with the change log. Every commit (ours or, later, another node's) only
// "pokes" the feed; the feed reads what is new from the database in seq order and applies it. One pull at
// a time: pokes during a pull make one more pull, which is how bursts coalesce without adding latency.
import type { ChangeEntry } from '../lib/contracts/changes.ts';
import type { AppliedBatch, ElectionReadModel } from './read-model.ts';

export interface ChangeFeed {
  poke(): void;
  /** Resolves once the read model has reached at least `seq`. */
  waitFor(seq: number): Promise<void>;
  onBatch(listener: (batch: AppliedBatch) => void): void;
  stop(): Promise<void>;
}

export function createChangeFeed(
  model: ElectionReadModel,
  listSince: (seq: number, limit: number) => Promise<ChangeEntry[]>,
  onError: (error: unknown) => void,
  pageSize = 2000,
): ChangeFeed {
  const listeners: Array<(batch: AppliedBatch) => void> = [];
  const waiters: Array<{ seq: number; resolve: () => void }> = [];
  let pulling: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  async function pullUntilLevel(): Promise<void> {
    do {
      again = false;
      let changes: ChangeEntry[];
      do {
        changes = await listSince(model.seq, pageSize);
        const batch = model.apply(changes);
        if (batch) listeners.forEach((listener) => listener(batch));
      } while (changes.length >= pageSize && !stopped);
      for (let i = waiters.length - 1; i >= 0; i--) {
        const waiter = waiters[i]!;
        if (waiter.seq <= model.seq) {
          waiters.splice(i, 1);
          waiter.resolve();
        }
      }
    } while (again && !stopped);
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
        if (again) poke();
      });
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
    async stop() {
      stopped = true;
      await pulling;
    },
  };
}
