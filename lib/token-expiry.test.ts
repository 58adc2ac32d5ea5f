import { describe, expect, it } from 'vitest';
import { parseTokenExpiry } from './token-expiry.ts';

const NOW = new Date('2023-09-11T18:00:00.000Z');

describe('parseTokenExpiry', () => {
  it.each([
    ['36h', '2023-09-13T06:00:00.000Z'],
    ['2d', '2023-09-13T18:00:00.000Z'],
    ['1d12h', '2023-09-13T06:00:00.000Z'],
    ['90m', '2023-09-11T19:30:00.000Z'],
    ['2023-09-12T12:00:00+02:00', '2023-09-12T10:00:00.000Z'],
  ])('%s → %s', (text, expected) => {
    expect(parseTokenExpiry(text, NOW).toISOString()).toBe(expected);
  });

  it.each(['', '0h', '3w', 'tomorrow', '2023-09-12T12:00:00', '2023-09-11T17:59:59Z', '1900-01-01T00:00:00Z'])('refuses %j', (text) => {
    expect(() => parseTokenExpiry(text, NOW)).toThrow(RangeError);
  });
});
