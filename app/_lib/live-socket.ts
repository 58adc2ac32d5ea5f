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
  const socket: LiveSocket = io(`${sidecarUrl}${LIVE_NAMESPACE}`, {
    transports: ['websocket'],
    // The pages hold the snapshot, so the compact overview deltas are enough (a third of the bytes).
    auth: { overview: 'compact' },
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
  // A sidecar process that stops gracefully disconnects its viewers, and Socket.IO does not reconnect
  // after a server-side disconnect by itself: come back (to the restarted or another live process).
  socket.on('disconnect', (reason) => {
    if (reason === 'io server disconnect') socket.connect();
  });
  return socket;
}

export type ConnectionState = 'connecting' | 'live' | 'reconnecting';
