// The stall monitor (stall detection's rules are lib/domain/stall-detection.ts; operators see its work on
// server/ops/stall-board.ts). Re-derives every municipality's state at the next instant some state can
// change by the clock alone (a threshold or schedule point, `findNextStateChange`; on the system clock, so a
// replay's simulated minutes count, at any pace), at least every evaluateEvery, and after applied batches of
// changes (those at one clock position share an evaluation), and records the transitions — with the alerts
// they raise or resolve, and alerts whose acknowledgement has expired — in the change log. Also samples the
// national transfer queue for the operations console.
import type { Logger } from 'pino';
import type { StateChangedPayload } from '../lib/contracts/changes.ts';
import type { Thresholds } from '../lib/contracts/thresholds.ts';
import { deriveStateFromFacts, findNextStateChange, summarizeMunicipality, type StateFacts } from '../lib/domain/stall-detection.ts';
import { computeOversightFollowUp } from '../lib/domain/oversight-follow-up.ts';
import type { OversightFollowUpChange, StateChangeBatch } from '../db/states.ts';
import type { ChangeFeed } from './change-feed.ts';
import { isSimulatedClock, type Clock } from './clock.ts';
import type { ElectionReadModel } from './read-model.ts';
import { computeFeedLateAt, computeFeedSource, decideFeedIncident, isStallHeldBack, type FeedIncidentAction } from '../lib/domain/feed-status.ts';

export interface QueueSample {
  at: string;
  depth: number;
}

export interface StallMonitor {
  /** Evaluates now; resolves with the number of changes recorded, once they are applied. */
  evaluate(): Promise<number>;
  /** Queue depth over time, one sample per evaluation (the last 24 hours of the system clock). */
  queueHistory(): QueueSample[];
  onEvaluated(listener: () => void): void;
  /** Municipalities whose transition into slow or stalled the feed's outage holds back (at the last evaluation). */
  heldStalls(): number;
  stop(): Promise<void>;
}

const HISTORY_SPAN_MS = 24 * 60 * 60_000;

export function createStallMonitor(deps: {
  model: ElectionReadModel;
  feed: ChangeFeed;
  clock: Clock;
  thresholds: Thresholds;
  pollsCloseAt: Date;
  record: (batch: StateChangeBatch, at: Date) => Promise<number>;
  /** Raises or resolves the official feed's one incident; returns the seq written (0: none). */
  recordFeedIncident?: (action: NonNullable<FeedIncidentAction>, at: Date) => Promise<number>;
  logger: Logger;
  /** Wall-clock polling of the system clock; evaluation happens when it has moved evaluateEvery. */
  pollMs?: number;
  /** Wall-clock pause after an evaluation before a change at the same clock position starts the next (default 500 ms). */
  pauseMs?: number;
}): StallMonitor {
  let running: Promise<number> | undefined;
  let lastEvaluatedAt = Number.NEGATIVE_INFINITY;
  let soon: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const history: QueueSample[] = [];
  const listeners: Array<() => void> = [];
  // A municipality's facts change only with its record, while its state also changes with the clock: a
  // replay moves the clock hundreds of times, and re-reading every record each time was most of the work.
  const facts = new Map<string, StateFacts>();
  // The earliest instant (system clock) at which some state can change by the clock alone; the monitor
  // wakes then, not on a fixed timer, so a backlog or stall is recorded at its threshold.
  let nextDeadline = Number.POSITIVE_INFINITY;
  let precise: ReturnType<typeof setTimeout> | undefined;
  let held = 0;

  // The feed's one incident first: an outage is one incident of the feed, and its health decides which
  // municipalities' stalls are the outage's (held back) rather than their own.
  async function judgeFeed(now: Date): Promise<void> {
    const action = decideFeedIncident(computeFeedSource(deps.model.feedStatus(), now), deps.model.feedIncident());
    if (!action || !deps.recordFeedIncident) return;
    const seq = await deps.recordFeedIncident(action, now);
    if (seq > 0) await deps.feed.waitFor(seq);
  }

  async function evaluateOnce(): Promise<number> {
    // This evaluation serves every change so far, one waiting for the pause to end included.
    clearTimeout(soon);
    soon = undefined;
    const now = deps.clock.now();
    lastEvaluatedAt = now.getTime();
    await judgeFeed(now);
    const feedStatus = deps.model.feedStatus();
    const feedHealth = computeFeedSource(feedStatus, now).feed?.health ?? null;
    let heldNow = 0;
    const transitions: StateChangedPayload[] = [];
    const reopen: number[] = [];
    const oversight: OversightFollowUpChange[] = [];
    let depth = 0;
    let deadline = Number.POSITIVE_INFINITY;
    // A silent watchdog makes the feed late at a known instant.
    if (feedStatus && computeFeedLateAt(feedStatus) > now.getTime()) deadline = computeFeedLateAt(feedStatus);
    for (const record of deps.model.records()) {
      let known = facts.get(record.ref.number);
      if (!known) facts.set(record.ref.number, (known = summarizeMunicipality(record)));
      const judge = (underReview: boolean) => deriveStateFromFacts(known, {
        thresholds: deps.thresholds, now, pollsCloseAt: deps.pollsCloseAt, arrival: record.ref.arrival ?? null,
        underReview, regression: record.regression, recountSince: record.recount?.at ?? null,
      });
      let derived = judge(record.oversight.underReview);
      // A mark whose cause has ended goes by itself, and an announced recount sets one; the state recorded
      // with it is the one the new mark gives.
      const followUp = computeOversightFollowUp(record, derived);
      if (followUp) {
        oversight.push({ municipality: record.ref.number, before: record.oversight, ...followUp });
        if (followUp.after.underReview !== record.oversight.underReview) derived = judge(followUp.after.underReview);
      }
      depth += derived.reconciliation.districtsPending;
      const next = findNextStateChange(known, {
        thresholds: deps.thresholds, now, pollsCloseAt: deps.pollsCloseAt, arrival: record.ref.arrival ?? null,
        underReview: record.oversight.underReview, regression: record.regression,
      });
      if (next !== null && next < deadline) deadline = next;
      if (derived.state !== record.state.state && isStallHeldBack(record.state.state, derived.state, feedHealth)) heldNow += 1;
      else if (derived.state !== record.state.state) {
        transitions.push({ municipality: record.ref.number, from: record.state.state, to: derived.state, since: derived.since, reason: derived.reason, reasonFacts: derived.reasonFacts });
      }
      const alert = record.activeAlert;
      if (alert?.status === 'acknowledged' && alert.ackExpiresAt) {
        const expires = Date.parse(alert.ackExpiresAt);
        if (expires <= now.getTime()) reopen.push(alert.id);
        else if (expires < deadline) deadline = expires;
      }
    }
    held = heldNow;
    nextDeadline = deadline;
    armDeadline();
    const last = history.at(-1);
    if (!last || last.at < now.toISOString()) history.push({ at: now.toISOString(), depth });
    for (let first = history[0]; first && Date.parse(first.at) < now.getTime() - HISTORY_SPAN_MS; first = history[0]) history.shift();
    if (transitions.length === 0 && reopen.length === 0 && oversight.length === 0) {
      listeners.forEach((listener) => listener());
      return 0;
    }
    const seq = await deps.record({ transitions, reopen, oversight }, now);
    // Wait until the model has the changes, so the next evaluation does not record them again.
    if (seq > 0) await deps.feed.waitFor(seq);
    listeners.forEach((listener) => listener());
    return transitions.length + reopen.length + oversight.length;
  }

  // A caller that arrives during an evaluation wants one that sees the present: it gets the next run, which
  // all such callers share.
  let following: Promise<number> | undefined;
  let lastFinished = Number.NEGATIVE_INFINITY;
  function evaluate(): Promise<number> {
    if (stopped) return Promise.resolve(0);
    if (running) {
      following ??= running.then(() => {
        following = undefined;
        return evaluate();
      });
      return following;
    }
    running = evaluateOnce()
      .catch((error) => {
        deps.logger.error({ err: error }, 'state evaluation failed; retrying on the next tick');
        return 0;
      })
      .finally(() => {
        running = undefined;
        lastFinished = performance.now();
      });
    return running;
  }

  // During a replay batches arrive hundreds of times a second, and evaluating all 357 municipalities after
  // each took most of the process's time from ingest. A change still gets an evaluation that starts after
  // it: at once when the clock has moved evaluateEvery since the last one (so each position of a replay's
  // jumping clock is judged) or when the monitor has rested for pauseMs of wall time; else when the pause
  // is over, shared by every change that arrives meanwhile.
  const pauseMs = deps.pauseMs ?? 500;
  const clockMoved = () => deps.clock.now().getTime() - lastEvaluatedAt >= deps.thresholds.evaluateEvery;
  const deadlinePassed = () => deps.clock.now().getTime() >= nextDeadline;

  // A wall-clock timer for the next deadline, scaled by a simulated clock's pace (a paused clock only moves
  // when set, which the poll below notices). evaluateEvery stays the longest the monitor rests, for the
  // queue history and as a safety net.
  function armDeadline(): void {
    clearTimeout(precise);
    precise = undefined;
    if (stopped) return;
    const pace = isSimulatedClock(deps.clock) ? deps.clock.speed() : 1;
    if (!(pace > 0)) return;
    const target = Math.min(nextDeadline, lastEvaluatedAt + deps.thresholds.evaluateEvery);
    // +1 ms: a simulated clock reports whole milliseconds, floored.
    const delay = Math.max(0, (target - deps.clock.now().getTime()) / pace) + 1;
    precise = setTimeout(() => {
      precise = undefined;
      if (deadlinePassed() || clockMoved()) void evaluate();
      else armDeadline();
    }, Math.min(delay, 2 ** 31 - 1));
    precise.unref?.();
  }
  function evaluateAfterChange(): void {
    if (stopped) return;
    if (clockMoved()) {
      void evaluate();
      return;
    }
    soon ??= setTimeout(() => {
      soon = undefined;
      void evaluate();
    }, Math.max(0, lastFinished + pauseMs - performance.now()));
  }

  // The poll notices a clock that was set (a replay steps a paused clock) or re-paced.
  const timer = setInterval(() => {
    if (deadlinePassed() || clockMoved()) void evaluate();
    // A clock set or re-paced since the timer was armed moves the deadline's wall time.
    else if (!running) armDeadline();
  }, deps.pollMs ?? 250);
  timer.unref();
  deps.feed.onBatch((batch) => {
    for (const municipality of batch.touched.keys()) facts.delete(municipality);
    // The monitor's own changes come back as a batch too; only other changes need a fresh look.
    // After the batch's other listeners: the viewers' deltas go out first, not behind 357 derivations.
    if (batch.kinds.some((kind) => kind === 'result.accepted' || kind === 'status.reported' || kind === 'oversight.changed' || kind === 'feed.status')) {
      queueMicrotask(evaluateAfterChange);
    }
  });

  return {
    evaluate,
    queueHistory: () => [...history],
    onEvaluated: (listener) => listeners.push(listener),
    heldStalls: () => held,
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(precise);
      clearTimeout(soon);
      await running;
    },
  };
}
