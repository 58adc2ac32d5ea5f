// The Socket.IO events as data, for the published AsyncAPI document: every event of the typed contracts
// (live.ts, ops.ts) with its payload schema. The mapped types make a new event without an entry here, or
// an entry whose schema does not fit the event's type, a compile error.
import type { z } from 'zod';
import {
  LIVE_NAMESPACE, ZJoinAck, ZJoinMunicipality, ZLiveAuth, ZMunicipalityDelta, ZOverviewCatchUp, ZOverviewCatchUpAck, ZOverviewDelta, ZOverviewPatch, ZSyncCheck, ZSyncStatus,
  type LiveClientToServerEvents, type LiveServerToClientEvents,
} from './live.ts';
import { OPS_NAMESPACE, ZOpsBoard, type OpsServerToClientEvents } from './ops.ts';

type Payload<F> = F extends (payload: infer P, ...rest: never[]) => void ? P : never;
type Ack<F> = F extends (payload: never, ack: (reply: infer R) => void) => void ? R : never;

export interface ServerEventDoc<P> {
  summary: string;
  payload: z.ZodType<P>;
}
export interface ClientEventDoc<P, R> {
  summary: string;
  payload: z.ZodType<P>;
  /** The acknowledgement the server answers with, for events that take one. */
  ack?: z.ZodType<R>;
}

export const LIVE_SERVER_EVENTS: { [E in keyof LiveServerToClientEvents]: ServerEventDoc<Payload<LiveServerToClientEvents[E]>> } = {
  'overview:updated': {
    summary: 'Full overview delta: the summaries of the municipalities that changed in (prevSeq, seq] and the national totals. Every connection that did not ask for compact deltas.',
    payload: ZOverviewDelta,
  },
  'overview:patch': {
    summary: 'Compact overview delta, for connections with auth { overview: "compact" }: what can change per municipality (watch included) and national counts; lib/domain/overview-patch.ts applies it to a snapshot.',
    payload: ZOverviewPatch,
  },
  'municipality:updated': {
    summary: 'A joined municipality changed in (prevSeq, seq]: its summary, parties, seats, the districts that changed and its progress.',
    payload: ZMunicipalityDelta,
  },
};

export const LIVE_CLIENT_EVENTS: { [E in keyof LiveClientToServerEvents]: ClientEventDoc<Payload<LiveClientToServerEvents[E]>, Ack<LiveClientToServerEvents[E]>> } = {
  'municipality:join': {
    summary: "Join a municipality's room (at most 30 per connection); the acknowledgement carries its current detail.",
    payload: ZJoinMunicipality,
    ack: ZJoinAck,
  },
  'municipality:leave': { summary: "Leave a municipality's room.", payload: ZJoinMunicipality },
  'sync:check': { summary: 'How far behind the seq you hold is from the newest this node has applied.', payload: ZSyncCheck, ack: ZSyncStatus },
  'overview:catch-up': {
    summary: "After a reconnect Socket.IO did not recover: what changed in the overview after the seq you hold, as one delta (seq, latest] in your overview room's form; the room's deltas follow it. Refused when this node has not reached that seq: fetch the snapshot.",
    payload: ZOverviewCatchUp,
    ack: ZOverviewCatchUpAck,
  },
};

export const OPS_SERVER_EVENTS: { [E in keyof OpsServerToClientEvents]: ServerEventDoc<Payload<OpsServerToClientEvents[E]>> } = {
  'board:updated': { summary: 'The whole operations board, after every change and every state evaluation (coalesced).', payload: ZOpsBoard },
};

/** A namespace as the AsyncAPI document lists it: each event's schemas, whatever their payload types. */
export interface SocketNamespaceDoc {
  name: string;
  summary: string;
  auth: z.ZodType | null;
  serverEvents: Record<string, ServerEventDoc<unknown>>;
  clientEvents: Record<string, ClientEventDoc<unknown, unknown>>;
}

export const SOCKET_NAMESPACES: readonly SocketNamespaceDoc[] = [
  {
    name: LIVE_NAMESPACE,
    summary: 'Public, read-only. WebSocket transport only. Handshake auth { overview: "full" | "compact" }.',
    auth: ZLiveAuth,
    serverEvents: LIVE_SERVER_EVENTS,
    clientEvents: LIVE_CLIENT_EVENTS,
  },
  {
    name: OPS_NAMESPACE,
    summary: 'Operators. Handshake auth { ticket } from POST /api/v1/ops/socket-ticket (single use, 60 s). Listen only.',
    auth: null,
    serverEvents: OPS_SERVER_EVENTS,
    clientEvents: {},
  },
];
