// The operators' Socket.IO namespace. A connection needs a fresh single-use ticket from
// POST /api/v1/ops/socket-ticket as `auth.ticket`; accepted sockets join the 'ops' room, where the board
// is broadcast. (A reconnect restored by connection state recovery skips this check, as configured in
// sidecar.ts: only the original client holds the private session id it presents.)
import type { DefaultEventsMap, Namespace, Server } from 'socket.io';
import { OPS_NAMESPACE, type OpsClientToServerEvents, type OpsServerToClientEvents } from '../../lib/contracts/ops.ts';

export const OPS_ROOM = 'ops';

export interface OpsSocketData {
  /** The signed-in operator's name. */
  operator: string;
}

export type OpsNamespace = Namespace<OpsClientToServerEvents, OpsServerToClientEvents, DefaultEventsMap, OpsSocketData>;

export function createOpsNamespace(io: Server, consumeSocketTicket: (ticket: unknown) => string | null): OpsNamespace {
  const ops: OpsNamespace = io.of(OPS_NAMESPACE);
  ops.use((socket, next) => {
    const auth: unknown = socket.handshake.auth;
    const operator = consumeSocketTicket(typeof auth === 'object' && auth !== null ? (auth as { ticket?: unknown }).ticket : undefined);
    if (!operator) return next(new Error('unauthorized'));
    socket.data.operator = operator;
    next();
  });
  ops.on('connection', (socket) => {
    void socket.join(OPS_ROOM);
  });
  return ops;
}
