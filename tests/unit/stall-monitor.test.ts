// When the stall monitor evaluates after changes, on fake timers: every change gets an evaluation that starts
// after it — at once when the monitor has rested or the clock has moved on — and a burst shares one.
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChangeFeed } from '../../server/change-feed.ts';
import type { AppliedBatch, ElectionReadModel } from '../../server/read-model.ts';
import { createStallMonitor } from '../../server/stall-monitor.ts';
import type { Thresholds } from '../../lib/contracts/thresholds.ts';
import { applyAcceptedResult, applyLocalCounts, createMunicipalityRecord } from '../../lib/domain/municipality.ts';
import { createSimulatedClock } from '../../server/clock.ts';
import type { StateChangeBatch } from '../../db/states.ts';
import type { FeedIncident, FeedStatusPayload } from '../../lib/contracts/feed-status.ts';

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
  const model = { records: () => [][Symbol.iterator](), feedStatus: () => null, feedIncident: () => null } as unknown as ElectionReadModel;
  const monitor = createStallMonitor({
    model, feed, clock: { now: options.now ?? (() => NIGHT) }, thresholds: THRESHOLDS, pollsCloseAt: NIGHT, record: async () => 0,
    logger: pino({ level: 'silent' }), pauseMs: options.pauseMs ?? 250,
  });
  const evaluatedAt: number[] = [];
  monitor.onEvaluated(() => evaluatedAt.push(performance.now()));
  const change = (kinds: AppliedBatch['kinds'] = ['result.accepted']) => listeners.forEach((listener) => listener({ prevSeq: 0, seq: 1, touched: new Map(), kinds, seatAreas: [], sourceChanged: false }));
  return { monitor, evaluatedAt, change };
}

describe('stall monitor after changes', () => {
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

describe('stall monitor: what it judges', () => {
  // One municipality: the advance unit and two districts; no arrival curve, so only silence counts.
  function setupRecord(feedStatus: () => FeedStatusPayload | null = () => null) {
    const record = createMunicipalityRecord(
      { number: '4601', name: 'Bergen', countyNumber: '46', countyName: 'Vestland', electorate: 1000, councilSize: 67, expectedTurnout: 60, watch: false },
      [
        { number: '0000', name: 'Forhånd', electorate: 0, kind: 'advance' },
        { number: '0101', name: 'Krets 1', electorate: 500, kind: 'election_day' },
        { number: '0102', name: 'Krets 2', electorate: 500, kind: 'election_day' },
      ],
      [{ code: 'A', name: 'Arbeiderpartiet' }],
    );
    const listeners: Array<(batch: AppliedBatch) => void> = [];
    const feed = { onBatch: (listener) => listeners.push(listener), waitFor: async () => {}, poke: () => {}, stop: async () => {} } as ChangeFeed;
    let incident: FeedIncident | null = null;
    const model = { records: () => [record][Symbol.iterator](), feedStatus, feedIncident: () => incident } as unknown as ElectionReadModel;
    let now = NIGHT.getTime();
    const recorded: StateChangeBatch[] = [];
    const incidents: string[] = [];
    const monitor = createStallMonitor({
      model, feed, clock: { now: () => new Date(now) }, thresholds: THRESHOLDS, pollsCloseAt: NIGHT,
      // The model takes the recorded state, as the change feed would fold it.
      record: async (batch) => {
        recorded.push(batch);
        for (const t of batch.transitions) record.state = { state: t.to, since: t.since, reason: t.reason };
        return 0;
      },
      recordFeedIncident: async (action) => {
        incidents.push(action.kind);
        incident = action.kind === 'raise'
          ? { id: 1, kind: 'feed_down', reason: action.reason, status: 'open', since: action.since, raisedAt: new Date(now).toISOString(), acknowledgedAt: null, acknowledgedBy: null, ackText: null, resolvedAt: null }
          : null;
        return 0;
      },
      logger: pino({ level: 'silent' }), pauseMs: 0,
    });
    const result = (district: string, category: 'advance' | 'election_day') => {
      const at = new Date(now).toISOString();
      applyAcceptedResult(record, district, { category, stage: 'preliminary', version: 1, countedAt: at, receivedAt: at, ballotsCounted: 10, ballotsRejected: 0, ballotsBlank: 0, votes: { A: 10 } });
      listeners.forEach((listener) => listener({ prevSeq: 0, seq: 1, touched: new Map([['4601', new Set([district])]]), kinds: ['result.accepted'], seatAreas: [], sourceChanged: false }));
    };
    return { monitor, recorded, result, incidents, advance: (ms: number) => (now += ms), states: () => recorded.flatMap((b) => b.transitions.map((t) => t.to)) };
  }

  const feedStatus = (state: FeedStatusPayload['state'], at: Date): FeedStatusPayload => ({
    source: 'valgresultat.no', base: 'https://valgresultat.no', election: '2023/k', at: at.toISOString(), receivedAt: at.toISOString(), state, intervalSeconds: 15,
    lastPollAt: at.toISOString(), lastGoodPollAt: null, consecutiveFailures: state === 'down' ? 3 : 0, errors: 0, lagSeconds: null,
    outageSince: state === 'down' ? at.toISOString() : null, unreadable: [],
  });

  it('while the feed is down: one incident, no new stall, and the stall recorded once the feed is back', async () => {
    let status: FeedStatusPayload | null = null;
    const { monitor, result, advance, states, incidents } = setupRecord(() => status);
    result('0101', 'election_day');
    await monitor.evaluate();
    expect(states()).toEqual(['counting']);
    // The feed goes down 5 minutes later and stays down, its watchdog reporting every round.
    advance(5 * 60_000);
    for (let minute = 0; minute < 20; minute += 1) {
      status = feedStatus('down', new Date(NIGHT.getTime() + 5 * 60_000 + minute * 60_000));
      await monitor.evaluate();
      advance(60_000);
    }
    expect(incidents).toEqual(['raise']);
    expect(states()).toEqual(['counting']);
    expect(monitor.heldStalls()).toBe(1);
    // Back: the incident is resolved and the municipality, still silent, is stalled on its own.
    status = feedStatus('ok', new Date(NIGHT.getTime() + 25 * 60_000));
    await monitor.evaluate();
    expect(incidents).toEqual(['raise', 'resolve']);
    expect(states()).toEqual(['counting', 'stalled']);
    expect(monitor.heldStalls()).toBe(0);
    await monitor.stop();
  });

  it('a watchdog that falls silent makes the feed late: the same one incident and held stalls', async () => {
    const status = feedStatus('ok', new Date(NIGHT.getTime() + 60_000));
    const { monitor, result, advance, states, incidents } = setupRecord(() => status);
    result('0101', 'election_day');
    await monitor.evaluate();
    advance(44_000 + 60_000);
    await monitor.evaluate();
    expect(incidents).toEqual([]);
    advance(1000);
    await monitor.evaluate();
    expect(incidents).toEqual(['raise']);
    advance(30 * 60_000);
    await monitor.evaluate();
    expect(incidents).toEqual(['raise']);
    expect(states()).toEqual(['counting']);
    await monitor.stop();
  });

  it('a stall that began before the outage stays and escalates', async () => {
    let status: FeedStatusPayload | null = null;
    const { monitor, result, advance, states } = setupRecord(() => status);
    result('0101', 'election_day');
    await monitor.evaluate();
    advance(11 * 60_000);
    await monitor.evaluate();
    expect(states()).toEqual(['counting', 'slow']);
    status = feedStatus('down', new Date(NIGHT.getTime() + 11 * 60_000));
    advance(10 * 60_000);
    status = feedStatus('down', new Date(NIGHT.getTime() + 21 * 60_000));
    await monitor.evaluate();
    expect(states()).toEqual(['counting', 'slow', 'stalled']);
    await monitor.stop();
  });

  it('judges a changed record by its new results, and an unchanged one again as the clock moves', async () => {
    const { monitor, result, advance, states } = setupRecord();
    await monitor.evaluate();
    expect(states()).toEqual([]);
    result('0101', 'election_day');
    await monitor.evaluate();
    expect(states()).toEqual(['counting']);
    // Nothing new for 20 minutes (stalled after 20): the same results, judged at a later time.
    advance(20 * 60_000);
    await monitor.evaluate();
    expect(states()).toEqual(['counting', 'stalled']);
    result('0000', 'advance');
    result('0102', 'election_day');
    await monitor.evaluate();
    expect(states()).toEqual(['counting', 'stalled', 'complete']);
    await monitor.stop();
  });
});

describe('stall monitor deadlines', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  // One district counted locally 20 s before 22:00 and never received: backlog from 22:14:40 (backlogAfter
  // 15 min), which is neither on the 250 ms poll's nor on evaluateEvery's (60 s) grid.
  function backlogNight(speed: number) {
    const record = createMunicipalityRecord(
      { number: '4601', name: 'Bergen', countyNumber: '46', countyName: 'Vestland', electorate: 1000, councilSize: 67, expectedTurnout: 60, watch: false },
      [{ number: '0101', name: 'Krets', electorate: 1000, kind: 'election_day' }],
      [{ code: 'A', name: 'A' }],
    );
    applyLocalCounts(record, ['0101'], new Date(NIGHT.getTime() - 20_000).toISOString());
    const clock = createSimulatedClock(new Date(NIGHT.getTime() + 14 * 60_000), speed, () => performance.now());
    const recorded: Array<{ at: Date; batch: StateChangeBatch }> = [];
    const feed = { onBatch: () => {}, waitFor: async () => {}, poke: () => {}, stop: async () => {} } as unknown as ChangeFeed;
    const model = { records: () => [record][Symbol.iterator](), feedStatus: () => null, feedIncident: () => null } as unknown as ElectionReadModel;
    const monitor = createStallMonitor({
      model, feed, clock, thresholds: THRESHOLDS, pollsCloseAt: NIGHT, logger: pino({ level: 'silent' }),
      record: async (batch, at) => {
        recorded.push({ at, batch });
        record.state = { state: batch.transitions[0]!.to, since: batch.transitions[0]!.since, reason: batch.transitions[0]!.reason };
        return 0;
      },
    });
    return { monitor, recorded, due: NIGHT.getTime() + 14 * 60_000 + 40_000 };
  }

  it.each([1, 60, 900])('records a backlog within one simulated second of its threshold at %i× speed', async (speed) => {
    const { monitor, recorded, due } = backlogNight(speed);
    // As the sidecar does at start: a first look, which finds the next deadline.
    await monitor.evaluate();
    // Just before the threshold (in wall time at this pace): nothing yet.
    await vi.advanceTimersByTimeAsync(Math.floor(40_000 / speed) - 5);
    expect(recorded.filter((r) => r.batch.transitions.some((t) => t.to === 'backlog'))).toEqual([]);
    await vi.advanceTimersByTimeAsync(Math.ceil(1000 / speed) + 10);
    const backlog = recorded.find((r) => r.batch.transitions.some((t) => t.to === 'backlog'));
    expect(backlog).toBeDefined();
    expect(backlog!.at.getTime() - due).toBeGreaterThanOrEqual(0);
    expect(backlog!.at.getTime() - due).toBeLessThanOrEqual(1000);
    expect(backlog!.batch.transitions[0]!.since).toBe(new Date(due).toISOString());
    await monitor.stop();
  });
});
