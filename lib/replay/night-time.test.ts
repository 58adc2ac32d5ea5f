import { describe, it, expect } from 'vitest';
import { addMinutes, afterPollsClose, parseNightTime, type ElectionNight } from './night-time.ts';

const DAY: ElectionNight = { electionDay: '2023-09-11', timeZone: 'Europe/Oslo', pollsClose: '21:00' };
const on = (electionDay: string): ElectionNight => ({ ...DAY, electionDay });

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
    expect(parseNightTime('23:20', on('2019-09-09')).toISOString()).toBe('2019-09-09T21:20:00.000Z');
    expect(parseNightTime('01:00', on('2019-09-09')).toISOString()).toBe('2019-09-09T23:00:00.000Z');
    // across a month's end
    expect(parseNightTime('02:00', on('2023-09-30')).toISOString()).toBe('2023-10-01T00:00:00.000Z');
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

describe('the night in its own time zone', () => {
  it('reads local times in the package\'s zone, winter time too, and polls closing at another hour', () => {
    // A Storting election in March would be on winter time (UTC+1); a night in UTC has no offset at all.
    expect(parseNightTime('23:20', on('2031-03-10')).toISOString()).toBe('2031-03-10T22:20:00.000Z');
    expect(parseNightTime('01:00', { electionDay: '2031-03-10', timeZone: 'UTC', pollsClose: '20:00' }).toISOString()).toBe('2031-03-11T01:00:00.000Z');
    expect(afterPollsClose(30, { electionDay: '2031-03-10', timeZone: 'Europe/Oslo', pollsClose: '20:00' }).toISOString()).toBe('2031-03-10T19:30:00.000Z');
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
