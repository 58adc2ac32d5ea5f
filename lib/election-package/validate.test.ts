import { describe, expect, it } from 'vitest';
import { formatIssue, packageColumns, PACKAGE_FILES as F, validatePackage, type PackageFileName, type PackageFiles } from './validate.ts';
import { zonedTimeToInstant } from './zoned-time.ts';

const MANIFEST = { format: 1, id: 'test2031', name: 'Testvalget 2031', kind: 'municipal', electionDay: '2031-09-08', pollsClose: '21:00', timeZone: 'Europe/Oslo', comparisonYear: 2027 };

const csv = (header: string[], rows: string[][]) => [header, ...rows].map((r) => r.join(';')).join('\n') + '\n';

/** A small valid package: two municipalities, each with an advance and an election-day unit. */
function files(overrides: Partial<Record<PackageFileName, string | null>> = {}, manifest: Record<string, unknown> = MANIFEST): Partial<Record<PackageFileName, string | null>> {
  return {
    [F.manifest]: JSON.stringify(manifest, null, 2),
    [F.municipalities]: csv(packageColumns(F.municipalities), [['0301', 'Oslo', '03', 'Oslo', '500000', '67.5'], ['1101', 'Eigersund', '11', 'Rogaland', '11000', '65']]),
    [F.countingUnits]: csv(packageColumns(F.countingUnits), [
      ['0301', '0000', 'Forhåndsstemmer', 'forhånd', '0'], ['0301', '0101', 'Vahl skole', 'valgting', '4977'],
      ['1101', '0000', 'Forhåndsstemmer', 'forhånd', '0'], ['1101', '0001', 'Eigerøy', 'valgting', '1500'],
    ]),
    [F.lists]: csv(packageColumns(F.lists), [['0301', 'A', 'Arbeiderpartiet'], ['0301', 'H', 'Høyre'], ['1101', 'A', 'Arbeiderpartiet']]),
    [F.councilSizes]: csv(packageColumns(F.councilSizes), [['0301', '59'], ['1101', '31']]),
    [F.comparisonResults]: csv(packageColumns(F.comparisonResults), [['0301', 'A', 'Arbeiderpartiet', '1000']]),
    [F.watchlist]: csv(packageColumns(F.watchlist), [['1101', 'Treg i fjor']]),
    ...overrides,
  };
}

function issues(input: Partial<Record<PackageFileName, string | null>>) {
  const outcome = validatePackage(input);
  if (outcome.ok) throw new Error('expected the package to be refused');
  return outcome.issues;
}

describe('validatePackage', () => {
  it('accepts a valid package and reads every file', () => {
    const outcome = validatePackage(files());
    if (!outcome.ok) throw new Error(outcome.issues.map(formatIssue).join('\n'));
    const pkg = outcome.package;
    expect(pkg.manifest.id).toBe('test2031');
    expect(pkg.pollsCloseAt).toBe('2031-09-08T19:00:00.000Z');
    expect(pkg.municipalities).toEqual([
      { number: '0301', name: 'Oslo', countyNumber: '03', countyName: 'Oslo', electorate: 500000, expectedTurnout: 67.5, comparisonTurnout: null },
      { number: '1101', name: 'Eigersund', countyNumber: '11', countyName: 'Rogaland', electorate: 11000, expectedTurnout: 65, comparisonTurnout: null },
    ]);
    expect(pkg.countingUnits.map((u) => `${u.municipality}:${u.number}:${u.kind}`)).toEqual(['0301:0000:advance', '0301:0101:election_day', '1101:0000:advance', '1101:0001:election_day']);
    expect([...pkg.councilSizes]).toEqual([['0301', 59], ['1101', 31]]);
    expect(pkg.comparisonResults).toEqual([{ municipality: '0301', code: 'A', name: 'Arbeiderpartiet', votes: 1000 }]);
    expect(pkg.initialWatchlist).toEqual([{ municipality: '1101', reason: 'Treg i fjor' }]);
    expect(pkg.replay).toBeNull();
  });

  it('accepts a header with the columns in another order', () => {
    const outcome = validatePackage(files({ [F.lists]: 'Partinavn;Partikode;Kommunenummer\nArbeiderpartiet;A;0301\nArbeiderpartiet;A;1101\n' }));
    expect(outcome.ok && outcome.package.lists).toEqual([{ municipality: '0301', code: 'A', name: 'Arbeiderpartiet' }, { municipality: '1101', code: 'A', name: 'Arbeiderpartiet' }]);
  });

  it('refuses a missing manifest and a manifest that is not JSON', () => {
    expect(issues(files({ [F.manifest]: null }))).toContainEqual({ file: 'manifest.json', line: 1, column: '', reason: 'file is missing' });
    expect(issues(files({ [F.manifest]: '{ "id": ' }))[0]).toMatchObject({ file: 'manifest.json', line: 1, reason: expect.stringMatching(/^not valid JSON/) });
  });

  it('names the manifest field and its line', () => {
    const found = issues(files({}, { ...MANIFEST, pollsClose: '9pm', timeZone: 'Europe/Atlantis' }));
    expect(found).toEqual([
      { file: 'manifest.json', line: 7, column: 'pollsClose', reason: 'must be a local time HH:MM' },
      { file: 'manifest.json', line: 8, column: 'timeZone', reason: 'must be an IANA time zone, e.g. "Europe/Oslo"' },
    ]);
  });

  it('refuses an unknown manifest field and an unknown kind', () => {
    const found = issues(files({}, { ...MANIFEST, kind: 'county', colour: 'blue' }));
    expect(found.map((i) => i.column).sort()).toEqual(['colour', 'kind']);
    expect(found.find((i) => i.column === 'colour')?.reason).toBe('unknown field');
  });

  it('refuses a missing required file', () => {
    expect(issues(files({ [F.countingUnits]: null }))).toContainEqual({ file: F.countingUnits, line: 1, column: '', reason: 'file is missing' });
  });

  it('reads the optional comparison turnout: a number, an empty cell, or no column at all', () => {
    const header = packageColumns(F.municipalities, { optional: true });
    expect(header.at(-1)).toBe('Oppmøte prosent sammenligningsvalg');
    const outcome = validatePackage(files({ [F.municipalities]: csv(header, [['0301', 'Oslo', '03', 'Oslo', '500000', '67.5', '66.1'], ['1101', 'Eigersund', '11', 'Rogaland', '11000', '65', '']]) }));
    if (!outcome.ok) throw new Error(outcome.issues.map(formatIssue).join('\n'));
    expect(outcome.package.municipalities.map((m) => m.comparisonTurnout)).toEqual([66.1, null]);
    const bad = issues(files({ [F.municipalities]: csv(header, [['0301', 'Oslo', '03', 'Oslo', '500000', '67.5', '101'], ['1101', 'Eigersund', '11', 'Rogaland', '11000', '65', '']]) }));
    expect(bad).toContainEqual({ file: F.municipalities, line: 2, column: 'Oppmøte prosent sammenligningsvalg', reason: '"101" must be a number from 0 to 100 with "." as decimal point' });
    // A required column is still required, and the message names only the required ones.
    const missing = issues(files({ [F.municipalities]: 'Kommunenummer;Kommunenavn;Fylkenummer;Fylkenavn;Antall stemmeberettigede\n0301;Oslo;03;Oslo;500000\n' }));
    expect(missing).toContainEqual({ file: F.municipalities, line: 1, column: 'Forventet oppmøte prosent', reason: 'missing column (the header must have: Kommunenummer;Kommunenavn;Fylkenummer;Fylkenavn;Antall stemmeberettigede;Forventet oppmøte prosent)' });
  });

  it('refuses a missing column and names the header it expects', () => {
    const found = issues(files({ [F.councilSizes]: 'Kommunenummer;Mandater\n0301;59\n1101;31\n' }));
    expect(found).toContainEqual({ file: F.councilSizes, line: 1, column: 'Antall mandater', reason: 'missing column (the header must have: Kommunenummer;Antall mandater)' });
    expect(found).toContainEqual({ file: F.councilSizes, line: 1, column: 'Mandater', reason: 'unknown column' });
  });

  it('points at the line and column of a bad cell', () => {
    const text = csv(packageColumns(F.municipalities), [['0301', 'Oslo', '03', 'Oslo', '500000', '67.5'], ['1101', 'Eigersund', '11', 'Rogaland', 'mange', '65']]);
    expect(issues(files({ [F.municipalities]: text }))).toContainEqual({ file: F.municipalities, line: 3, column: 'Antall stemmeberettigede', reason: '"mange" must be a whole number ≥ 0' });
  });

  it('refuses a row with too few fields', () => {
    const text = `${packageColumns(F.lists).join(';')}\n0301;A;Arbeiderpartiet\n0301;H\n1101;A;Arbeiderpartiet\n`;
    expect(issues(files({ [F.lists]: text }))).toContainEqual({ file: F.lists, line: 3, column: 'Partinavn', reason: '2 fields, the header has 3' });
  });

  it('reports the line where an unterminated quote starts', () => {
    const text = `${packageColumns(F.lists).join(';')}\n0301;A;Arbeiderpartiet\n0301;H;"Høyre\n1101;A;Arbeiderpartiet\n`;
    expect(issues(files({ [F.lists]: text }))).toContainEqual({ file: F.lists, line: 3, column: '', reason: 'unterminated quoted field' });
  });

  it('counts lines inside a quoted field spanning lines', () => {
    const text = `${packageColumns(F.lists).join(';')}\n0301;A;"Arbeider\npartiet"\n0301;H;" Høyre"\n1101;A;Arbeiderpartiet\n`;
    expect(issues(files({ [F.lists]: text }))).toEqual([{ file: F.lists, line: 4, column: 'Partinavn', reason: '" Høyre" has leading or trailing spaces' }]);
  });

  it('refuses a duplicate key and names the first line', () => {
    const text = csv(packageColumns(F.councilSizes), [['0301', '59'], ['1101', '31'], ['0301', '61']]);
    expect(issues(files({ [F.councilSizes]: text }))).toEqual([{ file: F.councilSizes, line: 4, column: 'Kommunenummer', reason: 'duplicate of line 2' }]);
  });

  it('refuses a municipality that is not in municipalities.csv', () => {
    expect(issues(files({ [F.watchlist]: csv(packageColumns(F.watchlist), [['9999', '']]) }))).toEqual([
      { file: F.watchlist, line: 2, column: 'Kommunenummer', reason: 'unknown municipality 9999 (not in municipalities.csv)' },
    ]);
  });

  it('refuses a municipality without an advance or an election-day counting unit', () => {
    const text = csv(packageColumns(F.countingUnits), [['0301', '0000', 'Forhåndsstemmer', 'forhånd', '0'], ['0301', '0101', 'Vahl skole', 'valgting', '4977'], ['1101', '0001', 'Eigerøy', 'valgting', '1500']]);
    expect(issues(files({ [F.countingUnits]: text }))).toEqual([
      { file: F.countingUnits, line: 1, column: 'Kommunenummer', reason: 'municipality 1101 (municipalities.csv line 3) has no advance counting unit ("forhånd")' },
    ]);
  });

  it('refuses an unknown counting unit kind', () => {
    const text = files()[F.countingUnits]!.replace('valgting;4977', 'urne;4977');
    expect(issues(files({ [F.countingUnits]: text }))).toContainEqual({ file: F.countingUnits, line: 3, column: 'Stemmekretstype', reason: '"urne" must be "forhånd" or "valgting"' });
  });

  it('a municipal election needs every council size', () => {
    expect(issues(files({ [F.councilSizes]: csv(packageColumns(F.councilSizes), [['0301', '59']]) }))).toEqual([
      { file: F.councilSizes, line: 1, column: 'Kommunenummer', reason: 'municipality 1101 (municipalities.csv line 3) has no council size' },
    ]);
    expect(issues(files({ [F.councilSizes]: null }))).toEqual([{ file: F.councilSizes, line: 1, column: '', reason: 'file is missing (a municipal election computes councils)' }]);
  });

  it('a storting election has no council sizes: seats are only as reported', () => {
    const storting = { ...MANIFEST, kind: 'storting' };
    expect(issues(files({}, storting))).toEqual([{ file: F.councilSizes, line: 1, column: '', reason: 'must be absent (Valgvakt computes no seats for this kind)' }]);
    const outcome = validatePackage(files({ [F.councilSizes]: null }, storting));
    expect(outcome.ok && outcome.package.councilSizes.size).toBe(0);
  });

  it('comparison results go with the manifest\'s comparisonYear', () => {
    const { comparisonYear: _year, ...withoutYear } = MANIFEST;
    expect(issues(files({}, withoutYear))).toEqual([{ file: F.comparisonResults, line: 1, column: '', reason: 'must be absent unless the manifest has comparisonYear' }]);
    expect(issues(files({ [F.comparisonResults]: null }))).toEqual([{ file: F.comparisonResults, line: 1, column: '', reason: 'file is missing (the manifest names comparisonYear 2027)' }]);
  });

  it('refuses an arrival schedule that goes backwards', () => {
    const text = csv(packageColumns(F.arrival), [['0301', '5', '20', '30', '40', '35', '60', '70', '90']]);
    expect(issues(files({ [F.arrival]: text }))).toEqual([{ file: F.arrival, line: 2, column: 'Valgting 50 %', reason: 'must not be earlier than the column before it' }]);
  });

  it('expected results need the arrival schedule of every municipality and name only known lists', () => {
    const expected = csv(packageColumns(F.expectedResults), [['0301', 'A', '10'], ['0301', 'BLANKE', '2'], ['1101', 'KRF', '5']]);
    expect(issues(files({ [F.expectedResults]: expected }))).toEqual([
      { file: F.arrival, line: 1, column: '', reason: 'file is missing (a replay needs the arrival schedule; expected-results.csv is present)' },
      { file: F.expectedResults, line: 1, column: 'Kommunenummer', reason: 'municipality 1101 (municipalities.csv line 3) has no expected result' },
      { file: F.expectedResults, line: 4, column: 'Partikode', reason: 'KRF is not a list of 1101 in lists.csv' },
    ]);
  });

  it('reads replay data: expected results with blank ballots, and unit results on known units', () => {
    const arrival = csv(packageColumns(F.arrival), [['0301', '5', '20', '30', '40', '50', '60', '70', '90'], ['1101', '1', '10', '10', '12', '15', '20', '25', '30']]);
    const expected = csv(packageColumns(F.expectedResults), [['0301', 'A', '10'], ['0301', 'H', '7'], ['0301', 'BLANKE', '2'], ['1101', 'A', '5']]);
    const units = csv(packageColumns(F.unitResults), [['0301', '0101', 'valgting', 'A', '10'], ['0301', '0999', 'valgting', 'H', '7']]);
    expect(issues(files({ [F.arrival]: arrival, [F.expectedResults]: expected, [F.unitResults]: units }))).toEqual([
      { file: F.unitResults, line: 3, column: 'Stemmekretsnummer', reason: '0999 is not a counting unit of 0301 in counting-units.csv' },
    ]);
    const outcome = validatePackage(files({ [F.arrival]: arrival, [F.expectedResults]: expected }));
    expect(outcome.ok && [...outcome.package.replay!.results]).toEqual([['0301', { votes: { A: 10, H: 7 }, blank: 2 }], ['1101', { votes: { A: 5 }, blank: null }]]);
  });

  it('collects every problem of every file, sorted by file and line', () => {
    const found = issues(files({
      [F.municipalities]: csv(packageColumns(F.municipalities), [['301', 'Oslo', '03', 'Oslo', '500000', '67.5'], ['1101', 'Eigersund', '11', 'Rogaland', '11000', '165']]),
      [F.watchlist]: csv(packageColumns(F.watchlist), [['1101', ' treg']]),
    }));
    expect(found.map(formatIssue).slice(0, 3)).toEqual([
      'municipalities.csv:2: Kommunenummer: "301" must be a 4-digit municipality number, e.g. 0301',
      'municipalities.csv:3: Forventet oppmøte prosent: "165" must be a number from 0 to 100 with "." as decimal point',
      'counting-units.csv:2: Kommunenummer: unknown municipality 0301 (not in municipalities.csv)',
    ]);
    expect(found.at(-1)).toEqual({ file: F.watchlist, line: 2, column: 'Begrunnelse', reason: '" treg" has leading or trailing spaces' });
  });
});

describe('replay scenarios (scenarios/<name>.json)', () => {
  /** The small package with what a replay needs, and the given scenario files. */
  const replayable = (scenarios: Record<string, unknown>, manifest: Record<string, unknown> = MANIFEST): PackageFiles => ({
    ...files({
      [F.arrival]: csv(packageColumns(F.arrival), [['0301', '10', '30', '40', '50', '60', '70', '80', '90'], ['1101', '10', '30', '40', '50', '60', '70', '80', '90']]),
      [F.expectedResults]: csv(packageColumns(F.expectedResults), [['0301', 'A', '100'], ['0301', 'H', '90'], ['1101', 'A', '50']]),
    }, manifest),
    ...Object.fromEntries(Object.entries(scenarios).map(([name, json]) => [`scenarios/${name}.json`, typeof json === 'string' ? json : JSON.stringify(json, null, 2)])),
  });
  const NIGHT = { name: 'night', seed: 'n', transferBacklog: [{ municipalities: ['0301'], from: '22:00', drainFrom: '23:00' }], hold: [{ municipality: '1101', from: '21:30', until: '22:30' }] };

  it('accepts scenario files and the manifest\'s default, keeping each as written', () => {
    const outcome = validatePackage(replayable({ night: NIGHT, other: { name: 'other' } }, { ...MANIFEST, replayScenario: 'night' }));
    if (!outcome.ok) throw new Error(outcome.issues.map(formatIssue).join('\n'));
    expect([...outcome.package.scenarios.keys()]).toEqual(['night', 'other']);
    expect(outcome.package.scenarios.get('night')).toEqual(NIGHT);
    expect(outcome.package.manifest.replayScenario).toBe('night');
  });

  it('a package without scenario files has none', () => {
    const outcome = validatePackage(replayable({}));
    expect(outcome.ok && outcome.package.scenarios.size).toBe(0);
  });

  it('names the file, the line, the field path and the reason of a broken scenario', () => {
    const broken = { ...NIGHT, transferBacklog: [NIGHT.transferBacklog[0], { municipalities: 'watchlist', from: '11pm', drainFrom: '23:00' }], colour: 'blue' };
    expect(issues(replayable({ night: broken })).map(formatIssue)).toEqual([
      'scenarios/night.json:14: transferBacklog.1.from: a time like "23:20" or an ISO 8601 instant with offset',
      'scenarios/night.json:25: colour: unknown field',
    ]);
  });

  it('refuses a scenario naming a municipality that is not in the package', () => {
    const stray = { ...NIGHT, silentStop: [{ municipality: '4601', from: '23:00' }], transferBacklog: [{ municipalities: ['0301', '5001'], from: '22:00', drainFrom: '23:00' }] };
    expect(issues(replayable({ night: stray }))).toEqual([
      { file: 'scenarios/night.json', line: 8, column: 'transferBacklog.0.municipalities.1', reason: 'unknown municipality 5001 (not in municipalities.csv)' },
      { file: 'scenarios/night.json', line: 23, column: 'silentStop.0.municipality', reason: 'unknown municipality 4601 (not in municipalities.csv)' },
    ]);
  });

  it('refuses a scenario whose name is not its file\'s, a bad file name and a file that is not JSON', () => {
    expect(issues(replayable({ night: { ...NIGHT, name: 'day' } }))).toEqual([{ file: 'scenarios/night.json', line: 2, column: 'name', reason: 'must be "night", the file\'s name (--scenario looks it up by that)' }]);
    expect(issues(replayable({ 'Big Night': { ...NIGHT, name: 'Big Night' } }))[0]).toMatchObject({ file: 'scenarios/Big Night.json', line: 1, reason: expect.stringMatching(/^the file name must be/) });
    expect(issues(replayable({ night: '{ "name": ' }))[0]).toMatchObject({ file: 'scenarios/night.json', line: 1, reason: expect.stringMatching(/^not valid JSON/) });
  });

  it('refuses a default the package has no file for, and scenarios in a package that cannot be replayed', () => {
    expect(issues(replayable({ night: NIGHT }, { ...MANIFEST, replayScenario: 'day' }))).toEqual([
      { file: 'manifest.json', line: 10, column: 'replayScenario', reason: 'names no scenario of the package (scenarios/day.json is missing)' },
    ]);
    expect(issues(files({ ...({ 'scenarios/night.json': JSON.stringify(NIGHT) } as object) }))).toEqual([
      { file: 'scenarios/night.json', line: 1, column: '', reason: 'needs expected-results.csv (a package without expected results cannot be replayed)' },
    ]);
  });

  it('sorts scenario problems after the package\'s other files', () => {
    const found = issues({ ...replayable({ night: { ...NIGHT, seed: 5 } }), [F.watchlist]: csv(packageColumns(F.watchlist), [['9999', 'x']]) });
    expect(found.map((i) => i.file)).toEqual([F.watchlist, 'scenarios/night.json']);
  });
});

describe('zonedTimeToInstant', () => {
  it.each([
    ['2023-09-11', '21:00', 'Europe/Oslo', '2023-09-11T19:00:00.000Z'], // summer time
    ['2027-01-11', '21:00', 'Europe/Oslo', '2027-01-11T20:00:00.000Z'], // winter time
    ['2025-10-26', '02:30', 'Europe/Oslo', '2025-10-26T01:30:00.000Z'], // the hour that repeats: the later one
    ['2026-03-29', '01:30', 'Europe/Oslo', '2026-03-29T00:30:00.000Z'], // just before clocks go forward
    ['2028-11-07', '20:00', 'America/New_York', '2028-11-08T01:00:00.000Z'],
    ['2023-09-11', '21:00', 'UTC', '2023-09-11T21:00:00.000Z'],
  ])('%s %s in %s is %s', (date, time, zone, instant) => {
    expect(zonedTimeToInstant(date, time, zone).toISOString()).toBe(instant);
  });
});
