// Embedded PostgreSQL: PGlite (PostgreSQL compiled to WebAssembly) persisted to a folder and served on
// loopback with the PostgreSQL wire protocol, so the same pg driver, Prisma client and migrations run
// against it and against a real server.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { GroupedQueryQueue } from './pglite-query-queue.ts';

export interface EmbeddedPostgres {
  connectionString: string;
  /** The cluster's files as a gzipped tarball, e.g. to start later databases from (`startFrom`). */
  dumpDataDir(): Promise<Buffer<ArrayBuffer>>;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Folder to persist to; omit for an in-memory database (tests). One process may own a folder at a time. */
  dataDir?: string;
  /** Loopback port; 0 picks a free one. */
  port?: number;
  /** Where a pristine cluster is kept for fresh starts (see createCluster); null keeps none. Default: node_modules/.cache. */
  pristineCluster?: string | null;
  /**
   * A fresh database starts as this cluster (a tarball `dumpDataDir` wrote) rather than a pristine one, e.g. one
   * already migrated and seeded (db/seeded-database.ts). It must load; a folder with anything in it opens as it is.
   */
  startFrom?: Buffer<ArrayBuffer>;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const db = await createCluster(options.dataDir ?? 'memory://', options.pristineCluster, options.startFrom);
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
    async dumpDataDir() {
      return Buffer.from(await (await db.dumpDataDir('gzip')).arrayBuffer());
    },
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

/**
 * A new cluster is PostgreSQL's initdb run in WebAssembly: about 4.5 s on a 2-core machine, at every start of
 * a fresh database (the tests start dozens, every e2e stack and `npm run demo` one). The first one made with
 * this PGlite version is kept as a tarball (its files just after initdb, nothing of ours in it), and later
 * fresh clusters are unpacked from it instead (about 1.2 s). An existing folder opens as it is.
 */
async function createCluster(dataDir: string, pristineCluster: string | null | undefined, startFrom: Buffer<ArrayBuffer> | undefined): Promise<PGlite> {
  const inMemory = dataDir === 'memory://';
  // Only into nothing: a folder with anything in it opens (or fails) as PGlite alone would have it.
  if (!inMemory && (await readdir(dataDir)).length > 0) return PGlite.create(dataDir);
  if (startFrom) return PGlite.create({ dataDir, loadDataDir: new Blob([startFrom]) });
  const kept = pristineCluster === undefined ? await pristineClusterFile() : pristineCluster ?? undefined;
  const copy = kept ? await readFile(kept).catch(() => undefined) : undefined;
  if (copy) {
    try {
      return await PGlite.create({ dataDir, loadDataDir: new Blob([copy]) });
    } catch {
      // An unreadable copy: empty the folder it was unpacked into, initdb as before and keep a new copy.
      if (!inMemory) for (const entry of await readdir(dataDir)) await rm(path.join(dataDir, entry), { recursive: true, force: true });
    }
  }
  const db = await PGlite.create(dataDir);
  if (kept) await keepClusterFile(kept, async () => Buffer.from(await (await db.dumpDataDir('gzip')).arrayBuffer()));
  return db;
}

/**
 * Writes a cluster tarball whole under another name and renames it: a process starting meanwhile sees no
 * copy or a whole one. A copy that cannot be written is only not kept.
 */
export async function keepClusterFile(file: string, contents: () => Promise<Buffer>): Promise<void> {
  const temporary = `${file}.${randomUUID()}`;
  await mkdir(path.dirname(file), { recursive: true })
    .then(async () => writeFile(temporary, await contents()))
    .then(() => rename(temporary, file))
    .catch(() => rm(temporary, { force: true }));
}

/** Where the pristine cluster of the installed PGlite version is kept (node_modules/.cache), if known. */
function pristineClusterFile(): Promise<string | undefined> {
  return clusterCacheFile('initdb');
}

/**
 * A file in node_modules/.cache/valgvakt for a cluster tarball of the installed PGlite version (its files
 * are that version's format), if the version is known.
 */
export async function clusterCacheFile(name: string): Promise<string | undefined> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  try {
    // The package's own manifest (its exports do not include it, so it is read as a file); a missing or
    // odd version only means no copy is kept.
    const { version } = JSON.parse(await readFile(path.join(root, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version?: unknown };
    if (typeof version !== 'string') return undefined;
    return path.join(root, 'node_modules', '.cache', 'valgvakt', `pglite-${version}-${name}.tar.gz`);
  } catch {
    return undefined;
  }
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
