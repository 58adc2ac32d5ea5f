// State transitions found by the state monitor, and the alerts they raise or resolve, recorded in one
// transaction and appended to the change log like any other change: ordered, broadcast, and replayed
// after a restart by the same path.
import type { AlertChangeKind, StateChangedPayload } from '../lib/contracts/changes.ts';
import { ALERT_KINDS, type Alert, type AlertKind } from '../lib/contracts/ops.ts';
import type { Db, Prisma } from './client.ts';
import { appendChange, appendChanges, lockChangeLog, type ChangeDraft, type PendingChange } from './changes.ts';

type Tx = Prisma.TransactionClient;
const PROBLEM = new Set<string>(ALERT_KINDS);
// Under review too: an operator (or the municipality's recount announcement) now owns the problem, so its
// stall alert is resolved, in the log, rather than left open beside the mark.
const RESOLVING = new Set(['waiting', 'counting', 'complete', 'under_review']);

type AlertRow = Awaited<ReturnType<Tx['alert']['findUniqueOrThrow']>>;

export function toAlert(row: AlertRow, municipality: { number: string; name: string }): Alert {
  return {
    id: row.id, municipality: municipality.number, name: municipality.name, kind: row.kind as AlertKind, reason: row.reason,
    status: row.status, raisedAt: row.raisedAt.toISOString(), acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: row.acknowledgedBy, ackReasonCode: row.ackReasonCode as Alert['ackReasonCode'], ackText: row.ackText,
    ackExpiresAt: row.ackExpiresAt?.toISOString() ?? null, resolvedAt: row.resolvedAt?.toISOString() ?? null,
  };
}

function alertChange(
  electionId: string, municipality: { id: number; number: string; name: string }, kind: AlertChangeKind, row: AlertRow, actor: string, at: Date,
): ChangeDraft {
  return { electionId, municipalityId: municipality.id, kind, actor, at, payload: { municipality: municipality.number, alert: toAlert(row, municipality) } };
}

export async function appendAlertChange(
  tx: Tx, electionId: string, municipality: { id: number; number: string; name: string }, kind: AlertChangeKind, row: AlertRow, actor: string, at: Date,
): Promise<bigint> {
  return appendChange(tx, alertChange(electionId, municipality, kind, row, actor, at));
}

/** A change the monitor makes to a municipality's oversight by itself (lib/domain/oversight-follow-up.ts). */
export interface OversightFollowUpChange {
  municipality: string;
  /** What the monitor saw: the change is skipped if an operator has changed it meanwhile. */
  before: { underReview: boolean; publicNote: string | null };
  after: { underReview: boolean; publicNote: string | null };
  reason: string;
}

export interface StateChangeBatch {
  transitions: StateChangedPayload[];
  /** Acknowledged alerts whose acknowledgement has expired: they alert again. */
  reopen: number[];
  /** Oversight changes, recorded before the transitions (which the new oversight gives). */
  oversight?: OversightFollowUpChange[];
}

/** Returns the last seq written (0 when nothing was). */
export async function recordStateChanges(db: Db, electionId: string, batch: StateChangeBatch, at: Date): Promise<number> {
  return db.$transaction(async (tx) => {
    await lockChangeLog(tx);
    const followUps = batch.oversight ?? [];
    const numbers = [...batch.transitions.map((c) => c.municipality), ...followUps.map((c) => c.municipality)];
    const municipalities = new Map((await tx.municipality.findMany({
      where: { electionId, OR: [{ number: { in: numbers } }, { alerts: { some: { id: { in: batch.reopen } } } }] },
      select: { id: true, number: true, name: true, activeAlert: { select: { alert: true } } },
    })).map((m) => [m.number, m]));
    const actor = 'system:state-monitor';
    // Appended together at the end, in this order, by one statement: a clock step can change dozens of
    // states, and each append under the lock held up the ingest.
    const changes: PendingChange[] = [];
    const append = (draft: ChangeDraft) => changes.push({ draft });
    const skipped = new Set<string>();
    for (const change of followUps) {
      const m = municipalities.get(change.municipality)!;
      const held = await tx.oversight.findUnique({ where: { municipalityId: m.id } });
      const current = { underReview: held?.underReview ?? false, publicNote: held?.publicNote ?? null };
      if (current.underReview !== change.before.underReview || current.publicNote !== change.before.publicNote) {
        // An operator got there first: the next evaluation judges again, and the transition waits for it.
        skipped.add(change.municipality);
        continue;
      }
      await tx.oversight.upsert({
        where: { municipalityId: m.id },
        create: { municipalityId: m.id, ...change.after, updatedBy: 'valgvakt', updatedAt: at },
        update: { ...change.after, updatedBy: 'valgvakt', updatedAt: at },
      });
      append({ electionId, municipalityId: m.id, kind: 'oversight.changed', actor, at, payload: { municipality: m.number, before: current, after: change.after, by: 'valgvakt', reason: change.reason } });
    }
    for (const change of batch.transitions) {
      if (skipped.has(change.municipality)) continue;
      const m = municipalities.get(change.municipality)!;
      append({ electionId, municipalityId: m.id, kind: 'state.changed', actor, at, payload: change });
      const active = m.activeAlert?.alert;
      if (PROBLEM.has(change.to)) {
        if (!active) {
          const row = await tx.alert.create({ data: { municipalityId: m.id, kind: change.to, reason: change.reason, status: 'open', raisedAt: at } });
          await tx.activeAlert.create({ data: { municipalityId: m.id, alertId: row.id } });
          append(alertChange(electionId, m, 'alert.raised', row, actor, at));
        } else if (active.kind !== change.to) {
          const row = await tx.alert.update({ where: { id: active.id }, data: { kind: change.to, reason: change.reason } });
          append(alertChange(electionId, m, 'alert.updated', row, actor, at));
        }
      } else if (RESOLVING.has(change.to) && active) {
        const row = await tx.alert.update({ where: { id: active.id }, data: { status: 'resolved', resolvedAt: at } });
        await tx.activeAlert.delete({ where: { municipalityId: m.id } });
        append(alertChange(electionId, m, 'alert.resolved', row, actor, at));
      }
    }
    for (const id of batch.reopen) {
      const row = await tx.alert.findUnique({ where: { id }, include: { municipality: { select: { id: true, number: true, name: true } } } });
      if (!row || row.status !== 'acknowledged' || !row.ackExpiresAt || row.ackExpiresAt > at) continue;
      const reopened = await tx.alert.update({ where: { id }, data: { status: 'open' } });
      append(alertChange(electionId, row.municipality, 'alert.reopened', reopened, actor, at));
    }
    await appendChanges(tx, changes);
    return Number(changes.at(-1)?.seq ?? 0n);
  }, { maxWait: 30_000, timeout: 30_000 });
}
