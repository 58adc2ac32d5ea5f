import { describe, it, expect } from 'vitest';
import { addMinutes, afterPollsClose, parseNightTime } from './night-time.ts';

const DAY = '2023-09-11';

describe('parseNightTime', () => {
  it.each([
    // evening of election day (CEST, UTC+2)
    ['21:00', '2023-09-11T19:00:00.000Z'],
    ['23:20', '2023-09-11T21:20:00.000Z'],
    ['23:59', '2023-09-11T21:59:00.000Z'],
    ['12:00', '2023-09-11T10:00:00.000Z'],
    ['20:55', '2023-09-11T18:55:00.000Z'],
    // before noon: the next morning
    ['00:00', '2023-09-11T22:00:00.000Z'],
    ['00:30', '2023-09-11T22:30:00.000Z'],
    ['01:00', '2023-09-11T23:00:00.000Z'],
    ['03:00', '2023-09-12T01:00:00.000Z'],
    ['11:59', '2023-09-12T09:59:00.000Z'],
  ])('%s on the night of %s is %s', (value, expected) => {
    expect(parseNightTime(value, DAY).toISOString()).toBe(expected);
  });

  it('uses the given election day', () => {
    expect(parseNightTime('23:20', '2019-09-09').toISOString()).toBe('2019-09-09T21:20:00.000Z');
    expect(parseNightTime('01:00', '2019-09-09').toISOString()).toBe('2019-09-09T23:00:00.000Z');
    // across a month's end
    expect(parseNightTime('02:00', '2023-09-30').toISOString()).toBe('2023-10-01T00:00:00.000Z');
  });

  it.each([
    ['2023-09-12T10:00:00+02:00', '2023-09-12T08:00:00.000Z'],
    ['2023-09-11T21:20:00Z', '2023-09-11T21:20:00.000Z'],
    ['2023-09-11T23:05:30.250+02:00', '2023-09-11T21:05:30.250Z'],
  ])('passes an ISO instant through: %s', (value, expected) => {
    expect(parseNightTime(value, DAY).toISOString()).toBe(expected);
  });

  it.each(['24:00', '23:60', '99:99', '9:00', '23:2', 'nine', '', '23.20', '2023-13-45T25:00:00Z', 'T23:00', 'Mon Sep 11 2023 23:00:00 GMT+0200'])('refuses %j', (value) => {
    expect(() => parseNightTime(value, DAY)).toThrow(RangeError);
  });

  it.each(['2023-09-11T23:00', '2023-09-11T23:00:00', '2023-09-11'])('refuses %j: without an offset it would depend on the machine\'s time zone', (value) => {
    expect(() => parseNightTime(value, DAY)).toThrow(/offset/);
  });
});

describe('afterPollsClose and addMinutes', () => {
  it.each([
    [0, '2023-09-11T19:00:00.000Z'],
    [90, '2023-09-11T20:30:00.000Z'],
    [169.6, '2023-09-11T21:49:36.000Z'],
    [-5, '2023-09-11T18:55:00.000Z'],
  ])('%s minutes after 21:00 is %s', (minutes, expected) => {
    expect(afterPollsClose(minutes, DAY).toISOString()).toBe(expected);
  });

  it('adds (fractional, negative) minutes without changing its argument', () => {
    const at = new Date('2023-09-11T21:00:00.000Z');
    expect(addMinutes(at, 1.5).toISOString()).toBe('2023-09-11T21:01:30.000Z');
    expect(addMinutes(at, -0.5).toISOString()).toBe('2023-09-11T20:59:30.000Z');
    expect(at.toISOString()).toBe('2023-09-11T21:00:00.000Z');
  });
});
