import { describe, expect, it } from 'vitest';
import type { Alert, BoardRow } from '../contracts/ops.ts';
import { computeBallotsWaiting, sortAlertsForTriage } from './alert-order.ts';

type A = Pick<Alert, 'status' | 'kind' | 'municipality'>;
type Row = Pick<BoardRow, 'ballotsOutstanding' | 'stateInfo'>;

function row(outstanding: number, pending = 0): Row {
  return {
    ballotsOutstanding: outstanding,
    stateInfo: {
      state: 'stalled', since: null, reason: '', reasonFacts: { kind: 'waiting', stage: 'preliminary' }, underlyingState: 'stalled', publicNote: null, lastContactAt: null,
      reconciliation: { districtsCountedLocally: 0, districtsReceived: 0, districtsPending: 0, ballotsReceived: 0, ballotsPendingEstimate: pending, oldestPendingSince: null },
    },
  };
}

const rows = new Map<string, Row>([['0301', row(348_888)], ['4601', row(120_000, 5_000)], ['1804', row(9_000)], ['4621', row(2_000, 9_500)]]);

describe('sortAlertsForTriage', () => {
  it.each<[string, A[], string[]]>([
    // The 2023 complaint: newest first put Oslo, the largest, last.
    ['the most ballots first within a state', [
      { municipality: '1804', kind: 'stalled', status: 'open' },
      { municipality: '4601', kind: 'stalled', status: 'open' },
      { municipality: '0301', kind: 'stalled', status: 'open' },
    ], ['0301', '4601', '1804']],
    ['severity before size', [
      { municipality: '0301', kind: 'slow', status: 'open' },
      { municipality: '1804', kind: 'backlog', status: 'open' },
      { municipality: '4601', kind: 'stalled', status: 'open' },
      { municipality: '4621', kind: 'regressed', status: 'open' },
    ], ['4621', '1804', '4601', '0301']],
    ['open before acknowledged', [
      { municipality: '0301', kind: 'backlog', status: 'acknowledged' },
      { municipality: '1804', kind: 'slow', status: 'open' },
    ], ['1804', '0301']],
    ['unknown municipalities last within their group, then by number', [
      { municipality: '9999', kind: 'stalled', status: 'open' },
      { municipality: '9998', kind: 'stalled', status: 'open' },
      { municipality: '1804', kind: 'stalled', status: 'open' },
    ], ['1804', '9998', '9999']],
  ])('%s', (_name, alerts, expected) => {
    expect(sortAlertsForTriage(alerts, rows).map((a) => a.municipality)).toEqual(expected);
  });

  it('does not reorder its input', () => {
    const alerts: A[] = [{ municipality: '1804', kind: 'stalled', status: 'open' }, { municipality: '0301', kind: 'stalled', status: 'open' }];
    sortAlertsForTriage(alerts, rows);
    expect(alerts[0]!.municipality).toBe('1804');
  });
});

describe('computeBallotsWaiting', () => {
  it.each<[string, Row | undefined, number]>([
    ['not on the board', undefined, 0],
    ['outstanding ballots', row(9_000), 9_000],
    ['the pending estimate when larger (more turnout than 2019)', row(2_000, 9_500), 9_500],
  ])('%s', (_name, r, expected) => expect(computeBallotsWaiting(r)).toBe(expected));
});
