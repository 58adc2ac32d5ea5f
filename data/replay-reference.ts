// Everything the replay planner needs, read from this folder: municipalities, districts, real final
// results, real 2023 district counts, the 2019 district pattern and the arrival curves.
import { readFile } from 'node:fs/promises';
import type { ArrivalCurve, ReplayMunicipality, ReplayReference } from '../lib/replay/reference.ts';
import { parseCsv } from '../lib/csv.ts';
import { ELECTION_2023, RESIDUAL_LIST, loadFinalResults2023 } from './reference.ts';

async function readRows(file: string): Promise<Record<string, string>[]> {
  return parseCsv(await readFile(new URL(file, import.meta.url), 'utf8'));
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return groups;
}

export async function loadReplayReference2023(): Promise<ReplayReference> {
  const [municipalities, districts, finals, real2023, pattern2019, curves, advance] = await Promise.all([
    readRows('./municipalities.csv'),
    readRows('./districts.csv'),
    loadFinalResults2023(),
    readRows('./district-results-2023.csv'),
    readRows('./district-results-2019.csv'),
    readRows('./arrival-curves.csv'),
    readRows('./advance-arrival.csv'),
  ]);
  const districtsOf = groupBy(districts, (r) => r.municipality!);
  const realOf = groupBy(real2023, (r) => r.municipality!);
  const patternOf = groupBy(pattern2019, (r) => r.municipality!);
  const curveOf = new Map(curves.map((r) => [r.municipality!, r]));
  const advanceOf = new Map(advance.map((r) => [r.municipality!, Number(r.minutes)]));

  return {
    electionDay: ELECTION_2023.electionDay,
    municipalities: municipalities.map((row): ReplayMunicipality => {
      const number = row.number!;
      const final = finals.get(number);
      if (!final) throw new Error(`no 2023 result for ${number}`);
      const curve = curveOf.get(number);
      if (!curve) throw new Error(`no arrival curve for ${number}`);
      const arrival: ArrivalCurve = {
        quantiles: (['p0', 'p10', 'p25', 'p50', 'p75', 'p90', 'p100'] as const).map((k) => Number(curve[k])) as ArrivalCurve['quantiles'],
        advanceMinutes: advanceOf.get(number) ?? 10,
      };
      return {
        number,
        name: row.name!,
        electorate: Number(row.electorate),
        watch: row.watch === '1',
        districts: (districtsOf.get(number) ?? []).map((d) => ({ number: d.number!, electorate: Number(d.electorate), kind: d.kind as 'advance' | 'election_day' })),
        final: { votes: final.votes, blank: final.blank },
        real2023: realUnits(realOf.get(number) ?? [], new Set(Object.keys(final.votes))),
        pattern2019: (patternOf.get(number) ?? []).map((p) => ({ district: p.district!, code: p.code!, advance: Number(p.advance_votes), electionDay: Number(p.election_day_votes) })),
        arrival,
      };
    }),
  };
}

/**
 * Real district rows → counting units. "BLANKE" is blank ballots; lists the final result does not itemise
 * are pooled into the residual list, as in the final result; rows on "0000" are advance votes.
 */
function realUnits(rows: Record<string, string>[], knownCodes: Set<string>): ReplayMunicipality['real2023'] {
  const units = new Map<string, { district: string; category: 'advance' | 'election_day'; votes: { votes: Record<string, number>; blank: number } }>();
  for (const row of rows) {
    const district = row.district!;
    const category = district === '0000' ? 'advance' : (row.category as 'advance' | 'election_day');
    const key = `${district}:${category}`;
    const unit = units.get(key) ?? { district, category, votes: { votes: {}, blank: 0 } };
    const votes = Number(row.votes);
    if (row.code === 'BLANKE') unit.votes.blank += votes;
    else {
      const code = knownCodes.has(row.code!) ? row.code! : RESIDUAL_LIST.code;
      unit.votes.votes[code] = (unit.votes.votes[code] ?? 0) + votes;
    }
    units.set(key, unit);
  }
  return [...units.values()];
}
