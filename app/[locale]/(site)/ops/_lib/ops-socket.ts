// Browser side of the operators' connection: the sidecar's /ops namespace, opened with a single-use ticket
// that is fetched afresh (through a server action, which holds the session cookie) for every attempt.
import { io, type Socket } from 'socket.io-client';
import { OPS_NAMESPACE, type OpsClientToServerEvents, type OpsServerToClientEvents } from '../../../../../lib/contracts/ops.ts';

export type OpsSocket = Socket<OpsServerToClientEvents, OpsClientToServerEvents>;

export function connectOps(sidecarUrl: string, nextTicket: () => Promise<string | null>): OpsSocket {
  return io(`${sidecarUrl}${OPS_NAMESPACE}`, {
    transports: ['websocket'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
    // Called before every connection attempt, reconnections included.
    auth: (send) => {
      nextTicket().then((ticket) => send(ticket ? { ticket } : {}), () => send({}));
    },
  });
}
