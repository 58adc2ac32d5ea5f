// Which scenario a replay plays. A night's incidents belong to its election, so they come from the served
// package (scenarios/<name>.json, the manifest's replayScenario is the default); the only scenario built in
// is `clean`, the package's night with nothing going wrong.
import type { ScenarioInput } from '../contracts/scenario.ts';

/** What a package offers a replay: its id, its scenarios by name and the name of its default one. */
export interface PackageScenarios {
  id: string;
  scenarios: ReadonlyMap<string, ScenarioInput>;
  defaultScenario?: string;
}

export const CLEAN_SCENARIO_NAME = 'clean';

/**
 * The night with nothing going wrong. Its seed comes from the package, so that `clean` and the package's
 * default scenario draw the same counting times (the same night, without the incidents): the default
 * scenario's seed, else the package id.
 */
export function cleanScenario(pkg: PackageScenarios): ScenarioInput {
  const byDefault = pkg.defaultScenario === undefined ? undefined : pkg.scenarios.get(pkg.defaultScenario);
  return { name: CLEAN_SCENARIO_NAME, seed: byDefault?.seed ?? pkg.id };
}

/** The name a replay plays when none is given: the package's default scenario, else `clean`. */
export function defaultScenarioName(pkg: PackageScenarios): string {
  return pkg.defaultScenario !== undefined && pkg.scenarios.has(pkg.defaultScenario) ? pkg.defaultScenario : CLEAN_SCENARIO_NAME;
}

/**
 * `--scenario NAME`: the package's scenario of that name first, then the built-in `clean`; null when it is
 * neither (the caller then reads NAME as a file path).
 */
export function resolveScenarioName(name: string, pkg: PackageScenarios): ScenarioInput | null {
  const own = pkg.scenarios.get(name);
  if (own) return own;
  if (name === CLEAN_SCENARIO_NAME) return cleanScenario(pkg);
  return null;
}
