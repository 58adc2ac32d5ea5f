// Rules a count report must satisfy beyond its shape, and how a report relates to the versions already
// stored. Pure functions of the report, the municipality's record and `now`.
import { ADVANCE_DISTRICT, type FieldIssue, type ResultReport, type StatusReport } from '../contracts/ingest.ts';
import type { MunicipalityRecord } from './municipality.ts';

/** How far in the future a count time may lie before we call it wrong (clock skew between systems). */
export const MAX_CLOCK_SKEW_MS = 2 * 60 * 1000;
/**
 * How long before the polls close a count or status time may lie. Early advance votes are cast from
 * 1 July (over ten weeks before a September election day); nothing is counted before that.
 */
export const EARLIEST_BEFORE_POLLS_CLOSE_MS = 90 * 24 * 3600 * 1000;

export function checkResultReport(report: ResultReport, record: MunicipalityRecord, now: Date, pollsCloseAt: Date): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const district = record.districts.find((d) => d.number === report.district);
  if (!district) {
    issues.push({ field: 'district', reason: `unknown district ${report.district} in municipality ${report.municipality}` });
  } else if (district.kind === 'advance' && report.category !== 'advance') {
    issues.push({ field: 'category', reason: `district ${ADVANCE_DISTRICT} holds advance votes only` });
  }
  const knownCodes = new Set(record.partyLists.map((list) => list.code));
  for (const code of Object.keys(report.votes)) {
    if (!knownCodes.has(code)) issues.push({ field: `votes.${code}`, reason: `unknown party list ${code} in municipality ${report.municipality}` });
  }
  const listVotes = Object.values(report.votes).reduce((sum, v) => sum + v, 0);
  if (listVotes + report.ballots.blank > report.ballots.counted) {
    issues.push({
      field: 'ballots.counted',
      reason: `votes (${listVotes}) + blank (${report.ballots.blank}) exceed ballots counted (${report.ballots.counted})`,
    });
  }
  issues.push(...checkTimestamp('countedAt', report.countedAt, now, pollsCloseAt));
  return issues;
}

/**
 * The municipality's counts of one stage may not add up to more ballots than it has voters. `elsewhere` is
 * the sum over its other current counts of that stage (checked inside the writing transaction).
 */
export function checkElectorateBound(report: ResultReport, elsewhere: number, electorate: number): FieldIssue[] {
  const total = elsewhere + report.ballots.counted + report.ballots.rejected;
  if (total <= electorate) return [];
  return [{
    field: 'ballots.counted',
    reason: `the municipality's ${report.stage} counts would add up to ${total} ballots, more than its electorate of ${electorate}`,
  }];
}

export function checkStatusReport(report: StatusReport, record: MunicipalityRecord, now: Date, pollsCloseAt: Date): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const known = new Map(record.districts.map((d) => [d.number, d]));
  const seen = new Set<string>();
  report.districts.forEach((number, index) => {
    const district = known.get(number);
    if (!district) issues.push({ field: `districts.${index}`, reason: `unknown district ${number} in municipality ${report.municipality}` });
    else if (district.kind === 'advance' && report.category !== 'advance') issues.push({ field: `districts.${index}`, reason: `district ${ADVANCE_DISTRICT} holds advance votes only` });
    if (seen.has(number)) issues.push({ field: `districts.${index}`, reason: `district ${number} is listed twice` });
    seen.add(number);
  });
  issues.push(...checkTimestamp('at', report.at, now, pollsCloseAt));
  return issues;
}

/** A time a source gives: not in the future beyond clock skew, not long before the election. */
export function checkTimestamp(field: string, value: string, now: Date, pollsCloseAt: Date): FieldIssue[] {
  const at = Date.parse(value);
  if (at - now.getTime() > MAX_CLOCK_SKEW_MS) return [{ field, reason: `lies in the future (${value}, now ${now.toISOString()})` }];
  const earliest = pollsCloseAt.getTime() - EARLIEST_BEFORE_POLLS_CLOSE_MS;
  if (at < earliest) return [{ field, reason: `lies more than 90 days before the polls close (${value}, earliest ${new Date(earliest).toISOString()})` }];
  return [];
}

export type VersionDecision<Seq = number> =
  | { kind: 'new' }
  | { kind: 'duplicate'; seq: Seq }
  | { kind: 'conflict'; reason: string };

/**
 * A report's version against what is stored for its district × category × stage: the same version with the
 * same content is a resend (answered with the original seq); the same version with other content, or a
 * version not above the current one, is a conflict. `Seq` lets a batch writer pass a reference to a seq
 * that is only drawn when its batch is appended.
 */
export function decideVersion<Seq = number>(
  incoming: { version: number; payloadHash: string },
  stored: { sameVersion?: { payloadHash: string; seq: Seq }; currentVersion?: number },
): VersionDecision<Seq> {
  if (stored.sameVersion) {
    if (stored.sameVersion.payloadHash === incoming.payloadHash) return { kind: 'duplicate', seq: stored.sameVersion.seq };
    return { kind: 'conflict', reason: `version ${incoming.version} was already accepted with different content; send a correction as a higher version` };
  }
  if (stored.currentVersion !== undefined && incoming.version <= stored.currentVersion) {
    return { kind: 'conflict', reason: `version ${incoming.version} is not above the current version ${stored.currentVersion}` };
  }
  return { kind: 'new' };
}

/** A stable text form of a report, so that an exact resend can be recognised by its hash. */
export function canonicalizeReport(report: ResultReport | StatusReport): string {
  return JSON.stringify(sortKeys(normalizeTimes(report)));
}

function normalizeTimes(report: ResultReport | StatusReport): unknown {
  if ('countedAt' in report) return { ...report, countedAt: new Date(report.countedAt).toISOString() };
  return { ...report, at: new Date(report.at).toISOString(), districts: [...report.districts].sort() };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}
