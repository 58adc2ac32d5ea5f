// Request/answer over Node's child-process IPC channel: the orchestrator drives each bench process with
// named commands and gets their results back as JSON. A child whose parent goes away stops itself, so an
// interrupted bench leaves no servers or load behind.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { lowerPriority } from '../server/roles/niceness.ts';

type Handler = (args: never) => unknown;

interface CallMessage {
  type: 'call';
  id: number;
  command: string;
  args: unknown;
}

type AnswerMessage = { type: 'answer'; id: number; ok: true; value: unknown } | { type: 'answer'; id: number; ok: false; error: string };

/** Child side: answer the parent's commands; signals 'ready' once listening. */
export function serveCommands(handlers: Record<string, Handler>): void {
  if (!process.send) throw new Error('a bench process must be started with an IPC channel');
  process.on('message', (message: CallMessage) => {
    if (message?.type !== 'call') return;
    const handler = handlers[message.command];
    const reply = (answer: AnswerMessage) => process.connected && process.send?.(answer);
    if (!handler) return reply({ type: 'answer', id: message.id, ok: false, error: `unknown command ${message.command}` });
    Promise.resolve()
      // Each handler takes the args its callers send with its command; IPC carries them untyped.
      .then(() => handler(message.args as never))
      .then(
        (value) => reply({ type: 'answer', id: message.id, ok: true, value }),
        (error: unknown) => reply({ type: 'answer', id: message.id, ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
      );
  });
  // The orchestrator is gone (finished, crashed or interrupted): shut down the way a signal would.
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  process.send({ type: 'ready' });
}

export class BenchProcess {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly readyPromise: Promise<void>;
  readonly exited: Promise<number | null>;

  constructor(readonly name: string, readonly child: ChildProcess) {
    let markReady!: () => void;
    this.readyPromise = new Promise<void>((resolve) => (markReady = resolve));
    child.on('message', (message: AnswerMessage | { type: 'ready' }) => {
      if (message?.type === 'ready') return markReady();
      if (message?.type !== 'answer') return;
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (!waiter) return;
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(new Error(`${name}: ${message.error}`));
    });
    this.exited = new Promise((resolve) => child.once('exit', (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`${name} exited (${code}) before answering`));
      this.pending.clear();
      resolve(code);
    }));
  }

  get pid(): number {
    const pid = this.child.pid;
    if (pid === undefined) throw new Error(`${this.name} has no pid: it did not start`);
    return pid;
  }

  async ready(timeoutMs = 120_000): Promise<void> {
    await withTimeout(Promise.race([this.readyPromise, this.exited.then((code) => Promise.reject(new Error(`${this.name} exited (${code}) while starting`)))]), timeoutMs, `${this.name} did not start`);
  }

  call<T>(command: string, args: unknown = {}, timeoutMs = 600_000): Promise<T> {
    const id = this.nextId++;
    const answer = new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ type: 'call', id, command, args } satisfies CallMessage, (error) => {
        if (error) {
          this.pending.delete(id);
          reject(error);
        }
      });
    });
    // The child answers with its handler's value for the command; T is what the caller knows that handler returns.
    return withTimeout(answer, timeoutMs, `${this.name} did not answer ${command}`) as Promise<T>;
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 20_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${message} within ${Math.round(ms / 1000)} s`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsxLoader = import.meta.resolve('tsx');

export interface SpawnOptions {
  env?: Record<string, string | undefined>;
  /** Node flags, e.g. --expose-gc, --cpu-prof. */
  nodeArgs?: string[];
  /** Modules loaded before the entry file (e.g. the probe). */
  preload?: string[];
  /** Where the child's stdout/stderr go; 'inherit' shows its log in the bench output. */
  output?: 'inherit' | 'ignore';
  /**
   * Run below the bench's own priority by this much (server/roles/niceness.ts) once the child is ready, as
   * the sidecar does with its live processes: processes that stand in for machines of their own (viewers'
   * browsers, the naive server's fan-out) yield to the sidecar's intake as its live processes do.
   */
  niceness?: number;
}

/** Starts a TypeScript entry file (relative to the repository root) under tsx with an IPC channel. */
export function spawnBenchProcess(name: string, entry: string, options: SpawnOptions = {}): BenchProcess {
  const imports = [tsxLoader, ...(options.preload ?? []).map((file) => pathToFileURL(path.join(repoRoot, file)).href)].flatMap((url) => ['--import', url]);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...imports, path.join(repoRoot, entry)], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', options.output ?? 'inherit', options.output ?? 'inherit', 'ipc'],
  });
  const started = new BenchProcess(name, child);
  const { niceness } = options;
  if (niceness && child.pid !== undefined) {
    const pid = child.pid;
    void started.ready().then(() => {
      try {
        lowerPriority(pid, niceness);
      } catch {
        // Gone already: its exit says so.
      }
    }, () => {});
  }
  return started;
}

export { repoRoot };
