// `npm run token -- <number> --expires <when>`: an ISO 8601 time with offset, or a duration from now
// ("36h", "2d", "1d12h", "90m"). Pure: the CLI passes the time.
import { ZInstant } from './contracts/ingest.ts';

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000 };

export function parseTokenExpiry(text: string, now: Date): Date {
  const trimmed = text.trim();
  const duration = trimmed.match(/^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/);
  if (duration && trimmed !== '') {
    const ms = Number(duration[1] ?? 0) * UNIT_MS.d + Number(duration[2] ?? 0) * UNIT_MS.h + Number(duration[3] ?? 0) * UNIT_MS.m;
    if (ms <= 0) throw new RangeError('--expires must lie in the future');
    return new Date(now.getTime() + ms);
  }
  if (!ZInstant.safeParse(trimmed).success) {
    throw new RangeError(`--expires takes a duration like "36h", "2d" or "1d12h", or a time like "2023-09-12T12:00:00+02:00": ${text}`);
  }
  const at = new Date(trimmed);
  if (at.getTime() <= now.getTime()) throw new RangeError('--expires must lie in the future');
  return at;
}
