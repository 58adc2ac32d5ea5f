// The stall board, built from the read model (no database query per operator).
import type { BoardRow, OpsBoard } from '../../lib/contracts/ops.ts';
import { deriveMunicipalityState } from '../../lib/domain/stall-detection.ts';
import { computeMunicipalitySummary } from '../../lib/domain/municipality.ts';
import { computeQueueMetrics } from '../../lib/domain/queue.ts';
import { sortAlertsForTriage } from '../../lib/domain/alert-order.ts';
import type { Thresholds } from '../../lib/contracts/thresholds.ts';
import type { ElectionReadModel } from '../read-model.ts';
import type { StallMonitor } from '../stall-monitor.ts';

export function buildBoard(model: ElectionReadModel, options: { monitor?: StallMonitor; thresholds?: Thresholds; pollsCloseAt: Date }): OpsBoard {
  const clock = model.clockState();
  const now = new Date(clock.now);
  const rows: BoardRow[] = [];
  for (const record of model.records()) {
    const summary = computeMunicipalitySummary(record);
    if (summary.state === 'complete') continue;
    // The recorded state is what everyone sees; the reconciliation is computed fresh for the board.
    const derived = options.thresholds
      ? deriveMunicipalityState(record, { thresholds: options.thresholds, now, pollsCloseAt: options.pollsCloseAt, arrival: record.ref.arrival ?? null, underReview: record.oversight.underReview, regression: record.regression, recountSince: record.recount?.at ?? null })
      : null;
    rows.push({
      number: summary.number,
      name: summary.name,
      countyName: summary.countyName,
      watch: summary.watch,
      stateInfo: {
        state: record.state.state,
        since: record.state.since,
        // The public reason, word for word (state-reason.ts): the console never tells other counts.
        reason: summary.stateReason,
        reasonFacts: summary.stateReasonFacts,
        underlyingState: derived?.underlyingState ?? record.state.state,
        publicNote: record.oversight.publicNote,
        lastContactAt: record.lastContactAt,
        reconciliation: derived?.reconciliation ?? { districtsCountedLocally: 0, districtsReceived: summary.districtsReported, districtsPending: 0, ballotsReceived: summary.ballotsCounted, ballotsPendingEstimate: 0, oldestPendingSince: null },
      },
      districtsReported: summary.districtsReported,
      districtsTotal: summary.districtsTotal,
      ballotsCounted: summary.ballotsCounted,
      expectedBallots: summary.expectedBallots,
      ballotsOutstanding: Math.max(0, summary.expectedBallots - summary.ballotsCounted),
      lastResultAt: summary.lastResultAt,
      alertId: record.activeAlert?.id ?? null,
    });
  }
  rows.sort((a, b) => Number(b.watch) - Number(a.watch) || b.ballotsOutstanding - a.ballotsOutstanding || a.number.localeCompare(b.number));
  const alerts = sortAlertsForTriage([...model.records()].flatMap((r) => (r.activeAlert ? [r.activeAlert] : [])), new Map(rows.map((r) => [r.number, r])));
  return {
    seq: model.seq,
    clock,
    rows,
    alerts,
    queue: computeQueueMetrics(model.records(), now),
    queueHistory: options.monitor?.queueHistory() ?? [],
    watchlist: [...model.records()].filter((r) => r.ref.watch).map((r) => ({ number: r.ref.number, name: r.ref.name, countyName: r.ref.countyName, reason: r.ref.watchReason ?? null }))
      .sort((a, b) => a.number.localeCompare(b.number)),
    feed: {
      health: model.source().feed?.health ?? null,
      status: model.feedStatus(),
      incident: model.feedIncident(),
      heldStalls: options.monitor?.heldStalls() ?? 0,
    },
  };
}
