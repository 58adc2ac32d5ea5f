// Public reads, served from the in-memory read model with the seq they reflect as ETag, so pollers and
// proxies can revalidate cheaply and no viewer request reaches the database.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { toFieldIssues } from '../../lib/contracts/ingest.ts';
import { SNAPSHOT_CACHE_CONTROL, chooseContentCoding } from '../../lib/page-cache.ts';
import type { ElectionReadModel } from '../read-model.ts';
import { sendError } from './errors.ts';
import { createSnapshotBodies } from './snapshot-body.ts';

const ZCountyParams = z.object({ number: z.string().regex(/^\d{2}$/, 'must be a 2-digit county number') });
const ZMunicipalityParams = z.object({ number: z.string().regex(/^\d{4}$/, 'must be a 4-digit municipality number') });
const PUBLIC_CACHE = 'public, max-age=2, stale-while-revalidate=5';

export function etagFor(seq: number, scope: string): string {
  return `"${scope}-${seq}"`;
}

/** Sets ETag and Cache-Control; true when the client's If-None-Match already names this ETag (answer 304). */
export function notModified(request: FastifyRequest, reply: FastifyReply, etag: string): boolean {
  reply.header('etag', etag).header('cache-control', PUBLIC_CACHE);
  const condition = request.headers['if-none-match'];
  return condition !== undefined && condition.split(',').map((v) => v.trim().replace(/^W\//, '')).includes(etag);
}

export function registerReadRoutes(app: FastifyInstance, model: ElectionReadModel): void {
  const lateTag = () => (model.source().feed?.health === 'late' ? '-late' : '');
  const snapshotBodies = createSnapshotBodies({ currentSeq: () => model.seq, serve: () => model.serveSnapshot() });
  // Shared caches (a CDN, nginx) may hold it 2 s and serve it stale 10 s more while refetching; it comes
  // precompressed (docs/deployment.md, ARCHITECTURE.md "Public pages and the shared cache").
  app.get('/api/v1/snapshot', async (request, reply) => {
    const { seq, bodies } = await snapshotBodies();
    // The feed turns late by the clock alone, with no new seq: a late source is another body.
    const notChanged = notModified(request, reply, `${etagFor(seq, 'snapshot').slice(0, -1)}${lateTag()}"`);
    const vary = reply.getHeader('vary');
    reply.header('cache-control', SNAPSHOT_CACHE_CONTROL).header('vary', vary ? `${String(vary)}, Accept-Encoding` : 'Accept-Encoding');
    if (notChanged) return reply.code(304).send();
    const coding = chooseContentCoding(request.headers['accept-encoding']);
    if (coding !== 'identity') reply.header('content-encoding', coding);
    return reply.type('application/json; charset=utf-8').header('x-valgvakt-seq', String(seq)).send(bodies[coding]);
  });

  app.get('/api/v1/counties/:number', async (request, reply) => {
    const params = ZCountyParams.safeParse(request.params);
    if (!params.success) return sendError(reply, 400, 'bad_request', 'Malformed county number', toFieldIssues(params.error));
    const detail = model.countyDetail(params.data.number);
    if (!detail) return sendError(reply, 404, 'not_found', `No county ${params.data.number} in this election`, [{ field: 'number', reason: 'unknown county' }]);
    if (notModified(request, reply, etagFor(detail.seq, `county-${params.data.number}`))) return reply.code(304).send();
    return reply.header('x-valgvakt-seq', String(detail.seq)).send(detail);
  });

  app.get('/api/v1/municipalities/:number', async (request, reply) => {
    const params = ZMunicipalityParams.safeParse(request.params);
    if (!params.success) return sendError(reply, 400, 'bad_request', 'Malformed municipality number', toFieldIssues(params.error));
    const detail = model.detail(params.data.number);
    if (!detail) return sendError(reply, 404, 'not_found', `No municipality ${params.data.number} in this election`, [{ field: 'number', reason: 'unknown municipality' }]);
    if (notModified(request, reply, `${etagFor(detail.seq, `municipality-${params.data.number}`).slice(0, -1)}${lateTag()}"`)) return reply.code(304).send();
    return reply.header('x-valgvakt-seq', String(detail.seq)).send(detail);
  });
}
