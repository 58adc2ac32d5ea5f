// What operators do: acknowledge alerts, mark a municipality under review, write a public note, edit the
// watchlist. Each is
// an append-only change with the operator as actor and before/after.
import type { AcknowledgeAlert, Alert, SetOversight, WatchlistAnswer } from '../lib/contracts/ops.ts';
import { decideWatchChange } from '../lib/domain/watchlist.ts';
import type { Db, Prisma } from './client.ts';
import { appendChange, lockChangeLog } from './changes.ts';
import { appendAlertChange, toAlert } from './states.ts';

type Tx = Prisma.TransactionClient;

async function changeOversight(tx: Tx, electionId: string, municipality: { id: number; number: string }, change: SetOversight, by: string, at: Date): Promise<bigint | null> {
  const held = await tx.oversight.findUnique({ where: { municipalityId: municipality.id } });
  const before = { underReview: held?.underReview ?? false, publicNote: held?.publicNote ?? null };
  const after = {
    underReview: change.underReview ?? before.underReview,
    publicNote: change.publicNote === undefined ? before.publicNote : change.publicNote || null,
  };
  if (after.underReview === before.underReview && after.publicNote === before.publicNote) return null;
  await tx.oversight.upsert({
    where: { municipalityId: municipality.id },
    create: { municipalityId: municipality.id, ...after, updatedBy: by, updatedAt: at },
    update: { ...after, updatedBy: by, updatedAt: at },
  });
  return appendChange(tx, { electionId, municipalityId: municipality.id, kind: 'oversight.changed', actor: `operator:${by}`, at, payload: { municipality: municipality.number, before, after, by } });
}

export type AckOutcome = { kind: 'ok'; alert: Alert; seq: number } | { kind: 'not_found' } | { kind: 'resolved' };

export async function acknowledgeAlert(db: Db, electionId: string, alertId: number, ack: AcknowledgeAlert, by: string, at: Date): Promise<AckOutcome> {
  return db.$transaction(async (tx) => {
    await lockChangeLog(tx);
    const row = await tx.alert.findUnique({ where: { id: alertId }, include: { municipality: { select: { id: true, number: true, name: true, electionId: true } } } });
    if (!row || row.municipality.electionId !== electionId) return { kind: 'not_found' };
    if (row.status === 'resolved') return { kind: 'resolved' };
    const updated = await tx.alert.update({
      where: { id: alertId },
      data: {
        status: 'acknowledged', acknowledgedAt: at, acknowledgedBy: ack.owner, ackReasonCode: ack.reasonCode, ackText: ack.text || null,
        ackExpiresAt: new Date(at.getTime() + ack.expiresInMinutes * 60_000),
      },
    });
    let seq = await appendAlertChange(tx, electionId, row.municipality, 'alert.acknowledged', updated, `operator:${by}`, at);
    if (ack.publicNote !== undefined) seq = (await changeOversight(tx, electionId, row.municipality, { publicNote: ack.publicNote }, by, at)) ?? seq;
    return { kind: 'ok', alert: toAlert(updated, row.municipality), seq: Number(seq) };
  }, { maxWait: 30_000, timeout: 30_000 });
}

export async function setOversight(db: Db, electionId: string, number: string, change: SetOversight, by: string, at: Date): Promise<{ seq: number | null } | null> {
  return db.$transaction(async (tx) => {
    await lockChangeLog(tx);
    const municipality = await tx.municipality.findUnique({ where: { electionId_number: { electionId, number } }, select: { id: true, number: true } });
    if (!municipality) return null;
    const seq = await changeOversight(tx, electionId, municipality, change, by, at);
    return { seq: seq === null ? null : Number(seq) };
  }, { maxWait: 30_000, timeout: 30_000 });
}

/**
 * Puts a municipality on the watchlist or takes it off, with the operator's reason. `municipality.watch`
 * stays the one source of truth (an election package sets its initial value); the change log says who
 * changed it, when and why, and carries it to every viewer. Null: no such municipality.
 */
export async function setWatch(db: Db, electionId: string, number: string, request: { watch: boolean; reason: string }, by: string, at: Date): Promise<{ answer: WatchlistAnswer; seq: number | null } | null> {
  return db.$transaction(async (tx) => {
    await lockChangeLog(tx);
    const municipality = await tx.municipality.findUnique({ where: { electionId_number: { electionId, number } }, select: { id: true, number: true, name: true, watch: true, watchReason: true } });
    if (!municipality) return null;
    const change = decideWatchChange({ watch: municipality.watch, reason: municipality.watchReason }, request);
    if (!change) return { answer: { municipality: number, name: municipality.name, watch: municipality.watch, reason: municipality.watchReason, changed: false }, seq: null };
    await tx.municipality.update({ where: { id: municipality.id }, data: { watch: change.after.watch, watchReason: change.after.reason } });
    const seq = await appendChange(tx, { electionId, municipalityId: municipality.id, kind: 'watchlist.changed', actor: `operator:${by}`, at, payload: { municipality: number, ...change, by } });
    return { answer: { municipality: number, name: municipality.name, ...change.after, changed: true }, seq: Number(seq) };
  }, { maxWait: 30_000, timeout: 30_000 });
}
