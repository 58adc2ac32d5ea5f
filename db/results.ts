// Result reports, decided inside an ingest batch's transaction (db/ingest.ts): each report in turn against
// the stored counts and the batch's earlier reports (version, electorate bound), so a batch decides exactly
// as its reports one after the other would; then the accepted ones are written set-based. A refused report
// writes nothing.
import type { ResultAcceptedPayload } from '../lib/contracts/changes.ts';
import type { CountCategory, CountStage, FieldIssue, ResultReport } from '../lib/contracts/ingest.ts';
import { checkElectorateBound, decideVersion } from '../lib/domain/report-rules.ts';
import type { Prisma } from './client.ts';
import type { PendingChange, SeqRef } from './changes.ts';

type Tx = Prisma.TransactionClient;

export interface ResultReportInput {
  report: ResultReport;
  payloadHash: string;
  receivedAt: Date;
  credentialId: number | null;
  actor: string;
}

export type RecordOutcome =
  | { kind: 'created'; seq: number }
  | { kind: 'duplicate'; seq: number }
  | { kind: 'conflict'; reason: string }
  | { kind: 'invalid'; issues: FieldIssue[] };

/** A report decided in a batch; created and duplicate learn their seq once the batch's changes are appended. */
export type BatchDecision =
  | { kind: 'created'; change: PendingChange }
  | { kind: 'duplicate'; of: SeqRef }
  | { kind: 'conflict'; reason: string }
  | { kind: 'invalid'; issues: FieldIssue[] };

/** Database ids of a municipality's reference data, looked up once per batch. */
export interface ResultMunicipality {
  id: number;
  electorate: number;
  /** District number → id. */
  districts: ReadonlyMap<string, number>;
  /** Party list code → id. */
  lists: ReadonlyMap<string, number>;
}

export interface ResultBook {
  /** Decides one report against the stored counts and the reports this book accepted before it. */
  decide(input: ResultReportInput): BatchDecision;
  /** Writes the accepted reports; their changes must have been appended (their seqs drawn). */
  write(): Promise<void>;
}

interface Unit {
  districtId: number;
  category: CountCategory;
  stage: CountStage;
}

interface CurrentCount {
  stage: CountStage;
  version: number;
  counted: number;
  rejected: number;
  blank: number;
}

const unitKey = (unit: Unit) => `${unit.districtId}|${unit.category}|${unit.stage}`;

/** Loads what deciding `inputs` needs; call under the change-log lock, in the transaction that writes. */
export async function openResultBook(
  tx: Tx, electionId: string, municipalities: ReadonlyMap<string, ResultMunicipality>, inputs: readonly ResultReportInput[],
): Promise<ResultBook> {
  const municipalityIds = [...new Set(inputs.flatMap((input) => municipalities.get(input.report.municipality)?.id ?? []))];
  // Every current count of the batch's municipalities: versions to compare with, and the sums the
  // electorate bound needs. Kept up to date as the batch accepts reports.
  const current = new Map<number, Map<string, CurrentCount>>(municipalityIds.map((id) => [id, new Map()]));
  if (municipalityIds.length > 0) {
    const rows = await tx.$queryRaw<Array<Unit & { municipalityId: number; version: number; counted: number; rejected: number; blank: number }>>`
      SELECT d.municipality_id AS "municipalityId", c.district_id AS "districtId", c.category::text AS category, c.stage::text AS stage,
        r.version, r.ballots_counted AS counted, r.ballots_rejected AS rejected, r.ballots_blank AS blank
      FROM current_result c
      JOIN district d ON d.id = c.district_id
      JOIN result_report r ON r.id = c.report_id
      WHERE d.municipality_id = ANY(${municipalityIds}::int[])`;
    for (const row of rows) current.get(row.municipalityId)!.set(unitKey(row), row);
  }

  // Stored versions, for resends and conflicts. Only a report at or below its unit's current version can be
  // either (current is always the highest accepted version), so only those are looked up.
  const versions = new Map<string, { payloadHash: string; ref: SeqRef }>();
  const lookups = inputs.flatMap((input) => {
    const municipality = municipalities.get(input.report.municipality);
    const districtId = municipality?.districts.get(input.report.district);
    if (!municipality || districtId === undefined) return [];
    const unit: Unit = { districtId, category: input.report.category, stage: input.report.stage };
    const stored = current.get(municipality.id)?.get(unitKey(unit));
    return stored && stored.version >= input.report.version ? [{ ...unit, version: input.report.version }] : [];
  });
  if (lookups.length > 0) {
    const rows = await tx.$queryRaw<Array<Unit & { version: number; payloadHash: string; seq: bigint }>>`
      SELECT r.district_id AS "districtId", r.category::text AS category, r.stage::text AS stage, r.version,
        r.payload_hash AS "payloadHash", r.seq
      FROM result_report r
      JOIN unnest(${lookups.map((l) => l.districtId)}::int[], ${lookups.map((l) => l.category)}::text[],
        ${lookups.map((l) => l.stage)}::text[], ${lookups.map((l) => l.version)}::int[]) AS k(district_id, category, stage, version)
        ON r.district_id = k.district_id AND r.category = k.category::count_category AND r.stage = k.stage::count_stage
        AND r.version = k.version`;
    for (const row of rows) versions.set(`${unitKey(row)}|${row.version}`, { payloadHash: row.payloadHash, ref: { seq: row.seq } });
  }

  const accepted: Array<{ input: ResultReportInput; unit: Unit; lists: ReadonlyMap<string, number>; change: PendingChange }> = [];

  return {
    decide(input) {
      const { report } = input;
      const municipality = municipalities.get(report.municipality);
      const districtId = municipality?.districts.get(report.district);
      if (!municipality || districtId === undefined) return { kind: 'invalid', issues: [{ field: 'district', reason: `unknown district ${report.district}` }] };
      const unit: Unit = { districtId, category: report.category, stage: report.stage };
      const key = unitKey(unit);
      const counts = current.get(municipality.id)!;
      const previous = counts.get(key);
      const sameVersion = versions.get(`${key}|${report.version}`);
      const decision = decideVersion(
        { version: report.version, payloadHash: input.payloadHash },
        { sameVersion: sameVersion && { payloadHash: sameVersion.payloadHash, seq: sameVersion.ref }, currentVersion: previous?.version },
      );
      if (decision.kind === 'duplicate') return { kind: 'duplicate', of: decision.seq };
      if (decision.kind === 'conflict') return decision;

      let elsewhere = 0;
      for (const [otherKey, count] of counts) if (count.stage === report.stage && otherKey !== key) elsewhere += count.counted + count.rejected;
      const issues = checkElectorateBound(report, elsewhere, municipality.electorate);
      if (issues.length > 0) return { kind: 'invalid', issues };

      const unknown = Object.keys(report.votes).filter((code) => !municipality.lists.has(code));
      if (unknown.length > 0) return { kind: 'invalid', issues: unknown.map((code) => ({ field: `votes.${code}`, reason: `unknown party list ${code}` })) };

      const payload: ResultAcceptedPayload = {
        municipality: report.municipality,
        district: report.district,
        category: report.category,
        stage: report.stage,
        version: report.version,
        previousVersion: previous?.version ?? null,
        countedAt: new Date(report.countedAt).toISOString(),
        receivedAt: input.receivedAt.toISOString(),
        ballots: report.ballots,
        previousBallots: previous ? { counted: previous.counted, rejected: previous.rejected, blank: previous.blank } : null,
        votes: report.votes,
      };
      const change: PendingChange = {
        draft: { electionId, municipalityId: municipality.id, kind: 'result.accepted', actor: input.actor, at: input.receivedAt, payload },
      };
      counts.set(key, { stage: report.stage, version: report.version, ...report.ballots });
      versions.set(`${key}|${report.version}`, { payloadHash: input.payloadHash, ref: change });
      accepted.push({ input, unit, lists: municipality.lists, change });
      return { kind: 'created', change };
    },

    async write() {
      if (accepted.length === 0) return;
      const rows = await tx.resultReport.createManyAndReturn({
        data: accepted.map(({ input: { report, ...input }, unit, change }) => ({
          ...unit,
          version: report.version,
          countedAt: new Date(report.countedAt),
          receivedAt: input.receivedAt,
          ballotsCounted: report.ballots.counted,
          ballotsRejected: report.ballots.rejected,
          ballotsBlank: report.ballots.blank,
          payloadHash: input.payloadHash,
          seq: change.seq!,
          credentialId: input.credentialId,
        })),
        select: { id: true, seq: true },
      });
      const reportIds = new Map(rows.map((row) => [row.seq, row.id]));
      const reportId = (change: PendingChange) => reportIds.get(change.seq!)!;
      const votes = accepted.flatMap(({ input, lists, change }) =>
        Object.entries(input.report.votes).map(([code, votes]) => ({ reportId: reportId(change), partyListId: lists.get(code)!, votes })));
      if (votes.length > 0) await tx.reportVote.createMany({ data: votes });
      // The last accepted version of each unit becomes current (a batch may hold a unit's version and its correction).
      const latest = new Map(accepted.map(({ unit, change }) => [unitKey(unit), { ...unit, reportId: reportId(change) }]));
      const units = [...latest.values()];
      await tx.$executeRaw`
        INSERT INTO current_result (district_id, category, stage, report_id)
        SELECT k.district_id, k.category::count_category, k.stage::count_stage, k.report_id
        FROM unnest(${units.map((u) => u.districtId)}::int[], ${units.map((u) => u.category)}::text[],
          ${units.map((u) => u.stage)}::text[], ${units.map((u) => u.reportId)}::bigint[]) AS k(district_id, category, stage, report_id)
        ON CONFLICT (district_id, category, stage) DO UPDATE SET report_id = EXCLUDED.report_id`;
    },
  };
}
