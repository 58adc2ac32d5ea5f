import { describe, expect, it } from 'vitest';
import { errorMessage } from './error-message.ts';

describe('errorMessage', () => {
  it.each([
    ['an Error', new Error('disk full'), 'disk full'],
    ['a subclass', new TypeError('not a function'), 'not a function'],
    ['a thrown string', 'timeout', 'timeout'],
    ['a thrown object', { code: 7 }, '[object Object]'],
    ['undefined', undefined, 'undefined'],
  ])('%s', (_name, error, expected) => {
    expect(errorMessage(error)).toBe(expected);
  });
});
