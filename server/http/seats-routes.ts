// Seats as a source reports them (POST /api/v1/seats), for elections whose seats Valgvakt does not compute.
// authenticate (a seat source's token) → parse (zod) → check against the election → store with its change
// (one transaction) → acknowledge once committed. A refused request changes nothing.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toFieldIssues, type IngestAccepted } from '../../lib/contracts/ingest.ts';
import { ZSeatsReport } from '../../lib/contracts/seats.ts';
import { checkSeatsReport, toSeatsPayload } from '../../lib/domain/reported-seats.ts';
import type { Db } from '../../db/client.ts';
import { findSeatsPrincipal, recordReportedSeats, type SeatsPrincipal } from '../../db/seats.ts';
import type { ChangeFeed } from '../change-feed.ts';
import type { Clock } from '../clock.ts';
import type { ElectionReadModel } from '../read-model.ts';
import { sendError } from './errors.ts';
import { createRequestLimit, limitKeyOf, parseBearer } from './request-limits.ts';

export interface SeatsRouteDeps {
  db: Db;
  clock: Clock;
  model: ElectionReadModel;
  feed: ChangeFeed;
  electionId: string;
  pollsCloseAt: Date;
  rateLimitPerMinute: number;
  unauthenticatedRateLimitPerMinute: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    seatsPrincipal?: SeatsPrincipal;
  }
}

export function registerSeatsRoutes(app: FastifyInstance, deps: SeatsRouteDeps): void {
  const perCredential = createRequestLimit(app, {
    max: deps.rateLimitPerMinute, windowMs: 60_000, key: (request) => `seats:credential:${request.seatsPrincipal?.credentialId}`,
  });
  const perAddressUnauthenticated = createRequestLimit(app, {
    max: deps.unauthenticatedRateLimitPerMinute, windowMs: 60_000, key: (request) => `seats:unauthenticated:${limitKeyOf(request.ip)}`,
  });

  async function authenticate(request: FastifyRequest, reply: FastifyReply) {
    const token = parseBearer(request.headers.authorization);
    const principal = token ? await findSeatsPrincipal(deps.db, deps.electionId, token) : null;
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
  }

  app.post('/api/v1/seats', { onRequest: authenticate }, async (request, reply) => {
    const principal = request.seatsPrincipal!;
    const parsed = ZSeatsReport.safeParse(request.body);
    if (!parsed.success) return sendError(reply, 422, 'validation_failed', 'The seats report has invalid fields', toFieldIssues(parsed.error));
    const now = deps.clock.now();
    const issues = checkSeatsReport(parsed.data, deps.model.seatsReference(), now, deps.pollsCloseAt);
    if (issues.length > 0) return sendError(reply, 422, 'validation_failed', 'The seats report does not fit the election', issues);
    const payload = toSeatsPayload(parsed.data, now);
    // receivedAt is ours, not the source's: a resend must hash the same.
    const payloadHash = createHash('sha256').update(JSON.stringify({ ...payload, receivedAt: undefined })).digest('hex');
    const outcome = await recordReportedSeats(deps.db, deps.electionId, payload, payloadHash, principal.credentialId, `seats:${principal.label}`, now);
    if (outcome.kind === 'conflict') return sendError(reply, 409, 'version_conflict', outcome.reason, [{ field: outcome.field, reason: outcome.reason }]);
    if (outcome.kind === 'created') deps.feed.poke();
    const body: IngestAccepted = { seq: outcome.seq, status: outcome.kind };
    return reply.code(outcome.kind === 'created' ? 201 : 200).send(body);
  });
}
