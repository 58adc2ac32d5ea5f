// Norwegian (bokmål) formatting for the public pages: "12 345", "34,5 %", times in Norwegian time.
const INTEGER = new Intl.NumberFormat('nb-NO', { maximumFractionDigits: 0 });
const PERCENT = new Intl.NumberFormat('nb-NO', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const CLOCK = new Intl.DateTimeFormat('nb-NO', { timeZone: 'Europe/Oslo', hour: '2-digit', minute: '2-digit', second: '2-digit' });
const CLOCK_SHORT = new Intl.DateTimeFormat('nb-NO', { timeZone: 'Europe/Oslo', hour: '2-digit', minute: '2-digit' });
const DATE_TIME = new Intl.DateTimeFormat('nb-NO', { timeZone: 'Europe/Oslo', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

// Intl writes U+00A0 / U+202F as separators; a plain no-break space keeps numbers on one line and
// matches what readers and screen readers expect.
function normalizeSpaces(text: string): string {
  return text.replace(/[\u202f\u00a0]/g, '\u00a0');
}

export function formatInteger(value: number): string {
  return normalizeSpaces(INTEGER.format(value));
}

/** 0.345 → "34,5 %". */
export function formatShare(share: number): string {
  return normalizeSpaces(PERCENT.format(share));
}

/** ISO instant → "21:34:05" in Norwegian time. */
export function formatClock(iso: string): string {
  return CLOCK.format(new Date(iso));
}

export function formatClockShort(iso: string): string {
  return CLOCK_SHORT.format(new Date(iso));
}

export function formatDateTime(iso: string): string {
  return normalizeSpaces(DATE_TIME.format(new Date(iso)));
}

/** "for 12 min siden" style age, from two instants. */
export function formatAge(fromIso: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - new Date(fromIso).getTime()) / 1000));
  if (seconds < 60) return `${seconds} s siden`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min siden`;
  const hours = Math.floor(minutes / 60);
  return `${hours} t ${minutes % 60} min siden`;
}

/** How long from one instant to another: "45 s", "12 min", "2 t 38 min" (never negative). */
export function formatDuration(fromIso: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - new Date(fromIso).getTime()) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} t ${minutes % 60} min`;
}

/** "siden kl. 21:11 (2 t 38 min)": when a state began and how long it has held, for a live page. */
export function formatSince(fromIso: string, now: Date): string {
  return `siden kl. ${formatClockShort(fromIso)} (${formatDuration(fromIso, now)})`;
}

export const STATUS_LABELS = {
  waiting: 'Venter',
  counting: 'Telles',
  complete: 'Ferdig opptalt',
} as const;

export const DISTRICT_STATUS_LABELS = {
  waiting: 'Venter',
  preliminary: 'Foreløpig',
  final: 'Endelig',
} as const;

const POINTS = new Intl.NumberFormat('nb-NO', { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' });

/** A change in share as percentage points: 0.023 → "+2,3", −0.01 → "−1,0", 0 → "0,0". */
export function formatPoints(change: number): string {
  // Intl uses U+2212 for minus in nb-NO, which reads right aloud; keep it.
  return normalizeSpaces(POINTS.format(change * 100));
}
