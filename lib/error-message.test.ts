import { describe, expect, it } from 'vitest';
import { errorCode, errorMessage } from './error-message.ts';

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

describe('errorCode', () => {
  it.each([
    ['a Node system error', Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' }), 'EADDRINUSE'],
    ['an Error without a code', new Error('disk full'), undefined],
    ['a thrown object with a code', { code: 7 }, 7],
    ['a thrown string', 'timeout', undefined],
    ['null', null, undefined],
  ])('%s', (_name, error, expected) => {
    expect(errorCode(error)).toBe(expected);
  });
});
