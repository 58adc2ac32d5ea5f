// Seats as a source reports them: what is checked before one is stored, whether it is new, and how the
// pages hold them. Pure.
import type { FieldIssue } from '../contracts/ingest.ts';
import { NATIONAL_AREA, type ReportedSeats, type SeatsReport, type SeatsReportedPayload } from '../contracts/seats.ts';
import type { ElectionKind } from '../election-package/manifest.ts';
import { checkTimestamp } from './report-rules.ts';

/** What a seats report is checked against: the election's kind, its counties and the lists standing in each area. */
export interface SeatsReference {
  kind: ElectionKind;
  electionId: string;
  /** County number → name. */
  counties: ReadonlyMap<string, string>;
  /** The codes of the lists standing in an area (the whole country for "national"). */
  listsIn(area: string): ReadonlyMap<string, string>;
}

/**
 * A report time in the future would stay the area's newest for good and lock out every correct report after
 * it, so report times are held to the same window as counts' (lib/domain/report-rules.ts).
 */
export function checkSeatsReport(report: SeatsReport, reference: SeatsReference, now: Date, pollsCloseAt: Date): FieldIssue[] {
  if (reference.kind !== 'storting') {
    return [{ field: 'area', reason: `election ${reference.electionId} is ${reference.kind}: Valgvakt computes its seats, so none are reported` }];
  }
  const time = checkTimestamp('reportedAt', report.reportedAt, now, pollsCloseAt);
  if (time.length > 0) return time;
  if (report.area !== NATIONAL_AREA && !reference.counties.has(report.area)) {
    return [{ field: 'area', reason: `no county ${report.area} in election ${reference.electionId}` }];
  }
  const lists = reference.listsIn(report.area);
  return report.seats.flatMap((entry, i) => lists.has(entry.list) ? [] : [{ field: `seats.${i}.list`, reason: `no list "${entry.list}" stands in ${report.area === NATIONAL_AREA ? 'the election' : `county ${report.area}`}` }]);
}

/** The stored report of the same area nearest in question: the one at the same reportedAt, or the newest. */
export interface StoredSeats {
  reportedAt: Date;
  payloadHash: string;
  seq: number;
}

export type SeatsDecision =
  | { kind: 'create' }
  | { kind: 'duplicate'; seq: number }
  | { kind: 'conflict'; field: string; reason: string };

/**
 * A resend of a stored report is a duplicate; the same area and reportedAt with other seats is a conflict;
 * a report older than the area's newest is refused, so the pages never step back to older seats.
 */
export function decideSeatsReport(reportedAt: Date, payloadHash: string, sameTime: StoredSeats | null, newest: StoredSeats | null): SeatsDecision {
  if (sameTime) {
    return sameTime.payloadHash === payloadHash
      ? { kind: 'duplicate', seq: sameTime.seq }
      : { kind: 'conflict', field: 'reportedAt', reason: `other seats for this area were already reported at ${sameTime.reportedAt.toISOString()}` };
  }
  if (newest && newest.reportedAt > reportedAt) {
    return { kind: 'conflict', field: 'reportedAt', reason: `older than the seats already reported for this area at ${newest.reportedAt.toISOString()}` };
  }
  return { kind: 'create' };
}

export function toSeatsPayload(report: SeatsReport, receivedAt: Date): SeatsReportedPayload {
  return {
    area: report.area,
    source: report.source,
    reportedAt: new Date(report.reportedAt).toISOString(),
    receivedAt: receivedAt.toISOString(),
    final: report.final ?? false,
    // In list order, so a resend in another order is the same report.
    seats: report.seats.map((entry) => ({ list: entry.list, seats: entry.seats, levelling: entry.levelling ?? 0 })).sort((a, b) => (a.list < b.list ? -1 : a.list > b.list ? 1 : 0)),
  };
}

/** An area's seats as the pages show them: every list named, most seats first, then by name. */
export function toReportedSeats(payload: SeatsReportedPayload, areaName: string, listName: (code: string) => string): ReportedSeats {
  const lists = payload.seats
    .map((entry) => ({ code: entry.list, name: listName(entry.list), seats: entry.seats, levelling: entry.levelling }))
    .sort((a, b) => b.seats - a.seats || a.name.localeCompare(b.name, 'nb'));
  return {
    area: payload.area, areaName, source: payload.source, reportedAt: payload.reportedAt, receivedAt: payload.receivedAt, final: payload.final,
    total: lists.reduce((sum, list) => sum + list.seats, 0), lists,
  };
}

/** The national area first, then counties by number. */
export function compareAreas(a: string, b: string): number {
  if (a === b) return 0;
  if (a === NATIONAL_AREA) return -1;
  if (b === NATIONAL_AREA) return 1;
  return a < b ? -1 : 1;
}

/** The areas held, with those a delta brings replacing theirs. */
export function mergeReportedSeats(held: readonly ReportedSeats[], incoming: readonly ReportedSeats[] | undefined): ReportedSeats[] {
  if (!incoming || incoming.length === 0) return [...held];
  const byArea = new Map(held.map((seats) => [seats.area, seats]));
  for (const seats of incoming) byArea.set(seats.area, seats);
  return [...byArea.values()].sort((a, b) => compareAreas(a.area, b.area));
}
