// eslint-disable-next-line no-restricted-imports -- the test reads the shipped config file; the module under test does no I/O.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ZThresholdsFile, parseDuration } from './thresholds.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

describe('parseDuration', () => {
  it.each<[string, number]>([
    ['90s', 90 * SECOND],
    ['15m', 15 * MINUTE],
    ['1h30m', 90 * MINUTE],
    ['2h', 2 * HOUR],
    ['1h30m15s', HOUR + 30 * MINUTE + 15 * SECOND],
    ['1m30s', 90 * SECOND],
    ['90m', 90 * MINUTE],
    ['0m', 0],
    [' 15m ', 15 * MINUTE],
  ])('%j → %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '   ', '15', 'm', 'h', '1.5m', '-5m', '+5m', '15M', '15min', '30m1h', '1h 30m', '1d', 'm15'])('rejects %j', (text) => {
    expect(() => parseDuration(text)).toThrow(RangeError);
  });
});

// Different durations per track, so a mix-up shows.
const VALID = {
  advance: { preliminary: { slowAfter: '15m', stallAfter: '30m', backlogAfter: '10m' }, final: { slowAfter: '1h', stallAfter: '2h', backlogAfter: '30m' } },
  election_day: { preliminary: { slowAfter: '20m', stallAfter: '45m', backlogAfter: '90s' }, final: { slowAfter: '1h30m', stallAfter: '3h', backlogAfter: '1h' } },
  regressedFor: '30m',
  evaluateEvery: '30s',
};

describe('ZThresholdsFile', () => {
  it('parses config/thresholds.json into milliseconds, each track slow before stalled', () => {
    const file = JSON.parse(readFileSync(new URL('../../config/thresholds.json', import.meta.url), 'utf8'));
    const thresholds = ZThresholdsFile.parse(file);
    for (const category of ['advance', 'election_day'] as const) {
      for (const stage of ['preliminary', 'final'] as const) {
        const track = thresholds[category][stage];
        for (const key of ['slowAfter', 'stallAfter', 'backlogAfter'] as const) {
          expect(track[key]).toBe(parseDuration(file[category][stage][key]));
          expect(track[key]).toBeGreaterThan(0);
        }
        expect(track.slowAfter).toBeLessThan(track.stallAfter);
      }
    }
    expect(thresholds.regressedFor).toBeGreaterThan(0);
    expect(thresholds.evaluateEvery).toBeGreaterThan(0);
  });

  it('turns every duration into milliseconds', () => {
    expect(ZThresholdsFile.parse(VALID)).toEqual({
      advance: { preliminary: { slowAfter: 15 * MINUTE, stallAfter: 30 * MINUTE, backlogAfter: 10 * MINUTE }, final: { slowAfter: HOUR, stallAfter: 2 * HOUR, backlogAfter: 30 * MINUTE } },
      election_day: { preliminary: { slowAfter: 20 * MINUTE, stallAfter: 45 * MINUTE, backlogAfter: 90 * SECOND }, final: { slowAfter: 90 * MINUTE, stallAfter: 3 * HOUR, backlogAfter: HOUR } },
      regressedFor: 30 * MINUTE,
      evaluateEvery: 30 * SECOND,
    });
  });

  it.each<[string, (file: typeof VALID) => unknown, (string | number)[]]>([
    ['an unknown top-level key', (f) => ({ ...f, slowAfter: '15m' }), []],
    ['an unknown category', (f) => ({ ...f, early: f.advance }), []],
    ['an unknown stage', (f) => ({ ...f, advance: { ...f.advance, recount: f.advance.final } }), ['advance']],
    ['an unknown track key (a typo)', (f) => ({ ...f, election_day: { ...f.election_day, final: { ...f.election_day.final, stalledAfter: '2h' } } }), ['election_day', 'final']],
    ['a missing track key', (f) => ({ ...f, advance: { ...f.advance, preliminary: { slowAfter: '15m', stallAfter: '30m' } } }), ['advance', 'preliminary', 'backlogAfter']],
    ['a missing regressedFor', ({ regressedFor: _drop, ...rest }) => rest, ['regressedFor']],
    ['a bad duration', (f) => ({ ...f, advance: { ...f.advance, preliminary: { ...f.advance.preliminary, slowAfter: '15 minutes' } } }), ['advance', 'preliminary', 'slowAfter']],
    ['a fractional duration', (f) => ({ ...f, regressedFor: '0.5h' }), ['regressedFor']],
    ['a number instead of a duration', (f) => ({ ...f, evaluateEvery: 30 }), ['evaluateEvery']],
  ])('rejects %s', (_name, change, path) => {
    const parsed = ZThresholdsFile.safeParse(change(structuredClone(VALID)));
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((issue) => issue.path)).toContainEqual(path);
  });

  it('says what a duration looks like', () => {
    const parsed = ZThresholdsFile.safeParse({ ...VALID, regressedFor: '15' });
    expect(parsed.error!.issues[0]!.message).toMatch(/not a duration like "90s", "15m" or "1h30m": 15/);
  });
});
