// Folds one change-log entry into the municipality it concerns.
import type { ChangeEntry, ElectionChange, ResultAcceptedPayload } from '../contracts/changes.ts';

/** The changes that concern one municipality (the others are folded by the read model itself). */
export type MunicipalityChange = Exclude<ChangeEntry, ElectionChange>;
import type { CountCategory } from '../contracts/ingest.ts';
import { applyAcceptedResult, applyLocalCounts, listBestResults, type MunicipalityRecord } from './municipality.ts';

export interface FoldOutcome {
  municipality: string;
  /** Districts whose detail changed. */
  districts: string[];
}

/** Published counted ballots per category: each district's best count (final over preliminary). */
function publishedByCategory(record: MunicipalityRecord): Map<CountCategory, number> {
  const totals = new Map<CountCategory, number>();
  for (const result of listBestResults(record)) totals.set(result.category, (totals.get(result.category) ?? 0) + result.ballotsCounted);
  return totals;
}

/** What a report did to its own unit's count: a drop (> 0) if it lowered it. */
function unitDrop(p: ResultAcceptedPayload): number {
  return p.previousBallots && p.previousVersion !== null ? Math.max(0, p.previousBallots.counted - p.ballots.counted) : 0;
}

/**
 * A correction lowers a municipality's count. A report alone does when it lowers its unit. A batch (its
 * changes are consecutive) is judged once all of it is folded, on the published count per category: one
 * that lowers a unit and raises others as much — votes booked on one unit moving to the units that now
 * report them, even from a preliminary to a final count — took nothing away.
 */
function judgeCorrection(record: MunicipalityRecord, p: ResultAcceptedPayload, apply: () => void): void {
  if (!p.batch) {
    apply();
    const lost = unitDrop(p);
    if (lost > 0) record.regression = regressionOf(p, lost);
    return;
  }
  if (p.batch.index === 0) record.openBatch = { before: publishedByCategory(record), reports: [] };
  apply();
  const batch = record.openBatch;
  // A batch whose start this model never folded (it began before the log was read) is not judged.
  if (!batch) return;
  batch.reports.push(p);
  if (p.batch.index < p.batch.size - 1) return;
  record.openBatch = null;
  const after = publishedByCategory(record);
  for (const [category, before] of batch.before) {
    const lost = before - (after.get(category) ?? 0);
    const lowered = batch.reports.filter((r) => r.category === category && unitDrop(r) > 0).sort((a, b) => unitDrop(b) - unitDrop(a))[0];
    if (lost > 0 && lowered) record.regression = regressionOf(lowered, lost);
  }
}

function regressionOf(p: ResultAcceptedPayload, lost: number): NonNullable<MunicipalityRecord['regression']> {
  return { at: p.receivedAt, district: p.district, category: p.category, stage: p.stage, version: p.version, previousVersion: p.previousVersion ?? 0, lost };
}

export function foldChange(record: MunicipalityRecord, change: MunicipalityChange): FoldOutcome {
  switch (change.kind) {
    case 'result.accepted': {
      const p = change.payload;
      record.lastContactAt = p.receivedAt;
      judgeCorrection(record, p, () => applyAcceptedResult(record, p.district, {
        category: p.category,
        stage: p.stage,
        version: p.version,
        countedAt: p.countedAt,
        receivedAt: p.receivedAt,
        ballotsCounted: p.ballots.counted,
        ballotsRejected: p.ballots.rejected,
        ballotsBlank: p.ballots.blank,
        votes: p.votes,
      }));
      return { municipality: p.municipality, districts: [p.district] };
    }
    case 'state.changed': {
      const p = change.payload;
      record.state = { state: p.to, since: p.since, reason: p.reason };
      // A span starts when the state began (its since), not when the monitor noticed; spans never overlap.
      const previous = record.stateHistory.at(-1)?.from ?? '';
      const began = p.since && p.since < change.at ? p.since : change.at;
      record.stateHistory.push({ state: p.to, from: began > previous ? began : previous });
      return { municipality: p.municipality, districts: [] };
    }
    case 'oversight.changed': {
      const p = change.payload;
      record.oversight = { ...p.after };
      record.oversightChangedAt = change.at;
      return { municipality: p.municipality, districts: [] };
    }
    case 'watchlist.changed': {
      const p = change.payload;
      record.ref.watch = p.after.watch;
      record.ref.watchReason = p.after.reason;
      return { municipality: p.municipality, districts: [] };
    }
    case 'alert.raised':
    case 'alert.updated':
    case 'alert.acknowledged':
    case 'alert.reopened':
    case 'alert.resolved': {
      const p = change.payload;
      record.activeAlert = p.alert.status === 'resolved' ? null : p.alert;
      return { municipality: p.municipality, districts: [] };
    }
    case 'status.reported': {
      const p = change.payload;
      record.lastContactAt = p.receivedAt;
      if (p.recount) record.recount = { at: p.receivedAt, reason: p.recountReason ?? null };
      return { municipality: p.municipality, districts: applyLocalCounts(record, p.newlyCounted, p.at, p.category, p.stage) };
    }
  }
}
