import { describe, expect, it } from 'vitest';
import { decideWatchChange } from './watchlist.ts';

describe('decideWatchChange', () => {
  it.each([
    ['adds one not watched', { watch: false, reason: null }, { watch: true, reason: 'treg i 2023' }, { before: { watch: false, reason: null }, after: { watch: true, reason: 'treg i 2023' }, reason: 'treg i 2023' }],
    ['removes one watched, keeping the reason given in the change only', { watch: true, reason: 'treg i 2023' }, { watch: false, reason: 'alt i rute' }, { before: { watch: true, reason: 'treg i 2023' }, after: { watch: false, reason: null }, reason: 'alt i rute' }],
    ['removes one from the reference data (no reason held)', { watch: true, reason: null }, { watch: false, reason: 'ferdig' }, { before: { watch: true, reason: null }, after: { watch: false, reason: null }, reason: 'ferdig' }],
    ['records a new reason for one already watched', { watch: true, reason: 'a' }, { watch: true, reason: 'b' }, { before: { watch: true, reason: 'a' }, after: { watch: true, reason: 'b' }, reason: 'b' }],
    ['gives a reason to one watched from the reference data', { watch: true, reason: null }, { watch: true, reason: 'b' }, { before: { watch: true, reason: null }, after: { watch: true, reason: 'b' }, reason: 'b' }],
  ] as const)('%s', (_name, held, request, expected) => {
    expect(decideWatchChange(held, request)).toEqual(expected);
  });

  it.each([
    ['adding again with the same reason', { watch: true, reason: 'a' }, { watch: true, reason: 'a' }],
    ['removing one not watched', { watch: false, reason: null }, { watch: false, reason: 'x' }],
  ] as const)('changes nothing when %s', (_name, held, request) => {
    expect(decideWatchChange(held, request)).toBeNull();
  });
});
