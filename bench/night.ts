// The night process: replays the 2023 election night's arrival profile — the requests of the replay plan
// (lib/replay/plan.ts, the same arrival data `npm run replay` uses, with its incidents), at their planned
// times, sped up — into a sidecar while the orchestrator holds viewers connected. Each municipality's
// requests stay in order, as its counting system would send them; a slow answer delays only that
// municipality. Tells the orchestrator each accepted report's seq, send time and commit time, so viewer
// latency is joined exactly as in the latency cells, and the acknowledgement time of every request.
import http from 'node:http';
import { loadDefaultScenario, loadReplayReference } from '../data/election-package.ts';
import { buildReplayPlan, type PlannedRequest } from '../lib/replay/plan.ts';
import { COMMITTED_AT_HEADER, ZAccepted, commitTime, headerText, type CommitRecord } from './coverage.ts';
import { Histogram, type HistogramData } from './histogram.ts';
import { serveCommands } from './ipc.ts';
import { DEFAULT_ELECTION_ID } from '../server/config.ts';

export interface NightArgs {
  baseUrl: string;
  tokens: Record<string, string>;
  clockToken: string;
  /** Simulated minutes per real minute. */
  speed: number;
  /** Simulated minutes from the plan's start. */
  minutes: number;
  /** Give up waiting for answers this long after the last request was due. */
  answerTimeoutMs: number;
}

export interface NightRun {
  requests: number;
  posted: number;
  /** Answers as planned (201, 200 or 409, as the plan expects) and the rest. */
  expected: number;
  unexpected: number;
  statuses: Record<string, number>;
  commits: CommitRecord[];
  answerTime: HistogramData;
  peakPerSecond: number;
  wallMs: number;
  planStart: string;
}

/** The requests due in the first `minutes` of the plan, with their wall-clock offsets at `speed`. */
export function nightSchedule(requests: PlannedRequest[], planStart: string, minutes: number, speed: number): Array<{ request: PlannedRequest; dueMs: number }> {
  const start = Date.parse(planStart);
  const end = start + minutes * 60_000;
  return requests
    .filter((r) => Date.parse(r.at) <= end)
    .map((request) => ({ request, dueMs: (Date.parse(request.at) - start) / speed }));
}

/** The most items falling in any one second, from their offsets in ms. */
export function peakPerSecond(offsetsMs: number[]): number {
  const perSecond = new Map<number, number>();
  for (const offset of offsetsMs) perSecond.set(Math.floor(offset / 1000), (perSecond.get(Math.floor(offset / 1000)) ?? 0) + 1);
  return Math.max(0, ...perSecond.values());
}

async function run(args: NightArgs): Promise<NightRun> {
  const plan = buildReplayPlan(await loadReplayReference(DEFAULT_ELECTION_ID), await loadDefaultScenario(DEFAULT_ELECTION_ID));
  const schedule = nightSchedule(plan.requests, plan.start, args.minutes, args.speed);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const statuses: Record<string, number> = {};
  const commits: CommitRecord[] = [];
  const answerTime = new Histogram();
  const sentOffsets: number[] = [];
  let posted = 0;
  let expected = 0;
  let unexpected = 0;
  let aborted = false;

  const post = (path: string, token: string, body: string) => new Promise<{ status: number; text: string; header: string | null }>((resolve) => {
    const request = http.request(`${args.baseUrl}${path}`, {
      method: path === '/api/v1/clock' ? 'PUT' : 'POST', agent,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
    }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text, header: headerText(response.headers[COMMITTED_AT_HEADER]) }));
      response.on('error', () => resolve({ status: 0, text: 'response error', header: null }));
    });
    request.on('error', (error) => resolve({ status: 0, text: String(error), header: null }));
    request.end(body);
  });

  // The night begins now: the sidecar's simulated clock is set to the plan's start and runs at our speed.
  const clock = await post('/api/v1/clock', args.clockToken, JSON.stringify({ at: plan.start, speed: args.speed }));
  if (clock.status !== 200) throw new Error(`PUT /api/v1/clock answered ${clock.status}: ${clock.text.slice(0, 200)}`);
  const start = Date.now();

  async function send({ request, dueMs }: { request: PlannedRequest; dueMs: number }): Promise<void> {
    const wait = start + dueMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (aborted) return;
    const sentAt = Date.now();
    sentOffsets.push(sentAt - start);
    posted += 1;
    const answer = await post(request.kind === 'result' ? '/api/v1/results' : '/api/v1/status', args.tokens[request.municipality] ?? '', JSON.stringify(request.body));
    const arrivedAt = Date.now();
    if (aborted) return;
    answerTime.add(arrivedAt - sentAt);
    const key = answer.status === 0 ? 'failed' : String(answer.status);
    statuses[key] = (statuses[key] ?? 0) + 1;
    if (answer.status === request.expect) expected += 1;
    else unexpected += 1;
    if (answer.status === 201) {
      const committed = commitTime(answer.header, arrivedAt);
      commits.push({ seq: ZAccepted.parse(JSON.parse(answer.text)).seq, committedAt: committed.at, sentAt });
    }
  }

  // One chain per municipality (its requests in order), all chains side by side.
  const chains = new Map<string, Promise<void>>();
  for (const item of schedule) {
    chains.set(item.request.municipality, (chains.get(item.request.municipality) ?? Promise.resolve()).then(() => send(item)));
  }
  const lastDue = Math.max(0, ...schedule.map((s) => s.dueMs));
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(chains.values()),
    new Promise<void>((resolve) => (timer = setTimeout(() => {
      aborted = true;
      resolve();
    }, lastDue + args.answerTimeoutMs))),
  ]);
  clearTimeout(timer);
  const wallMs = Date.now() - start;
  agent.destroy();
  const unanswered = posted - Object.values(statuses).reduce((a, b) => a + b, 0);
  if (unanswered > 0) statuses.unanswered = unanswered;
  return {
    requests: schedule.length, posted, expected, unexpected: unexpected + unanswered + (schedule.length - posted), statuses, commits,
    answerTime: answerTime.toJSON(), peakPerSecond: peakPerSecond(sentOffsets), wallMs, planStart: plan.start,
  };
}

// Started as a bench process (imported by a unit test for the pure parts above, it serves nothing).
if (process.send) serveCommands({ run: (args: NightArgs) => run(args) });
