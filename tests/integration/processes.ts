// Real processes for tests that kill or restart things: sidecars (server/main.ts), and a private
// PostgreSQL server (from initdb in a temporary folder) or Redis (on a free port) that a test may stop
// and start without disturbing any other test.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { io as connect, type Socket } from 'socket.io-client';
import {
  LIVE_NAMESPACE, type LiveClientToServerEvents, type LiveServerToClientEvents, type MunicipalitySummary, type NationalTotals,
  type OverviewDelta, type Snapshot,
} from '../../lib/contracts/live.ts';
import { createFollower, stepFollower, type FollowerEvent, type FollowerRules } from '../../lib/domain/delta-follower.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

export interface NodeProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** Everything it wrote so far (its pino log). */
  output(): string;
  kill(): Promise<void>;
}

/** Every process started here, so none outlives its file even if its start failed. */
export const spawned = new Set<ChildProcess>();

export async function killAllSpawned(): Promise<void> {
  await Promise.all([...spawned].map((child) => new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGKILL');
  })));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts `server/main.ts` with the given environment; resolves once it listens. */
export function startNode(name: string, env: Record<string, string>): Promise<NodeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  spawned.add(child);
  child.once('exit', () => spawned.delete(child));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  return new Promise((resolve, reject) => {
    // A sidecar is several processes (supervisor, intake, live) that load side by side: generous on a busy machine.
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output.slice(-3000)}`)), 120_000);
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        const address = line.includes('"sidecar listening"') ? (JSON.parse(line) as { address: string }).address : undefined;
        if (address) {
          clearTimeout(timer);
          resolve({
            name, url: `http://${address}`, child,
            output: () => output,
            async kill() {
              child.kill('SIGKILL');
              await exited;
            },
          });
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before listening:\n${output.slice(-3000)}`));
    });
  });
}

async function postgresBin(): Promise<string> {
  const versions = (await readdir('/usr/lib/postgresql')).sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql');
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

export interface PrivatePostgres {
  url(database?: string): string;
  /** Stops the server (fast shutdown: open sessions are ended). */
  stop(): Promise<void>;
  /** Stops it as a crash would (immediate: no checkpoint, what is not yet in the WAL files is gone); start() recovers. */
  crash(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  destroy(): Promise<void>;
}

/**
 * A PostgreSQL server of the test's own, from initdb in a temporary folder, on a free port. As root the
 * server runs as the `postgres` user (PostgreSQL refuses to run as root). `settings` are passed as `-c`.
 */
export async function startPrivatePostgres(settings: Record<string, string> = {}): Promise<PrivatePostgres> {
  const bin = await postgresBin();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'valgvakt-pg-'));
  const dataDir = path.join(dir, 'data');
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const as = (command: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args));
  if (asRoot) await chown(dir, Number((await run('id', ['-u', 'postgres'])).stdout.trim()), Number((await run('id', ['-g', 'postgres'])).stdout.trim()));
  await as(`${bin}/initdb`, ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const extra = Object.entries(settings).map(([name, value]) => ` -c ${name}=${value}`).join('');
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60${extra}`;
  const pgCtl = (action: string, ...extra: string[]) => as(`${bin}/pg_ctl`, ['-D', dataDir, '-w', '-t', '60', '-l', path.join(dir, 'log'), ...extra, action]);
  const started = () => pgCtl('start', '-o', options);
  await started();
  return {
    url: (database = 'postgres') => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    stop: async () => { await pgCtl('stop', '-m', 'fast'); },
    crash: async () => { await pgCtl('stop', '-m', 'immediate'); },
    start: async () => { await started(); },
    async destroy() {
      await pgCtl('stop', '-m', 'immediate').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivateRedis {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** A Redis server of the test's own on a free port, without persistence. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  async function start(): Promise<void> {
    const process_ = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = process_;
    spawned.add(process_);
    process_.once('exit', () => spawned.delete(process_));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('redis-server did not start')), 10_000);
      process_.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      process_.once('exit', () => reject(new Error('redis-server exited')));
    });
  }
  async function stop(): Promise<void> {
    const current = child;
    if (!current || current.exitCode !== null) return;
    await new Promise((resolve) => {
      current.once('exit', resolve);
      current.kill('SIGKILL');
    });
  }
  await start();
  return { url: `redis://127.0.0.1:${port}`, stop, start, destroy: stop };
}

type Viewer = Socket<LiveServerToClientEvents, LiveClientToServerEvents>;

interface MirrorState {
  seq: number;
  municipalities: Map<string, MunicipalitySummary>;
  national: NationalTotals | undefined;
}

const MIRROR_RULES: FollowerRules<MirrorState, OverviewDelta> = {
  catchUp: true,
  isPartial: (held) => held.national === undefined,
  apply: (held, delta) => {
    const municipalities = new Map(held.municipalities);
    for (const summary of delta.municipalities) municipalities.set(summary.number, summary);
    return { seq: delta.seq, municipalities, national: delta.national };
  },
};

/**
 * A viewer as a page is one, by the browser's own follower (lib/domain/delta-follower.ts): snapshot, then
 * deltas by the ordering rule, a resync on a gap or a new session. Unlike a page it retries a failed fetch.
 */
export class OverviewMirror {
  /** Resyncs started by a gap. */
  gaps = 0;
  readonly socket: Viewer;
  private follower = createFollower<MirrorState, OverviewDelta>({ seq: -1, municipalities: new Map(), national: undefined });

  constructor(private readonly baseUrl: string) {
    this.socket = connect(`${baseUrl}${LIVE_NAMESPACE}`, { transports: ['websocket'], reconnectionDelay: 100, reconnectionDelayMax: 300 });
    this.socket.on('overview:updated', (delta) => this.dispatch({ type: 'delta', delta }));
    this.socket.on('connect', () => this.dispatch({ type: 'connected', recovered: this.socket.recovered }));
  }

  get seq(): number {
    return this.follower.held.seq;
  }

  get municipalities(): Map<string, MunicipalitySummary> {
    return this.follower.held.municipalities;
  }

  get national(): NationalTotals | undefined {
    return this.follower.held.national;
  }

  private dispatch(event: FollowerEvent<MirrorState, OverviewDelta>): void {
    const step = stepFollower(MIRROR_RULES, this.follower, event);
    this.follower = step.state;
    for (const effect of step.effects) {
      if (effect.type === 'catch-up') void this.catchUp(effect.fromSeq);
      if (effect.type !== 'fetch-snapshot') continue;
      if (effect.reason === 'gap') this.gaps += 1;
      void this.fetchSnapshot();
    }
  }

  /** As a page does after a reconnect Socket.IO could not recover: one delta from the seq held. */
  private async catchUp(fromSeq: number): Promise<void> {
    try {
      const answer = await this.socket.timeout(5000).emitWithAck('overview:catch-up', { seq: fromSeq });
      if (!answer.ok || answer.form !== 'full') throw new Error(answer.ok ? 'compact form for a full connection' : answer.error);
      this.dispatch({ type: 'catch-up-loaded', delta: answer.delta });
    } catch {
      this.dispatch({ type: 'catch-up-failed' });
    }
  }

  private async fetchSnapshot(): Promise<void> {
    const snapshot = await this.fetchUntilLoaded();
    this.dispatch({
      type: 'snapshot-loaded',
      snapshot: { seq: snapshot.seq, municipalities: new Map(snapshot.municipalities.map((m) => [m.number, m])), national: snapshot.national },
    });
  }

  /** The follower stays resyncing (buffering deltas) until a fetch succeeds. */
  private async fetchUntilLoaded(): Promise<Snapshot> {
    for (;;) {
      try {
        return (await (await fetch(`${this.baseUrl}/api/v1/snapshot`)).json()) as Snapshot;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}
