// Seats as a source reports them, for elections whose seats Valgvakt does not compute (the Storting's county
// and levelling seats need the whole country's votes and the directorate's rules). See docs/api.md.
import { z } from 'zod';
import { INT32_MAX, ZInstant } from './ingest.ts';

export const NATIONAL_AREA = 'national';

const ZSeatCount = z.number({ error: 'must be a number' }).max(INT32_MAX, { error: `must be at most ${INT32_MAX}`, abort: true })
  .int({ error: 'must be a whole number', abort: true }).nonnegative('must not be negative');

export const ZSeatsArea = z.string().regex(/^(national|\d{2})$/, 'must be "national" or a 2-digit county number, e.g. "03"');

/** What a seat source sends (POST /api/v1/seats): one area's seats per list, as the source published them. */
export const ZSeatsReport = z.strictObject({
  area: ZSeatsArea,
  /** When the source published these seats; the newest per area is current. */
  reportedAt: ZInstant,
  /** Who published them, shown on the pages, e.g. "valgresultat.no". */
  source: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
  /** The source calls them final (not preliminary). */
  final: z.boolean({ error: 'must be true or false' }).optional(),
  seats: z.array(z.strictObject({
    list: z.string().min(1, 'must not be empty').max(40, 'must be at most 40 characters'),
    seats: ZSeatCount,
    /** Of `seats`, levelling seats (utjevningsmandater). */
    levelling: ZSeatCount.optional(),
  })).min(1, 'must name at least one list').max(200, 'must name at most 200 lists'),
}).superRefine((report, context) => {
  const seen = new Set<string>();
  report.seats.forEach((entry, i) => {
    if (seen.has(entry.list)) context.addIssue({ code: 'custom', path: ['seats', i, 'list'], message: `list "${entry.list}" is named twice` });
    seen.add(entry.list);
    if ((entry.levelling ?? 0) > entry.seats) context.addIssue({ code: 'custom', path: ['seats', i, 'levelling'], message: 'must not exceed seats' });
  });
});
export type SeatsReport = z.infer<typeof ZSeatsReport>;

/** The change-log payload of an accepted seats report (`seats.reported`). */
export const ZSeatsReportedPayload = z.object({
  area: z.string(),
  source: z.string(),
  reportedAt: z.string(),
  receivedAt: z.string(),
  final: z.boolean(),
  seats: z.array(z.object({ list: z.string(), seats: z.number().int(), levelling: z.number().int() })),
});
export type SeatsReportedPayload = z.infer<typeof ZSeatsReportedPayload>;

/** One area's current seats as the pages show them: lists with seats first, most seats first. */
export const ZReportedSeats = z.object({
  area: z.string(),
  areaName: z.string(),
  source: z.string(),
  reportedAt: z.string(),
  receivedAt: z.string(),
  final: z.boolean(),
  total: z.number().int(),
  lists: z.array(z.object({ code: z.string(), name: z.string(), seats: z.number().int(), levelling: z.number().int() })),
});
export type ReportedSeats = z.infer<typeof ZReportedSeats>;
