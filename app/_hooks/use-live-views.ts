'use client';
// The two public live states — the overview snapshot and one municipality's detail — with the delta
// each applies; pages and embeds share them.
import { ZSnapshot, type MunicipalityDelta, type MunicipalityDetail, type OverviewPatch, type Snapshot } from '../../lib/contracts/live.ts';
import { mergeByKey } from '../../lib/domain/delta.ts';
import { findFirstScreenFacts, type OverviewFirstScreen } from '../../lib/domain/first-screen.ts';
import { applyOverviewPatch } from '../../lib/domain/overview-patch.ts';
import { useLiveState, type LiveState } from './use-live-state.ts';

function applyMunicipalityDelta(state: MunicipalityDetail, delta: MunicipalityDelta): MunicipalityDetail {
  return {
    ...state,
    seq: delta.seq,
    clock: delta.clock,
    municipality: delta.municipality,
    parties: delta.parties,
    seats: delta.seats,
    progress: delta.progress,
    districts: mergeByKey(state.districts, delta.districts, (d) => d.number),
    source: delta.source ?? state.source,
  };
}

/** Starts from a full snapshot or the overview's first screen (which the first connection replaces with a full one). */
export function useLiveOverview(initial: Snapshot | OverviewFirstScreen, sidecarUrl: string | null): LiveState<Snapshot | OverviewFirstScreen> {
  return useLiveState<Snapshot | OverviewFirstScreen, OverviewPatch>({
    initial,
    sidecarUrl,
    subscribe: (socket, onDelta) => {
      socket.on('overview:patch', onDelta);
      return () => socket.off('overview:patch', onDelta);
    },
    resync: async (_socket, url) => {
      const response = await fetch(`${url}/api/v1/snapshot`, { cache: 'no-store' });
      if (!response.ok) throw new Error(`snapshot ${response.status}`);
      return ZSnapshot.parse(await response.json());
    },
    catchUp: (socket, fromSeq) =>
      new Promise((resolve, reject) => {
        socket.timeout(10_000).emit('overview:catch-up', { seq: fromSeq }, (error, reply) => {
          if (error) reject(error);
          else if (!reply.ok) reject(new Error(reply.error));
          // The page's connection asked for compact deltas (app/_lib/live-socket.ts).
          else if (reply.form !== 'compact') reject(new Error('catch-up came in the full form'));
          else resolve(reply.delta);
        });
      }),
    apply: applyOverviewPatch,
    isPartial: (state) => findFirstScreenFacts(state) !== null,
  });
}

export function useLiveMunicipality(initial: MunicipalityDetail, sidecarUrl: string | null): LiveState<MunicipalityDetail> {
  const number = initial.municipality.number;
  return useLiveState<MunicipalityDetail, MunicipalityDelta>({
    initial,
    sidecarUrl,
    subscribe: (socket, onDelta) => {
      const handler = (delta: MunicipalityDelta) => {
        if (delta.number === number) onDelta(delta);
      };
      socket.on('municipality:updated', handler);
      return () => socket.off('municipality:updated', handler);
    },
    // Joining the room answers with the current detail, so a join is also the resync.
    resync: (socket) =>
      new Promise((resolve, reject) => {
        socket.timeout(10_000).emit('municipality:join', { number }, (error, reply) => {
          if (error) reject(error);
          else if (!reply.ok) reject(new Error(reply.error));
          else resolve(reply.detail);
        });
      }),
    apply: applyMunicipalityDelta,
  });
}
