import { describe, expect, it } from 'vitest';
import type { MunicipalitySummary } from '../contracts/live.ts';
import { MUNICIPALITY_STATES, type BoardRow, type MunicipalityState } from '../contracts/ops.ts';
import { computeNightStatus } from './night-status.ts';
import {
  MAP_STATE_ORDER, STATE_STYLES, computeLeaderLegend, computeStateLegend, listBehind, mapMunicipalityFromBoardRow, mapStateOf, orderForFocus,
} from './status-map.ts';

function m(number: string, patch: Partial<MunicipalitySummary> = {}): MunicipalitySummary {
  return {
    number, name: `Kommune ${number}`, countyNumber: '03', countyName: 'Oslo', watch: false, status: 'counting', districtsReported: 1, districtsTotal: 4,
    advanceReported: true, ballotsCounted: 100, electorate: 1000, expectedBallots: 600, countedShare: 0.17, finalShare: 0, lastResultAt: null,
    state: 'counting', stateSince: null, stateReason: '', stateReasonFacts: { kind: 'waiting', stage: 'preliminary' }, publicNote: null, leadingParty: null,
    districtsCountedLocally: 1, advanceCountedLocally: true, ballotsPendingEstimate: 0, pendingSince: null, turnout: 0, expectedTurnout: 65, comparisonTurnout: null, ...patch,
  };
}
const party = (code: string) => ({ code, name: `Parti ${code}`, share: 0.3, seats: 0 });

/** WCAG relative luminance and contrast, to check the patterns' ink stands out from their fill. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].toSorted((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
};

describe('STATE_STYLES', () => {
  it('gives every state a style and a place in the legend, each once', () => {
    expect(MAP_STATE_ORDER.toSorted()).toEqual([...MUNICIPALITY_STATES].toSorted());
    expect(Object.keys(STATE_STYLES).toSorted()).toEqual([...MUNICIPALITY_STATES].toSorted());
  });

  it('uses distinct colours, and a distinct pattern for each state that means behind, none for the others', () => {
    const fills = Object.values(STATE_STYLES).map((s) => s.fill);
    expect(new Set(fills).size).toBe(fills.length);
    const patterned = MUNICIPALITY_STATES.filter((s) => STATE_STYLES[s].pattern !== null);
    expect(patterned.toSorted()).toEqual(['backlog', 'regressed', 'slow', 'stalled', 'under_review']);
    expect(new Set(patterned.map((s) => STATE_STYLES[s].pattern)).size).toBe(patterned.length);
  });

  it.each(MUNICIPALITY_STATES.filter((s) => STATE_STYLES[s].pattern))('draws %s’s pattern in an ink that stands out (3:1)', (state) => {
    const { fill, ink } = STATE_STYLES[state];
    expect(contrast(fill, ink)).toBeGreaterThanOrEqual(3);
  });
});

describe('mapStateOf', () => {
  it.each<[MunicipalityState, MunicipalitySummary['status'], MunicipalityState]>([
    ['stalled', 'counting', 'stalled'],
    ['backlog', 'waiting', 'backlog'],
    ['under_review', 'complete', 'under_review'],
    ['counting', 'counting', 'counting'],
    // Not behind: the progress the public badges show.
    ['counting', 'complete', 'complete'],
    ['waiting', 'waiting', 'waiting'],
  ])('state %s with status %s is drawn as %s', (state, status, drawn) => {
    expect(mapStateOf({ state, status })).toBe(drawn);
  });
});

describe('legends', () => {
  it('counts every state, in legend order, zero included', () => {
    const legend = computeStateLegend([m('1', { state: 'stalled' }), m('2', { state: 'stalled' }), m('3', { status: 'complete', state: 'complete' }), m('4')]);
    expect(legend.map((e) => e.key)).toEqual([...MAP_STATE_ORDER]);
    expect(Object.fromEntries(legend.map((e) => [e.key, e.count]))).toMatchObject({ stalled: 2, complete: 1, counting: 1, waiting: 0, backlog: 0 });
  });

  it('lists the leading lists, most municipalities first, then those without votes', () => {
    const legend = computeLeaderLegend([
      m('1', { leadingParty: party('H') }), m('2', { leadingParty: party('A') }), m('3', { leadingParty: party('H') }),
      m('4', { leadingParty: party('SP') }), m('5'),
    ]);
    expect(legend.map((e) => [e.code, e.count])).toEqual([['H', 2], ['A', 1], ['SP', 1], [null, 1]]);
    expect(legend[0]?.name).toBe('Parti H');
    expect(computeLeaderLegend([m('1', { leadingParty: party('A') })]).map((e) => e.code)).toEqual(['A']);
  });
});

describe('orderForFocus and listBehind', () => {
  const rows = [
    m('0004', { state: 'counting' }),
    m('0001', { state: 'stalled', expectedBallots: 1000, ballotsCounted: 900 }),
    m('0301', { state: 'backlog', expectedBallots: 400_000, ballotsCounted: 35_000 }),
    m('0002', { state: 'complete', status: 'complete' }),
    m('4621', { state: 'under_review', expectedBallots: 8000, ballotsCounted: 0 }),
  ];

  it('puts those behind first, worst first, then the rest by number', () => {
    expect(orderForFocus(rows).map((r) => r.number)).toEqual(['0301', '4621', '0001', '0002', '0004']);
  });

  it('lists exactly those behind, in the night status’s order', () => {
    expect(listBehind(rows).map((r) => r.number)).toEqual(computeNightStatus(rows).behind.map((r) => r.number));
    expect(listBehind([m('1'), m('2', { state: 'complete', status: 'complete' })])).toEqual([]);
  });
});

describe('mapMunicipalityFromBoardRow', () => {
  const row = (patch: Partial<BoardRow> = {}, state: MunicipalityState = 'backlog'): BoardRow => ({
    number: '0301', name: 'Oslo', countyName: 'Oslo', watch: true, districtsReported: 21, districtsTotal: 101, ballotsCounted: 35_000,
    expectedBallots: 380_000, ballotsOutstanding: 345_000, lastResultAt: null, alertId: null,
    stateInfo: {
      state, since: '2023-09-11T22:40:00Z', reason: '70 kretser talt lokalt, ikke publisert', underlyingState: state, publicNote: 'Merknad',
      reasonFacts: { kind: 'pending', stages: [{ stage: 'preliminary', units: [{ category: 'election_day', count: 70 }] }] },
      lastContactAt: null,
      reconciliation: { districtsCountedLocally: 91, districtsReceived: 21, districtsPending: 70, ballotsReceived: 35_000, ballotsPendingEstimate: 180_000, oldestPendingSince: null },
    },
    ...patch,
  });

  it('carries the state, reason, note and both ledgers', () => {
    expect(mapMunicipalityFromBoardRow(row())).toMatchObject({
      number: '0301', name: 'Oslo', state: 'backlog', status: 'counting', stateReason: '70 kretser talt lokalt, ikke publisert',
      stateReasonFacts: { kind: 'pending', stages: [{ stage: 'preliminary', units: [{ category: 'election_day', count: 70 }] }] },
      stateSince: '2023-09-11T22:40:00Z', publicNote: 'Merknad', districtsCountedLocally: 91, districtsReported: 21, districtsTotal: 101,
      ballotsPendingEstimate: 180_000, leadingParty: null,
    });
  });

  it('counts a district with a result but no status report as counted locally, as the public pages do', () => {
    const r = row({ districtsReported: 1, ballotsCounted: 2000 }, 'counting');
    r.stateInfo.reconciliation = { ...r.stateInfo.reconciliation, districtsCountedLocally: 0, districtsReceived: 0, districtsPending: 0 };
    expect(mapMunicipalityFromBoardRow(r).districtsCountedLocally).toBe(1);
  });

  it('calls a municipality with nothing published waiting', () => {
    expect(mapMunicipalityFromBoardRow(row({ districtsReported: 0, ballotsCounted: 0 }, 'waiting')).status).toBe('waiting');
  });
});
