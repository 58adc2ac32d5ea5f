// Opens the database the configuration names: a PostgreSQL server when a URL is given, else embedded
// PGlite. Applies pending migrations before anything else touches it.
import { createDb, getPool, type Db, type DbOptions } from './client.ts';
import { findRunningEmbeddedPostgres, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.ts';
import { applyMigrations } from './schema-engine.ts';

export interface DatabaseConfig {
  /** postgresql://… of a server; when absent the embedded database is used. */
  databaseUrl?: string;
  /** Embedded only: folder to persist to; absent means in memory. */
  dataDir?: string;
  /** Embedded only: serve it on this loopback port (0 = any free port). */
  embeddedPort?: number;
  pool?: DbOptions;
  /** Embedded only: if another live process serves dataDir, connect to it rather than fail (CLI tools). */
  joinRunning?: boolean;
  /** Embedded only: a new database starts as this cluster (db/seeded-database.ts), not a pristine one. */
  startFrom?: Buffer<ArrayBuffer>;
}

export interface Database {
  db: Db;
  connectionString: string;
  embedded: boolean;
  appliedMigrations: string[];
  /** Embedded only (when this process started it): its cluster as a gzipped tarball, for `startFrom`. */
  dumpDataDir?: () => Promise<Buffer<ArrayBuffer>>;
  close(): Promise<void>;
}

export async function openDatabase(config: DatabaseConfig, log: (line: string) => void = () => {}): Promise<Database> {
  let embedded: EmbeddedPostgres | undefined;
  let connectionString = config.databaseUrl;
  if (!connectionString && config.joinRunning && config.dataDir) {
    connectionString = (await findRunningEmbeddedPostgres(config.dataDir)) ?? undefined;
  }
  if (!connectionString) {
    const running = config.dataDir ? await findRunningEmbeddedPostgres(config.dataDir) : null;
    if (running) throw new Error(`${config.dataDir} is in use by another process (serving ${running}); stop it first`);
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPort, startFrom: config.startFrom });
    connectionString = embedded.connectionString;
  }
  try {
    const appliedMigrations = await applyMigrations(connectionString, log);
    // pglite-socket multiplexes connections onto PGlite's single session message by message, so two
    // connections' extended-protocol queries can interleave ("portal does not exist"). PGlite runs one
    // query at a time anyway: one connection loses nothing and keeps each query whole.
    const db = createDb(connectionString, embedded || config.joinRunning ? { ...config.pool, maxConnections: 1 } : config.pool);
    return {
      db,
      connectionString,
      embedded: Boolean(embedded),
      appliedMigrations,
      ...(embedded ? { dumpDataDir: embedded.dumpDataDir } : {}),
      async close() {
        const pool = getPool(db);
        await db.$disconnect();
        // Prisma ends the pool only if it ever connected; the ingest writer may have used it without it.
        if (!pool.ending) await pool.end();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}
