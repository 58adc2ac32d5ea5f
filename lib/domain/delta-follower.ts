// The client side of the delta protocol as one pure state machine, shared by the browser
// (app/_hooks/use-live-state.ts) and the tests' viewer (tests/integration/processes.ts): deltas are applied in
// seq order (classifyDelta), old ones ignored; a gap, an unrecovered (re)connect or a partial state asks for a
// snapshot, and deltas that arrive while it is fetched wait and are applied on top of it. Where the server can
// say what changed after a seq (rules.catchUp), an unrecovered connect asks for that one delta first and
// fetches the snapshot only if it is refused. The caller owns the socket and the fetch: it feeds events in and
// carries out the effects that come back.
import { classifyDelta } from './delta.ts';

export interface SeqDelta {
  prevSeq: number;
  seq: number;
}

export interface FollowerRules<S, D> {
  apply: (held: S, delta: D) => S;
  /** True for a state that cannot take deltas yet (the overview's first screen): they wait for a full one. */
  isPartial?: (held: S) => boolean;
  /** The caller can ask the server for one delta from the held seq to its newest (`catch-up` effect). */
  catchUp?: boolean;
}

export interface FollowerState<S, D> {
  held: S;
  /** A snapshot (or a catch-up delta) is being fetched: deltas wait in `buffered` until it arrives. */
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
  | { type: 'snapshot-failed' }
  /** The server's answer to a `catch-up` effect: one delta from the held seq to its newest. */
  | { type: 'catch-up-loaded'; delta: D }
  /** The catch-up was refused or not answered: a snapshot is fetched instead. */
  | { type: 'catch-up-failed' };

/** Why a snapshot is needed: the held state is partial, a delta was missed, or a connection may have missed some. */
export type ResyncReason = 'partial' | 'gap' | 'connect';

export type FollowerEffect<S> =
  /** Fetch a snapshot, then send `snapshot-loaded` or `snapshot-failed`. */
  | { type: 'fetch-snapshot'; reason: ResyncReason }
  /** Ask the server for what changed after fromSeq, then send `catch-up-loaded` or `catch-up-failed`. */
  | { type: 'catch-up'; fromSeq: number }
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
      if (rules.catchUp && !state.resyncing && !rules.isPartial?.(state.held)) {
        return { state: { ...next, resyncing: true }, effects: [{ type: 'catch-up', fromSeq: state.held.seq }] };
      }
      return startResync(next, 'connect');
    }
    case 'snapshot-loaded':
      // A snapshot nobody asked for (none is being fetched) is not ours to take.
      if (!state.resyncing) return { state, effects: [] };
      return settle(rules, state, event.snapshot);
    case 'snapshot-failed':
      return { state: { ...state, resyncing: false, buffered: [] }, effects: [] };
    case 'catch-up-loaded': {
      if (!state.resyncing) return { state, effects: [] };
      const verdict = classifyDelta(state.held.seq, event.delta);
      // An answer that does not start at or before the held seq cannot be trusted to cover it.
      if (verdict === 'gap') return { state, effects: [{ type: 'fetch-snapshot', reason: 'gap' }] };
      return settle(rules, state, verdict === 'apply' ? rules.apply(state.held, event.delta) : state.held);
    }
    case 'catch-up-failed':
      if (!state.resyncing) return { state, effects: [] };
      return { state, effects: [{ type: 'fetch-snapshot', reason: 'connect' }] };
  }
}

/** A resync's whole state arrived: the buffered deltas that follow it go on top, and the follower is level. */
function settle<S extends { seq: number }, D extends SeqDelta>(rules: FollowerRules<S, D>, state: FollowerState<S, D>, whole: S): FollowerStep<S, D> {
  let held = whole;
  // Only deltas that follow it on; the rest are already in it, or reveal a gap the next delta will find.
  for (const delta of state.buffered) if (classifyDelta(held.seq, delta) === 'apply') held = rules.apply(held, delta);
  return { state: { ...state, held, resyncing: false, buffered: [] }, effects: [{ type: 'updated', held }, { type: 'caught-up' }] };
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
