// Secret comparisons for the sidecar's own bearer tokens (metrics, clock control): constant time, so a
// caller cannot learn a token byte by byte from how long a refusal takes.
import { timingSafeEqual } from 'node:crypto';
import { parseBearer } from './request-limits.ts';

export function isSameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The Authorization header carries `Bearer <token>`. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  return isSameSecret(parseBearer(header) ?? '', token);
}

/** The socket's peer is this machine (whatever X-Forwarded-For says). */
export function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}
