// npm run election:build [-- --out <dir>]: writes the election packages shipped in elections/ (or <dir>) from the reference data in data/
// (itself built from the team's research files by scripts/build-data.ts). Deterministic: the same data/ gives
// byte-identical packages. Every package it writes must pass the validator, or the build fails.
//   elections/ko2023/         Kommunestyrevalget 2023 as it happened (comparison: 2019; real district counts)
//   elections/ko2027-proeve/  a rehearsal of the 2027 municipal election on the 2024 municipality and county
//                             numbers, with made-up expected results (a fixed swing from 2023) to replay
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { ELECTIONS_DIR, readElectionPackage } from '../data/election-package.ts';
import { loadFinalResults2019, loadFinalResults2023, loadReferenceData2023, RESIDUAL_LIST, type FinalResult } from '../data/reference.ts';
import { parseCsv, toCsv } from '../lib/csv.ts';
import { getOrThrow } from '../lib/get-or-throw.ts';
import { formatIssue, packageColumns, PACKAGE_CSV_DELIMITER, PACKAGE_FILES, BLANK_CODE, SCENARIOS_DIR, scenarioFileName } from '../lib/election-package/validate.ts';
import type { Manifest } from '../lib/election-package/manifest.ts';
import type { ScenarioInput } from '../lib/contracts/scenario.ts';

type Row = Record<string, string | number>;
const outFlag = process.argv.indexOf('--out');
const outArg = outFlag >= 0 ? process.argv[outFlag + 1] : undefined;
const OUT_DIR = outArg ? path.resolve(outArg) : ELECTIONS_DIR;
const dataFile = (name: string) => new URL(`../data/${name}`, import.meta.url);
const readData = async (name: string) => parseCsv(await readFile(dataFile(name), 'utf8'));
/** A field of a data/ CSV row that must be there: a missing column is a broken data/, not a blank. */
function field(row: Record<string, string>, column: string): string {
  const value = row[column];
  if (value === undefined) throw new Error(`election:build: a row of data/ without ${column}`);
  return value;
}

async function writePackage(id: string, manifest: Manifest, files: Partial<Record<keyof typeof COLUMN_SOURCES, Row[]>>, scenarios: ScenarioInput[] = []): Promise<void> {
  const dir = path.join(OUT_DIR, id);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, PACKAGE_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const [key, rows] of Object.entries(files)) {
    if (!isColumnSource(key)) throw new Error(`election:build: no package file for ${key}`);
    const file = COLUMN_SOURCES[key];
    // Optional columns only where the rows have them.
    const columns = packageColumns(file, { optional: true }).filter((column) => rows.some((row) => column in row));
    await writeFile(path.join(dir, file), toCsv(rows, columns, { delimiter: PACKAGE_CSV_DELIMITER }));
  }
  if (scenarios.length > 0) await mkdir(path.join(dir, SCENARIOS_DIR));
  for (const scenario of scenarios) await writeFile(path.join(dir, scenarioFileName(scenario.name)), `${JSON.stringify(scenario, null, 2)}\n`);
  const check = await readElectionPackage(dir);
  if (!check.ok) throw new Error(`election:build wrote an invalid package ${id}:\n${check.issues.map(formatIssue).join('\n')}`);
  const replayScenarios = check.package.scenarios.size > 0 ? `, scenarios ${[...check.package.scenarios.keys()].join(', ')}` : '';
  console.log(`${id}: ${check.package.municipalities.length} municipalities, ${check.package.countingUnits.length} counting units, ${check.package.lists.length} lists, watchlist ${check.package.initialWatchlist.length}, polls close ${check.package.pollsCloseAt}${replayScenarios}`);
}

const COLUMN_SOURCES = {
  municipalities: PACKAGE_FILES.municipalities,
  countingUnits: PACKAGE_FILES.countingUnits,
  lists: PACKAGE_FILES.lists,
  councilSizes: PACKAGE_FILES.councilSizes,
  comparisonResults: PACKAGE_FILES.comparisonResults,
  arrival: PACKAGE_FILES.arrival,
  watchlist: PACKAGE_FILES.watchlist,
  expectedResults: PACKAGE_FILES.expectedResults,
  unitResults: PACKAGE_FILES.unitResults,
  pattern: PACKAGE_FILES.pattern,
} as const;
const isColumnSource = (key: string): key is keyof typeof COLUMN_SOURCES => Object.hasOwn(COLUMN_SOURCES, key);

const UNIT_KIND = { advance: 'forhånd', election_day: 'valgting' } as const;
const byNumber = (a: Row, b: Row) => String(a.Kommunenummer).localeCompare(String(b.Kommunenummer));

function resultRows(results: Map<string, FinalResult>, names: Map<string, string>): Row[] {
  return [...results.values()].sort((a, b) => a.municipality.localeCompare(b.municipality)).flatMap((r) => [
    ...Object.entries(r.votes).sort(([a], [b]) => a.localeCompare(b)).map(([code, votes]) => ({
      Kommunenummer: r.municipality, Partikode: code, Partinavn: code === RESIDUAL_LIST.code ? RESIDUAL_LIST.name : names.get(`${r.municipality}:${code}`) ?? code, 'Antall stemmer totalt': votes,
    })),
    ...(r.blank === null ? [] : [{ Kommunenummer: r.municipality, Partikode: BLANK_CODE, Partinavn: 'Blanke', 'Antall stemmer totalt': r.blank }]),
  ]);
}

const reference = await loadReferenceData2023();
const [finals2023, finals2019, municipalityRows, districtResults2023, districtResults2019] = await Promise.all([
  loadFinalResults2023(), loadFinalResults2019(), readData('municipalities.csv'), readData('district-results-2023.csv'), readData('district-results-2019.csv'),
]);
const listNames = new Map(reference.partyLists.map((l) => [`${l.municipality}:${l.code}`, l.name.trim()]));

const municipalities = (turnout: (number: string) => number, comparisonTurnout: (number: string) => number | null): Row[] => reference.municipalities.map((m) => ({
  Fylkenummer: m.countyNumber, Fylkenavn: m.countyName, Kommunenummer: m.number, Kommunenavn: m.name,
  'Antall stemmeberettigede': m.electorate, 'Forventet oppmøte prosent': turnout(m.number),
  'Oppmøte prosent sammenligningsvalg': comparisonTurnout(m.number) ?? '',
}));
/** A municipality's own turnout in the data, or null (a national stand-in is no comparison). */
const ownTurnout = (column: 'turnout_2019' | 'turnout_2023') => {
  const known = new Map(municipalityRows.filter((r) => r[column]).map((r) => [field(r, 'number'), Number(r[column])]));
  return (number: string) => known.get(number) ?? null;
};
const countingUnits: Row[] = reference.districts.map((d) => ({
  Kommunenummer: d.municipality, Stemmekretsnummer: d.number, Stemmekretsnavn: d.name, Stemmekretstype: UNIT_KIND[d.kind], 'Antall stemmeberettigede': d.electorate,
}));
const lists: Row[] = reference.partyLists.map((l) => ({ Kommunenummer: l.municipality, Partikode: l.code, Partinavn: l.name.trim() })).sort((a, b) => byNumber(a, b) || a.Partikode.localeCompare(b.Partikode));
const councilSizes: Row[] = reference.municipalities.map((m) => ({ Kommunenummer: m.number, 'Antall mandater': m.councilSize }));
const arrival: Row[] = reference.municipalities.map((m) => {
  const [p0, p10, p25, p50, p75, p90, p100] = m.arrivalMinutes;
  if (p0 === undefined || p10 === undefined || p25 === undefined || p50 === undefined || p75 === undefined || p90 === undefined || p100 === undefined) {
    throw new Error(`election:build: ${m.number} has no arrival curve in data/arrival-curves.csv`);
  }
  return { Kommunenummer: m.number, 'Forhånd minutter': m.advanceMinutes ?? 10, 'Valgting 0 %': p0, 'Valgting 10 %': p10, 'Valgting 25 %': p25, 'Valgting 50 %': p50, 'Valgting 75 %': p75, 'Valgting 90 %': p90, 'Valgting 100 %': p100 };
});

function unitCategory(category: string): keyof typeof UNIT_KIND {
  if (category !== 'advance' && category !== 'election_day') throw new Error(`election:build: district-results-2023.csv has category ${JSON.stringify(category)}`);
  return category;
}

/** District rows summed per counting unit: rows on "0000" are advance votes whatever their category. */
function unitResultRows(): Row[] {
  const sums = new Map<string, Row>();
  for (const r of districtResults2023) {
    const kind = r.district === '0000' ? 'forhånd' : UNIT_KIND[unitCategory(field(r, 'category'))];
    const key = `${r.municipality}:${r.district}:${kind}:${r.code}`;
    const row = sums.get(key) ?? { Kommunenummer: field(r, 'municipality'), Stemmekretsnummer: field(r, 'district'), Stemmekretstype: kind, Partikode: field(r, 'code'), 'Antall stemmer': 0 };
    row['Antall stemmer'] = Number(row['Antall stemmer']) + Number(r.votes);
    sums.set(key, row);
  }
  return [...sums.values()];
}

// ---------- ko2023: the night as it happened ----------
/** The replay of the 2023 night with its incidents (scenarios/2023.json, the package's default scenario). */
const SCENARIO_2023: ScenarioInput = {
  name: '2023',
  description:
    'Kommunestyrevalget 2023: the 27 watchlist municipalities count on time but their results transfer stalls from about 23:00 and drains after about 01:00; Oslo has counted 91 of 101 districts by 00:30 while about 35,000 ballots are published; Bergen has ten finished districts unpublished at 23:20; Voss holds its count to re-check every council ballot.',
  seed: '2023',
  countedLocally: [{ municipality: '0301', at: '00:30', districts: 91 }],
  transferBacklog: [
    { municipalities: ['0301'], from: '23:00', drainFrom: '01:00', drainPerMinute: 4, holdAdvance: true, publishCapBallots: 35_000 },
    { municipalities: ['4601'], from: '23:00', drainFrom: '01:05', drainPerMinute: 3, pendingAt: { at: '23:20', districts: 10 } },
    // Most of these finish counting by 23:00 on a normal night; their transfer stalls from about 22:30 so
    // that the national queue is growing by 23:00, as it was.
    { municipalities: 'watchlist', from: '22:30', drainFrom: '01:00', drainPerMinute: 2, jitterMinutes: 15 },
  ],
  hold: [{ municipality: '4621', from: '21:00', reason: 'alle stemmesedler til kommunestyrevalget telles på nytt', announce: true }],
};
const turnout2019 = new Map(municipalityRows.map((r) => [field(r, 'number'), r.turnout_2019 ? Number(r.turnout_2019) : 64.7]));
await writePackage('ko2023', {
  format: 1, id: 'ko2023', name: 'Kommunestyrevalget 2023', kind: 'municipal', electionDay: '2023-09-11', pollsClose: '21:00', timeZone: 'Europe/Oslo', comparisonYear: 2019,
  replayScenario: SCENARIO_2023.name,
}, {
  municipalities: municipalities((n) => getOrThrow(turnout2019, n, '2019 turnout of municipality'), ownTurnout('turnout_2019')),
  countingUnits, lists, councilSizes, arrival,
  comparisonResults: resultRows(finals2019, new Map(reference.referenceResults.filter((r) => r.year === 2019).map((r) => [`${r.municipality}:${r.code}`, r.name.trim()]))).filter((r) => r.Partikode !== BLANK_CODE),
  watchlist: reference.municipalities.filter((m) => m.watch).map((m) => ({ Kommunenummer: m.number, Begrunnelse: 'Treg overføring av resultater i 2023' })),
  expectedResults: resultRows(finals2023, listNames).map(({ Partinavn: _name, ...row }) => row),
  unitResults: unitResultRows(),
  pattern: districtResults2019.map((r) => ({
    Kommunenummer: field(r, 'municipality'), Stemmekretsnummer: field(r, 'district'), Partikode: field(r, 'code'), 'Antall forhåndsstemmer': field(r, 'advance_votes'), 'Antall valgtingstemmer': field(r, 'election_day_votes'),
  })),
}, [SCENARIO_2023]);

// ---------- ko2027-proeve: a rehearsal on the 2024 numbers ----------
/**
 * Made-up expected results for the rehearsal: 2023's final votes with a fixed swing per national party
 * (local lists unchanged), rounded down. Not a forecast: it only has to differ from 2023 and be reproducible.
 */
const REHEARSAL_SWING: Record<string, number> = { A: 0.9, H: 1.08, FRP: 1.2, SP: 0.8, SV: 1.05, RØDT: 1.1, V: 0.9, KRF: 0.95, MDG: 0.85 };
const rehearsal = new Map([...finals2023].map(([number, r]) => [number, {
  ...r, votes: Object.fromEntries(Object.entries(r.votes).map(([code, votes]) => [code, Math.floor(votes * (REHEARSAL_SWING[code] ?? 1))])),
}]));
const turnout2023 = new Map(municipalityRows.map((r) => [field(r, 'number'), r.turnout_2023 ? Number(r.turnout_2023) : 62.4]));
// One watched municipality per county: the one with the most voters (a rehearsal of the watchlist, not 2023's 27).
const largestPerCounty = new Map<string, (typeof reference.municipalities)[number]>();
for (const m of reference.municipalities) {
  const current = largestPerCounty.get(m.countyNumber);
  if (!current || m.electorate > current.electorate) largestPerCounty.set(m.countyNumber, m);
}
const rehearsalWatchlist = [...largestPerCounty.values()].sort((a, b) => a.number.localeCompare(b.number));
/**
 * The rehearsal's own night: two watched cities' transfer backs up and drains, one goes quiet for a while and
 * resumes. Everything is sent before the night ends, so the replay still ends with exactly the expected
 * results. The three are chosen by county (Østfold, Vestland, Trøndelag) among the watchlist above.
 */
const watchedIn = (county: string) => {
  const m = largestPerCounty.get(county);
  if (!m) throw new Error(`no municipality in county ${county} for the rehearsal scenario`);
  return m;
};
const [backlogA, backlogB, quiet] = [watchedIn('31'), watchedIn('46'), watchedIn('50')];
const SCENARIO_REHEARSAL: ScenarioInput = {
  name: 'proeve',
  description:
    `Prøvevalg 2027: the results transfer of ${backlogA.name} and ${backlogB.name} stalls from about 22:15 and drains from 23:30; ${quiet.name} goes quiet at 22:00 (no status, no results, no announcement) and sends what it has counted from 23:45.`,
  seed: 'ko2027-proeve',
  transferBacklog: [{ municipalities: [backlogA.number, backlogB.number], from: '22:15', drainFrom: '23:30', drainPerMinute: 3 }],
  // A hold that is not announced and ends is a silent stop that resumes: nothing is heard from `from` to
  // `until`, then the held results go out. `until` is after the municipality's last local count.
  hold: [{ municipality: quiet.number, from: '22:00', until: '23:45' }],
};
await writePackage('ko2027-proeve', {
  format: 1, id: 'ko2027-proeve', name: 'Prøvevalg – kommunestyrevalget 2027', kind: 'municipal', electionDay: '2027-09-13', pollsClose: '21:00', timeZone: 'Europe/Oslo',
  comparisonYear: 2023, rehearsal: true, replayScenario: SCENARIO_REHEARSAL.name,
}, {
  municipalities: municipalities((n) => getOrThrow(turnout2023, n, '2023 turnout of municipality'), ownTurnout('turnout_2023')),
  countingUnits, lists, councilSizes, arrival,
  comparisonResults: resultRows(finals2023, listNames).filter((r) => r.Partikode !== BLANK_CODE),
  watchlist: rehearsalWatchlist.map((m) => ({ Kommunenummer: m.number, Begrunnelse: `Prøve: største kommune i ${m.countyName}` })),
  expectedResults: resultRows(rehearsal, listNames).map(({ Partinavn: _name, ...row }) => row),
}, [SCENARIO_REHEARSAL]);
