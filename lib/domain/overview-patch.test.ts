import { describe, expect, it } from 'vitest';
import type { MunicipalitySummary } from '../contracts/live.ts';
import { mergeProgress, toMunicipalityProgress } from './overview-patch.ts';

const summary = (number: string, overrides: Partial<MunicipalitySummary> = {}): MunicipalitySummary => ({
  number, name: `Kommune ${number}`, countyNumber: '03', countyName: 'Oslo', watch: false, status: 'waiting',
  districtsReported: 0, districtsTotal: 10, advanceReported: false, ballotsCounted: 0, electorate: 1000, expectedBallots: 700,
  countedShare: 0, finalShare: 0, lastResultAt: null, state: 'waiting', stateSince: null, stateReason: 'venter', stateReasonFacts: { kind: 'waiting', stage: 'preliminary' }, publicNote: null,
  leadingParty: null, districtsCountedLocally: 0, advanceCountedLocally: false, ballotsPendingEstimate: 0, pendingSince: null, turnout: 0, expectedTurnout: 65, comparisonTurnout: null, ...overrides,
});

describe('overview patches', () => {
  it('leave out what never changes during a night', () => {
    const progress = toMunicipalityProgress(summary('0301', { ballotsCounted: 50 }));
    for (const key of ['name', 'countyNumber', 'countyName', 'districtsTotal', 'electorate', 'expectedBallots']) expect(progress).not.toHaveProperty(key);
    expect(progress).toMatchObject({ number: '0301', ballotsCounted: 50 });
  });

  it('carry the watch flag, which operators change during the night, both ways', () => {
    const held = [summary('0301', { watch: true }), summary('0302')];
    const merged = mergeProgress(held, [toMunicipalityProgress(summary('0301', { watch: false })), toMunicipalityProgress(summary('0302', { watch: true }))]);
    expect(merged.map((m) => m.watch)).toEqual([false, true]);
  });

  it('merge progress into the summaries held, keeping their static fields and order, and ignore others', () => {
    const held = [summary('0301'), summary('0302')];
    const merged = mergeProgress(held, [toMunicipalityProgress(summary('0302', { ballotsCounted: 9, status: 'counting', name: 'ignored' })), toMunicipalityProgress(summary('4601'))]);
    expect(merged.map((m) => m.number)).toEqual(['0301', '0302']);
    expect(merged[0]).toBe(held[0]);
    expect(merged[1]).toEqual({ ...held[1], ballotsCounted: 9, status: 'counting' });
  });
});
