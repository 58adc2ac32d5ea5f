// Builds the sidecar from its dependencies (database, clock, logger, settings) without side effects, so
// tests start one on port 0 against any database and the entry file only wires the real ones.
import type { AddressInfo } from 'node:net';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import type { Db } from '../db/client.ts';
import { findLatestSeq, listChangesSince } from '../db/changes.ts';
import { listMunicipalityReferences } from '../db/reference-data.ts';
import { createChangeFeed, type ChangeFeed } from './change-feed.ts';
import { systemClock, type Clock } from './clock.ts';
import { describeClock, registerClockRoutes } from './http/clock-routes.ts';
import { handleFrameworkError } from './http/errors.ts';
import { registerIngestRoutes } from './http/ingest-routes.ts';
import type { IngestWriter } from './ingest-writer.ts';
import { registerReadRoutes } from './http/read-routes.ts';
import { createLiveNamespace, type LiveNamespace } from './live/live-namespace.ts';
import { registerOpsAuth } from './ops/auth.ts';
import { OPS_ROOM, createOpsNamespace, type OpsNamespace } from './ops/namespace.ts';
import { ElectionReadModel } from './read-model.ts';
import { createStateMonitor, type StateMonitor } from './state-monitor.ts';
import { registerOpsRoutes } from './http/ops-routes.ts';
import { buildBoard } from './ops/board.ts';
import type { Thresholds } from '../lib/contracts/thresholds.ts';
import { recordStateChanges } from '../db/states.ts';

export interface SidecarDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  electionId: string;
  corsOrigins: true | string[];
  ingestBodyLimitBytes?: number;
  ingestRateLimitPerMinute?: number;
  /** Told for /healthz whether the database is embedded. */
  databaseKind: 'embedded' | 'server';
  /** With a simulated clock: the token that may set it through PUT /api/v1/clock. */
  clockControlToken?: string;
  /** Clock of operator sessions; the wall clock unless a test moves it (sessions last real hours). */
  sessionClock?: Clock;
  /** Stall thresholds; without them no state monitor runs (states stay as recorded). */
  thresholds?: Thresholds;
}

export interface Sidecar {
  app: FastifyInstance;
  io: Server;
  live: LiveNamespace;
  opsAuth: ReturnType<typeof registerOpsAuth>;
  ops: OpsNamespace;
  model: ElectionReadModel;
  feed: ChangeFeed;
  monitor: StateMonitor | undefined;
  /** The ingest API's group-commit writer (its queue depth is a health signal). */
  ingestWriter: IngestWriter;
  listen(port: number, host?: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

export async function createSidecar(deps: SidecarDeps): Promise<Sidecar> {
  const election = await deps.db.election.findUnique({ where: { id: deps.electionId }, select: { id: true, name: true, pollsCloseAt: true } });
  if (!election) throw new Error(`election ${deps.electionId} is not in the database; seed it first (npm run db:seed)`);
  const model = new ElectionReadModel({ id: election.id, name: election.name }, await listMunicipalityReferences(deps.db, election.id), () => describeClock(deps.clock));
  const feed = createChangeFeed(
    model,
    (seq, limit) => listChangesSince(deps.db, election.id, seq, limit),
    (error) => deps.logger.error({ err: error }, 'change feed failed; retrying on the next change'),
  );
  // Start-up is the feed catching up from seq 0: the same fold as every later change.
  await feed.waitFor(await findLatestSeq(deps.db, election.id));
  deps.logger.info({ seq: model.seq }, 'read model loaded from the change log');

  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: deps.ingestBodyLimitBytes ?? 64 * 1024,
    // Per-request lines would drown the log on election night; refusals and failures are logged below.
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.removeContentTypeParser(['text/plain']);
  app.setErrorHandler(handleFrameworkError);
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode >= 400 && request.method === 'POST') {
      request.log.info({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'ingest refused');
    }
  });
  await app.register(cors, { origin: deps.corsOrigins, methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'] });
  await app.register(rateLimit, { global: false });

  app.get('/healthz', async (_request, reply) => {
    try {
      await deps.db.$queryRaw`SELECT 1`;
      return { status: 'ok', seq: model.seq, database: deps.databaseKind, viewers: io.of('/live').sockets.size };
    } catch (error) {
      deps.logger.warn({ err: error }, 'health check: database unreachable');
      return reply.code(503).send({ status: 'unavailable', seq: model.seq, database: deps.databaseKind });
    }
  });
  const ingestWriter = registerIngestRoutes(app, {
    db: deps.db, clock: deps.clock, model, feed, electionId: election.id,
    rateLimitPerMinute: deps.ingestRateLimitPerMinute ?? 6000,
  });
  registerReadRoutes(app, model);
  registerClockRoutes(app, deps.clock, deps.clockControlToken);
  // Sessions are real security: they last real hours whatever pace a replay's clock runs at.
  const opsAuth = registerOpsAuth(app, { db: deps.db, clock: deps.sessionClock ?? systemClock });
  const monitor = deps.thresholds
    ? createStateMonitor({
      model, feed, clock: deps.clock, thresholds: deps.thresholds, pollsCloseAt: election.pollsCloseAt, logger: deps.logger,
      record: (changes, at) => recordStateChanges(deps.db, election.id, changes, at),
    })
    : undefined;
  registerOpsRoutes(app, {
    db: deps.db, clock: deps.clock, model, feed, electionId: election.id, pollsCloseAt: election.pollsCloseAt,
    requireOperator: opsAuth.requireOperator, monitor, thresholds: deps.thresholds,
  });
  await app.ready();

  const io = new Server(app.server, {
    cors: { origin: deps.corsOrigins },
    serveClient: false,
    // Missed deltas are replayed on a quick reconnect; past this the client fetches a snapshot.
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: true },
  });
  const live = createLiveNamespace(io, model, feed);
  const ops = createOpsNamespace(io, opsAuth.consumeSocketTicket);
  // Operators see the whole board, rebuilt after every change and every evaluation (coalesced per tick).
  let boardQueued = false;
  const sendBoard = () => {
    if (boardQueued || (ops.adapter.rooms.get(OPS_ROOM)?.size ?? 0) === 0) return;
    boardQueued = true;
    setImmediate(() => {
      boardQueued = false;
      ops.to(OPS_ROOM).emit('board:updated', buildBoard(model, { monitor, thresholds: deps.thresholds, pollsCloseAt: election.pollsCloseAt }));
    });
  };
  feed.onBatch(sendBoard);
  monitor?.onEvaluated(sendBoard);

  return {
    app, io, live, opsAuth, ops, model, feed, monitor, ingestWriter,
    async listen(port, host = '127.0.0.1') {
      await app.listen({ port, host });
      return app.server.address() as AddressInfo;
    },
    async close() {
      // Stop taking requests, let in-flight ones finish (their transactions commit or roll back), then
      // drop viewers; they reconnect elsewhere or to the restarted process and catch up.
      io.disconnectSockets(true);
      await app.close();
      // io.close() closes the HTTP server too, which app.close() already did; its complaint is expected.
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await monitor?.stop();
      await feed.stop();
    },
  };
}
