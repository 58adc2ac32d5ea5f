// Writes a batch of ingest reports (results and status) in one transaction under the change-log lock, so
// several reports share one commit. Each report is still decided on its own, in the batch's order, against
// the stored state plus the batch's earlier reports: exactly what writing them one after the other would
// decide. A refused report writes nothing and does not affect the others; the accepted ones get ascending
// seqs in batch order and commit together (or, if the transaction fails, not at all).
import type { Db, Prisma } from './client.ts';
import { appendChanges, lockChangeLog } from './changes.ts';
import { openResultBook, type BatchDecision, type RecordOutcome, type ResultReportInput } from './results.ts';
import { openStatusBook, type StatusReportInput } from './status.ts';

type Tx = Prisma.TransactionClient;

export type IngestItem = { kind: 'result'; input: ResultReportInput } | { kind: 'status'; input: StatusReportInput };
export type IngestOutcome = RecordOutcome;

const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 20_000 };

/** One outcome per item, in order; resolves once the batch has committed. */
export async function recordIngestBatch(db: Db, electionId: string, items: readonly IngestItem[]): Promise<IngestOutcome[]> {
  if (items.length === 0) return [];
  return db.$transaction(async (tx) => {
    await lockChangeLog(tx);
    const municipalities = await findBatchMunicipalities(tx, electionId, items);
    const results = await openResultBook(tx, electionId, municipalities, items.flatMap((item) => (item.kind === 'result' ? [item.input] : [])));
    const statuses = await openStatusBook(tx, electionId, municipalities, items.flatMap((item) => (item.kind === 'status' ? [item.input] : [])));
    const decisions = items.map((item) => (item.kind === 'result' ? results.decide(item.input) : statuses.decide(item.input)));
    await appendChanges(tx, decisions.flatMap((decision) => (decision.kind === 'created' ? [decision.change] : [])));
    await results.write();
    await statuses.write();
    return decisions.map(toOutcome);
  }, TRANSACTION_OPTIONS);
}

function toOutcome(decision: BatchDecision): IngestOutcome {
  switch (decision.kind) {
    case 'created':
      return { kind: 'created', seq: Number(decision.change.seq) };
    case 'duplicate':
      return { kind: 'duplicate', seq: Number(decision.of.seq) };
    default:
      return decision;
  }
}

/** The batch's municipalities with the ids of the districts its reports name and of their party lists (one round trip). */
async function findBatchMunicipalities(tx: Tx, electionId: string, items: readonly IngestItem[]) {
  const numbers = [...new Set(items.map((item) => item.input.report.municipality))];
  const districtNumbers = [...new Set(items.flatMap((item) => (item.kind === 'result' ? [item.input.report.district] : item.input.report.districts)))];
  const rows = await tx.$queryRaw<Array<{ id: number; number: string; electorate: number; districts: Record<string, number>; lists: Record<string, number> }>>`
    SELECT m.id, m.number, m.electorate,
      (SELECT COALESCE(jsonb_object_agg(d.number, d.id), '{}') FROM district d
        WHERE d.municipality_id = m.id AND d.number = ANY(${districtNumbers}::text[])) AS districts,
      (SELECT COALESCE(jsonb_object_agg(p.code, p.id), '{}') FROM party_list p WHERE p.municipality_id = m.id) AS lists
    FROM municipality m
    WHERE m.election_id = ${electionId} AND m.number = ANY(${numbers}::text[])`;
  return new Map(rows.map((row) => [row.number, {
    id: row.id,
    electorate: row.electorate,
    districts: new Map(Object.entries(row.districts)),
    lists: new Map(Object.entries(row.lists)),
  }]));
}
