// Formatting for the public pages and the console, per locale (bokmål by default): "12 345", "34,5 %",
// times in Norwegian time whatever the reader's own zone. Every function takes the reader's locale last,
// so the calls written before there were three languages keep their bokmål output; `formatterFor` binds
// one locale for a component that formats many values.
import { DEFAULT_LOCALE, type Locale } from './i18n/locale.ts';
import { fill } from './i18n/text.ts';
import { intlLocales } from './i18n/text.ts';
import { domainTexts } from './i18n/domain-texts.ts';

const OSLO = 'Europe/Oslo';

interface Formats {
  integer: Intl.NumberFormat;
  percent: Intl.NumberFormat;
  percentWhole: Intl.NumberFormat;
  points: Intl.NumberFormat;
  clock: Intl.DateTimeFormat;
  clockShort: Intl.DateTimeFormat;
  dateTime: Intl.DateTimeFormat;
}

// Intl formatters are costly to build and a page formats thousands of values: one set per locale.
const formatsByLocale = new Map<Locale, Formats>();

function formatsFor(locale: Locale): Formats {
  let formats = formatsByLocale.get(locale);
  if (!formats) {
    const tags = intlLocales(locale);
    formats = {
      integer: new Intl.NumberFormat(tags, { maximumFractionDigits: 0 }),
      percent: new Intl.NumberFormat(tags, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }),
      percentWhole: new Intl.NumberFormat(tags, { style: 'percent', maximumFractionDigits: 0 }),
      points: new Intl.NumberFormat(tags, { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' }),
      clock: new Intl.DateTimeFormat(tags, { timeZone: OSLO, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }),
      clockShort: new Intl.DateTimeFormat(tags, { timeZone: OSLO, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
      dateTime: new Intl.DateTimeFormat(tags, { timeZone: OSLO, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
    };
    formatsByLocale.set(locale, formats);
  }
  return formats;
}

// Intl writes U+00A0 / U+202F as separators; a plain no-break space keeps numbers on one line and
// matches what readers and screen readers expect.
function normalizeSpaces(text: string): string {
  return text.replace(/[\u202f\u00a0]/g, '\u00a0');
}

export function formatInteger(value: number, locale: Locale = DEFAULT_LOCALE): string {
  return normalizeSpaces(formatsFor(locale).integer.format(value));
}

/** 0.345 → "34,5 %" (en: "34.5%"). */
export function formatShare(share: number, locale: Locale = DEFAULT_LOCALE): string {
  return normalizeSpaces(formatsFor(locale).percent.format(share));
}

/** 0.3 → "30 %" (en: "30%"): whole percents, for a chart's axis. */
export function formatShareWhole(share: number, locale: Locale = DEFAULT_LOCALE): string {
  return normalizeSpaces(formatsFor(locale).percentWhole.format(share));
}

/** ISO instant → "21:34:05" in Norwegian time. */
export function formatClock(iso: string, locale: Locale = DEFAULT_LOCALE): string {
  return formatsFor(locale).clock.format(new Date(iso));
}

export function formatClockShort(iso: string, locale: Locale = DEFAULT_LOCALE): string {
  return formatsFor(locale).clockShort.format(new Date(iso));
}

/** ISO instant → "11. sep., 21:34" (en: "11 Sept, 21:34") in Norwegian time. */
export function formatDateTime(iso: string, locale: Locale = DEFAULT_LOCALE): string {
  return normalizeSpaces(formatsFor(locale).dateTime.format(new Date(iso)));
}

function secondsBetween(fromIso: string, now: Date): number {
  return Math.max(0, Math.round((now.getTime() - new Date(fromIso).getTime()) / 1000));
}

/** "12 min siden" style age, from two instants (never negative). */
export function formatAge(fromIso: string, now: Date, locale: Locale = DEFAULT_LOCALE): string {
  const { ago } = domainTexts(locale).format;
  return fill(ago, { duration: formatDuration(fromIso, now, locale) });
}

/** How long from one instant to another: "45 s", "12 min", "2 t 38 min" (en "2 h 38 min"; never negative). */
export function formatDuration(fromIso: string, now: Date, locale: Locale = DEFAULT_LOCALE): string {
  const texts = domainTexts(locale).format;
  const seconds = secondsBetween(fromIso, now);
  if (seconds < 60) return fill(texts.seconds, { n: seconds });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return fill(texts.minutes, { n: minutes });
  return fill(texts.hoursMinutes, { h: Math.floor(minutes / 60), m: minutes % 60 });
}

/** "siden kl. 21:11 (2 t 38 min)": when a state began and how long it has held, for a live page. */
export function formatSince(fromIso: string, now: Date, locale: Locale = DEFAULT_LOCALE): string {
  return fill(domainTexts(locale).format.since, { clock: formatClockShort(fromIso, locale), duration: formatDuration(fromIso, now, locale) });
}

/** A change in share as percentage points: 0.023 → "+2,3", −0.01 → "−1,0", 0 → "0,0" (en "+2.3", "-1.0"). */
export function formatPoints(change: number, locale: Locale = DEFAULT_LOCALE): string {
  // Intl uses U+2212 for minus in nb-NO, which reads right aloud; keep it.
  return normalizeSpaces(formatsFor(locale).points.format(change * 100));
}

export type MunicipalityStatusLabels = Readonly<Record<'waiting' | 'counting' | 'complete', string>>;
export type DistrictStatusLabels = Readonly<Record<'waiting' | 'preliminary' | 'final', string>>;

/** A municipality's count status as a label ("Venter", "Telles", "Ferdig opptalt"), per locale. */
export function statusLabels(locale: Locale = DEFAULT_LOCALE): MunicipalityStatusLabels {
  return domainTexts(locale).status;
}

/** A district's count status as a label ("Venter", "Foreløpig", "Endelig"), per locale. */
export function districtStatusLabels(locale: Locale = DEFAULT_LOCALE): DistrictStatusLabels {
  return domainTexts(locale).districtStatus;
}

/** The bokmål labels, as published before there were three languages. */
export const STATUS_LABELS: MunicipalityStatusLabels = statusLabels('nb');
export const DISTRICT_STATUS_LABELS: DistrictStatusLabels = districtStatusLabels('nb');

/** Every formatter of this module bound to one locale. */
export interface Formatter {
  locale: Locale;
  integer(value: number): string;
  share(share: number): string;
  points(change: number): string;
  clock(iso: string): string;
  clockShort(iso: string): string;
  dateTime(iso: string): string;
  age(fromIso: string, now: Date): string;
  duration(fromIso: string, now: Date): string;
  since(fromIso: string, now: Date): string;
  statusLabels: MunicipalityStatusLabels;
  districtStatusLabels: DistrictStatusLabels;
}

export function formatterFor(locale: Locale = DEFAULT_LOCALE): Formatter {
  return {
    locale,
    integer: (value) => formatInteger(value, locale),
    share: (share) => formatShare(share, locale),
    points: (change) => formatPoints(change, locale),
    clock: (iso) => formatClock(iso, locale),
    clockShort: (iso) => formatClockShort(iso, locale),
    dateTime: (iso) => formatDateTime(iso, locale),
    age: (fromIso, now) => formatAge(fromIso, now, locale),
    duration: (fromIso, now) => formatDuration(fromIso, now, locale),
    since: (fromIso, now) => formatSince(fromIso, now, locale),
    statusLabels: statusLabels(locale),
    districtStatusLabels: districtStatusLabels(locale),
  };
}
