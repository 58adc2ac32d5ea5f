'use client';
// Keeps a page's state level with the sidecar. What to do with a delta, a (re)connect or a snapshot is the
// pure follower's (lib/domain/delta-follower.ts); this hook holds the React state, the socket and the fetch.
import { useEffect, useRef, useState } from 'react';
import type { ClockState } from '../../lib/contracts/clock.ts';
import { createFollower, stepFollower, type FollowerEvent, type FollowerRules } from '../../lib/domain/delta-follower.ts';
import { connectLive, resolveSidecarUrl, type ConnectionState, type LiveSocket } from '../_lib/live-socket.ts';

interface Delta {
  prevSeq: number;
  seq: number;
}

export interface ClockAnchor {
  clock: ClockState;
  /** Date.now() when that clock reading arrived. */
  receivedAt: number;
}

/** The sidecar's "now" (simulated during a replay), estimated from its last reading. */
export function estimateServerNow(anchor: ClockAnchor, wallNow = Date.now()): Date {
  return new Date(new Date(anchor.clock.now).getTime() + (wallNow - anchor.receivedAt) * anchor.clock.speed);
}

export interface LiveStateOptions<S extends { seq: number; clock: ClockState }, D extends Delta & { clock: ClockState }> {
  initial: S;
  sidecarUrl: string | null;
  /** Subscribes to this page's delta event; returns the unsubscribe function. */
  subscribe: (socket: LiveSocket, onDelta: (delta: D) => void) => () => void;
  /** Fetches a complete state (after a gap or reconnect); may also (re)join rooms. */
  resync: (socket: LiveSocket, sidecarUrl: string) => Promise<S>;
  apply: (state: S, delta: D) => S;
  /**
   * Asks the server for one delta from fromSeq to its newest, after a reconnect Socket.IO could not recover:
   * far cheaper than the snapshot when a live process restarts under a whole audience. Rejects when refused
   * (the snapshot is fetched then). Without it every such reconnect fetches the snapshot.
   */
  catchUp?: (socket: LiveSocket, fromSeq: number) => Promise<D>;
  /**
   * True for a state that cannot take deltas yet (the overview's first screen holds only some municipalities):
   * deltas wait in the buffer while a full state is fetched.
   */
  isPartial?: (state: S) => boolean;
}

export interface LiveState<S> {
  state: S;
  connection: ConnectionState;
  /** When this page last received news (a delta or a fresh snapshot), ISO. */
  updatedAt: string | null;
  clockAnchor: ClockAnchor;
}

export function useLiveState<S extends { seq: number; clock: ClockState }, D extends Delta & { clock: ClockState }>(options: LiveStateOptions<S, D>): LiveState<S> {
  const [state, setState] = useState(options.initial);
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [updatedAt, setUpdatedAt] = useState<string | null>(null);
  // The server-rendered reading is as old as the render; the first live update re-anchors it.
  const [clockAnchor, setClockAnchor] = useState<ClockAnchor>(() => ({ clock: options.initial.clock, receivedAt: Date.now() }));
  const optionsRef = useRef(options);
  optionsRef.current = options;

  useEffect(() => {
    const { subscribe, resync, apply } = optionsRef.current;
    const url = resolveSidecarUrl(optionsRef.current.sidecarUrl);
    const socket = connectLive(url);
    const { catchUp } = optionsRef.current;
    const rules: FollowerRules<S, D> = { apply, isPartial: (held) => optionsRef.current.isPartial?.(held) ?? false, catchUp: catchUp !== undefined };
    let follower = createFollower<S, D>(optionsRef.current.initial);

    const dispatch = (event: FollowerEvent<S, D>) => {
      const step = stepFollower(rules, follower, event);
      follower = step.state;
      for (const effect of step.effects) {
        switch (effect.type) {
          case 'fetch-snapshot':
            void fetchSnapshot();
            break;
          case 'catch-up':
            void fetchCatchUp(effect.fromSeq);
            break;
          case 'updated':
            setState(effect.held);
            setUpdatedAt(new Date().toISOString());
            setClockAnchor({ clock: effect.held.clock, receivedAt: Date.now() });
            break;
          case 'caught-up':
            // "Direkte" only once the page holds the current state: a page from a shared cache may be seconds old.
            if (socket.connected) setConnection('live');
            break;
        }
      }
    };

    async function fetchSnapshot(): Promise<void> {
      try {
        dispatch({ type: 'snapshot-loaded', snapshot: await resync(socket, url) });
      } catch {
        // The next reconnect or delta tries again; the page keeps what it has and shows it is not live.
        dispatch({ type: 'snapshot-failed' });
        setConnection('reconnecting');
      }
    }

    async function fetchCatchUp(fromSeq: number): Promise<void> {
      try {
        if (!catchUp) throw new Error('no catch-up on this page');
        dispatch({ type: 'catch-up-loaded', delta: await catchUp(socket, fromSeq) });
      } catch {
        dispatch({ type: 'catch-up-failed' });
      }
    }

    const unsubscribe = subscribe(socket, (delta) => dispatch({ type: 'delta', delta }));
    socket.on('connect', () => dispatch({ type: 'connected', recovered: socket.recovered }));
    socket.on('disconnect', () => setConnection('reconnecting'));
    socket.io.on('reconnect_attempt', () => setConnection('reconnecting'));
    return () => {
      unsubscribe();
      socket.disconnect();
    };
  }, []);

  return { state, connection, updatedAt, clockAnchor };
}
