// A stack of a spec's own: a sidecar (e2e/start-stack.ts) and the web server on ports of the spec's own,
// so a spec that moves the clock or serves another election disturbs no other spec. Each process runs in a
// process group of its own, so stopping it stops what it started (a start runs a child).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface OwnStack {
  /** Where e2e/start-stack.ts writes stack.json (clock token, operator) and tokens.json. */
  dir: string;
  sidecar: string;
  web: string;
  stop(): Promise<void>;
}

export const bin = (name: string) => path.resolve('node_modules/.bin', name);

async function waitFor(url: string): Promise<void> {
  for (const deadline = Date.now() + 90_000; Date.now() < deadline;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not come up`);
}

export async function startOwnStack(options: { name: string; sidecarPort: number; webPort: number; env?: Record<string, string> }): Promise<OwnStack> {
  const sidecar = `http://127.0.0.1:${options.sidecarPort}`;
  const web = `http://127.0.0.1:${options.webPort}`;
  // A stack left over on these ports would answer for ours.
  for (const url of [`${sidecar}/healthz`, `${web}/`]) {
    if (await fetch(url).then(() => true, () => false)) throw new Error(`something already answers at ${url}`);
  }
  const dir = await mkdtemp(path.join(tmpdir(), `valgvakt-${options.name}-`));
  const children: ChildProcess[] = [];
  const start = (args: string[], env: Record<string, string>) => {
    const child = spawn(bin('tsx'), args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'], detached: true });
    children.push(child);
  };
  const stop = async () => {
    for (const child of children) if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)))));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    start(['e2e/start-stack.ts'], { ...options.env, SIDECAR_PORT: String(options.sidecarPort), E2E_ARTIFACTS: dir });
    await waitFor(`${sidecar}/healthz`);
    start(['scripts/web-server.ts', '-p', String(options.webPort), '-H', '127.0.0.1'], { SIDECAR_URL: sidecar, SIDECAR_PUBLIC_URL: sidecar, NEXT_TELEMETRY_DISABLED: '1' });
    await waitFor(`${web}/`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { dir, sidecar, web, stop };
}
