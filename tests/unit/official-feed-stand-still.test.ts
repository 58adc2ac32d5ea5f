// Stand-stills of published counts (lib/official-feed/stand-still.ts): synthetic snapshot series for each
// rule, then the recorded 2025 night (SOURCES.md §6) read once, with figures read by hand from its lines.
import { beforeAll, describe, expect, it } from 'vitest';
import { readRecording } from '../../data/official-recording.ts';
import type { FeedBody, FeedCount, RecordedLine } from '../../lib/official-feed/feed-2025.ts';
import { parseRecording, type Snapshot } from '../../lib/official-feed/package-from-recording.ts';
import {
  computeMunicipalityStandStills, computeStandStillFindings, countsKey, isComplete, localReportTimeToMs, type StandStillFindings, type StandStillOptions,
} from '../../lib/official-feed/stand-still.ts';

const MINUTE = 60_000;
const OPTIONS: StandStillOptions = {
  pollIntervalMs: 15 * MINUTE, pollsCloseAt: new Date('2025-09-08T19:00:00Z'), recordingEnd: '2025-09-09T05:38:00Z', timeZone: 'Europe/Oslo', stallAfterMs: 30 * MINUTE,
};

type Counts = { votes: number | null; stations: [number, number]; advance?: [number, number] | null; report?: string | null; andre?: [number, number] };
const count = ([done, total]: [number, number]): FeedCount => ({ status: done >= total ? 'ferdig' : done > 0 ? 'paagaar' : null, done, total });
function body(nr: string, c: Counts): FeedBody {
  const forste: NonNullable<FeedBody['counting']['forste']> = { valgtingslokale: count(c.stations) };
  if (c.advance !== null) forste.forhaandsstemmelokale = count(c.advance ?? [1, 1]);
  return {
    level: 'kommune', ids: { year: '2025', county: '99', municipality: nr, unit: null }, nr, name: `Kommune ${nr}`,
    reportGenerated: c.report === undefined ? null : c.report, electorate: 1000, votes: { total: c.votes, advance: null }, turnoutPercent: null, seats: 0,
    counting: { forste, ...(c.andre ? { andre: { valgtingslokale: count(c.andre) } } : {}) },
    unitStatus: null, parties: [], links: { self: `/2025/st/99/${nr}`, up: null, related: [] }, unknownFields: [],
  };
}
/** A snapshot polled at `hhmm` UTC on 8 September 2025 (or the 9th for hours before 12). */
const at = (nr: string, hhmm: string, c: Counts): Snapshot => ({ polledAt: `2025-09-0${Number(hhmm.slice(0, 2)) < 12 ? 9 : 8}T${hhmm}:00Z`, body: body(nr, c) });

describe('stand-stills of one municipality (synthetic)', () => {
  it('measures a stand-still poll to poll with one interval either side, and on report time', () => {
    const m = computeMunicipalityStandStills('0001', [
      at('0001', '19:17', { votes: 100, stations: [1, 3], report: '2025-09-08T21:10:00' }),
      at('0001', '20:02', { votes: 150, stations: [2, 3], report: '2025-09-08T21:55:30' }),
      at('0001', '20:17', { votes: 300, stations: [3, 3], report: '2025-09-08T22:16:00' }),
    ], OPTIONS);
    expect(m.standStills).toHaveLength(2);
    expect(m.standStills[0]).toMatchObject({
      fromPoll: '2025-09-08T19:17:00Z', untilPoll: '2025-09-08T20:02:00Z', minutes: 45, minMinutes: 30, maxMinutes: 60,
      fromReport: '2025-09-08T21:10:00', untilReport: '2025-09-08T21:55:30', reportMinutes: 45.5,
      counts: { votes: 100, pollingStations: { done: 1, total: 3 }, advanceVenues: { done: 1, total: 1 } }, endedBy: 'votes', endedComplete: false, beforeFirstCount: false,
    });
    expect(m.standStills[1]).toMatchObject({ minutes: 15, minMinutes: 0, maxMinutes: 30, endedComplete: true, reportMinutes: 20.5 });
    expect([m.completeAt, m.completeReport]).toEqual(['2025-09-08T20:17:00Z', '2025-09-08T22:16:00']);
    expect(m.longest).toBe(m.standStills[0]);
  });

  it('takes no later change into account once complete', () => {
    const m = computeMunicipalityStandStills('0001', [
      at('0001', '19:02', { votes: 100, stations: [1, 1] }),
      at('0001', '20:02', { votes: 120, stations: [1, 1] }),
    ], OPTIONS);
    expect(m.completeAt).toBe('2025-09-08T19:02:00Z');
    expect(m.standStills).toEqual([]);
    expect(m.longest).toBeNull();
  });

  it('does not end a stand-still on a body that changed elsewhere, nor on the second count moving', () => {
    const m = computeMunicipalityStandStills('0001', [
      at('0001', '19:32', { votes: 100, stations: [1, 2], report: '2025-09-08T21:30:00' }),
      at('0001', '19:47', { votes: 100, stations: [1, 2], report: '2025-09-08T21:45:00' }),
      at('0001', '20:02', { votes: 100, stations: [1, 2], report: '2025-09-08T22:00:00', andre: [1, 2] }),
      at('0001', '21:02', { votes: 180, stations: [2, 2], report: '2025-09-08T23:00:00' }),
    ], OPTIONS);
    expect(m.standStills).toHaveLength(1);
    // From the report that first showed the counts, not the later ones with the same counts.
    expect(m.standStills[0]).toMatchObject({ minutes: 90, fromReport: '2025-09-08T21:30:00', reportMinutes: 90, endedComplete: true });
  });

  it('says when a stand-still ended with a status change alone, the total unchanged', () => {
    const m = computeMunicipalityStandStills('0001', [
      at('0001', '19:02', { votes: 408, stations: [1, 4] }),
      at('0001', '21:19', { votes: 408, stations: [4, 4] }),
    ], OPTIONS);
    expect(m.standStills[0]).toMatchObject({ endedBy: 'status', endedComplete: true, minutes: 137 });
  });

  it('spans a gap in the snapshots (no body kept: nothing changed) as one stand-still', () => {
    const m = computeMunicipalityStandStills('0001', [
      at('0001', '19:17', { votes: 100, stations: [1, 3] }),
      at('0001', '20:48', { votes: 200, stations: [2, 3] }),
    ], OPTIONS);
    expect(m.standStills[0]).toMatchObject({ minutes: 91, minMinutes: 76, maxMinutes: 106 });
  });

  it('starts no stand-still before the polls closed, on either clock', () => {
    const m = computeMunicipalityStandStills('0001', [
      at('0001', '19:02', { votes: 100, stations: [1, 3], report: '2025-09-08T20:31:57' }),
      at('0001', '19:32', { votes: 200, stations: [2, 3], report: '2025-09-08T21:30:00' }),
    ], OPTIONS);
    // Poll clock: published after 19:00 UTC at the earliest, not 18:47; report time counted from 21:00 Oslo.
    expect(m.standStills[0]).toMatchObject({ minutes: 30, minMinutes: 15, maxMinutes: 32, reportMinutes: 30 });
  });

  it('leaves a stand-still open when the municipality never completes, lasting at least to the poll before the end', () => {
    const m = computeMunicipalityStandStills('0001', [
      at('0001', '19:02', { votes: 793, stations: [1, 1], advance: [1, 3], report: '2025-09-08T20:31:57' }),
      at('0001', '19:17', { votes: 793, stations: [1, 1], advance: [1, 3], report: '2025-09-08T21:15:00' }),
    ], OPTIONS);
    expect(m.completeAt).toBeNull();
    expect(m.standStills).toEqual([expect.objectContaining({ fromPoll: '2025-09-08T19:02:00Z', untilPoll: null, minutes: 636, minMinutes: 621, maxMinutes: null, reportMinutes: null, endedBy: null })]);
    // An unended stand-still is never a municipality's longest: that is for the ones whose counts moved again.
    expect(m.longest).toBeNull();
  });

  it('marks a wait for the first count, and gives no report time without rapportGenerert', () => {
    const m = computeMunicipalityStandStills('0001', [
      at('0001', '19:02', { votes: 0, stations: [0, 8], advance: [0, 2] }),
      at('0001', '19:17', { votes: 12335, stations: [0, 8], advance: [2, 2], report: '2025-09-08T21:07:06' }),
      at('0001', '19:47', { votes: 13786, stations: [2, 8], advance: [2, 2], report: '2025-09-08T21:44:11' }),
      at('0001', '20:02', { votes: 20000, stations: [8, 8], advance: [2, 2] }),
    ], OPTIONS);
    expect(m.standStills.map((s) => [s.beforeFirstCount, s.minutes, s.reportMinutes])).toEqual([[true, 15, null], [false, 30, 37.1], [false, 15, null]]);
    expect(m.longest?.minutes).toBe(30);
  });
});

describe('isComplete and countsKey', () => {
  it.each([
    ['all stations and venues done', { votes: 1, stations: [3, 3], advance: [2, 2] }, true],
    ['a station outstanding', { votes: 1, stations: [2, 3], advance: [2, 2] }, false],
    ['a venue outstanding', { votes: 1, stations: [3, 3], advance: [1, 2] }, false],
    ['no advance category in the body', { votes: 1, stations: [3, 3], advance: null }, true],
    ['no stations at all (0 of 0)', { votes: 1, stations: [0, 0], advance: [1, 1] }, true],
  ] as const)('%s', (_, c, complete) => {
    expect(isComplete(body('0001', { ...c, stations: [...c.stations], advance: c.advance ? [...c.advance] : null }))).toBe(complete);
  });

  it('changes with the total and the first count, not with the report time or the second count', () => {
    const base = countsKey(body('0001', { votes: 5, stations: [1, 2], report: 'a' }));
    expect(countsKey(body('0001', { votes: 5, stations: [1, 2], report: 'b', andre: [2, 2] }))).toBe(base);
    expect(countsKey(body('0001', { votes: 6, stations: [1, 2] }))).not.toBe(base);
    expect(countsKey(body('0001', { votes: 5, stations: [2, 2] }))).not.toBe(base);
    expect(countsKey(body('0001', { votes: 5, stations: [1, 3] }))).not.toBe(base);
  });
});

describe('localReportTimeToMs', () => {
  it.each([
    ['summer time, +02:00', '2025-09-08T23:18:40', '2025-09-08T21:18:40.000Z'],
    ['after midnight', '2025-09-09T00:04:00', '2025-09-08T22:04:00.000Z'],
    ['winter time, +01:00', '2025-01-15T12:00:00', '2025-01-15T11:00:00.000Z'],
    ['a fraction of a second', '2025-09-08T21:00:00.250', '2025-09-08T19:00:00.250Z'],
    ['no seconds', '2025-09-08T21:00', '2025-09-08T19:00:00.000Z'],
  ])('%s', (_, local, iso) => {
    expect(new Date(localReportTimeToMs(local, 'Europe/Oslo')!).toISOString()).toBe(iso);
  });

  it('refuses a time with an offset or not a time at all', () => {
    expect(localReportTimeToMs('2025-09-08T21:00:00+02:00', 'Europe/Oslo')).toBeNull();
    expect(localReportTimeToMs('i kveld', 'Europe/Oslo')).toBeNull();
  });
});

describe('findings over several municipalities (synthetic)', () => {
  // Three long stand-stills ending with reports in the minute 23:09, one short one in the same minute, one elsewhere.
  const series = new Map<string, Snapshot[]>([
    ['0001', [at('0001', '19:02', { votes: 10, stations: [1, 4] }), at('0001', '21:19', { votes: 10, stations: [4, 4], report: '2025-09-08T23:09:39' })]],
    ['0002', [at('0002', '19:32', { votes: 20, stations: [1, 2] }), at('0002', '21:18', { votes: 20, stations: [2, 2], report: '2025-09-08T23:09:31' })]],
    ['0003', [at('0003', '20:48', { votes: 30, stations: [1, 2] }), at('0003', '21:18', { votes: 35, stations: [2, 2], report: '2025-09-08T23:09:08' })]],
    ['0004', [at('0004', '21:03', { votes: 40, stations: [1, 2] }), at('0004', '21:18', { votes: 45, stations: [2, 2], report: '2025-09-08T23:09:50' })]],
    ['0005', [at('0005', '19:02', { votes: 50, stations: [1, 2] }), at('0005', '20:02', { votes: 55, stations: [2, 2], report: '2025-09-08T22:01:00' })]],
    ['0006', [at('0006', '19:02', { votes: 60, stations: [1, 1], advance: [0, 1] })]],
  ]);
  const find = (togetherMinimum: number) => computeStandStillFindings(series, { ...OPTIONS, togetherMinimum });

  it('ranks each municipality\'s longest ended stand-still and lists the never complete apart', () => {
    const f = find(3);
    expect(f.ranked.map((s) => [s.municipality, s.minutes])).toEqual([['0001', 137], ['0002', 106], ['0005', 60], ['0003', 30], ['0004', 15]]);
    expect(f.neverComplete.map((n) => [n.municipality.municipality, n.open?.minutes])).toEqual([['0006', 636]]);
    expect(f.waitingForFirstCount).toEqual([]);
  });

  it('groups long stand-stills ending in one report minute, with every change of that minute as the baseline', () => {
    const [group, ...rest] = find(3).endedTogether;
    expect(rest).toEqual([]);
    expect(group).toMatchObject({ reportMinute: '2025-09-08T23:09', polls: ['2025-09-08T21:18:00Z', '2025-09-08T21:19:00Z'], changesInMinute: 4, statusOnly: 2 });
    expect(group!.standStills.map((s) => s.municipality)).toEqual(['0001', '0002', '0003']);
    expect(find(4).endedTogether).toEqual([]);
  });

  it('counts stallAfter flags surely, nominally and possibly, at the boundary and with the unended one', () => {
    // Nominal 137, 106, 60, 30 (exactly stallAfter) and 0006's open 636 reach 30 min; lower bounds 122, 91, 45, 15
    // and 621, so 0003 only nominally; 0004 (15, up to 30) possibly.
    expect(find(3).stallFlags).toEqual({ stallAfterMinutes: 30, certain: 4, nominal: 5, possible: 6, municipalities: 5 });
    expect(find(3).stallFlags).toEqual(computeStandStillFindings(series, { ...OPTIONS, stallAfterMs: 30 * MINUTE }).stallFlags);
    expect(computeStandStillFindings(series, { ...OPTIONS, stallAfterMs: 30 * MINUTE + 1 }).stallFlags).toMatchObject({ nominal: 4, possible: 5 });
  });
});

describe('the recorded 2025 night', () => {
  let lines: RecordedLine[];
  let findings: StandStillFindings;
  beforeAll(async () => {
    lines = await readRecording();
    findings = computeStandStillFindings(parseRecording(lines).kommune, { ...OPTIONS, recordingEnd: lines.at(-1)!.polledAt });
  });
  const longestOf = (nr: string) => findings.municipalities.find((m) => m.municipality === nr)!.longest;

  it('Oslo: 99 of 100 stations and 410,400 votes from the poll at 23:18 to the one at 00:04 (Oslo time)', () => {
    // By hand from the lines of kommune-03-0301: 21:18Z 410400 votes 99/100 (report 23:18:40), the same counts at
    // 21:34Z and 21:49Z (reports 23:28:38, 23:48:37), then 22:04Z 411877 votes 100/100 (report 23:50:38).
    expect(longestOf('0301')).toMatchObject({
      fromPoll: '2025-09-08T21:18:00Z', untilPoll: '2025-09-08T22:04:00Z', minutes: 46, minMinutes: 31, maxMinutes: 61,
      fromReport: '2025-09-08T23:18:40', untilReport: '2025-09-08T23:50:38', reportMinutes: 32,
      counts: { votes: 410400, pollingStations: { done: 99, total: 100 }, advanceVenues: { done: 29, total: 29 } }, endedBy: 'votes', endedComplete: true,
    });
  });

  it('Rauma stood longest: 3 of 4 stations from the first poll to 00:04, the second count moving in between', () => {
    // By hand: 19:02Z 3178 votes 3/4 (report 21:01:55); 21:18Z the same first count, andre 2/4; 22:04Z 3945 votes 4/4 (report 23:54:54).
    expect(findings.ranked[0]).toMatchObject({ municipality: '1539', minutes: 182, fromReport: '2025-09-08T21:01:55', untilReport: '2025-09-08T23:54:54', endedBy: 'votes', endedComplete: true });
  });

  it('Loppa: 408 votes at 1 of 4 stations until a report stamped 23:09:39 marked all four done, with no new vote', () => {
    expect(longestOf('5614')).toMatchObject({ minutes: 137, fromReport: '2025-09-08T20:55:55', untilReport: '2025-09-08T23:09:39', reportMinutes: 129.7, endedBy: 'status', endedComplete: true });
  });

  it('the minute 23:09 ended the most long stand-stills, nearly all of them by status alone', () => {
    // 32 municipality reports are stamped 23:09; 4 of them (Fitjar, Øygarden, Vestnes, Kvænangen) were complete
    // already, leaving 28 changes, all but Alta's (16 min) of at least 30 minutes.
    const [first] = findings.endedTogether;
    expect(first).toMatchObject({ reportMinute: '2025-09-08T23:09', changesInMinute: 28, statusOnly: 25 });
    expect(first!.standStills).toHaveLength(27);
    expect(first!.polls).toEqual(['2025-09-08T21:18:00Z', '2025-09-08T21:19:00Z']);
  });

  it('19 municipalities never complete, their polling stations done and advance venues not (Dønna: 1 of 3 from the first poll)', () => {
    expect(findings.neverComplete).toHaveLength(19);
    for (const { open } of findings.neverComplete) expect(open!.counts.pollingStations!.done).toBe(open!.counts.pollingStations!.total);
    const donna = findings.neverComplete.find((n) => n.municipality.municipality === '1827')!;
    expect(donna.open).toMatchObject({ fromPoll: '2025-09-08T19:02:00Z', untilPoll: null, counts: { votes: 793, pollingStations: { done: 1, total: 1 }, advanceVenues: { done: 1, total: 3 } } });
  });

  it('Ullensaker and Nesseby had no votes at the first poll', () => {
    expect(findings.waitingForFirstCount.map((s) => [s.municipality, s.untilPoll, s.untilReport])).toEqual([
      ['5636', '2025-09-08T19:32:00Z', '2025-09-08T21:19:04'],
      ['3209', '2025-09-08T19:17:00Z', '2025-09-08T21:07:06'],
    ]);
  });
});
