// Result reports, decided in an ingest batch (lib/intake/decide.ts): each report in turn against the stored
// counts and the batch's earlier reports (version, electorate bound), so a batch decides exactly as its
// reports one after the other would; the accepted ones become rows for one set-based append. A refused
// report writes nothing. Pure: the stored state comes in, decisions and rows go out.
import type { ChangeDraft, ResultAcceptedPayload } from '../contracts/changes.ts';
import type { CountCategory, CountStage, FieldIssue, ResultReport } from '../contracts/ingest.ts';
import { checkElectorateBound, decideVersion } from '../domain/report-rules.ts';
import { requireReference } from './references.ts';

export interface ResultReportInput {
  report: ResultReport;
  payloadHash: string;
  receivedAt: Date;
  credentialId: number | null;
  actor: string;
}

/**
 * The change a decision refers to: one already stored (its seq), or one of this batch's changes (its
 * 1-based position among them; its seq is drawn when the batch is appended).
 */
export type ChangeRef = { seq: string } | { position: number };

/** A report decided in a batch. */
export type ReportDecision =
  | { kind: 'created'; position: number }
  | { kind: 'duplicate'; of: ChangeRef }
  | { kind: 'conflict'; reason: string }
  | { kind: 'invalid'; issues: FieldIssue[] };
export type AcceptedDecision = Extract<ReportDecision, { kind: 'created' | 'duplicate' }>;

/** A batch request's reports decided together: all accepted (created or resends), or the first refusal and nothing. */
export type GroupDecision =
  | { kind: 'accepted'; decisions: AcceptedDecision[] }
  | { kind: 'conflict'; index: number; reason: string }
  | { kind: 'invalid'; index: number; issues: FieldIssue[] };

/** Database ids of a municipality's reference data. */
export interface ResultMunicipality {
  id: number;
  electorate: number;
  /** District number → id. */
  districts: ReadonlyMap<string, number>;
  /** Party list code → id. */
  lists: ReadonlyMap<string, number>;
}

/** Hands out the batch's change positions (shared by result and status reports: one sequence per batch). */
export interface ChangeSink {
  /** Appends a change and returns its 1-based position. */
  add(draft: ChangeDraft): number;
  /** How many changes the batch holds; `truncate` takes it back to an earlier count. */
  count(): number;
  truncate(count: number): void;
}

export interface ResultBook {
  /** Decides one report against the stored counts and the reports this book accepted before it. */
  decide(input: ResultReportInput): ReportDecision;
  /**
   * Decides a batch request's reports in order, all or nothing: a refusal undoes the group's earlier
   * acceptances (their changes too).
   */
  decideGroup(inputs: readonly ResultReportInput[]): GroupDecision;
  /** The accepted reports' rows, for `ingest_batch_append`. */
  rows(): ResultRow[];
}

interface Unit {
  districtId: number;
  category: CountCategory;
  stage: CountStage;
}

interface CurrentCount {
  version: number;
  counted: number;
  rejected: number;
  blank: number;
}

/** What deciding a batch's result reports needs from the database (`ingest_batch_state`, db/ingest.ts). */
export interface ResultState {
  /** The current counts of the units the batch reports on. */
  current: Array<Unit & CurrentCount>;
  /** Ballots (counted + rejected) over all current counts of each of the batch's municipalities, per stage. */
  totals: Array<{ municipalityId: number; stage: CountStage; ballots: number }>;
  /** Stored reports with the unit and version of one of the batch's reports: resends or conflicts. */
  versions: Array<Unit & { version: number; payloadHash: string; seq: string }>;
}

const unitKey = (unit: Unit) => `${unit.districtId}|${unit.category}|${unit.stage}`;
const totalKey = (municipalityId: number, stage: CountStage) => `${municipalityId}|${stage}`;

/** What the batch's result reports need read (`ingest_batch_state`'s first five arguments, in order). */
export type ResultStateKeys = [districts: number[], categories: CountCategory[], stages: CountStage[], versions: number[], municipalityIds: number[]];

export function listResultStateKeys(municipalities: ReadonlyMap<string, ResultMunicipality>, inputs: readonly ResultReportInput[]): ResultStateKeys {
  const keys: ResultStateKeys = [[], [], [], [], []];
  for (const { report } of inputs) {
    const districtId = municipalities.get(report.municipality)?.districts.get(report.district);
    if (districtId === undefined) continue;
    keys[0].push(districtId);
    keys[1].push(report.category);
    keys[2].push(report.stage);
    keys[3].push(report.version);
  }
  keys[4] = [...new Set(inputs.flatMap(({ report }) => municipalities.get(report.municipality)?.id ?? []))];
  return keys;
}

/** An accepted result report as `ingest_batch_append` writes it; `position` is its change's place in the batch. */
export interface ResultRow {
  position: number;
  district_id: number;
  category: CountCategory;
  stage: CountStage;
  version: number;
  counted_at: string;
  received_at: string;
  ballots_counted: number;
  ballots_rejected: number;
  ballots_blank: number;
  payload_hash: string;
  credential_id: number | null;
  /** Party list id → votes. */
  votes: Record<string, number>;
  becomes_current: boolean;
}

function restore<K, V>(map: Map<K, V>, copy: ReadonlyMap<K, V>): void {
  map.clear();
  for (const [key, value] of copy) map.set(key, value);
}

export function openResultBook(electionId: string, municipalities: ReadonlyMap<string, ResultMunicipality>, state: ResultState, changes: ChangeSink): ResultBook {
  // Kept up to date as the batch accepts reports, so each decision sees its earlier batch-mates.
  const current = new Map(state.current.map((row) => [unitKey(row), row as CurrentCount]));
  const totals = new Map(state.totals.map((row) => [totalKey(row.municipalityId, row.stage), row.ballots]));
  const versions = new Map<string, { payloadHash: string; ref: ChangeRef }>(
    state.versions.map((row) => [`${unitKey(row)}|${row.version}`, { payloadHash: row.payloadHash, ref: { seq: row.seq } }]),
  );
  const accepted: Array<{ input: ResultReportInput; unit: Unit; votesByListId: Record<number, number>; position: number; payload: ResultAcceptedPayload }> = [];

  function decide(input: ResultReportInput): ReportDecision {
    const { report } = input;
    const municipality = requireReference(municipalities.get(report.municipality), `municipality ${report.municipality}`);
    const districtId = requireReference(municipality.districts.get(report.district), `district ${report.district} of municipality ${report.municipality}`);
    const votesByListId = Object.fromEntries(Object.entries(report.votes).map(([code, votes]) => [
      requireReference(municipality.lists.get(code), `party list ${code} of municipality ${report.municipality}`), votes,
    ]));
    const unit: Unit = { districtId, category: report.category, stage: report.stage };
    const key = unitKey(unit);
    const previous = current.get(key);
    const sameVersion = versions.get(`${key}|${report.version}`);
    const decision = decideVersion(
      { version: report.version, payloadHash: input.payloadHash },
      { sameVersion: sameVersion && { payloadHash: sameVersion.payloadHash, seq: sameVersion.ref }, currentVersion: previous?.version },
    );
    if (decision.kind === 'duplicate') return { kind: 'duplicate', of: decision.seq };
    if (decision.kind === 'conflict') return decision;

    const total = totals.get(totalKey(municipality.id, report.stage)) ?? 0;
    const mine = previous ? previous.counted + previous.rejected : 0;
    const issues = checkElectorateBound(report, total - mine, municipality.electorate);
    if (issues.length > 0) return { kind: 'invalid', issues };

    const payload: ResultAcceptedPayload = {
      municipality: report.municipality,
      district: report.district,
      category: report.category,
      stage: report.stage,
      version: report.version,
      previousVersion: previous?.version ?? null,
      countedAt: new Date(report.countedAt).toISOString(),
      receivedAt: input.receivedAt.toISOString(),
      ballots: report.ballots,
      previousBallots: previous ? { counted: previous.counted, rejected: previous.rejected, blank: previous.blank } : null,
      votes: report.votes,
    };
    const position = changes.add({ electionId, municipalityId: municipality.id, kind: 'result.accepted', actor: input.actor, at: input.receivedAt, payload });
    current.set(key, { version: report.version, ...report.ballots });
    totals.set(totalKey(municipality.id, report.stage), total - mine + report.ballots.counted + report.ballots.rejected);
    versions.set(`${key}|${report.version}`, { payloadHash: input.payloadHash, ref: { position } });
    accepted.push({ input, unit, votesByListId, position, payload });
    return { kind: 'created', position };
  }

  return {
    decide,

    decideGroup(inputs) {
      // Undo by restoring copies: a group touches few units, so the copies are small.
      const saved = { current: new Map(current), totals: new Map(totals), versions: new Map(versions), accepted: accepted.length, changes: changes.count() };
      const decisions: AcceptedDecision[] = [];
      for (const [index, input] of inputs.entries()) {
        const decision = decide(input);
        if (decision.kind === 'created' || decision.kind === 'duplicate') {
          decisions.push(decision);
          continue;
        }
        restore(current, saved.current);
        restore(totals, saved.totals);
        restore(versions, saved.versions);
        accepted.length = saved.accepted;
        changes.truncate(saved.changes);
        return decision.kind === 'conflict' ? { kind: 'conflict', index, reason: decision.reason } : { kind: 'invalid', index, issues: decision.issues };
      }
      const created = accepted.slice(saved.accepted).map((entry) => entry.payload);
      // Their changes are appended consecutively, in this order: the read model folds them as one.
      if (created.length > 1) created.forEach((payload, index) => (payload.batch = { index, size: created.length }));
      return { kind: 'accepted', decisions };
    },

    rows() {
      // The last accepted version of each unit becomes current (a batch may hold a version and its correction).
      const latest = new Map(accepted.map(({ unit, position }) => [unitKey(unit), position]));
      return accepted.map(({ input: { report, ...input }, unit, votesByListId, position }) => ({
        position,
        district_id: unit.districtId,
        category: unit.category,
        stage: unit.stage,
        version: report.version,
        counted_at: new Date(report.countedAt).toISOString(),
        received_at: input.receivedAt.toISOString(),
        ballots_counted: report.ballots.counted,
        ballots_rejected: report.ballots.rejected,
        ballots_blank: report.ballots.blank,
        payload_hash: input.payloadHash,
        credential_id: input.credentialId,
        votes: votesByListId,
        becomes_current: latest.get(unitKey(unit)) === position,
      }));
    },
  };
}
