// Invariants of the reference data in data/ (built by scripts/build-data.ts). The app relies on these, so a
// rebuild that breaks one must fail here rather than on election night.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../lib/csv.ts';

// Reads a CSV and checks it has exactly the expected columns, so the rows can be typed by column name.
function read<K extends string>(name: string, columns: readonly K[]): Record<K, string>[] {
  const text = readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
  expect(text.slice(0, text.indexOf('\n')), name).toBe(columns.join(','));
  return parseCsv(text) as Record<K, string>[];
}

const municipalities = read('municipalities.csv', ['number', 'name', 'county_number', 'county_name', 'electorate',
  'council_size', 'watch', 'turnout_2019', 'turnout_2023', 'number_2020_2023']);
const districts = read('districts.csv', ['municipality', 'number', 'name', 'electorate', 'kind', 'source']);
const partyLists = read('party-lists-2023.csv', ['municipality', 'code', 'name']);
const results23 = read('results-2023.csv', ['municipality', 'code', 'votes']);
const totals = read('results-totals.csv', ['year', 'municipality', 'list_votes', 'blank_votes', 'other_list_votes', 'andre_reported']);
const seats = read('council-seats-2023.csv', ['municipality', 'code', 'seats']);
const districtResults23 = read('district-results-2023.csv', ['municipality', 'district', 'category', 'code', 'votes']);

const groupBy = <T>(rows: T[], key: (r: T) => string) => {
  const m = new Map<string, T[]>();
  for (const r of rows) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
  return m;
};
const districtsBy = groupBy(districts, (d) => d.municipality);
const numbers = municipalities.map((m) => m.number);

describe('csv', () => {
  it('parses quotes, escaped quotes and CRLF', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\r\n')).toEqual([{ a: 'x, y', b: 'say "hi"' }]);
    expect(parseCsv('a;b\n1;2\n', { delimiter: ';' })).toEqual([{ a: '1', b: '2' }]);
  });
});

describe('municipalities', () => {
  it('has 357 unique 4-digit numbers, sorted', () => {
    expect(municipalities).toHaveLength(357);
    expect(new Set(numbers).size).toBe(357);
    expect(numbers.every((n) => /^\d{4}$/.test(n))).toBe(true);
    expect([...numbers].sort()).toEqual(numbers);
  });

  it('watches exactly 27, including the big five', () => {
    const watched = municipalities.filter((m) => m.watch === '1').map((m) => m.number);
    expect(watched).toHaveLength(27);
    expect(municipalities.every((m) => m.watch === '0' || m.watch === '1')).toBe(true);
    for (const n of ['0301', '4601', '1103', '5501', '3107']) expect(watched).toContain(n);
  });

  it('has odd council sizes of at least 11', () => {
    for (const m of municipalities) {
      const size = Number(m.council_size);
      expect(size % 2, m.number).toBe(1);
      expect(size, m.number).toBeGreaterThanOrEqual(11);
    }
  });

  it('has an electorate at least the 2023 votes cast', () => {
    const t23 = new Map(totals.filter((t) => t.year === '2023').map((t) => [t.municipality, t]));
    const res = groupBy(results23, (r) => r.municipality);
    for (const m of municipalities) {
      const el = Number(m.electorate);
      const t = t23.get(m.number)!;
      const cast = Number(t.list_votes) + Number(t.blank_votes || 0);
      expect(el, m.number).toBeGreaterThanOrEqual(cast);
      // The separately shown lists plus the disjoint rest make up the list-vote total (Andre overlaps, so skip it).
      const shown = res
        .get(m.number)!
        .filter((r) => r.code !== 'Andre' && r.code !== 'BLANKE')
        .reduce((a, r) => a + Number(r.votes), 0);
      expect(shown + Number(t.other_list_votes), m.number).toBe(Number(t.list_votes));
      expect(el, m.number).toBeGreaterThan(shown);
    }
  });

  it('has a 2020-2023 number for every municipality except Haram', () => {
    for (const m of municipalities) {
      if (m.number === '1580') expect(m.number_2020_2023).toBe('');
      else expect(m.number_2020_2023, m.number).toMatch(/^\d{4}$/);
    }
  });
});

describe('districts', () => {
  it('gives every municipality one advance 0000 unit and election-day districts summing to its electorate', () => {
    expect(new Set(districts.map((d) => d.municipality))).toEqual(new Set(numbers));
    for (const m of municipalities) {
      const ds = districtsBy.get(m.number)!;
      const adv = ds.filter((d) => d.kind === 'advance');
      expect(adv, m.number).toHaveLength(1);
      expect(adv[0]?.number).toBe('0000');
      expect(adv[0]?.electorate).toBe('0');
      const day = ds.filter((d) => d.kind === 'election_day');
      expect(day.length, m.number).toBeGreaterThanOrEqual(1);
      expect(ds.length).toBe(adv.length + day.length);
      for (const d of day) {
        expect(d.number, m.number).toMatch(/^\d{4}$/);
        expect(d.number).not.toBe('0000');
        expect(Number(d.electorate), `${m.number}/${d.number}`).toBeGreaterThanOrEqual(1);
      }
      expect(new Set(ds.map((d) => d.number)).size).toBe(ds.length);
      expect(day.reduce((a, d) => a + Number(d.electorate), 0), m.number).toBe(Number(m.electorate));
    }
  });

  it('has the 101 real 2023 election-day districts for Oslo', () => {
    const oslo = districtsBy.get('0301')!.filter((d) => d.kind === 'election_day');
    expect(oslo).toHaveLength(101);
    expect(oslo.every((d) => d.source === '2023')).toBe(true);
  });

  it('uses only known sources', () => {
    for (const d of districts) expect(['2023', '2019', '2019-split', 'synthetic']).toContain(d.source);
  });
});

describe('results and seats', () => {
  it('only uses codes listed for the municipality', () => {
    const listed = new Set(partyLists.map((p) => `${p.municipality}/${p.code}`));
    expect(results23.length).toBe(partyLists.length);
    for (const r of results23) expect(listed.has(`${r.municipality}/${r.code}`), `${r.municipality}/${r.code}`).toBe(true);
  });

  it('has seat totals equal to the council size', () => {
    const sum = new Map<string, number>();
    for (const s of seats) sum.set(s.municipality, (sum.get(s.municipality) ?? 0) + Number(s.seats));
    expect(sum.size).toBe(357);
    for (const m of municipalities) expect(sum.get(m.number), m.number).toBe(Number(m.council_size));
  });

  it('has district results only for known districts', () => {
    const known = new Set(districts.map((d) => `${d.municipality}/${d.number}`));
    for (const r of districtResults23) {
      expect(known.has(`${r.municipality}/${r.district}`), `${r.municipality}/${r.district}`).toBe(true);
      expect(['advance', 'election_day']).toContain(r.category);
    }
    expect(new Set(districtResults23.filter((r) => r.municipality === '0301').map((r) => r.district)).size).toBe(101);
  });
});
