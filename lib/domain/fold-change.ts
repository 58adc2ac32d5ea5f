// Folds one change-log entry into the municipality it concerns.
import type { ChangeEntry, ElectionChange } from '../contracts/changes.ts';

/** The changes that concern one municipality (the others are folded by the read model itself). */
export type MunicipalityChange = Exclude<ChangeEntry, ElectionChange>;
import { applyAcceptedResult, applyLocalCounts, type MunicipalityRecord } from './municipality.ts';

export interface FoldOutcome {
  municipality: string;
  /** Districts whose detail changed. */
  districts: string[];
}

export function foldChange(record: MunicipalityRecord, change: MunicipalityChange): FoldOutcome {
  switch (change.kind) {
    case 'result.accepted': {
      const p = change.payload;
      record.lastContactAt = p.receivedAt;
      if (p.previousBallots && p.previousVersion !== null && p.ballots.counted < p.previousBallots.counted) {
        record.regression = {
          at: p.receivedAt, district: p.district, category: p.category, stage: p.stage,
          version: p.version, previousVersion: p.previousVersion, lost: p.previousBallots.counted - p.ballots.counted,
        };
      }
      applyAcceptedResult(record, p.district, {
        category: p.category,
        stage: p.stage,
        version: p.version,
        countedAt: p.countedAt,
        receivedAt: p.receivedAt,
        ballotsCounted: p.ballots.counted,
        ballotsRejected: p.ballots.rejected,
        ballotsBlank: p.ballots.blank,
        votes: p.votes,
      });
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
