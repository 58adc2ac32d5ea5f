// What Valgvakt does by itself with the operators' marks: a public note and "under review" end when the
// municipality's count is complete (or its final count is in) after they were set, and a recount the
// municipality announces puts it under review with a note. Pure: the stall monitor records the outcome as
// an ordinary `oversight.changed` change, so it is in the revision log like an operator's.
import type { OversightCause } from '../contracts/changes.ts';
import { domainTexts } from '../i18n/domain-texts.ts';
import type { DerivedState } from './stall-detection.ts';
import type { MunicipalityRecord } from './municipality.ts';

export interface OversightFollowUp {
  after: { underReview: boolean; publicNote: string | null };
  /** Why, in bokmål, for the revision log (`cause` rendered). */
  reason: string;
  cause: OversightCause;
}

function followUp(after: OversightFollowUp['after'], cause: OversightCause): OversightFollowUp {
  return { after, reason: domainTexts('nb').revision.cause[cause], cause };
}

type OversightFacts = Pick<MunicipalityRecord, 'oversight' | 'oversightChangedAt' | 'recount'>;
type StateFacts = Pick<DerivedState, 'underlyingState' | 'since' | 'tracks'>;

/** When the count was last completed: the preliminary count (underlying state complete) or every final track. */
export function findCompletionAt(derived: StateFacts): { at: string; final: boolean } | null {
  let held: { at: string; final: boolean } | null = derived.underlyingState === 'complete' && derived.since ? { at: derived.since, final: false } : null;
  const finals = derived.tracks.filter((t) => t.stage === 'final');
  if (finals.length > 0 && finals.every((t) => t.state === 'complete')) {
    const at = finals.reduce((latest, t) => (t.since && t.since > latest ? t.since : latest), '');
    if (at && (held === null || at >= held.at)) held = { at, final: true };
  }
  return held;
}

export function recountNote(reason: string | null): string {
  return reason ? `Telles på nytt: ${reason}` : 'Kommunen teller stemmene på nytt.';
}

/** A recount the municipality announced that has not been completed since. */
export function isRecountActive(record: OversightFacts, derived: StateFacts): boolean {
  if (!record.recount) return false;
  const completion = findCompletionAt(derived);
  return completion === null || completion.at <= record.recount.at;
}

/** The change to make to a municipality's oversight now, or null. */
export function computeOversightFollowUp(record: OversightFacts, derived: StateFacts): OversightFollowUp | null {
  const changedAt = record.oversightChangedAt ?? '';
  const completion = findCompletionAt(derived);
  const { underReview, publicNote } = record.oversight;
  // Only a completion after the mark was set ends it: a note written about a complete count stays.
  if ((underReview || publicNote !== null) && completion && completion.at > changedAt) {
    return followUp({ underReview: false, publicNote: null }, completion.final ? 'final_complete' : 'complete');
  }
  const recount = record.recount;
  if (recount && recount.at > changedAt && isRecountActive(record, derived)) {
    const after = { underReview: true, publicNote: recountNote(recount.reason) };
    if (after.underReview === underReview && after.publicNote === publicNote) return null;
    return followUp(after, 'recount_announced');
  }
  return null;
}
