import { describe, expect, it } from 'vitest';
import type { MunicipalitySummary } from '../contracts/live.ts';
import { ballotsWaiting, computeNightStatus, orderWatchlist } from './night-status.ts';
import { hasEnoughCountedForSeats } from './municipality.ts';

function m(number: string, patch: Partial<MunicipalitySummary> = {}): MunicipalitySummary {
  return {
    number, name: `Kommune ${number}`, countyNumber: '03', countyName: 'Oslo', watch: true, status: 'counting', districtsReported: 1, districtsTotal: 4,
    advanceReported: true, ballotsCounted: 100, electorate: 1000, expectedBallots: 600, countedShare: 0.17, finalShare: 0, lastResultAt: null,
    state: 'counting', stateSince: null, stateReason: '', stateReasonFacts: { kind: 'waiting', stage: 'preliminary' }, publicNote: null, leadingParty: null,
    districtsCountedLocally: 1, advanceCountedLocally: true, ballotsPendingEstimate: 0, pendingSince: null, turnout: 0, expectedTurnout: 65, comparisonTurnout: null, ...patch,
  };
}

describe('computeNightStatus', () => {
  const rows = [
    m('0001', { state: 'stalled', expectedBallots: 1000, ballotsCounted: 900, stateSince: '2023-09-11T21:00:00Z' }),
    m('0301', { state: 'backlog', expectedBallots: 400_000, ballotsCounted: 35_000, districtsTotal: 101, districtsReported: 21, districtsCountedLocally: 91, ballotsPendingEstimate: 180_000 }),
    m('4601', { state: 'backlog', expectedBallots: 200_000, ballotsCounted: 50_000, districtsTotal: 39, districtsReported: 15, districtsCountedLocally: 25, ballotsPendingEstimate: 40_000 }),
    m('4621', { state: 'under_review', expectedBallots: 8000, ballotsCounted: 0, districtsTotal: 9, districtsReported: 0, districtsCountedLocally: 0 }),
    m('0002', { state: 'counting' }),
    m('0003', { state: 'complete', status: 'complete', ballotsCounted: 600, districtsReported: 4, districtsCountedLocally: 4 }),
  ];

  it('lists those behind, most ballots waiting first, and counts them by state', () => {
    const night = computeNightStatus(rows);
    expect(night.behind.map((r) => r.number)).toEqual(['0301', '4601', '4621', '0001']);
    expect(night.byState).toEqual([{ state: 'backlog', count: 2 }, { state: 'stalled', count: 1 }, { state: 'under_review', count: 1 }]);
  });

  it('adds up the two ledgers nationally', () => {
    const night = computeNightStatus(rows);
    expect(night).toMatchObject({ districtsCountedLocally: 91 + 25 + 0 + 1 + 1 + 4, districtsPublished: 21 + 15 + 0 + 1 + 1 + 4, districtsTotal: 101 + 39 + 9 + 4 + 4 + 4, ballotsPendingEstimate: 220_000 });
  });

  it('has nothing behind on a quiet night', () => {
    expect(computeNightStatus([m('0002'), m('0003', { state: 'complete', status: 'complete' })])).toMatchObject({ behind: [], byState: [] });
  });

  it('breaks ties by the longest-standing state, then by number', () => {
    const a = m('0005', { state: 'slow', stateSince: '2023-09-11T22:00:00Z' });
    const b = m('0004', { state: 'slow', stateSince: '2023-09-11T21:00:00Z' });
    const c = m('0003', { state: 'slow', stateSince: '2023-09-11T22:00:00Z' });
    expect(computeNightStatus([a, b, c]).behind.map((r) => r.number)).toEqual(['0004', '0003', '0005']);
  });

  it('counts nothing waiting for a complete municipality whose turnout fell short', () => {
    expect(ballotsWaiting(m('0003', { status: 'complete', ballotsCounted: 500, expectedBallots: 600 }))).toBe(0);
    expect(ballotsWaiting(m('0003', { ballotsCounted: 700, expectedBallots: 600 }))).toBe(0);
  });
});

describe('orderWatchlist', () => {
  it('puts those behind first (worst first), then counting, waiting and complete; leaves out the unwatched', () => {
    const order = orderWatchlist([
      m('0003', { state: 'complete', status: 'complete' }),
      m('0010', { state: 'waiting', status: 'waiting', ballotsCounted: 0 }),
      m('0002', { state: 'counting' }),
      m('0009', { watch: false, state: 'stalled' }),
      m('0001', { state: 'stalled', expectedBallots: 1000 }),
      m('0301', { state: 'backlog', expectedBallots: 400_000 }),
      // Complete by its counts but still under review: behind, not folded away.
      m('4621', { state: 'under_review', status: 'complete', ballotsCounted: 8000, expectedBallots: 8000 }),
    ]).map((r) => r.number);
    expect(order).toEqual(['0301', '0001', '4621', '0002', '0010', '0003']);
  });
});

describe('hasEnoughCountedForSeats', () => {
  it.each<[string, Partial<MunicipalitySummary>, boolean]>([
    ['Oslo at 1.6 %', { countedShare: 0.016, advanceReported: false }, false],
    ['advance in, 39.9 %', { countedShare: 0.399, advanceReported: true }, false],
    ['advance in, exactly 40 %', { countedShare: 0.4, advanceReported: true }, true],
    ['60 % without the advance votes', { countedShare: 0.6, advanceReported: false }, false],
    ['complete, whatever the share', { status: 'complete', countedShare: 1, advanceReported: true }, true],
  ])('%s', (_name, patch, expected) => {
    expect(hasEnoughCountedForSeats(m('0301', patch))).toBe(expected);
  });
});
