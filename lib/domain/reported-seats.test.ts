import { describe, expect, it } from 'vitest';
import { ZSeatsReport, type ReportedSeats, type SeatsReport } from '../contracts/seats.ts';
import { checkSeatsReport, compareAreas, decideSeatsReport, mergeReportedSeats, toReportedSeats, toSeatsPayload, type SeatsReference } from './reported-seats.ts';

const POLLS_CLOSE = new Date('2025-09-08T19:00:00Z');
const NOW = new Date('2025-09-08T22:00:00Z');
const reference = (kind: SeatsReference['kind'] = 'storting'): SeatsReference => ({
  kind, electionId: 'st2025', counties: new Map([['03', 'Oslo'], ['46', 'Vestland']]),
  listsIn: (area) => new Map(area === '03' ? [['A', 'Arbeiderpartiet']] : [['A', 'Arbeiderpartiet'], ['H', 'Høyre']]),
});
const report = (patch: Partial<SeatsReport> = {}): SeatsReport => ({ area: '46', reportedAt: '2025-09-08T23:40:00+02:00', source: 'valgresultat.no', seats: [{ list: 'A', seats: 2 }], ...patch });

describe('checkSeatsReport', () => {
  it.each([
    ['a known county and list', report(), []],
    ['the national area, any list of the election', report({ area: 'national', seats: [{ list: 'H', seats: 1 }] }), []],
    ['an unknown county', report({ area: '99' }), [{ field: 'area', reason: 'no county 99 in election st2025' }]],
    ['a list not standing in that county', report({ area: '03', seats: [{ list: 'H', seats: 1 }] }), [{ field: 'seats.0.list', reason: 'no list "H" stands in county 03' }]],
    ['a time in the future', report({ reportedAt: '2025-09-09T02:00:00+02:00' }), [{ field: 'reportedAt', reason: expect.stringContaining('lies in the future') }]],
  ])('%s', (_name, given, issues) => {
    expect(checkSeatsReport(given, reference(), NOW, POLLS_CLOSE)).toEqual(issues);
  });

  it('refuses every report for an election whose seats Valgvakt computes', () => {
    expect(checkSeatsReport(report(), reference('municipal'), NOW, POLLS_CLOSE)).toEqual([{ field: 'area', reason: 'election st2025 is municipal: Valgvakt computes its seats, so none are reported' }]);
  });
});

describe('ZSeatsReport', () => {
  it('names a list given twice and levelling above seats', () => {
    const parsed = ZSeatsReport.safeParse(report({ seats: [{ list: 'A', seats: 1, levelling: 2 }, { list: 'A', seats: 1 }] }));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['seats.0.levelling', 'must not exceed seats'], ['seats.1.list', 'list "A" is named twice']]);
  });
});

describe('decideSeatsReport', () => {
  const at = new Date('2025-09-08T21:40:00Z');
  const stored = (reportedAt: Date, payloadHash = 'h1', seq = 7) => ({ reportedAt, payloadHash, seq });
  it.each([
    ['the first for its area', null, null, { kind: 'create' }],
    ['newer than the newest', null, stored(new Date('2025-09-08T21:00:00Z')), { kind: 'create' }],
    ['an exact resend', stored(at), stored(at), { kind: 'duplicate', seq: 7 }],
    ['other seats at the same time', stored(at, 'h2'), stored(at, 'h2'), { kind: 'conflict', field: 'reportedAt', reason: 'other seats for this area were already reported at 2025-09-08T21:40:00.000Z' }],
    ['older than the newest', null, stored(new Date('2025-09-08T22:00:00Z')), { kind: 'conflict', field: 'reportedAt', reason: 'older than the seats already reported for this area at 2025-09-08T22:00:00.000Z' }],
  ])('%s', (_name, sameTime, newest, decision) => {
    expect(decideSeatsReport(at, 'h1', sameTime, newest)).toEqual(decision);
  });
});

describe('payload and display', () => {
  it('stores lists in code order (a resend in another order hashes the same) and shows most seats first', () => {
    const payload = toSeatsPayload(report({ seats: [{ list: 'H', seats: 1, levelling: 1 }, { list: 'A', seats: 2 }] }), NOW);
    expect(payload).toEqual({
      area: '46', source: 'valgresultat.no', reportedAt: '2025-09-08T21:40:00.000Z', receivedAt: NOW.toISOString(), final: false,
      seats: [{ list: 'A', seats: 2, levelling: 0 }, { list: 'H', seats: 1, levelling: 1 }],
    });
    const shown = toReportedSeats({ ...payload, seats: [{ list: 'H', seats: 3, levelling: 1 }, { list: 'A', seats: 3, levelling: 0 }, { list: 'SV', seats: 0, levelling: 0 }] }, 'Vestland', (c) => ({ A: 'Arbeiderpartiet', H: 'Høyre' })[c] ?? c);
    expect(shown.total).toBe(6);
    expect(shown.lists.map((l) => l.code)).toEqual(['A', 'H', 'SV']);
  });

  it('merges a delta\'s areas into those held, national first, then by county number', () => {
    const seats = (area: string, total: number) => ({ area, total }) as ReportedSeats;
    const held = [seats('national', 1), seats('46', 2)];
    expect(mergeReportedSeats(held, undefined)).toEqual(held);
    expect(mergeReportedSeats(held, [seats('03', 3), seats('46', 4)])).toEqual([seats('national', 1), seats('03', 3), seats('46', 4)]);
    expect(['46', 'national', '03'].sort(compareAreas)).toEqual(['national', '03', '46']);
  });
});
