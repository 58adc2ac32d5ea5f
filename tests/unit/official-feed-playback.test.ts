// The playback of the recorded night (lib/official-feed/playback.ts): the index, bodyAt at its boundaries,
// the recorded clock, the three incidents on the real recording, and the command line.
import { beforeAll, describe, expect, it } from 'vitest';
import { readRecording } from '../../data/official-recording.ts';
import type { RecordedLine } from '../../lib/official-feed/feed-2025.ts';
import { parseOfficialBody } from '../../lib/official-feed/parse.ts';
import {
  answerAt, bodyAt, checkIncidents, correctBody, describePlayback, formatNightIso, indexRecording, parsePlaybackArgs,
  PLAYBACK_USAGE, recordedTimeAt, type PlaybackIncident, type RecordingIndex,
} from '../../lib/official-feed/playback.ts';

const body = (href: string, extra: Record<string, unknown> = {}) => ({ _links: { self: { href } }, ...extra });
const line = (polledAt: string, href: string, extra: Record<string, unknown> = {}): RecordedLine => ({ polledAt, level: 'kommune', file: 'f.json', body: body(href, extra) });
/** Oslo time on the recorded night as an instant ("HH:MM" before noon: 9 September). */
const oslo = (hhmm: string) => new Date(`${Number(hhmm.slice(0, 2)) < 12 ? '2025-09-09' : '2025-09-08'}T${hhmm}:00+02:00`);

describe('indexRecording and bodyAt (a small recording)', () => {
  const lines = [
    line('2025-09-08T19:02:00Z', '/2025/st/03/0301', { n: 1 }),
    line('2025-09-08T19:05:00Z', '/2025/st/03/0301/0101', { n: 2 }),
    line('2025-09-08T19:17:00Z', '/2025/st/03/0301', { n: 3 }),
    line('2025-09-08T19:17:00Z', '/2025/st/03/0301', { n: 4 }),
    line('2025-09-08T19:32:00Z', '/2025/st', { n: 5 }),
  ];
  const index = indexRecording(lines);

  it('indexes by _links.self.href, oldest first, and knows municipalities with a body of their own', () => {
    expect([...index.paths.keys()].sort()).toEqual(['/2025/st', '/2025/st/03/0301', '/2025/st/03/0301/0101']);
    expect(index.paths.get('/2025/st/03/0301')!.map((e) => e.line)).toEqual([1, 3, 4]);
    expect([...index.municipalities]).toEqual([['0301', '/2025/st/03/0301']]);
    expect(index.first.toISOString()).toBe('2025-09-08T19:02:00.000Z');
    expect(index.last.toISOString()).toBe('2025-09-08T19:32:00.000Z');
    expect(index.lines).toBe(5);
  });

  it.each([
    ['before the first poll', '2025-09-08T19:01:59.999Z', null],
    ['exactly at the first poll', '2025-09-08T19:02:00.000Z', 1],
    ['a millisecond before the second', '2025-09-08T19:16:59.999Z', 1],
    ['two bodies polled the same minute: the later line', '2025-09-08T19:17:00.000Z', 4],
    ['long after the last poll', '2025-09-09T12:00:00.000Z', 4],
  ])('bodyAt %s', (_name, at, expected) => {
    expect(bodyAt(index, '/2025/st/03/0301', new Date(at))?.line ?? null).toBe(expected);
  });

  it('bodyAt: a trailing slash is the same path; an unknown path has nothing', () => {
    expect(bodyAt(index, '/2025/st/03/0301/', Date.parse('2025-09-08T19:20:00Z'))?.line).toBe(4);
    expect(bodyAt(index, '/2025/st/03/0302', Date.parse('2025-09-08T19:20:00Z'))).toBeNull();
  });

  it.each([
    ['a body without _links.self.href', [lines[0]!, { ...lines[1]!, body: { _links: {} } }], /^recording line 2: body\._links\.self\.href/],
    ['a poll time without an offset', [{ ...lines[0]!, polledAt: '2025-09-08T19:02:00' }], /^recording line 1: polledAt: not an instant with an offset/],
    ['no lines at all', [], /^recording: no lines/],
  ])('refuses %s, naming the line', (_name, bad, error) => {
    expect(() => indexRecording(bad as RecordedLine[])).toThrow(error);
  });
});

describe('the recorded clock', () => {
  const from = oslo('23:00');
  it.each([
    [1, 0, '2025-09-08T23:00:00+02:00'],
    [1, 90_000, '2025-09-08T23:01:30+02:00'],
    [60, 60_000, '2025-09-09T00:00:00+02:00'],
    [600, 30_000, '2025-09-09T04:00:00+02:00'],
    [0.5, 120_000, '2025-09-08T23:01:00+02:00'],
  ])('at speed %s, %s ms of wall time after the start is %s', (speed, elapsed, expected) => {
    expect(formatNightIso(recordedTimeAt({ from, speed, wallStart: 1_000_000 }, 1_000_000 + elapsed))).toBe(expected);
  });

  it('formats with the offset of the night (summer time, +02:00) and of a winter date (+01:00)', () => {
    expect(formatNightIso(new Date('2025-09-08T19:02:00Z'))).toBe('2025-09-08T21:02:00+02:00');
    expect(formatNightIso(new Date('2025-12-01T12:00:00.900Z'))).toBe('2025-12-01T13:00:00+01:00');
  });
});

describe('the recorded night with incidents', () => {
  let index: RecordingIndex;
  beforeAll(async () => {
    index = indexRecording(await readRecording());
  });
  const ok = (answer: ReturnType<typeof answerAt>) => {
    if (answer.status !== 200) throw new Error(`expected 200, got ${answer.status}: ${answer.error}`);
    return answer;
  };

  it('indexes every body of the night: 3,863 paths, 357 municipalities, 21:02 to 07:38', () => {
    expect(index.lines).toBe(7887);
    expect(index.paths.size).toBe(3863);
    expect(index.municipalities.size).toBe(357);
    expect(formatNightIso(index.first)).toBe('2025-09-08T21:02:00+02:00');
    expect(formatNightIso(index.last)).toBe('2025-09-09T07:38:00+02:00');
  });

  it('without incidents answers the newest body polled at or before T, and 404 before the first or for an unknown path', () => {
    const at2330 = ok(answerAt(index, [], '/2025/st/03/0301', oslo('23:30')));
    expect(at2330.polledAt.toISOString()).toBe('2025-09-08T21:18:00.000Z');
    expect(at2330.incidents).toEqual([]);
    expect(answerAt(index, [], '/2025/st', oslo('21:02'))).toMatchObject({ status: 404, error: expect.stringContaining('nothing recorded yet at 2025-09-08T21:02:00+02:00') });
    expect(ok(answerAt(index, [], '/2025/st', oslo('21:03'))).polledAt.toISOString()).toBe('2025-09-08T19:03:00.000Z');
    expect(answerAt(index, [], '/2025/st/03/0399', oslo('23:30'))).toMatchObject({ status: 404, error: 'no such path in the recording: /2025/st/03/0399' });
  });

  it('a freeze keeps the municipality and its units at the freeze time while others move on', () => {
    const incidents: PlaybackIncident[] = [{ kind: 'freeze', municipality: '4601', at: oslo('22:00') }];
    const late = oslo('01:00');
    for (const path of ['/2025/st/12/4601', '/2025/st/12/4601/0001']) {
      const frozen = ok(answerAt(index, incidents, path, late));
      expect(frozen.key).toBe(String(bodyAt(index, path, oslo('22:00'))!.line));
      expect(frozen.key).not.toBe(String(bodyAt(index, path, late)!.line));
      expect(frozen.incidents).toEqual(['freeze 4601@22:00']);
    }
    // The unit had no votes at 22:00 and 2,936 by 23:07: frozen, it still has none.
    expect(parsed(ok(answerAt(index, incidents, '/2025/st/12/4601/0001', late)).body).votes.total).toBe(0);
    // Others move: Oslo and the national body are what was polled last.
    for (const path of ['/2025/st/03/0301', '/2025/st']) expect(ok(answerAt(index, incidents, path, late)).key).toBe(String(bodyAt(index, path, late)!.line));
    // Before the freeze, Bergen itself is served as recorded.
    const early = ok(answerAt(index, incidents, '/2025/st/12/4601', oslo('21:59')));
    expect(early.incidents).toEqual([]);
    expect(early.key).toBe(String(bodyAt(index, '/2025/st/12/4601', oslo('21:59'))!.line));
  });

  it('a correction lowers exactly one party and the total by 1 % (at least 1) from its time on, as a valid body', () => {
    const incidents: PlaybackIncident[] = [{ kind: 'correction', municipality: '4601', at: oslo('23:00') }];
    const before = ok(answerAt(index, incidents, '/2025/st/12/4601', oslo('22:59')));
    expect(before.incidents).toEqual([]);
    const recorded = parsed(bodyAt(index, '/2025/st/12/4601', oslo('23:05'))!.body);
    const answer = ok(answerAt(index, incidents, '/2025/st/12/4601', oslo('23:05')));
    expect(answer.incidents).toEqual(['correction 4601@23:00']);
    const corrected = parsed(answer.body);
    const largest = [...recorded.parties].sort((a, b) => (b.total ?? 0) - (a.total ?? 0))[0]!;
    const by = Math.max(1, Math.floor(largest.total! / 100));
    expect(by).toBeGreaterThan(1);
    const changed = corrected.parties.filter((p, i) => p.total !== recorded.parties[i]!.total);
    expect(changed).toEqual([{ ...largest, total: largest.total! - by }]);
    expect(corrected.votes.total).toBe(recorded.votes.total! - by);
    expect(corrected.reportGenerated).toBe('2025-09-08T23:00:00');
    expect(recorded.reportGenerated! < '2025-09-08T23:00:00').toBe(true);
    // A later recorded report stays lowered, with its own (later) time: the count never climbs back.
    const later = parsed(ok(answerAt(index, incidents, '/2025/st/12/4601', oslo('02:00'))).body);
    const laterRecorded = parsed(bodyAt(index, '/2025/st/12/4601', oslo('02:00'))!.body);
    expect(later.votes.total).toBeLessThan(laterRecorded.votes.total!);
    expect(later.reportGenerated).toBe(laterRecorded.reportGenerated);
    // Units and other municipalities are untouched.
    expect(ok(answerAt(index, incidents, '/2025/st/12/4601/0001', oslo('02:00'))).incidents).toEqual([]);
    expect(ok(answerAt(index, incidents, '/2025/st/03/0301', oslo('02:00'))).incidents).toEqual([]);
  });

  it('correctBody: at least one vote, never below zero, and nothing to lower without votes', () => {
    const small = { stemmer: { total: 50, fhs: 50 }, tidspunkt: { rapportGenerert: '2025-09-08T21:10:00' }, partier: [
      { id: { partikode: 'A' }, stemmer: { resultat: { antall: { total: 20, fhs: 20 } } } },
      { id: { partikode: 'H' }, stemmer: { resultat: { antall: { total: 30, fhs: 30 } } } },
    ] };
    const result = correctBody(small, oslo('22:00'))!;
    expect(result.correction).toEqual({ party: 'H', from: 30, to: 29, reportGenerated: '2025-09-08T22:00:00' });
    expect(result.body).toMatchObject({ stemmer: { total: 49, fhs: 49 }, partier: [{ stemmer: { resultat: { antall: { total: 20 } } } }, { stemmer: { resultat: { antall: { total: 29, fhs: 29 } } } }] });
    expect(small.stemmer.total).toBe(50);
    expect(correctBody({ stemmer: { total: 0 }, partier: [{ id: { partikode: 'A' }, stemmer: { resultat: { antall: { total: 0 } } } }] }, oslo('22:00'))).toBeNull();
    expect(correctBody({ stemmer: { total: null }, partier: [] }, oslo('22:00'))).toBeNull();
  });

  it('an outage answers 503 with Retry-After 60 from its start up to (not including) its end, for any path', () => {
    const incidents: PlaybackIncident[] = [{ kind: 'outage', from: oslo('23:50'), to: oslo('00:10') }];
    expect(answerAt(index, incidents, '/2025/st', new Date(oslo('23:50').getTime() - 1)).status).toBe(200);
    expect(answerAt(index, incidents, '/2025/st', oslo('23:50'))).toEqual({ status: 503, error: 'service unavailable (outage 23:50-00:10)', retryAfterSeconds: 60 });
    expect(answerAt(index, incidents, '/2025/st/03/0399', new Date(oslo('00:10').getTime() - 1)).status).toBe(503);
    expect(answerAt(index, incidents, '/2025/st', oslo('00:10')).status).toBe(200);
  });

  it('checkIncidents refuses a municipality not in the recording and a correction with nothing to lower, naming the flag', () => {
    const { incidents } = parsePlaybackArgs(['--freeze', '9998@22:00', '--correction', '4601@21:30', '--correction', '4601@23:00', '--outage', '23:00-23:10']);
    expect(checkIncidents(index, incidents)).toEqual([
      '--freeze 9998@22:00: municipality 9998 is not in the recording',
    ]);
    expect(checkIncidents(index, [{ kind: 'correction', municipality: '4601', at: oslo('20:00') }])).toEqual([
      '--correction 4601@20:00: municipality 4601 has no votes recorded by then, so there is no count to lower',
    ]);
  });

  it('describePlayback reports the clock, the recording and which incidents are on', () => {
    const incidents: PlaybackIncident[] = [{ kind: 'freeze', municipality: '0301', at: oslo('22:30') }, { kind: 'outage', from: oslo('23:10'), to: oslo('23:20') }];
    expect(describePlayback(index, { from: oslo('22:00'), speed: 60, wallStart: 0 }, incidents, oslo('23:00'))).toEqual({
      recordedNow: '2025-09-08T23:00:00+02:00', speed: 60, from: '2025-09-08T22:00:00+02:00',
      recording: { first: '2025-09-08T21:02:00+02:00', last: '2025-09-09T07:38:00+02:00', lines: 7887, paths: 3863 },
      incidents: [
        { kind: 'freeze', municipality: '0301', at: '2025-09-08T22:30:00+02:00', active: true },
        { kind: 'outage', from: '2025-09-08T23:10:00+02:00', to: '2025-09-08T23:20:00+02:00', active: false },
      ],
    });
  });
});

function parsed(raw: unknown) {
  const result = parseOfficialBody(raw);
  if (!result.ok) throw new Error(result.error);
  expect(result.body.unknownFields).toEqual([]);
  return result.body;
}

describe('parsePlaybackArgs', () => {
  it('defaults: 60×, from 21:00 on election night, port 4100 on 127.0.0.1, no incidents', () => {
    expect(parsePlaybackArgs([])).toEqual({ speed: 60, from: oslo('21:00'), port: 4100, host: '127.0.0.1', incidents: [] });
  });

  it('reads every flag, repeatable incidents, --flag=value, and times after midnight as 9 September', () => {
    const options = parsePlaybackArgs(['--speed', '600', '--from=01:30', '--port', '0', '--freeze', '0301@22:30', '--freeze', '4601@23:00',
      '--correction', '4601@23:15', '--outage', '23:50-00:10']);
    expect(options).toEqual({
      speed: 600, from: oslo('01:30'), port: 0, host: '127.0.0.1',
      incidents: [
        { kind: 'freeze', municipality: '0301', at: oslo('22:30') },
        { kind: 'freeze', municipality: '4601', at: oslo('23:00') },
        { kind: 'correction', municipality: '4601', at: oslo('23:15') },
        { kind: 'outage', from: oslo('23:50'), to: oslo('00:10') },
      ],
    });
    expect(options.from.toISOString()).toBe('2025-09-08T23:30:00.000Z');
  });

  it.each([
    [['--speed', '0'], /^--speed 0: must be a positive number/],
    [['--speed', 'fast'], /^--speed fast: must be a positive number/],
    [['--speed', '-5'], /^--speed -5: must be a positive number/],
    [['--speed'], /^--speed: needs a value/],
    [['--speed', '--port', '1'], /^--speed: needs a value/],
    [['--speed', '2', '--speed', '3'], /^--speed: given 2 times, at most once/],
    [['--port', '65536'], /^--port 65536: must be a whole number 0–65535/],
    [['--port', '80.5'], /^--port 80\.5: must be a whole number/],
    [['--from', '25:00'], /^--from 25:00: not a time: 25:00/],
    [['--from', 'tonight'], /^--from tonight: not a time/],
    [['--freeze', '301@22:30'], /^--freeze 301@22:30: expected K@HH:MM with K a 4-digit municipality number/],
    [['--freeze', '0301'], /^--freeze 0301: expected K@HH:MM/],
    [['--correction', '0301@24:00'], /^--correction 0301@24:00: not a time/],
    [['--outage', '2310-2320'], /^--outage 2310-2320: expected HH:MM-HH:MM/],
    [['--outage', '23:20-23:10'], /^--outage 23:20-23:10: the end must be after the start/],
    [['--outage', '23:20-23:20'], /^--outage 23:20-23:20: the end must be after the start/],
    [['--outage', '23:20-23:60'], /^--outage 23:20-23:60: not a time: 23:60/],
    [['--host', ''], /^--host: must not be empty/],
    [['--bogus', '1'], /^--bogus: unknown option/],
    [['fast'], /^fast: unknown option/],
  ])('refuses %j naming the flag', (argv, error) => {
    expect(() => parsePlaybackArgs(argv)).toThrow(error);
  });

  it('--help throws the usage text, which lists every flag', () => {
    expect(() => parsePlaybackArgs(['--help'])).toThrow(PLAYBACK_USAGE);
    for (const flag of ['--speed', '--from', '--port', '--host', '--freeze', '--correction', '--outage']) expect(PLAYBACK_USAGE).toContain(flag);
  });
});
