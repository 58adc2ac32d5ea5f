// Formatting the operations console needs beyond lib/format.ts, in the page's language.
import { domainTexts } from '../../../../../lib/i18n/domain-texts.ts';
import { DEFAULT_LOCALE, type Locale } from '../../../../../lib/i18n/locale.ts';
import { fill, intlLocales } from '../../../../../lib/i18n/text.ts';

// Built once per locale: the board formats these on every push.
const decimals = new Map<Locale, Intl.NumberFormat>();
const days = new Map<Locale, Intl.DateTimeFormat>();

export function formatDecimal(value: number, locale: Locale = DEFAULT_LOCALE): string {
  let format = decimals.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(intlLocales(locale), { maximumFractionDigits: 1 });
    decimals.set(locale, format);
  }
  return format.format(value).replace(/[\u202f\u00a0]/g, '\u00a0');
}

/** Minutes as "45 min" or "2 t 5 min" (en "2 h 5 min"). */
export function formatMinutes(minutes: number, locale: Locale = DEFAULT_LOCALE): string {
  const texts = domainTexts(locale).format;
  const m = Math.max(0, Math.round(minutes));
  return m < 60 ? fill(texts.minutes, { n: m }) : fill(texts.hoursMinutes, { h: Math.floor(m / 60), m: m % 60 });
}

/** "man. 11. sep." (en "Mon 11 Sept") in Norwegian time. */
export function formatDay(iso: string, locale: Locale = DEFAULT_LOCALE): string {
  let format = days.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(intlLocales(locale), { timeZone: 'Europe/Oslo', weekday: 'short', day: 'numeric', month: 'short' });
    days.set(locale, format);
  }
  return format.format(new Date(iso)).replace(/[\u202f\u00a0]/g, '\u00a0');
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
