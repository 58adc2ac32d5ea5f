// What municipal counting systems send. Validated at the trust boundary; see docs/api.md.
import { z } from 'zod';

export const COUNT_CATEGORIES = ['advance', 'election_day'] as const;
export const COUNT_STAGES = ['preliminary', 'final'] as const;
export const ADVANCE_DISTRICT = '0000';

export const ZCountCategory = z.enum(COUNT_CATEGORIES);
export const ZCountStage = z.enum(COUNT_STAGES);
export type CountCategory = z.infer<typeof ZCountCategory>;
export type CountStage = z.infer<typeof ZCountStage>;

export const ZMunicipalityNumber = z.string().regex(/^\d{4}$/, 'must be a 4-digit municipality number, e.g. "0301"');
export const ZDistrictNumber = z.string().regex(/^\d{4}$/, 'must be a 4-digit district number, e.g. "0101" ("0000" for advance votes)');

/** The largest value of a PostgreSQL `integer` column: counts and versions are stored in one. */
export const INT32_MAX = 2_147_483_647;
/**
 * Every timestamp a client sends must lie in this window (UTC), whatever the election: it keeps dates the
 * database or JavaScript handle oddly (year 0000, 0001, 1900) out. The ingest rules narrow it further to
 * the election (lib/domain/report-rules.ts).
 */
export const EARLIEST_INSTANT = '2000-01-01T00:00:00.000Z';
export const LATEST_INSTANT = '2100-01-01T00:00:00.000Z';
const EARLIEST_MS = Date.parse(EARLIEST_INSTANT);
const LATEST_MS = Date.parse(LATEST_INSTANT);

// One reason per field: each check stops the rest (1e300 is "too large", not also "not whole").
const TOO_LARGE = { error: `must be at most ${INT32_MAX}`, abort: true } as const;
const ZCount = z.number({ error: 'must be a number' }).max(INT32_MAX, TOO_LARGE)
  .int({ error: 'must be a whole number', abort: true }).nonnegative('must not be negative');
/** A positive id or version stored in an `integer` column. */
export const ZInt32Id = z.number({ error: 'must be a number' }).max(INT32_MAX, TOO_LARGE)
  .int({ error: 'must be a whole number', abort: true }).min(1, 'must be 1 or more');

/** ISO 8601 with an explicit offset (a count time without one is ambiguous across DST), within the window above. */
export const ZInstant = z.iso.datetime({ offset: true, abort: true, error: 'must be an ISO 8601 timestamp with offset, e.g. "2023-09-11T21:05:00+02:00"' })
  .refine((value) => {
    const at = Date.parse(value);
    return at >= EARLIEST_MS && at < LATEST_MS;
  }, 'must lie between 2000-01-01 and 2099-12-31');

export const ZResultReport = z.strictObject({
  municipality: ZMunicipalityNumber,
  district: ZDistrictNumber,
  category: ZCountCategory,
  stage: ZCountStage,
  version: ZInt32Id,
  countedAt: ZInstant,
  ballots: z.strictObject({ counted: ZCount, rejected: ZCount, blank: ZCount }),
  votes: z.record(z.string().min(1).max(40), ZCount),
});
export type ResultReport = z.infer<typeof ZResultReport>;

/** At most this many reports in one batch request (a municipality has at most a few hundred units × 2 categories). */
export const MAX_BATCH_REPORTS = 500;

/**
 * Several counts of one municipality written as one: all are stored in one transaction or none is. A batch
 * that lowers one unit and raises others by as much (votes moved between units, as a feed that books a
 * municipality's not-yet-itemised votes on one unit does) is not a correction: Valgvakt judges a batch's
 * lowering on the municipality's total per category and stage.
 */
export const ZResultBatch = z.strictObject({
  reports: z.array(ZResultReport).min(1, 'must hold at least one report').max(MAX_BATCH_REPORTS, `at most ${MAX_BATCH_REPORTS} reports in one batch`),
});
export type ResultBatch = z.infer<typeof ZResultBatch>;

export const ZStatusReport = z.strictObject({
  municipality: ZMunicipalityNumber,
  at: ZInstant,
  category: ZCountCategory,
  stage: ZCountStage,
  districts: z.array(ZDistrictNumber).max(2000),
  /** The municipality announces that it counts again (e.g. every ballot re-checked): shown as under review. */
  recount: z.boolean().optional(),
  /** Why, in Norwegian, for the public note (only with `recount: true`). */
  recountReason: z.string().trim().min(1).max(240).optional(),
}).refine((r) => r.recountReason === undefined || r.recount === true, { path: ['recountReason'], message: 'only with "recount": true' });
export type StatusReport = z.infer<typeof ZStatusReport>;

/** One reason a request was refused, tied to the field it concerns (dot path, e.g. "ballots.counted"). */
export const ZFieldIssue = z.object({ field: z.string(), reason: z.string() });
export type FieldIssue = z.infer<typeof ZFieldIssue>;

export const ZApiError = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(ZFieldIssue).optional(),
});
export type ApiError = z.infer<typeof ZApiError>;

export const ZIngestAccepted = z.object({
  seq: z.number().int(),
  status: z.enum(['created', 'duplicate']),
});
export type IngestAccepted = z.infer<typeof ZIngestAccepted>;

/** A batch's answer: one entry per report, in the batch's order. */
export const ZIngestBatchAccepted = z.object({ results: z.array(ZIngestAccepted) });
export type IngestBatchAccepted = z.infer<typeof ZIngestBatchAccepted>;

/** Turns zod's issues into our field/reason pairs. */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      // An empty key still gets a visible name.
      return issue.keys.map((key) => ({ field: [...path, key === '' ? '""' : key].join('.'), reason: 'unknown field' }));
    }
    return [{ field: path.join('.') || '(body)', reason: issue.message }];
  }).flat();
}
