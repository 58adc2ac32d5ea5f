// Starts a real sidecar on port 0 against a fresh database — in-memory PGlite served over its socket, or
// a new database on the PostgreSQL server — seeded with the real reference data. Tests talk to it over
// HTTP and Socket.IO only, like a municipal system or a browser would.
import pino from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import { loadElectionPackage, loadShippedElection, loadShippedReferenceData, toReferenceData } from '../../data/election-package.ts';
import { findLatestSeq } from '../../db/changes.ts';
import { createIngestCredential } from '../../db/credentials.ts';
import { openDatabase, type Database } from '../../db/database.ts';
import { createScratchDatabase } from '../../db/scratch-database.ts';
import { seedReferenceData, type ReferenceData } from '../../db/reference-data.ts';
import { createSeededServerDatabase as createSeededServerDatabaseOf, openSeededDatabase } from '../../db/seeded-database.ts';
import type { ResultReport, StatusReport } from '../../lib/contracts/ingest.ts';
import { LIVE_NAMESPACE, type LiveClientToServerEvents, type LiveServerToClientEvents } from '../../lib/contracts/live.ts';
import { parseNightTime, type ElectionNight } from '../../lib/replay/night-time.ts';
import { createFixedClock, createSimulatedClock, type Clock } from '../../server/clock.ts';
import { createSidecar, type Sidecar, type SidecarDeps } from '../../server/sidecar.ts';
import { loadThresholds } from '../../server/thresholds.ts';
import { DEFAULT_ELECTION_ID } from '../../server/config.ts';

export type Backend = 'pglite' | 'postgres';
export const BACKENDS: Backend[] = ['pglite', 'postgres'];
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** The election the tests serve unless they say otherwise: the sidecar's default ELECTION_ID. */
export const TEST_ELECTION_ID: string = DEFAULT_ELECTION_ID;

/** An hour after the polls close: the election night a fixed clock shows. */
export async function electionNightOf(electionId: string): Promise<Date> {
  return new Date(Date.parse((await loadShippedElection(electionId)).package.pollsCloseAt) + 60 * 60_000);
}

/** Election night of the test election, an hour after the polls close: what the injected clock says unless a test moves it. */
export const ELECTION_NIGHT = await electionNightOf(TEST_ELECTION_ID);

/** The day, time zone and poll closing of a shipped package's night, from its manifest. */
export async function nightOf(electionId: string): Promise<ElectionNight> {
  const { electionDay, timeZone, pollsClose } = (await loadShippedElection(electionId)).package.manifest;
  return { electionDay, timeZone, pollsClose };
}

/** The night of the test election. */
export const TEST_NIGHT: ElectionNight = await nightOf(TEST_ELECTION_ID);

/**
 * A local time on the night of the served package ("21:45", or "22:04:59" to the second; before noon is the
 * morning after election day) → the instant, in the package's time zone. Fixtures name the night this way so
 * that no test is tied to one election.
 */
export function nightAt(time: string, night: ElectionNight = TEST_NIGHT): Date {
  const { hhmm, seconds } = splitNightTime(time);
  return new Date(parseNightTime(hhmm, night).getTime() + seconds * 1000);
}

/**
 * nightAt as a municipal system writes it: the local time with the zone's offset that night, e.g.
 * "…T21:45:00+02:00" for "21:45" on a Norwegian September night. (nightAt(...).toISOString() is the same instant in UTC.)
 */
export function nightIso(time: string, night: ElectionNight = TEST_NIGHT): string {
  const { hhmm, seconds } = splitNightTime(time);
  const at = parseNightTime(hhmm, night).getTime();
  // The wall clock read as if it were UTC, minus the instant: the zone's offset at that moment.
  const wall = Date.parse(`${night.electionDay}T${hhmm}:00Z`) + (Number(hhmm.slice(0, 2)) < 12 ? 86_400_000 : 0);
  const offset = (wall - at) / 60_000;
  const sign = offset < 0 ? '-' : '+';
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  return `${new Date(wall + seconds * 1000).toISOString().slice(0, 19)}${sign}${pad(offset / 60)}:${pad(Math.abs(offset) % 60)}`;
}

function splitNightTime(time: string): { hhmm: string; seconds: number } {
  const parts = time.match(/^(\d{2}:\d{2})(?::([0-5]\d))?$/);
  if (!parts) throw new RangeError(`not a night time: ${time}`);
  return { hhmm: parts[1]!, seconds: Number(parts[2] ?? 0) };
}

/** The reference data of a shipped package (default: the test election). */
export function referenceData(electionId: string = TEST_ELECTION_ID): Promise<ReferenceData> {
  return loadShippedReferenceData(electionId);
}

/** A fresh, empty database on the PostgreSQL server, dropped by the returned function. */
export function createServerDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  return createScratchDatabase(POSTGRES_ADMIN_URL, 'valgvakt_test');
}

/** A fresh database on the PostgreSQL server, migrated and holding the test election (a copy: db/seeded-database.ts). */
export async function createSeededServerDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  return createSeededServerDatabaseOf(POSTGRES_ADMIN_URL, [await referenceData()]);
}

export interface TestStack {
  backend: Backend;
  /** The election this sidecar serves. */
  electionId: string;
  baseUrl: string;
  database: Database;
  sidecar: Sidecar;
  clock: Clock;
  /** Moves a fixed clock (tests of the fixed kind only). */
  setClock(at: Date): void;
  token(municipality: string): Promise<string>;
  postResult(token: string, body: unknown, init?: { contentType?: string; raw?: string }): Promise<{ status: number; body: any }>;
  postStatus(token: string, body: unknown): Promise<{ status: number; body: any }>;
  getJson(path: string, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
  /** A /live connection; `auth` as a browser would send it (the site's pages ask for compact overview deltas). */
  viewer(auth?: Record<string, unknown>): Promise<Socket<LiveServerToClientEvents, LiveClientToServerEvents>>;
  /** Waits until the read model has every committed change, then lets the stall monitor evaluate. */
  settle(): Promise<void>;
  /** Stops the sidecar, keeping the database (for restart tests). */
  stopSidecar(): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  /** Embedded only: persist here instead of in memory. */
  dataDir?: string;
  /** Reuse an existing server database URL instead of creating one. */
  databaseUrl?: string;
  /** 'simulated': a paused simulated clock at 20:55 on election night, steerable with CLOCK_TOKEN. */
  clock?: 'fixed' | 'simulated';
  /** Run the stall monitor with config/thresholds.json. */
  stallMonitor?: boolean;
  /** Listen here instead of 127.0.0.1 (e.g. 0.0.0.0, to be reached from a non-loopback address). */
  listenHost?: string;
  /** The shipped package this sidecar serves (default TEST_ELECTION_ID). */
  election?: string;
  /** Serve the package in this folder instead of a shipped one (its manifest's id). */
  packageDir?: string;
  /** Further shipped packages loaded into the same database first (several elections in one database). */
  alsoLoad?: string[];
  /** Limits and other settings of the sidecar under test. */
  sidecar?: Pick<SidecarDeps, 'deltaIntervalMs' | 'ingestRateLimitPerMinute' | 'ingestUnauthenticatedRateLimitPerMinute' | 'trustProxy' | 'requestTimeoutMs' | 'idleTimeoutMs' | 'siteOrigins' | 'metricsToken' | 'alerts'>;
}

export const CLOCK_TOKEN = 'integration-clock-control-token';

export async function startTestStack(backend: Backend, options: StackOptions = {}): Promise<TestStack> {
  const own = options.packageDir ? await loadElectionPackage(options.packageDir) : await loadShippedElection(options.election ?? TEST_ELECTION_ID);
  const electionId = own.package.manifest.id;
  const seeds = [...await Promise.all((options.alsoLoad ?? []).map((other) => referenceData(other))), toReferenceData(own.package, own.hash)];
  // A given database is reopened as it is (restart tests); a new one starts as a migrated, seeded copy.
  const opened = options.databaseUrl
    ? await openDatabase({ databaseUrl: options.databaseUrl }).then(async (database) => {
      for (const seed of seeds) await seedReferenceData(database.db, seed);
      return { database, databaseUrl: options.databaseUrl, close: () => database.close() };
    })
    : await openSeededDatabase({ seeds, serverAdminUrl: backend === 'postgres' ? POSTGRES_ADMIN_URL : undefined, dataDir: options.dataDir });
  const { database } = opened;
  const pollsCloseAt = Date.parse(own.package.pollsCloseAt);
  const fixed = createFixedClock(new Date(pollsCloseAt + 60 * 60_000));
  // A simulated clock starts where the sidecar's default CLOCK_START would: 5 minutes before the polls close.
  const clock: Clock = options.clock === 'simulated' ? createSimulatedClock(new Date(pollsCloseAt - 5 * 60_000), 0) : fixed;
  const sidecar = await createSidecar({
    db: database.db,
    clock,
    clockControlToken: options.clock === 'simulated' ? CLOCK_TOKEN : undefined,
    sessionClock: options.clock === 'simulated' ? undefined : fixed,
    thresholds: options.stallMonitor ? await loadThresholds() : undefined,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    electionId,
    corsOrigins: true,
    databaseKind: database.embedded ? 'embedded' : 'server',
    ...options.sidecar,
  });
  const { port } = await sidecar.listen(0, options.listenHost);
  const baseUrl = `http://127.0.0.1:${port}`;
  const sockets: Socket[] = [];
  let sidecarStopped = false;

  async function post(path: string, token: string, body: unknown, init: { contentType?: string; raw?: string } = {}) {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': init.contentType ?? 'application/json' },
      body: init.raw ?? JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  return {
    backend, electionId, baseUrl, database, sidecar, clock,
    setClock: (at) => fixed.set(at),
    async settle() {
      await sidecar.feed.waitFor(await findLatestSeq(database.db, electionId));
      await sidecar.monitor?.evaluate();
    },
    async token(municipality) {
      return (await createIngestCredential(database.db, electionId, municipality, `test-${municipality}`)).token;
    },
    postResult: (token, body, init) => post('/api/v1/results', token, body, init),
    postStatus: (token, body) => post('/api/v1/status', token, body),
    async getJson(path, headers = {}) {
      const response = await fetch(`${baseUrl}${path}`, { headers });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
    },
    async viewer(auth) {
      const socket: Socket<LiveServerToClientEvents, LiveClientToServerEvents> = connect(`${baseUrl}${LIVE_NAMESPACE}`, { transports: ['websocket'], reconnection: false, auth });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      return socket;
    },
    async stopSidecar() {
      sockets.forEach((s) => s.disconnect());
      if (!sidecarStopped) await sidecar.close();
      sidecarStopped = true;
    },
    async close() {
      sockets.forEach((s) => s.disconnect());
      if (!sidecarStopped) await sidecar.close();
      await opened.close();
    },
  };
}

/** A valid election-day report for a district, with votes that fit the municipality's lists. */
export function makeResultReport(overrides: Partial<ResultReport> & Pick<ResultReport, 'municipality' | 'district'>): ResultReport {
  return {
    category: 'election_day',
    stage: 'preliminary',
    version: 1,
    countedAt: nightIso('21:45'),
    ballots: { counted: 1000, rejected: 4, blank: 12 },
    votes: { A: 300, H: 400, FRP: 200 },
    ...overrides,
  };
}

export function makeStatusReport(overrides: Partial<StatusReport> & Pick<StatusReport, 'municipality' | 'districts'>): StatusReport {
  return { at: nightIso('21:50'), category: 'election_day', stage: 'preliminary', ...overrides };
}

/** Resolves with the first event of that name that satisfies the predicate. */
export function nextEvent<E extends keyof LiveServerToClientEvents>(
  socket: Socket<LiveServerToClientEvents, LiveClientToServerEvents>,
  event: E,
  predicate: (payload: Parameters<LiveServerToClientEvents[E]>[0]) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<Parameters<LiveServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler as never);
      reject(new Error(`no ${String(event)} within ${timeoutMs} ms`));
    }, timeoutMs);
    const handler = (payload: Parameters<LiveServerToClientEvents[E]>[0]) => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      socket.off(event, handler as never);
      resolve(payload);
    };
    socket.on(event, handler as never);
  });
}
