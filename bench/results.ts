// What one bench run measured, as the orchestrator collects it and the report writer renders it.
import type { Histogram } from './histogram.ts';

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
  latency: LatencySummary;
  /** (viewer, report) pairs delivered, of those expected (reports × viewers). */
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
  /** The reporter's post-to-answer time, p50 and p99. */
  answerP50: number | null;
  answerP99: number | null;
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
}

export interface BenchResults {
  meta: BenchMeta;
  push: PushCell[];
  memory: MemoryCell[];
  polling: PollCell[];
  ingest: IngestResult[];
  snapshot: SnapshotResult[];
  /** Problems met on the way (a cell that could not run, refused reports, …). */
  notes: string[];
}
