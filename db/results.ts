// Result reports: one transaction per report that decides its version, checks the electorate bound
// against the stored counts, appends the change and moves "current" — or changes nothing.
import type { ResultAcceptedPayload } from '../lib/contracts/changes.ts';
import type { FieldIssue, ResultReport } from '../lib/contracts/ingest.ts';
import { checkElectorateBound, decideVersion } from '../lib/domain/report-rules.ts';
import type { Db } from './client.ts';
import { appendChange, lockChangeLog } from './changes.ts';

export interface ResultReportInput {
  electionId: string;
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

const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 20_000 };

export async function recordResultReport(db: Db, input: ResultReportInput): Promise<RecordOutcome> {
  const { report } = input;
  return db.$transaction(async (tx) => {
    await lockChangeLog(tx);
    const district = await tx.district.findFirst({
      where: { number: report.district, municipality: { electionId: input.electionId, number: report.municipality } },
      select: { id: true, municipality: { select: { id: true, electorate: true, partyLists: { select: { id: true, code: true } } } } },
    });
    if (!district) return { kind: 'invalid', issues: [{ field: 'district', reason: `unknown district ${report.district}` }] };
    const unit = { districtId: district.id, category: report.category, stage: report.stage };
    const sameVersion = await tx.resultReport.findUnique({
      where: { districtId_category_stage_version: { ...unit, version: report.version } },
      select: { payloadHash: true, seq: true },
    });
    const current = await tx.currentResult.findUnique({
      where: { districtId_category_stage: unit },
      select: { report: { select: { id: true, version: true, ballotsCounted: true, ballotsRejected: true, ballotsBlank: true } } },
    });
    const decision = decideVersion(
      { version: report.version, payloadHash: input.payloadHash },
      {
        sameVersion: sameVersion ? { payloadHash: sameVersion.payloadHash, seq: Number(sameVersion.seq) } : undefined,
        currentVersion: current?.report.version,
      },
    );
    if (decision.kind !== 'new') return decision;

    const [elsewhere] = await tx.$queryRaw<Array<{ ballots: number }>>`
      SELECT COALESCE(SUM(r.ballots_counted + r.ballots_rejected), 0)::int AS ballots
      FROM current_result c
      JOIN result_report r ON r.id = c.report_id
      JOIN district d ON d.id = c.district_id
      WHERE d.municipality_id = ${district.municipality.id} AND c.stage = ${report.stage}::count_stage
        AND NOT (c.district_id = ${district.id} AND c.category = ${report.category}::count_category)`;
    const issues = checkElectorateBound(report, elsewhere?.ballots ?? 0, district.municipality.electorate);
    if (issues.length > 0) return { kind: 'invalid', issues };

    const listIds = new Map(district.municipality.partyLists.map((list) => [list.code, list.id]));
    const unknown = Object.keys(report.votes).filter((code) => !listIds.has(code));
    if (unknown.length > 0) return { kind: 'invalid', issues: unknown.map((code) => ({ field: `votes.${code}`, reason: `unknown party list ${code}` })) };

    const previous = current?.report;
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
      previousBallots: previous ? { counted: previous.ballotsCounted, rejected: previous.ballotsRejected, blank: previous.ballotsBlank } : null,
      votes: report.votes,
    };
    const seq = await appendChange(tx, {
      electionId: input.electionId,
      municipalityId: district.municipality.id,
      kind: 'result.accepted',
      actor: input.actor,
      at: input.receivedAt,
      payload,
    });
    const created = await tx.resultReport.create({
      data: {
        ...unit,
        version: report.version,
        countedAt: new Date(report.countedAt),
        receivedAt: input.receivedAt,
        ballotsCounted: report.ballots.counted,
        ballotsRejected: report.ballots.rejected,
        ballotsBlank: report.ballots.blank,
        payloadHash: input.payloadHash,
        seq,
        credentialId: input.credentialId,
        votes: { create: Object.entries(report.votes).map(([code, votes]) => ({ partyListId: listIds.get(code)!, votes })) },
      },
      select: { id: true },
    });
    await tx.currentResult.upsert({
      where: { districtId_category_stage: unit },
      create: { ...unit, reportId: created.id },
      update: { reportId: created.id },
    });
    return { kind: 'created', seq: Number(seq) };
  }, TRANSACTION_OPTIONS);
}
