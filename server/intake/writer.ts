// Group commit for the ingest API. Every report takes the change-log lock and pays a commit, so writing
// them one transaction each caps ingest at one commit (and a handful of round trips under the lock) per
// report. Here reports wait in a queue, and a transaction takes every report waiting at the moment it has
// the lock: a quiet system writes each report at once, a busy one writes bursts in a single commit.
// While one transaction holds the lock the next one already begins and queues for it, so its first round
// trip (begin and lock in one message, db/ingest.ts) overlaps the previous commit. Each report keeps its own
// outcome, decided in arrival order (lib/intake/decide.ts); if a batch's transaction fails as a whole, its
// reports are written one by one, so one bad report cannot take good ones down.
import type { Logger } from 'pino';
import { getPool, type Db } from '../../db/client.ts';
import { loadReferenceIds, recordIngestBatch } from '../../db/ingest.ts';
import type { IngestItem, IngestOutcome, ReferenceIds, WrittenChanges } from '../../lib/intake/decide.ts';

export interface WrittenReport {
  outcome: IngestOutcome;
  /** Wall-clock epoch milliseconds (with fraction) just after the report's transaction committed. */
  committedAt: number;
}

export interface IngestWriter {
  /** Resolves once the report's transaction has committed (or it was refused); rejects if writing failed. */
  write(item: IngestItem): Promise<WrittenReport>;
  /** Reports waiting for a transaction to take them (the group-commit queue depth). */
  queueDepth(): number;
}

/**
 * Writes, in one transaction, the items that `take` returns; `take` is called once the transaction holds
 * the change-log lock. One outcome per taken item, in order.
 */
export type RecordBatch = (take: () => readonly IngestItem[]) => Promise<IngestOutcome[]>;

interface Waiting {
  item: IngestItem;
  resolve: (written: WrittenReport) => void;
  reject: (error: unknown) => void;
}

/** Keeps one transaction reasonably short, so the change feed and others get the connection in between. */
const MAX_BATCH = 128;

const wallClockMs = () => performance.timeOrigin + performance.now();

export function createIngestWriter(deps: { record: RecordBatch; logger: Pick<Logger, 'warn'>; maxBatch?: number }): IngestWriter {
  const maxBatch = deps.maxBatch ?? MAX_BATCH;
  const queue: Waiting[] = [];
  /** Transactions begun and not finished: at most one holding the lock and one queued for it. */
  let inFlight = 0;
  /** A begun transaction has not taken its reports yet: it will take everything waiting. */
  let taking = false;

  async function writeOneByOne(batch: Waiting[]): Promise<void> {
    for (const waiting of batch) {
      let givenUp = false;
      try {
        const [outcome] = await deps.record(() => (givenUp ? [] : [waiting.item]));
        // record answers one outcome per item it was given, and it was given this one.
        waiting.resolve({ outcome: outcome!, committedAt: wallClockMs() });
      } catch (error) {
        givenUp = true;
        waiting.reject(error);
      }
    }
  }

  /** The reports a transaction takes once it holds the lock: everything waiting (up to maxBatch). */
  function claim(): Waiting[] {
    taking = false;
    const batch = queue.splice(0, maxBatch);
    begin();
    return batch;
  }

  async function writeBatch(): Promise<void> {
    let batch: Waiting[] | undefined;
    // A transaction given up on (say, timed out waiting for the lock) takes nothing if it gets the lock later.
    let givenUp = false;
    try {
      const outcomes = await deps.record(() => (givenUp ? [] : (batch = claim())).map((waiting) => waiting.item));
      const committedAt = wallClockMs();
      // One outcome per item, in the batch's order.
      batch?.forEach((waiting, i) => waiting.resolve({ outcome: outcomes[i]!, committedAt }));
    } catch (error) {
      givenUp = true;
      // One that failed before taking its reports (say, no connection) fails those it would have taken.
      const failed = batch ?? claim();
      if (failed.length === 1) failed[0]?.reject(error);
      else if (failed.length > 1) {
        deps.logger.warn({ err: error, reports: failed.length }, 'batch transaction failed; writing its reports one by one');
        await writeOneByOne(failed);
      }
    }
  }

  function begin(): void {
    if (queue.length === 0 || taking || inFlight >= 2) return;
    taking = true;
    inFlight += 1;
    void writeBatch().finally(() => {
      inFlight -= 1;
      begin();
    });
  }

  return {
    write(item) {
      return new Promise((resolve, reject) => {
        queue.push({ item, resolve, reject });
        begin();
      });
    },
    queueDepth: () => queue.length,
  };
}

/**
 * The sidecar's writer of ingest reports: group commit (`createIngestWriter`) over `recordIngestBatch`,
 * with the election's reference ids loaded with the first report (and again after a failed load). Each
 * committed batch's changes go to `onCommitted` as the log holds them, after the batch's answers are on
 * their way (null: they could not be handed over, so read them from the log).
 */
export function createReportWriter(deps: {
  db: Db; electionId: string; logger: Pick<Logger, 'warn'>; onCommitted: (written: WrittenChanges | null) => void;
}): IngestWriter {
  let references: Promise<ReferenceIds> | undefined;
  const loadReferences = () => (references ??= loadReferenceIds(deps.db, deps.electionId).catch((error) => {
    references = undefined;
    throw error;
  }));
  // setImmediate: after the microtasks that answer the batch's requests, so no acknowledgement waits for
  // the read model or the fan-out.
  const handOver = (written: WrittenChanges | null) => {
    if (!written) deps.logger.warn('a committed batch could not be handed to the read model as written; reading it from the log');
    setImmediate(() => deps.onCommitted(written));
  };
  return createIngestWriter({ record: async (take) => recordIngestBatch(getPool(deps.db), deps.electionId, await loadReferences(), take, handOver), logger: deps.logger });
}
