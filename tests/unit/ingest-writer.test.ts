// The group-commit writer's queueing, with a stand-in for the database: one transaction in flight, the
// reports that arrive meanwhile share the next one, each gets its own outcome, and a batch that fails as a
// whole is retried one report at a time so a bad report cannot take good ones down.
import { describe, expect, it } from 'vitest';
import type { IngestItem, IngestOutcome } from '../../db/ingest.ts';
import { createIngestWriter } from '../../server/ingest-writer.ts';

function item(municipality: string, version = 1): IngestItem {
  return {
    kind: 'result',
    input: {
      report: { municipality, district: '0101', category: 'election_day', stage: 'preliminary', version, countedAt: '2023-09-11T21:45:00+02:00', ballots: { counted: 1, rejected: 0, blank: 0 }, votes: {} },
      payloadHash: `${municipality}-${version}`, receivedAt: new Date(), credentialId: null, actor: 'test',
    },
  };
}
const name = (i: IngestItem) => i.input.report.municipality;

/** A stand-in database: each call waits until the test settles it, then decides or fails. */
function fakeDatabase() {
  const calls: Array<{ items: IngestItem[]; settle: (fail?: boolean) => void; settledAt?: number }> = [];
  let seq = 0;
  const waiters: Array<() => void> = [];
  const record = (items: IngestItem[]) =>
    new Promise<IngestOutcome[]>((resolve, reject) => {
      const call = {
        items,
        settle(fail = false) {
          call.settledAt = performance.timeOrigin + performance.now();
          if (fail || items.some((i) => name(i) === 'BAD')) reject(new Error('the transaction failed'));
          else resolve(items.map((i) => (name(i) === 'DUP' ? { kind: 'duplicate', seq: 1 } : { kind: 'created', seq: ++seq })));
        },
      } as (typeof calls)[number];
      calls.push(call);
      waiters.splice(0).forEach((wake) => wake());
    });
  /** Resolves once the writer has started its n-th transaction. */
  const started = async (n: number) => {
    while (calls.length < n) await new Promise<void>((resolve) => waiters.push(resolve));
    return calls[n - 1]!;
  };
  return { record, calls, started };
}

const quiet = { warn: () => {} };

describe('the group-commit writer', () => {
  it('writes a report at once when idle, and the reports that arrive meanwhile together in the next transaction, in order', async () => {
    const db = fakeDatabase();
    const writer = createIngestWriter({ record: db.record, logger: quiet });
    const first = writer.write(item('A'));
    expect(writer.queueDepth()).toBe(0);
    const rest = ['B', 'C', 'DUP', 'D'].map((m) => writer.write(item(m)));
    expect(writer.queueDepth()).toBe(4);

    (await db.started(1)).settle();
    expect(await first).toMatchObject({ outcome: { kind: 'created', seq: 1 } });
    const second = await db.started(2);
    expect(second.items.map(name)).toEqual(['B', 'C', 'DUP', 'D']);
    expect(writer.queueDepth()).toBe(0);
    second.settle();
    const written = await Promise.all(rest);
    expect(written.map((w) => w.outcome)).toEqual([{ kind: 'created', seq: 2 }, { kind: 'created', seq: 3 }, { kind: 'duplicate', seq: 1 }, { kind: 'created', seq: 4 }]);
    // One commit, one commit time, taken after the transaction finished.
    expect(new Set(written.map((w) => w.committedAt)).size).toBe(1);
    expect(written[0]!.committedAt).toBeGreaterThanOrEqual(second.settledAt!);
    expect(db.calls).toHaveLength(2);
  });

  it('caps a transaction at maxBatch reports and writes the rest in the following one', async () => {
    const db = fakeDatabase();
    const writer = createIngestWriter({ record: db.record, logger: quiet, maxBatch: 2 });
    const all = ['A', 'B', 'C', 'D'].map((m) => writer.write(item(m)));
    (await db.started(1)).settle();
    const second = await db.started(2);
    expect(second.items.map(name)).toEqual(['B', 'C']);
    second.settle();
    const third = await db.started(3);
    expect(third.items.map(name)).toEqual(['D']);
    third.settle();
    expect((await Promise.all(all)).map((w) => w.outcome.kind)).toEqual(['created', 'created', 'created', 'created']);
  });

  it('writes the reports of a failed batch one by one, so only the bad one fails', async () => {
    const db = fakeDatabase();
    const warnings: unknown[] = [];
    const writer = createIngestWriter({ record: db.record, logger: { warn: (...args: unknown[]) => warnings.push(args) } });
    const first = writer.write(item('A'));
    const batch = ['B', 'BAD', 'C'].map((m) => writer.write(item(m)).then((w) => w.outcome, (error: Error) => error.message));
    (await db.started(1)).settle();
    await first;
    (await db.started(2)).settle();
    for (let n = 3; n <= 5; n++) (await db.started(n)).settle();
    expect(await Promise.all(batch)).toEqual([{ kind: 'created', seq: 2 }, 'the transaction failed', { kind: 'created', seq: 3 }]);
    expect(db.calls.map((c) => c.items.map(name))).toEqual([['A'], ['B', 'BAD', 'C'], ['B'], ['BAD'], ['C']]);
    expect(warnings).toHaveLength(1);
  });

  it('fails a lone report whose transaction fails, and goes on with the next', async () => {
    const db = fakeDatabase();
    const writer = createIngestWriter({ record: db.record, logger: quiet });
    const lone = writer.write(item('A')).catch((error: Error) => error.message);
    const next = writer.write(item('B'));
    (await db.started(1)).settle(true);
    expect(await lone).toBe('the transaction failed');
    (await db.started(2)).settle();
    expect((await next).outcome).toEqual({ kind: 'created', seq: 1 });
    expect(db.calls).toHaveLength(2);
  });
});
