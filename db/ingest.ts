// Writes a batch of ingest reports (results and status) in one transaction under the change-log lock, so
// several reports share one commit. Each report is still decided on its own, in the batch's order, against
// the stored state plus the batch's earlier reports: exactly what writing them one after the other would
// decide. A refused report writes nothing and does not affect the others; the accepted ones get ascending
// seqs in batch order and commit together (or, if the transaction fails, not at all).
import type { Db } from './client.ts';
import { appendChanges, lockChangeLog, type PendingChange } from './changes.ts';
import { openResultBook, selectResultState, type BatchDecision, type RecordOutcome, type ResultMunicipality, type ResultReportInput, type ResultState } from './results.ts';
import { openStatusBook, selectStatusState, type StatusMunicipality, type StatusReportInput, type StatusState } from './status.ts';

export type IngestItem = { kind: 'result'; input: ResultReportInput } | { kind: 'status'; input: StatusReportInput };
export type IngestOutcome = RecordOutcome;

/**
 * Database ids of an election's reference data (municipalities, districts, party lists) by municipality
 * number. Reference data is fixed once seeded (the read model, too, loads it once), so a writer loads
 * these once and its batches need no lookups for them.
 */
export type ReferenceIds = ReadonlyMap<string, ResultMunicipality & StatusMunicipality>;

export async function loadReferenceIds(db: Db, electionId: string): Promise<ReferenceIds> {
  const rows = await db.municipality.findMany({
    where: { electionId },
    select: { id: true, number: true, electorate: true, districts: { select: { id: true, number: true } }, partyLists: { select: { id: true, code: true } } },
  });
  return new Map(rows.map((row) => [row.number, {
    id: row.id,
    electorate: row.electorate,
    districts: new Map(row.districts.map((d) => [d.number, d.id])),
    lists: new Map(row.partyLists.map((list) => [list.code, list.id])),
  }]));
}

const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 20_000 };

/**
 * Writes the reports `take` returns in one transaction and resolves, once it has committed, with one
 * outcome per report, in order. `take` is called once the transaction holds the change-log lock, so a
 * batch can take every report that arrived while it waited. Five round trips whatever the batch's size:
 * begin, lock, one read of everything the decisions need, one write of everything accepted, commit.
 */
export async function recordIngestBatch(db: Db, electionId: string, references: ReferenceIds, take: () => readonly IngestItem[]): Promise<IngestOutcome[]> {
  return db.$transaction(async (tx) => {
    // The read must come after the lock, in its own statement: it then sees every earlier writer's commit.
    await lockChangeLog(tx);
    const items = take();
    if (items.length === 0) return [];
    const results = items.flatMap((item) => (item.kind === 'result' ? [item.input] : []));
    const statuses = items.flatMap((item) => (item.kind === 'status' ? [item.input] : []));
    const [state] = await tx.$queryRaw<[{ results: ResultState; statuses: StatusState }]>`
      SELECT ${selectResultState(references, results)} AS results, ${selectStatusState(references, statuses)} AS statuses`;
    const resultBook = openResultBook(electionId, references, state.results);
    const statusBook = openStatusBook(electionId, references, state.statuses);
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
