// Re-derives every municipality's state on a timer (on the system clock, so a replay's simulated minutes
// count) and after every applied batch of changes, and records the transitions in the change log.
import type { Logger } from 'pino';
import type { StateChangedPayload } from '../lib/contracts/changes.ts';
import type { Thresholds } from '../lib/contracts/thresholds.ts';
import { deriveMunicipalityState } from '../lib/domain/municipality-state.ts';
import type { ChangeFeed } from './change-feed.ts';
import type { Clock } from './clock.ts';
import type { ElectionReadModel } from './read-model.ts';

export interface StateMonitor {
  /** Evaluates now; resolves when any transitions are recorded and applied. */
  evaluate(): Promise<number>;
  stop(): Promise<void>;
}

export function createStateMonitor(deps: {
  model: ElectionReadModel;
  feed: ChangeFeed;
  clock: Clock;
  thresholds: Thresholds;
  pollsCloseAt: Date;
  record: (changes: StateChangedPayload[], at: Date) => Promise<number>;
  logger: Logger;
  /** Wall-clock polling of the system clock; evaluation happens when it has moved evaluateEvery. */
  pollMs?: number;
}): StateMonitor {
  let running: Promise<number> | undefined;
  let again = false;
  let lastEvaluatedAt = Number.NEGATIVE_INFINITY;
  let stopped = false;

  async function evaluateOnce(): Promise<number> {
    const now = deps.clock.now();
    lastEvaluatedAt = now.getTime();
    const changes: StateChangedPayload[] = [];
    for (const record of deps.model.records()) {
      const derived = deriveMunicipalityState(record, {
        thresholds: deps.thresholds, now, pollsCloseAt: deps.pollsCloseAt, arrival: record.ref.arrival ?? null,
        underReview: false, regression: record.regression,
      });
      if (derived.state !== record.state.state) {
        changes.push({ municipality: record.ref.number, from: record.state.state, to: derived.state, since: derived.since, reason: derived.reason });
      }
    }
    if (changes.length === 0) return 0;
    const seq = await deps.record(changes, now);
    // Wait until the model has the transitions, so the next evaluation does not record them again.
    await deps.feed.waitFor(seq);
    return changes.length;
  }

  function evaluate(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = evaluateOnce()
      .catch((error) => {
        deps.logger.error({ err: error }, 'state evaluation failed; retrying on the next tick');
        return 0;
      })
      .finally(() => {
        running = undefined;
        if (again && !stopped) {
          again = false;
          void evaluate();
        }
      });
    return running;
  }

  const timer = setInterval(() => {
    if (deps.clock.now().getTime() - lastEvaluatedAt >= deps.thresholds.evaluateEvery) void evaluate();
  }, deps.pollMs ?? 250);
  timer.unref();
  deps.feed.onBatch((batch) => {
    // Our own transitions come back as a batch too; only other changes need a fresh look.
    if (batch.kinds.some((kind) => kind !== 'state.changed')) void evaluate();
  });

  return {
    evaluate,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
