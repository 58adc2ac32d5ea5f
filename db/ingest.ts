// Writes a batch of ingest reports (results and status) in one transaction under the change-log lock, so
// several reports share one commit. Each report is still decided on its own, in the batch's order, against
// the stored state plus the batch's earlier reports: exactly what writing them one after the other would
// decide. A refused report writes nothing and does not affect the others; the accepted ones get ascending
// seqs in batch order and commit together (or, if the transaction fails, not at all).
import { Prisma, type Db } from './client.ts';
import { appendChanges, lockChangeLog, type PendingChange } from './changes.ts';
import { openResultBook, selectResultState, type BatchDecision, type RecordOutcome, type ResultReportInput, type ResultState } from './results.ts';
import { openStatusBook, selectStatusState, type StatusReportInput, type StatusState } from './status.ts';

export type IngestItem = { kind: 'result'; input: ResultReportInput } | { kind: 'status'; input: StatusReportInput };
export type IngestOutcome = RecordOutcome;

const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 20_000 };

/**
 * Writes the reports `take` returns in one transaction and resolves, once it has committed, with one
 * outcome per report, in order. `take` is called once the transaction holds the change-log lock, so a
 * batch can take every report that arrived while it waited. Five round trips whatever the batch's size:
 * begin, lock, one read of everything the decisions need, one write of everything accepted, commit.
 */
export async function recordIngestBatch(db: Db, electionId: string, take: () => readonly IngestItem[]): Promise<IngestOutcome[]> {
  return db.$transaction(async (tx) => {
    // The read must come after the lock, in its own statement: it then sees every earlier writer's commit.
    await lockChangeLog(tx);
    const items = take();
    if (items.length === 0) return [];
    const results = items.flatMap((item) => (item.kind === 'result' ? [item.input] : []));
    const statuses = items.flatMap((item) => (item.kind === 'status' ? [item.input] : []));
    const [state] = await tx.$queryRaw<[{ municipalities: BatchMunicipality[]; results: ResultState; statuses: StatusState }]>`
      SELECT ${selectMunicipalities(electionId, items)} AS municipalities,
        ${selectResultState(electionId, results)} AS results,
        ${selectStatusState(electionId, statuses)} AS statuses`;
    const municipalities = new Map(state.municipalities.map((m) => [m.number, {
      id: m.id, electorate: m.electorate, districts: new Map(Object.entries(m.districts)), lists: new Map(Object.entries(m.lists)),
    }]));
    const resultBook = openResultBook(electionId, municipalities, state.results);
    const statusBook = openStatusBook(electionId, municipalities, state.statuses);
    const decisions = items.map((item) => (item.kind === 'result' ? resultBook.decide(item.input) : statusBook.decide(item.input)));
    const changes = decisions.flatMap((decision) => (decision.kind === 'created' ? [decision.change] : []));
    const positions = new Map(changes.map((change, i) => [change, i + 1]));
    const position = (change: PendingChange) => positions.get(change)!;
    await appendChanges(tx, changes, [...resultBook.writes(position), ...statusBook.writes(position)]);
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

interface BatchMunicipality {
  id: number;
  number: string;
  electorate: number;
  /** District number → id, for the districts the batch names. */
  districts: Record<string, number>;
  /** Party list code → id. */
  lists: Record<string, number>;
}

/** The batch's municipalities with the ids of the districts its reports name and of their party lists: jsonb `BatchMunicipality[]`. */
function selectMunicipalities(electionId: string, items: readonly IngestItem[]): Prisma.Sql {
  const numbers = [...new Set(items.map((item) => item.input.report.municipality))];
  const districtNumbers = [...new Set(items.flatMap((item) => (item.kind === 'result' ? [item.input.report.district] : item.input.report.districts)))];
  return Prisma.sql`(SELECT COALESCE(jsonb_agg(jsonb_build_object(
      'id', m.id, 'number', m.number, 'electorate', m.electorate,
      'districts', (SELECT COALESCE(jsonb_object_agg(d.number, d.id), '{}') FROM district d
        WHERE d.municipality_id = m.id AND d.number = ANY(${districtNumbers}::bpchar[])),
      'lists', (SELECT COALESCE(jsonb_object_agg(p.code, p.id), '{}') FROM party_list p WHERE p.municipality_id = m.id))), '[]')
    FROM municipality m
    WHERE m.election_id = ${electionId} AND m.number = ANY(${numbers}::bpchar[]))`;
}
