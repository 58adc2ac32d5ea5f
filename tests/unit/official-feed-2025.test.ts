// The 2025-schema parser on real responses of valgresultat.no (../shared/data/HNygard-valgresultat.no-copy:
// single responses in raw/ and the whole recorded night), and the package rows built from that recording.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseFeedBody, ZRecordedLine, type FeedBody, type RecordedLine } from '../../lib/official-feed/feed-2025.ts';
import { ADVANCE_UNIT_NUMBER, arrivalRow, packageRowsFromRecording, type Snapshot } from '../../lib/official-feed/package-from-recording.ts';

const SOURCE = new URL('../../../shared/data/HNygard-valgresultat.no-copy/', import.meta.url);
const raw = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`raw/${name}`, SOURCE), 'utf8'));
const parsed = (body: unknown): FeedBody => {
  const result = parseFeedBody(body);
  if (!result.ok) throw new Error(result.error);
  return result.body;
};

describe('parseFeedBody (2025 schema)', () => {
  it('reads a municipality: ids, electorate, votes, counting status, parties and links', () => {
    const b = parsed(raw('2025__kommune__kommune-12-4601__2025-09-08__2103.json'));
    expect(b.level).toBe('kommune');
    expect(b.ids).toEqual({ year: '2025', county: '12', municipality: '4601', unit: null });
    expect([b.nr, b.name, b.electorate, b.reportGenerated]).toEqual(['4601', 'Bergen', 215739, '2025-09-08T22:59:53']);
    expect(b.votes).toEqual({ total: 161887, advance: 120823 });
    expect(b.turnoutPercent).toBe(65.4);
    expect(b.counting.forste?.valgtingslokale).toEqual({ status: 'paagaar', done: 31, total: 37 });
    expect(b.counting.forste?.forhaandsstemmelokale).toEqual({ status: 'ferdig', done: 18, total: 18 });
    expect(b.parties.slice(0, 2)).toEqual([
      { code: 'A', name: 'Arbeiderpartiet', pool: false, total: 45993, advance: 34023, seats: null },
      { code: 'SV', name: 'SV - Sosialistisk Venstreparti', pool: false, total: 11753, advance: 8980, seats: null },
    ]);
    expect(b.links.up).toMatchObject({ nr: '12', name: 'Hordaland' });
    expect(b.links.related).toHaveLength(58);
    expect(b.links.related.filter((l) => l.advanceVenue)).toHaveLength(18);
    expect(b.unknownFields).toEqual([]);
  });

  it('reads a counting district with its own status, an Oslo borough and the national level', () => {
    const krets = parsed(raw('2025__krets__krets-12-4601-0001__2025-09-08__2107.json'));
    expect([krets.level, krets.ids.unit, krets.electorate, krets.unitStatus, krets.votes.total]).toEqual(['stemmekrets', '0001', 6281, 'forsteFerdig', 2936]);
    const borough = parsed(raw('2025__krets__krets-03-0301-1__2025-09-08__2106.json'));
    expect([borough.level, borough.ids.municipality, borough.ids.unit, borough.name, borough.electorate]).toEqual(['bydel', '0301', '1', 'Gamle Oslo', 47399]);
    expect(borough.links.related).toHaveLength(6);
    const national = parsed(raw('2025__nasjonalt__norge__2025-09-08__2010.json'));
    expect([national.level, national.ids.county, national.electorate, national.links.up, national.unitStatus]).toEqual(['land', null, 4055497, null, null]);
  });

  it('reports fields it does not know instead of reading them', () => {
    const body = raw('2025__kommune__kommune-03-0301__2025-09-08__2103.json');
    const status = body.opptellingsStatus as Record<string, Record<string, unknown>>;
    const b = parsed({ ...body, nyttFelt: 1, opptellingsStatus: { ...status, forste: { ...status.forste, nyKategori: { status: null, ferdig: 0, totalt: 1 } }, ekstra: {} } });
    expect(b.unknownFields.sort()).toEqual(['nyttFelt', 'opptellingsStatus.ekstra', 'opptellingsStatus.forste.nyKategori']);
    expect(b.counting.forste?.valgtingslokale).toBeDefined();
  });

  it('refuses an unknown level and a body missing what it reads', () => {
    const body = raw('2025__kommune__kommune-03-0301__2025-09-08__2103.json');
    expect(parseFeedBody({ ...body, id: { ...(body.id as object), nivaa: 'valgdistrikt' } })).toEqual({ ok: false, error: 'id.nivaa: unknown level "valgdistrikt"' });
    const missing = parseFeedBody({ ...body, partier: undefined });
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.error).toMatch(/^partier:/);
    // The 2021 schema is another API: refused, not misread.
    const old = parseFeedBody(raw('2021__kommune__kommune-12-4601__2021-09-14__0015.json'));
    expect(!old.ok && old.error).toMatch(/^opptalt: the 2021 schema/);
  });
});

describe('the recorded night (st2025-night.ndjson.gz)', () => {
  let lines: RecordedLine[];
  beforeAll(() => {
    const text = gunzipSync(readFileSync(new URL('recorded/st2025-night.ndjson.gz', SOURCE))).toString('utf8');
    lines = text.trim().split('\n').map((l) => ZRecordedLine.parse(JSON.parse(l)));
  });

  it('parses every body of every level with no unknown field', () => {
    expect(lines).toHaveLength(7887);
    for (const line of lines) {
      const result = parseFeedBody(line.body);
      expect(result.ok, line.file).toBe(true);
      if (result.ok) expect(result.body.unknownFields, line.file).toEqual([]);
    }
  });

  it('reads the seats a county reports, per party and in all', () => {
    const county = parsed(lines.filter((l) => l.level === 'fylke' && l.file.includes('fylke-18')).at(-1)!.body);
    expect(county.level).toBe('fylke');
    expect(county.seats).toBeGreaterThan(0);
    const partySeats = county.parties.map((p) => p.seats?.count ?? 0);
    expect(partySeats.reduce((a, b) => a + b, 0)).toBe(county.seats);
    expect(county.parties.find((p) => p.code === 'A')?.seats).toEqual({ count: expect.any(Number), levelling: expect.any(Number) });
  });

  it('builds one row per municipality, exactly one advance unit each, and the last snapshot as expected results', () => {
    const rows = packageRowsFromRecording(lines, new Date('2025-09-08T19:00:00Z'));
    expect(rows.municipalities).toHaveLength(357);
    expect(rows.arrival).toHaveLength(357);
    const advance = rows.countingUnits.filter((u) => u.Stemmekretstype === 'forhånd');
    expect(advance).toHaveLength(357);
    expect(new Set(advance.map((u) => u.Stemmekretsnummer))).toEqual(new Set([ADVANCE_UNIT_NUMBER]));
    // The feed's advance districts and venues are not polling-station units.
    const bergenUnits = rows.countingUnits.filter((u) => u.Kommunenummer === '4601' && u.Stemmekretstype === 'valgting');
    expect(bergenUnits.map((u) => u.Stemmekretsnummer)).not.toContain('9998');
    expect(bergenUnits.map((u) => u.Stemmekretsnavn)).not.toContain('Innbyggerservice');
    expect(bergenUnits).toHaveLength(58 - 18 - 2);
    const lastBergen = lines.filter((l) => l.level === 'kommune' && l.file.includes('4601')).map((l) => parsed(l.body)).at(-1)!;
    const bergen = rows.expectedResults.filter((r) => r.Kommunenummer === '4601');
    // The feed's pools (Andre, Andre2) repeat itemised lists: not results, not lists; the rest add up to stemmer.total.
    expect(Object.fromEntries(bergen.map((r) => [r.Partikode, r['Antall stemmer totalt']]))).toEqual(Object.fromEntries(lastBergen.parties.filter((p) => !p.pool).map((p) => [p.code, p.total])));
    expect(bergen.reduce((sum, r) => sum + Number(r['Antall stemmer totalt']), 0)).toBe(lastBergen.votes.total);
    expect(rows.lists.filter((l) => l.Partikode === 'Andre' || l.Partikode === 'Andre2')).toEqual([]);
    expect(bergen.find((r) => r.Partikode === 'BLANKE')).toEqual({ Kommunenummer: '4601', Partikode: 'BLANKE', 'Antall stemmer totalt': 1166 });
    expect(rows.lists.some((l) => l.Partikode === 'BLANKE')).toBe(false);
    expect(rows.municipalities.find((m) => m.Kommunenummer === '0301')).toMatchObject({ Kommunenavn: 'Oslo', Fylkenummer: '03', 'Antall stemmeberettigede': 517614 });
  });
});

describe('arrivalRow', () => {
  const body = (advanceDone: number, done: number): FeedBody => ({
    ...parsed(raw('2025__kommune__kommune-12-4601__2025-09-08__2103.json')),
    counting: { forste: { forhaandsstemmelokale: { status: null, done: advanceDone, total: 2 }, valgtingslokale: { status: null, done, total: 4 } } },
  });
  const at = (minutes: number, advanceDone: number, done: number): Snapshot => ({ polledAt: new Date(Date.UTC(2025, 8, 8, 19, minutes)).toISOString(), body: body(advanceDone, done) });

  it('takes the first poll reaching each share, never decreasing, and the last poll for a share never reached', () => {
    const row = arrivalRow('4601', [at(5, 1, 0), at(20, 2, 0), at(35, 2, 1), at(50, 2, 3), at(65, 2, 3)], new Date('2025-09-08T19:00:00Z'));
    expect(row).toEqual({
      Kommunenummer: '4601', 'Forhånd minutter': 20,
      'Valgting 0 %': 35, 'Valgting 10 %': 35, 'Valgting 25 %': 35, 'Valgting 50 %': 50, 'Valgting 75 %': 50, 'Valgting 90 %': 65, 'Valgting 100 %': 65,
    });
  });
});
