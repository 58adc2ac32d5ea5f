// Spreads a municipality's real final result over its counting units: the advance unit "0000" and each
// election-day district, so that the units add up exactly to the real totals per list.
//   1. Real 2023 district counts are used where we have them (Oslo election day; Eigersund, Stavanger).
//   2. Otherwise each list's advance share is its 2019 advance share in the municipality, and its
//      election-day votes go to districts by weight ½ × the district's share of the electorate +
//      ½ × the list's 2019 share in that district (where the 2019 districts match), apportioned exactly.
// Blank ballots (where known) follow the municipality's advance share and the electorate. Rejected
// ballots are not in the sources: a small synthetic 0.2 % is added so the field is exercised.
// Preliminary counts differ from the final ones by a seeded ±0.4 % per list, as real recounts do.
import { getOrThrow } from '../get-or-throw.ts';
import { apportion } from './apportion.ts';
import { createRandom } from './random.ts';
import type { ReplayMunicipality, UnitVotes } from './reference.ts';

export interface UnitCount {
  counted: number;
  rejected: number;
  blank: number;
  votes: Record<string, number>;
}

export interface CountingUnit {
  district: string;
  category: 'advance' | 'election_day';
  electorate: number;
  final: UnitCount;
  preliminary: UnitCount;
}

const FALLBACK_ADVANCE_SHARE = 0.4;
const SYNTHETIC_REJECTED_SHARE = 0.002;
const PRELIMINARY_NOISE = 0.004;

export interface Distribution {
  units: CountingUnit[];
  /** How each part was derived, for the plan's notes. */
  method: 'real' | 'real-election-day' | 'modelled';
}

export function distributeMunicipality(m: ReplayMunicipality, seed: string): Distribution {
  const electionDay = m.districts.filter((d) => d.kind === 'election_day');
  const advance = m.districts.find((d) => d.kind === 'advance');
  if (!advance) throw new Error(`municipality ${m.number} has no advance unit`);
  const codes = Object.keys(m.final.votes).sort();

  const realDay = new Map(m.real2023.filter((r) => r.category === 'election_day').map((r) => [r.district, r.votes]));
  const realAdvance = m.real2023.find((r) => r.category === 'advance' && r.district === advance.number)?.votes;
  const realCoversDay = electionDay.length > 0 && electionDay.every((d) => realDay.has(d.number));

  let votesByUnit: Map<string, Record<string, number>>;
  let blankByUnit: Map<string, number>;
  let method: Distribution['method'];
  const real = realCoversDay ? spreadReal(m, codes, realDay, realAdvance, advance.number) : null;
  if (real) {
    ({ votesByUnit, blankByUnit } = real);
    method = realAdvance ? 'real' : 'real-election-day';
  } else {
    ({ votesByUnit, blankByUnit } = spreadModelled(m, codes, advance.number));
    method = 'modelled';
  }

  const random = createRandom(seed, `preliminary:${m.number}`);
  const units: CountingUnit[] = [advance, ...electionDay].map((district) => {
    const votes = votesByUnit.get(district.number) ?? Object.fromEntries(codes.map((c) => [c, 0]));
    const blank = blankByUnit.get(district.number) ?? 0;
    const final = countOf(votes, blank);
    const preliminaryVotes = Object.fromEntries(
      Object.entries(votes).map(([code, v]) => [code, Math.max(0, v + Math.round(v * random.between(-PRELIMINARY_NOISE, PRELIMINARY_NOISE)))]),
    );
    return {
      district: district.number,
      category: district.kind === 'advance' ? 'advance' : 'election_day',
      electorate: district.electorate,
      final,
      preliminary: countOf(preliminaryVotes, blank),
    };
  });
  keepWithinElectorate(units, m.electorate);
  return { units, method };
}

function countOf(votes: Record<string, number>, blank: number): UnitCount {
  const listVotes = Object.values(votes).reduce((a, b) => a + b, 0);
  const counted = listVotes + blank;
  return { counted, rejected: Math.round(counted * SYNTHETIC_REJECTED_SHARE), blank, votes };
}

/** Synthetic rejected ballots must never push a stage over the electorate: drop them where they would. */
function keepWithinElectorate(units: CountingUnit[], electorate: number): void {
  for (const stage of ['final', 'preliminary'] as const) {
    const total = units.reduce((sum, u) => sum + u[stage].counted + u[stage].rejected, 0);
    if (total > electorate) units.forEach((u) => { u[stage].rejected = 0; });
  }
}

function spreadReal(
  m: ReplayMunicipality,
  codes: string[],
  realDay: Map<string, UnitVotes>,
  realAdvance: UnitVotes | undefined,
  advanceNumber: string,
): { votesByUnit: Map<string, Record<string, number>>; blankByUnit: Map<string, number> } | null {
  const votesByUnit = new Map<string, Record<string, number>>();
  const blankByUnit = new Map<string, number>();
  const advanceVotes: Record<string, number> = {};
  for (const code of codes) {
    let dayTotal = 0;
    for (const [district, unit] of realDay) {
      const v = unit.votes[code] ?? 0;
      dayTotal += v;
      const held = votesByUnit.get(district) ?? {};
      held[code] = v;
      votesByUnit.set(district, held);
    }
    // What the districts do not account for was cast in advance (Oslo's source has no advance split).
    const rest = m.final.votes[code]! - dayTotal - (realAdvance ? (realAdvance.votes[code] ?? 0) : 0);
    if (rest < 0 || (realAdvance && rest !== 0)) return null;
    advanceVotes[code] = realAdvance ? (realAdvance.votes[code] ?? 0) : rest;
  }
  votesByUnit.set(advanceNumber, advanceVotes);
  for (const [district, unit] of realDay) blankByUnit.set(district, unit.blank ?? 0);
  const dayBlank = [...blankByUnit.values()].reduce((a, b) => a + b, 0);
  const advanceBlank = realAdvance?.blank ?? (m.final.blank !== null ? Math.max(0, m.final.blank - dayBlank) : 0);
  blankByUnit.set(advanceNumber, advanceBlank);
  return { votesByUnit, blankByUnit };
}

function spreadModelled(m: ReplayMunicipality, codes: string[], advanceNumber: string) {
  const electionDay = m.districts.filter((d) => d.kind === 'election_day');
  const known = new Set(electionDay.map((d) => d.number));
  const byCode = new Map<string, { advance: number; day: Map<string, number> }>();
  let allAdvance = 0;
  let allTotal = 0;
  const allDay = new Map<string, number>();
  for (const row of m.pattern2019) {
    const entry = byCode.get(row.code) ?? { advance: 0, day: new Map<string, number>() };
    entry.advance += row.advance;
    allAdvance += row.advance;
    allTotal += row.advance + row.electionDay;
    if (known.has(row.district)) {
      entry.day.set(row.district, (entry.day.get(row.district) ?? 0) + row.electionDay);
      allDay.set(row.district, (allDay.get(row.district) ?? 0) + row.electionDay);
    }
    byCode.set(row.code, entry);
  }
  const municipalAdvanceShare = allTotal > 0 ? allAdvance / allTotal : FALLBACK_ADVANCE_SHARE;
  const totalElectorate = electionDay.reduce((a, d) => a + d.electorate, 0);
  const shareOfElectorate = (d: { electorate: number }) => (totalElectorate > 0 ? d.electorate / totalElectorate : 1 / electionDay.length);
  const electorateShare = electionDay.map(shareOfElectorate);
  const patternCovers = electionDay.every((d) => allDay.has(d.number));

  const votesByUnit = new Map<string, Record<string, number>>([[advanceNumber, {}], ...electionDay.map((d): [string, Record<string, number>] => [d.number, {}])]);
  const advanceRecord = getOrThrow(votesByUnit, advanceNumber, 'votes of the advance unit');
  const dayRecords = electionDay.map((d) => getOrThrow(votesByUnit, d.number, 'votes of district'));
  for (const code of codes) {
    // codes are the keys of m.final.votes (distributeMunicipality takes them from it).
    const total = m.final.votes[code]!;
    const history = byCode.get(code);
    const historyTotal = history ? history.advance + [...history.day.values()].reduce((a, b) => a + b, 0) : 0;
    const advanceShare = history && historyTotal >= 50 ? history.advance / historyTotal : municipalAdvanceShare;
    const advanceVotes = Math.round(total * advanceShare);
    advanceRecord[code] = advanceVotes;
    const dayPattern = history && [...history.day.values()].reduce((a, b) => a + b, 0) >= 20 ? history.day : allDay;
    const patternTotal = electionDay.reduce((a, d) => a + (dayPattern.get(d.number) ?? 0), 0);
    const weights = electionDay.map((d) =>
      patternCovers && patternTotal > 0 ? 0.5 * shareOfElectorate(d) + 0.5 * ((dayPattern.get(d.number) ?? 0) / patternTotal) : shareOfElectorate(d),
    );
    apportion(total - advanceVotes, weights).forEach((v, i) => {
      // apportion gives one part per weight, and there is one weight per election-day district.
      dayRecords[i]![code] = v;
    });
  }
  const blankByUnit = new Map<string, number>();
  const blank = m.final.blank ?? 0;
  const advanceBlank = Math.round(blank * municipalAdvanceShare);
  blankByUnit.set(advanceNumber, advanceBlank);
  // apportion gives one part per weight, and there is one share per election-day district.
  apportion(blank - advanceBlank, electorateShare).forEach((b, i) => blankByUnit.set(electionDay[i]!.number, b));
  return { votesByUnit, blankByUnit };
}
