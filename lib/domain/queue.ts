// The national transfer queue: districts counted locally whose results have not arrived, how old the
// oldest is, how fast the queue drains and when it will be empty at that pace. Pure.
import type { QueueMetrics } from '../contracts/ops.ts';
import type { MunicipalityRecord } from './municipality.ts';
import { localCountKey, reconcile } from './stall-detection.ts';

const DRAIN_WINDOW_MS = 10 * 60_000;
/** A result that arrived within this of its local count was never really queued. */
const QUEUED_AFTER_MS = 60_000;

export function computeQueueMetrics(records: Iterable<MunicipalityRecord>, now: Date): QueueMetrics {
  let depth = 0;
  let oldest: string | null = null;
  let drained = 0;
  let withBacklog = 0;
  const ledgers = { districtsCountedLocally: 0, districtsReceived: 0, ballotsReceived: 0, ballotsPendingEstimate: 0 };
  const windowStart = now.getTime() - DRAIN_WINDOW_MS;
  for (const record of records) {
    const r = reconcile(record);
    depth += r.districtsPending;
    ledgers.districtsCountedLocally += r.districtsCountedLocally;
    ledgers.districtsReceived += r.districtsReceived;
    ledgers.ballotsReceived += r.ballotsReceived;
    ledgers.ballotsPendingEstimate += r.ballotsPendingEstimate;
    if (r.districtsPending > 0) withBacklog += 1;
    if (r.oldestPendingSince && (oldest === null || r.oldestPendingSince < oldest)) oldest = r.oldestPendingSince;
    for (const district of record.districts) {
      const category = district.kind === 'advance' ? 'advance' : 'election_day';
      const local = record.localCounts.get(localCountKey(district.number, category, 'preliminary'));
      const result = record.results.get(district.number)?.find((x) => x.category === category && x.stage === 'preliminary');
      if (!local || !result) continue;
      const received = Date.parse(result.receivedAt);
      if (received >= windowStart && received <= now.getTime() && received - Date.parse(local) > QUEUED_AFTER_MS) drained += 1;
    }
  }
  const drainPerMinute = drained / (DRAIN_WINDOW_MS / 60_000);
  return {
    depth,
    oldestPendingSince: oldest,
    drainPerMinute,
    etaMinutes: depth === 0 ? 0 : drainPerMinute > 0 ? Math.ceil(depth / drainPerMinute) : null,
    municipalitiesWithBacklog: withBacklog,
    ...ledgers,
  };
}
