// Plays a replay plan into a running Valgvakt through its public API, exactly as municipal counting
// systems would: HTTP, one token per municipality, each municipality's requests in order. It never
// touches the database. With a sidecar on a simulated clock (and its control token) it steers that clock,
// so the system's "now" is the night's time; against a wall-clock sidecar it keeps the plan's pace.
import http from 'node:http';
import https from 'node:https';
import { ZClockState, type ClockState } from '../lib/contracts/clock.ts';
import type { PlannedRequest, ReplayPlan } from '../lib/replay/plan.ts';

export interface ReplayProgress {
  total: number;
  sent: number;
  created: number;
  duplicates: number;
  conflicts: number;
  refused: number;
  unexpected: number;
  retries: number;
  /** The sidecar's (simulated) time as the replay sees it. */
  clock: string;
}

export interface UnexpectedAnswer {
  id: number;
  municipality: string;
  kind: PlannedRequest['kind'];
  expected: number;
  got: number;
  body: string;
}

export interface ReplayResult extends ReplayProgress {
  unexpectedAnswers: UnexpectedAnswer[];
  wallMs: number;
}

export interface ReplayOptions {
  baseUrl: string;
  plan: ReplayPlan;
  /** Municipality number → ingest token. */
  tokens: Record<string, string>;
  /** Simulated minutes per real minute, or 'max' for as fast as the system answers. */
  speed: number | 'max';
  /** Steers a simulated sidecar clock (PUT /api/v1/clock); without it the replay only follows the clock. */
  clockToken?: string;
  /** Begin at this simulated time: earlier requests are sent at once, in order. */
  startAt?: string;
  /** Leave out requests due at or before this time: an earlier run sent them (the clock starts here too). */
  after?: string;
  /**
   * Stop before requests due after this time and, when steering the clock, stand it still there: the night
   * can be looked at (or tested) at that moment, and continued later with `after`.
   */
  stopAt?: string;
  /** Jump the clock over quiet stretches longer than this many simulated minutes (needs clockToken). */
  skipIdleMinutes?: number;
  /** Requests in flight at once, across municipalities (default: `defaultConcurrency(speed)`). */
  concurrency?: number;
  onProgress?: (progress: ReplayProgress) => void;
  signal?: AbortSignal;
}

const MAX_ATTEMPTS = 6;

/**
 * At a set pace a few requests in flight keep up with the plan. As fast as possible, a clock step's
 * requests should all be on their way at once, so the sidecar's group commit writes them in a few
 * transactions (it takes up to 128 at a time) instead of one small one per handful.
 */
export function defaultConcurrency(speed: number | 'max'): number {
  return speed === 'max' ? 128 : 16;
}
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });

interface Answer {
  status: number;
  text: string;
}

type Send = (method: 'GET' | 'POST' | 'PUT', path: string, headers?: Record<string, string>, body?: string) => Promise<Answer>;

/**
 * Requests over kept-alive connections with node:http, which costs the replay a fraction of the CPU
 * fetch() does per request — at max speed the replay shares the machine with the system it measures.
 * Rejects on network errors, as fetch does.
 */
function createClient(base: string, maxSockets: number): { send: Send; close(): void } {
  const secure = new URL(base).protocol === 'https:';
  const agent = new (secure ? https : http).Agent({ keepAlive: true, maxSockets });
  const send: Send = (method, path, headers = {}, body) => new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(`${base}${path}`, {
      method, agent, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
  return { send, close: () => agent.destroy() };
}

export async function runReplay(options: ReplayOptions): Promise<ReplayResult> {
  const concurrency = options.concurrency ?? defaultConcurrency(options.speed);
  const client = createClient(options.baseUrl.replace(/\/$/, ''), concurrency + 1);
  try {
    return await play(options, concurrency, client.send);
  } finally {
    client.close();
  }
}

async function play(options: ReplayOptions, concurrency: number, call: Send): Promise<ReplayResult> {
  const { plan, signal } = options;
  const startedAt = Date.now();
  const progress: ReplayProgress = { total: plan.requests.length, sent: 0, created: 0, duplicates: 0, conflicts: 0, refused: 0, unexpected: 0, retries: 0, clock: plan.start };
  const unexpectedAnswers: UnexpectedAnswer[] = [];

  const missing = [...new Set(plan.requests.map((r) => r.municipality))].filter((m) => !options.tokens[m]);
  if (missing.length) throw new Error(`no ingest token for ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`);

  const after = options.after ? Date.parse(options.after) : Number.NEGATIVE_INFINITY;
  const stopAt = options.stopAt ? Date.parse(options.stopAt) : Number.POSITIVE_INFINITY;
  const requests = plan.requests.filter((r) => Date.parse(r.at) > after && Date.parse(r.at) <= stopAt);
  progress.total = requests.length;
  const clock = await createClockDriver(call, { ...options, startAt: options.startAt ?? options.after }, plan.start);
  progress.clock = clock.now().toISOString();

  // Each municipality's requests go one after the other; municipalities run side by side.
  const queues = new Map<string, Promise<void>>();
  let inFlight = 0;
  const slotFreed: Array<() => void> = [];
  const acquire = async () => {
    while (inFlight >= concurrency) await new Promise<void>((resolve) => slotFreed.push(resolve));
    inFlight += 1;
  };
  const release = () => {
    inFlight -= 1;
    // Wake every waiter: each re-checks for a free slot, so none is left sleeping next to one.
    slotFreed.splice(0).forEach((wake) => wake());
  };

  async function send(request: PlannedRequest): Promise<void> {
    await acquire();
    try {
      const path = request.kind === 'result' ? '/api/v1/results' : '/api/v1/status';
      let status = 0;
      let text = '';
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        try {
          ({ status, text } = await call('POST', path, { authorization: `Bearer ${options.tokens[request.municipality]}`, 'content-type': 'application/json' }, JSON.stringify(request.body)));
        } catch (error) {
          status = 0;
          text = String(error);
        }
        // Transient: the report is resent unchanged, which the API answers idempotently.
        if (status !== 0 && status < 500 && status !== 429) break;
        if (attempt < MAX_ATTEMPTS) {
          progress.retries += 1;
          await sleep(100 * 2 ** attempt, signal);
        }
      }
      progress.sent += 1;
      if (status === 201) progress.created += 1;
      else if (status === 200) progress.duplicates += 1;
      else if (status === 409) progress.conflicts += 1;
      else progress.refused += 1;
      if (status !== request.expect) {
        progress.unexpected += 1;
        if (unexpectedAnswers.length < 50) unexpectedAnswers.push({ id: request.id, municipality: request.municipality, kind: request.kind, expected: request.expect, got: status, body: text.slice(0, 500) });
      }
    } finally {
      release();
    }
  }

  const ticker = setInterval(() => {
    progress.clock = clock.now().toISOString();
    options.onProgress?.({ ...progress });
  }, 250);
  try {
    const startAt = Date.parse(options.startAt ?? options.after ?? plan.start);
    for (const request of requests) {
      if (signal?.aborted) break;
      const due = Date.parse(request.at);
      if (due > startAt) await clock.waitUntil(due, signal, () => Promise.all(queues.values()).then(() => undefined));
      const previous = queues.get(request.municipality) ?? Promise.resolve();
      // Wait for a slot before moving on, so a slow system slows the replay instead of piling up requests.
      while (inFlight >= concurrency) await new Promise<void>((resolve) => slotFreed.push(resolve));
      queues.set(request.municipality, previous.then(() => send(request)));
    }
    await Promise.all(queues.values());
    if (options.stopAt && !signal?.aborted) await clock.standStill(stopAt);
  } finally {
    clearInterval(ticker);
  }
  progress.clock = clock.now().toISOString();
  options.onProgress?.({ ...progress });
  return { ...progress, unexpectedAnswers, wallMs: Date.now() - startedAt };
}

interface ClockDriver {
  now(): Date;
  /**
   * Resolves when the (simulated) clock reaches `at`, moving it there if the replay steers it. A paused
   * clock is only moved once `settle` resolves: time must not run ahead of reports still on their way, or
   * the system would see silences that never happened.
   */
  waitUntil(at: number, signal?: AbortSignal, settle?: () => Promise<void>): Promise<void>;
  /** Moves a steered clock to `at` and pauses it there; a clock we only follow is left alone. */
  standStill(at: number): Promise<void>;
}

async function readClock(send: Send): Promise<ClockState> {
  const response = await send('GET', '/api/v1/clock');
  if (response.status !== 200) throw new Error(`GET /api/v1/clock answered ${response.status}`);
  return ZClockState.parse(JSON.parse(response.text));
}

async function createClockDriver(send: Send, options: ReplayOptions, planStart: string): Promise<ClockDriver> {
  const remote = await readClock(send);
  const steer = remote.mode === 'simulated' && options.clockToken !== undefined;
  const startSim = Date.parse(options.startAt ?? planStart);
  // Following someone else's simulated clock means following its pace too.
  let pace = remote.mode === 'simulated' && !steer ? remote.speed : options.speed === 'max' ? 0 : options.speed;
  let anchorSim = startSim;
  let anchorWall = Date.now();
  let readAt = Date.now();

  function anchor(state: ClockState): void {
    anchorSim = Date.parse(state.now);
    anchorWall = Date.now();
    readAt = anchorWall;
  }

  async function setRemote(change: { at?: number; speed?: number }): Promise<void> {
    const response = await send('PUT', '/api/v1/clock', { authorization: `Bearer ${options.clockToken}`, 'content-type': 'application/json' },
      JSON.stringify({ ...(change.at !== undefined ? { at: new Date(change.at).toISOString() } : {}), ...(change.speed !== undefined ? { speed: change.speed } : {}) }));
    if (response.status !== 200) throw new Error(`PUT /api/v1/clock answered ${response.status}: ${response.text}`);
    anchor(ZClockState.parse(JSON.parse(response.text)));
  }

  if (steer) {
    // Never backwards: a sidecar already past the plan's start keeps its time (and only takes our pace; its
    // clock may have moved on since we read it).
    await setRemote(startSim > Date.parse(remote.now) ? { at: startSim, speed: pace } : { speed: pace });
  } else if (remote.mode === 'simulated') {
    anchor(remote);
  }
  const now = () => new Date(anchorSim + (Date.now() - anchorWall) * pace);

  /**
   * At a set pace the sidecar's simulated clock is read again at least every 30 simulated seconds (and every
   * second): whoever holds the control token — a presenter stopping the demo at 23:30 — may pause it, move it
   * or change its pace, and the replay keeps to it. Without this it ran on by its own reckoning, and every
   * report more than 2 minutes ahead of a paused clock was refused (the demo lost the rest of its night).
   */
  async function follow(): Promise<void> {
    if (remote.mode !== 'simulated') return;
    if (Date.now() - readAt < Math.min(1000, pace > 0 ? 30_000 / pace : 1000)) return;
    const state = await readClock(send);
    anchor(state);
    pace = state.speed;
  }

  return {
    now,
    async standStill(at) {
      // At max speed the clock is stepped a minute ahead of each request, so it may already be past `at`.
      if (steer) await setRemote(at > now().getTime() ? { at, speed: 0 } : { speed: 0 });
      else anchorSim = Math.max(anchorSim, at);
    },
    async waitUntil(at, signal, settle) {
      if (options.speed === 'max') {
        // Paused clock: step it forward a minute at a time, so a burst shares one clock change.
        if (steer && at > now().getTime()) {
          await settle?.();
          await setRemote({ at: at + 60_000 });
        }
        else if (!steer) anchorSim = Math.max(anchorSim, at);
        return;
      }
      for (;;) {
        await follow();
        let gap = at - now().getTime();
        if (gap <= 0 || signal?.aborted || (remote.mode !== 'simulated' && pace <= 0)) return;
        // A quiet stretch is skipped only while the clock runs: a paused one stays where it was paused.
        if (steer && pace > 0 && options.skipIdleMinutes !== undefined && gap > options.skipIdleMinutes * 60_000) {
          await setRemote({ at: at - 30_000 });
          gap = at - now().getTime();
        }
        const followEvery = remote.mode === 'simulated' ? Math.min(1000, pace > 0 ? 30_000 / pace : 1000) : Number.POSITIVE_INFINITY;
        await sleep(pace > 0 ? Math.min(gap / pace, followEvery) : followEvery, signal);
      }
    },
  };
}
