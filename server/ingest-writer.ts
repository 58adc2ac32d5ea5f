// Group commit for the ingest API. Every report takes the change-log lock and pays a commit (a disk flush on
// a server), so writing them one transaction each caps ingest at one commit per report. The writer keeps at
// most one transaction in flight; reports that arrive meanwhile wait and go together into the next one.
// A quiet system therefore writes each report at once, and a busy one writes bursts in a single commit.
// Each report keeps its own outcome, decided in arrival order (db/ingest.ts); if a batch's transaction
// fails as a whole, its reports are written one by one, so one bad report cannot take good ones down.
import type { Logger } from 'pino';
import type { IngestItem, IngestOutcome } from '../db/ingest.ts';

export interface WrittenReport {
  outcome: IngestOutcome;
  /** Wall-clock epoch milliseconds (with fraction) just after the report's transaction committed. */
  committedAt: number;
}

export interface IngestWriter {
  /** Resolves once the report's transaction has committed (or it was refused); rejects if writing failed. */
  write(item: IngestItem): Promise<WrittenReport>;
  /** Reports waiting for the next transaction (the group-commit queue depth). */
  queueDepth(): number;
}

interface Waiting {
  item: IngestItem;
  resolve: (written: WrittenReport) => void;
  reject: (error: unknown) => void;
}

/** Keeps one transaction reasonably short, so the change feed and others get the connection in between. */
const MAX_BATCH = 128;

const wallClockMs = () => performance.timeOrigin + performance.now();

export function createIngestWriter(deps: {
  /** Writes the items in one transaction; one outcome per item, in order. */
  record: (items: IngestItem[]) => Promise<IngestOutcome[]>;
  logger: Pick<Logger, 'warn'>;
  maxBatch?: number;
}): IngestWriter {
  const maxBatch = deps.maxBatch ?? MAX_BATCH;
  const queue: Waiting[] = [];
  let writing = false;

  async function writeOneByOne(batch: Waiting[]): Promise<void> {
    for (const waiting of batch) {
      try {
        const [outcome] = await deps.record([waiting.item]);
        waiting.resolve({ outcome: outcome!, committedAt: wallClockMs() });
      } catch (error) {
        waiting.reject(error);
      }
    }
  }

  async function drain(): Promise<void> {
    writing = true;
    while (queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      try {
        const outcomes = await deps.record(batch.map((waiting) => waiting.item));
        const committedAt = wallClockMs();
        batch.forEach((waiting, i) => waiting.resolve({ outcome: outcomes[i]!, committedAt }));
      } catch (error) {
        if (batch.length === 1) batch[0]!.reject(error);
        else {
          deps.logger.warn({ err: error, reports: batch.length }, 'batch transaction failed; writing its reports one by one');
          await writeOneByOne(batch);
        }
      }
    }
    writing = false;
  }

  return {
    write(item) {
      return new Promise((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (!writing) void drain();
      });
    },
    queueDepth: () => queue.length,
  };
}
