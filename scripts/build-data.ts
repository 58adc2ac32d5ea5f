// Builds the reference data in data/ from the team's raw research files.
// Usage: npx tsx scripts/build-data.ts [sharedDataDir]   (default: ../shared/data relative to the repo root)
// Deterministic: fixed inputs give byte-identical outputs. Every invariant that the app relies on is asserted
// here, so a bad input fails the build instead of producing silently wrong data.

import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseCsv, toCsv } from '../lib/csv.ts';
import { atOrThrow, getOrThrow } from '../lib/get-or-throw.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = resolve(process.argv[2] ?? join(repoRoot, '..', 'shared', 'data'));
const out = join(repoRoot, 'data');

// ---------- helpers ----------

function assert(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new Error(`build-data: ${msg}`);
}

function readText(rel: string): string {
  return readFileSync(join(src, rel), 'utf8');
}

function readCsv(rel: string, delimiter = ',', allowShortRows = false): Record<string, string>[] {
  return parseCsv(readText(rel), { delimiter, allowShortRows });
}

/** A CSV field that must exist (typed access under noUncheckedIndexedAccess, and a clear error if a column is missing). */
function f(r: Record<string, string>, col: string): string {
  const v = r[col];
  assert(v !== undefined, `missing column ${col}`);
  return v;
}

function int(s: string, what: string): number {
  assert(/^-?\d+$/.test(s.trim()), `${what}: not an integer: ${JSON.stringify(s)}`);
  return Number(s.trim());
}

// Plain code-unit order: locale-independent, so the sort is the same on every machine.
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byKeys<T>(...keys: ((r: T) => string)[]) {
  return (a: T, b: T) => {
    for (const k of keys) {
      const c = cmp(k(a), k(b));
      if (c !== 0) return c;
    }
    return 0;
  };
}

const written: { file: string; rows: number; bytes: number }[] = [];
function writeCsv(name: string, rows: Record<string, string | number | null | undefined>[], columns: string[]) {
  const text = toCsv(rows, columns);
  writeFileSync(join(out, name), text, 'utf8');
  written.push({ file: name, rows: rows.length, bytes: Buffer.byteLength(text) });
}

/**
 * Splits an integer total over weights in proportion (largest-remainder / Hamilton), exact integer arithmetic
 * so the result does not depend on float rounding. Ties go to the earlier index. With minOne, every share is
 * at least 1 (taken from the currently largest share), because a polling district with 0 voters is meaningless.
 */
function largestRemainder(total: number, weights: number[], minOne = false): number[] {
  assert(Number.isSafeInteger(total) && total >= 0, `bad total ${total}`);
  let w = weights.map((x) => {
    assert(Number.isSafeInteger(x) && x >= 0, `bad weight ${x}`);
    return x;
  });
  let W = w.reduce((a, b) => a + b, 0);
  if (W === 0) {
    w = w.map(() => 1);
    W = w.length;
  }
  const shares: number[] = [];
  const rems: { i: number; r: number }[] = [];
  w.forEach((x, i) => {
    const num = total * x;
    assert(Number.isSafeInteger(num), 'overflow in largestRemainder');
    let q = Math.floor(num / W);
    while ((q + 1) * W <= num) q++;
    while (q * W > num) q--;
    shares.push(q);
    rems.push({ i, r: num - q * W });
  });
  let left = total - shares.reduce((a, b) => a + b, 0);
  rems.sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k++, left--) {
    // Flooring loses less than 1 per share, so left < rems.length: rems[k] exists, and its i indexes shares.
    const idx = rems[k]!.i;
    shares[idx] = atOrThrow(shares, idx, 'share') + 1;
  }
  if (minOne) {
    assert(total >= shares.length, `cannot give ${shares.length} districts >= 1 of ${total}`);
    for (let i = 0; i < shares.length; i++) {
      if (shares[i] === 0) {
        let big = 0;
        // j and big are both below shares.length.
        for (let j = 1; j < shares.length; j++) if (shares[j]! > shares[big]!) big = j;
        shares[big] = atOrThrow(shares, big, 'share') - 1;
        shares[i] = 1;
      }
    }
  }
  assert(shares.reduce((a, b) => a + b, 0) === total, 'largestRemainder does not add up');
  return shares;
}

// ---------- inputs ----------

interface KoParty {
  kode: string;
  navn: string;
  prosent: number;
  stemmer: number;
  /** Change from the previous election; null for many lists in the files. */
  endring: number | null;
}
interface KoMunicipality {
  kommunenavn: string;
  partier: KoParty[];
  frammote: number | null;
}
const ZKo = z.object({
  data: z.record(z.string(), z.object({
    kommunenavn: z.string(),
    partier: z.array(z.object({ kode: z.string(), navn: z.string(), prosent: z.number(), stemmer: z.number(), endring: z.number().nullable() })),
    frammote: z.number().nullable(),
  })),
});
function readKo(rel: string): Record<string, KoMunicipality> {
  return ZKo.parse(JSON.parse(readText(rel))).data;
}

const ko23 = readKo('FemtiGram-kart/ko-2023.json');
const ko23At = (k: string): KoMunicipality => {
  const m = ko23[k];
  assert(m, `ko-2023 has no ${k}`);
  return m;
};
const ko19 = readKo('FemtiGram-kart/ko-2019.json');
const kommuner = readCsv('derived/kommuner_2023_ko.csv');
const seatsRows = readCsv('derived/kommunestyrer_2023.csv');
const kretser19 = readCsv('thomastallaksen-valg19/valgkretser.csv', ';', true);
const oslo23 = readCsv('thomastallaksen-valg19/valgkretser2023_oslo_wide.csv', ';');
const es23 = readCsv('thomastallaksen-valgdata/stemmedata_2023_ko_eigersund_stavanger.csv');
const keyFigures = readCsv('HNygard-valgprotokoller/valgprotokoll_2023_ko_keyfigures_gran_stavanger.csv');
const kretser27 = readCsv('derived/kretser_27_electorate_2019_2021_2023_2025.csv');
const entities2025 = z.object({ '2025': z.object({ krets: z.array(z.string()) }) })
  .parse(JSON.parse(readText('HNygard-valgresultat.no-copy/raw/config__entities.json')))['2025'];

// ---------- municipality totals from the FemtiGram kommune files ----------

// FemtiGram keeps valgresultat.no's "Andre" row, which is the sum of ALL lists outside the nine national
// parties -- including local lists / INP / PP that are also shown as their own rows. Summing every row
// therefore double-counts (e.g. Haram: Andre 458 = INP 458). The exact total of valid list votes is instead
// recovered from any row's stemmer / prosent (prosent is relative to list votes, blanks excluded).
const NATIONAL = new Set(['A', 'H', 'FRP', 'SV', 'SP', 'KRF', 'V', 'MDG', 'RØDT']);
interface Totals {
  listVotes: number; // all valid list votes (no blanks)
  blank: number | null; // blank ballots: known when BLANKE is in the top-10 rows or krets data has them
  other: number; // list votes of lists not shown as their own row (the disjoint "rest")
  andre: number | null; // the reported (overlapping) Andre aggregate
  rowSum: number; // naive sum over all rows, for reference
}
function totalsOf(m: KoMunicipality, what: string): Totals {
  const ps = m.partier;
  assert(ps.length > 0, `${what}: no parties`);
  const biggest = ps.reduce((a, b) => (b.stemmer > a.stemmer ? b : a));
  const listVotes = Math.round((biggest.stemmer * 100) / biggest.prosent);
  // Every sizeable row must imply the same total (within the 5-decimal rounding of prosent).
  for (const p of ps) {
    if (p.prosent > 0 && p.stemmer >= 100) {
      const t = (p.stemmer * 100) / p.prosent;
      assert(Math.abs(t - listVotes) <= 2, `${what}: ${p.kode} implies total ${t}, not ${listVotes}`);
    }
  }
  const codes = ps.map((p) => p.kode);
  assert(new Set(codes).size === codes.length, `${what}: duplicate codes`);
  const shown = ps.filter((p) => p.kode !== 'Andre' && p.kode !== 'BLANKE').reduce((a, p) => a + p.stemmer, 0);
  const other = listVotes - shown;
  assert(other >= 0, `${what}: shown lists exceed the total`);
  const andre = ps.find((p) => p.kode === 'Andre')?.stemmer ?? null;
  if (andre !== null) {
    const nonNationalShown = ps
      .filter((p) => !NATIONAL.has(p.kode) && p.kode !== 'Andre' && p.kode !== 'BLANKE')
      .reduce((a, p) => a + p.stemmer, 0);
    // Confirms the overlap reading: Andre = every list outside the nine national parties, so
    // other + shown non-national lists = Andre + national parties missing from the top rows (>= 0, and
    // exactly 0 when all nine are shown).
    const hiddenNational = other + nonNationalShown - andre;
    const nationalShown = ps.filter((p) => NATIONAL.has(p.kode)).length;
    assert(hiddenNational >= 0, `${what}: Andre ${andre} > ${other} + ${nonNationalShown}`);
    assert(nationalShown < 9 || hiddenNational === 0, `${what}: Andre ${andre} != ${other} + ${nonNationalShown}`);
  }
  return {
    listVotes,
    blank: ps.find((p) => p.kode === 'BLANKE')?.stemmer ?? null,
    other,
    andre,
    rowSum: ps.reduce((a, p) => a + p.stemmer, 0),
  };
}
const totals23 = new Map(Object.entries(ko23).map(([k, m]) => [k, totalsOf(m, `ko-2023 ${k}`)]));
const totals19 = new Map(Object.entries(ko19).map(([k, m]) => [k, totalsOf(m, `ko-2019 ${k}`)]));
// Eigersund/Stavanger: the complete krets data has the blank ballots that the kommune top-10 rows leave out.
for (const k of ['1101', '1103']) {
  const t = getOrThrow(totals23, k, 'ko-2023 totals of');
  if (t.blank === null) {
    t.blank = es23.filter((r) => f(r, 'kommunenr') === k && f(r, 'parti_kode') === 'BLANKE').reduce((a, r) => a + int(f(r, 'stemmer_antall'), 'blank'), 0);
  }
}

// ---------- 2019 krets file (2020-2023 numbering) ----------

interface Krets19 {
  kommune: string; // 2020-2023 number
  nr: string;
  name: string;
  electorate: number;
}
const muni19 = new Map<string, { name: string; county: string }>();
const krets19 = new Map<string, Krets19>(); // key kommune/nr
for (const r of kretser19) {
  const k = f(r, 'Kommunenummer');
  const nr = f(r, 'Stemmekretsnummer');
  assert(/^\d{4}$/.test(k) && /^\d{4}$/.test(nr), `valgkretser.csv bad numbers ${k}/${nr}`);
  muni19.set(k, { name: f(r, 'Kommunenavn'), county: f(r, 'Fylkenavn') });
  const key = `${k}/${nr}`;
  const el = int(f(r, 'Antall stemmeberettigede'), `electorate ${key}`);
  const prev = krets19.get(key);
  // The electorate is repeated on every party row; it must be the same each time.
  if (prev) assert(prev.electorate === el && prev.name === f(r, 'Stemmekretsnavn'), `krets ${key} inconsistent`);
  else krets19.set(key, { kommune: k, nr, name: f(r, 'Stemmekretsnavn'), electorate: el });
  const adv = int(f(r, 'Antall forhåndsstemmer'), key);
  const vt = int(f(r, 'Antall valgtingstemmer'), key);
  assert(adv + vt === int(f(r, 'Antall stemmer totalt'), key), `krets ${key} ${f(r, 'Partikode')}: adv+vt != total`);
}
assert(muni19.size === 356, `valgkretser.csv has ${muni19.size} municipalities`);
function kretserOf19(k: string): Krets19[] {
  return [...krets19.values()].filter((x) => x.kommune === k).sort(byKeys((x) => x.nr));
}

// ---------- municipality list and 2020-2023 numbers ----------

assert(kommuner.length === 357, `kommuner_2023_ko.csv has ${kommuner.length} rows`);
// 2024 counties that were merged in 2020-2023 (the 2019 file uses the merged county names).
const COUNTY_2020: Record<string, string> = {
  '31': 'Viken',
  '32': 'Viken',
  '33': 'Viken',
  '39': 'Vestfold og Telemark',
  '40': 'Vestfold og Telemark',
  '55': 'Troms og Finnmark',
  '56': 'Troms og Finnmark',
};
// The three names that differ between the 2023 results and the 2019 export (a stray space in the export,
// and the 2019 disambiguated names of the two Nes municipalities; Nes in Buskerud is now Nesbyen).
const NAME_2019: Record<string, string> = {
  '3226': 'Aurskog -Høland',
  '3228': 'Nes, Akershus',
  '3322': 'Nes, Buskerud',
};
const HARAM = '1580';
const ALESUND = '1508';

interface Municipality {
  number: string;
  name: string;
  county_number: string;
  county_name: string;
  watch: number;
  number2020: string; // '' for Haram
  electorate: number;
  electorateSource: string;
  council_size: number;
}
const municipalities: Municipality[] = [];
const used2020 = new Set<string>();
for (const r of kommuner) {
  const number = f(r, 'kommunenummer');
  assert(/^\d{4}$/.test(number), `bad kommunenummer ${number}`);
  const county2020 = COUNTY_2020[f(r, 'fylkesnummer')] ?? f(r, 'fylkesnavn');
  const name2019 = NAME_2019[number] ?? f(r, 'kommunenavn_valgresultat');
  // Match on name AND county, which settles the duplicate names Herøy and Våler.
  const hits = [...muni19].filter(([, m]) => m.name === name2019 && m.county === county2020).map(([k]) => k);
  let number2020 = '';
  if (number === HARAM) {
    assert(hits.length === 0, 'Haram unexpectedly found in the 2019 file');
  } else {
    const [hit, ...more] = hits;
    assert(hit !== undefined && more.length === 0, `${number} ${name2019}: ${hits.length} matches in 2019 file`);
    number2020 = hit;
    assert(!used2020.has(number2020), `2020 number ${number2020} used twice`);
    used2020.add(number2020);
  }
  // The 27 watched municipalities carry the number in the input; it must agree with the name match.
  if (f(r, 'kommunenummer_2020_2023')) {
    assert(f(r, 'kommunenummer_2020_2023') === number2020, `${number}: 2020 number mismatch`);
  }
  assert(ko23[number]?.kommunenavn === f(r, 'kommunenavn_valgresultat'), `${number}: name differs from ko-2023`);
  municipalities.push({
    number,
    name: f(r, 'kommunenavn_valgresultat'),
    county_number: f(r, 'fylkesnummer'),
    county_name: f(r, 'fylkesnavn'),
    watch: f(r, 'slow_transfer_2023') === '1' ? 1 : 0,
    number2020,
    electorate: 0,
    electorateSource: '',
    council_size: 0,
  });
}
municipalities.sort(byKeys((m) => m.number));
assert(new Set(municipalities.map((m) => m.number)).size === 357, 'duplicate municipality numbers');
assert(used2020.size === 356, 'not every 2020-2023 municipality was matched');
assert(municipalities.filter((m) => m.watch).length === 27, 'watch list is not 27');
assert(Object.keys(ko23).length === 357 && municipalities.every((m) => ko23[m.number]), 'ko-2023 coverage');
const byNumber = new Map(municipalities.map((m) => [m.number, m]));
const to2024 = new Map(municipalities.filter((m) => m.number2020).map((m) => [m.number2020, m.number]));

// ---------- Haram / Ålesund split of the 2019 Ålesund (2020-2023) kretser ----------

// 2019 "Ålesund" (1507) covered today's Ålesund and Haram. Split its kretser by place names; every krets
// must hit exactly one side, otherwise the split is not clean and the build stops.
const HARAM_PLACES = ['Brattvåg', 'Hildre', 'Vatne', 'Tennfjord', 'Lepsøy', 'Haramsøy', 'Longva', 'Fjørtoft',
  'Fjørtofta', 'Flemsøy', 'Skuløy', 'Søvik', 'Grytastranda', 'Nordøyane'];
const ALESUND_PLACES = ['Hessa', 'Skarbøvik', 'Aspøy', 'Sentrum', 'Nørvøy', 'Nørvasund', 'Hatlane', 'Spjelkavik',
  'Åse', 'Lerstad', 'Borgund', 'Ellingsøy', 'Skodje', 'Ørskog', 'Sandøy'];
const alesund2020 = getOrThrow(byNumber, ALESUND, 'municipality').number2020;
const sideOf = new Map<string, string>(); // 2019 krets nr in 1507 -> 2024 municipality
for (const k of kretserOf19(alesund2020)) {
  if (k.nr === '0000') continue;
  const words = k.name.split(/[^\p{L}]+/u);
  const h = HARAM_PLACES.some((p) => words.includes(p));
  const a = ALESUND_PLACES.some((p) => words.includes(p));
  assert(h !== a, `Ålesund 2019 krets ${k.nr} ${k.name} cannot be assigned to Haram or Ålesund`);
  sideOf.set(k.nr, h ? HARAM : ALESUND);
}
// Cross-check with the real 2025 Haram kretser (valgresultat.no entities): their names must all be
// Haram places, confirming the place lists above.
const haram2025 = entities2025.krets.filter((s) => s.startsWith('krets-15-1580-') && /^krets-15-1580-000[1-9]/.test(s));
assert(haram2025.length === 4, 'expected 4 Haram kretser in 2025 entities');

// ---------- electorate ----------

// Real figures where a primary source has them; otherwise estimated from turnout (see data/SOURCES.md).
const realElectorate = new Map<string, { value: number; source: string }>();
realElectorate.set('0301', {
  value: oslo23.reduce((a, r) => a + int(f(r, 'Antall stemmeberettigede'), 'oslo electorate'), 0),
  source: 'sum of the 101 krets electorates in valgkretser2023_oslo_wide.csv',
});
for (const r of keyFigures) {
  realElectorate.set(f(r, 'kommunenr'), {
    value: int(f(r, 'antallStemmeberettigede'), 'keyfigures'),
    source: 'valgprotokoll key figures (antallStemmeberettigede)',
  });
}
const electorateChecks: string[] = [];
for (const m of municipalities) {
  const t = getOrThrow(totals23, m.number, 'ko-2023 totals of');
  const fr = ko23At(m.number).frammote;
  assert(typeof fr === 'number' && fr > 0 && fr < 100, `${m.number}: bad frammote ${fr}`);
  // frammote = approved ballots (lists + blank) / electorate, so blanks belong in the numerator when known.
  const estimate = Math.round((t.listVotes + (t.blank ?? 0)) / (fr / 100));
  const real = realElectorate.get(m.number);
  if (real) {
    electorateChecks.push(
      `${m.number} ${m.name}: real ${real.value}, estimate ${estimate} ` +
        `(${(((estimate - real.value) / real.value) * 100).toFixed(2)} %), blanks ${t.blank === null ? 'unknown' : 'known'}`,
    );
    m.electorate = real.value;
    m.electorateSource = real.source;
  } else {
    m.electorate = estimate;
    m.electorateSource = 'estimate';
  }
  assert(m.electorate >= t.listVotes + (t.blank ?? 0), `${m.number}: electorate below the votes cast`);
}

// ---------- council sizes ----------

for (const r of seatsRows) {
  const m = byNumber.get(f(r, 'kommunenummer'));
  assert(m, `seats for unknown municipality ${f(r, 'kommunenummer')}`);
  m.council_size += int(f(r, 'seats'), 'seats');
}
for (const m of municipalities) {
  const declared = new Set(seatsRows.filter((r) => f(r, 'kommunenummer') === m.number).map((r) => f(r, 'council_size')));
  assert(declared.size === 1 && Number([...declared][0]) === m.council_size, `${m.number}: council size mismatch`);
  assert(m.council_size % 2 === 1 && m.council_size >= 11, `${m.number}: council size ${m.council_size}`);
}

// ---------- districts ----------

// A type, not an interface, so that its rows are CSV records (an interface has no index signature).
type District = {
  municipality: string;
  number: string;
  name: string;
  electorate: number;
  kind: 'advance' | 'election_day';
  source: '2023' | '2019' | '2019-split' | 'synthetic';
}
interface Source {
  list: { number: string; name: string; weight: number }[];
  source: District['source'];
}

// 2021 st electorates per krets (same krets structure as 2023 in Stavanger), used only to share out a 2019
// counting unit that was later split into several kretser.
function weights2021(m2024: string): Map<string, { name: string; el: number }> {
  const res = new Map<string, { name: string; el: number }>();
  for (const r of kretser27) {
    if (f(r, 'kommunenummer_2024') === m2024 && f(r, 'aar') === '2021') {
      res.set(f(r, 'kretsnr'), { name: f(r, 'kretsnavn'), el: int(f(r, 'antall_stemmeberettigede'), '2021 el') });
    }
  }
  return res;
}

// 2023 krets lists without electorate (Eigersund, Stavanger): weight = the 2019 electorate of the same krets
// (number and name, else name only). 2019 kretser left unmatched are pooled and shared out over the
// unmatched 2023 kretser by their 2021 electorate (evenly if that is missing too).
const weightNotes: string[] = [];
function weightsFrom2019(m: Municipality, list: { number: string; name: string }[]): Source['list'] {
  const old = kretserOf19(m.number2020).filter((k) => k.nr !== '0000');
  const usedOld = new Set<string>();
  const res = list.map((d) => {
    let hit = old.find((k) => k.nr === d.number && k.name === d.name && !usedOld.has(k.nr));
    hit ??= old.find((k) => k.name === d.name && !usedOld.has(k.nr));
    if (hit) usedOld.add(hit.nr);
    return { number: d.number, name: d.name, weight: hit ? hit.electorate : -1, from: hit?.nr };
  });
  const pool = old.filter((k) => !usedOld.has(k.nr));
  const open = res.filter((d) => d.weight < 0);
  const poolWeight = pool.reduce((a, k) => a + k.electorate, 0);
  if (open.length > 0) {
    const w21 = weights2021(m.number);
    const by21 = open.map((d) => {
      const w = w21.get(d.number);
      return w?.name === d.name ? w.el : 0;
    });
    const useEven = by21.some((x) => x === 0);
    const shares = largestRemainder(poolWeight, useEven ? open.map(() => 1) : by21, true);
    open.forEach((d, i) => (d.weight = atOrThrow(shares, i, 'share of district')));
    weightNotes.push(
      `${m.number} ${m.name}: 2023 kretser ${open.map((d) => `${d.number} ${d.name}`).join(', ')} have no 2019 match; ` +
        `the unmatched 2019 kretser ${pool.map((k) => `${k.nr} ${k.name} (${k.electorate})`).join(', ') || '(none)'} ` +
        `were shared out over them ${useEven ? 'evenly' : 'by their 2021 st electorate'}`,
    );
  } else if (pool.length > 0) {
    weightNotes.push(`${m.number} ${m.name}: 2019 kretser ${pool.map((k) => k.nr).join(', ')} have no 2023 counterpart`);
  }
  const renumbered = res.filter((d) => d.from && d.from !== d.number);
  if (renumbered.length > 0) {
    weightNotes.push(
      `${m.number} ${m.name}: matched by name with a different 2019 number: ` +
        renumbered.map((d) => `${d.number} ${d.name} <- 2019 ${d.from}`).join(', '),
    );
  }
  return res.map(({ number, name, weight }) => ({ number, name, weight }));
}

function es23Kretser(k: string): { number: string; name: string }[] {
  const seen = new Map<string, string>();
  for (const r of es23) if (f(r, 'kommunenr') === k && f(r, 'valgkrets_nr') !== '0000') seen.set(f(r, 'valgkrets_nr'), f(r, 'valgkrets_navn'));
  return [...seen].map(([number, name]) => ({ number, name })).sort(byKeys((d) => d.number));
}

function districtSource(m: Municipality): Source {
  if (m.number === '0301') {
    return {
      source: '2023',
      list: oslo23.map((r) => ({
        number: f(r, 'Kretsnummer'),
        name: f(r, 'Kretsnavn'),
        weight: int(f(r, 'Antall stemmeberettigede'), 'oslo el'),
      })),
    };
  }
  if (m.number === '1101' || m.number === '1103') {
    return { source: '2023', list: weightsFrom2019(m, es23Kretser(m.number)) };
  }
  if (m.number === HARAM || m.number === ALESUND) {
    const list = kretserOf19(alesund2020)
      .filter((k) => k.nr !== '0000' && sideOf.get(k.nr) === m.number)
      .map((k) => ({ number: k.nr, name: k.name, weight: k.electorate }));
    return { source: '2019-split', list };
  }
  const list = kretserOf19(m.number2020)
    .filter((k) => k.nr !== '0000')
    .map((k) => ({ number: k.nr, name: k.name, weight: k.electorate }));
  if (list.length === 0) {
    // The 2019 export has only krets 0000 "Hele kommunen": counted as one unit, no geographic kretser.
    return { source: 'synthetic', list: [{ number: '0001', name: 'Hele kommunen', weight: 1 }] };
  }
  return { source: '2019', list };
}

const districts: District[] = [];
const districtSourceOf = new Map<string, Source['source']>();
for (const m of municipalities) {
  const s = districtSource(m);
  assert(s.list.length > 0, `${m.number}: no districts`);
  const nums = s.list.map((d) => d.number);
  assert(new Set(nums).size === nums.length, `${m.number}: duplicate district numbers`);
  assert(nums.every((n) => /^\d{4}$/.test(n) && n !== '0000'), `${m.number}: bad district number`);
  const els = largestRemainder(m.electorate, s.list.map((d) => d.weight), true);
  districtSourceOf.set(m.number, s.source);
  districts.push({ municipality: m.number, number: '0000', name: 'Forhåndsstemmer', electorate: 0, kind: 'advance', source: 'synthetic' });
  s.list.forEach((d, i) =>
    districts.push({ municipality: m.number, number: d.number, name: d.name, electorate: atOrThrow(els, i, 'electorate of district'), kind: 'election_day', source: s.source }),
  );
}
districts.sort(byKeys((d) => d.municipality, (d) => d.number));

// Check the district lists of the 27 against the team's krets electorate file (its 2019 rows come from the
// same export; the 2023 Oslo rows from the Oslo file).
const checks27: string[] = [];
for (const m of municipalities.filter((x) => x.watch)) {
  const rows = kretser27.filter((r) => f(r, 'kommunenummer_2024') === m.number);
  const r19 = rows.filter((r) => f(r, 'aar') === '2019');
  const exp19 = kretserOf19(m.number2020);
  assert(
    r19.length === exp19.length &&
      r19.every((r) => {
        const k = krets19.get(`${m.number2020}/${f(r, 'kretsnr')}`);
        return k && k.name === f(r, 'kretsnavn') && k.electorate === int(f(r, 'antall_stemmeberettigede'), '27');
      }),
    `${m.number}: kretser_27 2019 rows disagree with valgkretser.csv`,
  );
  const mine = districts.filter((d) => d.municipality === m.number && d.kind === 'election_day');
  const src = districtSourceOf.get(m.number);
  if (src === '2019') {
    const exp = r19.filter((r) => f(r, 'kretsnr') !== '0000').map((r) => `${f(r, 'kretsnr')} ${f(r, 'kretsnavn')}`).sort();
    assert(JSON.stringify(exp) === JSON.stringify(mine.map((d) => `${d.number} ${d.name}`)), `${m.number}: district list != 2019 rows`);
  } else if (src === 'synthetic') {
    const [only, ...more] = r19;
    assert(only !== undefined && more.length === 0 && f(only, 'kretsnr') === '0000', `${m.number}: synthetic but 2019 has kretser`);
  } else {
    const r23 = rows.filter((r) => f(r, 'aar') === '2023');
    if (r23.length > 0) {
      assert(
        JSON.stringify(r23.map((r) => `${f(r, 'kretsnr')} ${f(r, 'kretsnavn')} ${f(r, 'antall_stemmeberettigede')}`).sort()) ===
          JSON.stringify(mine.map((d) => `${d.number} ${d.name} ${d.electorate}`)),
        `${m.number}: 2023 rows disagree`,
      );
    }
    const old = new Set(r19.filter((r) => f(r, 'kretsnr') !== '0000').map((r) => `${f(r, 'kretsnr')} ${f(r, 'kretsnavn')}`));
    const now = new Set(mine.map((d) => `${d.number} ${d.name}`));
    const gone = [...old].filter((x) => !now.has(x));
    const added = [...now].filter((x) => !old.has(x));
    checks27.push(`${m.number} ${m.name} (${src}): ${mine.length} districts vs ${old.size} in 2019; only 2019: ${gone.length ? gone.join('; ') : '-'}; only 2023: ${added.length ? added.join('; ') : '-'}`);
  }
}

// ---------- results ----------

const partyLists: { municipality: string; code: string; name: string }[] = [];
const results23: { municipality: string; code: string; votes: number }[] = [];
for (const m of municipalities) {
  for (const p of ko23At(m.number).partier) {
    partyLists.push({ municipality: m.number, code: p.kode, name: p.navn });
    results23.push({ municipality: m.number, code: p.kode, votes: p.stemmer });
  }
}
partyLists.sort(byKeys((r) => r.municipality, (r) => r.code));
results23.sort(byKeys((r) => r.municipality, (r) => r.code));

const results19: { municipality: string; code: string; name: string; votes: number; share: number }[] = [];
for (const [k, m] of Object.entries(ko19)) {
  assert(byNumber.has(k), `ko-2019 has unknown 2024 number ${k}`);
  for (const p of m.partier) results19.push({ municipality: k, code: p.kode, name: p.navn, votes: p.stemmer, share: p.prosent });
}
results19.sort(byKeys((r) => r.municipality, (r) => r.code));

const totalsRows: Record<string, string | number | null>[] = [];
for (const [year, map] of [['2019', totals19], ['2023', totals23]] as const) {
  for (const [k, t] of map) {
    totalsRows.push({ year, municipality: k, list_votes: t.listVotes, blank_votes: t.blank, other_list_votes: t.other, andre_reported: t.andre });
  }
}
totalsRows.sort(byKeys((r) => String(r.year), (r) => String(r.municipality)));

// ---------- council seats ----------

const seats = seatsRows
  .map((r) => ({ municipality: f(r, 'kommunenummer'), code: f(r, 'party_code'), seats: int(f(r, 'seats'), 'seats') }))
  .sort(byKeys((r) => r.municipality, (r) => r.code));
assert(new Set(seats.map((r) => `${r.municipality}/${r.code}`)).size === seats.length, 'duplicate seat rows');

// ---------- 2023 district results ----------

const dres23: { municipality: string; district: string; category: string; code: string; votes: number }[] = [];
const [osloFirst] = oslo23;
assert(osloFirst, 'valgkretser2023_oslo_wide.csv has no rows');
const osloCodes = Object.keys(osloFirst).slice(4);
assert(osloCodes.includes('BLANKE') && osloCodes.length === 22, 'unexpected Oslo columns');
for (const r of oslo23) {
  let sum = 0;
  for (const c of osloCodes) {
    const v = int(f(r, c), `oslo ${f(r, 'Kretsnummer')} ${c}`);
    sum += v;
    dres23.push({ municipality: '0301', district: f(r, 'Kretsnummer'), category: 'election_day', code: c, votes: v });
  }
  assert(sum === int(f(r, 'Antall valgtingstemmer totalt'), 'oslo total'), `Oslo ${f(r, 'Kretsnummer')}: parties != total`);
}
// Eigersund/Stavanger: stemmer_fhs is non-zero only in krets 0000. Krets 0000 also holds a few valgting votes
// counted centrally (stemmer_antall - stemmer_fhs, e.g. 2 SV votes in Eigersund): kept as election_day on 0000.
for (const r of es23) {
  const votes = int(f(r, 'stemmer_antall'), 'es votes');
  const fhs = int(f(r, 'stemmer_fhs'), 'es fhs');
  const base = { municipality: f(r, 'kommunenr'), district: f(r, 'valgkrets_nr'), code: f(r, 'parti_kode') };
  if (f(r, 'valgkrets_nr') === '0000') {
    assert(fhs <= votes, 'fhs > votes');
    dres23.push({ ...base, category: 'advance', votes: fhs });
    if (votes > fhs) dres23.push({ ...base, category: 'election_day', votes: votes - fhs });
  } else {
    assert(fhs === 0, `${f(r, 'kommunenr')}/${f(r, 'valgkrets_nr')}: advance votes outside krets 0000`);
    dres23.push({ ...base, category: 'election_day', votes });
  }
}
dres23.sort(byKeys((r) => r.municipality, (r) => r.district, (r) => r.category, (r) => r.code));
// Consistency with the kommune-level results: per-list totals equal ko-2023 for Eigersund/Stavanger, and
// Oslo's valgting votes never exceed the final totals.
for (const k of ['1101', '1103', '0301']) {
  const sums = new Map<string, number>();
  for (const r of dres23.filter((x) => x.municipality === k)) sums.set(r.code, (sums.get(r.code) ?? 0) + r.votes);
  const listSum = [...sums].filter(([c]) => c !== 'BLANKE').reduce((a, [, v]) => a + v, 0);
  for (const p of ko23At(k).partier) {
    if (p.kode === 'Andre') continue;
    const got = sums.get(p.kode) ?? 0;
    if (k === '0301') assert(got <= p.stemmer, `Oslo ${p.kode}: valgting ${got} > total ${p.stemmer}`);
    else assert(got === p.stemmer, `${k} ${p.kode}: district sum ${got} != ${p.stemmer}`);
  }
  if (k !== '0301') assert(listSum === getOrThrow(totals23, k, 'ko-2023 totals of').listVotes, `${k}: district list votes != kommune total`);
  const known = new Set(districts.filter((d) => d.municipality === k).map((d) => d.number));
  assert([...new Set(dres23.filter((x) => x.municipality === k).map((x) => x.district))].every((d) => known.has(d)), `${k}: unknown district`);
}

// ---------- 2019 district results (mapped to 2024 numbers) ----------

type Row19 = { municipality: string; district: string; code: string; advance_votes: number; election_day_votes: number };
const dres19: Row19[] = [];
const alesund0000: { code: string; adv: number; vt: number }[] = [];
for (const r of kretser19) {
  const k2020 = f(r, 'Kommunenummer');
  const nr = f(r, 'Stemmekretsnummer');
  const adv = int(f(r, 'Antall forhåndsstemmer'), 'adv');
  const vt = int(f(r, 'Antall valgtingstemmer'), 'vt');
  if (adv + vt === 0) continue;
  if (k2020 === alesund2020) {
    if (nr === '0000') {
      alesund0000.push({ code: f(r, 'Partikode'), adv, vt });
      continue;
    }
    dres19.push({ municipality: getOrThrow(sideOf, nr, 'Haram/Ålesund side of 2019 krets'), district: nr, code: f(r, 'Partikode'), advance_votes: adv, election_day_votes: vt });
    continue;
  }
  const k = to2024.get(k2020);
  assert(k, `2019 municipality ${k2020} has no 2024 number`);
  dres19.push({ municipality: k, district: nr, code: f(r, 'Partikode'), advance_votes: adv, election_day_votes: vt });
}
// Ålesund's 2019 krets 0000 (advance votes of today's Ålesund + Haram together) is split per list in
// proportion to that list's valgting votes in the Haram and Ålesund kretser (electorate ratio if a list had none).
const elSide = (side: string) =>
  [...sideOf].filter(([, s]) => s === side).reduce((a, [nr]) => a + krets19.get(`${alesund2020}/${nr}`)!.electorate, 0);
for (const { code, adv, vt } of alesund0000) {
  const side = (s: string) =>
    dres19.filter((x) => x.municipality === s && x.code === code).reduce((a, x) => a + x.election_day_votes, 0);
  let wH = side(HARAM);
  let wA = side(ALESUND);
  if (wH + wA === 0) [wH, wA] = [elSide(HARAM), elSide(ALESUND)];
  // largestRemainder gives one share per weight, so two here.
  const [aH, aA] = largestRemainder(adv, [wH, wA]) as [number, number];
  // As above: two weights, two shares.
  const [vH, vA] = largestRemainder(vt, [wH, wA]) as [number, number];
  if (aH + vH > 0) dres19.push({ municipality: HARAM, district: '0000', code, advance_votes: aH, election_day_votes: vH });
  if (aA + vA > 0) dres19.push({ municipality: ALESUND, district: '0000', code, advance_votes: aA, election_day_votes: vA });
}
dres19.sort(byKeys((r) => r.municipality, (r) => r.district, (r) => r.code));
// The krets file must reproduce ko-2019's municipality totals (checks the 2020 -> 2024 number mapping).
const mismatch19: string[] = [];
{
  const sums = new Map<string, number>();
  for (const r of dres19) if (r.code !== 'BLANKE') sums.set(r.municipality, (sums.get(r.municipality) ?? 0) + r.advance_votes + r.election_day_votes);
  const haramSum = sums.get(HARAM) ?? 0;
  for (const [k, t] of totals19) {
    const got = (sums.get(k) ?? 0) + (k === ALESUND ? haramSum : 0);
    if (got !== t.listVotes) mismatch19.push(`${k} ${getOrThrow(byNumber, k, 'municipality').name}: krets file ${got}, ko-2019 ${t.listVotes}`);
  }
}

// ---------- write ----------

rmSync(join(out, 'timing'), { recursive: true, force: true });
mkdirSync(join(out, 'timing'), { recursive: true });

writeCsv(
  'municipalities.csv',
  municipalities.map((m) => ({
    number: m.number,
    name: m.name,
    county_number: m.county_number,
    county_name: m.county_name,
    electorate: m.electorate,
    council_size: m.council_size,
    watch: m.watch,
    turnout_2019: ko19[m.number]?.frammote ?? null,
    turnout_2023: ko23At(m.number).frammote,
    number_2020_2023: m.number2020,
  })),
  ['number', 'name', 'county_number', 'county_name', 'electorate', 'council_size', 'watch', 'turnout_2019', 'turnout_2023', 'number_2020_2023'],
);
writeCsv('districts.csv', districts, ['municipality', 'number', 'name', 'electorate', 'kind', 'source']);
writeCsv('party-lists-2023.csv', partyLists, ['municipality', 'code', 'name']);
writeCsv('results-2023.csv', results23, ['municipality', 'code', 'votes']);
writeCsv('results-2019.csv', results19, ['municipality', 'code', 'name', 'votes', 'share']);
writeCsv('results-totals.csv', totalsRows, ['year', 'municipality', 'list_votes', 'blank_votes', 'other_list_votes', 'andre_reported']);
writeCsv('council-seats-2023.csv', seats, ['municipality', 'code', 'seats']);
writeCsv('district-results-2023.csv', dres23, ['municipality', 'district', 'category', 'code', 'votes']);
writeCsv('district-results-2019.csv', dres19, ['municipality', 'district', 'code', 'advance_votes', 'election_day_votes']);

function copy(from: string, to: string) {
  copyFileSync(join(src, from), join(out, to));
  const text = readFileSync(join(out, to), 'utf8');
  written.push({ file: to, rows: parseCsv(text).length, bytes: Buffer.byteLength(text) });
}
copy('derived/kommunestyrer_2023_listestemmetall_sample.csv', 'seat-test-vectors-2023.csv');
for (const f of readdirSync(join(src, 'derived')).sort()) {
  if (/^st20(21|25)_.*\.csv$/.test(f)) copy(join('derived', f), join('timing', f));
}

// ---------- summary ----------

const srcCount = new Map<string, number>();
for (const s of districtSourceOf.values()) srcCount.set(s, (srcCount.get(s) ?? 0) + 1);
console.log(`source: ${src}`);
for (const w of written) console.log(`${w.file.padEnd(58)} ${String(w.rows).padStart(6)} rows ${String(w.bytes).padStart(8)} bytes`);
console.log(`total bytes: ${written.reduce((a, w) => a + w.bytes, 0)}`);
console.log('district sources:', Object.fromEntries([...srcCount].sort()));
{
  // How wrong a plain sum over the kommune rows (Andre included) would be: it double-counts.
  const over = [...totals23].map(([k, t]) => ({ k, d: t.rowSum - t.listVotes - (t.blank ?? 0), r: t.rowSum / t.listVotes }));
  const worst = over.reduce((a, b) => (b.r > a.r ? b : a));
  console.log(`ko-2023 row sum > list votes in ${over.filter((o) => o.d > 0).length} municipalities; worst ${worst.k} x${worst.r.toFixed(2)}`);
  const shares = [...totals23.values()].flatMap((t) => (t.blank === null ? [] : [t.blank / (t.listVotes + t.blank)])).sort((a, b) => a - b);
  // Eigersund and Stavanger get their blanks above, so the list is not empty.
  console.log(`blank share where known (${shares.length}): min ${(shares[0]! * 100).toFixed(2)} %, median ${(shares[shares.length >> 1]! * 100).toFixed(2)} %, max ${(shares[shares.length - 1]! * 100).toFixed(2)} %`);
  // The electorate loop asserted every municipality's frammote a number.
  const fr = municipalities.map((m) => ko23At(m.number).frammote!).sort((a, b) => a - b);
  console.log(`frammote 2023: min ${fr[0]}, max ${fr[fr.length - 1]}; electorate estimates: ${municipalities.filter((m) => m.electorateSource === 'estimate').length}, with blanks known: ${municipalities.filter((m) => m.electorateSource === 'estimate' && getOrThrow(totals23, m.number, 'ko-2023 totals of').blank !== null).length}`);
  // Plausibility: 2023 electorate vs the 2019 ko krets electorate of the same territory.
  const el19 = (m: Municipality) =>
    m.number === HARAM || m.number === ALESUND
      ? [...sideOf].filter(([, s]) => s === m.number).reduce((a, [nr]) => a + krets19.get(`${alesund2020}/${nr}`)!.electorate, 0)
      : kretserOf19(m.number2020).reduce((a, k) => a + k.electorate, 0);
  const ratios = municipalities.map((m) => ({ m, r: m.electorate / el19(m) })).sort((a, b) => a.r - b.r);
  // 357 municipalities (asserted), so the middle one exists.
  console.log(`electorate 2023 / 2019: median ${ratios[ratios.length >> 1]!.r.toFixed(3)}; lowest ${ratios.slice(0, 5).map((x) => `${x.m.number} ${x.m.name} ${x.r.toFixed(3)}`).join(', ')}; highest ${ratios.slice(-5).map((x) => `${x.m.number} ${x.m.name} ${x.r.toFixed(3)}`).join(', ')}`);
}
{
  // Oslo: blanks are known for valgting only; applying that blank share to all ballots shows how much of the
  // estimate's gap to the real electorate is the missing blanks.
  const vt = oslo23.reduce((a, r) => a + int(f(r, 'Antall valgtingstemmer totalt'), 'vt'), 0);
  const bl = oslo23.reduce((a, r) => a + int(f(r, 'BLANKE'), 'bl'), 0);
  const oslo = getOrThrow(byNumber, '0301', 'municipality');
  // The electorate loop asserted every municipality's frammote (Oslo's too) a number.
  const est = getOrThrow(totals23, '0301', 'ko-2023 totals of').listVotes / (1 - bl / vt) / (ko23At('0301').frammote! / 100);
  console.log(`Oslo: valgting blank share ${((bl / vt) * 100).toFixed(2)} %; estimate with that share ${Math.round(est)} (${(((est - oslo.electorate) / oslo.electorate) * 100).toFixed(2)} % vs real)`);
}
console.log('electorate, real vs estimate:\n  ' + electorateChecks.join('\n  '));
console.log('district weights:\n  ' + weightNotes.join('\n  '));
console.log('27 check (non-2019 sources):\n  ' + checks27.join('\n  '));
const haramKretser = districts.filter((d) => d.municipality === HARAM && d.kind === 'election_day');
console.log(`Haram 2019-split kretser: ${haramKretser.map((d) => `${d.number} ${d.name}`).join('; ')}`);
console.log(`Haram 2025 kretser (entities): ${haram2025.join(', ')}`);
console.log(`2019 krets file vs ko-2019 list-vote totals, mismatches (${mismatch19.length}):\n  ` + mismatch19.join('\n  '));
