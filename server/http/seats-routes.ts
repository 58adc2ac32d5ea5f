// Seats as a source reports them (POST /api/v1/seats), for elections whose seats Valgvakt does not compute.
// authenticate (a seat source's token) → parse (zod) → check against the election → store with its change
// (one transaction) → acknowledge once committed. A refused request changes nothing.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { toFieldIssues, type IngestAccepted } from '../../lib/contracts/ingest.ts';
import { ZSeatsReport } from '../../lib/contracts/seats.ts';
import { checkSeatsReport, toSeatsPayload } from '../../lib/domain/reported-seats.ts';
import type { Db } from '../../db/client.ts';
import { recordReportedSeats } from '../../db/seats.ts';
import type { ChangeFeed } from '../change-feed.ts';
import type { Clock } from '../clock.ts';
import type { ElectionReadModel } from '../read-model.ts';
import { sendError } from './errors.ts';
import { createSeatsAuthentication, getSeatsPrincipal } from './seats-auth.ts';

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

export function registerSeatsRoutes(app: FastifyInstance, deps: SeatsRouteDeps): void {
  const authenticate = createSeatsAuthentication(app, { db: deps.db, electionId: deps.electionId, scope: 'seats', rateLimitPerMinute: deps.rateLimitPerMinute, unauthenticatedRateLimitPerMinute: deps.unauthenticatedRateLimitPerMinute });

  app.post('/api/v1/seats', { onRequest: authenticate }, async (request, reply) => {
    const principal = getSeatsPrincipal(request);
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
