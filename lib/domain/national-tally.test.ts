import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NationalTally, nationalContribution, type NationalContributionInput } from './national-tally.ts';

const code = fc.constantFrom('A', 'H', 'FRP', 'LOKAL1', 'LOKAL2');
const nationalCode = (c: string) => (c.startsWith('LOKAL') ? 'ANDRE' : c);
const input: fc.Arbitrary<NationalContributionInput> = fc.record({
  status: fc.constantFrom('waiting', 'counting', 'complete') as fc.Arbitrary<'waiting' | 'counting' | 'complete'>,
  votes: fc.array(fc.tuple(code, fc.nat(5000)), { maxLength: 4 }),
  previous: fc.option(fc.dictionary(code, fc.nat(5000)), { nil: null }),
  seats: fc.array(fc.tuple(code, fc.nat(20)), { maxLength: 4 }),
  ballots: fc.nat(10_000),
  expected: fc.integer({ min: 1, max: 10_000 }),
  electorate: fc.integer({ min: 1, max: 20_000 }),
  comparison: fc.option(fc.integer({ min: 300, max: 900 }).map((t) => t / 10), { nil: null }),
}).map((m) => ({
  summary: {
    status: m.status, districtsReported: m.status === 'waiting' ? 0 : 3, ballotsCounted: m.ballots, expectedBallots: m.expected,
    advanceReported: m.status !== 'waiting', countedShare: m.ballots / m.expected, leadingParty: m.votes[0] ? { code: m.votes[0][0] } : null,
  },
  parties: m.votes.map(([c, votes]) => ({ code: c, votes })),
  seats: { lists: m.seats.map(([c, seats]) => ({ code: c, seats })) },
  previousVotes: m.previous,
  turnout: { ballotsCast: m.ballots, electorate: m.electorate, expected: 60, comparison: m.comparison, complete: m.status === 'complete' },
}));

function fresh(inputs: readonly NationalContributionInput[], expectedBallots: number) {
  const tally = new NationalTally(expectedBallots);
  for (const i of inputs) tally.add(nationalContribution(i, nationalCode));
  return tally.counts();
}

describe('national tally', () => {
  it('kept up to date one municipality at a time, equals a fresh tally of the same municipalities, whatever the order', () => {
    fc.assert(fc.property(fc.array(input, { minLength: 1, maxLength: 8 }), fc.array(fc.tuple(fc.nat(), input), { maxLength: 30 }), (start, updates) => {
      const current = [...start];
      const tally = new NationalTally(50_000);
      const parts = current.map((i) => nationalContribution(i, nationalCode));
      parts.forEach((part) => tally.add(part));
      for (const [at, next] of updates) {
        const index = at % current.length;
        tally.remove(parts[index]!);
        parts[index] = nationalContribution(next, nationalCode);
        tally.add(parts[index]!);
        current[index] = next;
        expect(tally.counts()).toEqual(fresh(current, 50_000));
      }
    }), { numRuns: 200 });
  });

  it('drops a code when its last contributor goes, and keeps a previous election\'s 0 votes as 0', () => {
    const tally = new NationalTally(100);
    const m: NationalContributionInput = {
      summary: { status: 'counting', districtsReported: 1, ballotsCounted: 10, expectedBallots: 100, advanceReported: false, countedShare: 0.1, leadingParty: { code: 'A' } },
      parties: [{ code: 'A', votes: 10 }], seats: { lists: [] }, previousVotes: { A: 8, KRF: 0 },
      turnout: { ballotsCast: 10, electorate: 120, expected: 60, comparison: 67.3, complete: false },
    };
    const part = nationalContribution(m, nationalCode);
    tally.add(part);
    expect(tally.counts()).toMatchObject({ votes: { A: 10 }, previousVotes: { A: 8, KRF: 0 }, councilsLed: { A: 1 } });
    tally.remove(part);
    expect(tally.counts()).toMatchObject({ votes: {}, previousVotes: null, councilsLed: {}, ballotsCounted: 0 });
  });
});
