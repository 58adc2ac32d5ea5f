// The simulated clock resumes where it stopped: a sidecar process (server/main.ts, embedded database)
// restarted with the same CLOCK_START starts at the newest recorded change, so the revision log's times
// never go backwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { freePort } from './processes.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nightAt, nightIso } from './harness.ts';

const CLOCK_TOKEN = 'clock-resume-control-token';
const tsx = join('node_modules', '.bin', 'tsx');


describe('simulated clock across a restart (embedded)', () => {
  let dataDir: string;
  let port: number;
  let sidecar: ChildProcess | undefined;
  const base = () => `http://127.0.0.1:${port}`;
  const env = () => ({
    ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, SIDECAR_PORT: String(port), SIDECAR_HOST: '127.0.0.1', LOG_LEVEL: 'warn',
    CLOCK_MODE: 'simulated', CLOCK_START: nightIso('20:55'), CLOCK_SPEED: '0', CLOCK_CONTROL_TOKEN: CLOCK_TOKEN, STATE_MONITOR: 'false',
  });

  async function start(): Promise<void> {
    const environment: NodeJS.ProcessEnv = env();
    delete environment.DATABASE_URL;
    sidecar = spawn(tsx, ['server/main.ts'], { env: environment, stdio: ['ignore', 'ignore', 'inherit'] });
    // Several processes (supervisor, database, intake, live) load side by side: generous on a busy machine.
    for (let i = 0; i < 1200; i++) {
      if (await fetch(`${base()}/healthz`).then((r) => r.ok, () => false)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('sidecar did not start');
  }

  async function stop(): Promise<void> {
    const child = sidecar!;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  }

  async function clockNow(): Promise<string> {
    return (await (await fetch(`${base()}/api/v1/clock`)).json()).now;
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'valgvakt-clock-resume-'));
    port = await freePort();
  });
  afterAll(async () => {
    if (sidecar && sidecar.exitCode === null) await stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('resumes at the newest recorded change, not at CLOCK_START', async () => {
    await start();
    expect(await clockNow()).toBe(nightAt('20:55').toISOString());
    const set = await fetch(`${base()}/api/v1/clock`, { method: 'PUT', headers: { authorization: `Bearer ${CLOCK_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ at: nightIso('23:30') }) });
    expect(set.status).toBe(200);
    // A token while the sidecar runs (the CLI joins its embedded database), then a change at 23:30.
    const environment: NodeJS.ProcessEnv = env();
    delete environment.DATABASE_URL;
    const token = await new Promise<string>((resolve, reject) => {
      const cli = spawn(tsx, ['scripts/db-tool.ts', 'token', '0301'], { env: environment, stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      cli.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
      cli.once('error', reject);
      cli.once('close', () => resolve(out.trim()));
    });
    const heartbeat = await fetch(`${base()}/api/v1/status`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ municipality: '0301', at: nightIso('23:29'), category: 'election_day', stage: 'preliminary', districts: [] }),
    });
    expect(heartbeat.status).toBe(201);
    await stop();

    await start();
    expect(await clockNow()).toBe(nightAt('23:30').toISOString());
    const log = await (await fetch(`${base()}/api/v1/changes?since=0&limit=500`)).json();
    const times = log.revisions.map((r: { at: string }) => r.at);
    expect(times.at(-1)).toBe(nightAt('23:30').toISOString());
    // Moving the clock back to CLOCK_START is refused: it never goes backwards.
    const back = await fetch(`${base()}/api/v1/clock`, { method: 'PUT', headers: { authorization: `Bearer ${CLOCK_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ at: nightIso('20:55') }) });
    expect(back.status).toBe(409);
  }, 180_000);
});
