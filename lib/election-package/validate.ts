// Validation of a whole election package (docs/election-packages.md): the manifest and every CSV file, each
// problem as file, line, column and reason, so that an import can refuse a package before it writes anything.
// Pure: it takes the files' text (null for a file that is absent) and returns the package or every issue.
import { CsvSyntaxError, parseCsvTable } from '../csv.ts';
import { ZScenario, type ScenarioInput } from '../contracts/scenario.ts';
import { SCENARIO_NAME, SCENARIO_NAME_RULE, ZManifest, type Manifest } from './manifest.ts';
import { zonedTimeToInstant } from './zoned-time.ts';
import { errorMessage } from '../error-message.ts';

export interface PackageIssue {
  file: string;
  /** 1-based line; 1 is the header of a CSV file. */
  line: number;
  /** Column header (CSV) or field name (manifest); '' when the problem is the whole file. */
  column: string;
  reason: string;
}

export type CountingUnitKind = 'advance' | 'election_day';

export interface ElectionPackage {
  manifest: Manifest;
  /** The instant the polls close (manifest's local time in its time zone). */
  pollsCloseAt: string;
  municipalities: Array<{ number: string; name: string; countyNumber: string; countyName: string; electorate: number; expectedTurnout: number; comparisonTurnout: number | null }>;
  countingUnits: Array<{ municipality: string; number: string; name: string; kind: CountingUnitKind; electorate: number }>;
  lists: Array<{ municipality: string; code: string; name: string }>;
  /** Council size per municipality; empty unless the kind is municipal. */
  councilSizes: Map<string, number>;
  comparisonResults: Array<{ municipality: string; code: string; name: string; votes: number }>;
  /** Expected arrival schedule: minutes after the polls close. */
  arrival: Map<string, { advanceMinutes: number; quantiles: [number, number, number, number, number, number, number] }>;
  /** The municipalities on the watchlist when the night starts, with the package's reason. */
  initialWatchlist: Array<{ municipality: string; reason: string }>;
  /** What a replay of this election sends; null when the package has no expected results. */
  replay: ElectionReplayData | null;
  /** The package's replay scenarios (scenarios/<name>.json) by name, as written; the manifest may name the default. */
  scenarios: Map<string, ScenarioInput>;
}

export interface ElectionReplayData {
  /** Final votes per municipality and list code; blank ballots where known. */
  results: Map<string, { votes: Record<string, number>; blank: number | null }>;
  unitResults: Array<{ municipality: string; unit: string; kind: CountingUnitKind; code: string; votes: number }>;
  pattern: Array<{ municipality: string; unit: string; code: string; advance: number; electionDay: number }>;
}

/** Code of blank ballots in results files, as in Valgdirektoratet's exports. */
export const BLANK_CODE = 'BLANKE';

export const PACKAGE_FILES = {
  manifest: 'manifest.json',
  municipalities: 'municipalities.csv',
  countingUnits: 'counting-units.csv',
  lists: 'lists.csv',
  councilSizes: 'council-sizes.csv',
  comparisonResults: 'comparison-results.csv',
  arrival: 'arrival-schedule.csv',
  watchlist: 'watchlist.csv',
  expectedResults: 'expected-results.csv',
  unitResults: 'counting-unit-results.csv',
  pattern: 'counting-unit-pattern.csv',
} as const;
export type PackageFileName = (typeof PACKAGE_FILES)[keyof typeof PACKAGE_FILES];

/** Replay scenarios live in a folder of the package, one JSON file (lib/contracts/scenario.ts) each. */
export const SCENARIOS_DIR = 'scenarios';
export type ScenarioFileName = `${typeof SCENARIOS_DIR}/${string}.json`;
export const scenarioFileName = (name: string): ScenarioFileName => `${SCENARIOS_DIR}/${name}.json`;
const isScenarioFile = (file: string): file is ScenarioFileName => file.startsWith(`${SCENARIOS_DIR}/`) && file.endsWith('.json');

/** A package's files' text by name; null or absent = the file is missing. */
export type PackageFiles = Partial<Record<PackageFileName, string | null>> & { [file: ScenarioFileName]: string | null | undefined };

/** Valgdirektoratet's exports are semicolon-separated. */
export const PACKAGE_CSV_DELIMITER = ';';

class Invalid {
  constructor(readonly reason: string) {}
}
/** A cell's parser: the typed value, or why the cell is invalid. */
type Parse<T> = (raw: string) => T | Invalid;

const pattern = (re: RegExp, reason: string): Parse<string> => (raw) => (re.test(raw) ? raw : new Invalid(reason));
const municipalityNumber = pattern(/^\d{4}$/, 'must be a 4-digit municipality number, e.g. 0301');
const countyNumber = pattern(/^\d{2}$/, 'must be a 2-digit county number, e.g. 03');
const unitNumber = pattern(/^\d{4}$/, 'must be a 4-digit counting unit number, e.g. 0101');
const listCode = pattern(/^[\p{L}\p{N}_-]{1,40}$/u, 'must be a list code of 1–40 letters, digits, "_" or "-"');
const text: Parse<string> = (raw) => (raw.trim() === '' ? new Invalid('must not be empty') : raw !== raw.trim() ? new Invalid('has leading or trailing spaces') : raw.length > 200 ? new Invalid('is longer than 200 characters') : raw);
const optionalText: Parse<string> = (raw) => (raw === '' ? '' : text(raw));
const count: Parse<number> = (raw) => (/^\d{1,9}$/.test(raw) ? Number(raw) : new Invalid('must be a whole number ≥ 0'));
const decimal = (min: number, max: number): Parse<number> => (raw) => {
  const value = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  return Number.isFinite(value) && value >= min && value <= max ? value : new Invalid(`must be a number from ${min} to ${max} with "." as decimal point`);
};
const unitKind: Parse<CountingUnitKind> = (raw) => (raw === 'forhånd' ? 'advance' : raw === 'valgting' ? 'election_day' : new Invalid('must be "forhånd" or "valgting"'));

interface Column<T> { header: string; parse: Parse<T>; optional?: true }
type Columns = Record<string, Column<unknown>>;
const col = <T>(header: string, parse: Parse<T>): Column<T> => ({ header, parse });
/** A column a package may leave out (older packages do); an empty cell, or no column, reads as null. */
const optionalCol = <T>(header: string, parse: Parse<T>): Column<T | null> => ({ header, parse: (raw: string) => (raw === '' ? null : parse(raw)), optional: true });

const MINUTES = decimal(0, 24 * 60);
const SPECS = {
  [PACKAGE_FILES.municipalities]: {
    number: col('Kommunenummer', municipalityNumber), name: col('Kommunenavn', text),
    countyNumber: col('Fylkenummer', countyNumber), countyName: col('Fylkenavn', text),
    electorate: col('Antall stemmeberettigede', count), expectedTurnout: col('Forventet oppmøte prosent', decimal(0, 100)),
    comparisonTurnout: optionalCol('Oppmøte prosent sammenligningsvalg', decimal(0, 100)),
  },
  [PACKAGE_FILES.countingUnits]: {
    municipality: col('Kommunenummer', municipalityNumber), number: col('Stemmekretsnummer', unitNumber),
    name: col('Stemmekretsnavn', text), kind: col('Stemmekretstype', unitKind), electorate: col('Antall stemmeberettigede', count),
  },
  [PACKAGE_FILES.lists]: { municipality: col('Kommunenummer', municipalityNumber), code: col('Partikode', listCode), name: col('Partinavn', text) },
  [PACKAGE_FILES.councilSizes]: { municipality: col('Kommunenummer', municipalityNumber), seats: col('Antall mandater', count) },
  [PACKAGE_FILES.comparisonResults]: {
    municipality: col('Kommunenummer', municipalityNumber), code: col('Partikode', listCode), name: col('Partinavn', text), votes: col('Antall stemmer totalt', count),
  },
  [PACKAGE_FILES.arrival]: {
    municipality: col('Kommunenummer', municipalityNumber), advanceMinutes: col('Forhånd minutter', MINUTES),
    p0: col('Valgting 0 %', MINUTES), p10: col('Valgting 10 %', MINUTES), p25: col('Valgting 25 %', MINUTES), p50: col('Valgting 50 %', MINUTES),
    p75: col('Valgting 75 %', MINUTES), p90: col('Valgting 90 %', MINUTES), p100: col('Valgting 100 %', MINUTES),
  },
  [PACKAGE_FILES.watchlist]: { municipality: col('Kommunenummer', municipalityNumber), reason: col('Begrunnelse', optionalText) },
  [PACKAGE_FILES.expectedResults]: { municipality: col('Kommunenummer', municipalityNumber), code: col('Partikode', listCode), votes: col('Antall stemmer totalt', count) },
  [PACKAGE_FILES.unitResults]: {
    municipality: col('Kommunenummer', municipalityNumber), unit: col('Stemmekretsnummer', unitNumber), kind: col('Stemmekretstype', unitKind),
    code: col('Partikode', listCode), votes: col('Antall stemmer', count),
  },
  [PACKAGE_FILES.pattern]: {
    municipality: col('Kommunenummer', municipalityNumber), unit: col('Stemmekretsnummer', unitNumber), code: col('Partikode', listCode),
    advance: col('Antall forhåndsstemmer', count), electionDay: col('Antall valgtingstemmer', count),
  },
} satisfies Partial<Record<PackageFileName, Columns>>;
type CsvFile = keyof typeof SPECS;
/** A valid row of a CSV file: each column's parsed value, and the row's line. */
type RowOf<F extends CsvFile> = { [K in keyof (typeof SPECS)[F]]: (typeof SPECS)[F][K] extends Column<infer T> ? T : never } & { line: number };
const columnsOf = (file: CsvFile): Columns => SPECS[file];

/** The column headers of a CSV file, in this order (for docs and the package builder); optional ones only if asked. */
export function packageColumns(file: CsvFile, { optional = false }: { optional?: boolean } = {}): string[] {
  return Object.values(columnsOf(file)).filter((c) => optional || !c.optional).map((c) => c.header);
}

/** Where a manifest field is written, so the issue can name its line. */
function manifestLine(textOfManifest: string, field: string): number {
  const index = textOfManifest.indexOf(`"${field}"`);
  return index < 0 ? 1 : textOfManifest.slice(0, index).split('\n').length;
}

/** A JSON file's value (boxed: `null` is valid JSON), or null with the issue when it is not valid JSON. */
function parseJsonFile(file: string, source: string, issues: PackageIssue[]): { json: unknown } | null {
  try {
    return { json: JSON.parse(source) };
  } catch (error) {
    issues.push({ file, line: 1, column: '', reason: `not valid JSON: ${errorMessage(error)}` });
    return null;
  }
}

function readManifest(source: string | null, issues: PackageIssue[]): Manifest | null {
  const file = PACKAGE_FILES.manifest;
  if (source === null) {
    issues.push({ file, line: 1, column: '', reason: 'file is missing' });
    return null;
  }
  const read = parseJsonFile(file, source, issues);
  if (!read) return null;
  const parsed = ZManifest.safeParse(read.json);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [issue.path.join('.')];
    for (const key of keys) {
      issues.push({ file, line: manifestLine(source, key.split('.')[0] ?? key), column: key, reason: issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message });
    }
  }
  return null;
}

/**
 * The line of each value in a valid JSON text by path ("transferBacklog.2.drainFrom"; an object member's
 * line is its key's), so that a problem found after parsing can say where it is written.
 */
function jsonLines(source: string): Map<string, number> {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;
  const skip = () => {
    while (i < source.length && /\s/.test(source.charAt(i))) if (source[i++] === '\n') line += 1;
  };
  const string = (): string => {
    const start = i++;
    while (source[i] !== '"') i += source[i] === '\\' ? 2 : 1;
    // The slice is one JSON string literal, quote to quote, so it parses to a string.
    return JSON.parse(source.slice(start, ++i)) as string;
  };
  const child = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));
  const value = (path: string): void => {
    skip();
    if (!lines.has(path)) lines.set(path, line);
    const open = source[i];
    if (open === '{' || open === '[') {
      i += 1;
      for (let index = 0; ; index += 1) {
        skip();
        if (source[i] === '}' || source[i] === ']') break;
        if (open === '{') {
          const keyLine = line;
          const key = string();
          lines.set(child(path, key), keyLine);
          skip();
          i += 1; // ':'
          value(child(path, key));
        } else value(child(path, index));
        skip();
        if (source[i] === ',') i += 1;
      }
      i += 1;
    } else if (open === '"') string();
    else while (i < source.length && !/[\s,\]}]/.test(source.charAt(i))) i += 1;
  };
  value('');
  return lines;
}

/** The line where `path` (or the nearest enclosing value that is written) is. */
function lineOf(lines: Map<string, number>, path: ReadonlyArray<PropertyKey>): number {
  for (let n = path.length; n > 0; n -= 1) {
    const line = lines.get(path.slice(0, n).map(String).join('.'));
    if (line !== undefined) return line;
  }
  return 1;
}

/**
 * One scenario file: valid JSON, a valid scenario (ZScenario) named as its file, naming only municipalities
 * of the package. Null when it has a problem (then reported as file, line, field path and reason).
 */
function readScenario(file: ScenarioFileName, source: string, known: Set<string>, issues: PackageIssue[]): ScenarioInput | null {
  const fileName = file.slice(SCENARIOS_DIR.length + 1, -'.json'.length);
  if (!SCENARIO_NAME.test(fileName)) {
    issues.push({ file, line: 1, column: '', reason: `the file name ${SCENARIO_NAME_RULE} (it is the scenario's name)` });
    return null;
  }
  const read = parseJsonFile(file, source, issues);
  if (!read) return null;
  const lines = jsonLines(source);
  const before = issues.length;
  const parsed = ZScenario.safeParse(read.json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
      for (const path of paths) {
        // A union (a night time, a municipality list) says only "Invalid input"; its last alternative says what is wanted.
        const reason = issue.code === 'unrecognized_keys' ? 'unknown field' : issue.code === 'invalid_union' ? (issue.errors.at(-1)?.[0]?.message ?? issue.message) : issue.message;
        issues.push({ file, line: lineOf(lines, path), column: path.map(String).join('.'), reason });
      }
    }
    return null;
  }
  const scenario = parsed.data;
  if (scenario.name !== fileName) issues.push({ file, line: lineOf(lines, ['name']), column: 'name', reason: `must be "${fileName}", the file's name (--scenario looks it up by that)` });
  const references: Array<[Array<string | number>, string]> = [
    ...(Array.isArray(scenario.municipalities) ? scenario.municipalities.map((m, i): [Array<string | number>, string] => [['municipalities', i], m]) : []),
    ...scenario.countedLocally.map((c, i): [Array<string | number>, string] => [['countedLocally', i, 'municipality'], c.municipality]),
    ...scenario.transferBacklog.flatMap((b, i) => (Array.isArray(b.municipalities) ? b.municipalities.map((m, j): [Array<string | number>, string] => [['transferBacklog', i, 'municipalities', j], m]) : [])),
    ...scenario.hold.map((h, i): [Array<string | number>, string] => [['hold', i, 'municipality'], h.municipality]),
    ...scenario.silentStop.map((s, i): [Array<string | number>, string] => [['silentStop', i, 'municipality'], s.municipality]),
  ];
  for (const [path, municipality] of references) {
    if (!known.has(municipality)) issues.push({ file, line: lineOf(lines, path), column: path.join('.'), reason: `unknown municipality ${municipality} (not in ${PACKAGE_FILES.municipalities})` });
  }
  // ZScenario accepted the JSON, so it is a scenario's input; it is kept as written (not ZScenario's output
  // with defaults filled in), as the package stores it.
  return issues.length === before ? (read.json as ScenarioInput) : null;
}

/** Parses one CSV file against its columns; bad cells become issues and their rows are dropped. */
function readCsv<F extends CsvFile>(file: F, source: string, issues: PackageIssue[]): Array<RowOf<F>> {
  const columns = Object.entries(columnsOf(file));
  let table;
  try {
    table = parseCsvTable(source, { delimiter: PACKAGE_CSV_DELIMITER });
  } catch (error) {
    issues.push({ file, line: error instanceof CsvSyntaxError ? error.line : 1, column: '', reason: errorMessage(error).replace(/^line \d+: /, '') });
    return [];
  }
  const position = new Map(table.header.map((h, i) => [h, i]));
  let headerOk = true;
  for (const [, { header, optional }] of columns) {
    if (!optional && !position.has(header)) {
      issues.push({ file, line: 1, column: header, reason: `missing column (the header must have: ${columns.filter(([, c]) => !c.optional).map(([, c]) => c.header).join(';')})` });
      headerOk = false;
    }
  }
  const known = new Set(columns.map(([, c]) => c.header));
  table.header.forEach((h, i) => {
    if (!known.has(h)) {
      issues.push({ file, line: 1, column: h || `#${i + 1}`, reason: 'unknown column' });
      headerOk = false;
    } else if (table.header.indexOf(h) !== i) {
      issues.push({ file, line: 1, column: h, reason: 'column appears twice' });
      headerOk = false;
    }
  });
  if (!headerOk) return [];
  const rows: Array<RowOf<F>> = [];
  for (const { line, fields } of table.rows) {
    if (fields.length !== table.header.length) {
      issues.push({ file, line, column: table.header[Math.min(fields.length, table.header.length - 1)] ?? '', reason: `${fields.length} fields, the header has ${table.header.length}` });
      continue;
    }
    const row: Record<string, unknown> = { line };
    let ok = true;
    for (const [field, { header, parse }] of columns) {
      const at = position.get(header);
      // An optional column the file leaves out.
      if (at === undefined) {
        row[field] = null;
        continue;
      }
      // `at` is a position in the header, and this row has as many fields as the header (checked above).
      const value = parse(fields[at]!);
      if (value instanceof Invalid) {
        issues.push({ file, line, column: header, reason: `${JSON.stringify(fields[at])} ${value.reason}` });
        ok = false;
      } else row[field] = value;
    }
    // Every column of the file's spec was set from its parser (or null when optional and absent).
    if (ok) rows.push(row as RowOf<F>);
  }
  return rows;
}

/** Flags rows whose key repeats an earlier row's, naming that row's line. */
function unique<R extends { line: number }>(file: string, rows: R[], column: string, key: (row: R) => string, issues: PackageIssue[]): R[] {
  const seen = new Map<string, number>();
  return rows.filter((row) => {
    const k = key(row);
    const first = seen.get(k);
    if (first !== undefined) {
      issues.push({ file, line: row.line, column, reason: `duplicate of line ${first}` });
      return false;
    }
    seen.set(k, row.line);
    return true;
  });
}

/**
 * Validates a package from its files' text (keyed by file name; null or absent = file missing) and returns
 * the package, or every issue found (sorted by file and line). Nothing is partially accepted.
 */
export function validatePackage(files: PackageFiles): { ok: true; package: ElectionPackage } | { ok: false; issues: PackageIssue[] } {
  const issues: PackageIssue[] = [];
  const manifest = readManifest(files[PACKAGE_FILES.manifest] ?? null, issues);
  const read = <F extends CsvFile>(file: F, required: boolean | 'forbidden', why = ''): Array<RowOf<F>> | null => {
    const source = files[file] ?? null;
    if (source === null) {
      if (required === true) issues.push({ file, line: 1, column: '', reason: `file is missing${why}` });
      return null;
    }
    if (required === 'forbidden') {
      issues.push({ file, line: 1, column: '', reason: `must be absent${why}` });
      return null;
    }
    return readCsv(file, source, issues);
  };
  const municipal = manifest ? manifest.kind === 'municipal' : true;
  const F = PACKAGE_FILES;

  const municipalities = unique(F.municipalities, read(F.municipalities, true) ?? [], 'Kommunenummer', (r) => r.number, issues);
  const known = new Set(municipalities.map((m) => m.number));
  if (files[F.municipalities] && municipalities.length === 0 && !issues.some((i) => i.file === F.municipalities)) {
    issues.push({ file: F.municipalities, line: 1, column: '', reason: 'has no municipalities' });
  }
  /** Rows naming a municipality must name one in municipalities.csv. */
  const inPackage = <R extends { line: number; municipality: string }>(file: string, rows: R[] | null): R[] =>
    (rows ?? []).filter((row) => {
      if (known.has(row.municipality)) return true;
      issues.push({ file, line: row.line, column: 'Kommunenummer', reason: `unknown municipality ${row.municipality} (not in ${F.municipalities})` });
      return false;
    });
  /** Every municipality must appear in the file at least once. */
  const covers = (file: string, rows: Array<{ municipality: string }>, what: string) => {
    const present = new Set(rows.map((r) => r.municipality));
    for (const m of municipalities) {
      if (!present.has(m.number)) issues.push({ file, line: 1, column: 'Kommunenummer', reason: `municipality ${m.number} (${F.municipalities} line ${m.line}) has no ${what}` });
    }
  };

  const unitsRead = read(F.countingUnits, true);
  const units = unique(F.countingUnits, inPackage(F.countingUnits, unitsRead), 'Stemmekretsnummer', (r) => `${r.municipality}:${r.number}`, issues);
  if (unitsRead) {
    covers(F.countingUnits, units.filter((u) => u.kind === 'election_day'), 'election-day counting unit ("valgting")');
    const advance = new Map<string, number>();
    for (const unit of units.filter((u) => u.kind === 'advance')) {
      const first = advance.get(unit.municipality);
      if (first !== undefined) issues.push({ file: F.countingUnits, line: unit.line, column: 'Stemmekretstype', reason: `second advance counting unit of ${unit.municipality} (the first is on line ${first})` });
      else advance.set(unit.municipality, unit.line);
    }
    covers(F.countingUnits, units.filter((u) => u.kind === 'advance'), 'advance counting unit ("forhånd")');
  }
  const unitKeys = new Map(units.map((u) => [`${u.municipality}:${u.number}`, u.kind]));

  const listsRead = read(F.lists, true);
  const lists = unique(F.lists, inPackage(F.lists, listsRead), 'Partikode', (r) => `${r.municipality}:${r.code}`, issues);
  if (listsRead) covers(F.lists, lists, 'list');
  const listKeys = new Set(lists.map((l) => `${l.municipality}:${l.code}`));

  const seatsRead = read(F.councilSizes, municipal ? true : 'forbidden', municipal ? ' (a municipal election computes councils)' : ' (Valgvakt computes no seats for this kind)');
  const seats = unique(F.councilSizes, inPackage(F.councilSizes, seatsRead), 'Kommunenummer', (r) => r.municipality, issues);
  for (const row of seats) {
    if (row.seats < 1) issues.push({ file: F.councilSizes, line: row.line, column: 'Antall mandater', reason: 'a council has at least one seat' });
  }
  if (seatsRead) covers(F.councilSizes, seats, 'council size');

  const comparisonRequired = manifest?.comparisonYear === undefined ? 'forbidden' : true;
  const comparisonRead = read(F.comparisonResults, manifest ? comparisonRequired : false, manifest?.comparisonYear === undefined ? ' unless the manifest has comparisonYear' : ` (the manifest names comparisonYear ${manifest.comparisonYear})`);
  const comparison = unique(F.comparisonResults, inPackage(F.comparisonResults, comparisonRead), 'Partikode', (r) => `${r.municipality}:${r.code}`, issues);

  const replayWanted = (files[F.expectedResults] ?? null) !== null;
  const arrivalRead = read(F.arrival, replayWanted, ` (a replay needs the arrival schedule; ${F.expectedResults} is present)`);
  const arrival = unique(F.arrival, inPackage(F.arrival, arrivalRead), 'Kommunenummer', (r) => r.municipality, issues);
  if (arrivalRead && replayWanted) covers(F.arrival, arrival, 'arrival schedule (a replay needs one)');
  const quantileKeys = ['p0', 'p10', 'p25', 'p50', 'p75', 'p90', 'p100'] as const;
  const arrivalOk = arrival.filter((row) => {
    let previous: number | undefined;
    const bad = quantileKeys.find((k) => {
      const earlier = previous !== undefined && row[k] < previous;
      previous = row[k];
      return earlier;
    });
    if (bad !== undefined) issues.push({ file: F.arrival, line: row.line, column: SPECS[F.arrival][bad].header, reason: 'must not be earlier than the column before it' });
    return bad === undefined;
  });

  const watchlist = unique(F.watchlist, inPackage(F.watchlist, read(F.watchlist, false)), 'Kommunenummer', (r) => r.municipality, issues);

  const expectedRead = read(F.expectedResults, false);
  const expected = unique(F.expectedResults, inPackage(F.expectedResults, expectedRead), 'Partikode', (r) => `${r.municipality}:${r.code}`, issues).filter((row) => {
    if (row.code === BLANK_CODE || listKeys.has(`${row.municipality}:${row.code}`)) return true;
    issues.push({ file: F.expectedResults, line: row.line, column: 'Partikode', reason: `${row.code} is not a list of ${row.municipality} in ${F.lists}` });
    return false;
  });
  if (expectedRead) covers(F.expectedResults, expected.filter((r) => r.code !== BLANK_CODE), 'expected result');
  const unitResultsRead = read(F.unitResults, false);
  const patternRead = read(F.pattern, false);
  if (!expectedRead) {
    if (unitResultsRead) issues.push({ file: F.unitResults, line: 1, column: '', reason: `needs ${F.expectedResults}` });
    if (patternRead) issues.push({ file: F.pattern, line: 1, column: '', reason: `needs ${F.expectedResults}` });
  }
  const unitResults = unique(F.unitResults, inPackage(F.unitResults, unitResultsRead), 'Partikode', (r) => `${r.municipality}:${r.unit}:${r.kind}:${r.code}`, issues).filter((row) => {
    if (unitKeys.has(`${row.municipality}:${row.unit}`)) return true;
    issues.push({ file: F.unitResults, line: row.line, column: 'Stemmekretsnummer', reason: `${row.unit} is not a counting unit of ${row.municipality} in ${F.countingUnits}` });
    return false;
  });
  const pattern = unique(F.pattern, inPackage(F.pattern, patternRead), 'Partikode', (r) => `${r.municipality}:${r.unit}:${r.code}`, issues);

  const scenarioSources = Object.entries(files)
    .flatMap(([file, source]): Array<[ScenarioFileName, string]> => (isScenarioFile(file) && source !== null && source !== undefined ? [[file, source]] : []))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const scenarioFiles = scenarioSources.map(([file]) => file);
  const scenarios = new Map<string, ScenarioInput>();
  for (const [file, source] of scenarioSources) {
    if (!expectedRead) {
      issues.push({ file, line: 1, column: '', reason: `needs ${F.expectedResults} (a package without expected results cannot be replayed)` });
      continue;
    }
    const scenario = readScenario(file, source, known, issues);
    if (scenario) scenarios.set(scenario.name, scenario);
  }
  const defaultScenario = manifest?.replayScenario;
  if (defaultScenario !== undefined && !scenarioFiles.includes(scenarioFileName(defaultScenario))) {
    issues.push({ file: F.manifest, line: manifestLine(files[F.manifest] ?? '', 'replayScenario'), column: 'replayScenario', reason: `names no scenario of the package (${scenarioFileName(defaultScenario)} is missing)` });
  }

  if (issues.length > 0 || !manifest) {
    // Scenario files come after the package's fixed files, by name.
    const order: string[] = [...Object.values(PACKAGE_FILES), ...scenarioFiles];
    issues.sort((a, b) => order.indexOf(a.file) - order.indexOf(b.file) || a.line - b.line);
    return { ok: false, issues };
  }

  const results = new Map<string, { votes: Record<string, number>; blank: number | null }>();
  for (const row of expected) {
    const entry = results.get(row.municipality) ?? { votes: {}, blank: null };
    if (row.code === BLANK_CODE) entry.blank = row.votes;
    else entry.votes[row.code] = row.votes;
    results.set(row.municipality, entry);
  }
  return {
    ok: true,
    package: {
      manifest,
      pollsCloseAt: zonedTimeToInstant(manifest.electionDay, manifest.pollsClose, manifest.timeZone).toISOString(),
      municipalities: municipalities.map((r) => ({ number: r.number, name: r.name, countyNumber: r.countyNumber, countyName: r.countyName, electorate: r.electorate, expectedTurnout: r.expectedTurnout, comparisonTurnout: r.comparisonTurnout })),
      countingUnits: units.map((r) => ({ municipality: r.municipality, number: r.number, name: r.name, kind: r.kind, electorate: r.electorate })),
      lists: lists.map((r) => ({ municipality: r.municipality, code: r.code, name: r.name })),
      councilSizes: new Map(seats.map((r) => [r.municipality, r.seats])),
      comparisonResults: comparison.map((r) => ({ municipality: r.municipality, code: r.code, name: r.name, votes: r.votes })),
      arrival: new Map(arrivalOk.map((r) => [r.municipality, { advanceMinutes: r.advanceMinutes, quantiles: [r.p0, r.p10, r.p25, r.p50, r.p75, r.p90, r.p100] }])),
      initialWatchlist: watchlist.map((r) => ({ municipality: r.municipality, reason: r.reason })),
      replay: expectedRead
        ? {
            results,
            unitResults: unitResults.map((r) => ({ municipality: r.municipality, unit: r.unit, kind: r.kind, code: r.code, votes: r.votes })),
            pattern: pattern.map((r) => ({ municipality: r.municipality, unit: r.unit, code: r.code, advance: r.advance, electionDay: r.electionDay })),
          }
        : null,
      scenarios,
    },
  };
}

/** One line per issue, as the import command prints them: "file:line: column: reason". */
export function formatIssue(issue: PackageIssue): string {
  return `${issue.file}:${issue.line}:${issue.column ? ` ${issue.column}:` : ''} ${issue.reason}`;
}
