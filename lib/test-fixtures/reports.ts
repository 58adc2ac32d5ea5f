// Reports for unit tests (pure): valid as they stand, each field open to a patch. Oslo (0301), whose districts
// 0101 and 0102 count on election day; the result's votes and blank ballots add up to the ballots counted.
import type { ResultReport, StatusReport } from '../contracts/ingest.ts';

/** District 0101's preliminary election-day result: 100 counted, 2 rejected, 5 blank; A 50, H 45. */
export function makeOsloResultReport(patch: Partial<ResultReport> = {}): ResultReport {
  return {
    municipality: '0301',
    district: '0101',
    category: 'election_day',
    stage: 'preliminary',
    version: 1,
    countedAt: '2023-09-11T21:55:00+02:00',
    ballots: { counted: 100, rejected: 2, blank: 5 },
    votes: { A: 50, H: 45 },
    ...patch,
  };
}

/** Districts 0101 and 0102 counted locally (election day, preliminary). */
export function makeOsloStatusReport(patch: Partial<StatusReport> = {}): StatusReport {
  return {
    municipality: '0301',
    at: '2023-09-11T21:55:00+02:00',
    category: 'election_day',
    stage: 'preliminary',
    districts: ['0101', '0102'],
    ...patch,
  };
}
