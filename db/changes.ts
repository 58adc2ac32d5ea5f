// The append-only change log. Its seq, assigned by the database, orders everything the sidecar broadcasts.
import { ZChangeEntry, type ChangeEntry } from '../lib/contracts/changes.ts';
import type { Db, Prisma } from './client.ts';

type Tx = Prisma.TransactionClient;

// Writers take this transaction-scoped lock before drawing a seq and hold it until commit, so seqs become
// visible in order: a reader that has seen seq N will never later find a smaller one appear.
const CHANGE_LOG_LOCK_KEY = 0x56_56_00_01;

export async function lockChangeLog(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHANGE_LOG_LOCK_KEY}::bigint)`;
}

export async function appendChange(
  tx: Tx,
  entry: { electionId: string; municipalityId: number; kind: ChangeEntry['kind']; actor: string; at: Date; payload: ChangeEntry['payload'] },
): Promise<bigint> {
  const row = await tx.changeLog.create({
    data: { electionId: entry.electionId, municipalityId: entry.municipalityId, kind: entry.kind, actor: entry.actor, at: entry.at, payload: entry.payload },
    select: { seq: true },
  });
  return row.seq;
}

/** Changes after `sinceSeq`, oldest first; only one municipality's when `municipality` is given. */
export async function listChangesSince(db: Db, electionId: string, sinceSeq: number, limit = 5000, municipality?: string): Promise<ChangeEntry[]> {
  const rows = await db.changeLog.findMany({
    where: { electionId, seq: { gt: BigInt(sinceSeq) }, ...(municipality ? { municipality: { number: municipality } } : {}) },
    orderBy: { seq: 'asc' },
    take: limit,
    select: { seq: true, kind: true, actor: true, at: true, payload: true },
  });
  return rows.map((row) => ZChangeEntry.parse({ seq: Number(row.seq), kind: row.kind, actor: row.actor, at: row.at.toISOString(), payload: row.payload }));
}

export async function findLatestSeq(db: Db, electionId: string): Promise<number> {
  const row = await db.changeLog.findFirst({ where: { electionId }, orderBy: { seq: 'desc' }, select: { seq: true } });
  return row ? Number(row.seq) : 0;
}
