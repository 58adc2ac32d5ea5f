import { describe, expect, it } from 'vitest';
import type { MunicipalitySummary } from '../contracts/live.ts';
import { DEFAULT_QUERY, countedBand, latestResultAt, listCounties, queryMunicipalities, type MunicipalityQuery } from './municipality-query.ts';

function m(number: string, name: string, patch: Partial<MunicipalitySummary> = {}): MunicipalitySummary {
  return {
    number, name, countyNumber: '03', countyName: 'Oslo', watch: false, status: 'counting', districtsReported: 1, districtsTotal: 4,
    advanceReported: true, ballotsCounted: 10, electorate: 100, expectedBallots: 60, countedShare: 0.2, finalShare: 0, lastResultAt: null,
    state: 'counting', stateSince: null, stateReason: '', stateReasonFacts: { kind: 'waiting', stage: 'preliminary' }, publicNote: null, leadingParty: null,
    districtsCountedLocally: 1, advanceCountedLocally: true, ballotsPendingEstimate: 0, pendingSince: null, turnout: 0, expectedTurnout: 65, comparisonTurnout: null, ...patch,
  };
}

const rows = [
  m('0301', 'Oslo', { countedShare: 0.6, leadingParty: { code: 'H', name: 'Høyre', share: 0.3, seats: 20 }, lastResultAt: '2023-09-11T20:10:00Z' }),
  m('4601', 'Bergen', { countyNumber: '46', countyName: 'Vestland', state: 'stalled', countedShare: 0.1, leadingParty: { code: 'A', name: 'Arbeiderpartiet', share: 0.2, seats: 15 } }),
  m('1103', 'Stavanger', { countyNumber: '11', countyName: 'Rogaland', status: 'complete', state: 'complete', countedShare: 1, leadingParty: { code: 'H', name: 'Høyre', share: 0.25, seats: 17 }, lastResultAt: '2023-09-11T21:00:00Z' }),
  m('3201', 'Bærum', { countyNumber: '32', countyName: 'Akershus', status: 'waiting', state: 'waiting', countedShare: 0, ballotsCounted: 0 }),
  m('5001', 'Trondheim', { countyNumber: '50', countyName: 'Trøndelag', countedShare: 0.45 }),
];
const names = (query: Partial<MunicipalityQuery>) => queryMunicipalities(rows, { ...DEFAULT_QUERY, ...query }).map((r) => r.name);

describe('queryMunicipalities', () => {
  it('sorts by name the Norwegian way by default (Æ after Z)', () => {
    expect(names({})).toEqual(['Bergen', 'Bærum', 'Oslo', 'Stavanger', 'Trondheim']);
  });

  it.each([
    [{ sort: 'counted', descending: true }, ['Stavanger', 'Oslo', 'Trondheim', 'Bergen', 'Bærum']],
    [{ sort: 'state' }, ['Bergen', 'Bærum', 'Oslo', 'Trondheim', 'Stavanger']],
    [{ sort: 'county' }, ['Bærum', 'Oslo', 'Stavanger', 'Trondheim', 'Bergen']],
    [{ sort: 'leader' }, ['Bergen', 'Oslo', 'Stavanger', 'Bærum', 'Trondheim']],
    [{ sort: 'lastResult', descending: true }, ['Stavanger', 'Oslo', 'Bergen', 'Bærum', 'Trondheim']],
  ] as const)('sorts by %o', (query, expected) => {
    expect(names(query)).toEqual(expected);
  });

  it('searches by name or county (any case, æøå) or by number prefix', () => {
    expect(names({ search: 'trøndelag' })).toEqual(['Trondheim']);
    expect(names({ search: 'BÆR' })).toEqual(['Bærum']);
    expect(names({ search: 'berg' })).toEqual(['Bergen']);
    expect(names({ search: '46' })).toEqual(['Bergen']);
    expect(names({ search: '0301' })).toEqual(['Oslo']);
    expect(names({ search: '  ' })).toHaveLength(5);
  });

  it('filters by county, visible state, share counted and leading party, together', () => {
    expect(names({ county: '46' })).toEqual(['Bergen']);
    expect(names({ state: 'stalled' })).toEqual(['Bergen']);
    expect(names({ state: 'counting' })).toEqual(['Oslo', 'Trondheim']);
    expect(names({ counted: 'none' })).toEqual(['Bærum']);
    expect(names({ counted: 'most' })).toEqual(['Oslo']);
    expect(names({ leader: 'H' })).toEqual(['Oslo', 'Stavanger']);
    expect(names({ leader: 'H', counted: 'all' })).toEqual(['Stavanger']);
  });

  it('bands the share counted', () => {
    expect(countedBand({ countedShare: 0, status: 'waiting' })).toBe('none');
    expect(countedBand({ countedShare: 0.49, status: 'counting' })).toBe('some');
    expect(countedBand({ countedShare: 0.5, status: 'counting' })).toBe('most');
    expect(countedBand({ countedShare: 1, status: 'counting' })).toBe('most');
    expect(countedBand({ countedShare: 0.9, status: 'complete' })).toBe('all');
  });
});

describe('listCounties and latestResultAt', () => {
  it('lists each county once, in Norwegian order', () => {
    expect(listCounties(rows)).toEqual([['32', 'Akershus'], ['03', 'Oslo'], ['11', 'Rogaland'], ['50', 'Trøndelag'], ['46', 'Vestland']]);
  });

  it('finds the newest result, or null before any', () => {
    expect(latestResultAt(rows)).toBe('2023-09-11T21:00:00Z');
    expect(latestResultAt([m('0301', 'Oslo')])).toBeNull();
  });
});
