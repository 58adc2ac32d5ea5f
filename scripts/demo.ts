// npm run demo: the whole system on the embedded database, with an election night (the served package,
// ELECTION_ID, default the first shipped one) replayed into it
// fast enough that the night passes in a few minutes. Starts the sidecar on a simulated clock that the
// replay steers, and the web app; Ctrl-C stops everything. Each demo starts from an empty .data/demo.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { loadDefaultScenario, loadReplayReference, loadShippedElection } from '../data/election-package.ts';
import { parseSidecarEnv } from '../server/config.ts';
import { createIngestCredentials } from '../db/credentials.ts';
import { openDatabase } from '../db/database.ts';
import { buildReplayPlan } from '../lib/replay/plan.ts';
import { formatReplayProgress, formatReplaySummary } from '../replay/report.ts';
import { runReplay } from '../replay/runner.ts';

const WEB_PORT = Number(process.env.PORT ?? 3000);
const SIDECAR_PORT = Number(process.env.SIDECAR_PORT ?? 3001);
const SPEED = Number(process.env.DEMO_SPEED ?? 90);
const DATA_DIR = path.resolve(process.env.DEMO_DATA_DIR ?? '.data/demo');
const clockToken = randomBytes(24).toString('base64url');
const { ELECTION_ID } = parseSidecarEnv(process.env);
const { package: election } = await loadShippedElection(ELECTION_ID);
const children: ChildProcess[] = [];

function start(name: string, command: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping the demo`);
      void stop(1);
    }
  });
  children.push(child);
  return child;
}

async function waitFor(url: string, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${what} did not come up at ${url}`);
}

let stopping = false;
async function stop(code = 0): Promise<never> {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)))));
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

await rm(DATA_DIR, { recursive: true, force: true });
const bin = (name: string) => path.resolve('node_modules/.bin', name);
start('sidecar', bin('tsx'), ['server/main.ts'], {
  DATA_DIR, SIDECAR_PORT: String(SIDECAR_PORT), LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  ELECTION_ID, CLOCK_MODE: 'simulated', CLOCK_SPEED: '0', CLOCK_CONTROL_TOKEN: clockToken,
});
await waitFor(`http://127.0.0.1:${SIDECAR_PORT}/healthz`, 'the sidecar');
start('web', bin('tsx'), ['scripts/web-server.ts', '-p', String(WEB_PORT)], { SIDECAR_URL: `http://127.0.0.1:${SIDECAR_PORT}`, NEXT_TELEMETRY_DISABLED: '1' });
await waitFor(`http://127.0.0.1:${WEB_PORT}/`, 'the web app');

// Ingest tokens for every municipality, issued like an administrator would (through the sidecar's database).
const database = await openDatabase({ dataDir: path.join(DATA_DIR, 'pglite'), joinRunning: true });
const tokens = await createIngestCredentials(database.db, ELECTION_ID, 'demo-replay');
await database.close();

// The package's own night: its default scenario (its incidents), else the clean night.
const scenario = await loadDefaultScenario(ELECTION_ID);
const plan = buildReplayPlan(await loadReplayReference(ELECTION_ID), scenario);
console.log(`
  Valgvakt is running:  http://localhost:${WEB_PORT}   (sidecar http://localhost:${SIDECAR_PORT})
  Replaying ${election.manifest.name} at ${SPEED}× speed: ${plan.requests.length} reports from ${election.municipalities.length} municipalities.
  Scenario "${scenario.name}": ${scenario.description ?? 'nothing goes wrong'}
  The final counts follow the next morning (quiet hours are skipped). Ctrl-C stops everything.
  Stop the night to look at a moment, and go on (the replay waits with the clock):
    curl -X PUT localhost:${SIDECAR_PORT}/api/v1/clock -H 'authorization: Bearer ${clockToken}' -H 'content-type: application/json' -d '{"speed":0}'
    curl -X PUT localhost:${SIDECAR_PORT}/api/v1/clock -H 'authorization: Bearer ${clockToken}' -H 'content-type: application/json' -d '{"speed":${SPEED}}'
`);
let lastLine = 0;
const result = await runReplay({
  baseUrl: `http://127.0.0.1:${SIDECAR_PORT}`, plan, tokens, speed: SPEED, clockToken, skipIdleMinutes: 20,
  onProgress: (progress) => {
    if (process.stdout.isTTY) process.stdout.write(`\r${formatReplayProgress(progress)}   `);
    else if (Date.now() - lastLine > 10_000) {
      lastLine = Date.now();
      console.log(formatReplayProgress(progress));
    }
  },
});
if (process.stdout.isTTY) process.stdout.write('\n');
console.log(formatReplaySummary(result, plan));
console.log(`\n  The night is over; Valgvakt keeps running at http://localhost:${WEB_PORT}. Ctrl-C stops it.`);
