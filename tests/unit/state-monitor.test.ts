// When the state monitor evaluates, on fake timers: a change (or a clock that moved) gets an evaluation that
// starts after it — at once when the monitor has rested — and a burst shares one evaluation.
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

  it('evaluates when the system clock has moved evaluateEvery, but no sooner than the pause allows', async () => {
    let now = NIGHT.getTime();
    const { monitor, evaluatedAt } = setup({ pauseMs: 1000, now: () => new Date(now) });
    // A replay at full speed: the clock jumps a minute every 50 ms; the timer polls every 250 ms.
    for (let i = 0; i < 40; i++) {
      now += 60_000;
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(evaluatedAt).toHaveLength(2);
    expect(evaluatedAt[1]! - evaluatedAt[0]!).toBeGreaterThanOrEqual(1000);
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
