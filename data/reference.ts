// Reads the committed reference data (this folder's CSV files, see SOURCES.md) into the shape the
// database seed takes. Only scripts/build-elections.ts uses it: the app loads elections from packages.
import { readFile } from 'node:fs/promises';
import type { ReferenceData } from '../db/reference-data.ts';
import { parseCsv } from '../lib/csv.ts';
import { POOLED_LISTS_CODE } from '../lib/domain/municipality.ts';

export const ELECTION_2023 = {
  id: 'ko2023',
  name: 'Kommunestyrevalget 2023',
  electionDay: '2023-09-11',
  pollsCloseAt: '2023-09-11T21:00:00+02:00',
  kind: 'municipal',
  timeZone: 'Europe/Oslo',
  comparisonYear: 2019,
  packageHash: null,
} as const;

/** Turnout in the 2019 municipal election nationally, for a municipality without its own 2019 figure. */
const NATIONAL_TURNOUT_2019 = 64.7;

async function readRows(file: string): Promise<Record<string, string>[]> {
  return parseCsv(await readFile(new URL(file, import.meta.url), 'utf8'));
}

function field(row: Record<string, string>, name: string): string {
  const value = row[name];
  if (value === undefined) throw new Error(`reference data: missing column ${name}`);
  return value;
}

function integer(row: Record<string, string>, name: string): number {
  const value = Number(field(row, name));
  if (!Number.isInteger(value)) throw new Error(`reference data: ${name}=${row[name]} is not a whole number`);
  return value;
}

/**
 * The source's "Andre" row pools every list outside the nine national parties, including lists that also
 * have a row of their own, and "BLANKE" is blank ballots, not a list. So: keep the real lists, drop those
 * two, and add one list "ANDRE" holding the votes of lists without a row of their own (results-totals.csv).
 */
const SOURCE_AGGREGATE_CODES = new Set(['Andre', 'BLANKE']);
export const RESIDUAL_LIST = { code: POOLED_LISTS_CODE, name: 'Andre lister' } as const;

export interface FinalResult {
  municipality: string;
  /** Votes per list code, with RESIDUAL_LIST for lists the source does not itemise. */
  votes: Record<string, number>;
  listVotes: number;
  /** Blank ballots where the source has them, else null. */
  blank: number | null;
}

async function loadFinalResults(year: 2019 | 2023): Promise<Map<string, FinalResult>> {
  const [rows, totals] = await Promise.all([readRows(`./results-${year}.csv`), readRows('./results-totals.csv')]);
  const results = new Map<string, FinalResult>();
  for (const row of totals) {
    if (Number(field(row, 'year')) !== year) continue;
    const municipality = field(row, 'municipality');
    const other = Number(row.other_list_votes || 0);
    results.set(municipality, {
      municipality,
      votes: other > 0 ? { [RESIDUAL_LIST.code]: other } : {},
      listVotes: integer(row, 'list_votes'),
      blank: row.blank_votes ? Number(row.blank_votes) : null,
    });
  }
  for (const row of rows) {
    const code = field(row, 'code');
    if (SOURCE_AGGREGATE_CODES.has(code)) continue;
    const result = results.get(field(row, 'municipality'));
    if (!result) throw new Error(`results-${year}: no totals for municipality ${row.municipality}`);
    result.votes[code] = integer(row, 'votes');
  }
  for (const result of results.values()) {
    const sum = Object.values(result.votes).reduce((a, b) => a + b, 0);
    if (sum !== result.listVotes) throw new Error(`results-${year} ${result.municipality}: lists add up to ${sum}, not ${result.listVotes}`);
  }
  return results;
}

export const loadFinalResults2023 = () => loadFinalResults(2023);
export const loadFinalResults2019 = () => loadFinalResults(2019);

export async function loadReferenceData2023(): Promise<ReferenceData> {
  const [municipalities, districts, partyListRows, results2023, results2019, rows2019, curves, advance] = await Promise.all([
    readRows('./municipalities.csv'),
    readRows('./districts.csv'),
    readRows('./party-lists-2023.csv'),
    loadFinalResults2023(),
    loadFinalResults2019(),
    readRows('./results-2019.csv'),
    readRows('./arrival-curves.csv'),
    readRows('./advance-arrival.csv'),
  ]);
  const curveOf = new Map(curves.map((row) => [field(row, 'municipality'), ['p0', 'p10', 'p25', 'p50', 'p75', 'p90', 'p100'].map((k) => Number(field(row, k)))]));
  const advanceOf = new Map(advance.map((row) => [field(row, 'municipality'), Number(field(row, 'minutes'))]));
  const partyLists = partyListRows.filter((row) => !SOURCE_AGGREGATE_CODES.has(field(row, 'code')));
  for (const result of results2023.values()) {
    if (result.votes[RESIDUAL_LIST.code] !== undefined) partyLists.push({ municipality: result.municipality, ...RESIDUAL_LIST });
  }
  const listNames = new Map(partyLists.map((row) => [`${field(row, 'municipality')}:${field(row, 'code')}`, field(row, 'name')]));
  const names2019 = new Map(rows2019.map((row) => [`${field(row, 'municipality')}:${field(row, 'code')}`, field(row, 'name')]));
  const referenceRows = (year: number, results: Map<string, FinalResult>, names: Map<string, string>) =>
    [...results.values()].flatMap((result) =>
      Object.entries(result.votes).map(([code, votes]) => ({
        municipality: result.municipality, year, code, votes,
        name: code === RESIDUAL_LIST.code ? RESIDUAL_LIST.name : names.get(`${result.municipality}:${code}`) ?? code,
      })),
    );
  return {
    election: ELECTION_2023,
    municipalities: municipalities.map((row) => ({
      number: field(row, 'number'),
      name: field(row, 'name'),
      countyNumber: field(row, 'county_number'),
      countyName: field(row, 'county_name'),
      electorate: integer(row, 'electorate'),
      councilSize: integer(row, 'council_size'),
      expectedTurnout: row.turnout_2019 ? Number(row.turnout_2019) : NATIONAL_TURNOUT_2019,
      // The comparison only where the municipality's own 2019 figure is known; the national one is no comparison.
      comparisonTurnout: row.turnout_2019 ? Number(row.turnout_2019) : null,
      watch: field(row, 'watch') === '1',
      arrivalMinutes: curveOf.get(field(row, 'number')) ?? [],
      advanceMinutes: advanceOf.get(field(row, 'number')) ?? null,
    })),
    districts: districts.map((row) => {
      const kind = field(row, 'kind');
      if (kind !== 'advance' && kind !== 'election_day') throw new Error(`reference data: district kind ${kind}`);
      return { municipality: field(row, 'municipality'), number: field(row, 'number'), name: field(row, 'name'), electorate: integer(row, 'electorate'), kind };
    }),
    partyLists: partyLists.map((row) => ({ municipality: field(row, 'municipality'), code: field(row, 'code'), name: field(row, 'name') })),
    referenceResults: [...referenceRows(2023, results2023, listNames), ...referenceRows(2019, results2019, names2019)],
  };
}
