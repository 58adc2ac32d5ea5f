import { describe, it, expect } from 'vitest';
import { makeOsloResultReport as validResult, makeOsloStatusReport as validStatus } from '../test-fixtures/reports.ts';
import { ZResultReport, ZStatusReport, toFieldIssues, type FieldIssue } from './ingest.ts';

/** The issues a result report is refused with; fails the test if it is accepted. */
function resultIssues(body: unknown): FieldIssue[] {
  const parsed = ZResultReport.safeParse(body);
  if (parsed.success) throw new Error('expected the report to be refused');
  return toFieldIssues(parsed.error);
}

function statusIssues(body: unknown): FieldIssue[] {
  const parsed = ZStatusReport.safeParse(body);
  if (parsed.success) throw new Error('expected the status report to be refused');
  return toFieldIssues(parsed.error);
}

const fields = (issues: FieldIssue[]): string[] => issues.map((i) => i.field).sort();

describe('ZResultReport', () => {
  it('accepts a valid report and keeps its content', () => {
    const parsed = ZResultReport.safeParse(validResult());
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual(validResult());
  });

  it.each([
    ['countedAt in UTC ("Z")', { countedAt: '2023-09-11T19:05:00Z' }],
    ['countedAt with fractional seconds', { countedAt: '2023-09-11T21:05:00.123+02:00' }],
    ['the advance district "0000"', { district: '0000', category: 'advance' }],
    ['a final count', { stage: 'final' }],
    ['no votes at all', { votes: {} }],
    ['zero counts', { ballots: { counted: 0, rejected: 0, blank: 0 }, votes: { A: 0 } }],
    ['version 2147483647 (the int32 maximum)', { version: 2_147_483_647 }],
    ['ballots of 2147483647', { ballots: { counted: 2_147_483_647, rejected: 2_147_483_647, blank: 0 } }],
    ['countedAt at the first instant of 2000', { countedAt: '2000-01-01T00:00:00Z' }],
    ['countedAt at the last millisecond of 2099', { countedAt: '2099-12-31T23:59:59.999Z' }],
  ])('accepts %s', (_label, patch) => {
    expect(ZResultReport.safeParse({ ...validResult(), ...patch }).success).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['negative ballots.counted', { ballots: { counted: -1, rejected: 0, blank: 0 } }, 'ballots.counted'],
    ['non-integer ballots.counted', { ballots: { counted: 1.5, rejected: 0, blank: 0 } }, 'ballots.counted'],
    ['ballots.counted given as a string', { ballots: { counted: '100', rejected: 0, blank: 0 } }, 'ballots.counted'],
    ['negative ballots.rejected', { ballots: { counted: 1, rejected: -1, blank: 0 } }, 'ballots.rejected'],
    ['negative ballots.blank', { ballots: { counted: 1, rejected: 0, blank: -2 } }, 'ballots.blank'],
    ['version 0', { version: 0 }, 'version'],
    ['a fractional version', { version: 1.5 }, 'version'],
    ['municipality "301" (three digits)', { municipality: '301' }, 'municipality'],
    ['municipality given as a number', { municipality: 301 }, 'municipality'],
    ['district "01" (two digits)', { district: '01' }, 'district'],
    ['countedAt without offset', { countedAt: '2023-09-11T21:05:00' }, 'countedAt'],
    ['countedAt that is not a date', { countedAt: 'kl. 21' }, 'countedAt'],
    ['an unknown category', { category: 'mail' }, 'category'],
    ['an unknown stage', { stage: 'draft' }, 'stage'],
    ['a vote with negative count', { votes: { A: -1 } }, 'votes.A'],
    ['a vote with fractional count', { votes: { H: 2.5 } }, 'votes.H'],
    // The database's integer columns end at 2^31 − 1: the contract refuses what they cannot hold.
    ['version 2147483648 (above int32)', { version: 2_147_483_648 }, 'version'],
    ['ballots.counted 2147483648', { ballots: { counted: 2_147_483_648, rejected: 0, blank: 0 } }, 'ballots.counted'],
    ['a vote of 2147483648', { votes: { A: 2_147_483_648 } }, 'votes.A'],
    ['version 1e300', { version: 1e300 }, 'version'],
    ['countedAt in year 0000', { countedAt: '0000-01-01T00:00:00Z' }, 'countedAt'],
    ['countedAt in year 0001', { countedAt: '0001-09-11T21:05:00+02:00' }, 'countedAt'],
    ['countedAt in 1900', { countedAt: '1900-09-11T21:05:00+02:00' }, 'countedAt'],
    ['countedAt 1 ms before 2000 (UTC)', { countedAt: '1999-12-31T23:59:59.999Z' }, 'countedAt'],
    ['countedAt in 2100', { countedAt: '2100-01-01T00:00:00Z' }, 'countedAt'],
  ])('refuses %s at field %s', (_label, patch, field) => {
    const issues = resultIssues({ ...validResult(), ...patch });
    expect(fields(issues)).toEqual([field]);
    expect(issues[0]?.reason).not.toBe('');
  });

  it('names the rule broken in the reason', () => {
    expect(resultIssues({ ...validResult(), ballots: { counted: -1, rejected: 0, blank: 0 } })).toEqual([
      { field: 'ballots.counted', reason: 'must not be negative' },
    ]);
    expect(resultIssues({ ...validResult(), ballots: { counted: 1.5, rejected: 0, blank: 0 } })).toEqual([
      { field: 'ballots.counted', reason: 'must be a whole number' },
    ]);
    expect(resultIssues({ ...validResult(), version: 0 })).toEqual([{ field: 'version', reason: 'must be 1 or more' }]);
    expect(resultIssues({ ...validResult(), countedAt: '2023-09-11T21:05:00' })[0]?.reason).toMatch(/offset/);
  });

  it('refuses an unknown top-level key with reason "unknown field"', () => {
    expect(resultIssues({ ...validResult(), source: 'EVA' })).toEqual([{ field: 'source', reason: 'unknown field' }]);
  });

  it('names an unknown empty key visibly', () => {
    expect(resultIssues({ ...validResult(), '': 1 })).toEqual([{ field: '""', reason: 'unknown field' }]);
  });

  it('reports each unknown key separately, with its full path when nested', () => {
    const issues = resultIssues({ ...validResult(), extra: 1, ballots: { counted: 1, rejected: 0, blank: 0, spoiled: 4 } });
    expect(issues).toHaveLength(2);
    expect(issues).toEqual(
      expect.arrayContaining([
        { field: 'extra', reason: 'unknown field' },
        { field: 'ballots.spoiled', reason: 'unknown field' },
      ]),
    );
  });

  it('reports all failures at once', () => {
    const issues = resultIssues({
      ...validResult(),
      municipality: '301',
      district: '01',
      version: 0,
      countedAt: '2023-09-11T21:05:00',
      ballots: { counted: -1, rejected: 0.5, blank: 0 },
      votes: { A: -1 },
      extra: true,
    });
    expect(fields(issues)).toEqual(
      ['ballots.counted', 'ballots.rejected', 'countedAt', 'district', 'extra', 'municipality', 'version', 'votes.A'].sort(),
    );
  });

  it('reports missing fields by name', () => {
    expect(fields(resultIssues({ municipality: '0301' }))).toEqual(
      ['ballots', 'category', 'countedAt', 'district', 'stage', 'version', 'votes'].sort(),
    );
  });

  it('reports a body that is not an object as "(body)"', () => {
    expect(fields(resultIssues(null))).toEqual(['(body)']);
    expect(fields(resultIssues([]))).toEqual(['(body)']);
  });
});

describe('ZStatusReport', () => {
  it('accepts a valid status report', () => {
    expect(ZStatusReport.safeParse(validStatus()).success).toBe(true);
  });

  it('accepts an empty district list', () => {
    expect(ZStatusReport.safeParse({ ...validStatus(), districts: [] }).success).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a malformed district, by its index', { districts: ['0101', '12'] }, 'districts.1'],
    ['at without offset', { at: '2023-09-11T21:05:00' }, 'at'],
    ['municipality "301"', { municipality: '301' }, 'municipality'],
    ['an unknown key', { comment: 'hi' }, 'comment'],
    ['more than 2000 districts', { districts: Array.from({ length: 2001 }, () => '0101') }, 'districts'],
    ['at in year 0001', { at: '0001-09-11T21:05:00+02:00' }, 'at'],
    ['at in 1900', { at: '1900-09-11T21:05:00Z' }, 'at'],
  ])('refuses %s', (_label, patch, field) => {
    expect(fields(statusIssues({ ...validStatus(), ...patch }))).toEqual([field]);
  });

  it('accepts exactly 2000 districts', () => {
    expect(ZStatusReport.safeParse({ ...validStatus(), districts: Array.from({ length: 2000 }, () => '0101') }).success).toBe(true);
  });
});
