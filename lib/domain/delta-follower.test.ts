import { describe, it, expect } from 'vitest';
import {
  createFollower, stepFollower, type FollowerEffect, type FollowerEvent, type FollowerRules, type FollowerState,
} from './delta-follower.ts';

// A held state is the seqs it took in, in order; a delta (prevSeq, seq] adds its seq.
interface Held {
  seq: number;
  applied: number[];
  partial?: boolean;
}
interface Delta {
  prevSeq: number;
  seq: number;
}

const RULES: FollowerRules<Held, Delta> = {
  apply: (held, delta) => ({ seq: delta.seq, applied: [...held.applied, delta.seq] }),
  isPartial: (held) => held.partial === true,
};

const held = (seq: number, extra: Partial<Held> = {}): Held => ({ seq, applied: [], ...extra });
const delta = (prevSeq: number, seq: number): FollowerEvent<Held, Delta> => ({ type: 'delta', delta: { prevSeq, seq } });
const connected = (recovered: boolean): FollowerEvent<Held, Delta> => ({ type: 'connected', recovered });
const loaded = (snapshot: Held): FollowerEvent<Held, Delta> => ({ type: 'snapshot-loaded', snapshot });
const FAILED: FollowerEvent<Held, Delta> = { type: 'snapshot-failed' };

/** A follower holding `start`, already connected once and not resyncing. */
function live(start: Held): FollowerState<Held, Delta> {
  return { ...createFollower<Held, Delta>(start), connectedBefore: true };
}

/** Feeds events one by one; returns the final state and every step's effects. */
function run(state: FollowerState<Held, Delta>, events: FollowerEvent<Held, Delta>[], rules = RULES): { state: FollowerState<Held, Delta>; effects: FollowerEffect<Held>[][] } {
  const effects: FollowerEffect<Held>[][] = [];
  for (const event of events) {
    const step = stepFollower(rules, state, event);
    state = step.state;
    effects.push(step.effects);
  }
  return { state, effects };
}

describe('stepFollower: a delta while live', () => {
  // Holding seq 10, the follower applies, ignores or resyncs by classifyDelta.
  it.each<[string, number, number, FollowerEffect<Held>[], number, boolean]>([
    ['applies the next delta', 10, 11, [{ type: 'updated', held: { seq: 11, applied: [11] } }], 11, false],
    ['applies a delta that overlaps what it holds', 8, 12, [{ type: 'updated', held: { seq: 12, applied: [12] } }], 12, false],
    ['ignores a duplicate', 9, 10, [], 10, false],
    ['ignores an old delta', 3, 7, [], 10, false],
    ['resyncs on a gap', 11, 12, [{ type: 'fetch-snapshot', reason: 'gap' }], 10, true],
  ])('%s: (%i, %i]', (_name, prevSeq, seq, effects, heldSeq, resyncing) => {
    const step = stepFollower(RULES, live(held(10)), delta(prevSeq, seq));
    expect(step.effects).toEqual(effects);
    expect(step.state.held.seq).toBe(heldSeq);
    expect(step.state.resyncing).toBe(resyncing);
    expect(step.state.buffered).toEqual([]);
  });

  it('applies a chain in order and ignores it when it comes again', () => {
    const { state, effects } = run(live(held(10)), [delta(10, 11), delta(11, 13), delta(10, 11), delta(11, 13), delta(13, 14)]);
    expect(state.held).toEqual({ seq: 14, applied: [11, 13, 14] });
    expect(effects.map((e) => e.length)).toEqual([1, 1, 0, 0, 1]);
  });

  it('does not change the state it was given', () => {
    const before = live(held(10));
    const copy = structuredClone(before);
    run(before, [delta(10, 11), delta(12, 13), delta(13, 14), loaded(held(20))]);
    expect(before).toEqual(copy);
  });
});

describe('stepFollower: resync', () => {
  it('buffers deltas while a snapshot is fetched and applies those newer than it on top', () => {
    const { state, effects } = run(live(held(10)), [
      delta(11, 12), // gap: fetch
      delta(12, 13), // before the snapshot's seq: in it already
      delta(13, 15), // follows the snapshot
      delta(15, 16),
      loaded(held(13)),
    ]);
    expect(effects).toEqual([
      [{ type: 'fetch-snapshot', reason: 'gap' }],
      [],
      [],
      [],
      [{ type: 'updated', held: { seq: 16, applied: [15, 16] } }, { type: 'caught-up' }],
    ]);
    expect(state).toEqual({ held: { seq: 16, applied: [15, 16] }, resyncing: false, buffered: [], connectedBefore: true });
  });

  it('keeps the buffer while fetching, then empties it', () => {
    const fetching = run(live(held(10)), [delta(11, 12), delta(12, 13), delta(13, 14)]).state;
    expect(fetching.resyncing).toBe(true);
    expect(fetching.buffered).toEqual([{ prevSeq: 12, seq: 13 }, { prevSeq: 13, seq: 14 }]);
  });

  it('asks for one snapshot at a time, whatever else comes meanwhile', () => {
    const { effects } = run(live(held(10)), [delta(11, 12), delta(20, 21), connected(false), delta(30, 31)]);
    expect(effects.flat()).toEqual([{ type: 'fetch-snapshot', reason: 'gap' }]);
  });

  it('skips a buffered delta that does not follow the snapshot; the next live delta finds the gap', () => {
    const { state, effects } = run(live(held(10)), [delta(11, 12), delta(14, 15), loaded(held(13)), delta(15, 16)]);
    expect(effects[2]).toEqual([{ type: 'updated', held: { seq: 13, applied: [] } }, { type: 'caught-up' }]);
    expect(effects[3]).toEqual([{ type: 'fetch-snapshot', reason: 'gap' }]);
    expect(state.held.seq).toBe(13);
  });

  it('takes a snapshot older than what it held (the server restarted its chain)', () => {
    const { state } = run(live(held(10)), [delta(11, 12), loaded(held(4))]);
    expect(state.held).toEqual({ seq: 4, applied: [] });
  });

  it('drops the buffer when the fetch fails, and resyncs again on the next gap', () => {
    const { state, effects } = run(live(held(10)), [delta(11, 12), delta(12, 13), FAILED, delta(13, 14)]);
    expect(effects[2]).toEqual([]);
    expect(effects[3]).toEqual([{ type: 'fetch-snapshot', reason: 'gap' }]);
    expect(state).toEqual({ held: { seq: 10, applied: [] }, resyncing: true, buffered: [], connectedBefore: true });
  });

  it('applies deltas again after a failed fetch when they follow what it holds', () => {
    const { state } = run(live(held(10)), [delta(11, 12), FAILED, delta(10, 11)]);
    expect(state.held).toEqual({ seq: 11, applied: [11] });
  });

  it('ignores a snapshot or a failure nobody asked for', () => {
    const state = live(held(10));
    expect(stepFollower(RULES, state, loaded(held(20)))).toEqual({ state, effects: [] });
    expect(stepFollower(RULES, state, FAILED)).toEqual({ state, effects: [] });
  });
});

describe('stepFollower: a partial state', () => {
  it('takes no delta into a partial state: it waits with the first one for a full snapshot', () => {
    const { state, effects } = run(createFollower(held(10, { partial: true })), [delta(10, 11), delta(11, 12), loaded(held(11))]);
    expect(effects[0]).toEqual([{ type: 'fetch-snapshot', reason: 'partial' }]);
    expect(effects[1]).toEqual([]);
    expect(state.held).toEqual({ seq: 12, applied: [12] });
  });

  it('buffers into the resync a connect already started', () => {
    const { effects, state } = run(createFollower(held(10, { partial: true })), [connected(false), delta(10, 11)]);
    expect(effects.flat()).toEqual([{ type: 'fetch-snapshot', reason: 'connect' }]);
    expect(state.buffered).toEqual([{ prevSeq: 10, seq: 11 }]);
  });

  it('asks again after a failed fetch left it partial', () => {
    const { effects } = run(createFollower(held(10, { partial: true })), [delta(10, 11), FAILED, delta(11, 12)]);
    expect(effects[2]).toEqual([{ type: 'fetch-snapshot', reason: 'partial' }]);
  });
});

describe('stepFollower: connect and reconnect', () => {
  // The first connect always resyncs (a server-rendered or cached state may be behind, whatever Socket.IO says);
  // a reconnect resyncs unless Socket.IO recovered the session.
  it.each<[string, boolean, boolean, FollowerEffect<Held>[]]>([
    ['first connect', false, false, [{ type: 'fetch-snapshot', reason: 'connect' }]],
    ['first connect, even if recovered', false, true, [{ type: 'fetch-snapshot', reason: 'connect' }]],
    ['reconnect, not recovered', true, false, [{ type: 'fetch-snapshot', reason: 'connect' }]],
    ['reconnect, recovered', true, true, [{ type: 'caught-up' }]],
  ])('%s', (_name, connectedBefore, recovered, effects) => {
    const step = stepFollower(RULES, { ...createFollower<Held, Delta>(held(10)), connectedBefore }, connected(recovered));
    expect(step.effects).toEqual(effects);
    expect(step.state.connectedBefore).toBe(true);
    expect(step.state.resyncing).toBe(!recovered || !connectedBefore);
  });

  it('first connect, deltas meanwhile, snapshot: live at the newest seq', () => {
    const { state, effects } = run(createFollower(held(5)), [connected(false), delta(9, 10), delta(10, 11), loaded(held(10))]);
    expect(effects.at(-1)).toEqual([{ type: 'updated', held: { seq: 11, applied: [11] } }, { type: 'caught-up' }]);
    expect(state).toEqual({ held: { seq: 11, applied: [11] }, resyncing: false, buffered: [], connectedBefore: true });
  });

  it('a recovered reconnect during a resync reads as caught up and leaves the fetch running', () => {
    const { state, effects } = run(live(held(10)), [delta(11, 12), connected(true), delta(12, 13)]);
    expect(effects[1]).toEqual([{ type: 'caught-up' }]);
    expect(state.resyncing).toBe(true);
    expect(state.buffered).toEqual([{ prevSeq: 12, seq: 13 }]);
  });
});

describe('stepFollower: catching up by seq instead of a snapshot', () => {
  const CATCHING_UP: FollowerRules<Held, Delta> = { ...RULES, catchUp: true };
  const caughtUp = (prevSeq: number, seq: number): FollowerEvent<Held, Delta> => ({ type: 'catch-up-loaded', delta: { prevSeq, seq } });
  const REFUSED: FollowerEvent<Held, Delta> = { type: 'catch-up-failed' };
  const runWith = (state: FollowerState<Held, Delta>, events: FollowerEvent<Held, Delta>[]) => run(state, events, CATCHING_UP);

  it('an unrecovered reconnect asks for what changed after the held seq, not for a snapshot', () => {
    const { state, effects } = runWith(live(held(10)), [connected(false)]);
    expect(effects[0]).toEqual([{ type: 'catch-up', fromSeq: 10 }]);
    expect(state.resyncing).toBe(true);
  });

  it('the first connect of a whole state catches up too; a partial one fetches the snapshot', () => {
    expect(runWith(createFollower(held(7)), [connected(false)]).effects[0]).toEqual([{ type: 'catch-up', fromSeq: 7 }]);
    expect(runWith(createFollower(held(7, { partial: true })), [connected(false)]).effects[0]).toEqual([{ type: 'fetch-snapshot', reason: 'connect' }]);
  });

  it('the answer is applied, then the deltas that came meanwhile and follow it; older ones are dropped', () => {
    const { state, effects } = runWith(live(held(10)), [connected(false), delta(12, 13), delta(13, 14), caughtUp(10, 13)]);
    expect(effects.at(-1)).toEqual([{ type: 'updated', held: { seq: 14, applied: [13, 14] } }, { type: 'caught-up' }]);
    expect(state).toEqual({ held: { seq: 14, applied: [13, 14] }, resyncing: false, buffered: [], connectedBefore: true });
  });

  it('an answer with nothing new (seq = held seq) leaves the state and reads as caught up', () => {
    const { state, effects } = runWith(live(held(10)), [connected(false), caughtUp(10, 10)]);
    expect(effects.at(-1)).toEqual([{ type: 'updated', held: held(10) }, { type: 'caught-up' }]);
    expect(state.held).toEqual(held(10));
    expect(state.resyncing).toBe(false);
  });

  it('a refusal fetches the snapshot and keeps the deltas waiting for it', () => {
    const { state, effects } = runWith(live(held(10)), [connected(false), delta(15, 16), REFUSED, loaded(held(15))]);
    expect(effects[2]).toEqual([{ type: 'fetch-snapshot', reason: 'connect' }]);
    expect(effects[3]).toEqual([{ type: 'updated', held: { seq: 16, applied: [16] } }, { type: 'caught-up' }]);
    expect(state.resyncing).toBe(false);
  });

  it('an answer that starts after the held seq cannot cover it: snapshot', () => {
    const { state, effects } = runWith(live(held(10)), [connected(false), caughtUp(11, 13)]);
    expect(effects[1]).toEqual([{ type: 'fetch-snapshot', reason: 'gap' }]);
    expect(state.held).toEqual(held(10));
    expect(state.resyncing).toBe(true);
  });

  it('an answer or refusal nobody waits for is ignored', () => {
    expect(runWith(live(held(10)), [caughtUp(10, 12)]).effects[0]).toEqual([]);
    expect(runWith(live(held(10)), [REFUSED]).effects[0]).toEqual([]);
  });

  it('a recovered reconnect needs no catch-up', () => {
    expect(runWith(live(held(10)), [connected(true)]).effects[0]).toEqual([{ type: 'caught-up' }]);
  });
});
