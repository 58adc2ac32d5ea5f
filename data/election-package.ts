// Reading election packages (docs/election-packages.md) from disk: the folder's files go through the pure
// validator in lib/election-package, and a valid package becomes the database's reference data.
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReferenceData } from '../db/reference-data.ts';
import type { ReplayReference } from '../lib/replay/reference.ts';
import { toReplayReference } from '../lib/election-package/replay-reference.ts';
import { PACKAGE_FILES, SCENARIOS_DIR, scenarioFileName, validatePackage, type ElectionPackage, type PackageFileName, type PackageFiles, type PackageIssue } from '../lib/election-package/validate.ts';
import type { ScenarioInput } from '../lib/contracts/scenario.ts';
import { defaultScenarioName, resolveScenarioName, type PackageScenarios } from '../lib/replay/scenarios.ts';
import { errorMessage } from '../lib/error-message.ts';

/** The packages shipped in the repository: elections/<id>/. */
export const ELECTIONS_DIR = fileURLToPath(new URL('../elections/', import.meta.url));

export function shippedPackageDir(id: string): string {
  return path.join(ELECTIONS_DIR, id);
}

export type PackageReadOutcome = { ok: true; package: ElectionPackage; hash: string } | { ok: false; issues: PackageIssue[] };

/** Reads and validates a package folder; a file the format does not know is an issue too. */
export async function readElectionPackage(dir: string): Promise<PackageReadOutcome> {
  let names: string[];
  let scenarioNames: string[] = [];
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    names = entries.filter((e) => e.isFile()).map((e) => e.name).sort();
    if (entries.some((e) => e.isDirectory() && e.name === SCENARIOS_DIR)) {
      scenarioNames = (await readdir(path.join(dir, SCENARIOS_DIR), { withFileTypes: true })).filter((e) => e.isFile()).map((e) => `${SCENARIOS_DIR}/${e.name}`).sort();
    }
  } catch (error) {
    return { ok: false, issues: [{ file: dir, line: 1, column: '', reason: `cannot read the folder: ${errorMessage(error)}` }] };
  }
  const knownNames = new Set<string>(Object.values(PACKAGE_FILES));
  const isScenario = (name: string) => name.startsWith(`${SCENARIOS_DIR}/`) && name.endsWith('.json');
  const files: PackageFiles = {};
  // The scenarios are part of what a package is: changing one makes another package (another hash).
  const hash = createHash('sha256');
  for (const name of [...names, ...scenarioNames]) {
    if (!knownNames.has(name) && !isScenario(name)) continue;
    const text = await readFile(path.join(dir, name), 'utf8');
    // A known name is a PackageFileName; a scenario's is a file of scenarios/, which files keys by its path.
    files[name as PackageFileName] = text;
    hash.update(`${name}\0${text}\0`);
  }
  const unknown = [...names.filter((n) => !knownNames.has(n) && !/^readme(\.md)?$/i.test(n)), ...scenarioNames.filter((n) => !isScenario(n))];
  const outcome = validatePackage(files);
  const extra: PackageIssue[] = unknown.map((file) => ({ file, line: 1, column: '', reason: `not a file of the package format (known: ${[...knownNames].join(', ')}, ${scenarioFileName('<name>')})` }));
  if (!outcome.ok) return { ok: false, issues: [...outcome.issues, ...extra] };
  if (extra.length > 0) return { ok: false, issues: extra };
  return { ok: true, package: outcome.package, hash: hash.digest('hex') };
}

/** Reads a package that must be valid (shipped packages, tests): throws with every issue otherwise. */
export async function loadElectionPackage(dir: string): Promise<{ package: ElectionPackage; hash: string }> {
  const outcome = await readElectionPackage(dir);
  if (!outcome.ok) throw new Error(`invalid election package ${dir}:\n${outcome.issues.map((i) => `  ${i.file}:${i.line}: ${i.column}: ${i.reason}`).join('\n')}`);
  return outcome;
}

/** The package as the database's reference data (db/reference-data.ts). */
export function toReferenceData(pkg: ElectionPackage, hash: string): ReferenceData {
  const { manifest } = pkg;
  const { comparisonYear } = manifest;
  const watched = new Set(pkg.initialWatchlist.map((w) => w.municipality));
  return {
    election: {
      id: manifest.id, name: manifest.name, kind: manifest.kind, electionDay: manifest.electionDay, pollsCloseAt: pkg.pollsCloseAt,
      timeZone: manifest.timeZone, comparisonYear: manifest.comparisonYear ?? null, packageHash: hash,
    },
    municipalities: pkg.municipalities.map((m) => {
      const arrival = pkg.arrival.get(m.number);
      return {
        number: m.number, name: m.name, countyNumber: m.countyNumber, countyName: m.countyName, electorate: m.electorate,
        // A kind without councils stores 0 seats; the read model computes no council for it.
        councilSize: pkg.councilSizes.get(m.number) ?? 0,
        expectedTurnout: m.expectedTurnout,
        comparisonTurnout: m.comparisonTurnout,
        watch: watched.has(m.number),
        arrivalMinutes: arrival ? [...arrival.quantiles] : [],
        advanceMinutes: arrival?.advanceMinutes ?? null,
      };
    }),
    districts: pkg.countingUnits.map((u) => ({ municipality: u.municipality, number: u.number, name: u.name, electorate: u.electorate, kind: u.kind })),
    partyLists: pkg.lists,
    referenceResults: comparisonYear === undefined ? [] : pkg.comparisonResults.map((r) => ({ ...r, year: comparisonYear })),
  };
}

const shipped = new Map<string, Promise<{ package: ElectionPackage; hash: string }>>();
/** A package shipped in elections/, read once per process. */
export function loadShippedElection(id: string): Promise<{ package: ElectionPackage; hash: string }> {
  let loading = shipped.get(id);
  if (!loading) {
    loading = loadElectionPackage(shippedPackageDir(id));
    shipped.set(id, loading);
  }
  return loading;
}

export async function loadShippedReferenceData(id: string): Promise<ReferenceData> {
  const { package: pkg, hash } = await loadShippedElection(id);
  return toReferenceData(pkg, hash);
}

/** The replay planner's input for a shipped package; throws for a package without expected results. */
export async function loadReplayReference(id: string): Promise<ReplayReference> {
  const reference = toReplayReference((await loadShippedElection(id)).package);
  if (!reference) throw new Error(`election package ${id} has no ${PACKAGE_FILES.expectedResults}: it cannot be replayed`);
  return reference;
}

/** The replay scenarios of a shipped package and its default (what `npm run replay` plays unless told otherwise). */
export async function loadPackageScenarios(id: string): Promise<PackageScenarios> {
  const { package: pkg } = await loadShippedElection(id);
  return { id: pkg.manifest.id, scenarios: pkg.scenarios, defaultScenario: pkg.manifest.replayScenario };
}

/** The scenario a replay of a shipped package plays when none is named: the package's default, else `clean`. */
export async function loadDefaultScenario(id: string): Promise<ScenarioInput> {
  const scenarios = await loadPackageScenarios(id);
  // The default name is always one of the package's scenarios.
  return resolveScenarioName(defaultScenarioName(scenarios), scenarios)!;
}

/** A scenario of a shipped package by name (or the built-in `clean`, seeded by the package); throws when it has none. */
export async function loadShippedScenario(id: string, name: string): Promise<ScenarioInput> {
  const scenario = resolveScenarioName(name, await loadPackageScenarios(id));
  if (!scenario) throw new Error(`election package ${id} has no replay scenario ${name}`);
  return scenario;
}

/** The expected final votes per municipality of a shipped package (what a full replay must end with). */
export async function loadExpectedResults(id: string): Promise<Map<string, { votes: Record<string, number>; blank: number | null }>> {
  const replay = (await loadShippedElection(id)).package.replay;
  if (!replay) throw new Error(`election package ${id} has no ${PACKAGE_FILES.expectedResults}`);
  return replay.results;
}
