import { describe, expect, it } from 'vitest';
import { applyAcceptedResult, applyLocalCounts, createMunicipalityRecord } from './municipality.ts';
import { reconcile } from './stall-detection.ts';

// Electorate 1000 at 60 % turnout: 600 ballots expected; the advance unit and four districts.
function record() {
  return createMunicipalityRecord(
    { number: '0301', name: 'Oslo', countyNumber: '03', countyName: 'Oslo', electorate: 1000, councilSize: 59, expectedTurnout: 60, watch: true },
    [
      { number: '0000', name: 'Forhånd', electorate: 0, kind: 'advance' },
      ...['0101', '0102', '0103', '0104'].map((number) => ({ number, name: `Krets ${number}`, electorate: 250, kind: 'election_day' as const })),
    ],
    [{ code: 'A', name: 'Arbeiderpartiet' }],
  );
}

function received(r: ReturnType<typeof record>, district: string, ballots: number) {
  applyAcceptedResult(r, district, {
    category: district === '0000' ? 'advance' : 'election_day', stage: 'preliminary', version: 1,
    countedAt: '2023-09-11T19:10:00.000Z', receivedAt: '2023-09-11T19:10:00.000Z', ballotsCounted: ballots, ballotsRejected: 0, ballotsBlank: 0, votes: { A: ballots },
  });
}

describe('reconcile: the ballots-pending estimate', () => {
  it.each([
    // Four districts × 250 × 60 % = 600 by the units; nothing received: 600 remain, so 600.
    ['nothing received: the units\' estimate stands', 0, 600],
    // 450 already received: only 150 can still come, whatever the units add up to (Oslo 2023).
    ['never more than the ballots still expected', 450, 150],
    ['exactly the remaining ballots', 0, 600],
    // More received than expected (turnout above 2019): nothing is "expected" any more, so 0, never negative.
    ['zero when more than expected has arrived', 700, 0],
  ])('%s', (_name, advanceBallots, expected) => {
    const r = record();
    if (advanceBallots > 0) received(r, '0000', advanceBallots);
    applyLocalCounts(r, ['0101', '0102', '0103', '0104'], '2023-09-11T19:30:00.000Z', 'election_day', 'preliminary');
    expect(reconcile(r).ballotsPendingEstimate).toBe(expected);
  });
});
