// When a municipality counts as slow, stalled or in backlog: per count category and stage, from the
// config file (config/thresholds.json), with SLOW_AFTER / STALL_AFTER / BACKLOG_AFTER overriding all.
import { z } from 'zod';
import { errorMessage } from '../error-message.ts';

/** "90s", "15m", "1h30m" → milliseconds. */
export function parseDuration(text: string): number {
  const match = text.trim().match(/^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/);
  if (!match || text.trim() === '' || !(match[1] || match[2] || match[3])) throw new RangeError(`not a duration like "90s", "15m" or "1h30m": ${text}`);
  return ((Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0)) * 60 + Number(match[3] ?? 0)) * 1000;
}

const ZDuration = z.string().transform((text, ctx) => {
  try {
    return parseDuration(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: errorMessage(error) });
    return z.NEVER;
  }
});

const ZTrackThresholds = z.strictObject({
  slowAfter: ZDuration,
  stallAfter: ZDuration,
  backlogAfter: ZDuration,
});
export type TrackThresholds = { slowAfter: number; stallAfter: number; backlogAfter: number };

export const ZThresholdsFile = z.strictObject({
  advance: z.strictObject({ preliminary: ZTrackThresholds, final: ZTrackThresholds }),
  election_day: z.strictObject({ preliminary: ZTrackThresholds, final: ZTrackThresholds }),
  /** How long a correction that lowered a published total keeps the municipality "regressed". */
  regressedFor: ZDuration,
  /** How often the timer re-evaluates states, on the system clock. */
  evaluateEvery: ZDuration,
});
export type Thresholds = z.output<typeof ZThresholdsFile>;
