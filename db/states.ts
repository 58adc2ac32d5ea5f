// State transitions found by the stall monitor, and the alerts they raise or resolve, recorded in one
// transaction and appended to the change log like any other change: ordered, broadcast, and replayed
// after a restart by the same path.
import type { AlertChangeKind, OversightCause, StateChangedPayload } from '../lib/contracts/changes.ts';
import { ZAckReasonCode, isAlertKind, type Alert, type AlertKind } from '../lib/contracts/ops.ts';
import { Prisma, type Db } from './client.ts';
import { ZStateReason } from '../lib/contracts/state-reason.ts';
import { appendChange, appendChanges, lockChangeLog, type ChangeDraft, type PendingChange } from './changes.ts';

type Tx = Prisma.TransactionClient;
// Under review too: an operator (or the municipality's recount announcement) now owns the problem, so its
// stall alert is resolved, in the log, rather than left open beside the mark.
const RESOLVING = new Set(['waiting', 'counting', 'complete', 'under_review']);

type AlertRow = Awaited<ReturnType<Tx['alert']['findUniqueOrThrow']>>;

export function toAlert(row: AlertRow, municipality: { number: string; name: string }): Alert {
  const facts = ZStateReason.safeParse(row.reasonFacts);
  return {
    id: row.id, municipality: municipality.number, name: municipality.name, kind: row.kind, reason: row.reason,
    ...(facts.success ? { reasonFacts: facts.data } : {}),
    status: row.status, raisedAt: row.raisedAt.toISOString(), acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: row.acknowledgedBy, ackReasonCode: ZAckReasonCode.nullable().parse(row.ackReasonCode), ackText: row.ackText,
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
  cause?: OversightCause;
}

export interface StateChangeBatch {
  transitions: StateChangedPayload[];
  /** Acknowledged alerts whose acknowledgement has expired: they alert again. */
  reopen: number[];
  /** Oversight changes, recorded before the transitions (which the new oversight gives). */
  oversight?: OversightFollowUpChange[];
}

interface MunicipalityRef {
  id: number;
  number: string;
  name: string;
}

/** Everything recording a batch of state changes reads, in one statement under the change-log lock. */
interface StateRead {
  municipalities: Array<MunicipalityRef & { activeAlert: AlertJson | null; oversight: { underReview: boolean; publicNote: string | null } | null }>;
  reopen: Array<AlertJson & { municipality: MunicipalityRef }>;
}

/** An `alert` row as to_jsonb gives it. */
interface AlertJson {
  id: number; municipality_id: number; kind: AlertKind; reason: string; reason_facts: unknown; status: AlertRow['status']; raised_at: string;
  acknowledged_at: string | null; acknowledged_by: string | null; ack_reason_code: string | null; ack_text: string | null;
  ack_expires_at: string | null; resolved_at: string | null;
}

const dateOrNull = (value: string | null) => (value === null ? null : new Date(value));

function toAlertRow(row: AlertJson): AlertRow {
  return {
    id: row.id, municipalityId: row.municipality_id, kind: row.kind, reason: row.reason, reasonFacts: row.reason_facts ?? null, status: row.status, raisedAt: new Date(row.raised_at),
    acknowledgedAt: dateOrNull(row.acknowledged_at), acknowledgedBy: row.acknowledged_by, ackReasonCode: row.ack_reason_code,
    ackText: row.ack_text, ackExpiresAt: dateOrNull(row.ack_expires_at), resolvedAt: dateOrNull(row.resolved_at),
  };
}

async function readState(tx: Tx, electionId: string, numbers: string[], reopen: number[]): Promise<StateRead> {
  const [row] = await tx.$queryRaw<[{ state: StateRead }]>`
    SELECT jsonb_build_object(
      'municipalities', (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', m.id, 'number', m.number, 'name', m.name,
          'activeAlert', (SELECT to_jsonb(a) FROM active_alert aa JOIN alert a ON a.id = aa.alert_id WHERE aa.municipality_id = m.id),
          'oversight', (SELECT jsonb_build_object('underReview', o.under_review, 'publicNote', o.public_note) FROM oversight o WHERE o.municipality_id = m.id))), '[]')
        FROM municipality m WHERE m.election_id = ${electionId} AND m.number = ANY(${numbers}::text[])),
      'reopen', (SELECT COALESCE(jsonb_agg(to_jsonb(a) || jsonb_build_object('municipality', jsonb_build_object('id', m.id, 'number', m.number, 'name', m.name))), '[]')
        FROM alert a JOIN municipality m ON m.id = a.municipality_id WHERE a.id = ANY(${reopen}::int[]))) AS state`;
  return row.state;
}

/** Returns the last seq written (0 when nothing was). */
export async function recordStateChanges(db: Db, electionId: string, batch: StateChangeBatch, at: Date): Promise<number> {
  return db.$transaction(async (tx) => {
    await lockChangeLog(tx);
    const followUps = batch.oversight ?? [];
    const numbers = [...batch.transitions.map((c) => c.municipality), ...followUps.map((c) => c.municipality)];
    // One read under the lock: the municipalities with their active alert and oversight, and the alerts to reopen.
    const state = await readState(tx, electionId, numbers, batch.reopen);
    const municipalities = new Map(state.municipalities.map((m) => [m.number, { ...m, activeAlert: m.activeAlert && toAlertRow(m.activeAlert) }]));
    const actor = 'system:state-monitor';
    // Appended together at the end, in this order, by one statement: a clock step can change dozens of
    // states, and each append under the lock held up the ingest.
    const changes: PendingChange[] = [];
    const append = (draft: ChangeDraft) => changes.push({ draft });
    const skipped = new Set<string>();
    for (const change of followUps) {
      // readState read every municipality the batch names.
      const m = municipalities.get(change.municipality)!;
      const current = { underReview: m.oversight?.underReview ?? false, publicNote: m.oversight?.publicNote ?? null };
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
      m.oversight = change.after;
      append({ electionId, municipalityId: m.id, kind: 'oversight.changed', actor, at, payload: { municipality: m.number, before: current, after: change.after, by: 'valgvakt', reason: change.reason, ...(change.cause ? { cause: change.cause } : {}) } });
    }
    // Alerts this batch has written, as they now stand: the read above predates them.
    const written = new Map<number, AlertRow>();
    for (const change of batch.transitions) {
      if (skipped.has(change.municipality)) continue;
      // readState read every municipality the batch names.
      const m = municipalities.get(change.municipality)!;
      append({ electionId, municipalityId: m.id, kind: 'state.changed', actor, at, payload: change });
      const active = m.activeAlert;
      if (isAlertKind(change.to)) {
        if (!active) {
          const row = await tx.alert.create({ data: { municipalityId: m.id, kind: change.to, reason: change.reason, reasonFacts: change.reasonFacts ?? Prisma.DbNull, status: 'open', raisedAt: at } });
          await tx.activeAlert.create({ data: { municipalityId: m.id, alertId: row.id } });
          append(alertChange(electionId, m, 'alert.raised', row, actor, at));
        } else if (active.kind !== change.to) {
          const row = await tx.alert.update({ where: { id: active.id }, data: { kind: change.to, reason: change.reason, reasonFacts: change.reasonFacts ?? Prisma.DbNull } });
          written.set(row.id, row);
          append(alertChange(electionId, m, 'alert.updated', row, actor, at));
        }
      } else if (RESOLVING.has(change.to) && active) {
        const row = await tx.alert.update({ where: { id: active.id }, data: { status: 'resolved', resolvedAt: at } });
        written.set(row.id, row);
        await tx.activeAlert.delete({ where: { municipalityId: m.id } });
        append(alertChange(electionId, m, 'alert.resolved', row, actor, at));
      }
    }
    for (const { municipality, ...json } of state.reopen) {
      const row = written.get(json.id) ?? toAlertRow(json);
      if (row.status !== 'acknowledged' || !row.ackExpiresAt || row.ackExpiresAt > at) continue;
      const reopened = await tx.alert.update({ where: { id: row.id }, data: { status: 'open' } });
      append(alertChange(electionId, municipality, 'alert.reopened', reopened, actor, at));
    }
    await appendChanges(tx, changes);
    return Number(changes.at(-1)?.seq ?? 0n);
  }, { maxWait: 30_000, timeout: 30_000 });
}
