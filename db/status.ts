// Status reports: which districts a municipality has finished counting locally. Kept whole for audit;
// local_count keeps the first time each district was declared counted.
import type { StatusReportedPayload } from '../lib/contracts/changes.ts';
import type { StatusReport } from '../lib/contracts/ingest.ts';
import type { Db } from './client.ts';
import { appendChange, lockChangeLog } from './changes.ts';

export interface StatusReportInput {
  electionId: string;
  report: StatusReport;
  payloadHash: string;
  receivedAt: Date;
  credentialId: number | null;
  actor: string;
}

export type StatusOutcome = { kind: 'created'; seq: number } | { kind: 'duplicate'; seq: number };

export async function recordStatusReport(db: Db, input: StatusReportInput): Promise<StatusOutcome> {
  const { report } = input;
  return db.$transaction(async (tx) => {
    await lockChangeLog(tx);
    const municipality = await tx.municipality.findUniqueOrThrow({
      where: { electionId_number: { electionId: input.electionId, number: report.municipality } },
      select: { id: true, districts: { where: { number: { in: report.districts } }, select: { id: true, number: true } } },
    });
    const resend = await tx.statusReport.findUnique({
      where: { municipalityId_payloadHash: { municipalityId: municipality.id, payloadHash: input.payloadHash } },
      select: { seq: true },
    });
    if (resend) return { kind: 'duplicate', seq: Number(resend.seq) };

    const known = await tx.localCount.findMany({
      where: { districtId: { in: municipality.districts.map((d) => d.id) }, category: report.category, stage: report.stage },
      select: { districtId: true },
    });
    const knownIds = new Set(known.map((k) => k.districtId));
    const fresh = municipality.districts.filter((d) => !knownIds.has(d.id));
    const at = new Date(report.at);
    const payload: StatusReportedPayload = {
      municipality: report.municipality,
      category: report.category,
      stage: report.stage,
      at: at.toISOString(),
      receivedAt: input.receivedAt.toISOString(),
      districts: [...report.districts].sort(),
      newlyCounted: fresh.map((d) => d.number).sort(),
    };
    const seq = await appendChange(tx, {
      electionId: input.electionId, municipalityId: municipality.id, kind: 'status.reported', actor: input.actor, at: input.receivedAt, payload,
    });
    const row = await tx.statusReport.create({
      data: {
        municipalityId: municipality.id, category: report.category, stage: report.stage, at, receivedAt: input.receivedAt,
        districtNumbers: payload.districts, payloadHash: input.payloadHash, seq, credentialId: input.credentialId,
      },
      select: { id: true },
    });
    await tx.localCount.createMany({
      data: fresh.map((d) => ({ districtId: d.id, category: report.category, stage: report.stage, finishedAt: at, statusReportId: row.id })),
    });
    return { kind: 'created', seq: Number(seq) };
  }, { maxWait: 10_000, timeout: 20_000 });
}
