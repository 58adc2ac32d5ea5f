// Local wall-clock time in an IANA time zone → instant, without a date library: the offset is read from
// Intl (the runtime's time-zone database), which also knows summer time.

/** Minutes east of UTC that `timeZone` has at `instant` (epoch ms, whole seconds). */
export function offsetMinutesAt(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return (Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - instant) / 60_000;
}

/** True when the runtime knows the IANA time zone name. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The instant at which the clocks in `timeZone` show `date` (YYYY-MM-DD) `time` (HH:MM). A time in the hour
 * that repeats when summer time ends is read as the later one; polls never close at such an hour.
 */
export function zonedTimeToInstant(date: string, time: string, timeZone: string): Date {
  const naive = Date.parse(`${date}T${time}:00Z`);
  // Two passes: the second corrects the guess when it lands on the other side of a summer-time change.
  const first = naive - offsetMinutesAt(naive, timeZone) * 60_000;
  return new Date(naive - offsetMinutesAt(first, timeZone) * 60_000);
}

/** `instant` as the clocks in `timeZone` show it: "2025-09-08T22:30:00" and its offset "+02:00" (whole seconds). */
export function toZonedParts(instant: Date, timeZone: string): { local: string; offset: string } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  const local = `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}`;
  const minutes = Math.round((Date.parse(`${local}Z`) - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return { local, offset: `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}` };
}

/** ISO 8601 with the offset in force in `timeZone`, e.g. 2025-09-08T22:30:00+02:00 (whole seconds). */
export function formatZonedIso(instant: Date, timeZone: string): string {
  const { local, offset } = toZonedParts(instant, timeZone);
  return `${local}${offset}`;
}
