// The operators' alert channels: list, create, change, delete, send a test, and the delivery log. Every
// route requires a signed-in operator (server/ops/auth.ts). Sending itself is the leader's dispatcher's
// (server/alerts/dispatcher.ts); only a test is sent from here, at once.
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import { z } from 'zod';
import {
  ZAlertDeliveriesQuery, ZCreateAlertChannel, ZUpdateAlertChannel, isValidTarget,
} from '../../lib/contracts/alert-channels.ts';
import { INT32_MAX, toFieldIssues } from '../../lib/contracts/ingest.ts';
import { TEST_MESSAGE } from '../../lib/domain/alert-channels.ts';
import type { Db } from '../../db/client.ts';
import {
  createAlertChannel, deleteAlertChannel, findAlertChannelRow, listAlertChannels, listAlertDeliveries, recordTestDelivery, updateAlertChannel,
} from '../../db/alert-channels.ts';
import type { AlertSenders } from '../alerts/senders.ts';
import type { ElectionReadModel } from '../read-model.ts';
import { sendError } from './errors.ts';
import { getOperator } from '../ops/auth.ts';

export interface AlertChannelRouteDeps {
  db: Db;
  model: ElectionReadModel;
  senders: AlertSenders;
  requireOperator: preHandlerHookHandler;
  /** Wall time of the delivery log. */
  now?: () => Date;
}

const ZChannelParams = z.object({ id: z.coerce.number().int().positive().max(INT32_MAX, `must be at most ${INT32_MAX}`) });

/** Channels are listed without their secret; a webhook's secret is answered once, on creation. */
export function registerAlertChannelRoutes(app: FastifyInstance, deps: AlertChannelRouteDeps): void {
  const guarded = { preHandler: deps.requireOperator };
  const now = deps.now ?? (() => new Date());
  const noStore = { 'cache-control': 'no-store' };

  app.get('/api/v1/ops/alert-channels', guarded, async (_request, reply) => reply.headers(noStore).send(await listAlertChannels(deps.db)));

  app.post('/api/v1/ops/alert-channels', guarded, async (request, reply) => {
    const body = ZCreateAlertChannel.safeParse(request.body);
    if (!body.success) return sendError(reply, 422, 'validation_failed', 'Invalid alert channel', toFieldIssues(body.error));
    const countyError = checkCounty(deps.model, body.data.scope);
    if (countyError) return sendError(reply, 422, 'validation_failed', 'Invalid alert channel', [{ field: 'scope', reason: countyError }]);
    const secret = body.data.kind === 'webhook' ? body.data.secret ?? randomBytes(32).toString('hex') : null;
    const channel = await createAlertChannel(deps.db, { ...body.data, secret }, getOperator(request).name);
    return reply.code(201).headers(noStore).send({ ...channel, secret });
  });

  app.patch('/api/v1/ops/alert-channels/:id', guarded, async (request, reply) => {
    const params = ZChannelParams.safeParse(request.params);
    if (!params.success) return sendError(reply, 400, 'bad_request', 'Malformed channel id', toFieldIssues(params.error));
    const body = ZUpdateAlertChannel.safeParse(request.body);
    if (!body.success) return sendError(reply, 422, 'validation_failed', 'Invalid change', toFieldIssues(body.error));
    const existing = await findAlertChannelRow(deps.db, params.data.id);
    if (!existing) return sendError(reply, 404, 'not_found', `No alert channel ${params.data.id}`);
    if (body.data.target !== undefined && !isValidTarget(existing.kind, body.data.target)) {
      return sendError(reply, 422, 'validation_failed', 'Invalid change', [{ field: 'target', reason: existing.kind === 'email' ? 'must be e-mail addresses separated by commas' : 'must be an http(s) URL' }]);
    }
    if (body.data.secret !== undefined && existing.kind !== 'webhook') {
      return sendError(reply, 422, 'validation_failed', 'Invalid change', [{ field: 'secret', reason: 'only a webhook has a secret' }]);
    }
    const countyError = body.data.scope === undefined ? null : checkCounty(deps.model, body.data.scope);
    if (countyError) return sendError(reply, 422, 'validation_failed', 'Invalid change', [{ field: 'scope', reason: countyError }]);
    const channel = await updateAlertChannel(deps.db, params.data.id, body.data);
    if (!channel) return sendError(reply, 404, 'not_found', `No alert channel ${params.data.id}`);
    return reply.headers(noStore).send(channel);
  });

  app.delete('/api/v1/ops/alert-channels/:id', guarded, async (request, reply) => {
    const params = ZChannelParams.safeParse(request.params);
    if (!params.success) return sendError(reply, 400, 'bad_request', 'Malformed channel id', toFieldIssues(params.error));
    if (!(await deleteAlertChannel(deps.db, params.data.id))) return sendError(reply, 404, 'not_found', `No alert channel ${params.data.id}`);
    return reply.code(204).send();
  });

  app.post('/api/v1/ops/alert-channels/:id/test', guarded, async (request, reply) => {
    const params = ZChannelParams.safeParse(request.params);
    if (!params.success) return sendError(reply, 400, 'bad_request', 'Malformed channel id', toFieldIssues(params.error));
    const channel = await findAlertChannelRow(deps.db, params.data.id);
    if (!channel) return sendError(reply, 404, 'not_found', `No alert channel ${params.data.id}`);
    // A test has no delivery row until it is done (it is never retried): its key is its own.
    const deliveryId = `test-${randomUUID()}`;
    const at = now();
    let error: string | null = null;
    try {
      await deps.senders.send(channel, {
        deliveryId, ...TEST_MESSAGE,
        body: { event: 'test', deliveryId, seq: null, at: at.toISOString(), alert: null, municipality: null, text: TEST_MESSAGE.text },
      });
    } catch (failure) {
      error = failure instanceof Error ? (failure.cause instanceof Error ? `${failure.message}: ${failure.cause.message}` : failure.message) : String(failure);
    }
    const delivery = await recordTestDelivery(deps.db, channel.id, at, error);
    return reply.headers(noStore).send({ ok: error === null, error, delivery });
  });

  app.get('/api/v1/ops/alert-deliveries', guarded, async (request, reply) => {
    const query = ZAlertDeliveriesQuery.safeParse(request.query);
    if (!query.success) return sendError(reply, 400, 'bad_request', 'Invalid query', toFieldIssues(query.error));
    return reply.headers(noStore).send(await listAlertDeliveries(deps.db, query.data));
  });
}

function checkCounty(model: ElectionReadModel, scope: string): string | null {
  const county = /^county:(\d{2})$/.exec(scope)?.[1];
  if (county === undefined) return null;
  return [...model.records()].some((record) => record.ref.countyNumber === county) ? null : `no county ${county} in this election`;
}

