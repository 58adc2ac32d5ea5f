// What one bench run measured, as the orchestrator collects it and the report writer renders it. The
// whole object is also written to docs/benchmarks.json (with the goal rows), from which the markdown is
// rendered (bench/render.ts).
import type { Histogram } from './histogram.ts';
import type { PageLoadReport } from './page-loads.ts';
import type { ProcessCpu } from './processes.ts';

export interface LatencySummary {
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
  samples: number;
  /** Samples below zero, counted as zero. */
  negative: number;
}

export function summarize(histogram: Histogram): LatencySummary {
  return {
    p50: histogram.percentile(50), p95: histogram.percentile(95), p99: histogram.percentile(99),
    max: histogram.total ? histogram.max : null, mean: histogram.mean(), samples: histogram.total, negative: histogram.negative,
  };
}

export type ServerKind = 'valgvakt' | 'naive';

export interface PushCell {
  server: ServerKind;
  viewers: number;
  rate: number;
  /** Reports per second actually sent, and accepted in the window. */
  sentPerSecond: number;
  reports: number;
  /** Reports sent in the window (answered or not). */
  posted: number;
  /** Commit → viewer receipt: the server's commit stamp against the viewer's arrival time. */
  latency: LatencySummary;
  /** Reporter send → viewer receipt, both on this machine's one clock: includes taking the report. */
  sendLatency: LatencySummary;
  /**
   * (viewer, report) pairs delivered, of those expected (reports sent × viewers connected). A report that
   * was refused or never answered, and a viewer that never got it, are undelivered pairs: failures.
   */
  delivered: number;
  expected: number;
  /** Per viewer over the cell: messages and bytes received. */
  messagesPerViewer: number;
  bytesPerViewer: number;
  /** Server CPU (% of one core) and event-loop utilisation while the reports were sent. */
  cpuPercent: number;
  loopPercent: number;
  gaps: number;
  disconnects: number;
  /** Where the commit times came from. */
  commitTime: 'header' | 'arrival' | 'mixed' | 'message';
  /** The reporter's post-to-answer time (ingest acknowledgement), p50 and p99. */
  answerP50: number | null;
  answerP99: number | null;
  /** CPU of every process over the window of reports. */
  processes: ProcessCpu[];
}

/** Ingest acknowledgement with no viewer connected: the baseline the cells' figures are compared with. */
export interface AckBaseline {
  server: ServerKind;
  rate: number;
  posted: number;
  accepted: number;
  answerP50: number | null;
  answerP99: number | null;
}

/** The 2023 night's arrival profile replayed (bench/night.ts) with viewers connected. */
export interface NightResult {
  viewers: number;
  connected: number;
  /** Simulated minutes per real minute, and the simulated minutes of the night replayed from its start. */
  speed: number;
  minutes: number;
  requests: number;
  posted: number;
  accepted: number;
  statuses: Record<string, number>;
  /** Most requests sent in one wall-clock second (the peak of the profile at this speed). */
  peakPerSecond: number;
  seconds: number;
  answerP50: number | null;
  answerP99: number | null;
  latency: LatencySummary;
  sendLatency: LatencySummary;
  /** (viewer, accepted result or status report) pairs. */
  delivered: number;
  expected: number;
  processes: ProcessCpu[];
}

/** A reconnect storm: the live role killed and restarted with viewers connected (bench/storm.ts). */
export interface StormResult {
  viewers: number;
  connected: number;
  signal: string;
  /** What was stopped: only the live role's processes (sidecar-processes.json) or the whole sidecar. */
  target: 'live-processes' | 'whole-sidecar';
  killed: number[];
  /** Seconds from the kill until the sidecar answered again (health). */
  downS: number | null;
  /** Seconds from the kill until every viewer had converged, null when not within the timeout. */
  convergedS: number | null;
  timeoutS: number;
  converged: number;
  /**
   * Converged by connection-state recovery (the stream), by asking for what changed after the seq held
   * (`overview:catch-up`, as the pages do), or by fetching a snapshot (after a refused catch-up).
   */
  recovered: number;
  /** Absent in results written before catch-up existed. */
  caughtUp?: number;
  snapshots: number;
  /** Reports posted at a steady rate from before the kill until after it: intake must keep acknowledging them. */
  reports?: { rate: number; posted: number; acknowledged: number; answerP50: number | null; answerP99: number | null };
  /** Viewers that never reconnected within the timeout (e.g. told by the server not to). */
  neverReconnected: number;
  /** Per viewer: seconds from the kill until it converged. */
  convergence: LatencySummary;
  processes: ProcessCpu[];
}

export interface MemoryCell {
  server: ServerKind;
  viewers: number;
  heapBefore: number;
  heapAfter: number;
  rssBefore: number;
  rssAfter: number;
  /** Whether a forced GC preceded both readings. */
  collected: boolean;
  /** The seconds the ramp-up took. */
  rampSeconds: number;
}

export interface PollCell {
  viewers: number;
  rate: number;
  intervalS: number;
  reports: number;
  staleness: LatencySummary;
  seen: number;
  expected: number;
  requestsPerSecond: number;
  bytesPerSecond: number;
  errors: number;
  skipped: number;
  cpuPercent: number;
  loopPercent: number;
}

export interface IngestResult {
  database: 'embedded' | 'postgres';
  municipalities: 'all' | string[];
  requests: number;
  sent: number;
  created: number;
  unexpected: number;
  retries: number;
  seconds: number;
  finished: boolean;
  timeoutS: number;
  /** Sidecar CPU (% of one core) over the night. */
  cpuPercent: number;
  unexpectedSample: string[];
}

/** The snapshot's body as a viewer's first load fetches it: plain, and as the sidecar sends it compressed. */
export interface SnapshotBytes {
  bytes: number;
  gzipBytes: number | null;
  brotliBytes: number | null;
}

export interface SnapshotResult {
  variant: 'plain' | 'conditional';
  connections: number;
  seconds: number;
  requestsPerSecond: number;
  latencyP50: number | null;
  latencyP99: number | null;
  status2xx: number;
  status3xx: number;
  otherStatus: number;
  bytesPerSecond: number;
  cpuPercent: number;
}

export interface BenchMeta {
  date: string;
  machine: { cpuModel: string; cores: number; memoryBytes: number; os: string; node: string };
  commit: string;
  dirty: boolean;
  database: 'postgres' | 'pglite';
  workers: number;
  windowS: number;
  sizes: number[];
  rates: number[];
  smoke: boolean;
  /** Seconds the whole run took. */
  durationS: number;
  /** 1-minute load average when the run started and when it ended: others' work on the machine shows here. */
  loadAverage: { start: number; end: number };
  /** Does the sidecar send x-valgvakt-committed-at (null: not checked) and serve /metrics? */
  committedAtHeader: boolean | null;
  metricsEndpoint: boolean | null;
  /** `SHOW server_version` of the PostgreSQL server, when one was used. */
  postgresVersion: string | null;
  /** Full commit hash (`commit` is the short one). */
  commitFull: string;
  /** The naive broadcast padded its messages to the bytes per report Valgvakt's viewers got in the same cell. */
  naivePadding: boolean;
  /**
   * Processes the sidecar runs (its sidecar-processes.json), when it runs roles. The in-process probe (heap,
   * CPU, event loop) is loaded into the supervisor, which holds no viewers: its figures then say nothing
   * about the viewers' cost, and the memory goal is not judged.
   */
  sidecarProcesses?: number | null;
}

export interface BenchResults {
  meta: BenchMeta;
  push: PushCell[];
  memory: MemoryCell[];
  polling: PollCell[];
  ingest: IngestResult[];
  snapshot: SnapshotResult[];
  ackBaseline: AckBaseline[];
  night: NightResult[];
  storm: StormResult[];
  pages: PageLoadReport | null;
  snapshotBytes?: SnapshotBytes | null;
  /** Problems met on the way (a cell that could not run, refused reports, …). */
  notes: string[];
}

/** Whether a run measured anything at all (one that stopped at its start did not: its document would only erase the last). */
export function hasMeasurements(results: BenchResults): boolean {
  const { push, memory, polling, ingest, snapshot, ackBaseline, night, storm, pages } = results;
  return [push, memory, polling, ingest, snapshot, ackBaseline, night, storm].some((list) => list.length > 0) || pages !== null;
}
