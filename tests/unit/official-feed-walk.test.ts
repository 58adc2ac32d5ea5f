// The pure parts of the watchdog's walk (lib/official-feed/walk.ts): backoff bounds, Retry-After, the health
// states and the feed-status body of the shared contract, and which bodies a round fetches.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FeedBody } from '../../lib/official-feed/feed-2025.ts';
import {
  buildFeedStatus, computeBackoffMs, computeFeedHealth, computeRetryDelayMs, electionRootPath, feedUrl, formatOsloIso, INITIAL_HEALTH,
  isRetryableStatus, listChildLinks, MAX_UNREADABLE, parseRetryAfterMs, selectStaleUnits, type RoundOutcome,
} from '../../lib/official-feed/walk.ts';

describe('backoff with full jitter', () => {
  it('stays in [0, min(cap, base · 2^attempt)) for any random draw', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 40 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
      const delay = computeBackoffMs(attempt, () => r, { baseMs: 500, capMs: 30_000 });
      return delay >= 0 && delay < Math.min(30_000, 500 * 2 ** attempt) && Number.isInteger(delay);
    }));
  });
  it.each([[0, 0.999, 499], [1, 0.999, 999], [3, 0.5, 2000], [10, 0.999, 29_970], [0, 0, 0]])('attempt %i, draw %f → %i ms', (attempt, r, ms) => {
    expect(computeBackoffMs(attempt, () => r)).toBe(ms);
  });
  it('waits at least what Retry-After asks, else the jittered backoff', () => {
    expect(computeRetryDelayMs(0, 60_000, () => 0.9)).toBe(60_000);
    expect(computeRetryDelayMs(6, 1000, () => 0.9)).toBe(27_000);
    expect(computeRetryDelayMs(1, null, () => 0.5)).toBe(500);
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2025-09-08T20:00:00Z');
  it.each([
    ['60', 60_000], ['0', 0], [' 5 ', 5000],
    ['Mon, 08 Sep 2025 20:01:30 GMT', 90_000], ['Mon, 08 Sep 2025 19:59:00 GMT', 0],
    ['soon', null], ['-5', null], ['1.5', null], ['', null], [null, null], [undefined, null],
  ])('%j → %j', (header, ms) => {
    expect(parseRetryAfterMs(header, now)).toBe(ms);
  });
});

describe('retryable answers', () => {
  it.each([[408, true], [429, true], [500, true], [503, true], [404, false], [400, false], [401, false], [409, false], [422, false]])('%i → %s', (status, retry) => {
    expect(isRetryableStatus(status)).toBe(retry);
  });
});

const round = (over: Partial<RoundOutcome>): RoundOutcome => ({ at: new Date('2025-09-08T20:15:03Z'), requests: 10, unreadable: [], errors: 0, rootFailed: false, newestReport: '2025-09-08T22:14:21', ...over });

describe('feed health', () => {
  it('ok when everything was read, degraded when some was not, down when nothing usable came', () => {
    expect(computeFeedHealth(INITIAL_HEALTH, round({})).state).toBe('ok');
    expect(computeFeedHealth(INITIAL_HEALTH, round({ errors: 1, unreadable: [{ path: '/2025/st/03/0301', reason: 'HTTP 503' }] })).state).toBe('degraded');
    expect(computeFeedHealth(INITIAL_HEALTH, round({ unreadable: [{ path: '/2025/st/03/0301', reason: '2025 schema: partier: …' }] })).state).toBe('degraded');
    expect(computeFeedHealth(INITIAL_HEALTH, round({ errors: 10 })).state).toBe('down');
    expect(computeFeedHealth(INITIAL_HEALTH, round({ rootFailed: true, errors: 1, requests: 1 })).state).toBe('down');
  });

  it('an outage: outageSince is the first failed round, failures count up, the last good poll stays; one good round ends it', () => {
    const t = (m: number) => new Date(Date.parse('2025-09-08T21:10:00Z') + m * 60_000);
    const good = computeFeedHealth(INITIAL_HEALTH, round({ at: t(0) }));
    const down1 = computeFeedHealth(good, round({ at: t(1), rootFailed: true, errors: 1, requests: 1, newestReport: null }));
    const down2 = computeFeedHealth(down1, round({ at: t(2), rootFailed: true, errors: 1, requests: 1, newestReport: null }));
    expect(down2).toMatchObject({ state: 'down', outageSince: t(1), consecutiveFailures: 2, lastGoodPollAt: t(0), lastPollAt: t(2), newestReport: '2025-09-08T22:14:21' });
    const back = computeFeedHealth(down2, round({ at: t(3) }));
    expect(back).toMatchObject({ state: 'ok', outageSince: null, consecutiveFailures: 0, lastGoodPollAt: t(3) });
  });
});

describe('the feed-status body', () => {
  it('has the contract\'s fields, times in Oslo time with offset on Valgvakt\'s clock, lag from rapportGenerert', () => {
    const health = computeFeedHealth(INITIAL_HEALTH, round({ errors: 1, unreadable: [{ path: '/2025/st/03/0301', reason: 'HTTP 503' }] }));
    expect(buildFeedStatus(health, { base: 'https://valgresultat.no/', election: '2025/st', intervalSeconds: 15, now: new Date('2025-09-08T20:15:03Z') })).toEqual({
      source: 'valgresultat.no', base: 'https://valgresultat.no', election: '2025/st',
      at: '2025-09-08T22:15:03+02:00', state: 'degraded', intervalSeconds: 15,
      lastPollAt: '2025-09-08T22:15:03+02:00', lastGoodPollAt: '2025-09-08T22:15:03+02:00',
      consecutiveFailures: 0, errors: 1, lagSeconds: 42, outageSince: null,
      unreadable: [{ path: '/2025/st/03/0301', reason: 'HTTP 503' }],
    });
  });
  it('caps unreadable at 50 and gives null lag before any body', () => {
    const many = Array.from({ length: 80 }, (_, i) => ({ path: `/2025/st/x/${i}`, reason: 'HTTP 500' }));
    const health = computeFeedHealth(INITIAL_HEALTH, round({ errors: 80, requests: 100, unreadable: many, newestReport: null }));
    const body = buildFeedStatus(health, { base: 'http://x', election: '2025/st', intervalSeconds: 15, now: new Date() });
    expect(body.unreadable).toHaveLength(MAX_UNREADABLE);
    expect(body.lagSeconds).toBeNull();
  });
  it('clips a long reason (a parser\'s list of issues) to the contract\'s 300 characters', () => {
    const health = computeFeedHealth(INITIAL_HEALTH, round({ unreadable: [{ path: '/2025/st/03/0301', reason: `2025 schema: ${'partier.0.id: Required; '.repeat(40)}` }] }));
    const [entry] = buildFeedStatus(health, { base: 'http://x', election: '2025/st', intervalSeconds: 15, now: new Date() }).unreadable;
    expect(entry!.reason).toHaveLength(300);
    expect(entry!.reason.endsWith('…')).toBe(true);
    expect(entry!.path).toBe('/2025/st/03/0301');
  });
  it('formats winter times with +01:00', () => {
    expect(formatOsloIso(new Date('2025-01-15T11:00:00Z'))).toBe('2025-01-15T12:00:00+01:00');
  });
});

describe('planning the walk', () => {
  const link = (href: string, reportGenerated: string | null) => ({ nr: href.split('/').at(-1)!, href, name: 'x', reportGenerated, hasChildren: true, advanceVenue: null });
  const body = (level: FeedBody['level'], related: ReturnType<typeof link>[]) => ({ level, links: { self: '/2025/st', up: null, related } }) as unknown as FeedBody;

  it('fetches every county and municipality below the national and county bodies, nothing below others', () => {
    expect(listChildLinks(body('land', [link('/2025/st/03', null), link('/2025/st/11', null)]))).toEqual(['/2025/st/03', '/2025/st/11']);
    expect(listChildLinks(body('fylke', [link('/2025/st/03/0301', '2025-09-08T22:00:00')]))).toEqual(['/2025/st/03/0301']);
    expect(listChildLinks(body('kommune', [link('/2025/st/03/0301/1', null)]))).toEqual([]);
  });
  it('fetches a unit never read, one whose link time moved, and one whose link has no time', () => {
    const links = [link('/a/1', 'T1'), link('/a/2', 'T2'), link('/a/3', 'T3'), link('/a/4', null)];
    const held = new Map<string, string | null>([['/a/1', 'T1'], ['/a/2', 'T1'], ['/a/4', 'T0']]);
    expect(selectStaleUnits(links, (h) => held.get(h)).map((l) => l.href)).toEqual(['/a/2', '/a/3', '/a/4']);
  });
  it('builds URLs from the base and the body\'s own href', () => {
    expect(feedUrl('https://valgresultat.no/', '/2025/st/03/0301')).toBe('https://valgresultat.no/api/2025/st/03/0301');
    expect(electionRootPath('2025/st')).toBe('/2025/st');
    expect(electionRootPath('2025')).toBeNull();
    expect(electionRootPath('../etc')).toBeNull();
  });
});
