// The operations API: the stall board, acknowledging alerts, "under review" and public notes, the
// watchlist, and a municipality's timeline. Every route requires a signed-in operator (server/ops/auth.ts). Plus the
// public revision log.
import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import { getOperator } from '../ops/auth.ts';
import { z } from 'zod';
import { ZRevisionPage, type RevisionPage, ZAcknowledgeAlert, ZSetOversight, ZWatchlistChange, type MunicipalityTimeline } from '../../lib/contracts/ops.ts';
import { ZChangesQuery } from '../../lib/contracts/api.ts';
import { INT32_MAX, toFieldIssues } from '../../lib/contracts/ingest.ts';
import type { Thresholds } from '../../lib/contracts/thresholds.ts';
import { changedMunicipality, describeChange } from '../../lib/domain/revision.ts';
import type { Db } from '../../db/client.ts';
import { listChangesBefore, listChangesSince } from '../../db/changes.ts';
import { acknowledgeAlert, setOversight, setWatch } from '../../db/oversight.ts';
import { acknowledgeFeedIncident } from '../../db/feed-status.ts';
import { ZAcknowledgeFeedIncident } from '../../lib/contracts/feed-status.ts';
import type { ChangeFeed } from '../change-feed.ts';
import type { Clock } from '../clock.ts';
import { buildBoard } from '../ops/stall-board.ts';
import type { ElectionReadModel } from '../read-model.ts';
import type { StallMonitor } from '../stall-monitor.ts';
import { sendError } from './errors.ts';

export interface OpsRouteDeps {
  db: Db;
  clock: Clock;
  model: ElectionReadModel;
  feed: ChangeFeed;
  electionId: string;
  pollsCloseAt: Date;
  requireOperator: preHandlerHookHandler;
  monitor?: StallMonitor;
  thresholds?: Thresholds;
}

// Alert ids are `integer` columns: a larger id cannot exist, and PostgreSQL would refuse to compare it.
const ZAlertParams = z.object({ id: z.coerce.number().int().positive().max(INT32_MAX, `must be at most ${INT32_MAX}`) });
const ZNumberParams = z.object({ number: z.string().regex(/^\d{4}$/, 'must be a 4-digit municipality number') });

// The feed's statuses (one per poll round, ~1,400 a night) are not revisions of the results: the log shows
// its incidents instead, which say when it went down and came back.
const REVISION_KINDS = { exclude: ['feed.status'] } as const;

export function registerOpsRoutes(app: FastifyInstance, deps: OpsRouteDeps): void {
  const guarded = { preHandler: deps.requireOperator };

  app.get('/api/v1/ops/board', guarded, async (_request, reply) =>
    reply.header('cache-control', 'no-store').send(buildBoard(deps.model, { monitor: deps.monitor, thresholds: deps.thresholds, pollsCloseAt: deps.pollsCloseAt })));

  app.post('/api/v1/ops/alerts/:id/ack', guarded, async (request, reply) => {
    const params = ZAlertParams.safeParse(request.params);
    if (!params.success) return sendError(reply, 400, 'bad_request', 'Malformed alert id', toFieldIssues(params.error));
    const body = ZAcknowledgeAlert.safeParse(request.body);
    if (!body.success) return sendError(reply, 422, 'validation_failed', 'Invalid acknowledgement', toFieldIssues(body.error));
    const outcome = await acknowledgeAlert(deps.db, deps.electionId, params.data.id, body.data, getOperator(request).name, deps.clock.now());
    if (outcome.kind === 'not_found') return sendError(reply, 404, 'not_found', `No alert ${params.data.id}`);
    if (outcome.kind === 'resolved') return sendError(reply, 409, 'alert_resolved', 'The alert is already resolved: progress resumed');
    deps.feed.poke();
    await deps.feed.waitFor(outcome.seq);
    return reply.send(outcome.alert);
  });

  app.post('/api/v1/ops/feed-incidents/:id/ack', guarded, async (request, reply) => {
    const params = ZAlertParams.safeParse(request.params);
    if (!params.success) return sendError(reply, 400, 'bad_request', 'Malformed feed incident id', toFieldIssues(params.error));
    const body = ZAcknowledgeFeedIncident.safeParse(request.body);
    if (!body.success) return sendError(reply, 422, 'validation_failed', 'Invalid acknowledgement', toFieldIssues(body.error));
    const outcome = await acknowledgeFeedIncident(deps.db, deps.electionId, params.data.id, body.data, getOperator(request).name, deps.clock.now());
    if (outcome.kind === 'not_found') return sendError(reply, 404, 'not_found', `No feed incident ${params.data.id}`);
    if (outcome.kind === 'resolved') return sendError(reply, 409, 'incident_resolved', 'The incident is already resolved: the feed is back');
    deps.feed.poke();
    await deps.feed.waitFor(outcome.seq);
    return reply.send(outcome.incident);
  });

  app.put('/api/v1/ops/municipalities/:number/oversight', guarded, async (request, reply) => {
    const params = ZNumberParams.safeParse(request.params);
    if (!params.success) return sendError(reply, 400, 'bad_request', 'Malformed municipality number', toFieldIssues(params.error));
    const body = ZSetOversight.safeParse(request.body);
    if (!body.success) return sendError(reply, 422, 'validation_failed', 'Invalid change', toFieldIssues(body.error));
    const outcome = await setOversight(deps.db, deps.electionId, params.data.number, body.data, getOperator(request).name, deps.clock.now());
    if (!outcome) return sendError(reply, 404, 'not_found', `No municipality ${params.data.number}`);
    if (outcome.seq !== null) {
      deps.feed.poke();
      await deps.feed.waitFor(outcome.seq);
      // "Under review" changes the state: record it now rather than at the next tick.
      await deps.monitor?.evaluate();
    }
    // setOversight found the municipality, and the model holds every municipality of the election.
    const record = deps.model.findRecord(params.data.number)!;
    return reply.send({ municipality: params.data.number, ...record.oversight, state: record.state.state });
  });

  // The watchlist is the operators': add (or give a new reason) with PUT, remove with DELETE, each with a reason.
  for (const method of ['PUT', 'DELETE'] as const) {
    app.route({
      method, url: '/api/v1/ops/watchlist/:number', preHandler: deps.requireOperator,
      handler: async (request, reply) => {
        const params = ZNumberParams.safeParse(request.params);
        if (!params.success) return sendError(reply, 400, 'bad_request', 'Malformed municipality number', toFieldIssues(params.error));
        const body = ZWatchlistChange.safeParse(request.body ?? {});
        if (!body.success) return sendError(reply, 422, 'validation_failed', 'Invalid watchlist change', toFieldIssues(body.error));
        const outcome = await setWatch(deps.db, deps.electionId, params.data.number, { watch: method === 'PUT', reason: body.data.reason }, getOperator(request).name, deps.clock.now());
        if (!outcome) return sendError(reply, 404, 'not_found', `No municipality ${params.data.number}`);
        if (outcome.seq !== null) {
          deps.feed.poke();
          await deps.feed.waitFor(outcome.seq);
        }
        return reply.send(outcome.answer);
      },
    });
  }

  app.get('/api/v1/ops/municipalities/:number/timeline', guarded, async (request, reply) => {
    const params = ZNumberParams.safeParse(request.params);
    if (!params.success) return sendError(reply, 400, 'bad_request', 'Malformed municipality number', toFieldIssues(params.error));
    const record = deps.model.findRecord(params.data.number);
    if (!record) return sendError(reply, 404, 'not_found', `No municipality ${params.data.number}`);
    const timeline: MunicipalityTimeline = {
      number: params.data.number,
      progress: record.progress,
      spans: record.stateHistory.map((entry, i) => ({ state: entry.state, from: entry.from, to: record.stateHistory[i + 1]?.from ?? null })),
    };
    return reply.send(timeline);
  });

  // Public: every accepted report, correction, status change, acknowledgement and public note, in order.
  app.get('/api/v1/changes', async (request, reply) => {
    const query = ZChangesQuery.safeParse(request.query);
    if (!query.success) return sendError(reply, 400, 'bad_request', 'Invalid query', toFieldIssues(query.error));
    const { since, limit, municipality, before, lang } = query.data;
    if (municipality && !deps.model.findRecord(municipality)) {
      return sendError(reply, 404, 'not_found', `No municipality ${municipality} in this election`, [{ field: 'municipality', reason: 'unknown municipality' }]);
    }
    // One more than asked for when paging back tells whether an older page exists.
    const entries = before === undefined
      ? await listChangesSince(deps.db, deps.electionId, since, limit, municipality, REVISION_KINDS)
      : await listChangesBefore(deps.db, deps.electionId, before, limit + 1, municipality, since, REVISION_KINDS);
    const older = before !== undefined && entries.length > limit;
    if (older) entries.shift();
    const districtName = (number: string, district: string) => deps.model.findRecord(number)?.districts.find((d) => d.number === district)?.name;
    const page: RevisionPage = {
      latestSeq: deps.model.seq,
      // older means more than limit entries were read, so one is left after the shift.
      ...(before === undefined ? {} : { nextBefore: older ? entries[0]!.seq : null }),
      revisions: entries.map((entry) => {
        const described = describeChange(entry, districtName, lang);
        const number = changedMunicipality(entry);
        return {
          seq: entry.seq, at: entry.at, actor: entry.actor.startsWith('operator:') ? 'valgmyndighetene' : entry.actor,
          kind: entry.kind, municipality: number, municipalityName: (number && deps.model.findRecord(number)?.ref.name) ?? null, ...described,
        };
      }),
    };
    ZRevisionPage.parse(page);
    return reply.header('cache-control', 'public, max-age=2').send(page);
  });
}
