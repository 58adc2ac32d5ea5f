// The sidecar's clock as clients see it. With a simulated clock (a replay) "now" is simulated time, and
// pages estimate it between updates as now + elapsed × speed.
import { z } from 'zod';
import { ZInstant } from './ingest.ts';

export const ZClockState = z.object({
  mode: z.enum(['wall', 'simulated']),
  now: z.iso.datetime(),
  speed: z.number().nonnegative(),
});
export type ClockState = z.infer<typeof ZClockState>;

export const ZClockChange = z.strictObject({
  at: ZInstant.optional(),
  speed: z.number().nonnegative().max(100_000).optional(),
}).refine((c) => c.at !== undefined || c.speed !== undefined, 'give at, speed or both');
export type ClockChange = z.infer<typeof ZClockChange>;
