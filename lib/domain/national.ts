// National roll-up across municipalities. Local lists (codes unique to one municipality) and the source
// data's own "Andre" aggregate are pooled as "Andre" so the national picture compares like with like.
import type { NationalCounts, NationalTotals, TurnoutTotals } from '../contracts/live.ts';
import { computeTurnoutCounts, turnoutStatics, turnoutTotalsFrom, type TurnoutInput } from './turnout.ts';
import { publishedShare } from './precision.ts';
import { POOLED_LISTS_CODE, hasEnoughCountedForSeats, rankPartyResults, type MunicipalityView } from './municipality.ts';

export const NATIONAL_PARTIES: ReadonlyMap<string, string> = new Map([
  ['A', 'Arbeiderpartiet'],
  ['H', 'Høyre'],
  ['FRP', 'Fremskrittspartiet'],
  ['SP', 'Senterpartiet'],
  ['SV', 'SV - Sosialistisk Venstreparti'],
  ['RØDT', 'Rødt'],
  ['V', 'Venstre'],
  ['KRF', 'Kristelig Folkeparti'],
  ['MDG', 'Miljøpartiet De Grønne'],
  ['INP', 'Industri- og Næringspartiet'],
  ['PP', 'Pensjonistpartiet'],
]);
/** The same pool as a municipality's "Andre lister": national figures put every local list in it. */
export const OTHERS_CODE = POOLED_LISTS_CODE;
export const OTHERS_NAME = 'Andre';

export interface NationalInput {
  view: Pick<MunicipalityView, 'summary' | 'parties' | 'seats' | 'ballotsCast'>;
  /** The municipality's final votes in the previous election, when known. */
  previousVotes: Readonly<Record<string, number>> | null;
}

/** National parties keep their code; every other list counts as "Andre". */
export function nationalCode(code: string): string {
  return NATIONAL_PARTIES.has(code) ? code : OTHERS_CODE;
}

function addTo(map: Map<string, number>, code: string, amount: number): void {
  map.set(code, (map.get(code) ?? 0) + amount);
}

/** The national figures that never change during a night: the snapshot holds them. */
export type NationalStatics = Pick<NationalTotals, 'municipalitiesTotal' | 'districtsTotal' | 'expectedBallots' | 'electorate'> & { turnout: Pick<TurnoutTotals, 'expected'> };

export function computeNationalTotals(inputs: readonly NationalInput[]): NationalTotals {
  return nationalTotalsFrom(computeNationalCounts(inputs), nationalStatics(inputs));
}

export function nationalStatics(inputs: readonly NationalInput[]): NationalStatics {
  const summaries = inputs.map((input) => input.view.summary);
  return {
    municipalitiesTotal: summaries.length,
    districtsTotal: sum(summaries, (m) => m.districtsTotal),
    expectedBallots: sum(summaries, (m) => m.expectedBallots),
    electorate: sum(summaries, (m) => m.electorate),
    turnout: { expected: turnoutStatics(inputs.map(turnoutInput)).expected },
  };
}

function turnoutInput({ view }: NationalInput): TurnoutInput {
  const m = view.summary;
  return { ballotsCast: view.ballotsCast, electorate: m.electorate, expected: m.expectedTurnout, comparison: m.comparisonTurnout, complete: m.status === 'complete' };
}

/** What the totals are made from; the compact live delta carries exactly this. */
export function computeNationalCounts(inputs: readonly NationalInput[]): NationalCounts {
  const votes = new Map<string, number>();
  // The comparison is like for like: 2019 in the municipalities that have counted votes now.
  const previousByCode = new Map<string, number>();
  const led = new Map<string, number>();
  const seats = new Map<string, number>();
  for (const { view, previousVotes } of inputs) {
    let counted = false;
    for (const list of view.parties) {
      if (list.votes > 0) {
        addTo(votes, nationalCode(list.code), list.votes);
        counted = true;
      }
    }
    if (counted && previousVotes) {
      for (const [code, count] of Object.entries(previousVotes)) addTo(previousByCode, nationalCode(code), count);
    }
    if (view.summary.leadingParty) addTo(led, nationalCode(view.summary.leadingParty.code), 1);
    // Seats only where enough is counted for a council to mean something (hasEnoughCountedForSeats).
    if (hasEnoughCountedForSeats(view.summary)) for (const list of view.seats.lists) if (list.seats > 0) addTo(seats, nationalCode(list.code), list.seats);
  }
  const summaries = inputs.map((input) => input.view.summary);
  const expectedBallots = sum(summaries, (m) => m.expectedBallots);
  // Complete municipalities count as fully counted even where turnout fell short of the expectation.
  const countedForShare = sum(summaries, (m) => (m.status === 'complete' ? m.expectedBallots : Math.min(m.ballotsCounted, m.expectedBallots)));
  return {
    municipalitiesReporting: summaries.filter((m) => m.status !== 'waiting').length,
    municipalitiesComplete: summaries.filter((m) => m.status === 'complete').length,
    districtsReported: sum(summaries, (m) => m.districtsReported),
    ballotsCounted: sum(summaries, (m) => m.ballotsCounted),
    countedShare: expectedBallots > 0 ? publishedShare(countedForShare / expectedBallots) : 0,
    votes: Object.fromEntries(votes),
    previousVotes: previousByCode.size > 0 ? Object.fromEntries(previousByCode) : null,
    councilsLed: Object.fromEntries(led),
    seats: Object.fromEntries(seats),
    turnout: computeTurnoutCounts(inputs.map(turnoutInput)),
  };
}

/** The totals from their counts: the server and a browser applying a compact delta both build them here. */
export function nationalTotalsFrom(counts: NationalCounts, statics: NationalStatics): NationalTotals {
  const codes = [...NATIONAL_PARTIES.keys(), OTHERS_CODE];
  const votesByCode = new Map(codes.map((code) => [code, counts.votes[code] ?? 0]));
  const previousByCode = counts.previousVotes ? new Map(Object.entries(counts.previousVotes)) : null;
  const names = new Map([...NATIONAL_PARTIES, [OTHERS_CODE, OTHERS_NAME]]);
  const ranked = rankPartyResults(votesByCode, names, previousByCode);
  // "Andre" last whatever its size: it is not a party.
  const parties = [...ranked.filter((p) => p.code !== OTHERS_CODE), ...ranked.filter((p) => p.code === OTHERS_CODE)];
  return {
    municipalitiesTotal: statics.municipalitiesTotal,
    municipalitiesReporting: counts.municipalitiesReporting,
    municipalitiesComplete: counts.municipalitiesComplete,
    districtsReported: counts.districtsReported,
    districtsTotal: statics.districtsTotal,
    ballotsCounted: counts.ballotsCounted,
    expectedBallots: statics.expectedBallots,
    countedShare: counts.countedShare,
    parties,
    councils: parties.map((p) => ({ code: p.code, name: p.name, councilsLed: counts.councilsLed[p.code] ?? 0, seats: counts.seats[p.code] ?? 0 })),
    electorate: statics.electorate,
    turnout: turnoutTotalsFrom(counts.turnout, { electorate: statics.electorate, expected: statics.turnout.expected }),
  };
}

function sum<T>(items: readonly T[], pick: (item: T) => number): number {
  return items.reduce((total, item) => total + pick(item), 0);
}
