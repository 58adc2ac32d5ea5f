// The append-only change log. Its seq, assigned by the database, orders everything the sidecar broadcasts.
import { ZChangeEntry, type ChangeDraft, type ChangeEntry } from '../lib/contracts/changes.ts';
import { Prisma, type Db } from './client.ts';

type Tx = Prisma.TransactionClient;

export type { ChangeDraft };

// Writers take this transaction-scoped lock before drawing a seq and hold it until commit, so seqs become
// visible in order: a reader that has seen seq N will never later find a smaller one appear.
export const CHANGE_LOG_LOCK_KEY = 0x56_56_00_01;

export async function lockChangeLog(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHANGE_LOG_LOCK_KEY}::bigint)`;
}

export async function appendChange(tx: Tx, entry: ChangeDraft): Promise<bigint> {
  const row = await tx.changeLog.create({
    data: { electionId: entry.electionId, municipalityId: entry.municipalityId, kind: entry.kind, actor: entry.actor, at: entry.at, payload: entry.payload },
    select: { seq: true },
  });
  return row.seq;
}

/** A change appended with others; its seq is set when they are appended (`appendChanges`). */
export interface PendingChange {
  draft: ChangeDraft;
  seq?: bigint;
}

/** Changes as `ingest_batch_append` takes them: `position` is each one's 1-based place in the batch. */
export function toChangeRows(drafts: readonly ChangeDraft[]) {
  return drafts.map((draft, i) => ({
    position: i + 1, election_id: draft.electionId, municipality_id: draft.municipalityId, kind: draft.kind, actor: draft.actor, at: draft.at.toISOString(), payload: draft.payload,
  }));
}

/** Checks that `ingest_batch_append` answered one seq per change (they come back in the changes' order). */
export function checkSeqCount(changes: number, seqs: ReadonlyArray<string | bigint>): void {
  if (seqs.length !== changes) throw new Error(`appended ${changes} changes but got ${seqs.length} seqs`);
}

/**
 * Appends changes in one statement, under the caller's lock, through `ingest_batch_append` (migration
 * `ingest_batch_functions`): seqs are drawn and handed out in ascending order along `changes`, so their
 * order is their seq order whatever order the database draws them in.
 */
export async function appendChanges(tx: Tx, changes: readonly PendingChange[]): Promise<void> {
  if (changes.length === 0) return;
  const [row] = await tx.$queryRaw<[{ seqs: bigint[] }]>`
    SELECT ingest_batch_append(${JSON.stringify(toChangeRows(changes.map((change) => change.draft)))}::jsonb, '[]'::jsonb, '[]'::jsonb) AS seqs`;
  checkSeqCount(changes.length, row.seqs);
  changes.forEach((change, i) => {
    change.seq = BigInt(row.seqs[i]!);
  });
}

/** Changes after `sinceSeq`, oldest first; only one municipality's when `municipality` is given. */
/** Kinds to leave out of a listing (the public revision log leaves out the feed's statuses). */
export interface KindFilter {
  exclude: readonly ChangeEntry['kind'][];
}
const kindWhere = (kinds?: KindFilter) => (kinds ? { kind: { notIn: [...kinds.exclude] } } : {});

export async function listChangesSince(db: Db, electionId: string, sinceSeq: number, limit = 5000, municipality?: string, kinds?: KindFilter): Promise<ChangeEntry[]> {
  const rows = await db.changeLog.findMany({
    where: { electionId, seq: { gt: BigInt(sinceSeq) }, ...(municipality ? { municipality: { number: municipality } } : {}), ...kindWhere(kinds) },
    orderBy: { seq: 'asc' },
    take: limit,
    select: { seq: true, kind: true, actor: true, at: true, payload: true },
  });
  return rows.map((row) => ZChangeEntry.parse({ seq: Number(row.seq), kind: row.kind, actor: row.actor, at: row.at.toISOString(), payload: row.payload }));
}

/** The newest `limit` changes below `beforeSeq` (and after `sinceSeq`), oldest first: a page back through the log. */
export async function listChangesBefore(
  db: Db, electionId: string, beforeSeq: number, limit: number, municipality?: string, sinceSeq = 0, kinds?: KindFilter,
): Promise<ChangeEntry[]> {
  const rows = await db.changeLog.findMany({
    where: { electionId, seq: { lt: BigInt(beforeSeq), gt: BigInt(sinceSeq) }, ...(municipality ? { municipality: { number: municipality } } : {}), ...kindWhere(kinds) },
    orderBy: { seq: 'desc' },
    take: limit,
    select: { seq: true, kind: true, actor: true, at: true, payload: true },
  });
  return rows.toReversed().map((row) => ZChangeEntry.parse({ seq: Number(row.seq), kind: row.kind, actor: row.actor, at: row.at.toISOString(), payload: row.payload }));
}

export async function findLatestSeq(db: Db, electionId: string): Promise<number> {
  const row = await db.changeLog.findFirst({ where: { electionId }, orderBy: { seq: 'desc' }, select: { seq: true } });
  return row ? Number(row.seq) : 0;
}

/** The clock time of the newest change (null for an empty log): where a restarted simulated clock resumes. */
export async function findLatestChangeAt(db: Db, electionId: string): Promise<Date | null> {
  const row = await db.changeLog.aggregate({ where: { electionId }, _max: { at: true } });
  return row._max.at;
}
