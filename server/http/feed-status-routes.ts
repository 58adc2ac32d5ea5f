// The official feed's health as its watchdog reports it (POST /api/v1/feed-status), after every poll round.
// authenticate (a seat source's token: the watchdog holds one) → parse (zod) → store with its change (one
// transaction) → acknowledge once committed. A refused request changes nothing.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ZFeedStatusReport } from '../../lib/contracts/feed-status.ts';
import { toFieldIssues, type IngestAccepted } from '../../lib/contracts/ingest.ts';
import { checkFeedStatus, toFeedStatusPayload } from '../../lib/domain/feed-status.ts';
import type { Db } from '../../db/client.ts';
import { recordFeedStatus } from '../../db/feed-status.ts';
import type { ChangeFeed } from '../change-feed.ts';
import type { Clock } from '../clock.ts';
import { sendError } from './errors.ts';
import { createSeatsAuthentication, getSeatsPrincipal } from './seats-auth.ts';

export interface FeedStatusRouteDeps {
  db: Db;
  clock: Clock;
  feed: ChangeFeed;
  electionId: string;
  pollsCloseAt: Date;
  rateLimitPerMinute: number;
  unauthenticatedRateLimitPerMinute: number;
  /** Called after a status is committed (the stall monitor judges the feed's incident at once). */
  onStatus?: () => void;
}

export function registerFeedStatusRoutes(app: FastifyInstance, deps: FeedStatusRouteDeps): void {
  const authenticate = createSeatsAuthentication(app, { db: deps.db, electionId: deps.electionId, scope: 'feed-status', rateLimitPerMinute: deps.rateLimitPerMinute, unauthenticatedRateLimitPerMinute: deps.unauthenticatedRateLimitPerMinute });

  app.post('/api/v1/feed-status', { onRequest: authenticate }, async (request, reply) => {
    const principal = getSeatsPrincipal(request);
    const parsed = ZFeedStatusReport.safeParse(request.body);
    if (!parsed.success) return sendError(reply, 422, 'validation_failed', 'The feed status has invalid fields', toFieldIssues(parsed.error));
    const now = deps.clock.now();
    const issues = checkFeedStatus(parsed.data, now, deps.pollsCloseAt);
    if (issues.length > 0) return sendError(reply, 422, 'validation_failed', 'The feed status does not fit the clock', issues);
    const payload = toFeedStatusPayload(parsed.data, now);
    // receivedAt is ours, not the watchdog's: a resend must hash the same.
    const payloadHash = createHash('sha256').update(JSON.stringify({ ...payload, receivedAt: undefined })).digest('hex');
    const outcome = await recordFeedStatus(deps.db, deps.electionId, payload, payloadHash, principal.credentialId, `feed:${principal.label}`, now);
    if (outcome.kind === 'conflict') return sendError(reply, 409, 'version_conflict', outcome.reason, [{ field: outcome.field, reason: outcome.reason }]);
    if (outcome.kind === 'created') {
      deps.feed.poke();
      deps.onStatus?.();
    }
    const body: IngestAccepted = { seq: outcome.seq, status: outcome.kind };
    return reply.code(outcome.kind === 'created' ? 201 : 200).send(body);
  });
}
