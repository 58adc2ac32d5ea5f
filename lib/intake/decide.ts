// The ingest decision, whole: given the stored state a batch's reports need (read by `ingest_batch_state`
// under the change-log lock, db/ingest.ts) and the reports in arrival order, it returns each report's
// decision, the changes to append (in order) and the rows to write with them. Each report is decided as if
// its batch-mates before it were already written, so a batch decides exactly as its reports one after the
// other would. Pure: no database, no clock; db/ingest.ts only reads the state and writes the rows.
import { ZChangeEntry, type ChangeDraft, type ChangeEntry } from '../contracts/changes.ts';
import type { FieldIssue } from '../contracts/ingest.ts';
import { listResultStateKeys, openResultBook, type AcceptedDecision, type ChangeRef, type ChangeSink, type GroupDecision, type ReportDecision, type ResultMunicipality, type ResultReportInput, type ResultRow, type ResultState, type ResultStateKeys } from './results.ts';
import { listStatusStateKeys, openStatusBook, type StatusMunicipality, type StatusReportInput, type StatusRow, type StatusState, type StatusStateKeys } from './status.ts';

export type { ResultReportInput, StatusReportInput, ResultState, StatusState, ResultRow, StatusRow, ReportDecision, GroupDecision, ChangeRef };

/** What the ingest routes hand the writer: one report, a batch request's reports (all or nothing), or a status. */
export type IngestItem =
  | { kind: 'result'; input: ResultReportInput }
  | { kind: 'results'; inputs: ResultReportInput[] }
  | { kind: 'status'; input: StatusReportInput };

/**
 * Database ids of an election's reference data (municipalities, districts, party lists) by municipality
 * number. Reference data is fixed once seeded, so a writer loads these once (db/ingest.ts).
 */
export type ReferenceIds = ReadonlyMap<string, ResultMunicipality & StatusMunicipality>;

/** The stored state a batch is decided against, as `ingest_batch_state` answers it. */
export interface IngestState {
  results: ResultState;
  statuses: StatusState;
}

/** `ingest_batch_state`'s arguments, in order: what the batch's reports need read. */
export type IngestStateKeys = [...ResultStateKeys, ...StatusStateKeys];

export function listIngestStateKeys(references: ReferenceIds, items: readonly IngestItem[]): IngestStateKeys {
  const results = items.flatMap((item) => (item.kind === 'result' ? [item.input] : item.kind === 'results' ? item.inputs : []));
  const statuses = items.flatMap((item) => (item.kind === 'status' ? [item.input] : []));
  return [...listResultStateKeys(references, results), ...listStatusStateKeys(references, statuses)];
}

/** One item's decision: a report's, or a batch request's as a whole. */
export type ItemDecision = ReportDecision | GroupDecision;

/** What a batch writes: its changes in seq order, and the rows that go with them (by 1-based position). */
export interface IngestPlan {
  decisions: ItemDecision[];
  changes: ChangeDraft[];
  results: ResultRow[];
  statuses: StatusRow[];
}

export function decideIngestBatch(electionId: string, references: ReferenceIds, state: IngestState, items: readonly IngestItem[]): IngestPlan {
  const changes: ChangeDraft[] = [];
  const sink: ChangeSink = {
    add: (draft) => changes.push(draft),
    count: () => changes.length,
    truncate: (count) => void (changes.length = count),
  };
  const resultBook = openResultBook(electionId, references, state.results, sink);
  const statusBook = openStatusBook(electionId, references, state.statuses, sink);
  const decisions = items.map((item): ItemDecision => {
    switch (item.kind) {
      case 'result':
        return resultBook.decide(item.input);
      case 'results':
        return resultBook.decideGroup(item.inputs);
      case 'status':
        return statusBook.decide(item.input);
    }
  });
  return { decisions, changes, results: resultBook.rows(), statuses: statusBook.rows() };
}

export type RecordOutcome =
  | { kind: 'created'; seq: number }
  | { kind: 'duplicate'; seq: number }
  | { kind: 'conflict'; reason: string }
  | { kind: 'invalid'; issues: FieldIssue[] };
type AcceptedOutcome = Extract<RecordOutcome, { kind: 'created' | 'duplicate' }>;

/** A batch request's outcome: every report's, or the refusal of the first refused (and nothing written). */
export type GroupOutcome =
  | { kind: 'group'; outcomes: AcceptedOutcome[] }
  | { kind: 'conflict'; index: number; reason: string }
  | { kind: 'invalid'; index: number; issues: FieldIssue[] };
export type IngestOutcome = RecordOutcome | GroupOutcome;

/** The answers, once the plan's changes have been appended and got `seqs` (one per change, in order). */
export function toIngestOutcomes(decisions: readonly ItemDecision[], seqs: ReadonlyArray<string | bigint>): IngestOutcome[] {
  const seqOf = (ref: ChangeRef) => {
    const seq = 'seq' in ref ? ref.seq : seqs[ref.position - 1];
    if (seq === undefined) throw new Error(`no seq for change ${JSON.stringify(ref)}`);
    return Number(seq);
  };
  const accepted = (decision: AcceptedDecision): AcceptedOutcome =>
    decision.kind === 'created' ? { kind: 'created', seq: seqOf({ position: decision.position }) } : { kind: 'duplicate', seq: seqOf(decision.of) };
  return decisions.map((decision) => {
    switch (decision.kind) {
      case 'accepted':
        return { kind: 'group', outcomes: decision.decisions.map(accepted) };
      case 'created':
      case 'duplicate':
        return accepted(decision);
      default:
        return decision;
    }
  });
}

/**
 * A committed batch's changes as the log now holds them: every change of the election after `prevSeq`, up
 * to the last, in order. The batch held the change-log lock from before it read the election's latest seq
 * (`prevSeq`) until its commit, so no other change lies in between: the same entries a read after `prevSeq`
 * would return, which a process can apply without reading them back.
 */
export interface WrittenChanges {
  prevSeq: number;
  changes: ChangeEntry[];
}

/** The entries of the appended `drafts` with their `seqs` (one per draft, in order), as a read would give them. */
export function toWrittenChanges(prevSeq: number, drafts: readonly ChangeDraft[], seqs: ReadonlyArray<string | bigint>): WrittenChanges {
  if (seqs.length !== drafts.length) throw new Error(`${drafts.length} changes appended but ${seqs.length} seqs returned`);
  return {
    prevSeq,
    changes: drafts.map((draft, index) => ZChangeEntry.parse({
      seq: Number(seqs[index]),
      kind: draft.kind,
      actor: draft.actor,
      // The column keeps milliseconds, as a Date does: the same instant a read returns.
      at: draft.at.toISOString(),
      // Through JSON, as the jsonb column stores it (a Date becomes its ISO text, undefined fields vanish).
      payload: JSON.parse(JSON.stringify(draft.payload)),
    })),
  };
}
