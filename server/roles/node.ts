// An intake or live process of the sidecar, started by the supervisor (server/main.ts). Both are the whole
// sidecar (createSidecar); they differ in what the supervisor sends them and in who leads:
//   intake: takes the writes; on the embedded database the sole leader (records states), on a PostgreSQL
//           server a contender for leadership like any node of the cluster.
//   live:   holds the viewers' sockets and the public reads; never leads, follows commits.
// Commits reach a live process like any follower's: PostgreSQL's commit notices on a server, and on the
// embedded database (no LISTEN across pglite-socket) the supervisor's relay of each process's new seq.
import type { Socket } from 'node:net';
import { findLatestChangeAt } from '../../db/changes.ts';
import { createDb, type Db } from '../../db/client.ts';
import { openDatabase } from '../../db/database.ts';
import { createSimulatedClock, resumeSimulatedClockAt, systemClock, type Clock, type SimulatedClock } from '../clock.ts';
import { createCommitListener, type CommitListener } from '../cluster/commit-notices.ts';
import { createAdvisoryLockLeadership, followerLeadership } from '../cluster/leadership.ts';
import { createSharedAdapter } from '../cluster/shared-adapter.ts';
import { parseCorsOrigins, parseSidecarEnv, parseTrustProxy } from '../config.ts';
import { createLogger } from '../logger.ts';
import { createSidecar, type NodeHealth } from '../sidecar.ts';
import { ensureServedElectionLoaded, simulatedClockStart } from '../served-election.ts';
import { DEFAULT_THRESHOLDS_FILE, loadThresholds } from '../thresholds.ts';
import { ZRoleEnv, parseRoleMessage, type RoleMessage } from './messages.ts';
import { createClient } from 'redis';

const env = parseSidecarEnv(process.env);
const { SIDECAR_ROLE: role, SIDECAR_ROLE_DATABASE_URL: embeddedUrl, SIDECAR_ROLE_AWAIT_DATABASE: awaitDatabase } = ZRoleEnv.parse(process.env);
if (role === 'database') throw new Error('server/roles/node.ts runs intake and live processes; the database has its own entry');
const logger = createLogger(env.LOG_LEVEL, `sidecar:${role}`);
const send = (message: RoleMessage) => {
  if (process.connected) process.send?.(message);
};

// The supervisor gone (killed) means this process is orphaned: leave at once, as a killed sidecar would.
process.on('disconnect', () => process.exit(1));
// Ctrl-C reaches the whole process group; the supervisor decides the order of stopping (SIGTERM).
process.on('SIGINT', () => {});

if (awaitDatabase) {
  await new Promise<void>((resolve) => {
    const listener = (raw: unknown) => {
      if (parseRoleMessage(raw)?.type !== 'roles:database-ready') return;
      process.off('message', listener);
      resolve();
    };
    process.on('message', listener);
  });
}

/** A role not handed the embedded database's URL runs on a server database: DATABASE_URL. */
function getServerDatabaseUrl(): string {
  if (!env.DATABASE_URL) throw new Error('a sidecar role without the embedded database needs DATABASE_URL');
  return env.DATABASE_URL;
}

let db: Db;
let closeDatabase: () => Promise<void>;
if (embeddedUrl) {
  // One connection: PGlite runs one query at a time whoever asks (db/database.ts).
  db = createDb(embeddedUrl, { maxConnections: 1 });
  closeDatabase = () => db.$disconnect();
} else if (role === 'intake') {
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL }, (line) => logger.debug({ engine: line }, 'schema engine'));
  logger.info({ migrations: database.appliedMigrations }, 'database ready');
  await ensureServedElectionLoaded(database.db, env, logger);
  db = database.db;
  closeDatabase = () => database.close();
} else {
  // The intake process of this machine has migrated before any live process starts.
  db = createDb(getServerDatabaseUrl());
  closeDatabase = () => db.$disconnect();
}
const connectionString = embeddedUrl ?? getServerDatabaseUrl();

// A simulated clock is per process: a change made through any process is announced to the others, and a
// live process starts from the intake's (the supervisor asks it when a live process is ready).
let clock: Clock = systemClock;
let followClock: (at: Date, speed: number) => void = () => {};
if (env.CLOCK_MODE === 'simulated') {
  const configuredStart = await simulatedClockStart(db, env);
  const own = createSimulatedClock(resumeSimulatedClockAt(configuredStart, await findLatestChangeAt(db, env.ELECTION_ID)), env.CLOCK_SPEED);
  const announce = () => send({ type: 'roles:clock', at: own.now().toISOString(), speed: own.speed() });
  const shared: SimulatedClock = {
    mode: 'simulated',
    now: () => own.now(),
    speed: () => own.speed(),
    set(change) {
      own.set(change);
      announce();
    },
  };
  clock = shared;
  if (role === 'intake') logger.warn({ start: own.now().toISOString(), configuredStart: configuredStart.toISOString(), speed: env.CLOCK_SPEED, controllable: Boolean(env.CLOCK_CONTROL_TOKEN) }, 'simulated clock: not for production');
  followClock = (at, speed) => {
    try {
      own.set({ at, speed });
    } catch {
      // Already a few ms past it (each process paces from its own start): keep the pace only.
      own.set({ speed });
    }
  };
  process.on('message', (raw) => {
    if (parseRoleMessage(raw)?.type === 'roles:clock-request') announce();
  });
}

// Embedded: commits reach this process as the changes another process read (below); the listener only
// has the feed look once at start, and the sidecar's 5-s safety poll covers anything missed.
let commitListener: CommitListener | undefined;
if (embeddedUrl) {
  commitListener = {
    start: (listener) => listener(null),
    connected: () => process.connected,
    stop: async () => {},
  };
} else {
  commitListener = createCommitListener({ connectionString, electionId: env.ELECTION_ID, logger });
}

const redis = env.REDIS_URL ? createClient({ url: env.REDIS_URL }) : undefined;
if (redis) {
  redis.on('error', (error) => logger.error({ err: error }, 'redis: connection failed; reconnecting'));
  await redis.connect();
}

// /healthz speaks for the whole sidecar wherever it arrives: the supervisor gathers every process's own.
const summaries = new Map<number, (health: NodeHealth) => void>();
let nextSummaryId = 0;
function askSupervisorForHealth(): Promise<NodeHealth> {
  const id = nextSummaryId++;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      summaries.delete(id);
      void sidecar.checkHealth().then(resolve);
    }, 3000);
    summaries.set(id, (health) => {
      clearTimeout(timer);
      summaries.delete(id);
      resolve(health);
    });
    send({ type: 'roles:summary-request', id });
  });
}

const sidecar = await createSidecar({
  db,
  clock,
  clockControlToken: env.CLOCK_CONTROL_TOKEN,
  thresholds: env.STATE_MONITOR ? await loadThresholds(env.THRESHOLDS_FILE ?? DEFAULT_THRESHOLDS_FILE) : undefined,
  logger,
  electionId: env.ELECTION_ID,
  alerts: env.ALERT_DISPATCH ? { mail: { url: env.SMTP_URL, from: env.ALERT_MAIL_FROM } } : undefined,
  corsOrigins: parseCorsOrigins(env.CORS_ORIGINS),
  siteOrigins: env.SITE_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
  ingestBodyLimitBytes: env.INGEST_BODY_LIMIT_BYTES,
  ingestRateLimitPerMinute: env.INGEST_RATE_LIMIT_PER_MINUTE,
  ingestUnauthenticatedRateLimitPerMinute: env.INGEST_UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE,
  trustProxy: parseTrustProxy(env.TRUST_PROXY),
  requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
  idleTimeoutMs: env.IDLE_TIMEOUT_MS,
  deltaIntervalMs: env.SIDECAR_DELTA_INTERVAL_MS,
  databaseKind: embeddedUrl ? 'embedded' : 'server',
  sharedAdapter: redis && createSharedAdapter(redis, {
    streamName: env.REDIS_STREAM,
    maxLen: env.REDIS_STREAM_MAX_LEN,
    onError: (error) => logger.warn({ err: error }, 'redis: could not record the delta watermark'),
  }),
  // Embedded: the intake process is the sole leader. Server: intake processes contend, live ones follow.
  leadership: role === 'live'
    ? followerLeadership()
    : embeddedUrl ? undefined : createAdvisoryLockLeadership({ connectionString, electionId: env.ELECTION_ID, logger }),
  commitListener,
  metricsToken: env.METRICS_TOKEN,
  health: askSupervisorForHealth,
});

// Embedded: what this process reads from the log (after its own commits, or a poke) goes through the
// supervisor to the others, which apply it if it follows on from their model (else they read for
// themselves). Applied changes are not read, so they are not passed on again.
if (embeddedUrl) {
  sidecar.feed.onRead((prevSeq, changes) => send({ type: 'roles:changes', prevSeq, changes }));
}

// Set on SIGTERM (shutdown below).
let stopping = false;
process.on('message', (raw, handle) => {
  const message = parseRoleMessage(raw);
  if (message?.type === 'roles:connection' && handle) {
    // Node types a passed handle as net.Socket | net.Server; the supervisor passes only sockets.
    const socket = handle as Socket;
    // One handed over before the supervisor saw this process stopping: its server no longer answers, so
    // the client would wait for its own timeout (20 s for Socket.IO). Closed, it retries at once.
    if (stopping) {
      socket.destroy();
      return;
    }
    // As if accepted here: the HTTP server parses the bytes the supervisor read, then the rest.
    sidecar.app.server.emit('connection', socket);
    socket.emit('data', Buffer.from(message.head, 'base64'));
    socket.resume();
  } else if (message?.type === 'roles:health-request') {
    void sidecar.checkHealth().then((health) => send({ type: 'roles:health', id: message.id, status: health.status, body: health.body }));
  } else if (message?.type === 'roles:summary') {
    summaries.get(message.id)?.({ status: message.status, body: message.body });
  } else if (message?.type === 'roles:changes') {
    sidecar.feed.offer(message.prevSeq, message.changes);
  } else if (message?.type === 'roles:clock') {
    followClock(new Date(message.at), message.speed);
  }
});

// Loopback, any port: the supervisor hands connections over, but the HTTP server's timeouts only run
// while it listens (and an operator may look at one process directly).
const address = await sidecar.listen(0, '127.0.0.1');
logger.info({ role, address: `${address.address}:${address.port}`, seq: sidecar.model.seq }, 'sidecar process ready');
send({ type: 'roles:ready' });

async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  // The supervisor first (the message is in the pipe before any viewer is told to go; see ZRoleMessage).
  const tell = process.connected ? process.send?.bind(process) : undefined;
  if (tell) await new Promise<void>((resolve) => tell({ type: 'roles:stopping' } satisfies RoleMessage, undefined, {}, () => resolve()));
  const force = setTimeout(() => process.exit(1), 12_000);
  force.unref();
  await sidecar.close();
  await redis?.close();
  await closeDatabase();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
