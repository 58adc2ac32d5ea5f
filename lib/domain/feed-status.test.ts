import { describe, expect, it } from 'vitest';
import { toFieldIssues } from '../contracts/ingest.ts';
import { ZFeedStatusReport, type FeedSource, type FeedStatusPayload, type FeedStatusReport } from '../contracts/feed-status.ts';
import {
  checkFeedStatus, computeFeedHealth, computeFeedLateAt, computeFeedSource, decideFeedIncident, decideFeedStatus, describeFeedOutage, describeSource, hasVisibleSourceChange,
  isStallHeldBack, refreshFeedSource, toFeedStatusPayload,
} from './feed-status.ts';

const report = (patch: Partial<FeedStatusReport> = {}): FeedStatusReport => ({
  source: 'valgresultat.no', base: 'https://valgresultat.no', election: '2025/st', at: '2025-09-08T22:15:03+02:00', state: 'ok',
  intervalSeconds: 15, lastPollAt: '2025-09-08T22:15:03+02:00', lastGoodPollAt: '2025-09-08T22:15:03+02:00', consecutiveFailures: 0, errors: 0,
  lagSeconds: 42, outageSince: null, unreadable: [{ path: '/2025/st/03/0301', reason: 'HTTP 503' }], ...patch,
});
const payload = (patch: Partial<FeedStatusReport> = {}): FeedStatusPayload => toFeedStatusPayload(report(patch), new Date('2025-09-08T20:15:04Z'));
const issuesOf = (body: unknown) => {
  const parsed = ZFeedStatusReport.safeParse(body);
  return parsed.success ? [] : toFieldIssues(parsed.error).map((issue) => issue.field);
};

describe('ZFeedStatusReport', () => {
  it('takes the contract example as it stands', () => {
    expect(issuesOf(report())).toEqual([]);
  });

  it.each([
    ['a state outside the three', { state: 'late' }, ['state']],
    ['a time without offset (the feed\'s own local time)', { at: '2025-09-08T22:15:03' }, ['at']],
    ['down without outageSince', { state: 'down', outageSince: null }, ['outageSince']],
    ['an outage beginning after the status', { state: 'down', outageSince: '2025-09-08T22:20:00+02:00' }, ['outageSince']],
    ['a good poll after the status', { lastGoodPollAt: '2025-09-08T22:16:00+02:00' }, ['lastGoodPollAt']],
    ['a zero interval', { intervalSeconds: 0 }, ['intervalSeconds']],
    ['negative errors', { errors: -1 }, ['errors']],
    ['fractional failures', { consecutiveFailures: 1.5 }, ['consecutiveFailures']],
    ['a base that is not http(s)', { base: 'ftp://valgresultat.no' }, ['base']],
    ['an election not year/type', { election: 'st2025' }, ['election']],
    ['51 unreadable paths', { unreadable: Array.from({ length: 51 }, (_, i) => ({ path: `/p/${i}`, reason: 'HTTP 503' })) }, ['unreadable']],
  ])('names the field: %s', (_name, patch, fields) => {
    expect(issuesOf({ ...report(), ...patch })).toEqual(fields);
  });

  it('names an unknown field and every missing one', () => {
    expect(issuesOf({ ...report(), extra: 1 })).toEqual(['extra']);
    const { lagSeconds: _lag, state: _state, ...rest } = report();
    expect(issuesOf(rest).sort()).toEqual(['lagSeconds', 'state']);
  });
});

describe('checkFeedStatus', () => {
  const pollsClose = new Date('2025-09-08T19:00:00Z');
  it('takes a status up to the clock skew ahead, and refuses one further ahead, naming at', () => {
    expect(checkFeedStatus(report(), new Date('2025-09-08T20:15:00Z'), pollsClose)).toEqual([]);
    expect(checkFeedStatus(report({ at: '2025-09-08T22:30:00+02:00' }), new Date('2025-09-08T20:15:00Z'), pollsClose))
      .toEqual([{ field: 'at', reason: expect.stringContaining('lies in the future') }]);
  });
});

describe('computeFeedHealth', () => {
  const status = { at: '2025-09-08T20:15:00.000Z', intervalSeconds: 15, state: 'degraded' as const };
  it.each([
    ['right after the status', '2025-09-08T20:15:01Z', 'degraded'],
    ['one millisecond before 3 intervals', '2025-09-08T20:15:44.999Z', 'degraded'],
    ['at 3 intervals', '2025-09-08T20:15:45Z', 'late'],
    ['long after', '2025-09-08T23:00:00Z', 'late'],
  ])('%s → %s', (_name, now, health) => {
    expect(computeFeedHealth(status, new Date(now))).toBe(health);
  });
  it('is null without a status, and late from at + 3 × interval', () => {
    expect(computeFeedHealth(null, new Date())).toBeNull();
    expect(computeFeedLateAt(status)).toBe(Date.parse('2025-09-08T20:15:45Z'));
  });
});

describe('toFeedStatusPayload', () => {
  it('keeps every field and writes times in UTC', () => {
    expect(payload({ state: 'down', outageSince: '2025-09-08T23:10:00+02:00', at: '2025-09-08T23:12:00+02:00' })).toMatchObject({
      at: '2025-09-08T21:12:00.000Z', outageSince: '2025-09-08T21:10:00.000Z', lastGoodPollAt: '2025-09-08T20:15:03.000Z',
      receivedAt: '2025-09-08T20:15:04.000Z', state: 'down', lagSeconds: 42, unreadable: [{ path: '/2025/st/03/0301', reason: 'HTTP 503' }],
    });
  });
});

describe('toFeedStatusPayload: an unreadable path\'s reason', () => {
  it('is kept whole up to 300 characters, shortened beyond, and may be empty', () => {
    const long = 'x'.repeat(1000);
    const stored = toFeedStatusPayload(report({ unreadable: [{ path: '/a', reason: long }, { path: '/b', reason: '' }, { path: '/c', reason: 'HTTP\u0000 503' }] }), new Date());
    expect(stored.unreadable.map((u) => u.reason.length)).toEqual([300, 0, 8]);
    expect(stored.unreadable[2]!.reason).toBe('HTTP 503');
    expect(stored.unreadable[0]!.reason.endsWith('…')).toBe(true);
    expect(issuesOf(report({ unreadable: [{ path: '/a', reason: long }], lagSeconds: 31_536_000 }))).toEqual([]);
  });
});

describe('decideFeedStatus', () => {
  const stored = (at: string, payloadHash = 'h1', seq = 7) => ({ at: new Date(at), payloadHash, seq });
  it.each([
    ['the first status', '2025-09-08T20:15:00Z', null, null, { kind: 'create' }],
    ['a newer status', '2025-09-08T20:15:15Z', null, stored('2025-09-08T20:15:00Z'), { kind: 'create' }],
    ['an exact resend', '2025-09-08T20:15:00Z', stored('2025-09-08T20:15:00Z'), stored('2025-09-08T20:15:00Z'), { kind: 'duplicate', seq: 7 }],
  ] as const)('%s', (_name, at, same, newest, decision) => {
    expect(decideFeedStatus(new Date(at), 'h1', same, newest)).toEqual(decision);
  });
  it('refuses another status at the same time and an older one, naming at', () => {
    expect(decideFeedStatus(new Date('2025-09-08T20:15:00Z'), 'h2', stored('2025-09-08T20:15:00Z'), stored('2025-09-08T20:15:00Z')))
      .toMatchObject({ kind: 'conflict', field: 'at' });
    expect(decideFeedStatus(new Date('2025-09-08T20:14:00Z'), 'h1', null, stored('2025-09-08T20:15:00Z')))
      .toMatchObject({ kind: 'conflict', field: 'at', reason: expect.stringContaining('after the newest') });
  });
});

describe('computeFeedSource and describeSource', () => {
  it('says "kommunenes rapporter" before any status', () => {
    const source = computeFeedSource(null, new Date());
    expect(source).toEqual({ kind: 'municipalities', feed: null });
    expect(describeSource(source)).toEqual({ text: 'Kilde: kommunenes rapporter', warning: null });
  });

  it('names the feed and when it was last read, in Norwegian time', () => {
    const source = computeFeedSource(payload(), new Date('2025-09-08T20:15:10Z'));
    expect(source.feed).toMatchObject({ name: 'valgresultat.no', health: 'ok', lagSeconds: 42, statusAt: '2025-09-08T20:15:03.000Z' });
    expect(describeSource(source)).toEqual({ text: 'Kilde: valgresultat.no · sist lest 22:15', warning: null });
  });

  it('warns while down, from the first failed round', () => {
    const down = payload({ state: 'down', at: '2025-09-08T23:12:00+02:00', lastGoodPollAt: '2025-09-08T23:09:45+02:00', outageSince: '2025-09-08T23:10:00+02:00' });
    expect(describeSource(computeFeedSource(down, new Date('2025-09-08T21:12:05Z')))).toEqual({
      text: 'Kilde: valgresultat.no · sist lest 23:09', warning: 'valgresultat.no svarer ikke siden 23:10 — tallene kan være forsinket',
    });
  });

  it('warns when the watchdog has gone silent, from its last good poll', () => {
    const source = computeFeedSource(payload(), new Date('2025-09-08T20:30:00Z'));
    expect(source.feed?.health).toBe('late');
    // Not "svarer ikke": with the watchdog silent, whether the service answers is not known.
    expect(describeSource(source).warning).toBe('valgresultat.no er ikke lest siden 22:15 — tallene kan være forsinket');
  });

  it('says the same in nynorsk and English', () => {
    const down = computeFeedSource(payload({ state: 'down', at: '2025-09-08T23:12:00+02:00', lastGoodPollAt: '2025-09-08T23:09:45+02:00', outageSince: '2025-09-08T23:10:00+02:00' }), new Date('2025-09-08T21:12:05Z'));
    expect(describeSource(down, 'nn')).toEqual({ text: 'Kjelde: valgresultat.no · sist lesen 23:09', warning: 'valgresultat.no svarar ikkje sidan 23:10 — tala kan vere forseinka' });
    expect(describeSource(down, 'en')).toEqual({ text: 'Source: valgresultat.no · last read 23:09', warning: 'valgresultat.no has not responded since 23:10 — figures may be delayed' });
    expect(describeSource({ kind: 'municipalities', feed: null }, 'en').text).toBe("Source: the municipalities' reports");
    expect(describeSource(computeFeedSource(payload({ state: 'degraded' }), new Date('2025-09-08T20:15:10Z')), 'nn').warning).toBe('valgresultat.no svarar berre delvis — nokre tal kan vere forseinka');
    expect(describeFeedOutage(down, 'en')).toBe('valgresultat.no has not responded since 23:10');
    expect(describeFeedOutage(computeFeedSource(payload(), new Date('2025-09-08T20:30:00Z')), 'nn')).toBe('vaktprogrammet har ikkje meldt seg sidan 22:15 — valgresultat.no kan vere utilgjengeleg');
  });

  it('refreshFeedSource turns a source late by the clock alone, and leaves it otherwise', () => {
    const source = computeFeedSource(payload(), new Date('2025-09-08T20:15:10Z'));
    expect(refreshFeedSource(source, new Date('2025-09-08T20:15:20Z'))).toBe(source);
    expect(refreshFeedSource(source, new Date('2025-09-08T20:16:00Z')).feed?.health).toBe('late');
  });

  it('a visible change is a new health, kind or minute read, not every newer poll', () => {
    const at = new Date('2025-09-08T20:15:10Z');
    const ok = computeFeedSource(payload(), at);
    const later = computeFeedSource(payload({ at: '2025-09-08T22:15:18+02:00', lastGoodPollAt: '2025-09-08T22:15:18+02:00' }), at);
    const nextMinute = computeFeedSource(payload({ at: '2025-09-08T22:16:03+02:00', lastGoodPollAt: '2025-09-08T22:16:03+02:00' }), at);
    const degraded = computeFeedSource(payload({ state: 'degraded' }), at);
    expect(hasVisibleSourceChange(ok, later)).toBe(false);
    expect(hasVisibleSourceChange(ok, nextMinute)).toBe(true);
    expect(hasVisibleSourceChange(ok, degraded)).toBe(true);
    expect(hasVisibleSourceChange({ kind: 'municipalities', feed: null }, ok)).toBe(true);
  });
});

describe('decideFeedIncident', () => {
  const at = new Date('2025-09-08T21:12:05Z');
  const down: FeedSource = computeFeedSource(payload({ state: 'down', at: '2025-09-08T23:12:00+02:00', outageSince: '2025-09-08T23:10:00+02:00' }), at);
  const ok: FeedSource = computeFeedSource(payload({ at: '2025-09-08T23:12:00+02:00' }), at);
  it.each([
    ['down, none open → raise', down, null, { kind: 'raise', since: '2025-09-08T21:10:00.000Z', reason: 'valgresultat.no svarer ikke siden 23:10' }],
    ['down, one open → nothing (one incident, not one per status)', down, { status: 'open' }, null],
    ['down, acknowledged → nothing', down, { status: 'acknowledged' }, null],
    ['ok, one open → resolve', ok, { status: 'open' }, { kind: 'resolve' }],
    ['ok, acknowledged → resolve', ok, { status: 'acknowledged' }, { kind: 'resolve' }],
    ['ok, none → nothing', ok, null, null],
    ['no feed → nothing', { kind: 'municipalities', feed: null }, null, null],
  ] as const)('%s', (_name, source, active, action) => {
    expect(decideFeedIncident(source, active)).toEqual(action);
  });
  it('raises for a silent watchdog too, saying so', () => {
    const late = computeFeedSource(payload(), new Date('2025-09-08T21:00:00Z'));
    expect(decideFeedIncident(late, null)).toMatchObject({ kind: 'raise', reason: expect.stringContaining('vaktprogrammet har ikke meldt seg siden 22:15') });
  });
});

describe('describeFeedOutage', () => {
  it('says the cause of now, which may change within one outage: silent watchdog, then the feed down', () => {
    const silent = computeFeedSource(payload(), new Date('2025-09-08T20:17:00Z'));
    expect(describeFeedOutage(silent)).toBe('vaktprogrammet har ikke meldt seg siden 22:15 — valgresultat.no kan være utilgjengelig');
    // The watchdog is back and reports the feed down since 22:16: no longer "has not reported".
    const down = computeFeedSource(payload({ state: 'down', at: '2025-09-08T22:17:00+02:00', lastPollAt: '2025-09-08T22:17:00+02:00', outageSince: '2025-09-08T22:16:00+02:00' }), new Date('2025-09-08T20:17:01Z'));
    expect(describeFeedOutage(down)).toBe('valgresultat.no svarer ikke siden 22:16');
  });
  it('is null while the feed is read, even partly, and without a feed', () => {
    expect(describeFeedOutage(computeFeedSource(payload({ state: 'degraded' }), new Date('2025-09-08T20:15:10Z')))).toBeNull();
    expect(describeFeedOutage({ kind: 'municipalities', feed: null })).toBeNull();
  });
});

describe('isStallHeldBack', () => {
  it.each([
    ['counting → stalled while down', 'counting', 'stalled', 'down', true],
    ['counting → slow while late', 'counting', 'slow', 'late', true],
    ['waiting → slow while down', 'waiting', 'slow', 'down', true],
    ['slow → stalled while down (began before the outage)', 'slow', 'stalled', 'down', false],
    ['counting → stalled while degraded', 'counting', 'stalled', 'degraded', false],
    ['counting → stalled while ok', 'counting', 'stalled', 'ok', false],
    ['counting → stalled without a feed', 'counting', 'stalled', null, false],
    ['counting → regressed while down (a count went down: data, not silence)', 'counting', 'regressed', 'down', false],
    ['counting → backlog while down', 'counting', 'backlog', 'down', false],
    ['counting → complete while down', 'counting', 'complete', 'down', false],
  ] as const)('%s', (_name, from, to, health, held) => {
    expect(isStallHeldBack(from, to, health)).toBe(held);
  });
});
