// The change feed shares its reads: a process applies what another read from the log when it follows on
// from its own model, and reads for itself when it does not.
import { describe, expect, it, vi } from 'vitest';
import type { ChangeEntry } from '../../lib/contracts/changes.ts';
import { createChangeFeed } from '../../server/change-feed.ts';
import type { AppliedBatch, ElectionReadModel } from '../../server/read-model.ts';

/** Only what the feed uses of a model: its seq and apply (changes after it). */
function fakeModel(): ElectionReadModel {
  const model = {
    seq: 0,
    apply(changes: readonly ChangeEntry[]): AppliedBatch | null {
      const fresh = changes.filter((change) => change.seq > model.seq);
      if (fresh.length === 0) return null;
      const prevSeq = model.seq;
      model.seq = fresh.at(-1)!.seq;
      return { prevSeq, seq: model.seq, touched: new Map(), kinds: fresh.map((change) => change.kind), seatAreas: [], sourceChanged: false };
    },
  };
  return model as unknown as ElectionReadModel;
}

const change = (seq: number) => ({ seq, kind: 'status.reported', actor: 't', at: '2023-09-11T20:00:00.000Z', payload: {} }) as unknown as ChangeEntry;

function setUp(log: ChangeEntry[]) {
  const model = fakeModel();
  const reads: number[] = [];
  const feed = createChangeFeed(model, async (seq) => {
    reads.push(seq);
    return log.filter((entry) => entry.seq > seq);
  }, (error) => { throw error; });
  const batches: Array<[number, number]> = [];
  feed.onBatch((batch) => batches.push([batch.prevSeq, batch.seq]));
  return { model, feed, reads, batches };
}

describe('change feed: shared reads', () => {
  it('applies changes that follow on from its model without reading', () => {
    const { model, feed, reads, batches } = setUp([]);
    feed.offer(0, [change(1), change(2)]);
    expect(model.seq).toBe(2);
    expect(batches).toEqual([[0, 2]]);
    expect(reads).toEqual([]);
  });

  it('applies only the changes it lacks when its model is part of the way', () => {
    const { model, feed, reads, batches } = setUp([]);
    feed.offer(0, [change(1)]);
    feed.offer(0, [change(1), change(2), change(3)]);
    feed.offer(1, [change(2)]);
    expect(model.seq).toBe(3);
    expect(batches).toEqual([[0, 1], [1, 3]]);
    expect(reads).toEqual([]);
  });

  it('reads for itself when the changes do not follow on from its model', async () => {
    const { model, feed, reads } = setUp([change(1), change(2), change(3)]);
    feed.offer(2, [change(3)]);
    await feed.waitFor(3);
    expect(model.seq).toBe(3);
    expect(reads[0]).toBe(0);
  });

  it('tells its listeners what it read, after which seq', async () => {
    const { feed } = setUp([change(1), change(2)]);
    const read: Array<[number, number[]]> = [];
    feed.onRead((prevSeq, changes) => read.push([prevSeq, changes.map((c) => c.seq)]));
    await feed.waitFor(2);
    expect(read).toEqual([[0, [1, 2]]]);
  });
});

describe('change feed: what this process wrote', () => {
  it('applies its own committed changes without reading them back, and tells the processes that share its reads', () => {
    const { model, feed, reads, batches } = setUp([]);
    const told: Array<[number, number[]]> = [];
    feed.onRead((prevSeq, changes) => told.push([prevSeq, changes.map((c) => c.seq)]));
    feed.applyWritten(0, [change(1), change(2)]);
    expect(model.seq).toBe(2);
    expect(batches).toEqual([[0, 2]]);
    expect(reads).toEqual([]);
    expect(told).toEqual([[0, [1, 2]]]);
  });

  it('tells only what was news when the model was part of the way', () => {
    const { feed } = setUp([]);
    const told: Array<[number, number[]]> = [];
    feed.onRead((prevSeq, changes) => told.push([prevSeq, changes.map((c) => c.seq)]));
    feed.offer(0, [change(1)]);
    feed.applyWritten(0, [change(1), change(2)]);
    expect(told).toEqual([[1, [2]]]);
  });

  it('reads them when they do not follow on (a change it has not seen lies before them)', async () => {
    const { model, feed, reads } = setUp([change(1), change(2), change(3)]);
    feed.applyWritten(2, [change(3)]);
    await vi.waitFor(() => expect(model.seq).toBe(3));
    expect(reads).toEqual([0]);
  });
});

describe('change feed: a failing listener', () => {
  it('reports a listener that throws on written changes to onError, like a failed pull, instead of throwing', () => {
    const model = fakeModel();
    const errors: unknown[] = [];
    const feed = createChangeFeed(model, async () => [], (error) => errors.push(error));
    feed.onBatch(() => {
      throw new Error('listener broke');
    });
    expect(() => feed.applyWritten(0, [change(1)])).not.toThrow();
    expect(model.seq).toBe(1);
    expect(errors).toEqual([new Error('listener broke')]);
  });
});

describe('change feed: during a pull', () => {
  it('keeps what is offered or written while it reads, and applies it after the read without another', async () => {
    const log = [change(1)];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const model = fakeModel();
    const reads: number[] = [];
    const feed = createChangeFeed(model, async (seq) => {
      reads.push(seq);
      await gate;
      return log.filter((entry) => entry.seq > seq);
    }, (error) => { throw error; });
    const batches: Array<[number, number]> = [];
    feed.onBatch((batch) => batches.push([batch.prevSeq, batch.seq]));
    feed.poke();
    // While the read of seq 1 is under way, seqs 2 and 3 arrive from another process and from this one's writer.
    feed.offer(1, [change(2)]);
    feed.applyWritten(2, [change(3)]);
    expect(model.seq).toBe(0);
    release();
    await vi.waitFor(() => expect(model.seq).toBe(3));
    expect(batches).toEqual([[0, 1], [1, 2], [2, 3]]);
    expect(reads).toEqual([0]);
  });
});
