// The operators' Socket.IO namespace. A connection needs a fresh single-use ticket from
// POST /api/v1/ops/socket-ticket as `auth.ticket`; accepted sockets join the 'ops' room, where the board
// is broadcast. A reconnect restored by connection state recovery needs a fresh ticket too (the server
// runs middlewares on recovery, see sidecar.ts), and a session that ends — signed out, expired, or its
// operator disabled, on any node or by the CLI — closes its sockets within a second.
import type { DefaultEventsMap, Namespace, Server } from 'socket.io';
import type { Logger } from 'pino';
import { OPS_NAMESPACE, type OpsClientToServerEvents, type OpsServerToClientEvents } from '../../lib/contracts/ops.ts';
import type { SocketTicketHolder } from './auth.ts';

export const OPS_ROOM = 'ops';
/** How often open operator sockets' sessions are checked against the database. */
export const SESSION_CHECK_INTERVAL_MS = 500;

export interface OpsSocketData {
  /** The signed-in operator's name. */
  operator: string;
  /** The session the socket was opened under. */
  sessionId: number;
}

export type OpsNamespace = Namespace<OpsClientToServerEvents, OpsServerToClientEvents, DefaultEventsMap, OpsSocketData>;

export interface OpsSessions {
  consumeSocketTicket: (ticket: unknown) => SocketTicketHolder | null;
  onSessionEnded: (listener: (sessionId: number) => void) => void;
  validSessions: (sessionIds: readonly number[]) => Promise<Set<number>>;
}

export interface OpsChannel {
  namespace: OpsNamespace;
  /** Stops checking sessions. */
  stop(): void;
}

export function createOpsNamespace(io: Server, sessions: OpsSessions, logger: Logger): OpsChannel {
  const ops: OpsNamespace = io.of(OPS_NAMESPACE);
  ops.use((socket, next) => {
    const auth: unknown = socket.handshake.auth;
    const holder = sessions.consumeSocketTicket(typeof auth === 'object' && auth !== null && 'ticket' in auth ? auth.ticket : undefined);
    if (!holder) return next(new Error('unauthorized'));
    socket.data.operator = holder.operator;
    socket.data.sessionId = holder.sessionId;
    next();
  });
  ops.on('connection', (socket) => {
    // The middleware above ran for this connection, recovered or not; a socket without a session is a bug.
    if (typeof socket.data.sessionId !== 'number') {
      socket.disconnect(true);
      return;
    }
    void socket.join(OPS_ROOM);
  });

  function disconnectSessions(ended: (sessionId: number) => boolean): void {
    for (const socket of ops.sockets.values()) {
      if (ended(socket.data.sessionId)) socket.disconnect(true);
    }
  }
  sessions.onSessionEnded((sessionId) => disconnectSessions((id) => id === sessionId));

  // Few operators, one query: their sessions may end elsewhere (another node, the CLI, the clock).
  let checking = false;
  const timer = setInterval(() => {
    if (checking || ops.sockets.size === 0) return;
    checking = true;
    const ids = [...new Set([...ops.sockets.values()].map((socket) => socket.data.sessionId))];
    sessions.validSessions(ids)
      .then((valid) => disconnectSessions((id) => !valid.has(id)))
      // The database not answering says nothing about the sessions: keep the sockets and ask again.
      .catch((error: unknown) => logger.warn({ err: error }, 'ops: could not check operator sessions'))
      .finally(() => { checking = false; });
  }, SESSION_CHECK_INTERVAL_MS);
  timer.unref();

  return { namespace: ops, stop: () => clearInterval(timer) };
}
