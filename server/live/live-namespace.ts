// The public, read-only Socket.IO namespace. Every viewer is in an overview room from the start (the
// compact one if its handshake asked: `auth: { overview: 'compact' }`); a
// municipality page joins that municipality's room and gets its current detail in the acknowledgement.
// Deltas go out once per applied batch of changes, or once per interval for the batches that follow one
// closely (SIDECAR_DELTA_INTERVAL_MS), carrying (prevSeq, seq] per room (lib/contracts/live.ts).
//
// With the in-memory adapter each node sends its own viewers their deltas. With an adapter shared between
// nodes (Redis) only the leader sends, through the adapter, so every node's viewers get one chain per room
// and connection state recovery can replay it on any node; the leader cannot see other nodes' rooms, so it
// sends for every touched room. A node taking over the sending resends what its predecessor may not have
// sent: everything touched after the predecessor's watermark.
import type { FeedSource } from '../../lib/contracts/feed-status.ts';
import type { DefaultEventsMap, Namespace, Server, Socket } from 'socket.io';
import { encodeOnce } from './kept-encoding-parser.ts';
import {
  LIVE_NAMESPACE, MUNICIPALITY_ROOM_PREFIX, OVERVIEW_PATCH_ROOM, OVERVIEW_ROOM, ZJoinMunicipality, ZLiveAuth, ZOverviewCatchUp, ZSyncCheck, municipalityRoom,
  type JoinAck, type OverviewCatchUpAck, type OverviewDelta, type LiveClientToServerEvents, type LiveServerToClientEvents, type SyncStatus,
} from '../../lib/contracts/live.ts';
import type { DeltaWatermark } from '../cluster/shared-adapter.ts';
import type { ChangeFeed } from '../change-feed.ts';
import type { AppliedBatch, ElectionReadModel } from '../read-model.ts';
import { toOverviewPatch } from '../../lib/domain/overview-patch.ts';
import { takeToken, type BucketRate, type TokenBucket } from '../../lib/domain/token-bucket.ts';
import { DeltaChains } from './delta-chains.ts';
import { DeltaPacer } from '../../lib/domain/delta-pacing.ts';

/** Municipality rooms one connection may be in at once (a page needs one; a newsroom a handful). */
export const MAX_MUNICIPALITIES_PER_SOCKET = 30;
/** Events one connection may send: a burst, then a steady rate (each join answers with a detail). */
export const SOCKET_EVENT_RATE: BucketRate = { perSecond: 5, burst: 40 };
const RATE_LIMITED = 'too many requests on this connection; slow down';

interface LiveSocketData {
  events?: TokenBucket;
}
export type LiveNamespace = Namespace<LiveClientToServerEvents, LiveServerToClientEvents, DefaultEventsMap, LiveSocketData>;
type LiveSocket = Socket<LiveClientToServerEvents, LiveServerToClientEvents, DefaultEventsMap, LiveSocketData>;

/** Counts one event against the socket's budget; false when it is spent. */
function allowEvent(socket: LiveSocket): boolean {
  const taken = takeToken(socket.data.events, Date.now(), SOCKET_EVENT_RATE);
  socket.data.events = taken.bucket;
  return taken.allowed;
}

function municipalityRoomsOf(socket: LiveSocket): number {
  let count = 0;
  for (const room of socket.rooms) if (room.startsWith(MUNICIPALITY_ROOM_PREFIX)) count++;
  return count;
}
export type DeltaKind = 'overview' | 'municipality';

export interface LiveOptions {
  /** The Socket.IO adapter is shared with other nodes: send only while leading (lead/follow). */
  shared?: { watermark: DeltaWatermark };
  /**
   * Batches applied within this many ms of the previous delta wait and go out as one delta when the
   * interval has passed (SIDECAR_DELTA_INTERVAL_MS); 0 or unset: one delta per batch, at once.
   */
  deltaIntervalMs?: number;
  /** Told after every delta, with the time spent handing it to this node's viewers (the event loop is blocked for it). */
  onDeltaSent?: (kind: DeltaKind, fanOutSeconds: number) => void;
}

export interface LiveChannel {
  namespace: LiveNamespace;
  /**
   * Shared adapter: start sending (this node now leads). Chains start again from the model's seq, and rooms
   * touched after the previous sender's watermark get their full state again. Call it with the model level
   * with the log. A no-op with the in-memory adapter, where every node always sends.
   */
  lead(): Promise<void>;
  /** Shared adapter: stop sending at once (another node leads now). */
  follow(): void;
}

export function createLiveNamespace(io: Server, model: ElectionReadModel, feed: ChangeFeed, options: LiveOptions = {}): LiveChannel {
  const live: LiveNamespace = io.of(LIVE_NAMESPACE);
  // Rooms that have not had a delta yet continue from the seq the model started at: a client holding an
  // older state (from before a restart) must see a gap, not a delta that pretends to follow it.
  const chains = new DeltaChains(model.seq);
  const shared = options.shared;
  let sending = !shared;
  let leading = false;

  // The handlers are made once and shared by every socket (Socket.IO calls them with the socket as
  // `this`): closures per connection would cost each idle viewer a few hundred bytes of heap.
  function onJoin(this: LiveSocket, request: unknown, ack: unknown): void {
    if (!allowEvent(this)) return typeof ack === 'function' ? ack({ ok: false, error: RATE_LIMITED } satisfies JoinAck) : undefined;
    if (typeof ack !== 'function') return;
    const parsed = ZJoinMunicipality.safeParse(request);
    if (!parsed.success) return ack({ ok: false, error: 'number must be a 4-digit municipality number' } satisfies JoinAck);
    const room = municipalityRoom(parsed.data.number);
    if (!this.rooms.has(room) && municipalityRoomsOf(this) >= MAX_MUNICIPALITIES_PER_SOCKET) {
      return ack({ ok: false, error: `at most ${MAX_MUNICIPALITIES_PER_SOCKET} municipalities per connection; leave one first` } satisfies JoinAck);
    }
    const detail = model.detail(parsed.data.number);
    if (!detail) return ack({ ok: false, error: `unknown municipality ${parsed.data.number}` } satisfies JoinAck);
    void this.join(room);
    ack({ ok: true, detail } satisfies JoinAck);
  }

  function onLeave(this: LiveSocket, request: unknown): void {
    if (!allowEvent(this)) return;
    const parsed = ZJoinMunicipality.safeParse(request);
    if (parsed.success) void this.leave(municipalityRoom(parsed.data.number));
  }

  // Newsrooms check their own lag: the seq they hold against the newest applied here.
  function onSyncCheck(this: LiveSocket, request: unknown, ack: unknown): void {
    if (!allowEvent(this)) return typeof ack === 'function' ? ack({ ok: false, error: RATE_LIMITED } satisfies SyncStatus) : undefined;
    if (typeof ack !== 'function') return;
    const parsed = ZSyncCheck.safeParse(request);
    if (!parsed.success) return ack({ ok: false, error: 'seq must be a whole number ≥ 0' } satisfies SyncStatus);
    ack({ ok: true, seq: parsed.data.seq, latestSeq: model.seq, behind: Math.max(0, model.seq - parsed.data.seq), serverTime: new Date().toISOString() } satisfies SyncStatus);
  }

  // A viewer whose connection Socket.IO could not recover (this process is new, or it was away too long)
  // gets what changed after the seq it holds rather than fetching the whole snapshot: 10,000 viewers
  // reconnecting to a restarted live process is otherwise 10,000 snapshot fetches. The answer goes out
  // before any later delta of the room, which continues from model.seq.
  function onOverviewCatchUp(this: LiveSocket, request: unknown, ack: unknown): void {
    if (!allowEvent(this)) return typeof ack === 'function' ? ack({ ok: false, error: RATE_LIMITED } satisfies OverviewCatchUpAck) : undefined;
    if (typeof ack !== 'function') return;
    const parsed = ZOverviewCatchUp.safeParse(request);
    if (!parsed.success) return ack({ ok: false, error: 'seq must be a whole number ≥ 0' } satisfies OverviewCatchUpAck);
    const from = parsed.data.seq;
    if (from > model.seq) return ack({ ok: false, error: `this node has applied up to seq ${model.seq}, not ${from} yet; fetch the snapshot` } satisfies OverviewCatchUpAck);
    ack(catchUpAnswer(from, this.rooms.has(OVERVIEW_PATCH_ROOM)));
  }

  // After a restart thousands of viewers ask within seconds, most from the same seq: one answer per
  // (seq, form), kept while the model stays at its seq and for at most a second (the clock reading in it).
  const catchUpAnswers = new Map<string, OverviewCatchUpAck>();
  let catchUpAnswersAt = { seq: -1, time: 0 };
  function catchUpAnswer(from: number, compact: boolean): OverviewCatchUpAck {
    const now = Date.now();
    if (catchUpAnswersAt.seq !== model.seq || now - catchUpAnswersAt.time > 1000) {
      catchUpAnswers.clear();
      catchUpAnswersAt = { seq: model.seq, time: now };
    }
    const key = `${from}:${compact ? 'compact' : 'full'}`;
    const kept = catchUpAnswers.get(key);
    if (kept) return kept;
    // Reported seats are few and rare: all of them when anything changed, rather than a log of which changed when.
    const seatAreas = from < model.seq ? model.reportedSeats().map((seats) => seats.area) : [];
    const delta = overviewDelta(from, model.seq, model.touchedAfter(from), seatAreas);
    const answer: OverviewCatchUpAck = compact
      ? { ok: true, form: 'compact', delta: toOverviewPatch(delta, model.nationalCounts()) }
      : { ok: true, form: 'full', delta };
    // Sent as it is to every viewer asking from this seq: its JSON is made once.
    catchUpAnswers.set(key, encodeOnce(answer));
    return answer;
  }

  live.on('connection', (socket) => {
    // A recovered connection is back in its rooms already.
    if (!socket.recovered) void socket.join(ZLiveAuth.parse(socket.handshake.auth).overview === 'compact' ? OVERVIEW_PATCH_ROOM : OVERVIEW_ROOM);
    socket.on('municipality:join', onJoin);
    socket.on('municipality:leave', onLeave);
    socket.on('sync:check', onSyncCheck);
    socket.on('overview:catch-up', onOverviewCatchUp);
  });

  // Only this node's rooms are known here; through a shared adapter every room may have viewers elsewhere.
  function mayHaveViewers(room: string): boolean {
    return Boolean(shared) || (live.adapter.rooms.get(room)?.size ?? 0) > 0;
  }

  function overviewDelta(prevSeq: number, seq: number, municipalities: Iterable<string>, seatAreas: readonly string[]): OverviewDelta {
    return {
      prevSeq,
      seq,
      clock: model.clockState(),
      // The changed numbers come from the model, which has a summary of each.
      municipalities: [...municipalities].map((number) => model.summaryOf(number)!),
      national: model.nationalTotals(),
      ...(seatAreas.length > 0 ? { reportedSeats: model.reportedSeats(seatAreas) } : {}),
      ...sourceField(),
    };
  }

  // Both overview rooms get every delta, in full or compact form; they share one chain.
  function sendOverview(prevSeq: number, seq: number, municipalities: Iterable<string>, seatAreas: readonly string[]): void {
    const full = mayHaveViewers(OVERVIEW_ROOM);
    const compact = mayHaveViewers(OVERVIEW_PATCH_ROOM);
    if (!full && !compact) return;
    const delta = overviewDelta(prevSeq, seq, municipalities, seatAreas);
    const started = performance.now();
    if (full) live.to(OVERVIEW_ROOM).emit('overview:updated', delta);
    if (compact) live.to(OVERVIEW_PATCH_ROOM).emit('overview:patch', toOverviewPatch(delta, model.nationalCounts()));
    options.onDeltaSent?.('overview', (performance.now() - started) / 1000);
  }

  function sendMunicipality(prevSeq: number, seq: number, number: string, districts?: ReadonlySet<string>): void {
    const room = municipalityRoom(number);
    if (!mayHaveViewers(room)) return;
    // Rooms exist only for municipalities of the model (joins are checked against it).
    const detail = model.detail(number, districts)!;
    const started = performance.now();
    live.to(room).emit('municipality:updated', {
      prevSeq, seq, number, clock: detail.clock,
      municipality: detail.municipality, parties: detail.parties, seats: detail.seats, districts: detail.districts, progress: detail.progress,
      ...sourceField(),
    });
    options.onDeltaSent?.('municipality', (performance.now() - started) / 1000);
  }

  // The source rides along with every delta once it is the official feed (a few hundred bytes).
  function sourceField(): { source?: FeedSource } {
    const source = model.source();
    return source.kind === 'official_feed' ? { source } : {};
  }

  // Batches that follow a delta within the interval wait and go out merged (lib/domain/delta-pacing.ts).
  const pacer = new DeltaPacer(options.deltaIntervalMs ?? 0);
  let flushTimer: ReturnType<typeof setTimeout> | undefined;

  function broadcast(batch: AppliedBatch): void {
    if (!sending) return;
    // A feed status every 15 s all night would be ~1,400 overview deltas to every viewer: only one that
    // changes what viewers see (health, or the minute in "sist lest") gets a delta of its own; a room may
    // skip seqs that do not concern it.
    const onlyFeed = batch.kinds.every((kind) => kind.startsWith('feed.'));
    const overview = !onlyFeed || batch.sourceChanged || batch.seatAreas.length > 0 || batch.touched.size > 0;
    const now = performance.now();
    const due = pacer.add({ seq: batch.seq, overview, touched: batch.touched, seatAreas: batch.seatAreas }, now);
    if (flushTimer) return;
    const wait = due - now;
    if (wait <= 0) flush();
    else flushTimer = setTimeout(flush, wait);
  }

  function flush(): void {
    flushTimer = undefined;
    const merged = pacer.take(performance.now());
    if (!merged || !sending) return;
    // Each room's delta ends at the newest seq applied: the summaries and details are read now, so they are of that seq.
    if (merged.overview) sendOverview(chains.advance(OVERVIEW_ROOM, merged.seq), merged.seq, merged.touched.keys(), merged.seatAreas);
    for (const [number, districts] of merged.touched) {
      sendMunicipality(chains.advance(municipalityRoom(number), merged.seq), merged.seq, number, districts);
    }
    shared?.watermark.write(merged.seq);
  }

  function stopPacing(): void {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    pacer.clear();
  }

  feed.onBatch(broadcast);

  return {
    namespace: live,
    async lead() {
      if (!shared || leading) return;
      leading = true;
      // Unknown (no node has sent in this stream, or Redis did not answer): resend everything touched.
      const sentUpTo = (await shared.watermark.read().catch(() => null)) ?? 0;
      if (!leading || sending) return;
      // From here on synchronous, so no batch falls between the resend and the first regular delta.
      const seq = model.seq;
      chains.restart(seq);
      sending = true;
      if (seq <= sentUpTo) return;
      // The full state of every room touched since then: true for (sentUpTo, seq], whatever was sent.
      const numbers = model.touchedAfter(sentUpTo);
      // Reported seats are few and rare: all of them, rather than a log of which changed when.
      sendOverview(sentUpTo, seq, numbers, model.reportedSeats().map((seats) => seats.area));
      for (const number of numbers) sendMunicipality(sentUpTo, seq, number);
      shared.watermark.write(seq);
    },
    follow() {
      if (!shared) return;
      leading = false;
      sending = false;
      // The next leader resends everything after the watermark, which only sent deltas moved.
      stopPacing();
    },
  };
}
