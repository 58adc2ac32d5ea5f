// Prometheus metrics of one sidecar (GET /metrics), in a registry of its own so a test can run two
// sidecars in one process. Gauges read their value when scraped; counters and the histogram are fed by
// the code paths they count. docs/deployment.md says what to alert on.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DeltaKind } from './live/live-namespace.ts';

export interface MetricSources {
  viewers(): number;
  operators(): number;
  /** The national transfer queue: districts counted locally whose results have not arrived. */
  transferQueue(): { depth: number; oldestPendingSince: string | null };
  modelSeq(): number;
  /** The newest seq this node knows has been committed (its own commits and other nodes' notices). */
  newestSeqSeen(): number;
  isLeader(): boolean;
  /** Absent on the embedded database, which has no other nodes to hear from. */
  commitNoticesConnected?: () => boolean;
  now(): Date;
}

export interface SidecarMetrics {
  registry: Registry;
  deltaSent(kind: DeltaKind, fanOutSeconds: number): void;
  ingestAnswered(route: string, status: number, seconds: number): void;
  /** Where the ingest queue depth is read from when scraped (the ingest writer's queue); 0 until set. */
  setIngestQueueDepth(read: () => number): void;
  /** One attempt to send an alert to a channel: sent, to be retried, or failed for good. */
  alertDeliveryAttempted(kind: string, outcome: 'sent' | 'retry' | 'failed'): void;
}

export const INGEST_LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** A delta to a handful of viewers takes microseconds; to 10,000 on one core, a few hundred milliseconds. */
export const FAN_OUT_BUCKETS = [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

export function createSidecarMetrics(sources: MetricSources): SidecarMetrics {
  const registry = new Registry();
  // Event-loop lag, heap, RSS, CPU, handles: prom-client's standard process metrics.
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({ name, help, registers, collect() { this.set(read()); } });

  gauge('valgvakt_live_viewers', 'Viewers connected to this node\'s /live namespace.', sources.viewers);
  gauge('valgvakt_ops_connections', 'Operator consoles connected to this node\'s /ops namespace.', sources.operators);
  gauge('valgvakt_transfer_queue_depth', 'Districts counted locally whose results have not arrived (national).', () => sources.transferQueue().depth);
  gauge('valgvakt_transfer_queue_oldest_seconds', 'Age of the oldest district counted locally but not received; 0 when none.', () => {
    const oldest = sources.transferQueue().oldestPendingSince;
    return oldest === null ? 0 : Math.max(0, (sources.now().getTime() - Date.parse(oldest)) / 1000);
  });
  gauge('valgvakt_read_model_seq', 'The change-log seq this node\'s read model has applied.', sources.modelSeq);
  gauge('valgvakt_change_feed_lag', 'Committed changes this node knows of but has not applied yet (seq difference).', () => Math.max(0, sources.newestSeqSeen() - sources.modelSeq()));
  gauge('valgvakt_leader', '1 on the node that records states and alerts (and sends deltas through a shared adapter).', () => Number(sources.isLeader()));
  const commitNoticesConnected = sources.commitNoticesConnected;
  if (commitNoticesConnected) {
    gauge('valgvakt_commit_notices_connected', '1 while this node listens for other nodes\' commits.', () => Number(commitNoticesConnected()));
  }
  let readIngestQueueDepth = () => 0;
  gauge('valgvakt_ingest_queue_depth', 'Accepted ingest requests waiting to be written.', () => readIngestQueueDepth());

  const deltas = new Counter({ name: 'valgvakt_deltas_sent_total', help: 'Deltas sent by this node, by kind (with a shared adapter only the leader sends).', labelNames: ['kind'], registers });
  const fanOut = new Histogram({
    name: 'valgvakt_delta_fanout_seconds',
    help: 'Time one delta took to hand to this node\'s viewers, by kind; the event loop does nothing else meanwhile.',
    labelNames: ['kind'], buckets: FAN_OUT_BUCKETS, registers,
  });
  const requests = new Counter({ name: 'valgvakt_ingest_requests_total', help: 'Ingest requests answered, by route and status.', labelNames: ['route', 'status'], registers });
  const latency = new Histogram({ name: 'valgvakt_ingest_request_duration_seconds', help: 'Time to answer an ingest request, by route.', labelNames: ['route'], buckets: INGEST_LATENCY_BUCKETS, registers });

  const alertDeliveries = new Counter({
    name: 'valgvakt_alert_deliveries_total', help: 'Attempts to send an alert to a channel, by channel kind and outcome (sent, retry, failed); only the leader sends.',
    labelNames: ['kind', 'outcome'], registers,
  });

  return {
    registry,
    alertDeliveryAttempted(kind, outcome) {
      alertDeliveries.inc({ kind, outcome });
    },
    deltaSent(kind, fanOutSeconds) {
      deltas.inc({ kind });
      fanOut.observe({ kind }, fanOutSeconds);
    },
    ingestAnswered(route, status, seconds) {
      requests.inc({ route, status: String(status) });
      latency.observe({ route }, seconds);
    },
    setIngestQueueDepth(read) {
      readIngestQueueDepth = read;
    },
  };
}
