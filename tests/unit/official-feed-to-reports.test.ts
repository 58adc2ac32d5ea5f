// lib/official-feed/to-reports.ts on the recorded 2025 night and the st2025 package: the reports the watchdog
// sends add up, per list and blank, to the municipality body exactly; Oslo's boroughs, Bergen's advance venues
// and 9998/9999, a correction that lowers a count, restart idempotency, status reports and seats.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadShippedElection } from '../../data/election-package.ts';
import { readRecording } from '../../data/official-recording.ts';
import type { ResultReport } from '../../lib/contracts/ingest.ts';
import type { FeedBody } from '../../lib/official-feed/feed-2025.ts';
import { parseOfficialBody } from '../../lib/official-feed/parse.ts';
import {
  computeMunicipalityReports, computeSeatsReport, listUnitLinks, readFeedTime, versionOf, type MunicipalityFrame,
} from '../../lib/official-feed/to-reports.ts';

const POLLS_CLOSE = new Date('2025-09-08T19:00:00Z');

type Recorded = { polledAt: string; body: FeedBody };
let kommune: Map<string, Recorded[]>;
let units: Map<string, Recorded[]>;
let counties: Map<string, Recorded[]>;
let frames: Map<string, MunicipalityFrame>;

function parsed(raw: unknown): FeedBody {
  const r = parseOfficialBody(raw);
  if (!r.ok) throw new Error(r.error);
  return r.body;
}

beforeAll(async () => {
  kommune = new Map();
  units = new Map();
  counties = new Map();
  for (const line of await readRecording()) {
    const body = parsed(line.body);
    const target = line.level === 'kommune' ? kommune : line.level === 'krets' ? units : counties;
    const key = line.level === 'kommune' ? body.nr : body.links.self;
    target.set(key, [...(target.get(key) ?? []), { polledAt: line.polledAt, body }]);
  }
  const { package: pkg } = await loadShippedElection('st2025');
  frames = new Map(pkg.municipalities.map((m) => [m.number, {
    number: m.number,
    units: pkg.countingUnits.filter((u) => u.municipality === m.number).map((u) => ({ number: u.number, kind: u.kind })),
    lists: pkg.lists.filter((l) => l.municipality === m.number).map((l) => l.code),
    held: [],
  }]));
}, 60_000);

/** The newest bodies of a municipality polled at or before `at` (ISO, UTC): what a watchdog would hold then. */
function stateAt(number: string, at = '9999'): { kommune: FeedBody; units: FeedBody[] } {
  const k = kommune.get(number)!.filter((s) => s.polledAt <= at).at(-1)!.body;
  const frame = frames.get(number)!;
  const us = listUnitLinks(k, frame).map((l) => units.get(l.href)?.filter((s) => s.polledAt <= at).at(-1)?.body).filter((b): b is FeedBody => b !== undefined);
  return { kommune: k, units: us };
}

function reportsOf(number: string, at?: string, held: MunicipalityFrame['held'] = []) {
  const state = stateAt(number, at);
  const outcome = computeMunicipalityReports({ ...frames.get(number)!, held }, state.kommune, state.units, POLLS_CLOSE);
  if (!outcome.ok) throw new Error(outcome.error);
  return { ...outcome.reports, state };
}

/** Per code (lists and BLANKE), the sum over reports (the newest stage per district × category, as Valgvakt sums). */
function totals(results: readonly ResultReport[]): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const r of results) {
    for (const [code, v] of Object.entries(r.votes)) sum[code] = (sum[code] ?? 0) + v;
    sum.BLANKE = (sum.BLANKE ?? 0) + r.ballots.blank;
  }
  return Object.fromEntries(Object.entries(sum).filter(([, v]) => v > 0));
}
const bodyTotals = (b: FeedBody) => Object.fromEntries(b.parties.filter((p) => !p.pool && (p.total ?? 0) > 0).map((p) => [p.code, p.total!]));

describe('readFeedTime and versionOf', () => {
  it.each([
    ['2025-09-08T22:15:03', '2025-09-08T22:15:03+02:00', '2025-09-08T20:15:03.000Z'],
    ['2025-09-09T01:02:00', '2025-09-09T01:02:00+02:00', '2025-09-08T23:02:00.000Z'],
    ['2025-01-15T12:00:00', '2025-01-15T12:00:00+01:00', '2025-01-15T11:00:00.000Z'],
    ['2025-09-08T22:15:03.250', '2025-09-08T22:15:03+02:00', '2025-09-08T20:15:03.000Z'],
  ])('reads %s as Oslo time: %s', (local, iso, utc) => {
    expect(readFeedTime(local)).toEqual({ iso, at: new Date(utc) });
  });
  it.each(['2025-09-08 22:15:03', '2025-09-08T22:15:03Z', '2025-09-08T22:15:03+02:00', '', 'i går'])('refuses %j', (text) => {
    expect(readFeedTime(text)).toBeNull();
  });
  it('counts seconds from 90 days before the polls close; later bodies get higher versions', () => {
    const earliest = new Date(POLLS_CLOSE.getTime() - 90 * 86_400_000);
    expect(versionOf(earliest, POLLS_CLOSE)).toBe(1);
    expect(versionOf(new Date(earliest.getTime() + 5000), POLLS_CLOSE)).toBe(5);
    expect(versionOf(new Date('2025-09-08T20:15:03Z'), POLLS_CLOSE)).toBe(90 * 86_400 + 75 * 60 + 3);
    expect(versionOf(new Date('2025-09-08T20:15:04Z'), POLLS_CLOSE)).toBeGreaterThan(versionOf(new Date('2025-09-08T20:15:03Z'), POLLS_CLOSE));
  });
});

describe('computeMunicipalityReports on the recorded night', () => {
  it('Oslo (boroughs): 9999 carries the advance votes, each borough its votes minus advance, totals equal the body', () => {
    const { results, state, newest } = reportsOf('0301');
    const advance = results.find((r) => r.district === '9999')!;
    expect(advance.category).toBe('advance');
    for (const p of state.kommune.parties.filter((x) => !x.pool)) expect(p.code === 'BLANKE' ? advance.ballots.blank : advance.votes[p.code], p.code).toBe(p.advance);
    const gamleOslo = state.units.find((u) => u.nr === '1')!;
    const report = results.find((r) => r.district === '0001')!;
    expect(report).toMatchObject({ category: 'election_day', municipality: '0301' });
    for (const p of gamleOslo.parties.filter((x) => x.code !== 'BLANKE' && !x.pool)) expect(report.votes[p.code], p.code).toBe(p.total! - p.advance!);
    expect(report.ballots.counted).toBe(Object.values(report.votes).reduce((a, b) => a + b, 0) + report.ballots.blank);
    expect(report.ballots.rejected).toBe(0);
    expect(totals(results)).toEqual(bodyTotals(state.kommune));
    expect(results.every((r) => r.countedAt === readFeedTime(newest)!.iso && r.version === versionOf(readFeedTime(newest)!.at, POLLS_CLOSE))).toBe(true);
    // The feed's pools (Andre, Andre2) repeat itemised lists: never sent, so the ballots add up to stemmer.total.
    expect(results.some((r) => 'Andre' in r.votes || 'Andre2' in r.votes)).toBe(false);
    expect(results.reduce((sum, r) => sum + r.ballots.counted, 0)).toBe(state.kommune.votes.total);
    // Bydel 00 holds only advance votes, which 9999 carries: no count of its own, so it is reported empty once
    // Oslo's polling places are all counted — nothing left to wait for.
    expect(state.units.find((u) => u.nr === '0')).toMatchObject({ votes: { total: state.kommune.votes.advance } });
    expect(results.find((r) => r.district === '0000')).toMatchObject({ category: 'election_day', ballots: { counted: 0 } });
  });

  it('Bergen (advance venues, 9998 and 9999): only polling units are fetched, and the totals equal the body', () => {
    const frame = frames.get('4601')!;
    const { kommune: k } = stateAt('4601');
    const links = listUnitLinks(k, frame);
    expect(links.some((l) => ['9998', '4001'].includes(l.number))).toBe(false);
    expect(links).toHaveLength(frame.units.filter((u) => u.kind === 'election_day').length);
    const { results, state } = reportsOf('4601');
    expect(totals(results)).toEqual(bodyTotals(state.kommune));
    expect(results.filter((r) => r.category === 'advance').map((r) => r.district)).toEqual(['9999']);
  });

  it('every one of the 357 municipalities adds up to its last body, and at 22:00 (unit bodies lagging) too', () => {
    let checked = 0;
    for (const number of frames.keys()) {
      for (const at of ['2025-09-08T20:00:00Z', '9999']) {
        if (!kommune.get(number)!.some((s) => s.polledAt <= at)) continue;
        const { results, state } = reportsOf(number, at);
        expect(totals(results), `${number} at ${at}`).toEqual(bodyTotals(state.kommune));
        expect(results.every((r) => Object.values(r.votes).every((v) => v >= 0) && r.ballots.blank >= 0), number).toBe(true);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(357);
  });

  it('books a surplus of the municipality body on the lowest-numbered polling unit, and a shortfall from units in order', () => {
    const { kommune: k, units: us } = stateAt('4601');
    const frame = frames.get('4601')!;
    const first = frame.units.filter((u) => u.kind === 'election_day').map((u) => u.number).sort()[0]!;
    // Drop one unit body: its votes are the difference, booked on the first polling unit.
    const dropped = us.find((u) => u.nr !== first && (u.parties.find((p) => p.code === 'H')?.total ?? 0) > 100)!;
    const outcome = computeMunicipalityReports(frame, k, us.filter((u) => u !== dropped), POLLS_CLOSE);
    if (!outcome.ok) throw new Error(outcome.error);
    const full = reportsOf('4601').results;
    const firstH = (rs: ResultReport[]) => rs.find((r) => r.district === first)?.votes.H ?? 0;
    const h = dropped.parties.find((p) => p.code === 'H')!;
    expect(firstH(outcome.reports.results)).toBe(firstH(full) + h.total! - h.advance!);
    expect(h.total! - h.advance!).toBeGreaterThan(0);
    expect(totals(outcome.reports.results)).toEqual(bodyTotals(k));
    // A unit body ahead of the municipality body: the shortfall is taken from units in number order.
    const lowered: FeedBody = { ...k, parties: k.parties.map((p) => (p.code === 'H' ? { ...p, total: p.total! - 500 } : p)) };
    const short = computeMunicipalityReports(frame, lowered, us, POLLS_CLOSE);
    if (!short.ok) throw new Error(short.error);
    expect(totals(short.reports.results).H).toBe(bodyTotals(k).H! - 500);
    expect(short.reports.results.every((r) => r.votes.H! >= 0)).toBe(true);
  });

  it('a correction that lowers a count: a newer body with fewer votes gives a higher version and the lower totals', () => {
    const before = reportsOf('4601');
    const k = before.state.kommune;
    const time = readFeedTime(k.reportGenerated!)!.at;
    const later = new Date(time.getTime() + 60_000);
    const local = new Date(later.getTime() + 2 * 3600_000).toISOString().slice(0, 19);
    const corrected: FeedBody = {
      ...k, reportGenerated: local, votes: { ...k.votes, total: k.votes.total! - 40 },
      parties: k.parties.map((p) => (p.code === 'A' ? { ...p, total: p.total! - 40 } : p)),
    };
    const outcome = computeMunicipalityReports(frames.get('4601')!, corrected, before.state.units, POLLS_CLOSE);
    if (!outcome.ok) throw new Error(outcome.error);
    expect(totals(outcome.reports.results).A).toBe(totals(before.results).A! - 40);
    expect(outcome.reports.results[0]!.version).toBe(before.results[0]!.version + 60);
    expect(outcome.reports.results[0]!.countedAt).toBe(`${local}+02:00`);
  });

  it('restart idempotency: the same bodies give identical reports, in the same order', () => {
    for (const number of ['0301', '4601', '1151']) expect(reportsOf(number)).toEqual(reportsOf(number));
  });

  it('keeps a unit Valgvakt holds reported (to correct it) and never steps back from final to preliminary', () => {
    const early = reportsOf('4601', '2025-09-08T19:10:00Z');
    const unreported = frames.get('4601')!.units.find((u) => u.kind === 'election_day' && !early.results.some((r) => r.district === u.number))!;
    const withHeld = reportsOf('4601', '2025-09-08T19:10:00Z', [{ district: unreported.number, category: 'election_day', stage: 'final', version: 1 }]);
    expect(withHeld.results.find((r) => r.district === unreported.number)).toMatchObject({ stage: 'final', ballots: { counted: 0 } });
  });

  it('status reports: units the feed marks counted (kretsStatus) and the advance unit once its categories are done', () => {
    const { statuses, state } = reportsOf('4601');
    const prelim = statuses.find((s) => s.category === 'election_day' && s.stage === 'preliminary')!;
    const expected = state.units.filter((u) => /ferdig$/i.test(u.unitStatus ?? '')).map((u) => u.nr.padStart(4, '0'));
    // And "Uoppgitt krets", which has no count of its own, once Bergen's polling places are all counted.
    expect(state.units.find((u) => u.nr === '0000')).toMatchObject({ unitStatus: null, votes: { total: 0 } });
    expect(prelim.districts).toEqual([...expected, '0000'].sort());
    expect(statuses.find((s) => s.category === 'advance' && s.stage === 'preliminary')?.districts).toEqual(['9999']);
    const final = statuses.find((s) => s.category === 'election_day' && s.stage === 'final');
    expect(final?.districts ?? []).toEqual(state.units.filter((u) => u.unitStatus === 'andreFerdig').map((u) => u.nr.padStart(4, '0')).sort());
  });

  it('units that never count on their own (counted at a higher level, "Uoppgitt krets") are done with their municipality\'s polling places', () => {
    // Hjelmeland: 0004, 0005 and 0007 are counted with another district; 0000 holds nothing. Utsira: 0000 likewise.
    const hjelmeland = reportsOf('1133');
    expect(hjelmeland.state.units.filter((u) => u.unitStatus === 'tellesPaaHoyereNivaa').map((u) => u.nr).sort()).toEqual(['0004', '0005', '0007']);
    expect(hjelmeland.statuses.find((s) => s.category === 'election_day' && s.stage === 'preliminary')?.districts).toEqual(expect.arrayContaining(['0000', '0004', '0005', '0007']));
    expect(hjelmeland.results.filter((r) => ['0004', '0005', '0007'].includes(r.district)).map((r) => r.ballots.counted)).toEqual([0, 0, 0]);
    expect(reportsOf('1151').statuses.find((s) => s.category === 'election_day' && s.stage === 'preliminary')?.districts).toEqual(['0000', '0001']);

    // At the end of the night, every municipality whose polling places are all counted (preliminary) has every
    // polling unit counted: none is left for Valgvakt to wait for.
    let checked = 0;
    for (const number of frames.keys()) {
      const { statuses, state } = reportsOf(number);
      const forste = state.kommune.counting.forste?.valgtingslokale;
      if (!forste || forste.done < forste.total) continue;
      const polling = listUnitLinks(state.kommune, frames.get(number)!).map((l) => l.number).sort();
      expect([number, statuses.find((s) => s.category === 'election_day' && s.stage === 'preliminary')?.districts]).toEqual([number, polling]);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(300);

    // A stale body (the municipality links a newer one) is not taken for a unit that never counts.
    const stale = hjelmeland.state;
    const newer = { ...stale.kommune, links: { ...stale.kommune.links, related: stale.kommune.links.related.map((l) => (l.nr === '0004' ? { ...l, reportGenerated: '2025-09-09T01:00:00' } : l)) } };
    const outcome = computeMunicipalityReports(frames.get('1133')!, newer, stale.units, POLLS_CLOSE);
    if (!outcome.ok) throw new Error(outcome.error);
    expect(outcome.reports.statuses.find((s) => s.category === 'election_day' && s.stage === 'preliminary')?.districts).not.toContain('0004');
  });

  it('refuses clearly what it cannot map: a list the package lacks, votes not given, a foreign body', () => {
    const { kommune: k, units: us } = stateAt('1151');
    const frame = frames.get('1151')!;
    const stranger: FeedBody = { ...k, parties: [...k.parties, { code: 'NYTT', name: 'Nytt parti', pool: false, total: 3, advance: 0, seats: null }] };
    expect(computeMunicipalityReports(frame, stranger, us, POLLS_CLOSE)).toEqual({ ok: false, error: expect.stringContaining('NYTT not a list of the municipality') });
    const missing: FeedBody = { ...k, parties: k.parties.map((p, i) => (i === 0 ? { ...p, total: null } : p)) };
    expect(computeMunicipalityReports(frame, missing, us, POLLS_CLOSE)).toEqual({ ok: false, error: expect.stringContaining('not given (null)') });
    expect(computeMunicipalityReports(frames.get('0301')!, k, us, POLLS_CLOSE)).toEqual({ ok: false, error: expect.stringContaining('not municipality 0301') });
    expect(computeMunicipalityReports(frame, { ...k, reportGenerated: null }, us, POLLS_CLOSE)).toEqual({ ok: false, error: expect.stringContaining('rapportGenerert') });
  });

  it('a 2021-schema municipality body maps the same way (advance from fhs, units from total − fhs)', () => {
    const body = parsed(JSON.parse(readFileSync(new URL('../../../shared/data/HNygard-valgresultat.no-copy/raw/2021__kommune__kommune-12-4601__2021-09-14__0015.json', import.meta.url), 'utf8')));
    expect(body.schema).toBe('2021');
    const lists = body.parties.filter((p) => !p.pool).map((p) => p.code).filter((c) => c !== 'BLANKE');
    const frame: MunicipalityFrame = { number: body.nr, lists, held: [], units: [{ number: '0000', kind: 'advance' }, { number: '0001', kind: 'election_day' }] };
    const outcome = computeMunicipalityReports(frame, body, [], new Date('2021-09-13T19:00:00Z'));
    if (!outcome.ok) throw new Error(outcome.error);
    expect(totals(outcome.reports.results)).toEqual(bodyTotals(body));
    expect(outcome.reports.results[0]!.countedAt).toMatch(/\+02:00$/);
  });
});

describe('computeSeatsReport', () => {
  it('reads a county body\'s seats (Oslo) and the national one; a municipality has none', () => {
    const oslo = counties.get('/2025/st/03')!.at(-1)!.body;
    const outcome = computeSeatsReport(oslo);
    if (!outcome.ok || !outcome.report) throw new Error('no seats');
    expect(outcome.report).toMatchObject({ area: '03', source: 'valgresultat.no', reportedAt: `${oslo.reportGenerated}+02:00` });
    expect(outcome.report.seats.reduce((s, x) => s + x.seats, 0)).toBe(oslo.seats);
    const national = computeSeatsReport(counties.get('/2025/st')!.at(-1)!.body);
    if (!national.ok || !national.report) throw new Error('no national seats');
    expect(national.report.area).toBe('national');
    expect(national.report.seats.reduce((s, x) => s + x.seats, 0)).toBe(169);
    expect(computeSeatsReport(kommune.get('0301')!.at(-1)!.body)).toEqual({ ok: true, report: null });
  });
});
