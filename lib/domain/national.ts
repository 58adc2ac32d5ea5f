// National roll-up across municipalities. Local lists (codes unique to one municipality) and the source
// data's own "Andre" aggregate are pooled as "Andre" so the national picture compares like with like.
import type { NationalTotals } from '../contracts/live.ts';
import { publishedShare } from './precision.ts';
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
  view: Pick<MunicipalityView, 'summary' | 'parties' | 'seats'>;
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

export function computeNationalTotals(inputs: readonly NationalInput[]): NationalTotals {
  const codes = [...NATIONAL_PARTIES.keys(), OTHERS_CODE];
  const votesByCode = new Map<string, number>(codes.map((code) => [code, 0]));
  // The comparison is like for like: 2019 in the municipalities that have counted votes now.
  const previousByCode = new Map<string, number>();
  const led = new Map<string, number>();
  const seats = new Map<string, number>();
  for (const { view, previousVotes } of inputs) {
    let counted = false;
    for (const { code, votes } of view.parties) {
      addTo(votesByCode, nationalCode(code), votes);
      if (votes > 0) counted = true;
    }
    if (counted && previousVotes) {
      for (const [code, votes] of Object.entries(previousVotes)) addTo(previousByCode, nationalCode(code), votes);
    }
    if (view.summary.leadingParty) addTo(led, nationalCode(view.summary.leadingParty.code), 1);
    for (const list of view.seats.lists) addTo(seats, nationalCode(list.code), list.seats);
  }
  const names = new Map([...NATIONAL_PARTIES, [OTHERS_CODE, OTHERS_NAME]]);
  const ranked = rankPartyResults(votesByCode, names, previousByCode.size > 0 ? previousByCode : null);
  // "Andre" last whatever its size: it is not a party.
  const parties = [...ranked.filter((p) => p.code !== OTHERS_CODE), ...ranked.filter((p) => p.code === OTHERS_CODE)];
  const summaries = inputs.map((input) => input.view.summary);
  const ballotsCounted = sum(summaries, (m) => m.ballotsCounted);
  const expectedBallots = sum(summaries, (m) => m.expectedBallots);
  const complete = summaries.filter((m) => m.status === 'complete');
  // Complete municipalities count as fully counted even where turnout fell short of the expectation.
  const countedForShare = sum(summaries, (m) => (m.status === 'complete' ? m.expectedBallots : Math.min(m.ballotsCounted, m.expectedBallots)));
  return {
    municipalitiesTotal: summaries.length,
    municipalitiesReporting: summaries.filter((m) => m.status !== 'waiting').length,
    municipalitiesComplete: complete.length,
    districtsReported: sum(summaries, (m) => m.districtsReported),
    districtsTotal: sum(summaries, (m) => m.districtsTotal),
    ballotsCounted,
    expectedBallots,
    countedShare: expectedBallots > 0 ? publishedShare(countedForShare / expectedBallots) : 0,
    parties,
    councils: parties.map((p) => ({ code: p.code, name: p.name, councilsLed: led.get(p.code) ?? 0, seats: seats.get(p.code) ?? 0 })),
  };
}

function sum<T>(items: readonly T[], pick: (item: T) => number): number {
  return items.reduce((total, item) => total + pick(item), 0);
}
