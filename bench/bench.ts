// npm run bench: the benchmark suite (issues 7 and 18). Starts the sidecar, a naive Socket.IO broadcast
// server, a reporter and several load processes — each its own process, all on loopback — and measures, in
// one bounded run: latency to the viewer on two clocks against the naive floor and the capacity curve of
// both, ingest acknowledgement with and without viewers, push against 10-s polling, memory per viewer,
// the 2023 night's arrivals with viewers connected, a reconnect storm, page loads, ingest throughput of a
// whole night on PGlite and PostgreSQL, the snapshot endpoint, and the CPU of every process. Writes every
// figure to docs/benchmarks.json and renders docs/benchmarks.md from it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { atOrThrow } from '../lib/get-or-throw.ts';
import { pollStaleness, pushLatency } from './coverage.ts';
import { Histogram } from './histogram.ts';
import type { IngestArgs, IngestRun } from './ingest-client.ts';
import { spawnBenchProcess, repoRoot, type BenchProcess } from './ipc.ts';
import type { ConnectArgs, PollArgs, PollCollection, PushCollection, StormCollection, Target } from './load-worker.ts';
import type { NightArgs, NightRun } from './night.ts';
import { BENCH_USAGE, parseBenchArgs, splitEvenly, type BenchOptions } from './options.ts';
import { ensureNginx, measurePageLoads } from './page-loads.ts';
import { startCpuWindow, type ProcessGroup } from './processes.ts';
import { cpuPercent, loopPercent, type ProbeSample } from './probe.ts';
import { buildDocument } from './report.ts';
import { writeBenchDocument } from './render.ts';
import type { RunArgs, RunResult } from './reporter.ts';
import { hasMeasurements, summarize, type BenchResults, type PushCell, type ServerKind, type SnapshotBytes, type StormResult } from './results.ts';
import { assertPortFree, postgresBackendPids, postgresVersion, startSidecar, waitForHttp, type SidecarUnderTest } from './stack.ts';
import { addUpProgress, allConverged, chooseStormTarget, readSidecarProcesses } from './storm.ts';
import { loadShippedElection } from '../data/election-package.ts';
import { DEFAULT_ELECTION_ID, ZSidecarEnv } from '../server/config.ts';
import { errorMessage } from '../lib/error-message.ts';

/** Paused just after the served election's night (the day after, 19 h after the polls close): every report's count time is in the past, and no timer moves it. */
const AFTER_THE_NIGHT = new Date(Date.parse((await loadShippedElection(DEFAULT_ELECTION_ID)).package.pollsCloseAt) + 19 * 60 * 60_000).toISOString();

let options: BenchOptions;
try {
  options = parseBenchArgs(process.argv.slice(2));
} catch (error) {
  const message = errorMessage(error);
  console.error(message === BENCH_USAGE ? BENCH_USAGE : `${message}\n\n${BENCH_USAGE}`);
  process.exit(2);
}

const startedAt = Date.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
function log(message: string): void {
  const s = Math.round((Date.now() - startedAt) / 1000);
  console.log(`[${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}] ${message}`);
}

function git(...args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

const cpus = os.cpus();
const results: BenchResults = {
  meta: {
    date: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    machine: { cpuModel: cpus[0]?.model.trim() ?? 'unknown', cores: cpus.length, memoryBytes: os.totalmem(), os: `${os.type()} ${os.release()}`, node: process.version },
    commit: git('rev-parse', '--short', 'HEAD') || 'unknown',
    commitFull: git('rev-parse', 'HEAD'),
    // The report being rewritten does not make the code under test dirty.
    dirty: git('status', '--porcelain', '--', '.', ...['.md', '.json'].map((ext) => `:!${path.relative(repoRoot, path.resolve(path.dirname(options.out), path.basename(options.out, path.extname(options.out)) + ext))}`)).length > 0,
    postgresVersion: await postgresVersion(), naivePadding: true,
    database: options.db, workers: options.workers, windowS: options.windowS, sizes: options.sizes, rates: options.rates,
    // os.loadavg() always gives the 1, 5 and 15 minute averages.
    smoke: options.smoke, durationS: 0, loadAverage: { start: os.loadavg()[0]!, end: 0 }, committedAtHeader: null, metricsEndpoint: null,
  },
  push: [], memory: [], polling: [], ingest: [], snapshot: [], ackBaseline: [], night: [], storm: [], pages: null, notes: [],
};

// Everything started belongs to a group (a section's processes), stopped in reverse order when the
// section ends; Ctrl-C stops them all.
interface Stoppable {
  stop(): Promise<void>;
}
const everything = new Set<Stoppable>();
function started<T extends Stoppable>(thing: T, group: Stoppable[]): T {
  everything.add(thing);
  group.push(thing);
  return thing;
}
async function stopOne(thing: Stoppable, group: Stoppable[]): Promise<void> {
  if (group.includes(thing)) group.splice(group.indexOf(thing), 1);
  everything.delete(thing);
  const t = Date.now();
  await thing.stop().catch((error: unknown) => console.error(`stopping: ${String(error)}`));
  if (process.env.BENCH_DEBUG) log(`stopped ${'name' in thing ? String(thing.name) : 'a sidecar'} in ${Date.now() - t} ms`);
}
async function stopGroup(group: Stoppable[]): Promise<void> {
  for (let last = group.at(-1); last; last = group.at(-1)) await stopOne(last, group);
}
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  log('interrupted; stopping everything');
  void stopGroup([...everything]).then(() => process.exit(130));
});

interface ServerUnderTest {
  kind: ServerKind;
  baseUrl: string;
  probe(collect: boolean): Promise<ProbeSample>;
  viewers(): Promise<number>;
  /** The server's processes and the database backends serving it, for their CPU. */
  processes: ProcessGroup[];
}

/** The process groups of a sidecar: itself (and any role processes it starts), its PostgreSQL backends. */
function sidecarGroups(sidecar: SidecarUnderTest): ProcessGroup[] {
  const database = sidecar.postgresDatabase;
  return [
    { name: 'sidecar', pids: () => [sidecar.process.pid] },
    ...(database ? [{ name: 'postgres', pids: () => postgresBackendPids(database).catch(() => []), children: false }] : []),
  ];
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(250);
  }
  return false;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

const viewerGroup: Stoppable[] = [];
const ingestGroup: Stoppable[] = [];

const profileArgs = options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [];

/** The sidecars' live processes' niceness (SIDECAR_LIVE_NICENESS, as they read it from this environment). */
function liveNiceness(): number {
  return ZSidecarEnv.shape.SIDECAR_LIVE_NICENESS.parse(process.env.SIDECAR_LIVE_NICENESS);
}

async function viewerSections(): Promise<void> {
  const want = (section: BenchOptions['only'][number]) => options.only.includes(section);
  // The helpers start while the sidecar does (it creates, migrates and seeds its database).
  let naiveProcess: BenchProcess | undefined;
  if (want('latency')) await assertPortFree(options.portBase + 1);
  // The naive server (all fan-out) and the viewers run at the niceness of the sidecar's live processes:
  // the fan-outs compete with the viewers alike, and the reporter stays at the intake's.
  const niceness = liveNiceness();
  if (want('latency')) naiveProcess = started(spawnBenchProcess('naive', 'bench/naive-server.ts', { nodeArgs: ['--expose-gc', ...profileArgs], env: { NAIVE_PORT: String(options.portBase + 1) }, niceness }), viewerGroup);
  const reporter = started(spawnBenchProcess('reporter', 'bench/reporter.ts'), viewerGroup);
  const workers = Array.from({ length: options.workers }, (_, i) => started(spawnBenchProcess(`load-${i + 1}`, 'bench/load-worker.ts', { niceness }), viewerGroup));
  log(`starting the sidecar (${options.db}) on :${options.portBase}, the naive server, the reporter and ${workers.length} load processes`);
  const sidecar = started(await startSidecar({
    port: options.portBase, database: options.db, clockStart: AFTER_THE_NIGHT, clockSpeed: 0, cpuProfileDir: options.cpuProfileDir, label: 'sidecar',
  }), viewerGroup);
  await Promise.all([naiveProcess?.ready(), reporter.ready(), ...workers.map((w) => w.ready())]);
  log(`sidecar is up (pid ${sidecar.process.pid})${naiveProcess ? `; naive server pid ${naiveProcess.pid}` : ''}`);
  results.meta.sidecarProcesses = (await readSidecarProcesses(sidecar.dataDir))?.length ?? null;
  // Bodies are always read: a response left half-read keeps its connection busy and the server's shutdown waiting.
  results.meta.metricsEndpoint = await fetch(`${sidecar.baseUrl}/metrics`).then(async (r) => (await r.text(), r.ok), () => false);
  const valgvakt: ServerUnderTest = { kind: 'valgvakt', baseUrl: sidecar.baseUrl, probe: (collect) => sidecar.probe(collect), viewers: () => sidecar.viewers(), processes: sidecarGroups(sidecar) };
  const loadGroups: ProcessGroup[] = [
    { name: 'load', pids: () => workers.map((w) => w.pid) },
    { name: 'reporter', pids: () => [reporter.pid] },
  ];

  let naive: ServerUnderTest | undefined;
  if (naiveProcess) {
    const probe = (collect: boolean) => naiveProcess.call<ProbeSample & { viewers: number }>('probe', { collect });
    naive = { kind: 'naive', baseUrl: `http://127.0.0.1:${options.portBase + 1}`, probe, viewers: async () => (await probe(false)).viewers, processes: [{ name: 'naive', pids: () => [naiveProcess.pid] }] };
  }

  const { reports } = await reporter.call<{ reports: number }>('init', { tokens: sidecar.tokens });
  log(`reporter holds ${reports} real result reports`);

  const answerTimeoutMs = options.answerTimeoutS * 1000;
  const report = (target: Target, baseUrl: string, rate: number, durationMs: number) =>
    reporter.call<RunResult>('run', { baseUrl, target, rate, durationMs, answerTimeoutMs } satisfies RunArgs, durationMs + answerTimeoutMs + 60_000);

  /** "Wait until idle": the server's event loop under 20 % busy for a second (at most a minute). */
  async function waitIdle(server: ServerUnderTest, what: string): Promise<void> {
    // The profiler's sampling shows as a busy loop: with --cpu-prof, a fixed pause instead.
    if (options.cpuProfileDir) return sleep(5000).then(() => undefined);
    const deadline = Date.now() + 60_000;
    let previous = await server.probe(false);
    while (Date.now() < deadline) {
      await sleep(1000);
      const current = await server.probe(false);
      if (loopPercent(previous, current) < 20) return;
      previous = current;
    }
    results.notes.push(`${what}: the ${server.kind} server was still busy a minute later; measured anyway`);
  }

  const warmed = new Set<ServerKind>();
  async function warmUp(server: ServerUnderTest): Promise<void> {
    if (warmed.has(server.kind)) return;
    warmed.add(server.kind);
    if (options.warmUpS > 0) {
      // --rates is never empty (parseBenchArgs' list() refuses that, and the defaults have one at least).
      await report(server.kind, server.baseUrl, options.rates[0]!, options.warmUpS * 1000);
      await sleep(options.graceS * 1000);
    }
  }

  /** Ingest acknowledgement with no viewer connected: the figure the cells' acknowledgements are held to. */
  async function ackBaseline(server: ServerUnderTest): Promise<void> {
    await warmUp(server);
    for (const rate of options.rates) {
      await waitIdle(server, `before the no-viewer acknowledgement at ${rate}/s`);
      const run = await report(server.kind, server.baseUrl, rate, options.windowS * 1000);
      noteAnswers(`${server.kind} with no viewers × ${rate}/s`, run);
      const answerTime = Histogram.fromJSON(run.answerTime);
      results.ackBaseline.push({ server: server.kind, rate, posted: run.posted, accepted: run.commits.length, answerP50: answerTime.percentile(50), answerP99: answerTime.percentile(99) });
      log(`${server.kind} with no viewers × ${rate}/s: ack p50 ${answerTime.percentile(50)?.toFixed(1)} ms, p99 ${answerTime.percentile(99)?.toFixed(1)} ms`);
      await sleep(options.graceS * 1000);
    }
  }

  /** Connects `size` viewers to a server over the load processes; returns how many connected and the ramp time. */
  async function connectViewers(server: ServerUnderTest, size: number): Promise<{ connected: number; rampSeconds: number }> {
    const rampStart = Date.now();
    const shares = splitEvenly(size, workers.length);
    // A loaded machine accepts connections well below the ramp rate: allow three times as long.
    const timeoutMs = (size / options.rampPerSecond) * 3000 + 60_000;
    log(`${server.kind}: connecting ${size} viewers at ${options.rampPerSecond}/s`);
    const answers = await Promise.all(workers.map((w, i) => w.call<{ connected: number; failed: number }>('connect', {
      baseUrl: server.baseUrl, target: server.kind, count: atOrThrow(shares, i, 'viewers of load process'), perSecond: options.rampPerSecond / workers.length, timeoutMs,
    } satisfies ConnectArgs, timeoutMs + 30_000)));
    const connected = sum(answers.map((a) => a.connected));
    if (connected < size) results.notes.push(`${server.kind} at ${size} viewers: only ${connected} connected within ${Math.round(timeoutMs / 1000)} s`);
    await waitUntil(async () => (await server.viewers()) >= connected, 60_000);
    return { connected, rampSeconds: (Date.now() - rampStart) / 1000 };
  }

  async function disconnectViewers(server: ServerUnderTest): Promise<void> {
    await Promise.all(workers.map((w) => w.call('disconnect')));
    if (!(await waitUntil(async () => (await server.viewers().catch(() => 0)) === 0, 60_000))) results.notes.push(`${server.kind}: viewers still connected 60 s after disconnecting`);
  }

  /**
   * Bytes a viewer of ours received per report, per (size, rate): what the naive server pads its one
   * message per report to. Per report, not per message: ours coalesces several reports into one message.
   */
  const ourBytesPerReport = new Map<string, number>();

  async function pushCells(server: ServerUnderTest, size: number): Promise<void> {
    await waitIdle(server, `before connecting ${size} viewers`);
    const before = await server.probe(true);
    const { connected, rampSeconds } = await connectViewers(server, size);
    await sleep(options.settleS * 1000);
    await waitIdle(server, `${size} viewers connected`);
    const after = await server.probe(true);
    results.memory.push({
      server: server.kind, viewers: connected, heapBefore: before.heapUsed, heapAfter: after.heapUsed, rssBefore: before.rss, rssAfter: after.rss,
      collected: before.collected && after.collected, rampSeconds,
    });
    log(`${server.kind}: ${connected} viewers connected in ${rampSeconds.toFixed(1)} s; heap ${((after.heapUsed - before.heapUsed) / Math.max(1, connected) / 1024).toFixed(1)} KB per viewer`);

    await warmUp(server);
    for (const rate of options.rates) {
      const cell = await pushCell(server, size, rate);
      results.push.push(cell);
      log(`${server.kind} ${size} viewers × ${rate}/s: p99 commit → viewer ${cell.latency.p99?.toFixed(1)} ms, send → viewer ${cell.sendLatency.p99?.toFixed(1)} ms, delivered ${cell.delivered}/${cell.expected}, ack p99 ${cell.answerP99?.toFixed(1)} ms, CPU ${cell.cpuPercent.toFixed(0)} %`);
    }
    await disconnectViewers(server);
  }

  async function pushCell(server: ServerUnderTest, size: number, rate: number): Promise<PushCell> {
    await waitIdle(server, `before ${size} viewers × ${rate}/s`);
    await Promise.all(workers.map((w) => w.call('reset')));
    if (server.kind === 'naive' && naiveProcess) {
      // Same bytes per report as ours (Engine.IO frames of both carry an event name of similar length).
      await naiveProcess.call('pad', { bytes: ourBytesPerReport.get(`${size}:${rate}`) ?? 0 });
    }
    const cpu = await startCpuWindow([...server.processes, ...loadGroups]);
    const before = await server.probe(false);
    const run = await report(server.kind, server.baseUrl, rate, options.windowS * 1000);
    const after = await server.probe(false);
    const processes = await cpu.stop();
    await sleep(options.graceS * 1000);
    const collections = await Promise.all(workers.map((w) => w.call<PushCollection>('collect')));
    const viewers = sum(collections.map((c) => c.viewers));
    // Both servers' messages are joined with the reports by seq: a report refused or unanswered, or a
    // viewer that never got it, leaves its pairs undelivered.
    const joined = pushLatency(run.commits, collections.flatMap((c) => c.groups));
    if (server.kind === 'valgvakt') {
      if (run.fromHeader > 0) results.meta.committedAtHeader = true;
      else results.meta.committedAtHeader ??= false;
    }
    noteAnswers(`${server.kind} at ${size} viewers × ${rate}/s`, run);
    const samplers = collections.filter((c) => c.sampleMessages > 0);
    if (server.kind === 'valgvakt' && samplers.length && run.commits.length) {
      ourBytesPerReport.set(`${size}:${rate}`, sum(samplers.map((c) => c.sampleBytes)) / samplers.length / run.commits.length);
    }
    const answerTime = Histogram.fromJSON(run.answerTime);
    return {
      server: server.kind, viewers: size, rate, sentPerSecond: run.sentPerSecond, reports: run.commits.length, posted: run.posted,
      latency: summarize(joined.latency), sendLatency: summarize(joined.sendLatency), delivered: joined.delivered, expected: run.posted * viewers, processes,
      messagesPerViewer: viewers ? sum(collections.map((c) => c.messages)) / viewers : 0,
      bytesPerViewer: samplers.length ? sum(samplers.map((c) => c.sampleBytes)) / samplers.length : 0,
      cpuPercent: cpuPercent(before, after), loopPercent: loopPercent(before, after),
      gaps: sum(collections.map((c) => c.gaps)), disconnects: sum(collections.map((c) => c.disconnects)),
      commitTime: server.kind === 'naive' ? 'message' : run.fromArrival === 0 ? 'header' : run.fromHeader === 0 ? 'arrival' : 'mixed',
      answerP50: answerTime.percentile(50), answerP99: answerTime.percentile(99),
    };
  }

  function noteAnswers(cell: string, run: RunResult): void {
    const other = Object.entries(run.statuses).filter(([status]) => status !== '201');
    if (other.length === 0) return;
    results.notes.push(`${cell}: of ${run.posted} reports, ${other.map(([status, n]) => `${n} ${/^\d+$/.test(status) ? `got ${status}` : status}`).join(', ')}${run.refusals[0] ? ` (e.g. ${run.refusals[0].slice(0, 160)})` : ''}`);
  }

  async function pollCell(size: number, rate: number): Promise<void> {
    const intervalMs = options.pollIntervalS * 1000;
    const windowMs = options.windowS * 1000;
    // Phases are spread from the start, so the request rate is steady at once: a second to get going,
    // the reports, then one interval more so every poller has polled after the last report.
    const warmUpMs = 1000;
    const durationMs = warmUpMs + windowMs + intervalMs + options.graceS * 1000;
    await waitIdle(valgvakt, `before polling at ${size}`);
    log(`polling: ${size} viewers every ${options.pollIntervalS} s for ${Math.round(durationMs / 1000)} s, ${rate} reports/s`);
    const polling = workers.map((w, i) => w.call<PollCollection>('poll', {
      baseUrl: sidecar.baseUrl, first: i, stride: workers.length, total: size, intervalMs, durationMs,
    } satisfies PollArgs, durationMs + 60_000));
    await sleep(warmUpMs);
    const before = await sidecar.probe(false);
    const run = await report('valgvakt', sidecar.baseUrl, rate, windowMs);
    const after = await sidecar.probe(false);
    noteAnswers(`polling at ${size} viewers × ${rate}/s`, run);
    const collections = await Promise.all(polling);
    const staleness = pollStaleness(run.commits, collections.flatMap((c) => c.polls));
    const cell = {
      viewers: size, rate, intervalS: options.pollIntervalS, reports: run.commits.length,
      staleness: summarize(staleness.staleness), seen: staleness.seen, expected: staleness.seen + staleness.unseen,
      requestsPerSecond: sum(collections.map((c) => c.requests)) / (durationMs / 1000),
      bytesPerSecond: sum(collections.map((c) => c.bytes)) / (durationMs / 1000),
      errors: sum(collections.map((c) => c.errors)), skipped: sum(collections.map((c) => c.skipped)),
      cpuPercent: cpuPercent(before, after), loopPercent: loopPercent(before, after),
    };
    if (cell.errors || cell.skipped) results.notes.push(`polling at ${size} viewers: ${cell.errors} failed requests, ${cell.skipped} polls skipped (previous one still in flight)`);
    results.polling.push(cell);
    log(`polling ${size}: staleness p50 ${cell.staleness.p50?.toFixed(0)} ms, p99 ${cell.staleness.p99?.toFixed(0)} ms, CPU ${cell.cpuPercent.toFixed(0)} %, ${cell.requestsPerSecond.toFixed(0)} req/s`);
  }

  if (want('latency')) await ackBaseline(valgvakt);
  for (const size of options.sizes) {
    if (want('latency')) {
      await pushCells(valgvakt, size);
      // The naive server is started whenever latency is wanted (see naiveProcess above).
      await pushCells(naive!, size);
    }
    // A smoke run polls at one size only: the second size is there for the capacity curve.
    if (want('polling') && (!options.smoke || size === options.sizes[0])) await pollCell(size, options.rates[0]!);
  }

  if (want('snapshot')) {
    const url = `${sidecar.baseUrl}/api/v1/snapshot`;
    const first = await fetch(url);
    await first.arrayBuffer();
    const etag = first.headers.get('etag') ?? '';
    results.snapshotBytes = await snapshotBytes(url);
    for (const variant of ['plain', 'conditional'] as const) {
      log(`autocannon: snapshot, ${variant}, ${options.snapshotConnections} connections, ${options.snapshotSeconds} s`);
      const before = await sidecar.probe(false);
      const result = await autocannon({ url, connections: options.snapshotConnections, duration: options.snapshotSeconds, headers: variant === 'conditional' ? { 'if-none-match': etag } : {} });
      const after = await sidecar.probe(false);
      results.snapshot.push({
        variant, connections: options.snapshotConnections, seconds: options.snapshotSeconds,
        requestsPerSecond: result.requests.average, latencyP50: result.latency.p50, latencyP99: result.latency.p99,
        status2xx: result['2xx'], status3xx: result['3xx'], otherStatus: result['1xx'] + result['4xx'] + result['5xx'] + result.errors + result.timeouts,
        bytesPerSecond: result.throughput.average, cpuPercent: cpuPercent(before, after),
      });
    }
  }

  if (want('pages')) await pagesSection();
  if (want('night')) await nightSection(workers, loadGroups, connectViewers, disconnectViewers);
  // Last: it kills the sidecar.
  if (want('storm')) await stormSection(sidecar, valgvakt, workers, loadGroups, connectViewers, disconnectViewers, report);
  await stopGroup(viewerGroup);
}

/** The storm's reports: from this long before the kill, for this long in all. */
const STORM_REPORTS_BEFORE_KILL_MS = 3000;
const STORM_REPORTS_MS = 15_000;

type Connect = (server: ServerUnderTest, size: number) => Promise<{ connected: number; rampSeconds: number }>;
type Disconnect = (server: ServerUnderTest) => Promise<void>;

/** Bytes on the wire of one snapshot, asked for plain, gzip and brotli (node:http: fetch would decompress). */
async function snapshotBytes(url: string): Promise<SnapshotBytes> {
  const size = (encoding: string | null) => new Promise<{ bytes: number; encoding: string | undefined }>((resolve, reject) => {
    http.get(url, { headers: encoding ? { 'accept-encoding': encoding } : {} }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => resolve({ bytes, encoding: response.headers['content-encoding'] }));
      response.on('error', reject);
    }).on('error', reject);
  });
  const [plain, gzip, brotli] = [await size(null), await size('gzip'), await size('br')];
  return { bytes: plain.bytes, gzipBytes: gzip.encoding === 'gzip' ? gzip.bytes : null, brotliBytes: brotli.encoding === 'br' ? brotli.bytes : null };
}

async function pagesSection(): Promise<void> {
  // The web process is the production build; the test suite's smoke run comes before `npm run build`.
  if (!existsSync(path.join(repoRoot, '.next', 'BUILD_ID'))) {
    results.notes.push('pages: not measured — no production build to start a web process from (`npm run build` first)');
    return;
  }
  // The shared-cache rows need Debian's nginx, installed as `npm run bench:pages` does; without it, a note.
  const nginx = !options.smoke && ensureNginx();
  if (!options.smoke && !nginx) results.notes.push('pages: nginx is not available (scripts/ensure-nginx.sh): no shared-cache rows');
  try {
    results.pages = await measurePageLoads({
      portBase: options.portBase + 30, seconds: options.pageSeconds, connections: 50,
      until: options.smoke ? '21:30' : '00:30', nginx, log,
    });
  } catch (error) {
    // A web process that does not come up costs this section, not the sections after it.
    results.notes.push(`pages: ${errorMessage(error).split('\n')[0]}`);
  }
}

// A fresh sidecar for the night (its clock at the night's start, no reports yet). A smoke run starts it
// with everything else, like the ingest sidecars; a full run when its turn comes.
let nightSidecarStarting: Promise<SidecarUnderTest> | undefined;
function nightSidecar(): Promise<SidecarUnderTest> {
  if (!nightSidecarStarting) {
    const port = options.portBase + 4;
    log(`night: starting a fresh sidecar on ${options.db} (:${port})`);
    nightSidecarStarting = startSidecar({ port, database: options.db, clockSpeed: 0, cpuProfileDir: options.cpuProfileDir, label: 'night' })
      .then((s) => started(s, viewerGroup));
    nightSidecarStarting.catch(() => {}); // awaited (and reported) in its turn
  }
  return nightSidecarStarting;
}
if (options.smoke && options.only.includes('night')) void nightSidecar();

async function nightSection(workers: BenchProcess[], loadGroups: ProcessGroup[], connect: Connect, disconnect: Disconnect): Promise<void> {
  const sidecar = await nightSidecar();
  const night = started(spawnBenchProcess('night', 'bench/night.ts'), viewerGroup);
  await night.ready();
  const server: ServerUnderTest = { kind: 'valgvakt', baseUrl: sidecar.baseUrl, probe: (c) => sidecar.probe(c), viewers: () => sidecar.viewers(), processes: sidecarGroups(sidecar) };
  const { connected } = await connect(server, options.nightViewers);
  await sleep(options.settleS * 1000);
  await Promise.all(workers.map((w) => w.call('reset')));
  log(`night: ${options.nightMinutes} simulated minutes at ${options.nightSpeed}× with ${connected} viewers`);
  const cpu = await startCpuWindow([...server.processes, ...loadGroups.filter((g) => g.name === 'load'), { name: 'night replay', pids: () => [night.pid] }]);
  const answerTimeoutMs = options.answerTimeoutS * 1000;
  const expectedMs = (options.nightMinutes * 60_000) / options.nightSpeed;
  const run = await night.call<NightRun>('run', {
    baseUrl: sidecar.baseUrl, tokens: sidecar.tokens, clockToken: sidecar.clockToken, speed: options.nightSpeed, minutes: options.nightMinutes, answerTimeoutMs,
  } satisfies NightArgs, expectedMs + answerTimeoutMs + 120_000);
  const processes = await cpu.stop();
  await sleep(options.graceS * 1000);
  const collections = await Promise.all(workers.map((w) => w.call<PushCollection>('collect')));
  const viewers = sum(collections.map((c) => c.viewers));
  const joined = pushLatency(run.commits, collections.flatMap((c) => c.groups));
  const answerTime = Histogram.fromJSON(run.answerTime);
  results.night.push({
    viewers: options.nightViewers, connected, speed: options.nightSpeed, minutes: options.nightMinutes, requests: run.requests, posted: run.posted,
    accepted: run.commits.length, statuses: run.statuses, peakPerSecond: run.peakPerSecond, seconds: run.wallMs / 1000,
    answerP50: answerTime.percentile(50), answerP99: answerTime.percentile(99),
    latency: summarize(joined.latency), sendLatency: summarize(joined.sendLatency), delivered: joined.delivered, expected: run.commits.length * viewers, processes,
  });
  if (run.unexpected > 0) results.notes.push(`night: ${run.unexpected} of ${run.requests} requests not answered as the plan expects (${Object.entries(run.statuses).map(([k, v]) => `${v} × ${k}`).join(', ')})`);
  log(`night: ${run.posted} requests in ${(run.wallMs / 1000).toFixed(1)} s (peak ${run.peakPerSecond}/s), ack p99 ${answerTime.percentile(99)?.toFixed(1)} ms, p99 commit → viewer ${joined.latency.percentile(99)?.toFixed(1)} ms, delivered ${joined.delivered}/${run.commits.length * viewers}`);
  await disconnect(server);
  await stopOne(night, viewerGroup);
  await stopOne(sidecar, viewerGroup);
}

type Report = (target: Target, baseUrl: string, rate: number, durationMs: number) => Promise<RunResult>;

async function stormSection(sidecar: SidecarUnderTest, server: ServerUnderTest, workers: BenchProcess[], loadGroups: ProcessGroup[], connect: Connect, disconnect: Disconnect, report: Report): Promise<void> {
  const { connected } = await connect(server, options.stormViewers);
  await sleep(options.settleS * 1000);
  // Reports keep coming, as on the night: every viewer holds a seq from its deltas before the kill, intake
  // commits while the live process is down, and the new one starts ahead of what its viewers hold.
  const reporting = report('valgvakt', server.baseUrl, options.stormRate, STORM_REPORTS_MS);
  await sleep(STORM_REPORTS_BEFORE_KILL_MS);
  const armed = sum((await Promise.all(workers.map((w) => w.call<{ viewers: number }>('storm-arm')))).map((a) => a.viewers));
  const target = chooseStormTarget(await readSidecarProcesses(sidecar.dataDir), sidecar.process.pid);
  log(`storm: ${options.stormSignal} to the ${target.target === 'whole-sidecar' ? 'whole sidecar' : 'live processes'} (pid ${target.pids.join(', ')}) with ${armed} viewers connected`);
  const cpu = await startCpuWindow([...server.processes, ...loadGroups.filter((g) => g.name === 'load')]);
  const killedAt = Date.now();
  for (const pid of target.pids) {
    try {
      process.kill(pid, options.stormSignal);
    } catch (error) {
      results.notes.push(`storm: could not signal ${pid}: ${errorMessage(error)}`);
    }
  }
  let downS: number | null = null;
  const back = (async () => {
    if (target.target === 'whole-sidecar') await sidecar.restart();
    else await waitForHttp(`${sidecar.baseUrl}/healthz`, options.stormTimeoutS * 1000);
    downS = (Date.now() - killedAt) / 1000;
  })();
  back.catch((error: unknown) => results.notes.push(`storm: the sidecar did not come back: ${errorMessage(error)}`));
  const deadline = killedAt + options.stormTimeoutS * 1000;
  let collections: StormCollection[] = [];
  let done = false;
  while (Date.now() < deadline) {
    await sleep(250);
    collections = await Promise.all(workers.map((w) => w.call<StormCollection>('storm-collect', { killedAt })));
    if (allConverged(addUpProgress(collections))) {
      done = true;
      break;
    }
  }
  await back.catch(() => {});
  const processes = await cpu.stop();
  const reported = await reporting;
  const stormAnswers = Histogram.fromJSON(reported.answerTime);
  const convergence = new Histogram();
  for (const c of collections) convergence.merge(c.convergence);
  const total = addUpProgress(collections);
  const converged = total.recovered + total.caughtUp + total.snapshots;
  const result: StormResult = {
    viewers: options.stormViewers, connected, signal: options.stormSignal, target: target.target, killed: target.pids, downS,
    convergedS: done && convergence.max !== -Infinity ? convergence.max / 1000 : null, timeoutS: options.stormTimeoutS,
    converged, recovered: total.recovered, caughtUp: total.caughtUp, snapshots: total.snapshots,
    reports: { rate: options.stormRate, posted: reported.posted, acknowledged: reported.commits.length, answerP50: stormAnswers.percentile(50), answerP99: stormAnswers.percentile(99) },
    neverReconnected: sum(collections.map((c) => c.serverDisconnected)),
    convergence: summarize(convergence), processes,
  };
  const untouched = total.untouched;
  if (untouched) results.notes.push(`storm: ${untouched} viewers never lost their connection (the signal did not reach what served them)`);
  if (result.neverReconnected) results.notes.push(`storm: ${result.neverReconnected} viewers were disconnected by the server ('io server disconnect') and, as the pages' Socket.IO client does, never reconnected`);
  results.storm.push(result);
  log(`storm: ${converged} of ${armed} back in step${result.convergedS === null ? ` (not all within ${options.stormTimeoutS} s)` : ` in ${result.convergedS.toFixed(1)} s`}; ${result.recovered} recovered, ${result.caughtUp} caught up from their seq, ${result.snapshots} fetched a snapshot`);
  await disconnect(server);
}

// One fresh sidecar per database for the ingest section. A smoke run starts them with everything else
// (start-up is most of its time; its figures are not for conclusions); a full run starts each when its
// turn comes, so nothing idles next to the servers being measured.
const ingestSidecars = new Map<'pglite' | 'postgres', Promise<SidecarUnderTest>>();
function ingestSidecar(database: 'pglite' | 'postgres'): Promise<SidecarUnderTest> {
  let sidecar = ingestSidecars.get(database);
  if (!sidecar) {
    const port = options.portBase + (database === 'pglite' ? 2 : 3);
    log(`ingest: starting a fresh sidecar on ${database} (:${port})`);
    sidecar = startSidecar({ port, database, clockSpeed: 0, cpuProfileDir: options.cpuProfileDir, label: `ingest-${database}` }).then((s) => {
      log(`ingest sidecar on ${database} is up (pid ${s.process.pid})`);
      return started(s, ingestGroup);
    });
    sidecar.catch(() => {}); // awaited (and reported) in its turn
    ingestSidecars.set(database, sidecar);
  }
  return sidecar;
}
if (options.smoke && options.only.includes('ingest')) {
  void ingestSidecar('pglite');
  void ingestSidecar('postgres');
}

async function ingestSection(): Promise<void> {
  const client = started(spawnBenchProcess('ingest', 'bench/ingest-client.ts'), ingestGroup);
  try {
    for (const database of ['pglite', 'postgres'] as const) {
      const sidecar = await ingestSidecar(database);
      await client.ready();
      log(`ingest: replaying the 2023 night at max speed into ${database} (gives up after ${options.ingestTimeoutS} s)`);
      const before = await sidecar.probe(false);
      const run = await client.call<IngestRun>('run', {
        baseUrl: sidecar.baseUrl, tokens: sidecar.tokens, clockToken: sidecar.clockToken,
        municipalities: options.ingestMunicipalities, timeoutMs: options.ingestTimeoutS * 1000,
      } satisfies IngestArgs, options.ingestTimeoutS * 1000 + 300_000);
      const after = await sidecar.probe(false);
      results.ingest.push({
        database: database === 'pglite' ? 'embedded' : 'postgres', municipalities: options.ingestMunicipalities,
        requests: run.requests, sent: run.sent, created: run.created, unexpected: run.unexpected, retries: run.retries,
        seconds: run.wallMs / 1000, finished: run.finished, timeoutS: options.ingestTimeoutS, cpuPercent: cpuPercent(before, after),
        unexpectedSample: run.unexpectedSample,
      });
      log(`ingest ${database}: ${run.sent}/${run.requests} requests in ${(run.wallMs / 1000).toFixed(1)} s (${(run.sent / (run.wallMs / 1000)).toFixed(0)}/s), ${run.unexpected} unexpected`);
      await stopOne(sidecar, ingestGroup);
    }
  } finally {
    await stopGroup(ingestGroup);
  }
}

let failed = false;
try {
  if (options.only.some((s) => s !== 'ingest')) await viewerSections();
  if (options.only.includes('ingest')) await ingestSection();
} catch (error) {
  failed = true;
  results.notes.push(`the run stopped early: ${errorMessage(error).split('\n')[0]}`);
  console.error(error);
} finally {
  await stopGroup([...everything]);
}
if (interrupted) process.exit(130);

const out = path.resolve(options.out);
if (!hasMeasurements(results)) {
  log(`nothing was measured: ${out} is left as it was`);
  process.exit(1);
}
results.meta.durationS = (Date.now() - startedAt) / 1000;
// os.loadavg() always gives the 1, 5 and 15 minute averages.
results.meta.loadAverage.end = os.loadavg()[0]!;
const markdown = await writeBenchDocument(buildDocument(results), out);
console.log(`\n${markdown}`);
log(`wrote ${out} and its .json`);
process.exit(failed ? 1 : 0);
