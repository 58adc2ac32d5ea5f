// The embedded database's own process, started by the supervisor (server/main.ts) when there is no
// DATABASE_URL: PGlite, migrated and seeded, served on loopback through pglite-socket to the intake and
// live processes. PGlite runs its queries synchronously in WebAssembly, so in a process of its own they
// block neither the acknowledgements nor the viewers. It stops gracefully (PGlite flushes its folder)
// on SIGTERM and when the supervisor is gone.
import { loadReferenceData2023 } from '../../data/reference.ts';
import { openDatabase } from '../../db/database.ts';
import { findElectionId, seedReferenceData } from '../../db/reference-data.ts';
import { embeddedDataDir, parseSidecarEnv } from '../config.ts';
import { createLogger } from '../logger.ts';
import type { RoleMessage } from './messages.ts';

const env = parseSidecarEnv(process.env);
const logger = createLogger(env.LOG_LEVEL, 'sidecar:database');
const database = await openDatabase(
  { dataDir: embeddedDataDir(env), embeddedPort: env.PGLITE_PORT },
  (line) => logger.debug({ engine: line }, 'schema engine'),
);
logger.info({ database: `embedded (${embeddedDataDir(env)}, ${database.connectionString})`, migrations: database.appliedMigrations }, 'database ready');
if (env.SEED_ON_START && !(await findElectionId(database.db, env.ELECTION_ID))) {
  logger.info(await seedReferenceData(database.db, await loadReferenceData2023()), 'seeded an empty database with the reference data');
}
// Its own client is done; the other processes connect through the socket server.
await database.db.$disconnect();

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  await database.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => {});
process.on('disconnect', () => void shutdown());
if (process.connected) process.send!({ type: 'roles:ready', connectionString: database.connectionString } satisfies RoleMessage);
