// Property tests over the contracts clients send: whatever the input, parsing never throws, a refusal
// names every failing field, and what is accepted fits the database (int32 columns, the time window).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZClockChange } from './clock.ts';
import { EARLIEST_INSTANT, INT32_MAX, LATEST_INSTANT, ZResultReport, ZStatusReport, toFieldIssues } from './ingest.ts';
import { ZAcknowledgeAlert, ZSetOversight } from './ops.ts';
import { ZOpsSignIn } from './ops-auth.ts';

const RUNS = 2000;
const instant = fc.oneof(
  fc.date({ min: new Date(-62_198_755_200_000), max: new Date(253_402_300_799_000), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('0000-01-01T00:00:00Z', '1900-09-11T21:05:00+02:00', '1999-12-31T23:59:59.999Z', '2000-01-01T00:00:00Z', '2099-12-31T23:59:59.999+00:00', '2100-01-01T00:00:00Z'),
);
const count = fc.oneof(fc.integer(), fc.constantFrom(INT32_MAX, INT32_MAX + 1, -1, 0, 1e300, 0.5, -0), fc.double());
const anything = fc.oneof(fc.anything({ withNullPrototype: true, withObjectString: true }), count, instant);
const result = fc.record({
  municipality: fc.oneof(fc.constant('0301'), anything), district: fc.oneof(fc.constant('0101'), anything),
  category: fc.oneof(fc.constant('election_day'), anything), stage: fc.oneof(fc.constant('preliminary'), anything),
  version: fc.oneof(count, anything), countedAt: fc.oneof(instant, anything),
  ballots: fc.oneof(fc.record({ counted: count, rejected: count, blank: count }), anything),
  votes: fc.oneof(fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 42 }), count, { maxKeys: 5 }), anything),
}, { requiredKeys: [] });

function withinWindow(value: string): boolean {
  const at = Date.parse(value);
  return at >= Date.parse(EARLIEST_INSTANT) && at < Date.parse(LATEST_INSTANT);
}

function expectNamedIssues(error: import('zod').ZodError): void {
  const issues = toFieldIssues(error);
  expect(issues.length).toBeGreaterThan(0);
  for (const issue of issues) {
    expect(issue.field.length).toBeGreaterThan(0);
    expect(issue.reason.length).toBeGreaterThan(0);
  }
}

describe('contracts under generated input', () => {
  it(`result reports: never throws; accepted ones fit int32 and the time window; refusals name fields (${RUNS} cases)`, () => {
    fc.assert(fc.property(result, (body) => {
      const parsed = ZResultReport.safeParse(body);
      if (!parsed.success) return expectNamedIssues(parsed.error);
      const r = parsed.data;
      for (const n of [r.version, r.ballots.counted, r.ballots.rejected, r.ballots.blank, ...Object.values(r.votes)]) {
        expect(Number.isInteger(n) && n >= 0 && n <= INT32_MAX).toBe(true);
      }
      expect(withinWindow(r.countedAt)).toBe(true);
    }), { numRuns: RUNS });
  });

  it(`status reports and the clock: accepted times lie in the window (${RUNS} cases)`, () => {
    fc.assert(fc.property(instant, anything, (at, districts) => {
      const status = ZStatusReport.safeParse({ municipality: '0301', at, category: 'advance', stage: 'final', districts: Array.isArray(districts) ? districts : [] });
      if (status.success) expect(withinWindow(status.data.at)).toBe(true);
      else expectNamedIssues(status.error);
      const clock = ZClockChange.safeParse({ at });
      if (clock.success) expect(withinWindow(clock.data.at!)).toBe(true);
    }), { numRuns: RUNS });
  });

  it(`operator inputs: never throws, refusals name fields (${RUNS} cases)`, () => {
    fc.assert(fc.property(anything, anything, anything, (a, b, c) => {
      for (const schema of [ZAcknowledgeAlert, ZSetOversight, ZOpsSignIn]) {
        for (const input of [a, { reasonCode: 'other', owner: a, expiresInMinutes: b, text: c }, { name: a, password: b }, { underReview: a, publicNote: b }]) {
          const parsed = schema.safeParse(input);
          if (!parsed.success) expectNamedIssuesOrBody(parsed.error);
        }
      }
    }), { numRuns: RUNS });
  });
});

/** A refinement over the whole object (e.g. "give at least one") is named "(body)"; still never empty. */
function expectNamedIssuesOrBody(error: import('zod').ZodError): void {
  for (const issue of toFieldIssues(error)) expect(issue.field.length).toBeGreaterThan(0);
}
