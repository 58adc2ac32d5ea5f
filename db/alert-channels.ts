// Alert channels and their outbox of deliveries. The dispatcher (server/alerts/dispatcher.ts, on the leader)
// queues each alert change once per matching channel — UNIQUE(channel, seq) with ON CONFLICT DO NOTHING,
// and a cursor moved in the same transaction — then claims due deliveries with a lease, so a new leader
// continues from the tables: nothing queued is dropped, nothing is queued twice.
import { ALERT_CHANGE_KINDS, ZChangeEntry, isAlertChange, type AlertChange } from '../lib/contracts/changes.ts';
import type { AlertChannel, AlertDelivery, CreateAlertChannel, UpdateAlertChannel } from '../lib/contracts/alert-channels.ts';
import type { AlertKind } from '../lib/contracts/ops.ts';
import type { Db } from './client.ts';

export interface AlertChannelRow {
  id: number;
  name: string;
  kind: AlertChannel['kind'];
  target: string;
  secret: string | null;
  alertKinds: AlertKind[];
  scope: string;
  enabled: boolean;
  createdAt: Date;
  createdBy: string;
}

function toChannel(row: AlertChannelRow, counts: { queued: number; failed: number }): AlertChannel {
  return {
    id: row.id, name: row.name, kind: row.kind, target: row.target, hasSecret: row.secret !== null,
    alertKinds: row.alertKinds, scope: row.scope, enabled: row.enabled,
    createdAt: row.createdAt.toISOString(), createdBy: row.createdBy, ...counts,
  };
}

async function countsByChannel(db: Db): Promise<Map<number, { queued: number; failed: number }>> {
  const groups = await db.alertDelivery.groupBy({ by: ['channelId', 'status'], _count: { _all: true }, where: { status: { in: ['pending', 'sending', 'failed'] } } });
  const counts = new Map<number, { queued: number; failed: number }>();
  for (const group of groups) {
    const entry = counts.get(group.channelId) ?? { queued: 0, failed: 0 };
    if (group.status === 'failed') entry.failed += group._count._all;
    else entry.queued += group._count._all;
    counts.set(group.channelId, entry);
  }
  return counts;
}

export async function listAlertChannels(db: Db): Promise<AlertChannel[]> {
  const [rows, counts] = await Promise.all([db.alertChannel.findMany({ orderBy: { id: 'asc' } }), countsByChannel(db)]);
  return rows.map((row) => toChannel(row, counts.get(row.id) ?? { queued: 0, failed: 0 }));
}

export async function findAlertChannelRow(db: Db, id: number): Promise<AlertChannelRow | null> {
  return db.alertChannel.findUnique({ where: { id } });
}

export async function findAlertChannel(db: Db, id: number): Promise<AlertChannel | null> {
  const row = await findAlertChannelRow(db, id);
  if (!row) return null;
  return toChannel(row, (await countsByChannel(db)).get(id) ?? { queued: 0, failed: 0 });
}

export async function createAlertChannel(db: Db, input: Omit<CreateAlertChannel, 'secret'> & { secret: string | null }, by: string): Promise<AlertChannel> {
  const row = await db.alertChannel.create({
    data: {
      name: input.name, kind: input.kind, target: input.target, secret: input.kind === 'webhook' ? input.secret : null,
      alertKinds: [...input.alertKinds], scope: input.scope, enabled: input.enabled, createdBy: by,
    },
  });
  return toChannel(row, { queued: 0, failed: 0 });
}

/** Null when there is no such channel. */
export async function updateAlertChannel(db: Db, id: number, patch: UpdateAlertChannel): Promise<AlertChannel | null> {
  const { count } = await db.alertChannel.updateMany({ where: { id }, data: { ...patch, ...(patch.alertKinds ? { alertKinds: [...patch.alertKinds] } : {}) } });
  return count === 0 ? null : findAlertChannel(db, id);
}

/** Deletes the channel and its delivery log (ON DELETE CASCADE); false when there is no such channel. */
export async function deleteAlertChannel(db: Db, id: number): Promise<boolean> {
  const { count } = await db.alertChannel.deleteMany({ where: { id } });
  return count > 0;
}

type DeliveryRow = {
  id: bigint; channelId: number; seq: bigint | null; event: string; status: AlertDelivery['status']; attempts: number;
  nextAttemptAt: Date; lastError: string | null; createdAt: Date; sentAt: Date | null; channel: { name: string };
};

function toDelivery(row: DeliveryRow): AlertDelivery {
  return {
    id: row.id.toString(), channelId: row.channelId, channelName: row.channel.name, seq: row.seq === null ? null : Number(row.seq), event: row.event,
    status: row.status, attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' || row.status === 'sending' ? row.nextAttemptAt.toISOString() : null,
    lastError: row.lastError, createdAt: row.createdAt.toISOString(), sentAt: row.sentAt?.toISOString() ?? null,
  };
}

/** The newest deliveries, newest first; one channel's when given. */
export async function listAlertDeliveries(db: Db, options: { channel?: number; limit: number }): Promise<AlertDelivery[]> {
  const rows = await db.alertDelivery.findMany({
    where: options.channel === undefined ? {} : { channelId: options.channel },
    orderBy: { id: 'desc' }, take: options.limit, include: { channel: { select: { name: true } } },
  });
  return rows.map(toDelivery);
}

export async function findAlertDelivery(db: Db, id: bigint): Promise<AlertDelivery | null> {
  const row = await db.alertDelivery.findUnique({ where: { id }, include: { channel: { select: { name: true } } } });
  return row ? toDelivery(row) : null;
}

export type { AlertChange };

/** A stored alert change, validated; `where` names the row for the error when it is some other kind. */
function parseAlertChange(row: { seq: bigint; kind: string; actor: string; at: Date; payload: unknown }): AlertChange {
  const change = ZChangeEntry.parse({ seq: Number(row.seq), kind: row.kind, actor: row.actor, at: row.at.toISOString(), payload: row.payload });
  if (!isAlertChange(change)) throw new Error(`change ${row.seq} is a ${change.kind}, not an alert change`);
  return change;
}

/**
 * Queues the alert changes after the election's cursor, up to `limit` of them, for every channel whose
 * filter `matches` (evaluated now, e.g. the watchlist as it stands), and moves the cursor — one
 * transaction, the cursor row locked, so two dispatchers at a take-over queue each change once.
 * Answers how many changes it read (fewer than `limit`: caught up).
 */
export async function queueAlertDeliveries(
  db: Db, electionId: string, matches: (channel: AlertChannelRow, change: AlertChange) => boolean, now: Date, limit = 200,
): Promise<{ changes: number; queued: number }> {
  return db.$transaction(async (tx) => {
    await tx.alertDispatchCursor.upsert({ where: { electionId }, create: { electionId, seq: 0n }, update: {} });
    const [cursor] = await tx.$queryRaw<[{ seq: bigint }]>`SELECT seq FROM alert_dispatch_cursor WHERE election_id = ${electionId} FOR UPDATE`;
    const rows = await tx.changeLog.findMany({
      where: { electionId, seq: { gt: cursor.seq }, kind: { in: [...ALERT_CHANGE_KINDS] } },
      orderBy: { seq: 'asc' }, take: limit, select: { seq: true, kind: true, actor: true, at: true, payload: true },
    });
    if (rows.length === 0) return { changes: 0, queued: 0 };
    const channels = await tx.alertChannel.findMany({ where: { enabled: true }, orderBy: { id: 'asc' } });
    const deliveries = [];
    for (const row of rows) {
      const change = parseAlertChange(row);
      for (const channel of channels) {
        if (matches(channel, change)) deliveries.push({ channelId: channel.id, seq: row.seq, event: row.kind, nextAttemptAt: now });
      }
    }
    const { count } = deliveries.length > 0 ? await tx.alertDelivery.createMany({ data: deliveries, skipDuplicates: true }) : { count: 0 };
    // rows is not empty (returned above when it is).
    await tx.alertDispatchCursor.update({ where: { electionId }, data: { seq: rows.at(-1)!.seq } });
    return { changes: rows.length, queued: count };
  });
}

/** Channels with a delivery due now (pending, or sending whose lease ran out). */
export async function listChannelsWithDueDeliveries(db: Db, now: Date): Promise<number[]> {
  // DISTINCT in the database: a channel that is down may hold thousands of queued rows.
  const rows = await db.$queryRaw<Array<{ channel_id: number }>>`
    SELECT DISTINCT channel_id FROM alert_delivery WHERE status IN ('pending', 'sending') AND next_attempt_at <= ${now}`;
  return rows.map((row) => row.channel_id);
}

export interface ClaimedDelivery {
  id: bigint;
  channelId: number;
  seq: bigint | null;
  event: string;
  attempts: number;
  change: AlertChange | null;
}

/**
 * Claims a channel's next delivery if it is due: the oldest one not yet sent (first in, first out per
 * channel, so a receiver sees a channel's changes in order and a channel that is down tries only its
 * head). Marks it `sending` with a lease (next_attempt_at = now + lease) and counts the attempt, in one
 * statement. A dispatcher that dies mid-send leaves it due again when the lease runs out.
 */
export async function claimDueDelivery(db: Db, channelId: number, now: Date, leaseMs: number): Promise<ClaimedDelivery | null> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const rows = await db.$queryRaw<Array<{ id: bigint; channel_id: number; seq: bigint | null; event: string; attempts: number }>>`
    UPDATE alert_delivery SET status = 'sending', attempts = attempts + 1, next_attempt_at = ${leaseUntil}
    WHERE id = (
      SELECT id FROM alert_delivery WHERE channel_id = ${channelId} AND status IN ('pending', 'sending')
      ORDER BY id LIMIT 1 FOR UPDATE
    ) AND next_attempt_at <= ${now}
    RETURNING id, channel_id, seq, event, attempts`;
  const row = rows[0];
  if (!row) return null;
  let change: AlertChange | null = null;
  if (row.seq !== null) {
    const entry = await db.changeLog.findUniqueOrThrow({ where: { seq: row.seq }, select: { seq: true, kind: true, actor: true, at: true, payload: true } });
    change = parseAlertChange(entry);
  }
  return { id: row.id, channelId: row.channel_id, seq: row.seq, event: row.event, attempts: row.attempts, change };
}

// updateMany: the channel (and its log) may have been deleted while the delivery was on the wire.
export async function markDeliverySent(db: Db, id: bigint, at: Date): Promise<void> {
  await db.alertDelivery.updateMany({ where: { id }, data: { status: 'sent', sentAt: at, lastError: null } });
}

/** A failed attempt: due again at `retryAt`, or failed for good when null. */
export async function markDeliveryFailed(db: Db, id: bigint, error: string, retryAt: Date | null): Promise<void> {
  await db.alertDelivery.updateMany({
    where: { id },
    data: retryAt ? { status: 'pending', nextAttemptAt: retryAt, lastError: error.slice(0, 500) } : { status: 'failed', lastError: error.slice(0, 500) },
  });
}

/** A test send, logged with its outcome (it has no change and is never retried). */
export async function recordTestDelivery(db: Db, channelId: number, at: Date, error: string | null): Promise<AlertDelivery> {
  const row = await db.alertDelivery.create({
    data: { channelId, seq: null, event: 'test', status: error ? 'failed' : 'sent', attempts: 1, nextAttemptAt: at, lastError: error?.slice(0, 500) ?? null, sentAt: error ? null : at },
    include: { channel: { select: { name: true } } },
  });
  return toDelivery(row);
}
