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
import { findElectionInfo, listMunicipalityReferences } from '../db/reference-data.ts';
import { createChangeFeed, type SharedChangeFeed } from './change-feed.ts';
import { systemClock, type Clock } from './clock.ts';
import { describeClock, registerClockRoutes } from './http/clock-routes.ts';
import type { TrustProxy } from './config.ts';
import { handleFrameworkError } from './http/errors.ts';
import { parseBearer } from './http/request-limits.ts';
import { registerSeatsRoutes } from './http/seats-routes.ts';
import { registerFeedStatusRoutes } from './http/feed-status-routes.ts';
import { registerIngestRoutes } from './intake/routes.ts';
import { createReportWriter, type IngestWriter } from './intake/writer.ts';
import { registerReadRoutes } from './http/read-routes.ts';
import { registerElectionRoutes } from './http/election-routes.ts';
import type { ElectionInfo } from '../lib/contracts/election.ts';
import { registerExportRoutes } from './http/export-routes.ts';
import { recordRoutes, registerApiDocsRoutes } from './http/openapi.ts';
import { createLiveNamespace, type LiveNamespace } from './live/live-namespace.ts';
import { registerOpsAuth } from './ops/auth.ts';
import { OPS_ROOM, createOpsNamespace, type OpsNamespace } from './ops/namespace.ts';
import { ElectionReadModel } from './read-model.ts';
import { createStateMonitor, type StateMonitor } from './stall-monitor.ts';
import { registerOpsRoutes } from './http/ops-routes.ts';
import { registerAlertChannelRoutes } from './http/alert-channel-routes.ts';
import { buildBoard } from './ops/stall-board.ts';
import type { Thresholds } from '../lib/contracts/thresholds.ts';
import { recordStateChanges } from '../db/states.ts';
import { raiseFeedIncident, resolveFeedIncident } from '../db/feed-status.ts';
import type { CommitListener } from './cluster/commit-notices.ts';
import { soleLeadership, type Leadership } from './cluster/leadership.ts';
import type { SharedAdapter } from './cluster/shared-adapter.ts';
import { computeQueueMetrics } from '../lib/domain/queue.ts';
import { createSidecarMetrics, type SidecarMetrics } from './metrics.ts';
import { timingSafeEqual } from 'node:crypto';
import { createAlertDispatcher, hasAlertChange, type AlertDispatcher } from './alerts/dispatcher.ts';
import { createAlertSenders, type MailSettings } from './alerts/senders.ts';
import type { RetrySchedule } from '../lib/domain/alert-channels.ts';

export interface SidecarDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  electionId: string;
  corsOrigins: true | string[];
  /** The web app's own origins: the only ones browsers may call operator routes from (SITE_ORIGINS). */
  siteOrigins?: string[];
  ingestBodyLimitBytes?: number;
  ingestRateLimitPerMinute?: number;
  /** Requests without a known ingest token, per client address (default 60 a minute). */
  ingestUnauthenticatedRateLimitPerMinute?: number;
  /** Time a client has to send a whole request, body included (408 and closed after); default 30 s. */
  requestTimeoutMs?: number;
  /** A connection with no traffic at all is closed after this; default 120 s. WebSockets ping within it. */
  idleTimeoutMs?: number;
  /** Whose X-Forwarded-For to believe (Fastify's trustProxy; TRUST_PROXY); default: loopback peers. */
  trustProxy?: TrustProxy;
  /** Told for /healthz whether the database is embedded. */
  databaseKind: 'embedded' | 'server';
  /** With a simulated clock: the token that may set it through PUT /api/v1/clock. */
  clockControlToken?: string;
  /** Clock of operator sessions; the wall clock unless a test moves it (sessions last real hours). */
  sessionClock?: Clock;
  /** Stall thresholds; without them no state monitor runs (states stay as recorded). */
  thresholds?: Thresholds;
  /** A Socket.IO adapter shared with other sidecars (Redis); without it the in-memory adapter. */
  sharedAdapter?: SharedAdapter;
  /** Who records states and alerts (and sends deltas through a shared adapter); default: this node alone. Stopped on close. */
  leadership?: Leadership;
  /** Other nodes' commits (PostgreSQL LISTEN); without it only this node's own commits reach the feed. Stopped on close. */
  commitListener?: CommitListener;
  /** Bearer token GET /metrics requires; without it only loopback peers may scrape. */
  metricsToken?: string;
  /** Answers GET /healthz instead of this node alone: a process of the sidecar's roles asks its supervisor. */
  health?: () => Promise<NodeHealth>;
  /**
   * Alerts to channels (webhook, Slack, e-mail): the leader dispatches them when this is given; without it
   * no dispatcher runs (test sends from the console still work, with the default mail settings).
   */
  alerts?: AlertDispatchOptions;
}

export interface AlertDispatchOptions {
  mail: MailSettings;
  retrySchedule?: RetrySchedule;
  /** How often the leader looks for due deliveries without a poke (default 1 s). */
  tickMs?: number;
  /** A claimed delivery's lease (default 30 s). */
  leaseMs?: number;
  /** A send's timeout (default 5 s). */
  sendTimeoutMs?: number;
}

/** Mail settings when none are configured: e-mail channels fail with a clear error until SMTP_URL is set. */
const NO_MAIL: MailSettings = { from: 'Valgvakt <valgvakt@localhost>' };

export interface NodeHealth {
  status: number;
  body: Record<string, unknown>;
}

/** How often a node with other writers looks for changes even without a notice (a notice lost in a reconnect). */
const SAFETY_POLL_MS = 5000;
const INGEST_ROUTES = new Set(['/api/v1/results', '/api/v1/results/batch', '/api/v1/status']);

export interface Sidecar {
  app: FastifyInstance;
  /** Every route registered (method, Fastify URL), HEAD and OPTIONS aside: what the API document must cover. */
  routes: ReadonlyArray<{ method: string; url: string }>;
  io: Server;
  live: LiveNamespace;
  opsAuth: ReturnType<typeof registerOpsAuth>;
  ops: OpsNamespace;
  model: ElectionReadModel;
  feed: SharedChangeFeed;
  monitor: StateMonitor | undefined;
  leadership: Leadership;
  metrics: SidecarMetrics;
  /** The ingest API's group-commit writer (its queue depth is a health signal). */
  ingestWriter: IngestWriter;
  /** The alert dispatcher (runs while this node leads); undefined without `alerts`. */
  alertDispatcher: AlertDispatcher | undefined;
  /** This node's own health (what /healthz answers without the `health` dependency). */
  checkHealth(): Promise<NodeHealth>;
  listen(port: number, host?: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

export async function createSidecar(deps: SidecarDeps): Promise<Sidecar> {
  const election = await findElectionInfo(deps.db, deps.electionId);
  if (!election) throw new Error(`election ${deps.electionId} is not in the database; import its package first (npm run election -- import <folder>)`);
  const electionInfo: ElectionInfo = {
    id: election.id, name: election.name, kind: election.kind as ElectionInfo['kind'], electionDay: election.electionDay.toISOString().slice(0, 10),
    pollsCloseAt: election.pollsCloseAt.toISOString(), timeZone: election.timeZone, comparisonYear: election.comparisonYear,
  };
  const model = new ElectionReadModel(electionInfo, await listMunicipalityReferences(deps.db, election.id), () => describeClock(deps.clock));
  const feed = createChangeFeed(
    model,
    (seq, limit) => listChangesSince(deps.db, election.id, seq, limit),
    (error) => deps.logger.error({ err: error }, 'change feed failed; retrying on the next change'),
  );
  // Start-up is the feed catching up from seq 0: the same fold as every later change.
  await feed.waitFor(await findLatestSeq(deps.db, election.id));
  deps.logger.info({ seq: model.seq }, 'read model loaded from the change log');
  const electionId = election.id;
  const leadership = deps.leadership ?? soleLeadership();
  let newestSeqSeen = model.seq;
  const metrics = createSidecarMetrics({
    viewers: () => live.sockets.size,
    operators: () => ops.sockets.size,
    transferQueue: () => computeQueueMetrics(model.records(), deps.clock.now()),
    modelSeq: () => model.seq,
    newestSeqSeen: () => newestSeqSeen,
    isLeader: () => leadership.isLeader(),
    commitNoticesConnected: deps.commitListener && (() => deps.commitListener!.connected()),
    now: () => deps.clock.now(),
  });

  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: deps.ingestBodyLimitBytes ?? 64 * 1024,
    // A client that trickles its body or headers, or holds a connection silent, is cut off (Fastify's
    // defaults never time out); the server checks every second rather than Node's default 30 s.
    requestTimeout: deps.requestTimeoutMs ?? 30_000,
    connectionTimeout: deps.idleTimeoutMs ?? 120_000,
    http: { headersTimeout: Math.min(10_000, deps.requestTimeoutMs ?? 30_000), connectionsCheckingInterval: 1000 },
    // Limits key on the real client: the web server passes the visitor's address, proxies theirs.
    trustProxy: deps.trustProxy ?? ['loopback'],
    // Per-request lines would drown the log on election night; refusals and failures are logged below.
    logController: new LogController({ disableRequestLogging: true }),
  });
  const routes = recordRoutes(app);
  app.removeContentTypeParser(['text/plain']);
  app.setErrorHandler(handleFrameworkError);
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode >= 400 && request.method === 'POST') {
      request.log.info({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'ingest refused');
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url;
    if (request.method === 'POST' && route && INGEST_ROUTES.has(route)) metrics.ingestAnswered(route, reply.statusCode, reply.elapsedTime / 1000);
  });
  // The public API and socket follow CORS_ORIGINS; operator routes (sign-in included) answer browsers only
  // from the site's own origin (SITE_ORIGINS), and by default none: the console calls them from its server.
  const siteOrigins = deps.siteOrigins ?? [];
  await app.register(cors, {
    delegator: (request, callback) => {
      const operatorRoute = (request.url ?? '').startsWith('/api/v1/ops/');
      callback(null, {
        origin: operatorRoute ? (siteOrigins.length > 0 ? siteOrigins : false) : deps.corsOrigins,
        methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      });
    },
  });
  // Every answer: never sniffed into something executable, never framed; HSTS when the client came over
  // HTTPS (as the trusted proxy says).
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
    if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=63072000; includeSubDomains');
  });
  // A large key cache: one key per address or account, so an attacker's keys cannot evict the others'.
  await app.register(rateLimit, { global: false, cache: 100_000 });

  async function checkHealth(): Promise<NodeHealth> {
    try {
      await deps.db.$queryRaw`SELECT 1`;
      return { status: 200, body: { status: 'ok', seq: model.seq, database: deps.databaseKind, viewers: io.of('/live').sockets.size, leader: leadership.isLeader() } };
    } catch (error) {
      deps.logger.warn({ err: error }, 'health check: database unreachable');
      return { status: 503, body: { status: 'unavailable', seq: model.seq, database: deps.databaseKind } };
    }
  }
  app.get('/healthz', async (_request, reply) => {
    const health = await (deps.health ?? checkHealth)();
    return reply.code(health.status).send(health.body);
  });
  app.get('/metrics', async (request, reply) => {
    // Without METRICS_TOKEN only this machine may scrape (the socket's peer, whatever X-Forwarded-For says).
    const allowed = deps.metricsToken ? bearerMatches(request.headers.authorization, deps.metricsToken) : isLoopback(request.socket.remoteAddress);
    if (!allowed) {
      const message = deps.metricsToken
        ? 'Send the metrics token as "Authorization: Bearer <token>"'
        : 'Metrics are served to this machine only; set METRICS_TOKEN to scrape from elsewhere';
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthenticated', message });
    }
    return reply.header('cache-control', 'no-store').type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  const ingestWriter = createReportWriter({ db: deps.db, electionId: election.id, logger: app.log });
  registerIngestRoutes(app, {
    db: deps.db, clock: deps.clock, model, feed, electionId: election.id, writer: ingestWriter, pollsCloseAt: election.pollsCloseAt,
    rateLimitPerMinute: deps.ingestRateLimitPerMinute ?? 6000,
    unauthenticatedRateLimitPerMinute: deps.ingestUnauthenticatedRateLimitPerMinute ?? 60,
  });
  metrics.setIngestQueueDepth(() => ingestWriter.queueDepth());
  registerSeatsRoutes(app, {
    db: deps.db, clock: deps.clock, model, feed, electionId: election.id, pollsCloseAt: election.pollsCloseAt,
    rateLimitPerMinute: deps.ingestRateLimitPerMinute ?? 6000,
    unauthenticatedRateLimitPerMinute: deps.ingestUnauthenticatedRateLimitPerMinute ?? 60,
  });
  registerFeedStatusRoutes(app, {
    db: deps.db, clock: deps.clock, feed, electionId: election.id, pollsCloseAt: election.pollsCloseAt,
    rateLimitPerMinute: deps.ingestRateLimitPerMinute ?? 6000,
    unauthenticatedRateLimitPerMinute: deps.ingestUnauthenticatedRateLimitPerMinute ?? 60,
  });
  registerReadRoutes(app, model);
  registerElectionRoutes(app, electionInfo);
  registerExportRoutes(app, model);
  registerClockRoutes(app, deps.clock, deps.clockControlToken);
  registerApiDocsRoutes(app);
  // Sessions are real security: they last real hours whatever pace a replay's clock runs at.
  const opsAuth = registerOpsAuth(app, { db: deps.db, clock: deps.sessionClock ?? systemClock });
  // Every node derives the states (its ops board and queue history come from them); only the leader
  // records them, and only once its read model holds everything the previous leader wrote.
  let recording = !deps.leadership;
  const monitor = deps.thresholds
    ? createStateMonitor({
      model, feed, clock: deps.clock, thresholds: deps.thresholds, pollsCloseAt: election.pollsCloseAt, logger: deps.logger,
      record: (changes, at) => (recording ? recordStateChanges(deps.db, election.id, changes, at) : Promise.resolve(0)),
      recordFeedIncident: (action, at) => {
        if (!recording) return Promise.resolve(0);
        return action.kind === 'raise'
          ? raiseFeedIncident(deps.db, election.id, { since: new Date(action.since), reason: action.reason }, at)
          : resolveFeedIncident(deps.db, election.id, at);
      },
    })
    : undefined;
  registerOpsRoutes(app, {
    db: deps.db, clock: deps.clock, model, feed, electionId: election.id, pollsCloseAt: election.pollsCloseAt,
    requireOperator: opsAuth.requireOperator, monitor, thresholds: deps.thresholds,
  });
  const alertSenders = createAlertSenders({ mail: deps.alerts?.mail ?? NO_MAIL, timeoutMs: deps.alerts?.sendTimeoutMs });
  const alertDispatcher = deps.alerts
    ? createAlertDispatcher({
      db: deps.db, electionId: election.id, model, senders: alertSenders, logger: deps.logger,
      schedule: deps.alerts.retrySchedule, tickMs: deps.alerts.tickMs, leaseMs: deps.alerts.leaseMs,
      onAttempt: (kind, outcome) => metrics.alertDeliveryAttempted(kind, outcome),
    })
    : undefined;
  registerAlertChannelRoutes(app, { db: deps.db, model, senders: alertSenders, requireOperator: opsAuth.requireOperator });
  await app.ready();

  const io = new Server(app.server, {
    cors: { origin: deps.corsOrigins },
    serveClient: false,
    // WebSocket only, as the pages and the deployment guide assume: no long-polling sessions to hold
    // (or to make sticky), and a client message larger than any command is refused.
    transports: ['websocket'],
    maxHttpBufferSize: 16 * 1024,
    // Missed deltas are replayed on a quick reconnect; past this the client fetches a snapshot.
    // Middlewares run on recovery too: an /ops reconnect needs a fresh ticket of a valid session, and
    // an old session id and offset alone restore nothing (/live has no middleware to run).
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: false },
    adapter: deps.sharedAdapter?.adapter,
  });
  const liveChannel = createLiveNamespace(io, model, feed, {
    shared: deps.sharedAdapter && { watermark: deps.sharedAdapter.watermark },
    onDeltaSent: (kind, seconds) => metrics.deltaSent(kind, seconds),
  });
  const live = liveChannel.namespace;
  const opsChannel = createOpsNamespace(io, opsAuth, deps.logger);
  const ops = opsChannel.namespace;
  // Operators see the whole board, rebuilt after every change and every evaluation (coalesced per tick).
  let boardQueued = false;
  const sendBoard = () => {
    if (boardQueued || (ops.adapter.rooms.get(OPS_ROOM)?.size ?? 0) === 0) return;
    boardQueued = true;
    setImmediate(() => {
      boardQueued = false;
      // Each node sends its own operators the board it built (local: not through a shared adapter).
      ops.local.to(OPS_ROOM).emit('board:updated', buildBoard(model, { monitor, thresholds: deps.thresholds, pollsCloseAt: election.pollsCloseAt }));
    });
  };
  feed.onBatch(sendBoard);
  // Alerts are queued off the fold: never awaited by ingest or the board.
  feed.onBatch((batch) => {
    if (hasAlertChange(batch.kinds)) alertDispatcher?.poke();
  });
  monitor?.onEvaluated(sendBoard);

  // Other nodes' commits poke the feed; a slow poll covers notices lost while reconnecting.
  deps.commitListener?.start((seq) => {
    if (seq !== null) newestSeqSeen = Math.max(newestSeqSeen, seq);
    feed.poke();
  });
  const safetyPoll = deps.commitListener ? setInterval(() => feed.poke(), SAFETY_POLL_MS) : undefined;
  safetyPoll?.unref();

  // A new leader first reads everything the previous one wrote, then sends deltas (resending what its
  // predecessor may not have sent) and records states; losing leadership stops both at once.
  async function takeOver(): Promise<void> {
    await feed.waitFor(await findLatestSeq(deps.db, electionId));
    if (!leadership.isLeader()) return;
    await liveChannel.lead();
    if (!leadership.isLeader()) return;
    recording = true;
    alertDispatcher?.start();
    await monitor?.evaluate();
  }
  leadership.onChange((leader) => {
    if (leader) {
      takeOver().catch((error) => deps.logger.error({ err: error }, 'taking over as leader failed'));
      return;
    }
    recording = false;
    void alertDispatcher?.stop();
    liveChannel.follow();
  });
  // The sole node leads from the start (its model is level); an elected one may have won while loading.
  if (!deps.leadership) {
    await liveChannel.lead();
    alertDispatcher?.start();
  } else if (leadership.isLeader()) await takeOver();

  return {
    app, routes, io, live, opsAuth, ops, model, feed, monitor, leadership, metrics, ingestWriter, alertDispatcher, checkHealth,
    async listen(port, host = '127.0.0.1') {
      await app.listen({ port, host });
      return app.server.address() as AddressInfo;
    },
    async close() {
      // Stop taking requests, let in-flight ones finish (their transactions commit or roll back), then
      // drop viewers; they reconnect elsewhere or to the restarted process and catch up.
      clearInterval(safetyPoll);
      opsChannel.stop();
      // Hand over leadership first: another node takes over while this one finishes its requests.
      await leadership.stop();
      await deps.commitListener?.stop();
      // Only this node's viewers (a shared adapter would pass a plain disconnectSockets to every node).
      for (const namespace of [live, ops]) namespace.local.disconnectSockets(true);
      await app.close();
      // io.close() closes the HTTP server too, which app.close() already did; its complaint is expected.
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await monitor?.stop();
      await alertDispatcher?.stop();
      alertSenders.close();
      await feed.stop();
    },
  };
}

function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(parseBearer(header) ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
