// The client side of the delta protocol as one pure state machine, shared by the browser
// (app/_hooks/use-live-state.ts) and the tests' viewer (tests/integration/processes.ts): deltas are applied in
// seq order (classifyDelta), old ones ignored; a gap, an unrecovered (re)connect or a partial state asks for a
// snapshot, and deltas that arrive while it is fetched wait and are applied on top of it. The caller owns the
// socket and the fetch: it feeds events in and carries out the effects that come back.
import { classifyDelta } from './delta.ts';

export interface SeqDelta {
  prevSeq: number;
  seq: number;
}

export interface FollowerRules<S, D> {
  apply: (held: S, delta: D) => S;
  /** True for a state that cannot take deltas yet (the overview's first screen): they wait for a full one. */
  isPartial?: (held: S) => boolean;
}

export interface FollowerState<S, D> {
  held: S;
  /** A snapshot is being fetched: deltas wait in `buffered` until it arrives. */
  resyncing: boolean;
  buffered: readonly D[];
  connectedBefore: boolean;
}

export type FollowerEvent<S, D> =
  | { type: 'delta'; delta: D }
  /** The socket (re)connected; `recovered` is Socket.IO's: it replayed what was missed while away. */
  | { type: 'connected'; recovered: boolean }
  | { type: 'snapshot-loaded'; snapshot: S }
  /** The fetch failed: buffered deltas are dropped, and the next delta or reconnect decides again. */
  | { type: 'snapshot-failed' };

/** Why a snapshot is needed: the held state is partial, a delta was missed, or a connection may have missed some. */
export type ResyncReason = 'partial' | 'gap' | 'connect';

export type FollowerEffect<S> =
  /** Fetch a snapshot, then send `snapshot-loaded` or `snapshot-failed`. */
  | { type: 'fetch-snapshot'; reason: ResyncReason }
  /** The held state changed: show it. */
  | { type: 'updated'; held: S }
  /** Nothing is known to be missing any more: the connection may show as live. */
  | { type: 'caught-up' };

export interface FollowerStep<S, D> {
  state: FollowerState<S, D>;
  effects: FollowerEffect<S>[];
}

export function createFollower<S, D>(held: S): FollowerState<S, D> {
  return { held, resyncing: false, buffered: [], connectedBefore: false };
}

export function stepFollower<S extends { seq: number }, D extends SeqDelta>(
  rules: FollowerRules<S, D>,
  state: FollowerState<S, D>,
  event: FollowerEvent<S, D>,
): FollowerStep<S, D> {
  switch (event.type) {
    case 'delta':
      return receiveDelta(rules, state, event.delta);
    case 'connected': {
      // The first connection may already be behind (a page from a shared cache); a later one is unless
      // Socket.IO replayed what was missed. A snapshot already on its way covers either.
      const next = { ...state, connectedBefore: true };
      if (state.connectedBefore && event.recovered) return { state: next, effects: [{ type: 'caught-up' }] };
      return startResync(next, 'connect');
    }
    case 'snapshot-loaded': {
      // A snapshot nobody asked for (none is being fetched) is not ours to take.
      if (!state.resyncing) return { state, effects: [] };
      let held = event.snapshot;
      // Only deltas that follow it on; the rest are already in it, or reveal a gap the next delta will find.
      for (const delta of state.buffered) if (classifyDelta(held.seq, delta) === 'apply') held = rules.apply(held, delta);
      return { state: { ...state, held, resyncing: false, buffered: [] }, effects: [{ type: 'updated', held }, { type: 'caught-up' }] };
    }
    case 'snapshot-failed':
      return { state: { ...state, resyncing: false, buffered: [] }, effects: [] };
  }
}

function receiveDelta<S extends { seq: number }, D extends SeqDelta>(rules: FollowerRules<S, D>, state: FollowerState<S, D>, delta: D): FollowerStep<S, D> {
  if (state.resyncing) return { state: { ...state, buffered: [...state.buffered, delta] }, effects: [] };
  if (rules.isPartial?.(state.held)) {
    const step = startResync(state, 'partial');
    return { state: { ...step.state, buffered: [...step.state.buffered, delta] }, effects: step.effects };
  }
  const verdict = classifyDelta(state.held.seq, delta);
  if (verdict === 'apply') {
    const held = rules.apply(state.held, delta);
    return { state: { ...state, held }, effects: [{ type: 'updated', held }] };
  }
  // The gap's own delta is dropped: the snapshot is fetched after it arrived, and should that snapshot still
  // be older, the next delta shows the gap again.
  if (verdict === 'gap') return startResync(state, 'gap');
  return { state, effects: [] };
}

function startResync<S, D>(state: FollowerState<S, D>, reason: ResyncReason): FollowerStep<S, D> {
  if (state.resyncing) return { state, effects: [] };
  return { state: { ...state, resyncing: true }, effects: [{ type: 'fetch-snapshot', reason }] };
}
