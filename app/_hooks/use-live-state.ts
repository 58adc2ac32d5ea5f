'use client';
// Keeps a page's state level with the sidecar: applies deltas in seq order (lib/domain/delta.ts), and on a
// gap or an unrecovered reconnect fetches a fresh snapshot, buffering deltas that arrive meanwhile.
import { useEffect, useRef, useState } from 'react';
import type { ClockState } from '../../lib/contracts/clock.ts';
import { classifyDelta } from '../../lib/domain/delta.ts';
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
    let current = optionsRef.current.initial;
    let resyncing = false;
    let buffered: D[] = [];
    let connectedBefore = false;

    const commit = (next: S) => {
      current = next;
      setState(next);
      setUpdatedAt(new Date().toISOString());
      setClockAnchor({ clock: next.clock, receivedAt: Date.now() });
    };

    const handle = (delta: D) => {
      if (!resyncing && optionsRef.current.isPartial?.(current)) void runResync();
      if (resyncing) {
        buffered.push(delta);
        return;
      }
      const verdict = classifyDelta(current.seq, delta);
      if (verdict === 'apply') commit(apply(current, delta));
      else if (verdict === 'gap') void runResync();
    };

    async function runResync(): Promise<void> {
      if (resyncing) return;
      resyncing = true;
      try {
        let fresh = await resync(socket, url);
        for (const delta of buffered) {
          if (classifyDelta(fresh.seq, delta) === 'apply') fresh = apply(fresh, delta);
        }
        commit(fresh);
        // "Direkte" only once the page holds the current state: a page from a shared cache may be seconds old.
        if (socket.connected) setConnection('live');
      } catch {
        // The next reconnect or delta tries again; the page keeps what it has and shows it is not live.
        setConnection('reconnecting');
      } finally {
        buffered = [];
        resyncing = false;
      }
    }

    const unsubscribe = subscribe(socket, handle);
    socket.on('connect', () => {
      // First connection: the server-rendered state may already be behind (it may come from a shared
      // cache). Later: unless Socket.IO replayed what we missed, fetch it. Live once that is done.
      const behind = !connectedBefore || !socket.recovered;
      connectedBefore = true;
      if (behind) void runResync();
      else setConnection('live');
    });
    socket.on('disconnect', () => setConnection('reconnecting'));
    socket.io.on('reconnect_attempt', () => setConnection('reconnecting'));
    return () => {
      unsubscribe();
      socket.disconnect();
    };
  }, []);

  return { state, connection, updatedAt, clockAnchor };
}
