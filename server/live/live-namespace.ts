// The public, read-only Socket.IO namespace. Every viewer is in the overview room from the start; a
// municipality page joins that municipality's room and gets its current detail in the acknowledgement.
// Deltas go out once per applied batch of changes, carrying (prevSeq, seq] per room (lib/contracts/live.ts).
import type { Namespace, Server } from 'socket.io';
import {
  LIVE_NAMESPACE, OVERVIEW_ROOM, ZJoinMunicipality, ZSyncCheck, municipalityRoom,
  type JoinAck, type LiveClientToServerEvents, type LiveServerToClientEvents,
} from '../../lib/contracts/live.ts';
import type { ChangeFeed } from '../change-feed.ts';
import type { AppliedBatch, ElectionReadModel } from '../read-model.ts';

export type LiveNamespace = Namespace<LiveClientToServerEvents, LiveServerToClientEvents>;

export function createLiveNamespace(io: Server, model: ElectionReadModel, feed: ChangeFeed): LiveNamespace {
  const live: LiveNamespace = io.of(LIVE_NAMESPACE);
  // Rooms that have not had a delta yet continue from the seq the model started at: a client holding an
  // older state (from before a restart) must see a gap, not a delta that pretends to follow it.
  const startSeq = model.seq;
  const lastSent = new Map<string, number>();

  live.on('connection', (socket) => {
    if (!socket.recovered) void socket.join(OVERVIEW_ROOM);

    socket.on('municipality:join', (request, ack) => {
      if (typeof ack !== 'function') return;
      const parsed = ZJoinMunicipality.safeParse(request);
      if (!parsed.success) return ack({ ok: false, error: 'number must be a 4-digit municipality number' } satisfies JoinAck);
      const detail = model.detail(parsed.data.number);
      if (!detail) return ack({ ok: false, error: `unknown municipality ${parsed.data.number}` });
      void socket.join(municipalityRoom(parsed.data.number));
      ack({ ok: true, detail });
    });

    socket.on('municipality:leave', (request) => {
      const parsed = ZJoinMunicipality.safeParse(request);
      if (parsed.success) void socket.leave(municipalityRoom(parsed.data.number));
    });

    // Newsrooms check their own lag: the seq they hold against the newest applied here.
    socket.on('sync:check', (request, ack) => {
      if (typeof ack !== 'function') return;
      const parsed = ZSyncCheck.safeParse(request);
      if (!parsed.success) return ack({ ok: false, error: 'seq must be a whole number ≥ 0' });
      ack({ ok: true, seq: parsed.data.seq, latestSeq: model.seq, behind: Math.max(0, model.seq - parsed.data.seq), serverTime: new Date().toISOString() });
    });
  });

  function roomHasViewers(room: string): boolean {
    return (live.adapter.rooms.get(room)?.size ?? 0) > 0;
  }

  function broadcast(batch: AppliedBatch): void {
    const overviewPrev = lastSent.get(OVERVIEW_ROOM) ?? startSeq;
    lastSent.set(OVERVIEW_ROOM, batch.seq);
    if (roomHasViewers(OVERVIEW_ROOM)) {
      live.to(OVERVIEW_ROOM).emit('overview:updated', {
        prevSeq: overviewPrev,
        seq: batch.seq,
        clock: model.clockState(),
        municipalities: [...batch.touched.keys()].map((number) => model.summaryOf(number)!),
        national: model.nationalTotals(),
      });
    }
    for (const [number, districts] of batch.touched) {
      const room = municipalityRoom(number);
      const prevSeq = lastSent.get(room) ?? startSeq;
      lastSent.set(room, batch.seq);
      if (!roomHasViewers(room)) continue;
      const detail = model.detail(number, districts)!;
      live.to(room).emit('municipality:updated', {
        prevSeq, seq: batch.seq, number, clock: detail.clock,
        municipality: detail.municipality, parties: detail.parties, seats: detail.seats, districts: detail.districts, progress: detail.progress,
      });
    }
  }

  feed.onBatch(broadcast);
  return live;
}
