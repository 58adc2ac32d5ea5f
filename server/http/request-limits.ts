// Request limits that cannot be turned against the people they protect: keyed by what a request proves
// (its credential, the signing-in account at an address) rather than by how its headers are spelled, and
// counted before the database is asked. Built on @fastify/rate-limit's store (its `createRateLimit`).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './errors.ts';

/** The token of an `Authorization: Bearer <token>` header, whatever the scheme's case and the spacing. */
export function parseBearer(header: string | undefined): string | undefined {
  return header?.match(/^\s*bearer\s+(\S+)\s*$/i)?.[1];
}

export interface RequestLimit {
  /** Counts the request against its key; true when it is over the limit (the reply is then sent: 429). */
  exceeded(request: FastifyRequest, reply: FastifyReply): Promise<boolean>;
}

export function createRequestLimit(app: FastifyInstance, options: { max: number; windowMs: number; key: (request: FastifyRequest) => string }): RequestLimit {
  const limit = app.createRateLimit({ max: options.max, timeWindow: options.windowMs, keyGenerator: options.key });
  async function check(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const outcome = await limit(request);
    if (outcome.isAllowed || !outcome.isExceeded) return false;
    reply.header('retry-after', String(Math.max(1, outcome.ttlInSeconds)));
    sendError(reply, 429, 'rate_limited', `Too many requests; retry in ${Math.max(1, outcome.ttlInSeconds)} s`);
    return true;
  }
  return { exceeded: check };
}
