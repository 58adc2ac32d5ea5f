// Formatting the operations console needs beyond lib/format.ts.
import { formatInteger } from '../../../../../lib/format.ts';

const DECIMAL = new Intl.NumberFormat('nb-NO', { maximumFractionDigits: 1 });

export function formatDecimal(value: number): string {
  return DECIMAL.format(value).replace(/[\u202f\u00a0]/g, '\u00a0');
}

/** Minutes as "45 min" or "2 t 5 min". */
export function formatMinutes(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} t ${m % 60} min`;
}

export function plural(n: number, one: string, many: string): string {
  return `${formatInteger(n)} ${n === 1 ? one : many}`;
}

const DAY = new Intl.DateTimeFormat('nb-NO', { timeZone: 'Europe/Oslo', weekday: 'short', day: 'numeric', month: 'short' });

/** "man. 11. sep." in Norwegian time. */
export function formatDay(iso: string): string {
  return DAY.format(new Date(iso)).replace(/[\u202f\u00a0]/g, '\u00a0');
}

const TICK_STEPS_MIN = [5, 10, 15, 30, 60, 120, 180, 360];

/** Round clock times (every 5 min … 6 h) across [start, end] ms, at most `max` of them, for a time axis. */
export function timeTicks(start: number, end: number, max = 7): number[] {
  const span = Math.max(1, end - start);
  // TICK_STEPS_MIN is a non-empty constant list.
  const step = (TICK_STEPS_MIN.find((m) => span / (m * 60_000) <= max) ?? TICK_STEPS_MIN.at(-1)!) * 60_000;
  const ticks: number[] = [];
  // Whole minutes in UTC are whole minutes in Norway too (the offset is whole hours).
  for (let t = Math.ceil(start / step) * step; t <= end; t += step) ticks.push(t);
  return ticks;
}
