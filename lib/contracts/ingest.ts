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
const ZCount = z.number({ error: 'must be a number' }).int('must be a whole number').nonnegative('must not be negative');
// ISO 8601 with an explicit offset: a count time without one is ambiguous across DST.
const ZInstant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 timestamp with offset, e.g. "2023-09-11T21:05:00+02:00"' });

export const ZResultReport = z.strictObject({
  municipality: ZMunicipalityNumber,
  district: ZDistrictNumber,
  category: ZCountCategory,
  stage: ZCountStage,
  version: z.number().int('must be a whole number').min(1, 'must be 1 or more'),
  countedAt: ZInstant,
  ballots: z.strictObject({ counted: ZCount, rejected: ZCount, blank: ZCount }),
  votes: z.record(z.string().min(1).max(40), ZCount),
});
export type ResultReport = z.infer<typeof ZResultReport>;

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

/** Turns zod's issues into our field/reason pairs. */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [...path, key].join('.'), reason: 'unknown field' }));
    }
    return [{ field: path.join('.') || '(body)', reason: issue.message }];
  }).flat();
}
