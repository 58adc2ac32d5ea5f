import { publishedShare } from './precision.ts';
import { describe, it, expect } from 'vitest';
import type { CountCategory, CountStage } from '../contracts/ingest.ts';
import type { UnitResult } from '../contracts/live.ts';
import {
  applyAcceptedResult, applyLocalCounts, computeDistrictDetail, computeExpectedBallots, computeMunicipalitySummary,
  computePartyResults, createMunicipalityRecord, listBestResults, type MunicipalityRecord,
  computeMunicipalityView, POOLED_LISTS_CODE,
} from './municipality.ts';

// Electorate 1000 at 60 % expected turnout: 600 expected ballots.
function record(electionDayDistricts: string[] = ['0101', '0102']): MunicipalityRecord {
  return createMunicipalityRecord(
    { number: '0301', name: 'Oslo', countyNumber: '03', countyName: 'Oslo', electorate: 1000, councilSize: 59, expectedTurnout: 60, watch: true },
    [
      { number: '0000', name: 'Forhånd', electorate: 0, kind: 'advance' },
      ...electionDayDistricts.map((number) => ({ number, name: `Krets ${number}`, electorate: 500, kind: 'election_day' as const })),
    ],
    [{ code: 'A', name: 'Arbeiderpartiet' }, { code: 'H', name: 'Høyre' }, { code: 'SV', name: 'SV' }, { code: 'V', name: 'Venstre' }],
  );
}

let received = 0;
function result(category: CountCategory, stage: CountStage, ballotsCounted: number, votes: Record<string, number> = {}, patch: Partial<UnitResult> = {}): UnitResult {
  received += 1;
  return {
    category,
    stage,
    version: 1,
    countedAt: '2023-09-11T19:00:00.000Z',
    receivedAt: `2023-09-11T19:${String(received % 60).padStart(2, '0')}:00.000Z`,
    ballotsCounted,
    ballotsRejected: 0,
    ballotsBlank: 0,
    votes,
    ...patch,
  };
}

describe('computeExpectedBallots', () => {
  it('is electorate × expected turnout percent, rounded', () => {
    expect(computeExpectedBallots(record().ref)).toBe(600);
    expect(computeExpectedBallots({ ...record().ref, electorate: 999, expectedTurnout: 64.7 })).toBe(646); // 646.353
    expect(computeExpectedBallots({ ...record().ref, electorate: 1001, expectedTurnout: 64.7 })).toBe(648); // 647.647
  });
});

describe('computeMunicipalitySummary', () => {
  it('is waiting with no results', () => {
    const summary = computeMunicipalitySummary(record());
    expect(summary).toMatchObject({
      number: '0301', status: 'waiting', districtsReported: 0, districtsTotal: 2, advanceReported: false,
      ballotsCounted: 0, expectedBallots: 600, countedShare: 0, finalShare: 0, lastResultAt: null,
    });
  });

  it('stays waiting when districts only said they finished counting locally', () => {
    const r = record();
    applyLocalCounts(r, ['0101'], '2023-09-11T19:00:00.000Z');
    expect(computeMunicipalitySummary(r).status).toBe('waiting');
  });

  it('is counting once a result is in', () => {
    const r = record();
    applyAcceptedResult(r, '0000', result('advance', 'preliminary', 120));
    const summary = computeMunicipalitySummary(r);
    expect(summary).toMatchObject({ status: 'counting', advanceReported: true, districtsReported: 0, ballotsCounted: 120 });
    expect(summary.countedShare).toBeCloseTo(0.2, 10);
  });

  it('is not complete when every election-day district reported but advance votes did not', () => {
    const r = record();
    applyAcceptedResult(r, '0101', result('election_day', 'preliminary', 100));
    applyAcceptedResult(r, '0102', result('election_day', 'preliminary', 100));
    expect(computeMunicipalitySummary(r)).toMatchObject({ status: 'counting', districtsReported: 2, advanceReported: false });
  });

  it('is not complete when advance reported but one election-day district is missing', () => {
    const r = record();
    applyAcceptedResult(r, '0000', result('advance', 'preliminary', 100));
    applyAcceptedResult(r, '0101', result('election_day', 'preliminary', 100));
    expect(computeMunicipalitySummary(r)).toMatchObject({ status: 'counting', districtsReported: 1 });
  });

  it('does not count a district as reported on advance votes alone', () => {
    const r = record();
    applyAcceptedResult(r, '0000', result('advance', 'preliminary', 100));
    applyAcceptedResult(r, '0101', result('election_day', 'preliminary', 100));
    applyAcceptedResult(r, '0102', result('advance', 'preliminary', 30));
    expect(computeMunicipalitySummary(r)).toMatchObject({ status: 'counting', districtsReported: 1, ballotsCounted: 230 });
  });

  it('is complete when advance and every election-day district reported, with countedShare exactly 1', () => {
    const r = record();
    applyAcceptedResult(r, '0000', result('advance', 'preliminary', 100));
    applyAcceptedResult(r, '0101', result('election_day', 'preliminary', 100));
    applyAcceptedResult(r, '0102', result('election_day', 'preliminary', 100));
    const summary = computeMunicipalitySummary(r);
    // 300 of 600 expected ballots, but every unit has reported.
    expect(summary).toMatchObject({ status: 'complete', districtsReported: 2, ballotsCounted: 300, countedShare: 1 });
  });

  it('is complete on advance alone when there are no election-day districts', () => {
    const r = record([]);
    applyAcceptedResult(r, '0000', result('advance', 'preliminary', 10));
    expect(computeMunicipalitySummary(r)).toMatchObject({ status: 'complete', districtsTotal: 0, countedShare: 1 });
  });

  it.each<[string, number, number]>([
    ['half the expected ballots', 300, 0.5],
    ['exactly the expected ballots', 600, 1],
    ['more than expected, capped', 700, 1],
  ])('countedShare with %s while counting is %s', (_label, ballots, share) => {
    const r = record();
    applyAcceptedResult(r, '0101', result('election_day', 'preliminary', ballots));
    const summary = computeMunicipalitySummary(r);
    expect(summary.status).toBe('counting');
    expect(summary.countedShare).toBeCloseTo(share, 10);
  });

  it('is 0 counted share when no ballots are expected', () => {
    const r = record();
    r.ref.expectedTurnout = 0;
    applyAcceptedResult(r, '0101', result('election_day', 'preliminary', 10));
    expect(computeMunicipalitySummary(r).countedShare).toBe(0);
  });

  it('counts the advance unit in finalShare', () => {
    const r = record(); // 2 election-day districts + advance = 3 units
    applyAcceptedResult(r, '0000', result('advance', 'final', 100));
    expect(computeMunicipalitySummary(r).finalShare).toBe(0.333333);
    applyAcceptedResult(r, '0101', result('election_day', 'final', 100));
    expect(computeMunicipalitySummary(r).finalShare).toBe(0.666667);
    applyAcceptedResult(r, '0102', result('election_day', 'preliminary', 100));
    expect(computeMunicipalitySummary(r).finalShare).toBe(0.666667);
    applyAcceptedResult(r, '0102', result('election_day', 'final', 100));
    expect(computeMunicipalitySummary(r).finalShare).toBe(1);
  });

  it('uses the best count per district for ballotsCounted (final over preliminary, not both)', () => {
    const r = record();
    applyAcceptedResult(r, '0101', result('election_day', 'preliminary', 100));
    applyAcceptedResult(r, '0101', result('election_day', 'final', 104));
    applyAcceptedResult(r, '0102', result('election_day', 'preliminary', 50));
    expect(computeMunicipalitySummary(r).ballotsCounted).toBe(154);
  });

  it('reports the latest receivedAt as lastResultAt', () => {
    const r = record();
    applyAcceptedResult(r, '0102', result('election_day', 'preliminary', 1, {}, { receivedAt: '2023-09-11T19:30:00.000Z' }));
    applyAcceptedResult(r, '0101', result('election_day', 'preliminary', 1, {}, { receivedAt: '2023-09-11T19:10:00.000Z' }));
    expect(computeMunicipalitySummary(r).lastResultAt).toBe('2023-09-11T19:30:00.000Z');
  });
});

describe('listBestResults', () => {
  it('prefers final over preliminary per district × category, whatever the arrival order', () => {
    const r = record();
    const finalFirst = result('election_day', 'final', 110);
    const prelimAfter = result('election_day', 'preliminary', 100);
    r.results.set('0101', [finalFirst, prelimAfter]);
    const prelim = result('election_day', 'preliminary', 90);
    const final = result('election_day', 'final', 95);
    r.results.set('0102', [prelim, final]);
    const advance = result('advance', 'preliminary', 40);
    r.results.set('0000', [advance]);
    const best = listBestResults(r);
    expect(best).toHaveLength(3);
    expect(best).toEqual(expect.arrayContaining([finalFirst, final, advance]));
  });

  it('keeps one result per category within a district', () => {
    const r = record();
    const day = result('election_day', 'preliminary', 90);
    const advFinal = result('advance', 'final', 12);
    r.results.set('0101', [result('advance', 'preliminary', 10), day, advFinal]);
    expect(listBestResults(r)).toEqual(expect.arrayContaining([day, advFinal]));
    expect(listBestResults(r)).toHaveLength(2);
  });
});

describe('computePartyResults', () => {
  it('sums best results, includes zero-vote lists, sorts by votes then code and shares sum to 1', () => {
    const r = record();
    applyAcceptedResult(r, '0101', result('election_day', 'preliminary', 100, { A: 40, H: 30, SV: 10 }));
    applyAcceptedResult(r, '0101', result('election_day', 'final', 100, { A: 41, H: 30, SV: 10 })); // supersedes the preliminary
    applyAcceptedResult(r, '0000', result('advance', 'preliminary', 50, { A: 10, H: 21 }));
    const parties = computePartyResults(r);
    // A and H tie on 51: the code breaks the tie.
    expect(parties.map((p) => [p.code, p.votes])).toEqual([['A', 51], ['H', 51], ['SV', 10], ['V', 0]]);
    expect(parties.find((p) => p.code === 'H')).toEqual({ code: 'H', name: 'Høyre', votes: 51, share: publishedShare(51 / 112), previousShare: null, change: null });
    expect(parties.find((p) => p.code === 'V')).toEqual({ code: 'V', name: 'Venstre', votes: 0, share: 0, previousShare: null, change: null });
    expect(parties.reduce((sum, p) => sum + p.share, 0)).toBeCloseTo(1, 5);
  });

  it('orders by votes before code', () => {
    const r = record();
    applyAcceptedResult(r, '0101', result('election_day', 'preliminary', 100, { V: 30, A: 5, H: 20 }));
    expect(computePartyResults(r).map((p) => p.code)).toEqual(['V', 'H', 'A', 'SV']);
  });

  it('breaks ties by code, not by the order of the reference lists', () => {
    const r = record();
    r.partyLists = [{ code: 'V', name: 'Venstre' }, { code: 'SV', name: 'SV' }, { code: 'H', name: 'Høyre' }, { code: 'A', name: 'Arbeiderpartiet' }];
    applyAcceptedResult(r, '0101', result('election_day', 'preliminary', 100, { V: 10, H: 10, SV: 3, A: 3 }));
    expect(computePartyResults(r).map((p) => p.code)).toEqual(['H', 'V', 'A', 'SV']);
  });

  it('lists every list with zero votes and zero share before any result', () => {
    const parties = computePartyResults(record());
    expect(parties).toEqual([
      { code: 'A', name: 'Arbeiderpartiet', votes: 0, share: 0, previousShare: null, change: null },
      { code: 'H', name: 'Høyre', votes: 0, share: 0, previousShare: null, change: null },
      { code: 'SV', name: 'SV', votes: 0, share: 0, previousShare: null, change: null },
      { code: 'V', name: 'Venstre', votes: 0, share: 0, previousShare: null, change: null },
    ]);
  });
});

describe('applyAcceptedResult', () => {
  it('replaces the same category × stage (a correction) and keeps the others', () => {
    const r = record();
    const prelim = result('election_day', 'preliminary', 100, { A: 60 });
    const advance = result('advance', 'preliminary', 20, { A: 5 });
    applyAcceptedResult(r, '0101', prelim);
    applyAcceptedResult(r, '0101', advance);
    const corrected = result('election_day', 'preliminary', 98, { A: 58 }, { version: 2 });
    applyAcceptedResult(r, '0101', corrected);
    expect(r.results.get('0101')).toHaveLength(2);
    expect(r.results.get('0101')).toEqual(expect.arrayContaining([advance, corrected]));
    expect(computeMunicipalitySummary(r).ballotsCounted).toBe(118);
  });

  it('keeps a preliminary when the final arrives', () => {
    const r = record();
    applyAcceptedResult(r, '0101', result('election_day', 'preliminary', 100));
    applyAcceptedResult(r, '0101', result('election_day', 'final', 101));
    expect(r.results.get('0101')?.map((x) => x.stage).sort()).toEqual(['final', 'preliminary']);
  });

  it('appends a progress point per accepted result, with its receivedAt and the state after it', () => {
    const r = record();
    applyAcceptedResult(r, '0101', result('election_day', 'preliminary', 100, {}, { receivedAt: '2023-09-11T19:10:00.000Z' }));
    applyAcceptedResult(r, '0102', result('election_day', 'preliminary', 80, {}, { receivedAt: '2023-09-11T19:20:00.000Z' }));
    applyAcceptedResult(r, '0101', result('election_day', 'preliminary', 90, {}, { receivedAt: '2023-09-11T19:30:00.000Z', version: 2 }));
    expect(r.progress).toEqual([
      { at: '2023-09-11T19:10:00.000Z', districtsReported: 1, ballotsCounted: 100 },
      { at: '2023-09-11T19:20:00.000Z', districtsReported: 2, ballotsCounted: 180 },
      { at: '2023-09-11T19:30:00.000Z', districtsReported: 2, ballotsCounted: 170 },
    ]);
  });
});

describe('applyLocalCounts', () => {
  it('records new districts with their time and returns them', () => {
    const r = record();
    expect(applyLocalCounts(r, ['0101', '0102'], '2023-09-11T19:00:00.000Z')).toEqual(['0101', '0102']);
    expect(r.countedLocallyAt.get('0101')).toBe('2023-09-11T19:00:00.000Z');
    expect(r.countedLocallyAt.get('0102')).toBe('2023-09-11T19:00:00.000Z');
  });

  it('keeps the earlier time and does not return a district already recorded earlier or at the same time', () => {
    const r = record();
    applyLocalCounts(r, ['0101'], '2023-09-11T19:00:00.000Z');
    expect(applyLocalCounts(r, ['0101', '0102'], '2023-09-11T19:30:00.000Z')).toEqual(['0102']);
    expect(applyLocalCounts(r, ['0101'], '2023-09-11T19:00:00.000Z')).toEqual([]);
    expect(r.countedLocallyAt.get('0101')).toBe('2023-09-11T19:00:00.000Z');
    expect(r.countedLocallyAt.get('0102')).toBe('2023-09-11T19:30:00.000Z');
  });

  it('moves a district to an earlier time and returns it, since its detail changed', () => {
    const r = record();
    applyLocalCounts(r, ['0101'], '2023-09-11T19:30:00.000Z');
    expect(applyLocalCounts(r, ['0101'], '2023-09-11T19:00:00.000Z')).toEqual(['0101']);
    expect(r.countedLocallyAt.get('0101')).toBe('2023-09-11T19:00:00.000Z');
  });

  it('shows the time in the district detail', () => {
    const r = record();
    applyLocalCounts(r, ['0102'], '2023-09-11T19:00:00.000Z');
    const [, , d0102] = r.districts;
    if (!d0102) throw new Error('fixture');
    expect(computeDistrictDetail(r, d0102).countedLocallyAt).toBe('2023-09-11T19:00:00.000Z');
  });
});

describe('computeDistrictDetail', () => {
  it('reports the newest stage of the district\'s own category and the best ballots across categories', () => {
    const r = record();
    applyAcceptedResult(r, '0101', result('election_day', 'preliminary', 100, {}, { receivedAt: '2023-09-11T19:10:00.000Z' }));
    applyAcceptedResult(r, '0101', result('advance', 'final', 20, {}, { receivedAt: '2023-09-11T19:40:00.000Z' }));
    applyAcceptedResult(r, '0101', result('election_day', 'final', 101, {}, { receivedAt: '2023-09-11T19:20:00.000Z' }));
    const district = r.districts.find((d) => d.number === '0101');
    if (!district) throw new Error('fixture');
    const detail = computeDistrictDetail(r, district);
    expect(detail.status).toBe('final');
    expect(detail.ballotsCounted).toBe(121);
    expect(detail.lastReportAt).toBe('2023-09-11T19:40:00.000Z');
    expect(detail.results.map((x) => `${x.category}/${x.stage}`)).toEqual(['advance/final', 'election_day/preliminary', 'election_day/final']);
  });

  it('is waiting when only another category has reported', () => {
    const r = record();
    applyAcceptedResult(r, '0101', result('advance', 'preliminary', 20));
    const district = r.districts.find((d) => d.number === '0101');
    if (!district) throw new Error('fixture');
    expect(computeDistrictDetail(r, district).status).toBe('waiting');
  });
});

describe('change since the previous election', () => {
  it('gives the 2019 share of list votes and the change in points, for lists that stood then', () => {
    const r = record();
    r.ref = { ...r.ref, previousVotes: { A: 30, H: 50, SV: 20 } };
    applyAcceptedResult(r, '0101', result('election_day', 'preliminary', 100, { A: 40, H: 40, SV: 10, V: 10 }));
    const byCode = Object.fromEntries(computePartyResults(r).map((p) => [p.code, p]));
    expect(byCode.A).toMatchObject({ share: 0.4, previousShare: 0.3 });
    expect(byCode.A!.change).toBeCloseTo(0.1, 10);
    expect(byCode.H!.change).toBeCloseTo(-0.1, 10);
    // Venstre did not stand in 2019 here: no comparison rather than "+10".
    expect(byCode.V).toMatchObject({ previousShare: null, change: null });
  });

  it('has a previous share but no change before any votes are counted', () => {
    const r = record();
    r.ref = { ...r.ref, previousVotes: { A: 1, H: 3 } };
    expect(computePartyResults(r).find((p) => p.code === 'H')).toMatchObject({ previousShare: 0.75, change: null });
  });
});

describe('computeMunicipalityView: seats and the leading party', () => {
  it('allocates the council on the counted votes, provisionally until every unit is final', () => {
    const r = record(['0101']);
    r.ref = { ...r.ref, councilSize: 11 };
    applyAcceptedResult(r, '0101', result('election_day', 'preliminary', 100, { A: 600, H: 300, SV: 100 }));
    const view = computeMunicipalityView(r);
    expect(view.seats).toMatchObject({ councilSize: 11, provisional: true, drawnByLot: [] });
    expect(view.seats.lists.reduce((sum, l) => sum + l.seats, 0)).toBe(11);
    expect(view.seats.lists.map((l) => l.code)).toEqual(['A', 'H', 'SV']);
    expect(view.summary.leadingParty).toMatchObject({ code: 'A', name: 'Arbeiderpartiet', share: 0.6 });
    applyAcceptedResult(r, '0101', result('election_day', 'final', 100, { A: 600, H: 300, SV: 100 }));
    applyAcceptedResult(r, '0000', result('advance', 'final', 0, {}));
    expect(computeMunicipalityView(r).seats.provisional).toBe(false);
  });

  it('gives pooled "Andre lister" no seats and never lets it lead', () => {
    const r = record(['0101']);
    r.partyLists = [...r.partyLists, { code: POOLED_LISTS_CODE, name: 'Andre lister' }];
    applyAcceptedResult(r, '0101', result('election_day', 'preliminary', 100, { [POOLED_LISTS_CODE]: 900, H: 100 }));
    const view = computeMunicipalityView(r);
    expect(view.seats.lists.map((l) => l.code)).toEqual(['H']);
    expect(view.summary.leadingParty?.code).toBe('H');
  });

  it('has no seats and no leader before any votes', () => {
    const view = computeMunicipalityView(record());
    expect(view.seats.lists).toEqual([]);
    expect(view.summary.leadingParty).toBeNull();
  });
});
