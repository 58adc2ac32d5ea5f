// Embedded PostgreSQL: PGlite (PostgreSQL compiled to WebAssembly) persisted to a folder and served on
// loopback with the PostgreSQL wire protocol, so the same pg driver, Prisma client and migrations run
// against it and against a real server.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { GroupedQueryQueue } from './pglite-query-queue.ts';

export interface EmbeddedPostgres {
  connectionString: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Folder to persist to; omit for an in-memory database (tests). One process may own a folder at a time. */
  dataDir?: string;
  /** Loopback port; 0 picks a free one. */
  port?: number;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir ?? 'memory://');
  // PGlite runs one query at a time; the socket server queues the connections' queries and keeps an open
  // transaction's queries together, so transactions stay correct.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: options.port ?? 0, maxConnections: 64 });
  // Its own queue interleaves connections' extended-protocol queries (see pglite-query-queue.ts); the
  // field is private, so this depends on the pinned pglite-socket version (0.2.x).
  (server as unknown as { queryQueue: GroupedQueryQueue }).queryQueue = new GroupedQueryQueue(db);
  await server.start();
  const [host, port] = server.getServerConn().split(':');
  const connectionString = `postgresql://postgres@${host}:${port}/postgres?sslmode=disable`;
  if (options.dataDir) await writeFile(endpointFile(options.dataDir), JSON.stringify({ pid: process.pid, connectionString }));
  let stopping: Promise<void> | undefined;
  return {
    connectionString,
    // Idempotent: signals can arrive more than once (npx and tsx both forward them).
    stop() {
      stopping ??= (async () => {
        await server.stop();
        await db.close();
        if (options.dataDir) await rm(endpointFile(options.dataDir), { force: true });
      })();
      return stopping;
    },
  };
}

// The process that owns a data folder says where it serves it, so command-line tools (npm run token, …)
// connect to it instead of opening the folder a second time.
function endpointFile(dataDir: string): string {
  return path.join(path.dirname(path.resolve(dataDir)), `${path.basename(dataDir)}.endpoint.json`);
}

/** The loopback URL of a live process serving this data folder, if there is one. */
export async function findRunningEmbeddedPostgres(dataDir: string): Promise<string | null> {
  try {
    // Our own file (written at start-up); anything else fails below and counts as no running server.
    const { pid, connectionString } = JSON.parse(await readFile(endpointFile(dataDir), 'utf8')) as { pid: number; connectionString: string };
    process.kill(pid, 0);
    return connectionString;
  } catch {
    return null;
  }
}
