// Builds the sidecar from its dependencies (database, clock, logger, settings) without side effects, so
// tests start one on port 0 against any database and the entry file only wires the real ones. This is the
// composition root: it only creates the parts and connects them; each concern lives in a module named for it.
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import { keptEncodingParser } from './live/kept-encoding-parser.ts';
import type { Db } from '../db/client.ts';
import { findLatestSeq, listChangesSince } from '../db/changes.ts';
import { findElectionInfo, listMunicipalityReferences } from '../db/reference-data.ts';
import { recordStateChanges } from '../db/states.ts';
import { raiseFeedIncident, resolveFeedIncident } from '../db/feed-status.ts';
import { ZElectionInfo, type ElectionInfo } from '../lib/contracts/election.ts';
import type { Thresholds } from '../lib/contracts/thresholds.ts';
import { computeQueueMetrics } from '../lib/domain/queue.ts';
import { createChangeFeed, type SharedChangeFeed } from './change-feed.ts';
import { systemClock, type Clock } from './clock.ts';
import type { TrustProxy } from './config.ts';
import { followCommits } from './cluster/commit-follower.ts';
import type { CommitListener } from './cluster/commit-notices.ts';
import { createLeaderDuties } from './cluster/leader-duties.ts';
import { soleLeadership, type Leadership } from './cluster/leadership.ts';
import type { SharedAdapter } from './cluster/shared-adapter.ts';
import { describeClock, registerClockRoutes } from './http/clock-routes.ts';
import { registerElectionRoutes } from './http/election-routes.ts';
import { registerExportRoutes } from './http/export-routes.ts';
import { registerFeedStatusRoutes } from './http/feed-status-routes.ts';
import { createHealthCheck, registerHealthRoutes, type NodeHealth } from './http/health-routes.ts';
import { createHttpApp } from './http/http-app.ts';
import { registerMetricsRoutes } from './http/metrics-routes.ts';
import { registerApiDocsRoutes } from './http/openapi.ts';
import { registerOpsRoutes } from './http/ops-routes.ts';
import { registerReadRoutes } from './http/read-routes.ts';
import { registerSeatsRoutes } from './http/seats-routes.ts';
import { registerIngestRoutes } from './intake/routes.ts';
import { createReportWriter, type IngestWriter } from './intake/writer.ts';
import { createLiveNamespace, type LiveNamespace } from './live/live-namespace.ts';
import { createSidecarMetrics, type SidecarMetrics } from './metrics.ts';
import { createAlertDispatcher, hasAlertChange, type AlertDispatcher } from './alerts/dispatcher.ts';
import { createAlertSenders, type MailSettings } from './alerts/senders.ts';
import type { RetrySchedule } from '../lib/domain/alert-channels.ts';
import { registerAlertChannelRoutes } from './http/alert-channel-routes.ts';
import { registerOpsAuth } from './ops/auth.ts';
import { createBoardBroadcast } from './ops/board-broadcast.ts';
import { createOpsNamespace, type OpsNamespace } from './ops/namespace.ts';
import { buildBoard } from './ops/stall-board.ts';
import { ElectionReadModel } from './read-model.ts';
import { createStallMonitor, type StallMonitor } from './stall-monitor.ts';

export type { NodeHealth } from './http/health-routes.ts';

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
  /** Least ms between two deltas to the same viewers (SIDECAR_DELTA_INTERVAL_MS); default 0: one per batch, at once. */
  deltaIntervalMs?: number;
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
  /** Stall thresholds; without them no stall monitor runs (states stay as recorded). */
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
  monitor: StallMonitor | undefined;
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
  const electionInfo = await getElectionInfo(deps.db, deps.electionId);
  const electionId = electionInfo.id;
  const pollsCloseAt = new Date(electionInfo.pollsCloseAt);
  const { db, clock, logger, thresholds } = deps;
  const leadership = deps.leadership ?? soleLeadership();

  // The read model, level with the change log: start-up is the feed catching up from seq 0, the same
  // fold as every later change.
  const model = new ElectionReadModel(electionInfo, await listMunicipalityReferences(db, electionId), () => describeClock(clock));
  const feed = createChangeFeed(
    model,
    (seq, limit) => listChangesSince(db, electionId, seq, limit),
    (error) => logger.error({ err: error }, 'change feed failed; retrying on the next change'),
  );
  await feed.waitFor(await findLatestSeq(db, electionId));
  logger.info({ seq: model.seq }, 'read model loaded from the change log');

  // Every node derives the states (its ops board and queue history come from them); only the leader
  // records them, and only once its read model holds everything the previous leader wrote.
  const leaderDuties = createLeaderDuties({
    leadership, elected: deps.leadership !== undefined, feed, findLatestSeq: () => findLatestSeq(db, electionId), logger,
  });
  const monitor = thresholds
    ? createStallMonitor({
      model, feed, clock, thresholds, pollsCloseAt, logger,
      record: (changes, at) => (leaderDuties.isRecording() ? recordStateChanges(db, electionId, changes, at) : Promise.resolve(0)),
      recordFeedIncident: (action, at) => {
        if (!leaderDuties.isRecording()) return Promise.resolve(0);
        return action.kind === 'raise'
          ? raiseFeedIncident(db, electionId, { since: new Date(action.since), reason: action.reason }, at)
          : resolveFeedIncident(db, electionId, at);
      },
    })
    : undefined;

  // HTTP: the shared app, then each route module. The sockets exist only once the app is ready (below);
  // until then metrics and health count no one connected.
  let connections: { viewers(): number; operators(): number } = { viewers: () => 0, operators: () => 0 };
  const commits = followCommits(deps.commitListener, feed, model.seq, () => model.seq);
  const commitListener = deps.commitListener;
  const metrics = createSidecarMetrics({
    viewers: () => connections.viewers(),
    operators: () => connections.operators(),
    transferQueue: () => computeQueueMetrics(model.records(), clock.now()),
    modelSeq: () => model.seq,
    newestSeqSeen: () => commits.newestSeqSeen(),
    isLeader: () => leadership.isLeader(),
    commitNoticesConnected: commitListener && (() => commitListener.connected()),
    now: () => clock.now(),
  });
  const { app, routes } = await createHttpApp({
    logger, corsOrigins: deps.corsOrigins, siteOrigins: deps.siteOrigins, bodyLimitBytes: deps.ingestBodyLimitBytes,
    requestTimeoutMs: deps.requestTimeoutMs, idleTimeoutMs: deps.idleTimeoutMs, trustProxy: deps.trustProxy,
    onIngestAnswered: (route, status, seconds) => metrics.ingestAnswered(route, status, seconds),
  });
  const checkHealth = createHealthCheck({
    db, logger, databaseKind: deps.databaseKind, seq: () => model.seq, viewers: () => connections.viewers(), isLeader: () => leadership.isLeader(),
  });
  registerHealthRoutes(app, deps.health ?? checkHealth);
  registerMetricsRoutes(app, metrics, deps.metricsToken);
  const sourceLimits = {
    rateLimitPerMinute: deps.ingestRateLimitPerMinute ?? 6000,
    unauthenticatedRateLimitPerMinute: deps.ingestUnauthenticatedRateLimitPerMinute ?? 60,
  };
  // What the writer commits reaches the read model (and, embedded, the other processes) as written.
  const ingestWriter = createReportWriter({
    db, electionId, logger: app.log, onCommitted: (written) => (written ? feed.applyWritten(written.prevSeq, written.changes) : feed.poke()),
  });
  registerIngestRoutes(app, { db, clock, model, electionId, writer: ingestWriter, pollsCloseAt, ...sourceLimits });
  metrics.setIngestQueueDepth(() => ingestWriter.queueDepth());
  registerSeatsRoutes(app, { db, clock, model, feed, electionId, pollsCloseAt, ...sourceLimits });
  registerFeedStatusRoutes(app, { db, clock, feed, electionId, pollsCloseAt, ...sourceLimits });
  registerReadRoutes(app, model);
  registerElectionRoutes(app, electionInfo);
  registerExportRoutes(app, model);
  registerClockRoutes(app, clock, deps.clockControlToken);
  registerApiDocsRoutes(app);
  // Sessions are real security: they last real hours whatever pace a replay's clock runs at.
  const opsAuth = registerOpsAuth(app, { db, clock: deps.sessionClock ?? systemClock });
  registerOpsRoutes(app, { db, clock, model, feed, electionId, pollsCloseAt, requireOperator: opsAuth.requireOperator, monitor, thresholds });
  const alertSenders = createAlertSenders({ mail: deps.alerts?.mail ?? NO_MAIL, timeoutMs: deps.alerts?.sendTimeoutMs });
  const alertDispatcher = deps.alerts
    ? createAlertDispatcher({
      db, electionId, model, senders: alertSenders, logger,
      schedule: deps.alerts.retrySchedule, tickMs: deps.alerts.tickMs, leaseMs: deps.alerts.leaseMs,
      onAttempt: (kind, outcome) => metrics.alertDeliveryAttempted(kind, outcome),
    })
    : undefined;
  registerAlertChannelRoutes(app, { db, model, senders: alertSenders, requireOperator: opsAuth.requireOperator });
  await app.ready();

  // Socket.IO on the same HTTP server: /live for viewers, /ops for operators.
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
    // Catch-up answers go to thousands of viewers alike: encoded once (server/live/kept-encoding-parser.ts).
    parser: keptEncodingParser,
  });
  const liveChannel = createLiveNamespace(io, model, feed, {
    shared: deps.sharedAdapter && { watermark: deps.sharedAdapter.watermark },
    deltaIntervalMs: deps.deltaIntervalMs,
    onDeltaSent: (kind, seconds) => metrics.deltaSent(kind, seconds),
  });
  const live = liveChannel.namespace;
  const opsChannel = createOpsNamespace(io, opsAuth, logger);
  const ops = opsChannel.namespace;
  connections = { viewers: () => live.sockets.size, operators: () => ops.sockets.size };
  const sendBoard = createBoardBroadcast(ops, () => buildBoard(model, { monitor, thresholds, pollsCloseAt }));
  feed.onBatch(sendBoard);
  // Alerts are queued off the fold: never awaited by ingest or the board.
  feed.onBatch((batch) => {
    if (hasAlertChange(batch.kinds)) alertDispatcher?.poke();
  });
  monitor?.onEvaluated(sendBoard);

  await leaderDuties.start({
    live: liveChannel, evaluate: monitor && (() => monitor.evaluate()),
    onRecording: () => alertDispatcher?.start(), onFollowing: () => void alertDispatcher?.stop(),
  });

  return {
    app, routes, io, live, opsAuth, ops, model, feed, monitor, leadership, metrics, ingestWriter, alertDispatcher, checkHealth,
    async listen(port, host = '127.0.0.1') {
      await app.listen({ port, host });
      // A listening server on a TCP port: address() is an AddressInfo, never a pipe name or null.
      return app.server.address() as AddressInfo;
    },
    async close() {
      // Stop taking requests, let in-flight ones finish (their transactions commit or roll back), then
      // drop viewers; they reconnect elsewhere or to the restarted process and catch up.
      opsChannel.stop();
      // Hand over leadership first: another node takes over while this one finishes its requests.
      await leadership.stop();
      await commits.stop();
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

/** The served election's description, validated against its contract (dates become strings). */
async function getElectionInfo(db: Db, id: string): Promise<ElectionInfo> {
  const election = await findElectionInfo(db, id);
  if (!election) throw new Error(`election ${id} is not in the database; import its package first (npm run election -- import <folder>)`);
  return ZElectionInfo.parse({
    id: election.id, name: election.name, kind: election.kind, electionDay: election.electionDay.toISOString().slice(0, 10),
    pollsCloseAt: election.pollsCloseAt.toISOString(), timeZone: election.timeZone, comparisonYear: election.comparisonYear,
  });
}
