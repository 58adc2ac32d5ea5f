// When the state monitor evaluates after changes, on fake timers: every change gets an evaluation that starts
// after it — at once when the monitor has rested or the clock has moved on — and a burst shares one.
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChangeFeed } from '../../server/change-feed.ts';
import type { AppliedBatch, ElectionReadModel } from '../../server/read-model.ts';
import { createStateMonitor } from '../../server/state-monitor.ts';
import type { Thresholds } from '../../lib/contracts/thresholds.ts';

const NIGHT = new Date('2023-09-11T22:00:00+02:00');
const track = { slowAfter: 600_000, stallAfter: 1_200_000, backlogAfter: 900_000 };
const THRESHOLDS: Thresholds = {
  advance: { preliminary: track, final: track },
  election_day: { preliminary: track, final: track },
  regressedFor: 1_800_000,
  evaluateEvery: 60_000,
};

function setup(options: { pauseMs?: number; now?: () => Date } = {}) {
  const listeners: Array<(batch: AppliedBatch) => void> = [];
  const feed = { onBatch: (listener) => listeners.push(listener), waitFor: async () => {}, poke: () => {}, stop: async () => {} } as ChangeFeed;
  // No municipalities: what is evaluated does not matter here, only when.
  const model = { records: () => [][Symbol.iterator]() } as unknown as ElectionReadModel;
  const monitor = createStateMonitor({
    model, feed, clock: { now: options.now ?? (() => NIGHT) }, thresholds: THRESHOLDS, pollsCloseAt: NIGHT, record: async () => 0,
    logger: pino({ level: 'silent' }), pauseMs: options.pauseMs ?? 250,
  });
  const evaluatedAt: number[] = [];
  monitor.onEvaluated(() => evaluatedAt.push(performance.now()));
  const change = (kinds: AppliedBatch['kinds'] = ['result.accepted']) => listeners.forEach((listener) => listener({ prevSeq: 0, seq: 1, touched: new Map(), kinds }));
  return { monitor, evaluatedAt, change };
}

describe('state monitor after changes', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('evaluates at once after a change when idle, and once more after a burst, starting after its last change', async () => {
    const { monitor, evaluatedAt, change } = setup();
    change();
    await vi.advanceTimersByTimeAsync(0);
    expect(evaluatedAt).toHaveLength(1);

    let lastChange = 0;
    for (let i = 0; i < 20; i++) {
      change(['status.reported']);
      lastChange = performance.now();
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(evaluatedAt).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(evaluatedAt).toHaveLength(2);
    expect(evaluatedAt[1]).toBeGreaterThanOrEqual(lastChange);
    expect(evaluatedAt[1]! - evaluatedAt[0]!).toBeGreaterThanOrEqual(250);

    // Nothing new: no more evaluations (the system clock stands still); the monitor's own changes do not count.
    change(['state.changed']);
    await vi.advanceTimersByTimeAsync(2000);
    expect(evaluatedAt).toHaveLength(2);
    change(['oversight.changed']);
    await vi.advanceTimersByTimeAsync(250);
    expect(evaluatedAt).toHaveLength(3);
    await monitor.stop();
  });

  it('evaluates a change at a new clock position at once, even within the pause, and serves waiting changes with it', async () => {
    let now = NIGHT.getTime();
    const { monitor, evaluatedAt, change } = setup({ pauseMs: 1000, now: () => new Date(now) });
    const seenAt: number[] = [];
    monitor.onEvaluated(() => seenAt.push(now));
    change();
    await vi.advanceTimersByTimeAsync(0);
    change(); // same clock position: waits for the pause
    await vi.advanceTimersByTimeAsync(10);
    expect(evaluatedAt).toHaveLength(1);
    // A replay steps the clock a minute and reports: judged at the new position at once.
    now += 60_000;
    change();
    await vi.advanceTimersByTimeAsync(0);
    expect(seenAt).toEqual([NIGHT.getTime(), NIGHT.getTime() + 60_000]);
    // That evaluation also served the change that was waiting: no third one.
    await vi.advanceTimersByTimeAsync(2000);
    expect(evaluatedAt).toHaveLength(2);
    await monitor.stop();
  });

  it('drops a pending evaluation when stopped', async () => {
    const { monitor, evaluatedAt, change } = setup();
    change();
    await vi.advanceTimersByTimeAsync(0);
    change();
    await monitor.stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(evaluatedAt).toHaveLength(1);
  });
});
