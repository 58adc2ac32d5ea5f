// npm run replay -- [options]: plays an election night into a running Valgvakt through its ingest API.
// Exits non-zero if any request gets an answer the plan did not expect.
import { readFile, writeFile } from 'node:fs/promises';
import { loadPackageScenarios, loadReplayReference } from '../data/election-package.ts';
import { createIngestCredentials } from '../db/credentials.ts';
import { openDatabase } from '../db/database.ts';
import { parseNightTime } from '../lib/replay/night-time.ts';
import { buildReplayPlan } from '../lib/replay/plan.ts';
import { formatReplayProgress, formatReplaySummary } from '../replay/report.ts';
import { REPLAY_USAGE, parseReplayArgs } from '../replay/cli-options.ts';
import { runReplay } from '../replay/runner.ts';
import { embeddedDataDir, parseSidecarEnv } from '../server/config.ts';
import { errorMessage } from '../lib/error-message.ts';

// The served election's package (ELECTION_ID) decides what is replayed: its night and its scenarios.
const env = parseSidecarEnv(process.env);
const packageScenarios = await loadPackageScenarios(env.ELECTION_ID);
let options;
try {
  options = await parseReplayArgs(process.argv.slice(2), packageScenarios);
} catch (error) {
  const scenarios = `scenarios of ${packageScenarios.id}: ${[...packageScenarios.scenarios.keys(), 'clean'].join(', ')}${packageScenarios.defaultScenario ? ` (default ${packageScenarios.defaultScenario})` : ' (default clean)'}\n`;
  console.error(errorMessage(error) === REPLAY_USAGE ? `${REPLAY_USAGE}\n${scenarios}` : `${errorMessage(error)}\n\n${REPLAY_USAGE}\n${scenarios}`);
  process.exit(2);
}

const reference = await loadReplayReference(env.ELECTION_ID);
const plan = buildReplayPlan(reference, options.scenario);
if (options.planFile) {
  await writeFile(options.planFile, JSON.stringify(plan, null, 1));
  console.log(`wrote ${plan.requests.length} requests to ${options.planFile}`);
  process.exit(0);
}

async function issueTokens(municipalities: string[]): Promise<Record<string, string>> {
  // Provisioning, like an administrator would: the replay itself only ever uses the HTTP API.
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: embeddedDataDir(env), joinRunning: true });
  try {
    return await createIngestCredentials(database.db, env.ELECTION_ID, 'replay', municipalities);
  } finally {
    await database.close();
  }
}

const municipalities = [...new Set(plan.requests.map((r) => r.municipality))];
const tokens = options.tokensFile ? JSON.parse(await readFile(options.tokensFile, 'utf8')) : await issueTokens(municipalities);
console.log(`Replaying scenario "${plan.scenario}" (seed ${plan.seed}): ${plan.requests.length} requests from ${municipalities.length} municipalities into ${options.url}, speed ${options.speed}`);
for (const note of plan.notes.slice(0, 8)) console.log(`  · ${note}`);

const controller = new AbortController();
process.on('SIGINT', () => controller.abort());
const interactive = process.stdout.isTTY && !options.quiet;
let lastLine = 0;
const result = await runReplay({
  baseUrl: options.url,
  plan,
  tokens,
  speed: options.speed,
  clockToken: options.clockToken,
  startAt: options.from ? parseNightTime(options.from, reference).toISOString() : undefined,
  after: options.after ? parseNightTime(options.after, reference).toISOString() : undefined,
  stopAt: options.until ? parseNightTime(options.until, reference).toISOString() : undefined,
  skipIdleMinutes: options.skipIdleMinutes,
  concurrency: options.concurrency,
  signal: controller.signal,
  onProgress: (progress) => {
    if (options.quiet) return;
    if (interactive) process.stdout.write(`\r${formatReplayProgress(progress)}   `);
    else if (Date.now() - lastLine > 5000) {
      lastLine = Date.now();
      console.log(formatReplayProgress(progress));
    }
  },
});
if (interactive) process.stdout.write('\n');
console.log(formatReplaySummary(result, plan));
process.exit(result.unexpected > 0 || controller.signal.aborted ? 1 : 0);
