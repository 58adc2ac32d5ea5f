import { describe, expect, it } from 'vitest';
import type { Alert } from '../contracts/ops.ts';
import { computeRetryDelay, describeAlertChange, matchesChannel, signedContent, type RetrySchedule } from './alert-channels.ts';

describe('matchesChannel', () => {
  const subject = { kind: 'stalled' as const, countyNumber: '46', watch: false };
  it.each([
    ['all kinds, all municipalities', { alertKinds: [], scope: 'all', enabled: true }, subject, true],
    ['disabled', { alertKinds: [], scope: 'all', enabled: false }, subject, false],
    ['the kind asked for', { alertKinds: ['stalled', 'backlog'], scope: 'all', enabled: true }, subject, true],
    ['another kind only', { alertKinds: ['slow'], scope: 'all', enabled: true }, subject, false],
    ['its county', { alertKinds: [], scope: 'county:46', enabled: true }, subject, true],
    ['another county', { alertKinds: [], scope: 'county:03', enabled: true }, subject, false],
    ['watchlist, not watched', { alertKinds: [], scope: 'watchlist', enabled: true }, subject, false],
    ['watchlist, watched', { alertKinds: [], scope: 'watchlist', enabled: true }, { ...subject, watch: true }, true],
    ['a malformed scope matches nothing', { alertKinds: [], scope: 'county:4', enabled: true }, subject, false],
  ])('%s', (_name, channel, s, expected) => {
    expect(matchesChannel(channel, s)).toBe(expected);
  });
});

describe('computeRetryDelay', () => {
  const schedule: RetrySchedule = { baseMs: 1000, maxMs: 8000, maxAttempts: 6 };
  it.each([
    [1, 0, 500], [1, 0.999999, 1000], [2, 0, 1000], [3, 0.5, 3000], [4, 0, 4000],
    // Capped at maxMs.
    [5, 0, 4000], [5, 1, 8000],
  ])('after attempt %i with random %f waits %i ms', (attempts, random, expected) => {
    expect(computeRetryDelay(attempts, random, schedule)).toBe(expected);
  });
  it('gives up after the last attempt', () => {
    expect(computeRetryDelay(6, 0.5, schedule)).toBeNull();
    expect(computeRetryDelay(7, 0.5, schedule)).toBeNull();
  });
  it('keeps out-of-range randoms within the ceiling', () => {
    expect(computeRetryDelay(1, 5, schedule)).toBe(1000);
    expect(computeRetryDelay(1, -1, schedule)).toBe(500);
  });
});

describe('signedContent', () => {
  it('is the timestamp, a dot and the exact body', () => {
    expect(signedContent(1700000000, '{"a":1}')).toBe('1700000000.{"a":1}');
  });
});

describe('describeAlertChange', () => {
  const alert: Alert = {
    id: 7, municipality: '4601', name: 'Bergen', kind: 'stalled', reason: 'ingen nye kretser på 24 min', status: 'open',
    raisedAt: '2023-09-11T20:30:00.000Z', acknowledgedAt: null, acknowledgedBy: null, ackReasonCode: null, ackText: null, ackExpiresAt: null, resolvedAt: null,
  };
  it('says what happened, where, when and why, in Norwegian time', () => {
    const message = describeAlertChange('alert.raised', alert, '2023-09-11T20:30:00.000Z');
    expect(message.subject).toBe('Nytt varsel: Bergen (4601) – stanset');
    expect(message.text).toBe('Nytt varsel kl. 22:30: Bergen (4601) – stanset.\nÅrsak: ingen nye kretser på 24 min');
  });
  it('names who acknowledged it, with their words', () => {
    const acked = { ...alert, status: 'acknowledged' as const, acknowledgedBy: 'Kari', ackText: 'ringt kommunen' };
    expect(describeAlertChange('alert.acknowledged', acked, '2023-09-11T20:40:00.000Z').text).toContain('Kvittert av Kari: ringt kommunen.');
  });
});
