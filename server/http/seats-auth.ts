// Authentication of a seat source's token, shared by the routes a seat source (the directorate, or a watchdog
// reading the official feed) may call: POST /api/v1/seats and POST /api/v1/feed-status. Each route keeps its
// own request budgets (`scope`), so a watchdog's statuses never spend its seats reports' budget.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/client.ts';
import { findSeatsPrincipal, type SeatsPrincipal } from '../../db/seats.ts';
import { sendError } from './errors.ts';
import { createRequestLimit, limitKeyOf, parseBearer } from './request-limits.ts';

declare module 'fastify' {
  interface FastifyRequest {
    seatsPrincipal?: SeatsPrincipal;
  }
}

/** The seat source the authentication hook found; throws in a route without that hook (a programming error). */
export function getSeatsPrincipal(request: FastifyRequest): SeatsPrincipal {
  if (!request.seatsPrincipal) throw new Error(`${request.method} ${request.routeOptions.url} reads the seat source without its authentication`);
  return request.seatsPrincipal;
}

export interface SeatsAuthenticationOptions {
  db: Db;
  electionId: string;
  /** Prefix of the request budgets' keys: one budget per route. */
  scope: string;
  rateLimitPerMinute: number;
  unauthenticatedRateLimitPerMinute: number;
}

/**
 * An onRequest hook: 401 without a valid seats token (counted against the caller's address), 429 beyond the
 * credential's budget, 415 for a body that is not JSON; else `request.seatsPrincipal` is set.
 */
export function createSeatsAuthentication(app: FastifyInstance, options: SeatsAuthenticationOptions) {
  const perCredential = createRequestLimit(app, {
    max: options.rateLimitPerMinute, windowMs: 60_000, key: (request) => `${options.scope}:credential:${request.seatsPrincipal?.credentialId}`,
  });
  const perAddressUnauthenticated = createRequestLimit(app, {
    max: options.unauthenticatedRateLimitPerMinute, windowMs: 60_000, key: (request) => `${options.scope}:unauthenticated:${limitKeyOf(request.ip)}`,
  });
  return async function authenticate(request: FastifyRequest, reply: FastifyReply) {
    const token = parseBearer(request.headers.authorization);
    const principal = token ? await findSeatsPrincipal(options.db, options.electionId, token) : null;
    if (!principal) {
      if (await perAddressUnauthenticated.exceeded(request, reply)) return reply;
      return token
        ? sendError(reply.header('www-authenticate', 'Bearer error="invalid_token"'), 401, 'unauthenticated', 'The seats token is unknown, revoked or of another election')
        : sendError(reply.header('www-authenticate', 'Bearer'), 401, 'unauthenticated', 'Send a seats token as "Authorization: Bearer <token>" (npm run token -- seats)');
    }
    request.seatsPrincipal = principal;
    if (await perCredential.exceeded(request, reply)) return reply;
    const type = request.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(type)) return sendError(reply, 415, 'unsupported_media_type', 'Send the body as application/json');
  };
}
