// The 2021-schema parser and the one entry point for both API generations (parseOfficialBody), on real
// responses of valgresultat.no (../shared/data/HNygard-valgresultat.no-copy: raw/ and the recorded night).
// Expected numbers were read by hand from the raw files.
import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseFeedBody, ZRecordedLine, type FeedBody } from '../../lib/official-feed/feed-2025.ts';
import { parseFeedBody2021 } from '../../lib/official-feed/feed-2021.ts';
import { buildKnownPaths, listUnknownPaths } from '../../lib/official-feed/known-fields.ts';
import { detectOfficialSchema, parseOfficialBody } from '../../lib/official-feed/parse.ts';

const SOURCE = new URL('../../../shared/data/HNygard-valgresultat.no-copy/', import.meta.url);
const raw = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`raw/${name}`, SOURCE), 'utf8'));
const parsed = (body: unknown): FeedBody => {
  const result = parseOfficialBody(body);
  if (!result.ok) throw new Error(result.error);
  return result.body;
};

const BERGEN_2021 = '2021__kommune__kommune-12-4601__2021-09-14__0015.json';
const HORDALAND_2021 = '2021__fylke__fylke-12__2021-09-13__2327.json';
const NATIONAL_2021 = '2021__nasjonalt__stortingsvalget__2021-09-13__2327.json';
const DISTRICT_2021 = '2021__krets__krets-12-4601-0001__2021-09-13__2252.json';

describe('every file in raw/', () => {
  // config__entities.json is the scraper's own list of 2025 entities, not an API response: refused, named.
  const expected: Record<string, { schema: '2021' | '2025'; level: string } | 'not a result body'> = {
    [HORDALAND_2021]: { schema: '2021', level: 'fylke' },
    [BERGEN_2021]: { schema: '2021', level: 'kommune' },
    [DISTRICT_2021]: { schema: '2021', level: 'stemmekrets' },
    [NATIONAL_2021]: { schema: '2021', level: 'land' },
    '2025__kommune__kommune-03-0301__2025-09-08__2103.json': { schema: '2025', level: 'kommune' },
    '2025__kommune__kommune-12-4601__2025-09-08__2103.json': { schema: '2025', level: 'kommune' },
    '2025__kommune__kommune-12-4601__2025-10-20__1217.json': { schema: '2025', level: 'kommune' },
    '2025__krets__krets-03-0301-1__2025-09-08__2106.json': { schema: '2025', level: 'bydel' },
    '2025__krets__krets-12-4601-0001__2025-09-08__2107.json': { schema: '2025', level: 'stemmekrets' },
    '2025__nasjonalt__norge__2025-09-08__2010.json': { schema: '2025', level: 'land' },
    'config__entities.json': 'not a result body',
  };

  it('has exactly the files this test knows', () => {
    expect(readdirSync(new URL('raw/', SOURCE)).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))('%s parses with the right schema and level, no unknown field', (name, want) => {
    const result = parseOfficialBody(raw(name));
    if (want === 'not a result body') {
      expect(result).toEqual({ ok: false, error: 'body: neither schema (no opptalt for 2021, no opptellingsStatus or opptellingsStatusKrets for 2025); its keys: 2025' });
      return;
    }
    expect(result.ok, !result.ok ? result.error : name).toBe(true);
    if (!result.ok) return;
    expect({ schema: result.body.schema, level: result.body.level }).toEqual(want);
    expect(result.body.unknownFields).toEqual([]);
    // The generation's own progress field, and only that one.
    if (want.schema === '2021') expect(result.body.counting).toEqual({});
    else expect(result.body.countedPercent).toBeNull();
  });
});

describe('parseOfficialBody on the 2021 schema', () => {
  it('reads Bergen: ids, electorate, votes, turnout, opptalt as percentages, parties, links with per-unit status', () => {
    const b = parsed(raw(BERGEN_2021));
    expect(b.ids).toEqual({ year: '2021', county: '12', municipality: '4601', unit: null });
    expect([b.nr, b.name, b.electorate, b.reportGenerated, b.turnoutPercent, b.seats]).toEqual(['4601', 'Bergen', 206947, '2021-09-14T00:14:31', 78.3, 0]);
    expect(b.votes).toEqual({ total: 161408, advance: 102140 });
    expect(b.countedPercent).toEqual({ advancePreliminary: 100, electionDayPreliminary: 100, preliminary: 100, final: 1.8, settlement: 0 });
    // No done/total counts are made from the percentages, and no 2025-style district status.
    expect([b.counting, b.unitStatus]).toEqual([{}, null]);
    expect(b.parties).toHaveLength(25);
    expect(b.parties.slice(0, 2)).toEqual([
      { code: 'A', name: 'Arbeiderpartiet', pool: false, total: 38070, advance: 23531, seats: null },
      { code: 'SV', name: 'SV - Sosialistisk Venstreparti', pool: false, total: 18146, advance: 11821, seats: null },
    ]);
    expect(b.parties.find((p) => p.code === 'H')).toMatchObject({ total: 42587, advance: 27223 });
    expect(b.parties.find((p) => p.code === 'BLANKE')).toMatchObject({ total: 1170, advance: 662 });
    // The feed's pools are marked (partikategori 0) and repeat itemised lists: without them the lists add up to stemmer.total.
    expect(b.parties.filter((p) => p.pool).map((p) => p.code)).toEqual(['Andre', 'Andre2']);
    expect(b.parties.filter((p) => !p.pool).reduce((sum, p) => sum + (p.total ?? 0), 0)).toBe(b.votes.total);
    expect(b.links.self).toBe('/2021/st/12/4601');
    expect(b.links.up).toEqual({ nr: '12', href: '/2021/st/12', name: 'Hordaland', reportGenerated: null, hasChildren: null, advanceVenue: null });
    expect(b.links.related).toHaveLength(40);
    expect(b.links.related[0]).toEqual({
      nr: '0000', href: '/2021/st/12/4601/0000', name: 'Uoppgitt krets', reportGenerated: '2021-09-12T16:51:03', hasChildren: false,
      advanceVenue: null, countedPercent: { advancePreliminary: 100, electionDayPreliminary: 100, preliminary: 100, final: 0, settlement: 0 },
    });
    expect(b.links.related.find((l) => l.nr === '0001')).toMatchObject({ name: 'Bergen sentrum', reportGenerated: '2021-09-13T23:16:07', countedPercent: { advancePreliminary: 0, electionDayPreliminary: 100, preliminary: 100, final: 0, settlement: 0 } });
    // Only Haukeland and Bønes had a final count at 00:15; every unit was preliminarily counted.
    expect(b.links.related.filter((l) => l.countedPercent?.final === 100).map((l) => l.name)).toEqual(['Haukeland', 'Bønes']);
    expect(b.links.related.every((l) => l.countedPercent?.preliminary === 100)).toBe(true);
    // The 2021 schema does not mark advance venues: unknown, not "no".
    expect(b.links.related.every((l) => l.advanceVenue === null)).toBe(true);
  });

  it('reads a counting district of Bergen, Hordaland with its seats and municipalities, and the national level', () => {
    const district = parsed(raw(DISTRICT_2021));
    expect([district.level, district.ids.unit, district.name, district.electorate, district.turnoutPercent, district.links.related]).toEqual(['stemmekrets', '0001', 'Bergen sentrum', 6254, null, []]);
    expect(district.votes).toEqual({ total: 2677, advance: 0 });
    expect(district.countedPercent).toEqual({ advancePreliminary: 0, electionDayPreliminary: 100, preliminary: 100, final: 0, settlement: 0 });

    const county = parsed(raw(HORDALAND_2021));
    expect([county.ids.county, county.name, county.electorate, county.seats, county.votes.total]).toEqual(['12', 'Hordaland', 382305, 16, 285855]);
    expect(county.countedPercent).toEqual({ advancePreliminary: 100, electionDayPreliminary: 96.4, preliminary: 96.4, final: 10.5, settlement: 0 });
    expect(county.parties.reduce((sum, p) => sum + (p.seats?.count ?? 0), 0)).toBe(16);
    expect(county.parties.find((p) => p.code === 'V')?.seats).toEqual({ count: 1, levelling: 1 });
    expect(county.links.related).toHaveLength(25);
    expect(county.links.related.find((l) => l.nr === '4611')).toMatchObject({ name: 'Etne', hasChildren: true, countedPercent: { final: 55.3 } });

    const national = parsed(raw(NATIONAL_2021));
    expect([national.ids.county, national.electorate, national.seats, national.links.up, national.links.related.length]).toEqual([null, 3891736, 169, null, 19]);
    expect(national.countedPercent).toEqual({ advancePreliminary: 100, electionDayPreliminary: 91.1, preliminary: 91.4, final: 12.6, settlement: 0 });
    expect(national.parties.find((p) => p.code === 'SV')?.seats).toEqual({ count: 13, levelling: 6 });
    // The feed's pool "Andre" repeats a seat (Pasientfokus'): 169 seats without it, 170 with.
    expect(national.parties.filter((p) => p.code !== 'Andre').reduce((sum, p) => sum + (p.seats?.count ?? 0), 0)).toBe(169);
  });

  it('reports fields it does not know, at any depth, instead of reading them', () => {
    const body = raw(BERGEN_2021);
    const links = body._links as { related: Record<string, unknown>[] } & Record<string, unknown>;
    const opptalt = body.opptalt as Record<string, unknown>;
    const b = parsed({
      ...body,
      nyttFelt: { a: 1 },
      opptalt: { ...opptalt, kontroll: 50 },
      _links: { ...links, related: links.related.map((l, i) => (i === 3 ? { ...l, forhaandsstemmelokale: true } : l)) },
    });
    expect(b.unknownFields.sort()).toEqual(['_links.related[].forhaandsstemmelokale', 'nyttFelt', 'opptalt.kontroll']);
    // What it knows is still read.
    expect(b.countedPercent?.final).toBe(1.8);
    expect(b.links.related[3]?.advanceVenue).toBeNull();
  });

  it('fails a broken body naming the field', () => {
    const body = raw(BERGEN_2021);
    const noElectorate = parseOfficialBody({ ...body, antallsb: undefined });
    expect(!noElectorate.ok && noElectorate.error).toMatch(/^2021 schema: antallsb: /);
    const badPercent = parseOfficialBody({ ...body, opptalt: { ...(body.opptalt as object), endelig: 140 } });
    expect(!badPercent.ok && badPercent.error).toMatch(/^2021 schema: opptalt\.endelig: /);
    const links = body._links as { related: Record<string, unknown>[] } & Record<string, unknown>;
    const unitWithoutStatus = parseOfficialBody({ ...body, _links: { ...links, related: links.related.map((l, i) => (i === 2 ? { ...l, forelopig: undefined } : l)) } });
    expect(!unitWithoutStatus.ok && unitWithoutStatus.error).toMatch(/^2021 schema: _links\.related\.2\.forelopig: /);
    expect(parseFeedBody2021({ ...body, id: { ...(body.id as object), nivaa: 'valgdistrikt' } })).toEqual({ ok: false, error: 'id.nivaa: unknown level "valgdistrikt"' });
  });
});

describe('choosing the schema', () => {
  it('goes by shape, and refuses neither or both with the reason', () => {
    expect(detectOfficialSchema(raw(BERGEN_2021))).toEqual({ ok: true, schema: '2021' });
    expect(detectOfficialSchema(raw('2025__krets__krets-12-4601-0001__2025-09-08__2107.json'))).toEqual({ ok: true, schema: '2025' });
    // A year is no guide: the 2023 elections were served in the 2021 schema.
    expect(detectOfficialSchema({ ...raw(BERGEN_2021), id: { valgaar: '2025' } })).toEqual({ ok: true, schema: '2021' });
    expect(parseOfficialBody(null)).toEqual({ ok: false, error: 'body: not a JSON object, so not a result body of either schema' });
    expect(parseOfficialBody([raw(BERGEN_2021)]).ok).toBe(false);
    const both = { ...raw('2025__kommune__kommune-03-0301__2025-09-08__2103.json'), opptalt: raw(BERGEN_2021).opptalt };
    expect(parseOfficialBody(both)).toEqual({ ok: false, error: 'opptalt: found together with opptellingsStatus(Krets), the marks of both schemas; refused rather than guessed' });
    expect(parseOfficialBody({ id: {}, partier: [] })).toEqual({ ok: false, error: 'body: neither schema (no opptalt for 2021, no opptellingsStatus or opptellingsStatusKrets for 2025); its keys: id, partier' });
  });

  it('gives a 2025 body as parseFeedBody reads it, plus the schema and deeper unknown fields', () => {
    const body = raw('2025__kommune__kommune-03-0301__2025-09-08__2103.json');
    const direct = parseFeedBody(body);
    if (!direct.ok) throw new Error(direct.error);
    const b = parsed(body);
    expect(b).toEqual({ ...direct.body, schema: '2025', countedPercent: null });
    expect([b.name, b.electorate, b.votes.total, b.votes.advance, b.turnoutPercent]).toEqual(['Oslo', 517614, 399695, 275572, 74.5]);
    expect(b.parties.find((p) => p.code === 'A')).toMatchObject({ total: 102180, advance: 67760 });
    expect(b.links.related.slice(0, 3).map((l) => [l.nr, l.name])).toEqual([['0', 'Bydel 00'], ['1', 'Gamle Oslo'], ['10', 'Grorud']]);

    // parseFeedBody looks at top-level keys and status categories; parseOfficialBody at every depth.
    const status = body.opptellingsStatus as Record<string, Record<string, Record<string, unknown>>>;
    const links = body._links as { related: Record<string, unknown>[] } & Record<string, unknown>;
    const partier = body.partier as Record<string, unknown>[];
    const changed = {
      ...body,
      nyttFelt: 1,
      opptellingsStatus: { ...status, forste: { ...status.forste, valgtingslokale: { ...status.forste!.valgtingslokale, nyttTall: 3 }, nyKategori: { status: null, ferdig: 0, totalt: 1 } } },
      partier: partier.map((p) => ({ ...p, nyttPartifelt: true })),
      _links: { ...links, related: links.related.map((l) => ({ ...l, kretsStatus: 'forsteFerdig' })) },
    };
    expect(parsed(changed).unknownFields.sort()).toEqual([
      '_links.related[].kretsStatus', 'nyttFelt', 'opptellingsStatus.forste.nyKategori', 'opptellingsStatus.forste.valgtingslokale.nyttTall', 'partier[].nyttPartifelt',
    ]);
    const shallow = parseFeedBody(changed);
    expect(shallow.ok && shallow.body.unknownFields.sort()).toEqual(['nyttFelt', 'opptellingsStatus.forste.nyKategori']);
    expect(parseOfficialBody({ ...body, partier: undefined })).toMatchObject({ ok: false, error: expect.stringMatching(/^2025 schema: partier: /) });
  });
});

describe('listUnknownPaths', () => {
  const known = buildKnownPaths(['a.b', 'list[].x', 'grid[][].y', 'tags[]']);
  it.each([
    ['nothing unknown', { a: { b: 1 }, list: [{ x: 1 }, { x: 2 }], grid: [[{ y: 1 }]], tags: [1, 2] }, []],
    ['prefixes of a leaf are known, empty objects and arrays too', { a: {}, list: [], grid: [[]] }, []],
    ['a new key at the top, inside a known object, inside array elements', { c: 1, a: { b: 1, z: 2 }, list: [{ x: 1, w: 1 }, { w: 2 }] }, ['c', 'a.z', 'list[].w']],
    ['an unknown key is reported whole, its contents not walked', { c: { d: { e: 1 } } }, ['c']],
    ['objects where a known leaf had a value', { tags: [{ t: 1 }], a: { b: { q: 1 } } }, ['tags[].t', 'a.b.q']],
    ['nested arrays', { grid: [[{ y: 1, v: 0 }], [{ v: 1 }]] }, ['grid[][].v']],
    ['not an object', null, []],
  ])('%s', (_, value, want) => {
    expect(listUnknownPaths(value, known)).toEqual(want);
  });
});

describe('the recorded night (st2025-night.ndjson.gz) through parseOfficialBody', () => {
  it('parses every body, all as the 2025 schema, and reports exactly the unknown fields found', () => {
    const text = gunzipSync(readFileSync(new URL('recorded/st2025-night.ndjson.gz', SOURCE))).toString('utf8');
    const lines = text.trim().split('\n').map((l) => ZRecordedLine.parse(JSON.parse(l)));
    expect(lines).toHaveLength(7887);
    const failures: string[] = [];
    const unknown = new Set<string>();
    const levels = new Map<string, number>();
    let futureIfUtc = 0;
    for (const line of lines) {
      const result = parseOfficialBody(line.body);
      if (!result.ok) {
        failures.push(`${line.file}: ${result.error}`);
        continue;
      }
      if (result.body.schema !== '2025') failures.push(`${line.file}: read as the ${result.body.schema} schema`);
      // rapportGenerert has no offset: as Norwegian summer time it is never after the poll (whose time is
      // the minute, hence + 60 s); read as UTC it would often be hours in the future.
      const polled = Date.parse(line.polledAt);
      const reported = result.body.reportGenerated;
      if (reported === null || Date.parse(`${reported}+02:00`) > polled + 60_000) failures.push(`${line.file}: rapportGenerert ${reported} after the poll ${line.polledAt}`);
      else if (Date.parse(`${reported}Z`) > polled + 3_600_000) futureIfUtc++;
      levels.set(result.body.level, (levels.get(result.body.level) ?? 0) + 1);
      for (const field of result.body.unknownFields) unknown.add(field);
    }
    expect(failures).toEqual([]);
    expect(futureIfUtc).toBe(4867); // of 7,887 (counted from the file)
    // Counted from the file: the levels of the night, Oslo's boroughs among them.
    expect(Object.fromEntries(levels)).toEqual({ land: 70, fylke: 703, kommune: 1592, bydel: 51, stemmekrets: 5471 });
    // Every field of the night is known (read, or known and deliberately left unread): a new one fails here.
    expect([...unknown].sort()).toEqual([]);
  }, 30_000); // about 7,900 bodies walked to every leaf: seconds on a shared 2-core machine
});
