import { describe, expect, it } from 'vitest';
import { computeTurnoutCounts, describeAreaTurnout, describeMunicipalityTurnout, turnoutChange, turnoutPercent, turnoutStatics, turnoutTotalsFrom, type TurnoutInput } from './turnout.ts';
import { computeMunicipalitySummary, computeMunicipalityView, createMunicipalityRecord, applyAcceptedResult } from './municipality.ts';

const m = (patch: Partial<TurnoutInput>): TurnoutInput => ({ ballotsCast: 0, electorate: 1000, expected: 60, comparison: 62, complete: false, ...patch });

describe('turnout', () => {
  it('is ballots cast per 100 entitled to vote, one decimal; 0 without an electorate', () => {
    expect(turnoutPercent(6437, 10000)).toBe(64.4);
    expect(turnoutPercent(6435, 10000)).toBe(64.4);
    expect(turnoutPercent(1, 3)).toBe(33.3);
    expect(turnoutPercent(5, 0)).toBe(0);
  });

  it('counts a municipality\'s approved (blank included) and rejected ballots, of its best counts', () => {
    const record = createMunicipalityRecord(
      { number: '4601', name: 'Bergen', countyNumber: '46', countyName: 'Vestland', electorate: 1000, councilSize: 67, expectedTurnout: 70, comparisonTurnout: 68.2, watch: false },
      [{ number: '0000', name: 'Forhånd', electorate: 0, kind: 'advance' }, { number: '0101', name: 'Sentrum', electorate: 1000, kind: 'election_day' }],
      [{ code: 'A', name: 'Arbeiderpartiet' }],
    );
    const result = (stage: 'preliminary' | 'final', counted: number, rejected: number) => ({
      category: 'election_day' as const, stage, version: 1, countedAt: '2023-09-11T19:30:00.000Z', receivedAt: '2023-09-11T19:31:00.000Z',
      ballotsCounted: counted, ballotsRejected: rejected, ballotsBlank: 3, votes: { A: counted - 3 },
    });
    applyAcceptedResult(record, '0101', result('preliminary', 400, 5));
    expect(computeMunicipalitySummary(record)).toMatchObject({ turnout: 40.5, expectedTurnout: 70, comparisonTurnout: 68.2 });
    // The final count replaces the preliminary one.
    applyAcceptedResult(record, '0101', result('final', 398, 4));
    expect(computeMunicipalitySummary(record).turnout).toBe(40.2);
    expect(computeMunicipalityView(record).ballotsCast).toBe(402);
  });

  it('adds up an area: so far over the whole electorate, and like for like over the complete municipalities', () => {
    const inputs = [
      m({ ballotsCast: 640, complete: true, comparison: 66 }),
      m({ ballotsCast: 1200, electorate: 2000, expected: 65, complete: true, comparison: 60 }),
      m({ ballotsCast: 100, electorate: 3000, expected: 55 }),
    ];
    const totals = turnoutTotalsFrom(computeTurnoutCounts(inputs), turnoutStatics(inputs));
    expect(totals).toEqual({
      soFar: turnoutPercent(1940, 6000),
      expected: 59.2, // (600 + 1300 + 1650) / 6000
      complete: { municipalities: 2, turnout: 61.3, comparison: { municipalities: 2, turnout: 61.3, previous: 62 } }, // 1840 / 3000; (660 + 1200) / 3000
    });
  });

  it('compares over the complete municipalities that have a previous figure, and not before one is complete', () => {
    const partial = [m({ ballotsCast: 640, complete: true, comparison: null }), m({ ballotsCast: 600, complete: true })];
    expect(turnoutTotalsFrom(computeTurnoutCounts(partial), turnoutStatics(partial)).complete).toEqual({ municipalities: 2, turnout: 62, comparison: { municipalities: 1, turnout: 60, previous: 62 } });
    const without = [m({ ballotsCast: 640, complete: true, comparison: null })];
    expect(turnoutTotalsFrom(computeTurnoutCounts(without), turnoutStatics(without)).complete?.comparison).toBeNull();
    const none = [m({ ballotsCast: 100 })];
    expect(turnoutTotalsFrom(computeTurnoutCounts(none), turnoutStatics(none)).complete).toBeNull();
  });

  it('gives the change in percentage points, or none without a previous figure', () => {
    expect(turnoutChange(64.0, 67.3)).toBe(-3.3);
    expect(turnoutChange(64.2, 64.1)).toBe(0.1);
    expect(turnoutChange(64, null)).toBeNull();
  });
});

describe('turnout in words', () => {
  it('says a counting municipality\'s turnout so far beside the expectation, and a complete one\'s change', () => {
    expect(describeMunicipalityTurnout({ status: 'counting', turnout: 41.3, expectedTurnout: 67.3, comparisonTurnout: 67.3 }, 2019)).toBe('forventet 67,3\u00a0% (2019: 67,3\u00a0%) · så langt opptalt: 41,3\u00a0% av de stemmeberettigede');
    expect(describeMunicipalityTurnout({ status: 'complete', turnout: 64, expectedTurnout: 67.3, comparisonTurnout: 67.3 }, 2019)).toBe('64,0\u00a0% (2019: 67,3\u00a0%, −3,3 prosentpoeng)');
    expect(describeMunicipalityTurnout({ status: 'complete', turnout: 64, expectedTurnout: 67.3, comparisonTurnout: null }, 2019)).toBe('64,0\u00a0%');
  });

  it('says an area\'s turnout so far, and like for like over the complete municipalities', () => {
    expect(describeAreaTurnout({ soFar: 12.5, expected: 64.7, complete: null }, 2019)).toBe('forventet 64,7\u00a0% · så langt opptalt: 12,5\u00a0% av de stemmeberettigede');
    expect(describeAreaTurnout({ soFar: 40.1, expected: 64.7, complete: { municipalities: 12, turnout: 61.2, comparison: { municipalities: 12, turnout: 61.2, previous: 63 } } }, 2019))
      .toBe('forventet 64,7\u00a0% · så langt opptalt: 40,1\u00a0% av de stemmeberettigede · 61,2\u00a0% i de 12 kommunene som er ferdig opptalt (2019: 63,0\u00a0% i de samme, −1,8 prosentpoeng)');
    expect(describeAreaTurnout({ soFar: 40.1, expected: 64.7, complete: { municipalities: 344, turnout: 61.9, comparison: { municipalities: 343, turnout: 62, previous: 64.3 } } }, 2019))
      .toBe('forventet 64,7\u00a0% · så langt opptalt: 40,1\u00a0% av de stemmeberettigede · 61,9\u00a0% i de 344 kommunene som er ferdig opptalt (i de 343 av dem med tall fra 2019: 62,0\u00a0% mot 64,3\u00a0%, −2,3 prosentpoeng)');
  });
});

describe('turnout in words, per locale', () => {
  const counting = { status: 'counting' as const, turnout: 41.3, expectedTurnout: 67.3, comparisonTurnout: 67.3 };
  const complete = { status: 'complete' as const, turnout: 64, expectedTurnout: 67.3, comparisonTurnout: 67.3 };
  const area = { soFar: 40.1, expected: 64.7, complete: { municipalities: 1344, turnout: 61.9, comparison: { municipalities: 1343, turnout: 62, previous: 64.3 } } };
  const one = { soFar: 40.1, expected: 64.7, complete: { municipalities: 1, turnout: 61.2, comparison: { municipalities: 1, turnout: 61.2, previous: 63 } } };
  it.each([
    ['nn', 'forventa 67,3\u00a0% (2019: 67,3\u00a0%) · så langt opptalt: 41,3\u00a0% av dei røysteføre', '64,0\u00a0% (2019: 67,3\u00a0%, −3,3 prosentpoeng)',
      'forventa 64,7\u00a0% · så langt opptalt: 40,1\u00a0% av dei røysteføre · 61,9\u00a0% i dei 1\u00a0344 kommunane som er ferdig opptalt (i dei 1\u00a0343 av dei med tal frå 2019: 62,0\u00a0% mot 64,3\u00a0%, −2,3 prosentpoeng)',
      'forventa 64,7\u00a0% · så langt opptalt: 40,1\u00a0% av dei røysteføre · 61,2\u00a0% i den eine kommunen som er ferdig opptalt (2019: 63,0\u00a0% i dei same, −1,8 prosentpoeng)'],
    ['en', 'expected 67.3% (2019: 67.3%) · counted so far: 41.3% of the electorate', '64.0% (2019: 67.3%, -3.3 percentage points)',
      'expected 64.7% · counted so far: 40.1% of the electorate · 61.9% in the 1,344 municipalities fully counted (in the 1,343 of them with figures from 2019: 62.0% against 64.3%, -2.3 percentage points)',
      'expected 64.7% · counted so far: 40.1% of the electorate · 61.2% in the one municipality fully counted (2019: 63.0% in the same, -1.8 percentage points)'],
  ] as const)('%s', (locale, municipalityCounting, municipalityComplete, areaText, oneText) => {
    expect(describeMunicipalityTurnout(counting, 2019, locale)).toBe(municipalityCounting);
    expect(describeMunicipalityTurnout(complete, 2019, locale)).toBe(municipalityComplete);
    expect(describeAreaTurnout(area, 2019, locale)).toBe(areaText);
    expect(describeAreaTurnout(one, 2019, locale)).toBe(oneText);
  });

  it('bokmål is the default', () => {
    expect(describeAreaTurnout(area, 2019, 'nb')).toBe(describeAreaTurnout(area, 2019));
    expect(describeMunicipalityTurnout(counting, null, 'nb')).toBe('forventet 67,3\u00a0% · så langt opptalt: 41,3\u00a0% av de stemmeberettigede');
  });
});
