// One load process: holds its share of the simulated viewers — Socket.IO clients of Valgvakt's /live
// namespace or of the naive server, or HTTP clients polling the snapshot — and reports what they got:
// delta arrivals grouped per delta (see coverage.ts) for either server, messages and bytes; and, in a
// reconnect storm, when each viewer was back in step and how (recovered from the stream, caught up from its seq, or a snapshot).
import http from 'node:http';
import { io, type Socket } from 'socket.io-client';
import { z } from 'zod';
import { LIVE_NAMESPACE, type OverviewPatch } from '../lib/contracts/live.ts';
import { DeltaRecorder, newlyCovered, type Poll } from './coverage.ts';
import { Histogram } from './histogram.ts';
import { serveCommands } from './ipc.ts';
import type { NaiveMessage } from './naive-server.ts';
import type { StormProgress } from './storm.ts';

export type Target = 'valgvakt' | 'naive';

export interface ConnectArgs {
  baseUrl: string;
  target: Target;
  count: number;
  perSecond: number;
  timeoutMs: number;
}

export interface PushCollection {
  viewers: number;
  groups: ReturnType<DeltaRecorder['toJSON']>;
  messages: number;
  /** Bytes and messages received by this process's first viewer (every viewer gets the same frames). */
  sampleBytes: number;
  sampleMessages: number;
  /** A viewer saw a delta whose prevSeq was past the last seq it had (it missed one). */
  gaps: number;
  disconnects: number;
}

export interface PollArgs {
  baseUrl: string;
  /** This process's pollers are global numbers first, first + stride, … below total. */
  first: number;
  stride: number;
  total: number;
  intervalMs: number;
  durationMs: number;
}

export interface PollCollection {
  polls: Poll[][];
  requests: number;
  errors: number;
  /** A poll fell due while the same poller's previous one was still in flight. */
  skipped: number;
  bytes: number;
}

export interface StormCollection extends StormProgress {
  /** Told by the server to go away ('io server disconnect'): Socket.IO does not reconnect those. */
  serverDisconnected: number;
  /** Per converged viewer: ms from the kill until back in step. */
  convergence: ReturnType<Histogram['toJSON']>;
}

/** A viewer's part in a storm: lost its connection at some point, and when (and how) it was back in step. */
interface StormState {
  lost: boolean;
  serverDisconnected: boolean;
  convergedAt?: number;
  how?: 'recovered' | 'caught-up' | 'snapshot';
}

let sockets: Socket[] = [];
let baseUrl = '';
const recorder = new DeltaRecorder();
let storm: Map<Socket, StormState> | null = null;
const snapshotAgent = new http.Agent({ keepAlive: true, maxSockets: 256 });
let messages = 0;
let sampleBytes = 0;
let sampleMessages = 0;
let gaps = 0;
let disconnects = 0;
let closing = false;

function resetCounters(): void {
  recorder.reset();
  messages = 0;
  sampleBytes = 0;
  sampleMessages = 0;
  gaps = 0;
  disconnects = 0;
}

function openViewer(args: ConnectArgs, sample: boolean, onConnect: () => void): Socket {
  const url = args.target === 'valgvakt' ? `${args.baseUrl}${LIVE_NAMESPACE}` : args.baseUrl;
  // Each viewer its own connection, as each browser would have.
  // Valgvakt viewers ask for the compact overview deltas, as the site's pages do (app/_lib/live-socket.ts).
  const auth = args.target === 'valgvakt' ? { overview: 'compact' } : undefined;
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnectionDelay: 1000, reconnectionDelayMax: 5000, auth });
  let lastSeq: number | undefined;
  socket.once('connect', onConnect);
  socket.on('disconnect', (reason) => {
    if (!closing) disconnects += 1;
    const state = storm?.get(socket);
    if (state) {
      state.lost = true;
      state.convergedAt = undefined;
      state.serverDisconnected = reason === 'io server disconnect';
    }
  });
  // As the site's pages do (app/_hooks/use-live-state.ts, lib/domain/delta-follower.ts): on a reconnect
  // Socket.IO could not recover, ask for what changed after the seq held, and fetch the snapshot only if
  // that is refused; the viewer is back in step when it has either.
  socket.on('connect', () => {
    const state = storm?.get(socket);
    if (!state?.lost || state.convergedAt !== undefined) return;
    if (socket.recovered) {
      state.convergedAt = Date.now();
      state.how = 'recovered';
    } else if (args.target === 'valgvakt' && lastSeq !== undefined) {
      void catchUp(socket, lastSeq, state).then((seq) => {
        if (seq !== null) lastSeq = Math.max(lastSeq ?? 0, seq);
      });
    } else {
      void fetchSnapshot(state);
    }
  });
  if (args.target === 'valgvakt') {
    socket.on('overview:patch', (delta: OverviewPatch) => {
      const fresh = newlyCovered(lastSeq, delta);
      if (fresh) recorder.record(fresh.prevSeq, fresh.seq, Date.now());
      messages += 1;
      if (lastSeq !== undefined && delta.prevSeq > lastSeq) gaps += 1;
      lastSeq = Math.max(lastSeq ?? 0, delta.seq);
    });
  } else {
    socket.on('report', (message: NaiveMessage) => {
      // One report per message: the same join by seq as ours, with (seq − 1, seq] as the delta.
      const fresh = newlyCovered(lastSeq, { prevSeq: message.seq - 1, seq: message.seq });
      if (fresh) recorder.record(fresh.prevSeq, fresh.seq, Date.now());
      messages += 1;
      if (lastSeq !== undefined && message.seq > lastSeq + 1) gaps += 1;
      lastSeq = Math.max(lastSeq ?? 0, message.seq);
    });
  }
  if (sample) {
    socket.io.on('open', () => {
      socket.io.engine.on('data', (data: string | ArrayBuffer) => {
        // Engine.IO messages only: the Socket.IO packets (connect, events), not pings.
        sampleBytes += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
        sampleMessages += 1;
      });
    });
  }
  return socket;
}

const ZCaughtUp = z.object({ ok: z.literal(true), delta: z.object({ seq: z.number() }) });

/** Asks for one delta from the seq held, as a page does; the snapshot when refused. Resolves with the seq caught up to. */
async function catchUp(socket: Socket, fromSeq: number, state: StormState): Promise<number | null> {
  // Only what a page needs from the answer (a whole parse would cost the load processes more than the pages).
  const reply = await socket.timeout(10_000).emitWithAck('overview:catch-up', { seq: fromSeq }).then(
    (answer: unknown) => ZCaughtUp.safeParse(answer),
    () => null,
  );
  if (!storm || state.convergedAt !== undefined) return null;
  if (reply?.success) {
    state.convergedAt = Date.now();
    state.how = 'caught-up';
    return reply.data.delta.seq;
  }
  await fetchSnapshot(state);
  return null;
}

/** GET the snapshot, as a page resyncs; retried each second until it answers (the sidecar may still be starting). */
async function fetchSnapshot(state: StormState): Promise<void> {
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const request = http.get(`${baseUrl}/api/v1/snapshot`, { agent: snapshotAgent }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode === 200));
        response.on('error', () => resolve(false));
      });
      request.on('error', () => resolve(false));
    });
    if (!storm || state.convergedAt !== undefined) return;
    if (ok) {
      state.convergedAt = Date.now();
      state.how = 'snapshot';
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function stormArm(): { viewers: number } {
  storm = new Map(sockets.map((socket) => [socket, { lost: false, serverDisconnected: false }]));
  return { viewers: sockets.length };
}

function stormCollect(args: { killedAt: number }): StormCollection {
  const convergence = new Histogram();
  const counts = { recovered: 0, caughtUp: 0, snapshots: 0, pending: 0, untouched: 0, serverDisconnected: 0 };
  for (const state of storm?.values() ?? []) {
    if (!state.lost) counts.untouched += 1;
    else if (state.convergedAt === undefined) {
      counts.pending += 1;
      if (state.serverDisconnected) counts.serverDisconnected += 1;
    } else {
      convergence.add(state.convergedAt - args.killedAt);
      if (state.how === 'recovered') counts.recovered += 1;
      else if (state.how === 'caught-up') counts.caughtUp += 1;
      else counts.snapshots += 1;
    }
  }
  return { viewers: storm?.size ?? 0, ...counts, convergence: convergence.toJSON() };
}

async function connect(args: ConnectArgs): Promise<{ connected: number; failed: number }> {
  if (sockets.length) throw new Error('disconnect the current viewers first');
  closing = false;
  storm = null;
  baseUrl = args.baseUrl;
  resetCounters();
  let connected = 0;
  const allConnected = new Promise<void>((resolve) => {
    const onConnect = () => {
      connected += 1;
      if (connected === args.count) resolve();
    };
    // Ramp in 20-ms steps, so the server sees a steady stream of handshakes rather than a stampede.
    const perStep = Math.max(1, Math.round(args.perSecond / 50));
    const timer = setInterval(() => {
      for (let i = 0; i < perStep && sockets.length < args.count; i++) sockets.push(openViewer(args, sockets.length === 0, onConnect));
      if (sockets.length >= args.count) clearInterval(timer);
    }, 20);
  });
  await Promise.race([allConnected, new Promise((resolve) => setTimeout(resolve, args.timeoutMs))]);
  return { connected, failed: args.count - connected };
}

async function disconnect(): Promise<{ closed: number }> {
  closing = true;
  storm = null;
  const closed = sockets.length;
  for (const socket of sockets) socket.disconnect();
  sockets = [];
  return { closed };
}

function collect(): PushCollection {
  return {
    viewers: sockets.filter((s) => s.connected).length,
    groups: recorder.toJSON(),
    messages, sampleBytes, sampleMessages, gaps, disconnects,
  };
}

async function poll(args: PollArgs): Promise<PollCollection> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const mine: number[] = [];
  for (let n = args.first; n < args.total; n += args.stride) mine.push(n);
  const polls: Poll[][] = mine.map(() => []);
  const inFlight = new Array<boolean>(mine.length).fill(false);
  let requests = 0;
  let errors = 0;
  let skipped = 0;
  let bytes = 0;
  const start = Date.now();
  // Poller n polls at n/total of each interval: phases spread evenly over all load processes. Their due
  // times come in index order, round after round, so a cursor finds the next due poller.
  const dueAt = (index: number, round: number) => start + (mine[index]! / args.total + round) * args.intervalMs;
  let cursor = 0;
  let round = 0;

  function fetchSnapshot(index: number): void {
    inFlight[index] = true;
    requests += 1;
    const request = http.get(`${args.baseUrl}/api/v1/snapshot`, { agent }, (response) => {
      const seq = Number(response.headers['x-valgvakt-seq']);
      // index is a poller of this process: polls has one list per poller.
      if (response.statusCode === 200 && Number.isFinite(seq)) polls[index]!.push([Date.now(), seq]);
      else errors += 1;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => (inFlight[index] = false));
      response.on('error', () => {
        errors += 1;
        inFlight[index] = false;
      });
    });
    request.on('error', () => {
      errors += 1;
      inFlight[index] = false;
    });
  }

  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = Date.now();
      if (now - start >= args.durationMs) {
        clearInterval(timer);
        return resolve();
      }
      while (mine.length > 0 && dueAt(cursor, round) <= now) {
        if (inFlight[cursor]) skipped += 1;
        else fetchSnapshot(cursor);
        cursor += 1;
        if (cursor === mine.length) {
          cursor = 0;
          round += 1;
        }
      }
    }, 5);
  });
  agent.destroy();
  return { polls, requests, errors, skipped, bytes };
}

serveCommands({
  connect: (args: ConnectArgs) => connect(args),
  reset: () => {
    resetCounters();
    return { viewers: sockets.filter((s) => s.connected).length };
  },
  collect: () => collect(),
  disconnect: () => disconnect(),
  poll: (args: PollArgs) => poll(args),
  'storm-arm': () => stormArm(),
  'storm-collect': (args: { killedAt: number }) => stormCollect(args),
});
process.on('SIGTERM', () => {
  void disconnect();
  process.exit(0);
});
