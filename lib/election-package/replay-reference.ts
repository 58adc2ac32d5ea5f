// A package's replay data in the shape the replay planner (lib/replay) takes.
import { POOLED_LISTS_CODE } from '../domain/municipality.ts';
import type { ReplayMunicipality, ReplayReference } from '../replay/reference.ts';
import { getOrThrow } from '../get-or-throw.ts';
import { BLANK_CODE, type ElectionPackage } from './validate.ts';

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return groups;
}

/** Null when the package has no expected results (it can be served but not replayed). */
export function toReplayReference(pkg: ElectionPackage): ReplayReference | null {
  const replay = pkg.replay;
  if (!replay) return null;
  const unitsOf = groupBy(pkg.countingUnits, (u) => u.municipality);
  const realOf = groupBy(replay.unitResults, (r) => r.municipality);
  const patternOf = groupBy(replay.pattern, (r) => r.municipality);
  const watched = new Set(pkg.initialWatchlist.map((w) => w.municipality));
  return {
    electionDay: pkg.manifest.electionDay,
    timeZone: pkg.manifest.timeZone,
    pollsClose: pkg.manifest.pollsClose,
    municipalities: pkg.municipalities.map((m): ReplayMunicipality => {
      // validatePackage guarantees both for every municipality when expected results are present.
      const final = getOrThrow(replay.results, m.number, 'expected results of municipality');
      const arrival = getOrThrow(pkg.arrival, m.number, 'arrival schedule of municipality');
      return {
        number: m.number,
        name: m.name,
        electorate: m.electorate,
        watch: watched.has(m.number),
        districts: (unitsOf.get(m.number) ?? []).map((u) => ({ number: u.number, electorate: u.electorate, kind: u.kind })),
        final,
        real2023: realUnits(realOf.get(m.number) ?? [], new Set(Object.keys(final.votes))),
        pattern2019: (patternOf.get(m.number) ?? []).map((p) => ({ district: p.unit, code: p.code, advance: p.advance, electionDay: p.electionDay })),
        arrival: { quantiles: arrival.quantiles, advanceMinutes: arrival.advanceMinutes },
      };
    }),
  };
}

/**
 * Real counting-unit rows → units. "BLANKE" is blank ballots; lists the final result does not itemise are
 * pooled into the residual list, as in the final result.
 */
function realUnits(rows: NonNullable<ElectionPackage['replay']>['unitResults'], knownCodes: Set<string>): ReplayMunicipality['real2023'] {
  const units = new Map<string, ReplayMunicipality['real2023'][number]>();
  for (const row of rows) {
    const key = `${row.unit}:${row.kind}`;
    const unit = units.get(key) ?? { district: row.unit, category: row.kind, votes: { votes: {}, blank: 0 } };
    if (row.code === BLANK_CODE) unit.votes.blank = (unit.votes.blank ?? 0) + row.votes;
    else {
      const code = knownCodes.has(row.code) ? row.code : POOLED_LISTS_CODE;
      unit.votes.votes[code] = (unit.votes.votes[code] ?? 0) + row.votes;
    }
    units.set(key, unit);
  }
  return [...units.values()];
}
