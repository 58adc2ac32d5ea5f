import { describe, expect, it } from 'vitest';
import type { TrackState } from './stall-detection.ts';
import { computeOversightFollowUp, findCompletionAt, isRecountActive, recountNote } from './oversight-follow-up.ts';

type Derived = Parameters<typeof computeOversightFollowUp>[1];
const T = (hhmm: string, day = 11) => `2023-09-${day}T${hhmm}:00.000Z`;

function track(stage: TrackState['stage'], state: TrackState['state'], since: string | null): TrackState {
  return { category: 'election_day', stage, state, since, reason: '', received: 0, total: 1 };
}

const counting: Derived = { underlyingState: 'counting', since: T('20:00'), tracks: [track('preliminary', 'counting', T('20:00'))] };
const stalled: Derived = { underlyingState: 'stalled', since: T('20:30'), tracks: [track('preliminary', 'stalled', T('20:30'))] };
const completeAt22: Derived = { underlyingState: 'complete', since: T('22:00'), tracks: [track('preliminary', 'complete', T('22:00')), track('final', 'waiting', null)] };
const finalAt10: Derived = { underlyingState: 'complete', since: T('22:00'), tracks: [track('preliminary', 'complete', T('22:00')), track('final', 'complete', T('10:00', 12))] };

const none = { underReview: false, publicNote: null };
const note = { underReview: false, publicNote: 'Tallene kommer' };
const review = { underReview: true, publicNote: null };

describe('computeOversightFollowUp', () => {
  it.each<[string, Parameters<typeof computeOversightFollowUp>[0], Derived, ReturnType<typeof computeOversightFollowUp>]>([
    ['nothing set, nothing to do', { oversight: none, oversightChangedAt: null }, completeAt22, null],
    ['a note while counting stays', { oversight: note, oversightChangedAt: T('21:30') }, counting, null],
    // Oslo 2023: "Tallene kommer" written while it was behind; the count completes after it.
    ['a note ends when the count completes after it', { oversight: note, oversightChangedAt: T('21:30') }, completeAt22,
      { after: none, reason: 'ferdig opptalt', cause: 'complete' }],
    ['a note written after completion stays', { oversight: note, oversightChangedAt: T('22:30') }, completeAt22, null],
    ['a note written the same instant as completion stays', { oversight: note, oversightChangedAt: T('22:00') }, completeAt22, null],
    ['a note written after completion ends with the final count', { oversight: note, oversightChangedAt: T('22:30') }, finalAt10,
      { after: none, reason: 'endelig opptelling ferdig', cause: 'final_complete' }],
    // Voss 2023: under review during the re-check, which ends with its final count.
    ['under review ends with the final count after it', { oversight: review, oversightChangedAt: T('21:05') }, finalAt10,
      { after: none, reason: 'endelig opptelling ferdig', cause: 'final_complete' }],
    ['under review stays while stalled', { oversight: review, oversightChangedAt: T('21:05') }, stalled, null],
    ['a recount announcement sets the mark and a note', { oversight: none, oversightChangedAt: null, recount: { at: T('19:05'), reason: 'alt telles på nytt' } }, stalled,
      { after: { underReview: true, publicNote: 'Telles på nytt: alt telles på nytt' }, reason: 'kommunen meldte at den teller på nytt', cause: 'recount_announced' }],
    ['without a reason, a plain note', { oversight: none, oversightChangedAt: null, recount: { at: T('19:05'), reason: null } }, counting,
      { after: { underReview: true, publicNote: recountNote(null) }, reason: 'kommunen meldte at den teller på nytt', cause: 'recount_announced' }],
    // The operator lifted the mark after the announcement: the announcement is not applied again.
    ['an announcement older than the last oversight change is done', { oversight: none, oversightChangedAt: T('19:30'), recount: { at: T('19:05'), reason: null } }, stalled, null],
    ['an announcement completed since is done', { oversight: none, oversightChangedAt: null, recount: { at: T('21:05'), reason: null } }, finalAt10, null],
  ])('%s', (_name, record, derived, expected) => {
    expect(computeOversightFollowUp(record, derived)).toEqual(expected);
  });
});

describe('findCompletionAt', () => {
  it.each<[string, Derived, ReturnType<typeof findCompletionAt>]>([
    ['not complete', stalled, null],
    ['the preliminary count', completeAt22, { at: T('22:00'), final: false }],
    ['the final count, later', finalAt10, { at: T('10:00', 12), final: true }],
  ])('%s', (_name, derived, expected) => expect(findCompletionAt(derived)).toEqual(expected));
});

describe('isRecountActive', () => {
  it('a recount is active until a completion after it', () => {
    const record = { oversight: review, oversightChangedAt: T('19:06'), recount: { at: T('19:05'), reason: null } };
    expect(isRecountActive(record, stalled)).toBe(true);
    expect(isRecountActive(record, finalAt10)).toBe(false);
    expect(isRecountActive({ ...record, recount: null }, stalled)).toBe(false);
  });
});
