// GET /healthz: whether this node can serve (its database answers), with its seq, viewers and leadership.
// A process of the sidecar's roles answers for the whole supervisor instead (SidecarDeps.health).
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.ts';
import { pingDatabase } from '../../db/health.ts';

export interface NodeHealth {
  status: number;
  body: Record<string, unknown>;
}

export interface HealthSources {
  db: Db;
  logger: Logger;
  databaseKind: 'embedded' | 'server';
  seq: () => number;
  viewers: () => number;
  isLeader: () => boolean;
}

/** This node's own health check. */
export function createHealthCheck(sources: HealthSources): () => Promise<NodeHealth> {
  return async () => {
    try {
      await pingDatabase(sources.db);
      return { status: 200, body: { status: 'ok', seq: sources.seq(), database: sources.databaseKind, viewers: sources.viewers(), leader: sources.isLeader() } };
    } catch (error) {
      sources.logger.warn({ err: error }, 'health check: database unreachable');
      return { status: 503, body: { status: 'unavailable', seq: sources.seq(), database: sources.databaseKind } };
    }
  };
}

export function registerHealthRoutes(app: FastifyInstance, check: () => Promise<NodeHealth>): void {
  app.get('/healthz', async (_request, reply) => {
    const health = await check();
    return reply.code(health.status).send(health.body);
  });
}
