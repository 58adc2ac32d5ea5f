// The reporter process: posts real result reports (from the replay plan of the 2023 night, so the sidecar
// accepts them) at a steady rate, and tells the orchestrator each accepted report's seq and commit time.
// The commit time is the sidecar's `x-valgvakt-committed-at` header when it sends one (epoch ms right after
// the transaction committed), otherwise the moment the 201 arrived — a little after the commit.
import { loadPackageScenarios, loadReplayReference } from '../data/election-package.ts';
import { DEFAULT_ELECTION_ID } from '../server/config.ts';
import type { ResultReport } from '../lib/contracts/ingest.ts';
import { buildReplayPlan } from '../lib/replay/plan.ts';
import { cleanScenario } from '../lib/replay/scenarios.ts';
import { COMMITTED_AT_HEADER, ZAccepted, commitTime, type CommitRecord } from './coverage.ts';
import { Histogram, type HistogramData } from './histogram.ts';
import { serveCommands } from './ipc.ts';
import type { Target } from './load-worker.ts';

export interface RunArgs {
  baseUrl: string;
  target: Target;
  rate: number;
  durationMs: number;
  /** After the last report is sent, wait at most this long for answers; the rest count as unanswered. */
  answerTimeoutMs: number;
}

export interface RunResult {
  posted: number;
  /** Accepted reports (201) with their seq and commit time. */
  commits: CommitRecord[];
  /** Answers by status code, plus "failed" (no answer: connection error) and "unanswered" (timed out). */
  statuses: Record<string, number>;
  /** How many commit times came from the header, and how many from the 201's arrival. */
  fromHeader: number;
  fromArrival: number;
  /** Post to answer, ms. */
  answerTime: HistogramData;
  /** A few examples of answers other than 201, and of failures with their cause. */
  refusals: string[];
  /** Reports per second actually sent. */
  sentPerSecond: number;
}

let reports: ResultReport[] = [];
let tokens: Record<string, string> = {};
const cursors: Record<Target, number> = { valgvakt: 0, naive: 0 };

// Built while the sidecar starts: every result report of a clean 2023 night (both stages).
const planned = Promise.all([loadReplayReference(DEFAULT_ELECTION_ID), loadPackageScenarios(DEFAULT_ELECTION_ID)]).then(([reference, scenarios]) =>
  buildReplayPlan(reference, cleanScenario(scenarios)).requests.filter((r) => r.kind === 'result' && r.expect === 201).map((r) => r.body as ResultReport));

async function init(args: { tokens: Record<string, string> }): Promise<{ reports: number }> {
  tokens = args.tokens;
  reports = await planned;
  return { reports: reports.length };
}

/** The next report for a target; after the whole night, the same reports again as corrections. */
function nextReport(target: Target): ResultReport {
  const index = cursors[target]++;
  // The modulo keeps the index within reports (which the night fills before any target asks).
  const base = reports[index % reports.length]!;
  return { ...base, version: base.version + Math.floor(index / reports.length) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

async function run(args: RunArgs): Promise<RunResult> {
  if (reports.length === 0) throw new Error('init first');
  const commits: CommitRecord[] = [];
  const statuses: Record<string, number> = {};
  const answerTime = new Histogram();
  const refusals: string[] = [];
  let fromHeader = 0;
  let fromArrival = 0;
  const inFlight: Array<Promise<void>> = [];
  // Aborts posts still unanswered when the cell ends: an overloaded server must not hold the bench.
  const deadline = new AbortController();

  async function post(report: ResultReport): Promise<void> {
    const sentAt = Date.now();
    const url = args.target === 'valgvakt' ? `${args.baseUrl}/api/v1/results` : `${args.baseUrl}/report`;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (args.target === 'valgvakt') headers.authorization = `Bearer ${tokens[report.municipality]}`;
    try {
      const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(report), signal: deadline.signal });
      const arrivedAt = Date.now();
      answerTime.add(arrivedAt - sentAt);
      const text = await response.text();
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      if (response.status !== 201) {
        if (refusals.length < 5) refusals.push(`${response.status} ${text.slice(0, 300)}`);
        return;
      }
      const committed = commitTime(response.headers.get(COMMITTED_AT_HEADER), arrivedAt);
      if (committed.from === 'header') fromHeader += 1;
      else fromArrival += 1;
      commits.push({ seq: ZAccepted.parse(JSON.parse(text)).seq, committedAt: committed.at, sentAt });
    } catch (error) {
      const outcome = deadline.signal.aborted ? 'unanswered' : 'failed';
      statuses[outcome] = (statuses[outcome] ?? 0) + 1;
      const cause = typeof error === 'object' && error !== null && 'cause' in error && typeof error.cause === 'object' && error.cause !== null ? error.cause : null;
      const causeText = cause && String(('code' in cause ? cause.code : undefined) ?? ('message' in cause ? cause.message : undefined));
      if (outcome === 'failed' && refusals.length < 5) refusals.push(`${String(error)}${causeText ? ` (${causeText})` : ''}`);
    }
  }

  // Steady schedule: report i is due at i/rate seconds, whatever the answers to earlier ones take.
  const start = Date.now();
  const total = Math.max(1, Math.floor((args.rate * args.durationMs) / 1000));
  for (let i = 0; i < total; i++) {
    await sleep(start + (i * 1000) / args.rate - Date.now());
    inFlight.push(post(nextReport(args.target)));
  }
  const sentSpan = Math.max(1, Date.now() - start);
  const timer = setTimeout(() => deadline.abort(), args.answerTimeoutMs);
  await Promise.all(inFlight);
  clearTimeout(timer);
  return {
    posted: total, commits, statuses, fromHeader, fromArrival, answerTime: answerTime.toJSON(), refusals,
    sentPerSecond: total > 1 ? ((total - 1) * 1000) / sentSpan : total,
  };
}

serveCommands({ init: (args: { tokens: Record<string, string> }) => init(args), run: (args: RunArgs) => run(args) });
