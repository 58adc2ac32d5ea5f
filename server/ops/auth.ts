// Operator authentication for the operations API: sign in with name and password for a bearer session
// (stored hashed, db/operators.ts), and trade that session for a single-use ticket to open the /ops
// socket (browsers cannot set headers on a WebSocket, and a long-lived token does not belong in a URL).
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toFieldIssues } from '../../lib/contracts/ingest.ts';
import { ZOpsSignIn, type OpsMe, type OpsSession, type OpsSocketTicket } from '../../lib/contracts/ops-auth.ts';
import type { Db } from '../../db/client.ts';
import { createOperatorSession, findSessionOperator, listValidSessionIds, revokeOperatorSession, verifyOperatorPassword } from '../../db/operators.ts';
import type { Clock } from '../clock.ts';
import { sendError } from '../http/errors.ts';
import { createRequestLimit, limitKeyOf, parseBearer } from '../http/request-limits.ts';

export interface OpsAuthDeps {
  db: Db;
  clock: Clock;
}

export interface OperatorPrincipal {
  name: string;
  operatorId: number;
  sessionId: number;
  /** When the session ends, on the sidecar's clock. */
  expiresAt: Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by requireOperator. */
    operator?: OperatorPrincipal;
  }
}

/** The operator requireOperator found; throws in a route that does not require one (a programming error). */
export function getOperator(request: FastifyRequest): OperatorPrincipal {
  if (!request.operator) throw new Error(`${request.method} ${request.routeOptions.url} reads the operator without requireOperator`);
  return request.operator;
}

export const SESSION_TTL_HOURS = 12;
export const SOCKET_TICKET_TTL_MS = 60_000;
/**
 * Sign-in attempts a minute for one account from one client address, and for all accounts from one
 * address. Keyed by the real client (TRUST_PROXY; the web console passes its visitor's address), so
 * guessing from one place neither locks an operator out elsewhere nor the console as a whole. There is
 * deliberately no limit per account alone: anyone could use it to lock that operator out; argon2id and
 * the per-address limits bound guessing instead.
 */
export const SIGN_IN_PER_ACCOUNT_PER_MINUTE = 10;
export const SIGN_IN_PER_ADDRESS_PER_MINUTE = 30;

export interface SocketTicketHolder {
  operator: string;
  sessionId: number;
}

interface SocketTicket {
  operator: string;
  sessionId: number;
  /** Wall-clock ms: a ticket bridges two requests of one browser, so simulated time has no say. */
  expiresAt: number;
}

function bearerToken(request: FastifyRequest): string | undefined {
  return parseBearer(request.headers.authorization);
}

/** The account a sign-in names, for its limit key (whatever the body holds). */
function signInName(request: FastifyRequest): string {
  const body: unknown = request.body;
  const name = typeof body === 'object' && body !== null && 'name' in body ? body.name : undefined;
  return typeof name === 'string' ? name.slice(0, 100).toLowerCase() : '';
}

export function registerOpsAuth(app: FastifyInstance, deps: OpsAuthDeps) {
  const tickets = new Map<string, SocketTicket>();

  function dropExpiredTickets(now: number): void {
    for (const [ticket, entry] of tickets) if (entry.expiresAt <= now) tickets.delete(ticket);
  }

  /** preHandler for operator-only routes: a valid session as bearer, else 401. */
  async function requireOperator(request: FastifyRequest, reply: FastifyReply) {
    const token = bearerToken(request);
    if (!token) return sendError(reply.header('www-authenticate', 'Bearer'), 401, 'unauthenticated', 'Sign in and send the session token as "Authorization: Bearer <token>"');
    const session = await findSessionOperator(deps.db, token, deps.clock.now());
    if (!session) return sendError(reply.header('www-authenticate', 'Bearer error="invalid_token"'), 401, 'unauthenticated', 'The session is unknown, expired or signed out; sign in again');
    request.operator = { name: session.name, operatorId: session.operatorId, sessionId: session.sessionId, expiresAt: session.expiresAt };
  }

  /** The operator and session of a ticket issued in the last minute and not used before; null otherwise. */
  function consumeSocketTicket(ticket: unknown): SocketTicketHolder | null {
    if (typeof ticket !== 'string') return null;
    const entry = tickets.get(ticket);
    if (!entry) return null;
    tickets.delete(ticket);
    return entry.expiresAt > Date.now() ? { operator: entry.operator, sessionId: entry.sessionId } : null;
  }

  const sessionEndedListeners: Array<(sessionId: number) => void> = [];

  const signInsFromAddress = createRequestLimit(app, { max: SIGN_IN_PER_ADDRESS_PER_MINUTE, windowMs: 60_000, key: (request) => `sign-in:address:${limitKeyOf(request.ip)}` });
  const signInsOfAccount = createRequestLimit(app, {
    max: SIGN_IN_PER_ACCOUNT_PER_MINUTE, windowMs: 60_000, key: (request) => `sign-in:account:${limitKeyOf(request.ip)}:${signInName(request)}`,
  });

  app.post('/api/v1/ops/session', async (request, reply) => {
    if (await signInsFromAddress.exceeded(request, reply) || await signInsOfAccount.exceeded(request, reply)) return reply;
    const parsed = ZOpsSignIn.safeParse(request.body);
    if (!parsed.success) return sendError(reply, 422, 'validation_failed', 'Send { "name", "password" }', toFieldIssues(parsed.error));
    const operator = await verifyOperatorPassword(deps.db, parsed.data.name, parsed.data.password);
    // One answer for an unknown name, a disabled operator and a wrong password: names are not disclosed.
    if (!operator) return sendError(reply, 401, 'invalid_credentials', 'The name or password is wrong');
    const session = await createOperatorSession(deps.db, operator.id, deps.clock.now(), SESSION_TTL_HOURS);
    request.log.info({ operator: operator.name }, 'operator signed in');
    const body: OpsSession = { token: session.token, operator: { name: operator.name }, expiresAt: session.expiresAt.toISOString() };
    return reply.code(201).header('cache-control', 'no-store').send(body);
  });

  app.get('/api/v1/ops/me', { preHandler: requireOperator }, async (request, reply) => {
    const operator = getOperator(request);
    const body: OpsMe = { operator: { name: operator.name }, expiresAt: operator.expiresAt.toISOString() };
    return reply.header('cache-control', 'no-store').send(body);
  });

  app.delete('/api/v1/ops/session', { preHandler: requireOperator }, async (request, reply) => {
    const operator = getOperator(request);
    // requireOperator found a session by this bearer token.
    await revokeOperatorSession(deps.db, bearerToken(request)!, deps.clock.now());
    // Tickets already handed out for this session die with it.
    for (const [ticket, entry] of tickets) if (entry.sessionId === operator.sessionId) tickets.delete(ticket);
    // Its open sockets on this node close now (other nodes notice within a second: server/ops/namespace.ts).
    for (const listener of sessionEndedListeners) listener(operator.sessionId);
    request.log.info({ operator: operator.name }, 'operator signed out');
    return reply.code(204).send();
  });

  app.post('/api/v1/ops/socket-ticket', {
    preHandler: requireOperator,
    config: { rateLimit: { max: 60, timeWindow: '1 minute', keyGenerator: (request: FastifyRequest) => bearerToken(request) ?? request.ip } },
  }, async (request, reply) => {
    const operator = getOperator(request);
    const now = Date.now();
    dropExpiredTickets(now);
    const ticket = randomBytes(24).toString('base64url');
    const expiresAt = now + SOCKET_TICKET_TTL_MS;
    tickets.set(ticket, { operator: operator.name, sessionId: operator.sessionId, expiresAt });
    const body: OpsSocketTicket = { ticket, expiresAt: new Date(expiresAt).toISOString() };
    return reply.header('cache-control', 'no-store').send(body);
  });

  return {
    requireOperator,
    consumeSocketTicket,
    /** Called with a session's id when it is signed out on this node. */
    onSessionEnded: (listener: (sessionId: number) => void) => { sessionEndedListeners.push(listener); },
    /** Of these sessions, the ones still valid (on the sessions' clock). */
    validSessions: (sessionIds: readonly number[]) => listValidSessionIds(deps.db, sessionIds, deps.clock.now()),
  };
}
