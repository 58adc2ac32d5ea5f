import { describe, expect, it } from 'vitest';
import type { MunicipalitySummary, Snapshot } from '../contracts/live.ts';
import { computeFirstScreen, findFirstScreenFacts } from './first-screen.ts';
import { DEFAULT_QUERY, latestResultAt, listCounties, queryMunicipalities } from './municipality-query.ts';
import { computeNightStatus } from './night-status.ts';

function m(index: number, patch: Partial<MunicipalitySummary> = {}): MunicipalitySummary {
  const number = String(1000 + index);
  return {
    number, name: `Kommune ${String(index).padStart(3, '0')}`, countyNumber: String(10 + (index % 7)), countyName: `Fylke ${index % 7}`, watch: false,
    status: 'counting', districtsReported: index % 5, districtsTotal: 5, advanceReported: true, ballotsCounted: 100 * index, electorate: 1000,
    expectedBallots: 100_000, countedShare: 0.1, finalShare: 0, lastResultAt: `2023-09-11T21:${String(index % 60).padStart(2, '0')}:00Z`,
    state: 'counting', stateSince: null, stateReason: '', stateReasonFacts: { kind: 'waiting', stage: 'preliminary' }, publicNote: null, leadingParty: null,
    districtsCountedLocally: index % 5, advanceCountedLocally: true, ballotsPendingEstimate: index, pendingSince: null, turnout: 0, expectedTurnout: 65, comparisonTurnout: null, ...patch,
  };
}

// 357 municipalities in an order that is not the table's (reversed names): 3 behind late in the alphabet, 4 on the watchlist.
const municipalities = Array.from({ length: 357 }, (_, i) => m(i, { name: `Kommune ${String(356 - i).padStart(3, '0')}` }))
  .map((row, i) => (i < 3 ? { ...row, state: 'backlog' as const } : i >= 200 && i < 204 ? { ...row, watch: true } : row));
const snapshot = {
  seq: 42, generatedAt: '2023-09-11T22:00:00Z', clock: { mode: 'wall', now: '2023-09-11T22:00:00Z', speed: 1 },
  election: { id: 'ko2023', name: 'Kommunestyrevalget 2023' },
  national: { municipalitiesTotal: 357 },
  municipalities,
} as unknown as Snapshot;

describe('computeFirstScreen', () => {
  const first = computeFirstScreen(snapshot);

  it('holds those behind, the watchlist and the table\'s first 25 rows, and no other', () => {
    const numbers = new Set(first.municipalities.map((row) => row.number));
    const expected = new Set([
      ...computeNightStatus(municipalities).behind.map((row) => row.number),
      ...municipalities.filter((row) => row.watch).map((row) => row.number),
      ...queryMunicipalities(municipalities, DEFAULT_QUERY).slice(0, 25).map((row) => row.number),
    ]);
    expect(numbers).toEqual(expected);
    expect(first.municipalities.length).toBe(3 + 4 + 25);
    // Kept in the snapshot's order.
    expect(first.municipalities.map((row) => row.number)).toEqual(municipalities.filter((row) => expected.has(row.number)).map((row) => row.number));
  });

  it('shows the same first rows, watchlist and those behind as the full snapshot would', () => {
    expect(queryMunicipalities(first.municipalities, DEFAULT_QUERY).slice(0, 25)).toEqual(queryMunicipalities(municipalities, DEFAULT_QUERY).slice(0, 25));
    expect(computeNightStatus(first.municipalities).behind).toEqual(computeNightStatus(municipalities).behind);
    expect(first.municipalities.filter((row) => row.watch)).toEqual(municipalities.filter((row) => row.watch));
  });

  it('carries what is computed over every municipality: total, counties, the national ledger, the newest result', () => {
    const night = computeNightStatus(municipalities);
    expect(first.firstScreen).toEqual({
      municipalitiesTotal: 357,
      counties: listCounties(municipalities),
      ledger: { districtsCountedLocally: night.districtsCountedLocally, districtsPublished: night.districtsPublished, districtsTotal: night.districtsTotal, ballotsPendingEstimate: night.ballotsPendingEstimate },
      latestResultAt: latestResultAt(municipalities),
    });
    expect(first.firstScreen.counties).toHaveLength(7);
  });

  it('keeps the snapshot\'s seq, clock and national figures, so the live socket continues from them', () => {
    expect(first).toMatchObject({ seq: 42, clock: snapshot.clock, national: snapshot.national, election: snapshot.election });
  });

  it('tells a first screen from a full snapshot', () => {
    expect(findFirstScreenFacts(first)).toBe(first.firstScreen);
    expect(findFirstScreenFacts(snapshot)).toBeNull();
  });

  it('is the whole list when there are fewer municipalities than rows', () => {
    const small = computeFirstScreen({ ...snapshot, municipalities: municipalities.slice(10, 20) });
    expect(small.municipalities).toHaveLength(10);
  });
});
