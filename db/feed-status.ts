// The official feed's health: each accepted status with its change-log entry (`feed.status`, which carries
// the payload; feed_status indexes it for idempotency, order and audit), and the one incident an outage of
// the feed raises on the operators' board (`feed.incident.*`).
import type { AcknowledgeFeedIncident, FeedIncident, FeedIncidentChangeKind, FeedStatusPayload } from '../lib/contracts/feed-status.ts';
import { decideFeedStatus, type FeedStatusDecision } from '../lib/domain/feed-status.ts';
import type { Db, Prisma } from './client.ts';
import { appendChange, lockChangeLog } from './changes.ts';

type Tx = Prisma.TransactionClient;
type IncidentRow = Awaited<ReturnType<Tx['feedIncident']['findUniqueOrThrow']>>;

export type FeedStatusOutcome = { kind: 'created' | 'duplicate'; seq: number } | Extract<FeedStatusDecision, { kind: 'conflict' }>;

/** Stores an accepted status and its change in one transaction, under the change log's lock. */
export async function recordFeedStatus(
  db: Db, electionId: string, payload: FeedStatusPayload, payloadHash: string, credentialId: number, actor: string, at: Date,
): Promise<FeedStatusOutcome> {
  return db.$transaction(async (tx) => {
    await lockChangeLog(tx);
    const statusAt = new Date(payload.at);
    const select = { at: true, payloadHash: true, seq: true } as const;
    const sameTime = await tx.feedStatus.findUnique({ where: { electionId_at: { electionId, at: statusAt } }, select });
    const newest = await tx.feedStatus.findFirst({ where: { electionId }, orderBy: { at: 'desc' }, select });
    const asStored = (row: typeof newest) => (row ? { ...row, seq: Number(row.seq) } : null);
    const decision = decideFeedStatus(statusAt, payloadHash, asStored(sameTime), asStored(newest));
    if (decision.kind === 'duplicate') return { kind: 'duplicate', seq: decision.seq };
    if (decision.kind === 'conflict') return decision;
    const seq = await appendChange(tx, { electionId, municipalityId: null, kind: 'feed.status', actor, at, payload });
    await tx.feedStatus.create({
      data: { electionId, at: statusAt, receivedAt: new Date(payload.receivedAt), state: payload.state, payloadHash, credentialId, seq },
    });
    return { kind: 'created', seq: Number(seq) };
  }, { maxWait: 30_000, timeout: 30_000 });
}

export function toFeedIncident(row: IncidentRow): FeedIncident {
  return {
    id: row.id, kind: row.kind, reason: row.reason, status: row.status, since: row.since.toISOString(),
    raisedAt: row.raisedAt.toISOString(), acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null, acknowledgedBy: row.acknowledgedBy,
    ackText: row.ackText, resolvedAt: row.resolvedAt?.toISOString() ?? null,
  };
}

async function appendIncidentChange(tx: Tx, electionId: string, kind: FeedIncidentChangeKind, row: IncidentRow, actor: string, at: Date): Promise<bigint> {
  return appendChange(tx, { electionId, municipalityId: null, kind, actor, at, payload: { incident: toFeedIncident(row) } });
}

const MONITOR = 'system:state-monitor';

/**
 * Raises the feed's incident unless one is unresolved (then nothing: one outage, one incident). Returns the
 * seq written, or 0. The partial unique index `feed_incident_one_active` makes "one" a database guarantee.
 */
export async function raiseFeedIncident(db: Db, electionId: string, incident: { since: Date; reason: string }, at: Date): Promise<number> {
  return db.$transaction(async (tx) => {
    await lockChangeLog(tx);
    const active = await tx.feedIncident.findFirst({ where: { electionId, status: { not: 'resolved' } }, select: { id: true } });
    if (active) return 0;
    const row = await tx.feedIncident.create({ data: { electionId, kind: 'feed_down', reason: incident.reason, status: 'open', since: incident.since, raisedAt: at } });
    return Number(await appendIncidentChange(tx, electionId, 'feed.incident.raised', row, MONITOR, at));
  }, { maxWait: 30_000, timeout: 30_000 });
}

/** Resolves the feed's unresolved incident, if any (the feed is ok or degraded again). Returns the seq written, or 0. */
export async function resolveFeedIncident(db: Db, electionId: string, at: Date): Promise<number> {
  return db.$transaction(async (tx) => {
    await lockChangeLog(tx);
    const active = await tx.feedIncident.findFirst({ where: { electionId, status: { not: 'resolved' } }, select: { id: true } });
    if (!active) return 0;
    const row = await tx.feedIncident.update({ where: { id: active.id }, data: { status: 'resolved', resolvedAt: at } });
    return Number(await appendIncidentChange(tx, electionId, 'feed.incident.resolved', row, MONITOR, at));
  }, { maxWait: 30_000, timeout: 30_000 });
}

export type FeedIncidentAckOutcome = { kind: 'ok'; incident: FeedIncident; seq: number } | { kind: 'not_found' } | { kind: 'resolved' };

/** An operator takes the incident on; it stays on the board, acknowledged, until the feed is back. */
export async function acknowledgeFeedIncident(db: Db, electionId: string, id: number, ack: AcknowledgeFeedIncident, by: string, at: Date): Promise<FeedIncidentAckOutcome> {
  return db.$transaction(async (tx) => {
    await lockChangeLog(tx);
    const row = await tx.feedIncident.findFirst({ where: { id, electionId } });
    if (!row) return { kind: 'not_found' };
    if (row.status === 'resolved') return { kind: 'resolved' };
    const updated = await tx.feedIncident.update({
      where: { id }, data: { status: 'acknowledged', acknowledgedAt: at, acknowledgedBy: ack.owner, ackText: ack.text || null },
    });
    const seq = await appendIncidentChange(tx, electionId, 'feed.incident.acknowledged', updated, `operator:${by}`, at);
    return { kind: 'ok', incident: toFeedIncident(updated), seq: Number(seq) };
  }, { maxWait: 30_000, timeout: 30_000 });
}
