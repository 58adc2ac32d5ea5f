// The embedded database's own process, started by the supervisor (server/main.ts) when there is no
// DATABASE_URL: PGlite, migrated and seeded, served on loopback through pglite-socket to the intake and
// live processes. PGlite runs its queries synchronously in WebAssembly, so in a process of its own they
// block neither the acknowledgements nor the viewers. It stops gracefully (PGlite flushes its folder)
// on SIGTERM and when the supervisor is gone.
import { openDatabase } from '../../db/database.ts';
import { embeddedDataDir, parseSidecarEnv } from '../config.ts';
import { createLogger } from '../logger.ts';
import { ensureServedElectionLoaded } from '../served-election.ts';
import type { RoleMessage } from './messages.ts';

const env = parseSidecarEnv(process.env);
const logger = createLogger(env.LOG_LEVEL, 'sidecar:database');
const database = await openDatabase(
  { dataDir: embeddedDataDir(env), embeddedPort: env.PGLITE_PORT },
  (line) => logger.debug({ engine: line }, 'schema engine'),
);
logger.info({ database: `embedded (${embeddedDataDir(env)}, ${database.connectionString})`, migrations: database.appliedMigrations }, 'database ready');
await ensureServedElectionLoaded(database.db, env, logger);
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
if (process.connected) process.send?.({ type: 'roles:ready', connectionString: database.connectionString } satisfies RoleMessage);
