// Seats as a source reports them: the sources' credentials, and each accepted report with its change-log
// entry (the payload lives there; reported_seats indexes it for idempotency and audit).
import { randomBytes } from 'node:crypto';
import type { SeatsReportedPayload } from '../lib/contracts/seats.ts';
import { decideSeatsReport, type SeatsDecision } from '../lib/domain/reported-seats.ts';
import type { Db } from './client.ts';
import { appendChange, lockChangeLog } from './changes.ts';
import { hashToken } from './credentials.ts';

export interface SeatsPrincipal {
  credentialId: number;
  label: string;
}

/** Creates a seat source's credential and returns its token; it cannot be recovered later. */
export async function createSeatsCredential(db: Db, electionId: string, label: string, expiresAt: Date | null = null): Promise<{ token: string; id: number }> {
  const token = `vvs_${randomBytes(32).toString('base64url')}`;
  const row = await db.seatsCredential.create({ data: { electionId, tokenHash: hashToken(token), label, expiresAt } });
  return { token, id: row.id };
}

export async function listSeatsCredentials(db: Db, electionId: string) {
  return db.seatsCredential.findMany({ where: { electionId }, orderBy: { id: 'asc' }, select: { id: true, label: true, createdAt: true, expiresAt: true, revokedAt: true } });
}

export async function revokeSeatsCredential(db: Db, electionId: string, id: number, now: Date = new Date()): Promise<'revoked' | 'already_revoked' | 'unknown'> {
  const credential = await db.seatsCredential.findFirst({ where: { id, electionId }, select: { revokedAt: true } });
  if (!credential) return 'unknown';
  if (credential.revokedAt) return 'already_revoked';
  await db.seatsCredential.update({ where: { id }, data: { revokedAt: now } });
  return 'revoked';
}

/** The principal of a seat source's token; null for unknown, revoked, expired and other elections' tokens. */
export async function findSeatsPrincipal(db: Db, electionId: string, token: string, now: Date = new Date()): Promise<SeatsPrincipal | null> {
  const row = await db.seatsCredential.findFirst({
    where: { tokenHash: hashToken(token), electionId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    select: { id: true, label: true },
  });
  return row ? { credentialId: row.id, label: row.label } : null;
}

export type SeatsOutcome = { kind: 'created' | 'duplicate'; seq: number } | Extract<SeatsDecision, { kind: 'conflict' }>;

/** Stores an accepted report and its change in one transaction, under the change log's lock. */
export async function recordReportedSeats(
  db: Db, electionId: string, payload: SeatsReportedPayload, payloadHash: string, credentialId: number, actor: string, at: Date,
): Promise<SeatsOutcome> {
  return db.$transaction(async (tx) => {
    await lockChangeLog(tx);
    const reportedAt = new Date(payload.reportedAt);
    const select = { reportedAt: true, payloadHash: true, seq: true } as const;
    const sameTime = await tx.reportedSeats.findUnique({ where: { electionId_area_reportedAt: { electionId, area: payload.area, reportedAt } }, select });
    const newest = await tx.reportedSeats.findFirst({ where: { electionId, area: payload.area }, orderBy: { reportedAt: 'desc' }, select });
    const asStored = (row: typeof newest) => (row ? { ...row, seq: Number(row.seq) } : null);
    const decision = decideSeatsReport(reportedAt, payloadHash, asStored(sameTime), asStored(newest));
    if (decision.kind === 'duplicate') return { kind: 'duplicate', seq: decision.seq };
    if (decision.kind === 'conflict') return decision;
    const seq = await appendChange(tx, { electionId, municipalityId: null, kind: 'seats.reported', actor, at, payload });
    await tx.reportedSeats.create({ data: { electionId, area: payload.area, reportedAt, receivedAt: new Date(payload.receivedAt), payloadHash, credentialId, seq } });
    return { kind: 'created', seq: Number(seq) };
  }, { maxWait: 30_000, timeout: 30_000 });
}
