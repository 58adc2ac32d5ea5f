import { describe, it, expect } from 'vitest';
import { DISTRICT_STATUS_LABELS, districtStatusLabels, formatAge, formatClock, formatClockShort, formatDateTime, formatDuration, formatInteger, formatShare, formatShareWhole, formatPoints, formatSince, formatterFor, STATUS_LABELS, statusLabels } from './format.ts';
import type { Locale } from './i18n/locale.ts';

const NBSP = '\u00a0';

describe('formatInteger', () => {
  it.each<[number, string]>([
    [0, '0'],
    [999, '999'],
    [12345, `12${NBSP}345`],
    [1234567, `1${NBSP}234${NBSP}567`],
  ])('%i → %s', (value, text) => {
    expect(formatInteger(value)).toBe(text);
  });

  it('groups with U+00A0 only, never U+202F or a plain space', () => {
    expect(formatInteger(12345)).not.toMatch(/[\u202f ]/);
  });
});

describe('formatShare', () => {
  it.each<[number, string]>([
    [0.345, `34,5${NBSP}%`],
    [0, `0,0${NBSP}%`],
    [1, `100,0${NBSP}%`],
    [0.12345, `12,3${NBSP}%`],
  ])('%f → %s', (share, text) => {
    expect(formatShare(share)).toBe(text);
  });
});

describe('formatShareWhole', () => {
  it.each<[number, Locale, string]>([
    [0.3, 'nb', `30${NBSP}%`],
    [0, 'nn', `0${NBSP}%`],
    [0.3, 'en', '30%'],
    [0.126, 'nb', `13${NBSP}%`],
  ])('%f (%s) → %s', (share, locale, text) => {
    expect(formatShareWhole(share, locale)).toBe(text);
  });
});

describe('formatClock', () => {
  it('shows summer instants in Oslo summer time (+02:00)', () => {
    expect(formatClock('2023-09-11T19:05:07Z')).toBe('21:05:07');
  });

  it('shows winter instants in Oslo standard time (+01:00)', () => {
    expect(formatClock('2023-01-11T19:05:07Z')).toBe('20:05:07');
  });

  it('reads the offset of the input', () => {
    expect(formatClock('2023-09-11T21:05:07+02:00')).toBe('21:05:07');
  });

  it('shows the hour after midnight as 00', () => {
    expect(formatClock('2023-09-11T22:30:00Z')).toBe('00:30:00');
  });

  it('has a short form without seconds', () => {
    expect(formatClockShort('2023-09-11T19:05:07Z')).toBe('21:05');
  });
});

describe('formatAge', () => {
  const now = new Date('2023-09-11T20:00:00.000Z');
  const ago = (seconds: number): string => new Date(now.getTime() - seconds * 1000).toISOString();

  it.each<[number, string]>([
    [0, '0 s siden'],
    [59, '59 s siden'],
    [60, '1 min siden'],
    [125, '2 min siden'],
    [3599, '59 min siden'],
    [3600, '1 t 0 min siden'],
    [2 * 3600 + 5 * 60 + 30, '2 t 5 min siden'],
  ])('%i s ago → %s', (seconds, text) => {
    expect(formatAge(ago(seconds), now)).toBe(text);
  });

  it('shows a time slightly in the future as 0 s', () => {
    expect(formatAge(ago(-5), now)).toBe('0 s siden');
  });
});

describe('formatPoints', () => {
  it.each([
    [0.023, '+2,3'],
    [-0.01, '\u22121,0'],
    [0, '0,0'],
    [-0.0004, '0,0'],
    [0.12345, '+12,3'],
  ])('writes %s as %s percentage points', (change, text) => {
    expect(formatPoints(change)).toBe(text);
  });
});

describe('formatDuration and formatSince', () => {
  const now = new Date('2023-09-11T23:49:00Z');
  it.each([
    ['2023-09-11T23:48:15Z', '45 s'],
    ['2023-09-11T23:37:00Z', '12 min'],
    ['2023-09-11T21:11:00Z', '2 t 38 min'],
    ['2023-09-12T00:00:00Z', '0 s'],
  ])('%s → %s', (from, text) => {
    expect(formatDuration(from, now)).toBe(text);
  });
  it('says when and how long', () => {
    expect(formatSince('2023-09-11T19:11:00Z', now)).toBe('siden kl. 21:11 (4 t 38 min)');
  });
});

describe('per locale', () => {
  const now = new Date('2023-09-11T23:49:00Z');
  it.each<[Locale, string, string, string, string, string, string]>([
    // locale, integer, share, points, date-time, age, since
    ['nb', `12${NBSP}345`, `34,5${NBSP}%`, '\u22122,3', '11. sep., 21:34', '2 t 38 min siden', 'siden kl. 21:11 (4 t 38 min)'],
    ['nn', `12${NBSP}345`, `34,5${NBSP}%`, '\u22122,3', '11. sep., 21:34', '2 t 38 min sidan', 'sidan kl. 21:11 (4 t 38 min)'],
    ['en', '12,345', '34.5%', '-2.3', '11 Sept, 21:34', '2 h 38 min ago', 'since 21:11 (4 h 38 min)'],
  ])('%s', (locale, integer, share, points, dateTime, age, since) => {
    expect(formatInteger(12345, locale)).toBe(integer);
    expect(formatShare(0.345, locale)).toBe(share);
    expect(formatPoints(-0.023, locale)).toBe(points);
    expect(formatDateTime('2023-09-11T19:34:05Z', locale)).toBe(dateTime);
    expect(formatAge('2023-09-11T21:11:00Z', now, locale)).toBe(age);
    expect(formatSince('2023-09-11T19:11:00Z', now, locale)).toBe(since);
    // Norwegian time for every reader, 24-hour clock.
    expect(formatClock('2023-09-11T22:30:00Z', locale)).toBe('00:30:00');
    expect(formatClockShort('2023-09-11T19:05:07Z', locale)).toBe('21:05');
  });

  it('binds one locale with formatterFor, with its labels', () => {
    const en = formatterFor('en');
    expect(en.integer(1234567)).toBe('1,234,567');
    expect(en.duration('2023-09-11T23:48:15Z', now)).toBe('45 s');
    expect(en.statusLabels.complete).toBe('Fully counted');
    expect(formatterFor('nn').districtStatusLabels).toEqual({ waiting: 'Ventar', preliminary: 'Førebels', final: 'Endeleg' });
    expect(formatterFor().share(1)).toBe(formatShare(1));
  });

  it('keeps the bokmål labels published before', () => {
    expect(STATUS_LABELS).toEqual({ waiting: 'Venter', counting: 'Telles', complete: 'Ferdig opptalt' });
    expect(DISTRICT_STATUS_LABELS).toEqual({ waiting: 'Venter', preliminary: 'Foreløpig', final: 'Endelig' });
    expect(statusLabels('nb')).toBe(STATUS_LABELS);
    expect(districtStatusLabels('en').preliminary).toBe('Preliminary');
  });
});
