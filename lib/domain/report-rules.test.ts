import { describe, it, expect } from 'vitest';
import type { ResultReport } from '../contracts/ingest.ts';
import { createMunicipalityRecord, type MunicipalityRecord } from './municipality.ts';
import {
  EARLIEST_BEFORE_POLLS_CLOSE_MS, MAX_CLOCK_SKEW_MS, canonicalizeReport, checkElectorateBound, checkResultReport, checkStatusReport, decideVersion,
} from './report-rules.ts';
import { makeOsloResultReport as report, makeOsloStatusReport as status } from '../test-fixtures/reports.ts';

const NOW = new Date('2023-09-11T20:00:00.000Z');
const CLOSE = new Date('2023-09-11T19:00:00.000Z');

function record(): MunicipalityRecord {
  return createMunicipalityRecord(
    { number: '0301', name: 'Oslo', countyNumber: '03', countyName: 'Oslo', electorate: 1000, councilSize: 59, expectedTurnout: 60, watch: false },
    [
      { number: '0000', name: 'Forhånd', electorate: 0, kind: 'advance' },
      { number: '0101', name: 'Sentrum', electorate: 600, kind: 'election_day' },
      { number: '0102', name: 'Vest', electorate: 400, kind: 'election_day' },
    ],
    [{ code: 'A', name: 'Arbeiderpartiet' }, { code: 'H', name: 'Høyre' }, { code: 'SV', name: 'SV' }],
  );
}

const isoAt = (offsetMs: number): string => new Date(NOW.getTime() + offsetMs).toISOString();

describe('checkResultReport', () => {
  it('accepts a report that fits the reference data', () => {
    expect(checkResultReport(report(), record(), NOW, CLOSE)).toEqual([]);
  });

  it('accepts advance votes in the advance district "0000"', () => {
    expect(checkResultReport(report({ district: '0000', category: 'advance' }), record(), NOW, CLOSE)).toEqual([]);
  });

  it('accepts advance votes counted in an election-day district', () => {
    expect(checkResultReport(report({ category: 'advance' }), record(), NOW, CLOSE)).toEqual([]);
  });

  it('refuses an unknown district', () => {
    const issues = checkResultReport(report({ district: '0999' }), record(), NOW, CLOSE);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.field).toBe('district');
    expect(issues[0]?.reason).toContain('0999');
  });

  it('refuses election-day votes in the advance district "0000"', () => {
    const issues = checkResultReport(report({ district: '0000', category: 'election_day' }), record(), NOW, CLOSE);
    expect(issues.map((i) => i.field)).toEqual(['category']);
  });

  it('refuses an unknown party code, naming it in the field path', () => {
    const issues = checkResultReport(report({ votes: { A: 50, XYZ: 1 } }), record(), NOW, CLOSE);
    expect(issues.map((i) => i.field)).toEqual(['votes.XYZ']);
  });

  it.each<[string, { counted: number; blank: number; votes: Record<string, number> }, boolean]>([
    ['votes + blank below counted', { counted: 100, blank: 5, votes: { A: 50, H: 44 } }, true],
    ['votes + blank equal to counted', { counted: 100, blank: 5, votes: { A: 50, H: 45 } }, true],
    ['votes + blank one above counted', { counted: 100, blank: 5, votes: { A: 50, H: 46 } }, false],
    ['blank alone above counted', { counted: 3, blank: 4, votes: {} }, false],
    ['votes alone equal to counted', { counted: 7, blank: 0, votes: { SV: 7 } }, true],
  ])('%s → accepted: %s', (_label, { counted, blank, votes }, accepted) => {
    const issues = checkResultReport(report({ ballots: { counted, rejected: 0, blank }, votes }), record(), NOW, CLOSE);
    expect(issues.map((i) => i.field)).toEqual(accepted ? [] : ['ballots.counted']);
  });

  it.each<[string, number, boolean]>([
    ['in the past', -60 * 60 * 1000, true],
    ['exactly now', 0, true],
    ['ahead by less than the skew', MAX_CLOCK_SKEW_MS - 1, true],
    ['ahead by exactly the skew', MAX_CLOCK_SKEW_MS, true],
    ['ahead by the skew plus 1 ms', MAX_CLOCK_SKEW_MS + 1, false],
    ['an hour ahead', 60 * 60 * 1000, false],
  ])('countedAt %s → accepted: %s', (_label, offsetMs, accepted) => {
    const issues = checkResultReport(report({ countedAt: isoAt(offsetMs) }), record(), NOW, CLOSE);
    expect(issues.map((i) => i.field)).toEqual(accepted ? [] : ['countedAt']);
  });

  it('measures the skew on the instant, not the written offset', () => {
    // 22:03+02:00 is 20:03Z: three minutes ahead of NOW, beyond the two-minute skew.
    expect(checkResultReport(report({ countedAt: '2023-09-11T22:03:00+02:00' }), record(), NOW, CLOSE).map((i) => i.field)).toEqual(['countedAt']);
    // 21:01+02:00 is 19:01Z: in the past although its wall-clock digits are "later" than NOW's.
    expect(checkResultReport(report({ countedAt: '2023-09-11T21:01:00+02:00' }), record(), NOW, CLOSE)).toEqual([]);
  });

  // The window's lower edge: a count time from before the election's early votes is a wrong clock.
  it.each<[string, number, boolean]>([
    ['exactly 90 days before the polls close', 0, true],
    ['1 ms earlier', -1, false],
    ['in 1900 (within no window)', Date.parse('1900-01-01T00:00:00Z') - (CLOSE.getTime() - EARLIEST_BEFORE_POLLS_CLOSE_MS), false],
  ])('countedAt %s → accepted: %s', (_label, offsetMs, accepted) => {
    const countedAt = new Date(CLOSE.getTime() - EARLIEST_BEFORE_POLLS_CLOSE_MS + offsetMs).toISOString();
    const issues = checkResultReport(report({ countedAt }), record(), NOW, CLOSE);
    expect(issues.map((i) => i.field)).toEqual(accepted ? [] : ['countedAt']);
    if (!accepted) expect(issues[0]?.reason).toMatch(/90 days before the polls close/);
  });

  it('reports several problems together', () => {
    const issues = checkResultReport(
      report({ district: '0999', votes: { A: 200, Q: 1 }, countedAt: isoAt(MAX_CLOCK_SKEW_MS + 1) }),
      record(),
      NOW,
      CLOSE,
    );
    expect(issues.map((i) => i.field).sort()).toEqual(['ballots.counted', 'countedAt', 'district', 'votes.Q']);
  });
});

describe('checkElectorateBound', () => {
  // counted 100 + rejected 2 = 102 ballots from this report.
  it.each<[string, number, number, boolean]>([
    ['well below the electorate', 0, 1000, true],
    ['equal to the electorate', 898, 1000, true],
    ['one above the electorate', 899, 1000, false],
    ['this report alone above the electorate', 0, 101, false],
  ])('%s → accepted: %s', (_label, elsewhere, electorate, accepted) => {
    const issues = checkElectorateBound(report(), elsewhere, electorate);
    expect(issues.map((i) => i.field)).toEqual(accepted ? [] : ['ballots.counted']);
  });

  it('counts rejected ballots towards the bound', () => {
    expect(checkElectorateBound(report({ ballots: { counted: 100, rejected: 0, blank: 0 } }), 900, 1000)).toEqual([]);
    expect(checkElectorateBound(report({ ballots: { counted: 100, rejected: 1, blank: 0 } }), 900, 1000)).toHaveLength(1);
  });

  it('names the total and the electorate in the reason', () => {
    const [issue] = checkElectorateBound(report(), 899, 1000);
    expect(issue?.reason).toContain('1001');
    expect(issue?.reason).toContain('1000');
  });
});

describe('checkStatusReport', () => {
  it('accepts known districts and a past time', () => {
    expect(checkStatusReport(status(), record(), NOW, CLOSE)).toEqual([]);
  });

  it('refuses an unknown district at its index', () => {
    expect(checkStatusReport(status({ districts: ['0101', '0999'] }), record(), NOW, CLOSE).map((i) => i.field)).toEqual(['districts.1']);
  });

  it('refuses a district listed twice at the second occurrence', () => {
    const issues = checkStatusReport(status({ districts: ['0102', '0101', '0102'] }), record(), NOW, CLOSE);
    expect(issues.map((i) => i.field)).toEqual(['districts.2']);
    expect(issues[0]?.reason).toContain('twice');
  });

  it('refuses the advance district in an election-day status', () => {
    expect(checkStatusReport(status({ districts: ['0000'] }), record(), NOW, CLOSE).map((i) => i.field)).toEqual(['districts.0']);
    expect(checkStatusReport(status({ districts: ['0000'], category: 'advance' }), record(), NOW, CLOSE)).toEqual([]);
  });

  it.each<[string, number, boolean]>([
    ['ahead by exactly the skew', MAX_CLOCK_SKEW_MS, true],
    ['ahead by the skew plus 1 ms', MAX_CLOCK_SKEW_MS + 1, false],
  ])('at %s → accepted: %s', (_label, offsetMs, accepted) => {
    const issues = checkStatusReport(status({ at: isoAt(offsetMs) }), record(), NOW, CLOSE);
    expect(issues.map((i) => i.field)).toEqual(accepted ? [] : ['at']);
  });

  it('refuses a status time more than 90 days before the polls close', () => {
    const at = new Date(CLOSE.getTime() - EARLIEST_BEFORE_POLLS_CLOSE_MS - 1).toISOString();
    expect(checkStatusReport(status({ at }), record(), NOW, CLOSE).map((i) => i.field)).toEqual(['at']);
  });
});

describe('decideVersion', () => {
  it('calls a first version new', () => {
    expect(decideVersion({ version: 1, payloadHash: 'h1' }, {})).toEqual({ kind: 'new' });
  });

  it('answers an exact resend with the stored seq', () => {
    expect(decideVersion({ version: 2, payloadHash: 'h2' }, { sameVersion: { payloadHash: 'h2', seq: 41 }, currentVersion: 2 })).toEqual({
      kind: 'duplicate',
      seq: 41,
    });
  });

  it('answers a resend of a superseded version with its original seq', () => {
    expect(decideVersion({ version: 1, payloadHash: 'h1' }, { sameVersion: { payloadHash: 'h1', seq: 7 }, currentVersion: 3 })).toEqual({
      kind: 'duplicate',
      seq: 7,
    });
  });

  it('refuses the same version with different content as a conflict', () => {
    const decision = decideVersion({ version: 2, payloadHash: 'other' }, { sameVersion: { payloadHash: 'h2', seq: 41 }, currentVersion: 2 });
    expect(decision.kind).toBe('conflict');
  });

  it.each<[string, number, number, 'new' | 'conflict']>([
    ['lower than current', 2, 3, 'conflict'],
    ['equal to current', 3, 3, 'conflict'],
    ['one above current', 4, 3, 'new'],
    ['well above current', 9, 3, 'new'],
  ])('version %s → %s', (_label, version, currentVersion, kind) => {
    expect(decideVersion({ version, payloadHash: 'x' }, { currentVersion }).kind).toBe(kind);
  });

  it('explains a conflict with the current version', () => {
    const decision = decideVersion({ version: 2, payloadHash: 'x' }, { currentVersion: 3 });
    expect(decision).toEqual({ kind: 'conflict', reason: expect.stringContaining('3') });
  });
});

describe('canonicalizeReport', () => {
  it('ignores key order, also inside ballots and votes', () => {
    const reordered: ResultReport = {
      votes: { H: 45, A: 50 },
      ballots: { blank: 5, rejected: 2, counted: 100 },
      countedAt: '2023-09-11T21:55:00+02:00',
      version: 1,
      stage: 'preliminary',
      category: 'election_day',
      district: '0101',
      municipality: '0301',
    };
    expect(canonicalizeReport(reordered)).toBe(canonicalizeReport(report()));
  });

  it('treats "+02:00" and the same instant in "Z" alike', () => {
    expect(canonicalizeReport(report({ countedAt: '2023-09-11T21:55:00+02:00' }))).toBe(
      canonicalizeReport(report({ countedAt: '2023-09-11T19:55:00Z' })),
    );
  });

  it('tells different instants apart', () => {
    expect(canonicalizeReport(report({ countedAt: '2023-09-11T21:55:00+02:00' }))).not.toBe(
      canonicalizeReport(report({ countedAt: '2023-09-11T21:55:00Z' })),
    );
  });

  it('tells different votes apart', () => {
    expect(canonicalizeReport(report({ votes: { A: 50, H: 45 } }))).not.toBe(canonicalizeReport(report({ votes: { A: 51, H: 44 } })));
  });

  it('tells different ballots and versions apart', () => {
    const base = canonicalizeReport(report());
    expect(canonicalizeReport(report({ ballots: { counted: 100, rejected: 3, blank: 5 } }))).not.toBe(base);
    expect(canonicalizeReport(report({ version: 2 }))).not.toBe(base);
  });

  it('ignores the order of districts in a status report', () => {
    expect(canonicalizeReport(status({ districts: ['0102', '0101'] }))).toBe(canonicalizeReport(status({ districts: ['0101', '0102'] })));
  });

  it('treats status times in different offsets alike, and different district sets apart', () => {
    expect(canonicalizeReport(status({ at: '2023-09-11T19:55:00Z' }))).toBe(canonicalizeReport(status()));
    expect(canonicalizeReport(status({ districts: ['0101'] }))).not.toBe(canonicalizeReport(status()));
  });

  it('does not reorder the caller\'s district array', () => {
    const districts = ['0102', '0101'];
    canonicalizeReport(status({ districts }));
    expect(districts).toEqual(['0102', '0101']);
  });
});
