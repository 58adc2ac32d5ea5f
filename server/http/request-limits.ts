// Request limits that cannot be turned against the people they protect: keyed by what a request proves
// (its credential, the signing-in account at an address) rather than by how its headers are spelled, and
// counted before the database is asked. Built on @fastify/rate-limit's store (its `createRateLimit`).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './errors.ts';

/** The token of an `Authorization: Bearer <token>` header, whatever the scheme's case and the spacing. */
export function parseBearer(header: string | undefined): string | undefined {
  return header?.match(/^\s*bearer\s+(\S+)\s*$/i)?.[1];
}

/**
 * The part of a client address a limit counts: an IPv4 address whole, an IPv6 address by its /64 (one
 * subscriber usually holds a whole /64, and would otherwise get a fresh budget per address in it).
 */
export function limitKeyOf(address: string): string {
  const mapped = address.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i);
  // A match has its one group.
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  // split always returns at least one part.
  const [head = '', tail = ''] = address.toLowerCase().split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
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
