import { publishedShare } from './precision.ts';
import { describe, it, expect } from 'vitest';
import type { CouncilSeats, MunicipalityStatus, MunicipalitySummary, PartyResult } from '../contracts/live.ts';
import { NATIONAL_PARTIES, OTHERS_CODE, OTHERS_NAME, computeNationalTotals, type NationalInput } from './national.ts';

function summary(number: string, status: MunicipalityStatus, ballotsCounted: number, expectedBallots: number, districts = { reported: 0, total: 4 }): MunicipalitySummary {
  return {
    number,
    name: `Kommune ${number}`,
    countyNumber: '03',
    countyName: 'Fylke',
    watch: false,
    status,
    districtsReported: districts.reported,
    districtsTotal: districts.total,
    advanceReported: status !== 'waiting',
    ballotsCounted,
    electorate: expectedBallots * 2,
    expectedBallots,
    countedShare: 0,
    finalShare: 0,
    lastResultAt: null,
    state: 'waiting',
    stateSince: null,
    stateReason: 'venter på første resultat',
    stateReasonFacts: { kind: 'waiting', stage: 'preliminary' },
    publicNote: null,
    leadingParty: null,
    districtsCountedLocally: 0,
    advanceCountedLocally: false,
    ballotsPendingEstimate: 0,
    pendingSince: null,
    turnout: 0, expectedTurnout: 65, comparisonTurnout: null,
  };
}

const party = (code: string, votes: number): PartyResult => ({ code, name: code, votes, share: 0, previousShare: null, change: null });
const noSeats: CouncilSeats = { councilSize: 11, provisional: true, lists: [], drawnByLot: [] };

/** Pairs summaries with party lists by position (a missing summary is a waiting municipality). */
function inputs(summaries: MunicipalitySummary[], parties: PartyResult[][], previous: Array<Record<string, number> | null> = []): NationalInput[] {
  return Array.from({ length: Math.max(summaries.length, parties.length) }, (_, i) => ({
    view: { summary: summaries[i] ?? summary(String(9000 + i), 'waiting', 0, 0), parties: parties[i] ?? [], seats: noSeats, ballotsCast: (summaries[i]?.ballotsCounted ?? 0) },
    previousVotes: previous[i] ?? null,
  }));
}

describe('computeNationalTotals: parties', () => {
  it('pools local and unknown codes into ANDRE and lists it last even when largest', () => {
    const totals = computeNationalTotals(inputs([], [
      [party('A', 10), party('BYGDELISTA', 500), party('H', 5)],
      [party('A', 7), party('ANDRE', 300), party('Andre', 1), party('SP', 20)],
    ]));
    const last = totals.parties[totals.parties.length - 1];
    expect(last).toEqual({ code: OTHERS_CODE, name: OTHERS_NAME, votes: 801, share: publishedShare(801 / 843), previousShare: null, change: null });
    expect(totals.parties.filter((p) => p.code === OTHERS_CODE)).toHaveLength(1);
    expect(totals.parties.map((p) => p.code)).not.toContain('BYGDELISTA');
  });

  it('sums national parties across municipalities and ranks them by votes', () => {
    const totals = computeNationalTotals(inputs([], [[party('A', 10), party('H', 30)], [party('A', 25), party('H', 1)]]));
    expect(totals.parties.slice(0, 2)).toEqual([
      { code: 'A', name: 'Arbeiderpartiet', votes: 35, share: publishedShare(35 / 66), previousShare: null, change: null },
      { code: 'H', name: 'Høyre', votes: 31, share: publishedShare(31 / 66), previousShare: null, change: null },
    ]);
  });

  it('lists every national party, with zero votes before any result, and ANDRE last', () => {
    const totals = computeNationalTotals([]);
    expect(totals.parties).toHaveLength(NATIONAL_PARTIES.size + 1);
    expect(totals.parties.every((p) => p.votes === 0 && p.share === 0)).toBe(true);
    expect(totals.parties[totals.parties.length - 1]?.code).toBe(OTHERS_CODE);
    // Ties (all zero) are ordered by code.
    const national = totals.parties.slice(0, -1).map((p) => p.code);
    expect(national).toEqual([...NATIONAL_PARTIES.keys()].sort((a, b) => a.localeCompare(b)));
  });

  it('has shares that sum to 1 once votes are in', () => {
    const totals = computeNationalTotals(inputs([], [[party('A', 3), party('KRF', 4), party('LOKAL', 5)]]));
    expect(totals.parties.reduce((sum, p) => sum + p.share, 0)).toBeCloseTo(1, 10);
  });
});

describe('computeNationalTotals: progress', () => {
  it('counts municipalities reporting (not waiting) and complete', () => {
    const totals = computeNationalTotals(inputs(
      [summary('0001', 'waiting', 0, 100), summary('0002', 'counting', 10, 100), summary('0003', 'complete', 90, 100), summary('0004', 'complete', 50, 50)],
      [],
    ));
    expect(totals).toMatchObject({ municipalitiesTotal: 4, municipalitiesReporting: 3, municipalitiesComplete: 2 });
  });

  it('sums districts and ballots', () => {
    const totals = computeNationalTotals(inputs(
      [summary('0001', 'counting', 10, 100, { reported: 1, total: 4 }), summary('0002', 'counting', 30, 200, { reported: 2, total: 5 })],
      [],
    ));
    expect(totals).toMatchObject({ districtsReported: 3, districtsTotal: 9, ballotsCounted: 40, expectedBallots: 300 });
  });

  it('treats complete municipalities as fully counted even below the expected turnout', () => {
    // Complete at 80 of 100 expected counts as 100; counting at 50 of 100 counts as 50.
    const totals = computeNationalTotals(inputs([summary('0001', 'complete', 80, 100), summary('0002', 'counting', 50, 100)], []));
    expect(totals.ballotsCounted).toBe(130);
    expect(totals.countedShare).toBeCloseTo(150 / 200, 10);
  });

  it('caps an over-counted, not yet complete municipality at its expectation', () => {
    const totals = computeNationalTotals(inputs([summary('0001', 'counting', 150, 100), summary('0002', 'waiting', 0, 100)], []));
    expect(totals.countedShare).toBeCloseTo(0.5, 10);
  });

  it('is 1 when every municipality is complete', () => {
    const totals = computeNationalTotals(inputs([summary('0001', 'complete', 70, 100), summary('0002', 'complete', 300, 250)], []));
    expect(totals.countedShare).toBe(1);
  });

  it('is 0 with nothing expected', () => {
    expect(computeNationalTotals([]).countedShare).toBe(0);
  });
});

describe('computeNationalTotals: change since 2019 and councils', () => {
  it('compares like for like: 2019 only in the municipalities with votes counted now', () => {
    const totals = computeNationalTotals(inputs(
      [summary('0001', 'counting', 100, 200), summary('0002', 'waiting', 0, 200)],
      [[party('A', 60), party('H', 40)], [party('A', 0), party('H', 0)]],
      [{ A: 50, H: 50 }, { A: 0, H: 1000 }],
    ));
    const a = totals.parties.find((p) => p.code === 'A')!;
    expect(a.previousShare).toBeCloseTo(0.5, 10);
    expect(a.change).toBeCloseTo(0.1, 10);
    // A party that stood nowhere counted in 2019 has no comparison.
    expect(totals.parties.find((p) => p.code === 'SV')).toMatchObject({ previousShare: null, change: null });
  });

  it('pools 2019 local lists into Andre the same way as now', () => {
    const totals = computeNationalTotals(inputs([summary('0001', 'counting', 10, 20)], [[party('A', 5), party('BYLISTA', 5)]], [{ A: 5, GAMMEL: 5 }]));
    expect(totals.parties.find((p) => p.code === OTHERS_CODE)).toMatchObject({ previousShare: 0.5, change: 0 });
  });

  it('counts councils led and seats per national party, local lists as Andre', () => {
    const seats = (lists: Array<[string, number]>): CouncilSeats => ({
      ...noSeats, lists: lists.map(([code, n]) => ({ code, name: code, votes: 1, seats: n, votesToNextSeat: null, nextSeatFrom: null, votesToSpareOnLastSeat: null, lastSeatTo: null })),
    });
    const led = (number: string, code: string) => ({ ...summary(number, 'counting', 1, 1), countedShare: 0.5, leadingParty: { code, name: code, share: 0.4, seats: 5 } });
    const totals = computeNationalTotals([
      { view: { summary: led('0001', 'H'), parties: [], seats: seats([['H', 6], ['A', 5]]), ballotsCast: 1 }, previousVotes: null },
      { view: { summary: led('0002', 'H'), parties: [], seats: seats([['H', 9], ['BYLISTA', 2]]), ballotsCast: 1 }, previousVotes: null },
      { view: { summary: led('0003', 'BYLISTA'), parties: [], seats: seats([['BYLISTA', 7], ['A', 4]]), ballotsCast: 1 }, previousVotes: null },
      { view: { summary: summary('0004', 'waiting', 0, 1), parties: [], seats: noSeats, ballotsCast: 0 }, previousVotes: null },
    ]);
    const byCode = Object.fromEntries(totals.councils.map((c) => [c.code, c]));
    expect(byCode.H).toMatchObject({ councilsLed: 2, seats: 15 });
    expect(byCode.A).toMatchObject({ councilsLed: 0, seats: 9 });
    expect(byCode[OTHERS_CODE]).toMatchObject({ councilsLed: 1, seats: 9 });
    expect(totals.councils.reduce((sum, c) => sum + c.councilsLed, 0)).toBe(3);
  });
});
