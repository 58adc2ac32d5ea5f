// Browser side of the live connection: one socket per page to the sidecar's /live namespace.
import { io, type Socket } from 'socket.io-client';
import { resolveSidecarAddress } from '../../lib/sidecar-address.ts';
import { LIVE_NAMESPACE, type LiveClientToServerEvents, type LiveServerToClientEvents } from '../../lib/contracts/live.ts';

export type LiveSocket = Socket<LiveServerToClientEvents, LiveClientToServerEvents>;

/** `configured` is the web server's computePublicSidecarAddress: a URL, or a port for this page's host. */
export function resolveSidecarUrl(configured: string | null): string {
  return resolveSidecarAddress(configured, window.location);
}

export function connectLive(sidecarUrl: string): LiveSocket {
  return io(`${sidecarUrl}${LIVE_NAMESPACE}`, {
    transports: ['websocket'],
    // The pages hold the snapshot, so the compact overview deltas are enough (a third of the bytes).
    auth: { overview: 'compact' },
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
}

export type ConnectionState = 'connecting' | 'live' | 'reconnecting';
