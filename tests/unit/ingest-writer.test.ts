// The group-commit writer's queueing, with a stand-in for the database whose lock the test hands out: a
// transaction takes every report waiting when it gets the lock, the next one begins while the lock is
// held, each report gets its own outcome, and a batch that fails as a whole is retried one report at a
// time so a bad report cannot take good ones down.
import { describe, expect, it } from 'vitest';
import type { IngestItem, IngestOutcome } from '../../lib/intake/decide.ts';
import { createIngestWriter } from '../../server/intake/writer.ts';

function item(municipality: string): IngestItem {
  return {
    kind: 'result',
    input: {
      report: { municipality, district: '0101', category: 'election_day', stage: 'preliminary', version: 1, countedAt: '2023-09-11T21:45:00+02:00', ballots: { counted: 1, rejected: 0, blank: 0 }, votes: {} },
      payloadHash: municipality, receivedAt: new Date(), credentialId: null, actor: 'test',
    },
  };
}
const name = (i: IngestItem) => (i.kind === 'results' ? i.inputs[0]?.report.municipality ?? '' : i.input.report.municipality);

interface Transaction {
  /** Grants the lock: the transaction takes its reports; returns their names. */
  lock(): string[];
  /** Commits (or fails, if told to or if it holds a report named BAD). */
  settle(fail?: boolean): void;
  /** Fails before it has the lock. */
  fail(): void;
  taken?: string[];
  settledAt?: number;
}

/** A stand-in database: each transaction waits until the test hands it the lock and then settles it. */
function fakeDatabase() {
  const transactions: Transaction[] = [];
  const wake: Array<() => void> = [];
  let seq = 0;
  const record = (take: () => readonly IngestItem[]) =>
    new Promise<IngestOutcome[]>((resolve, reject) => {
      let items: readonly IngestItem[] = [];
      const transaction: Transaction = {
        lock() {
          items = take();
          transaction.taken = items.map(name);
          return transaction.taken;
        },
        settle(fail = false) {
          transaction.settledAt = performance.timeOrigin + performance.now();
          if (fail || items.some((i) => name(i) === 'BAD')) reject(new Error('the transaction failed'));
          else resolve(items.map((i) => (name(i) === 'DUP' ? { kind: 'duplicate', seq: 1 } : { kind: 'created', seq: ++seq })));
        },
        fail: () => reject(new Error('no connection')),
      };
      transactions.push(transaction);
      wake.splice(0).forEach((w) => w());
    });
  /** Resolves once the writer has begun its n-th transaction. */
  const begun = async (n: number) => {
    while (transactions.length < n) await new Promise<void>((resolve) => wake.push(resolve));
    return transactions[n - 1]!;
  };
  return { record, transactions, begun };
}

const quiet = { warn: () => {} };

describe('the group-commit writer', () => {
  it('writes a report at once when idle, and the reports that arrive meanwhile together in the next transaction, in order', async () => {
    const db = fakeDatabase();
    const writer = createIngestWriter({ record: db.record, logger: quiet });
    const first = writer.write(item('A'));
    const one = await db.begun(1);
    expect(one.lock()).toEqual(['A']);
    const rest = ['B', 'C', 'DUP', 'D'].map((m) => writer.write(item(m)));
    // The next transaction begins (and would queue for the lock) at once, and takes all four when it gets the lock.
    const two = await db.begun(2);
    expect(writer.queueDepth()).toBe(4);
    one.settle();
    expect(await first).toMatchObject({ outcome: { kind: 'created', seq: 1 } });
    expect(two.lock()).toEqual(['B', 'C', 'DUP', 'D']);
    expect(writer.queueDepth()).toBe(0);
    two.settle();
    const written = await Promise.all(rest);
    expect(written.map((w) => w.outcome)).toEqual([{ kind: 'created', seq: 2 }, { kind: 'created', seq: 3 }, { kind: 'duplicate', seq: 1 }, { kind: 'created', seq: 4 }]);
    // One commit, one commit time, taken after the transaction finished.
    expect(new Set(written.map((w) => w.committedAt)).size).toBe(1);
    expect(written[0]!.committedAt).toBeGreaterThanOrEqual(two.settledAt!);
    expect(db.transactions).toHaveLength(2);
  });

  it('keeps at most one transaction waiting for the lock besides the one holding it, and caps a batch at maxBatch', async () => {
    const db = fakeDatabase();
    const writer = createIngestWriter({ record: db.record, logger: quiet, maxBatch: 2 });
    const all = ['A', 'B', 'C', 'D', 'E'].map((m) => writer.write(item(m)));
    expect(db.transactions).toHaveLength(1);
    const one = db.transactions[0]!;
    expect(one.lock()).toEqual(['A', 'B']);
    const two = await db.begun(2);
    expect(two.lock()).toEqual(['C', 'D']);
    expect(db.transactions).toHaveLength(2); // E waits for a free slot
    one.settle();
    const three = await db.begun(3);
    two.settle();
    expect(three.lock()).toEqual(['E']);
    three.settle();
    expect((await Promise.all(all)).map((w) => w.outcome.kind)).toEqual(['created', 'created', 'created', 'created', 'created']);
  });

  it('writes the reports of a failed batch one by one, so only the bad one fails', async () => {
    const db = fakeDatabase();
    const warnings: unknown[] = [];
    const writer = createIngestWriter({ record: db.record, logger: { warn: (...args: unknown[]) => warnings.push(args) } });
    const batch = ['B', 'BAD', 'C'].map((m) => writer.write(item(m)).then((w) => w.outcome, (error: Error) => error.message));
    const one = await db.begun(1);
    expect(one.lock()).toEqual(['B', 'BAD', 'C']);
    one.settle();
    for (let n = 2; n <= 4; n++) {
      const alone = await db.begun(n);
      alone.lock();
      alone.settle();
    }
    expect(await Promise.all(batch)).toEqual([{ kind: 'created', seq: 1 }, 'the transaction failed', { kind: 'created', seq: 2 }]);
    expect(db.transactions.map((t) => t.taken)).toEqual([['B', 'BAD', 'C'], ['B'], ['BAD'], ['C']]);
    expect(warnings).toHaveLength(1);
  });

  it('fails a lone report whose transaction fails before it has the lock, and goes on with the next', async () => {
    const db = fakeDatabase();
    const writer = createIngestWriter({ record: db.record, logger: quiet });
    const lone = writer.write(item('A')).catch((error: Error) => error.message);
    const one = await db.begun(1);
    one.fail();
    expect(await lone).toBe('no connection');
    // Given up on, it takes nothing should it still get the lock.
    const late = writer.write(item('LATE')).catch((error: Error) => error.message);
    expect(one.lock()).toEqual([]);
    (await db.begun(2)).fail();
    expect(await late).toBe('no connection');
    const next = writer.write(item('B'));
    const three = await db.begun(3);
    expect(three.lock()).toEqual(['B']);
    three.settle();
    expect((await next).outcome).toEqual({ kind: 'created', seq: 1 });
  });

  it('writes one by one the reports a transaction would have taken when it fails before it has the lock', async () => {
    const db = fakeDatabase();
    const writer = createIngestWriter({ record: db.record, logger: quiet });
    const both = ['A', 'B'].map((m) => writer.write(item(m)));
    (await db.begun(1)).fail();
    for (let n = 2; n <= 3; n++) {
      const alone = await db.begun(n);
      alone.lock();
      alone.settle();
    }
    expect((await Promise.all(both)).map((w) => w.outcome)).toEqual([{ kind: 'created', seq: 1 }, { kind: 'created', seq: 2 }]);
    expect(db.transactions.map((t) => t.taken)).toEqual([undefined, ['A'], ['B']]);
  });
});
