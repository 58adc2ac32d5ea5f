// Starts the system under test: the sidecar as its own process (tsx server/main.ts) on a fresh database —
// a new database on the PostgreSQL server, or embedded PGlite in a temporary folder — with the probe
// preloaded, and ingest tokens issued the way an administrator would (through the database, as
// scripts/replay.ts does). Stopping it drops the database or the folder. It can be killed and started
// again on the same database and port (the reconnect storm).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { z } from 'zod';
import { createIngestCredentials } from '../db/credentials.ts';
import { createDb } from '../db/client.ts';
import { createSeededServerDatabase } from '../db/seeded-database.ts';
import { loadShippedReferenceData } from '../data/election-package.ts';
import { findRunningEmbeddedPostgres } from '../db/embedded.ts';
import { spawnBenchProcess, type BenchProcess } from './ipc.ts';
import type { ProbeSample } from './probe.ts';
import { DEFAULT_ELECTION_ID } from '../server/config.ts';

export const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const ELECTION_ID = DEFAULT_ELECTION_ID;

export interface SidecarOptions {
  port: number;
  database: 'postgres' | 'pglite';
  /** Default: the sidecar's (5 minutes before the served election's polls close). */
  clockStart?: string;
  clockSpeed: number;
  /** Write a CPU profile (node --cpu-prof) into this folder when the sidecar exits. */
  cpuProfileDir?: string;
  label: string;
}

export interface SidecarUnderTest {
  /** The current process (a new one after `restart`). */
  readonly process: BenchProcess;
  baseUrl: string;
  /** The sidecar's DATA_DIR (its own temporary folder, with either database). */
  dataDir: string;
  /** The database on the PostgreSQL server, or null when embedded. */
  postgresDatabase: string | null;
  tokens: Record<string, string>;
  clockToken: string;
  probe(collect?: boolean): Promise<ProbeSample>;
  viewers(): Promise<number>;
  /** Starts the sidecar again after its process has exited (same database, port and clock token). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** PostgreSQL backends serving a database: their pids, for the CPU they use. */
export async function postgresBackendPids(database: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database]);
    return rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}

export async function postgresVersion(): Promise<string | null> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]?.server_version ?? null;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function waitForHttp(url: string, timeoutMs: number, exited?: Promise<unknown>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited?.then(() => (gone = true));
  while (Date.now() < deadline && !gone) {
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(gone ? `the process behind ${url} exited while starting` : `${url} did not come up within ${timeoutMs / 1000} s`);
}

/** Fails clearly when something already listens on the port (a stale sidecar would answer our health checks). */
export async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', () => reject(new Error(`port ${port} is in use; stop what listens there or pass --port-base`)));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

export async function startSidecar(options: SidecarOptions): Promise<SidecarUnderTest> {
  await assertPortFree(options.port);
  const clockToken = randomBytes(24).toString('base64url');
  let databaseUrl: string | undefined;
  // Its own DATA_DIR with either database: the embedded one lives there, and so would a sidecar's
  // sidecar-processes.json (the roles it runs), which the storm reads.
  const dataDir = await mkdtemp(path.join(tmpdir(), 'valgvakt-bench-'));
  let dropDatabase = () => rm(dataDir, { recursive: true, force: true });
  if (options.database === 'postgres') {
    // Migrated and seeded already (a copy of a kept template, db/seeded-database.ts): the sidecar's own
    // migration and seeding at start-up then find nothing to do, and it is up sooner.
    const scratch = await createSeededServerDatabase(POSTGRES_ADMIN_URL, [await loadShippedReferenceData(DEFAULT_ELECTION_ID)], 'valgvakt_bench');
    databaseUrl = scratch.url;
    dropDatabase = async () => {
      await scratch.drop();
      await rm(dataDir, { recursive: true, force: true });
    };
  }

  const spawnSidecar = () => spawnBenchProcess(options.label, 'server/main.ts', {
    preload: ['bench/probe.ts'],
    nodeArgs: ['--expose-gc', ...(options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [])],
    env: {
      BENCH_PROBE: '1',
      SIDECAR_PORT: String(options.port),
      SIDECAR_HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
      CLOCK_MODE: 'simulated',
      ...(options.clockStart ? { CLOCK_START: options.clockStart } : {}),
      CLOCK_SPEED: String(options.clockSpeed),
      CLOCK_CONTROL_TOKEN: clockToken,
    },
  });
  let sidecar = spawnSidecar();
  const baseUrl = `http://127.0.0.1:${options.port}`;
  try {
    await sidecar.ready();
    await waitForHttp(`${baseUrl}/healthz`, 180_000, sidecar.exited);
    // The sidecar has migrated and seeded the database; tokens go straight in (PGlite through the
    // sidecar's loopback endpoint, one connection, as its CLI tools do).
    const connectionString = databaseUrl ?? (await findRunningEmbeddedPostgres(path.join(dataDir, 'pglite')));
    if (!connectionString) throw new Error('the sidecar does not say where it serves its embedded database');
    const db = createDb(connectionString, { maxConnections: 1 });
    let tokens: Record<string, string>;
    try {
      tokens = await createIngestCredentials(db, ELECTION_ID, 'bench');
    } finally {
      await db.$disconnect();
    }
    return {
      get process() {
        return sidecar;
      },
      baseUrl,
      dataDir,
      postgresDatabase: databaseUrl ? new URL(databaseUrl).pathname.slice(1) : null,
      tokens,
      clockToken,
      probe: (collect = false) => sidecar.call<ProbeSample>('probe', { collect }, 60_000),
      async viewers() {
        const health = z.object({ viewers: z.number().optional() }).parse(await (await fetch(`${baseUrl}/healthz`)).json());
        return health.viewers ?? 0;
      },
      async restart() {
        await sidecar.exited;
        sidecar = spawnSidecar();
        await sidecar.ready();
        await waitForHttp(`${baseUrl}/healthz`, 180_000, sidecar.exited);
      },
      async stop() {
        await sidecar.stop();
        await dropDatabase();
      },
    };
  } catch (error) {
    await sidecar.stop();
    await dropDatabase();
    throw error;
  }
}
