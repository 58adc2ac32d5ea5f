// Entry point of the sidecar process: wires the real clock, database and logger, seeds an empty database,
// listens, and shuts down gracefully on SIGINT/SIGTERM.
import { loadShippedReferenceData, shippedPackageDir } from '../data/election-package.ts';
import { existsSync } from 'node:fs';
import { openDatabase } from '../db/database.ts';
import { seedReferenceData } from '../db/reference-data.ts';
import { createSimulatedClock, resumeSimulatedClockAt, systemClock } from './clock.ts';
import { findLatestChangeAt } from '../db/changes.ts';
import { createCommitListener } from './cluster/commit-notices.ts';
import { createAdvisoryLockLeadership } from './cluster/leadership.ts';
import { createSharedAdapter } from './cluster/shared-adapter.ts';
import { embeddedDataDir, parseCorsOrigins, parseSidecarEnv, parseTrustProxy } from './config.ts';
import { createLogger } from './logger.ts';
import { DEFAULT_THRESHOLDS_FILE, loadThresholds } from './thresholds.ts';
import { createSidecar } from './sidecar.ts';
import { createClient } from 'redis';

const env = parseSidecarEnv(process.env);
const logger = createLogger(env.LOG_LEVEL, 'sidecar');

const database = await openDatabase(
  { databaseUrl: env.DATABASE_URL, dataDir: embeddedDataDir(env), embeddedPort: env.PGLITE_PORT },
  (line) => logger.debug({ engine: line }, 'schema engine'),
);
logger.info(
  { database: database.embedded ? `embedded (${embeddedDataDir(env)}, ${database.connectionString})` : 'server', migrations: database.appliedMigrations },
  'database ready',
);
const loaded = await database.db.election.findUnique({ where: { id: env.ELECTION_ID }, select: { packageHash: true } });
const shipped = existsSync(shippedPackageDir(env.ELECTION_ID));
if (loaded && !loaded.packageHash && shipped && env.SEED_ON_START) {
  // Loaded before packages existed: the shipped package adds the description (kind, comparison year, …).
  logger.info({ electionId: env.ELECTION_ID, ...(await seedReferenceData(database.db, await loadShippedReferenceData(env.ELECTION_ID))) }, 'described the election from its shipped package');
} else if (!loaded) {
  // A shipped package (elections/<id>/) is loaded on first start; any other is imported with npm run election.
  if (!env.SEED_ON_START || !shipped) {
    logger.fatal({ electionId: env.ELECTION_ID }, 'election not loaded: import its package first (npm run election -- import <folder>)');
    await database.close();
    process.exit(1);
  }
  const seeded = await seedReferenceData(database.db, await loadShippedReferenceData(env.ELECTION_ID));
  logger.info({ electionId: env.ELECTION_ID, ...seeded }, 'loaded the shipped election package');
}
const election = await database.db.election.findUniqueOrThrow({ where: { id: env.ELECTION_ID }, select: { pollsCloseAt: true } });
// A replay starts shortly before the served election's polls close unless CLOCK_START says otherwise.
const clockStart = env.CLOCK_START ? new Date(env.CLOCK_START) : new Date(election.pollsCloseAt.getTime() - 5 * 60_000);

const simulatedStart = env.CLOCK_MODE === 'simulated'
  ? resumeSimulatedClockAt(clockStart, await findLatestChangeAt(database.db, env.ELECTION_ID))
  : undefined;
const clock = simulatedStart ? createSimulatedClock(simulatedStart, env.CLOCK_SPEED) : systemClock;
if (simulatedStart) {
  logger.warn({ start: simulatedStart.toISOString(), configuredStart: clockStart.toISOString(), speed: env.CLOCK_SPEED, controllable: Boolean(env.CLOCK_CONTROL_TOKEN) }, 'simulated clock: not for production');
}
// Several sidecars share the Socket.IO adapter through Redis; the in-memory one serves a single node.
const redis = env.REDIS_URL ? createClient({ url: env.REDIS_URL }) : undefined;
if (redis) {
  redis.on('error', (error) => logger.error({ err: error }, 'redis: connection failed; reconnecting'));
  await redis.connect();
  logger.info({ stream: env.REDIS_STREAM }, 'socket.io adapter: redis streams');
}
// On a PostgreSQL server other sidecars may write too: hear their commits, and elect one leader. The
// embedded database belongs to this process alone, which therefore leads.
const shared = database.embedded ? undefined : { connectionString: database.connectionString, electionId: env.ELECTION_ID, logger };
const sidecar = await createSidecar({
  db: database.db,
  clock,
  clockControlToken: env.CLOCK_CONTROL_TOKEN,
  thresholds: env.STATE_MONITOR ? await loadThresholds(env.THRESHOLDS_FILE ?? DEFAULT_THRESHOLDS_FILE) : undefined,
  logger,
  electionId: env.ELECTION_ID,
  corsOrigins: parseCorsOrigins(env.CORS_ORIGINS),
  siteOrigins: env.SITE_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
  ingestBodyLimitBytes: env.INGEST_BODY_LIMIT_BYTES,
  ingestRateLimitPerMinute: env.INGEST_RATE_LIMIT_PER_MINUTE,
  ingestUnauthenticatedRateLimitPerMinute: env.INGEST_UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE,
  trustProxy: parseTrustProxy(env.TRUST_PROXY),
  requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
  idleTimeoutMs: env.IDLE_TIMEOUT_MS,
  databaseKind: database.embedded ? 'embedded' : 'server',
  sharedAdapter: redis && createSharedAdapter(redis, {
    streamName: env.REDIS_STREAM,
    maxLen: env.REDIS_STREAM_MAX_LEN,
    onError: (error) => logger.warn({ err: error }, 'redis: could not record the delta watermark'),
  }),
  leadership: shared && createAdvisoryLockLeadership(shared),
  commitListener: shared && createCommitListener(shared),
  metricsToken: env.METRICS_TOKEN,
});
const address = await sidecar.listen(env.SIDECAR_PORT, env.SIDECAR_HOST);
logger.info({ address: `${address.address}:${address.port}`, seq: sidecar.model.seq }, 'sidecar listening');

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => {
    logger.error('shutdown took too long; exiting');
    process.exit(1);
  }, 15_000);
  force.unref();
  await sidecar.close();
  await redis?.close();
  await database.close();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
