// The ingest decision without a database: stored state and a batch of reports in, decisions, changes and
// rows out. Each case is what writing the batch's reports one after the other would decide.
import { describe, expect, it } from 'vitest';
import type { ResultAcceptedPayload, StatusReportedPayload } from '../contracts/changes.ts';
import type { ResultReport, StatusReport } from '../contracts/ingest.ts';
import { makeOsloResultReport as report, makeOsloStatusReport } from '../test-fixtures/reports.ts';
import { UncheckedReferenceError } from './references.ts';
import { decideIngestBatch, listIngestStateKeys, toIngestOutcomes, toWrittenChanges, type IngestItem, type IngestOutcome, type IngestState, type ItemDecision, type ReferenceIds } from './decide.ts';

const ELECTION = 'test-2023';
const RECEIVED_AT = new Date('2023-09-11T20:00:00.000Z');
/** Oslo (id 1, electorate 1000): districts 0101 → 11, 0102 → 12; lists A → 21, H → 22. */
const REFERENCES: ReferenceIds = new Map([
  ['0301', { id: 1, electorate: 1000, districts: new Map([['0101', 11], ['0102', 12]]), lists: new Map([['A', 21], ['H', 22]]) }],
]);

const statusReport = (patch: Partial<StatusReport> = {}): StatusReport => makeOsloStatusReport({ districts: ['0101'], ...patch });
// The payload's identity stands in for its hash: same content, same hash.
const input = <R>(r: R) => ({ report: r, payloadHash: JSON.stringify(r), receivedAt: RECEIVED_AT, credentialId: 7, actor: 'ingest:test' });
const result = (patch: Partial<ResultReport> = {}): IngestItem => ({ kind: 'result', input: input(report(patch)) });
const group = (...patches: Array<Partial<ResultReport>>): IngestItem => ({ kind: 'results', inputs: patches.map((p) => input(report(p))) });
const status = (patch: Partial<StatusReport> = {}): IngestItem => ({ kind: 'status', input: input(statusReport(patch)) });

/** Stored state: nothing, unless a case says otherwise. */
function state(patch: { results?: Partial<IngestState['results']>; statuses?: Partial<IngestState['statuses']> } = {}): IngestState {
  return {
    results: { current: [], totals: [], versions: [], ...patch.results },
    statuses: { resends: [], counted: [], ...patch.statuses },
  };
}
/** District 0101's election-day preliminary count, stored as version `version` with seq `seq`. */
function storedCount(version: number, seq: string, r: ResultReport = report({ version })) {
  return {
    current: [{ districtId: 11, category: 'election_day' as const, stage: 'preliminary' as const, version, counted: r.ballots.counted, rejected: r.ballots.rejected, blank: r.ballots.blank }],
    totals: [{ municipalityId: 1, stage: 'preliminary' as const, ballots: r.ballots.counted + r.ballots.rejected }],
    versions: [{ districtId: 11, category: 'election_day' as const, stage: 'preliminary' as const, version, payloadHash: JSON.stringify(r), seq }],
  };
}

const decide = (s: IngestState, items: IngestItem[]) => decideIngestBatch(ELECTION, REFERENCES, s, items);
/** The outcomes once the plan's changes got seqs 101, 102, … */
const outcomes = (decisions: ItemDecision[], changes: number): IngestOutcome[] => toIngestOutcomes(decisions, Array.from({ length: changes }, (_, i) => String(101 + i)));

describe('decideIngestBatch', () => {
  const cases: Array<{ name: string; state: IngestState; items: IngestItem[]; expected: IngestOutcome[] }> = [
    { name: 'a new count is created', state: state(), items: [result()], expected: [{ kind: 'created', seq: 101 }] },
    { name: 'an exact resend of a stored count answers its seq', state: state({ results: storedCount(1, '40') }), items: [result()], expected: [{ kind: 'duplicate', seq: 40 }] },
    {
      name: 'a stored version with other content is a conflict',
      state: state({ results: storedCount(1, '40') }),
      items: [result({ votes: { A: 51, H: 44 } })],
      expected: [{ kind: 'conflict', reason: 'version 1 was already accepted with different content; send a correction as a higher version' }],
    },
    {
      name: 'a version not above the current one is a conflict',
      state: state({ results: { current: storedCount(3, '40').current, totals: storedCount(3, '40').totals } }),
      items: [result({ version: 2 })],
      expected: [{ kind: 'conflict', reason: 'version 2 is not above the current version 3' }],
    },
    { name: 'a correction of a stored count is created', state: state({ results: storedCount(1, '40') }), items: [result({ version: 2 })], expected: [{ kind: 'created', seq: 101 }] },
    {
      name: 'counts above the electorate are refused',
      state: state({ results: { totals: [{ municipalityId: 1, stage: 'preliminary', ballots: 950 }] } }),
      items: [result({ district: '0102' })],
      expected: [{ kind: 'invalid', issues: [{ field: 'ballots.counted', reason: "the municipality's preliminary counts would add up to 1052 ballots, more than its electorate of 1000" }] }],
    },
    {
      name: "a correction's bound leaves out the count it replaces",
      state: state({ results: { ...storedCount(1, '40'), totals: [{ municipalityId: 1, stage: 'preliminary', ballots: 950 }] } }),
      items: [result({ version: 2, ballots: { counted: 140, rejected: 2, blank: 5 } })],
      expected: [{ kind: 'created', seq: 101 }],
    },
    {
      name: 'the bound is per stage',
      state: state({ results: { totals: [{ municipalityId: 1, stage: 'final', ballots: 950 }] } }),
      items: [result({ district: '0102' })],
      expected: [{ kind: 'created', seq: 101 }],
    },
    // Batch-mates see each other.
    {
      name: 'a resend of a batch-mate answers its seq',
      state: state(),
      items: [result(), result()],
      expected: [{ kind: 'created', seq: 101 }, { kind: 'duplicate', seq: 101 }],
    },
    {
      name: 'a batch-mate of the same version with other content is a conflict',
      state: state(),
      items: [result(), result({ votes: { A: 51 } })],
      expected: [{ kind: 'created', seq: 101 }, { kind: 'conflict', reason: 'version 1 was already accepted with different content; send a correction as a higher version' }],
    },
    {
      name: 'a correction of a batch-mate is created, and the older version after it is a resend',
      state: state(),
      items: [result(), result({ version: 2 }), result()],
      expected: [{ kind: 'created', seq: 101 }, { kind: 'created', seq: 102 }, { kind: 'duplicate', seq: 101 }],
    },
    {
      name: "a batch-mate's count counts toward the electorate bound",
      state: state(),
      items: [result({ ballots: { counted: 600, rejected: 0, blank: 0 }, votes: {} }), result({ district: '0102', ballots: { counted: 401, rejected: 0, blank: 0 }, votes: {} })],
      expected: [{ kind: 'created', seq: 101 }, { kind: 'invalid', issues: [{ field: 'ballots.counted', reason: "the municipality's preliminary counts would add up to 1001 ballots, more than its electorate of 1000" }] }],
    },
    {
      name: 'a refused report does not affect the others',
      state: state(),
      items: [result({ ballots: { counted: 1001, rejected: 0, blank: 0 }, votes: {} }), result()],
      expected: [{ kind: 'invalid', issues: [{ field: 'ballots.counted', reason: "the municipality's preliminary counts would add up to 1001 ballots, more than its electorate of 1000" }] }, { kind: 'created', seq: 101 }],
    },
    // A batch request: all or nothing.
    {
      name: "a group's reports are all created",
      state: state(),
      items: [group({}, { district: '0102' })],
      expected: [{ kind: 'group', outcomes: [{ kind: 'created', seq: 101 }, { kind: 'created', seq: 102 }] }],
    },
    {
      name: 'a group with a resend answers it with its seq',
      state: state({ results: storedCount(1, '40') }),
      items: [group({}, { district: '0102' })],
      expected: [{ kind: 'group', outcomes: [{ kind: 'duplicate', seq: 40 }, { kind: 'created', seq: 101 }] }],
    },
    {
      name: 'a group with a refused report is refused whole, at its index',
      state: state(),
      items: [group({ ballots: { counted: 500, rejected: 0, blank: 0 }, votes: {} }, { district: '0102', ballots: { counted: 501, rejected: 0, blank: 0 }, votes: {} })],
      expected: [{ kind: 'invalid', index: 1, issues: [{ field: 'ballots.counted', reason: "the municipality's preliminary counts would add up to 1001 ballots, more than its electorate of 1000" }] }],
    },
    {
      name: 'a refused group leaves nothing for the reports after it',
      state: state(),
      items: [group({}, { version: 1, votes: { A: 1 } }), result()],
      expected: [
        { kind: 'conflict', index: 1, reason: 'version 1 was already accepted with different content; send a correction as a higher version' },
        { kind: 'created', seq: 101 },
      ],
    },
    {
      name: 'a group that lowers one unit and raises another is judged on the counts as it goes',
      state: state({ results: { ...storedCount(1, '40', report({ ballots: { counted: 600, rejected: 0, blank: 0 }, votes: {} })), totals: [{ municipalityId: 1, stage: 'preliminary', ballots: 1000 }] } }),
      items: [group({ version: 2, ballots: { counted: 500, rejected: 0, blank: 0 }, votes: {} }, { district: '0102', ballots: { counted: 100, rejected: 0, blank: 0 }, votes: {} })],
      expected: [{ kind: 'group', outcomes: [{ kind: 'created', seq: 101 }, { kind: 'created', seq: 102 }] }],
    },
    // Status reports.
    { name: 'a status is created', state: state(), items: [status()], expected: [{ kind: 'created', seq: 101 }] },
    {
      name: 'a stored status resent answers its seq',
      state: state({ statuses: { resends: [{ municipalityId: 1, payloadHash: JSON.stringify(statusReport()), seq: '33' }] } }),
      items: [status()],
      expected: [{ kind: 'duplicate', seq: 33 }],
    },
    { name: 'a status resent in its batch answers its seq', state: state(), items: [status(), status()], expected: [{ kind: 'created', seq: 101 }, { kind: 'duplicate', seq: 101 }] },
    {
      name: 'results and statuses share one sequence of changes, in arrival order',
      state: state(),
      items: [status(), result(), status({ districts: ['0101', '0102'] })],
      expected: [{ kind: 'created', seq: 101 }, { kind: 'created', seq: 102 }, { kind: 'created', seq: 103 }],
    },
  ];

  it.each(cases)('$name', ({ state: s, items, expected }) => {
    const plan = decide(s, items);
    expect(outcomes(plan.decisions, plan.changes.length)).toEqual(expected);
    // Exactly one change per created report, and one row per change.
    const created = expected.flatMap((o) => (o.kind === 'group' ? o.outcomes : [o])).filter((o) => o.kind === 'created');
    expect(plan.changes).toHaveLength(created.length);
    expect([...plan.results, ...plan.statuses].map((row) => row.position).sort((a, b) => a - b)).toEqual(created.map((_, i) => i + 1));
  });

  it('writes the accepted count with list ids, and only the last version of a unit becomes current', () => {
    const plan = decide(state({ results: storedCount(1, '40') }), [result({ version: 2 }), result({ version: 3, votes: { H: 90 } })]);
    expect(plan.results).toEqual([
      expect.objectContaining({ position: 1, district_id: 11, version: 2, votes: { 21: 50, 22: 45 }, becomes_current: false, credential_id: 7, ballots_counted: 100 }),
      expect.objectContaining({ position: 2, district_id: 11, version: 3, votes: { 22: 90 }, becomes_current: true, counted_at: '2023-09-11T19:55:00.000Z' }),
    ]);
    const [first, second] = plan.changes;
    expect(first).toMatchObject({ electionId: ELECTION, municipalityId: 1, kind: 'result.accepted', actor: 'ingest:test', at: RECEIVED_AT });
    expect((first!.payload as ResultAcceptedPayload).previousVersion).toBe(1);
    expect((second!.payload as ResultAcceptedPayload)).toMatchObject({ previousVersion: 2, previousBallots: { counted: 100, rejected: 2, blank: 5 } });
  });

  it("marks a group's created changes as one batch, and a lone report not", () => {
    const plan = decide(state({ results: storedCount(1, '40') }), [group({}, { district: '0102' }, { district: '0102', category: 'advance' }), result({ version: 2 })]);
    const batches = plan.changes.map((change) => (change.payload as ResultAcceptedPayload).batch);
    // The resend (first of the group) has no change; the two created ones are the batch.
    expect(batches).toEqual([{ index: 0, size: 2 }, { index: 1, size: 2 }, undefined]);
  });

  it('a refused group writes no rows and leaves no changes behind', () => {
    const plan = decide(state(), [group({}, { district: '0102', ...{ ballots: { counted: 1001, rejected: 0, blank: 0 }, votes: {} } })]);
    expect(plan).toMatchObject({ changes: [], results: [], statuses: [] });
  });

  it('counts a district as newly counted once, also across batch-mates and against stored ones', () => {
    const plan = decide(
      state({ statuses: { counted: [{ districtId: 12, category: 'advance', stage: 'preliminary' }] } }),
      [status({ districts: ['0101'] }), status({ districts: ['0102', '0101'] }), status({ category: 'advance', districts: ['0102'] })],
    );
    expect(plan.changes.map((change) => (change.payload as StatusReportedPayload).newlyCounted)).toEqual([['0101'], ['0102'], []]);
    expect(plan.statuses.map((row) => row.fresh)).toEqual([[11], [12], []]);
    expect(plan.statuses[1]).toMatchObject({ district_numbers: ['0101', '0102'], municipality_id: 1, at: '2023-09-11T19:55:00.000Z' });
  });
});

describe('references the routes did not check', () => {
  // The routes refuse unknown references with a named field (lib/domain/report-rules.ts, tested there and
  // through the API); one that reaches the decision is a bug in the caller, and no row or change is made for it.
  it.each([
    ['an unknown district', [result({ district: '0999' })], /district 0999 of municipality 0301 has no id/],
    ['an unknown municipality', [result({ municipality: '9999' })], /municipality 9999 has no id/],
    ['an unknown party list', [result({ votes: { A: 50, NOPE: 1 } })], /party list NOPE of municipality 0301 has no id/],
    ['a status of an unknown municipality', [status({ municipality: '9999' })], /municipality 9999 has no id/],
    ['a status naming an unknown district', [status({ districts: ['0101', '0999'] })], /district 0999 of municipality 0301 has no id/],
  ])('%s is thrown as a programming error, not answered', (_name, items, message) => {
    expect(() => decide(state(), items)).toThrow(UncheckedReferenceError);
    expect(() => decide(state(), items)).toThrow(message);
  });
});

describe('listIngestStateKeys', () => {
  it("lists what the batch's reports need read, leaving out what the reference data does not know", () => {
    const items = [result(), group({ district: '0102', stage: 'final', version: 2 }), result({ district: '0999' }), status({ districts: ['0101', '0102', '0999'] }), status({ municipality: '9999' })];
    expect(listIngestStateKeys(REFERENCES, items)).toEqual([
      [11, 12], ['election_day', 'election_day'], ['preliminary', 'final'], [1, 2], [1],
      [1], [JSON.stringify(statusReport({ districts: ['0101', '0102', '0999'] }))], [11, 12],
    ]);
  });
});

describe('toWrittenChanges', () => {
  it('gives the committed changes as a read of the log would: seqs, ISO times, JSON payloads, after prevSeq', () => {
    const plan = decide(state(), [result(), status({ districts: ['0102'] })]);
    const written = toWrittenChanges(100, plan.changes, ['101', '102']);
    expect(written.prevSeq).toBe(100);
    expect(written.changes.map((c) => [c.seq, c.kind, c.actor, c.at])).toEqual([
      [101, 'result.accepted', 'ingest:test', '2023-09-11T20:00:00.000Z'],
      [102, 'status.reported', 'ingest:test', '2023-09-11T20:00:00.000Z'],
    ]);
    // The payload as the jsonb column returns it: plain JSON, nothing undefined left in it.
    const [first] = written.changes;
    expect(first?.payload).toEqual(JSON.parse(JSON.stringify(plan.changes[0]?.payload)));
    expect(Object.values(first?.payload ?? {})).not.toContain(undefined);
  });

  it('refuses seqs that do not match the changes one to one', () => {
    const plan = decide(state(), [result()]);
    expect(() => toWrittenChanges(0, plan.changes, [])).toThrow(/1 changes appended but 0 seqs/);
  });
});
