// The ingest-throughput client: the replay engine (replay/runner.ts) playing the 2023 night at --speed max
// into a fresh sidecar, steering its simulated clock, exactly as `npm run replay -- --speed max` does.
import { loadDefaultScenario, loadReplayReference } from '../data/election-package.ts';
import { DEFAULT_ELECTION_ID } from '../server/config.ts';
import { buildReplayPlan } from '../lib/replay/plan.ts';
import { runReplay, type ReplayResult } from '../replay/runner.ts';
import { serveCommands } from './ipc.ts';

export interface IngestArgs {
  baseUrl: string;
  tokens: Record<string, string>;
  clockToken: string;
  municipalities: 'all' | string[];
  timeoutMs: number;
}

/** The replay's own counts, with what the bench adds: the plan's size, whether it finished, a sample of surprises. */
export interface IngestRun extends Pick<ReplayResult, 'sent' | 'created' | 'duplicates' | 'conflicts' | 'refused' | 'unexpected' | 'retries' | 'wallMs'> {
  requests: number;
  finished: boolean;
  unexpectedSample: string[];
}

async function run(args: IngestArgs): Promise<IngestRun> {
  const plan = buildReplayPlan(await loadReplayReference(DEFAULT_ELECTION_ID), { ...(await loadDefaultScenario(DEFAULT_ELECTION_ID)), municipalities: args.municipalities });
  const signal = AbortSignal.timeout(args.timeoutMs);
  const result = await runReplay({ baseUrl: args.baseUrl, plan, tokens: args.tokens, speed: 'max', clockToken: args.clockToken, signal });
  return {
    requests: plan.requests.length,
    sent: result.sent, created: result.created, duplicates: result.duplicates, conflicts: result.conflicts,
    refused: result.refused, unexpected: result.unexpected, retries: result.retries, wallMs: result.wallMs,
    finished: result.sent === plan.requests.length,
    unexpectedSample: result.unexpectedAnswers.slice(0, 5).map((u) => `#${u.id} ${u.kind} ${u.municipality}: expected ${u.expected}, got ${u.got} ${u.body.slice(0, 200)}`),
  };
}

serveCommands({ run: (args: IngestArgs) => run(args) });
