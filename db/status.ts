// Status reports: which districts a municipality has finished counting locally. Kept whole for audit;
// local_count keeps the first time each district was declared counted. Decided inside an ingest batch's
// transaction (db/ingest.ts), each against the stored reports and the batch's earlier ones.
import type { StatusReportedPayload } from '../lib/contracts/changes.ts';
import type { StatusReport } from '../lib/contracts/ingest.ts';
import type { Prisma } from './client.ts';
import type { PendingChange } from './changes.ts';
import type { BatchDecision } from './results.ts';

type Tx = Prisma.TransactionClient;

export interface StatusReportInput {
  report: StatusReport;
  payloadHash: string;
  receivedAt: Date;
  credentialId: number | null;
  actor: string;
}

/** Database ids of a municipality's reference data, looked up once per batch. */
export interface StatusMunicipality {
  id: number;
  /** District number → id (at least the districts the batch's reports name). */
  districts: ReadonlyMap<string, number>;
}

export interface StatusBook {
  /** Decides one report against the stored reports and the reports this book accepted before it. */
  decide(input: StatusReportInput): BatchDecision;
  /** Writes the accepted reports; their changes must have been appended (their seqs drawn). */
  write(): Promise<void>;
}

/** Loads what deciding `inputs` needs; call under the change-log lock, in the transaction that writes. */
export async function openStatusBook(
  tx: Tx, electionId: string, municipalities: ReadonlyMap<string, StatusMunicipality>, inputs: readonly StatusReportInput[],
): Promise<StatusBook> {
  const involved = [...new Set(inputs.flatMap((input) => municipalities.get(input.report.municipality) ?? []))];
  const resends = new Map<string, PendingChange | { seq: bigint }>();
  const counted = new Set<string>();
  const countedKey = (districtId: number, report: StatusReport) => `${districtId}|${report.category}|${report.stage}`;
  if (involved.length > 0) {
    const stored = await tx.statusReport.findMany({
      where: { municipalityId: { in: involved.map((m) => m.id) }, payloadHash: { in: inputs.map((input) => input.payloadHash) } },
      select: { municipalityId: true, payloadHash: true, seq: true },
    });
    for (const row of stored) resends.set(`${row.municipalityId}|${row.payloadHash}`, { seq: row.seq });
    const known = await tx.localCount.findMany({
      where: { districtId: { in: involved.flatMap((m) => [...m.districts.values()]) } },
      select: { districtId: true, category: true, stage: true },
    });
    for (const row of known) counted.add(`${row.districtId}|${row.category}|${row.stage}`);
  }

  const accepted: Array<{ input: StatusReportInput; municipalityId: number; fresh: number[]; change: PendingChange }> = [];

  return {
    decide(input) {
      const { report } = input;
      const municipality = municipalities.get(report.municipality);
      if (!municipality) return { kind: 'invalid', issues: [{ field: 'municipality', reason: `unknown municipality ${report.municipality}` }] };
      const resend = resends.get(`${municipality.id}|${input.payloadHash}`);
      if (resend) return { kind: 'duplicate', of: resend };

      const districts = report.districts.flatMap((number) => {
        const id = municipality.districts.get(number);
        return id === undefined ? [] : [{ id, number }];
      });
      const fresh = districts.filter((d) => !counted.has(countedKey(d.id, report)));
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
      const change: PendingChange = {
        draft: { electionId, municipalityId: municipality.id, kind: 'status.reported', actor: input.actor, at: input.receivedAt, payload },
      };
      for (const d of fresh) counted.add(countedKey(d.id, report));
      resends.set(`${municipality.id}|${input.payloadHash}`, change);
      accepted.push({ input, municipalityId: municipality.id, fresh: fresh.map((d) => d.id), change });
      return { kind: 'created', change };
    },

    async write() {
      if (accepted.length === 0) return;
      const rows = await tx.statusReport.createManyAndReturn({
        data: accepted.map(({ input, municipalityId, change }) => ({
          municipalityId,
          category: input.report.category,
          stage: input.report.stage,
          at: new Date(input.report.at),
          receivedAt: input.receivedAt,
          districtNumbers: [...input.report.districts].sort(),
          payloadHash: input.payloadHash,
          seq: change.seq!,
          credentialId: input.credentialId,
        })),
        select: { id: true, seq: true },
      });
      const reportIds = new Map(rows.map((row) => [row.seq, row.id]));
      const localCounts = accepted.flatMap(({ input: { report }, fresh, change }) =>
        fresh.map((districtId) => ({ districtId, category: report.category, stage: report.stage, finishedAt: new Date(report.at), statusReportId: reportIds.get(change.seq!)! })));
      if (localCounts.length > 0) await tx.localCount.createMany({ data: localCounts });
    },
  };
}
