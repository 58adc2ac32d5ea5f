// The compact overview delta (`overview:patch`): built from a full one on the server, applied to the
// snapshot a browser holds. The browser rebuilds the national totals with the server's own function, so
// both ends agree to the last digit.
import type { MunicipalityProgress, MunicipalitySummary, NationalCounts, OverviewDelta, OverviewPatch, Snapshot } from '../contracts/live.ts';
import { nationalTotalsFrom } from './national.ts';
import { mergeReportedSeats } from './reported-seats.ts';

/**
 * A summary without what never changes during a night (the snapshot has that). `watch` does change: operators
 * edit the watchlist during the night.
 */
export function toMunicipalityProgress(summary: MunicipalitySummary): MunicipalityProgress {
  const { name: _name, countyNumber: _county, countyName: _countyName, districtsTotal: _districts, electorate: _electorate, expectedBallots: _expected, expectedTurnout: _expectedTurnout, comparisonTurnout: _comparisonTurnout, ...progress } = summary;
  return progress;
}

export function toOverviewPatch(delta: OverviewDelta, national: NationalCounts): OverviewPatch {
  return {
    prevSeq: delta.prevSeq, seq: delta.seq, clock: delta.clock, municipalities: delta.municipalities.map(toMunicipalityProgress), national,
    ...(delta.reportedSeats ? { reportedSeats: delta.reportedSeats } : {}),
    ...(delta.source ? { source: delta.source } : {}),
  };
}

/**
 * The summaries with the patch's progress merged in. Only municipalities already held are updated: a county
 * page holds its own and ignores the rest.
 */
export function mergeProgress(summaries: readonly MunicipalitySummary[], progress: readonly MunicipalityProgress[]): MunicipalitySummary[] {
  if (progress.length === 0) return [...summaries];
  const byNumber = new Map(progress.map((p) => [p.number, p]));
  return summaries.map((summary) => {
    const update = byNumber.get(summary.number);
    return update ? { ...summary, ...update } : summary;
  });
}

/** The snapshot at the patch's seq, from the one held (its seq within the patch's (prevSeq, seq]). */
export function applyOverviewPatch(state: Snapshot, patch: OverviewPatch): Snapshot {
  return {
    ...state,
    seq: patch.seq,
    clock: patch.clock,
    national: nationalTotalsFrom(patch.national, state.national),
    municipalities: mergeProgress(state.municipalities, patch.municipalities),
    reportedSeats: mergeReportedSeats(state.reportedSeats, patch.reportedSeats),
    source: patch.source ?? state.source,
  };
}
