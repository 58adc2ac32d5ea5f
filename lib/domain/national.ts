// National roll-up across municipalities. Local lists (codes unique to one municipality) and the source
// data's own "Andre" aggregate are pooled as "Andre" so the national picture compares like with like.
import type { NationalCounts, NationalTotals, TurnoutTotals } from '../contracts/live.ts';
import { turnoutStatics, turnoutTotalsFrom, type TurnoutInput } from './turnout.ts';
import { NationalTally, nationalContribution, type NationalContribution } from './national-tally.ts';
import { POOLED_LISTS_CODE, rankPartyResults, type MunicipalityView } from './municipality.ts';

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

/** What one municipality adds to the national counts (a running tally replaces it when the municipality changes). */
export function nationalContributionOf(input: NationalInput): NationalContribution {
  const { view, previousVotes } = input;
  return nationalContribution({ summary: view.summary, parties: view.parties, seats: view.seats, previousVotes, turnout: turnoutInput(input) }, nationalCode);
}

/**
 * A tally of these municipalities' contributions (`parts`, in the order of `inputs`), to keep up to date
 * one municipality at a time.
 */
export function createNationalTally(inputs: readonly NationalInput[]): { tally: NationalTally; parts: NationalContribution[] } {
  const tally = new NationalTally(sum(inputs, (input) => input.view.summary.expectedBallots));
  const parts = inputs.map(nationalContributionOf);
  for (const part of parts) tally.add(part);
  return { tally, parts };
}

/** What the totals are made from; the compact live delta carries exactly this. */
export function computeNationalCounts(inputs: readonly NationalInput[]): NationalCounts {
  return createNationalTally(inputs).tally.counts();
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
