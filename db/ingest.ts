// Writes a batch of ingest reports (results and status) in one transaction under the change-log lock, so
// several reports share one commit. This module only reads the stored state and writes rows; the decision
// (each report in the batch's order against that state plus its earlier batch-mates, exactly what writing
// them one after the other would decide) is the pure `decideIngestBatch` (lib/intake/decide.ts). A refused
// report writes nothing and does not affect the others; the accepted ones get ascending seqs in batch order
// and commit together (or, if the transaction fails, not at all).
import type pg from 'pg';
import type { Db } from './client.ts';
import { CHANGE_LOG_LOCK_KEY, checkSeqCount, toChangeRows, type ChangeDraft } from './changes.ts';
import { decideIngestBatch, listIngestStateKeys, toIngestOutcomes, toWrittenChanges, type IngestItem, type IngestOutcome, type IngestState, type ReferenceIds, type WrittenChanges } from '../lib/intake/decide.ts';

/** The election's reference ids by municipality number; fixed once seeded, so a writer loads them once. */
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

// The batch's four messages. Constant text, so the server parses the same statements every time (and
// PL/pgSQL keeps the functions' plans per connection); parameters are arrays and JSON documents.
// 1. One simple-protocol message: the transaction, its limit (a statement that waits for the lock or runs
//    longer than 20 s gives up, as Prisma's transaction timeout did, and the writer retries the batch's
//    reports one by one, see server/intake/writer.ts), and the lock.
export const BEGIN_AND_LOCK = `BEGIN; SET LOCAL statement_timeout = '20s'; SELECT pg_advisory_xact_lock(${CHANGE_LOG_LOCK_KEY}::bigint)`;
// 2. Everything the decisions need, in one statement after the lock, so it sees every earlier writer's commit;
//    with it the election's latest seq, after which this batch's changes will be the next in its log.
export const READ_STATE = `SELECT ingest_batch_state($1::int[], $2::count_category[], $3::count_stage[], $4::int[], $5::int[],
  $6::int[], $7::text[], $8::int[]) AS state, (SELECT max(seq) FROM change_log WHERE election_id = $9::text) AS latest_seq`;
// 3. Every accepted report with its change (skipped when the batch accepts nothing).
export const APPEND = 'SELECT ingest_batch_append($1::jsonb, $2::jsonb, $3::jsonb) AS seqs';
// 4. COMMIT: only after it does a report count as written (201).

/** Where a batch gets its connection: the client's pg.Pool (`getPool`), or a wrapper of it in tests. */
export interface ConnectionSource {
  connect(): Promise<pg.PoolClient>;
}

/**
 * Writes the reports `take` returns in one transaction on a connection from `pool` and resolves, once it
 * has committed, with one outcome per report, in order. `take` is called once the transaction holds the
 * change-log lock, so a batch can take every report that arrived while it waited. Four round trips
 * whatever the batch's size (three if it accepts nothing, two if it takes nothing). Once committed, the
 * changes it appended are handed to `onCommitted` (before the outcomes resolve), so the process can apply
 * them without reading back what it just wrote; null if they could not be put in the log's form (a bug,
 * logged by the caller), when the caller reads them from the log instead.
 */
export async function recordIngestBatch(
  pool: ConnectionSource, electionId: string, references: ReferenceIds, take: () => readonly IngestItem[], onCommitted?: (written: WrittenChanges | null) => void,
): Promise<IngestOutcome[]> {
  const client = await pool.connect();
  // A connection that failed mid-transaction (or could not roll back) is closed rather than reused.
  let broken: Error | undefined;
  // The pool listens for errors only on idle connections. One that breaks while the batch holds it but
  // has no query running (the server shutting down between two round trips) would otherwise throw an
  // unhandled 'error' and end the process; the next query then fails, and the batch with it.
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    await client.query(BEGIN_AND_LOCK);
    const items = take();
    let outcomes: IngestOutcome[] = [];
    let appended: { latestSeq: string | null; drafts: ChangeDraft[]; seqs: string[] } | undefined;
    if (items.length > 0) {
      const { state, latest_seq: latestSeq } = onlyRow(await client.query<{ state: IngestState; latest_seq: string | null }>(READ_STATE, [...listIngestStateKeys(references, items), electionId]));
      const plan = decideIngestBatch(electionId, references, state, items);
      let seqs: string[] = [];
      if (plan.changes.length > 0) {
        ({ seqs } = onlyRow(await client.query<{ seqs: string[] }>(APPEND, [
          JSON.stringify(toChangeRows(plan.changes)), JSON.stringify(plan.results), JSON.stringify(plan.statuses),
        ])));
        checkSeqCount(plan.changes.length, seqs);
        appended = { latestSeq, drafts: plan.changes, seqs };
      }
      outcomes = toIngestOutcomes(plan.decisions, seqs);
    }
    await client.query('COMMIT');
    // After the commit, so the lock is not held for it.
    if (appended && onCommitted) onCommitted(toWrittenChangesOrNull(appended));
    return outcomes;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

function toWrittenChangesOrNull({ latestSeq, drafts, seqs }: { latestSeq: string | null; drafts: ChangeDraft[]; seqs: string[] }): WrittenChanges | null {
  try {
    return toWrittenChanges(Number(latestSeq ?? 0), drafts, seqs);
  } catch {
    return null;
  }
}

/** The one row a `SELECT function(...)` answers. */
function onlyRow<T extends pg.QueryResultRow>(result: pg.QueryResult<T>): T {
  const [row] = result.rows;
  if (!row || result.rows.length > 1) throw new Error(`expected one row, got ${result.rows.length}`);
  return row;
}
