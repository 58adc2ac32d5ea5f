// National roll-up across municipalities. Local lists (codes unique to one municipality) and the source
// data's own "Andre" aggregate are pooled as "Andre" so the national picture compares like with like.
import type { MunicipalitySummary, NationalTotals, PartyResult } from '../contracts/live.ts';
import { rankPartyResults } from './municipality.ts';

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
export const OTHERS_CODE = 'ANDRE';
export const OTHERS_NAME = 'Andre';

export function computeNationalTotals(summaries: readonly MunicipalitySummary[], partyResults: Iterable<readonly PartyResult[]>): NationalTotals {
  const votesByCode = new Map<string, number>([...NATIONAL_PARTIES.keys(), OTHERS_CODE].map((code) => [code, 0]));
  for (const results of partyResults) {
    for (const { code, votes } of results) {
      const key = NATIONAL_PARTIES.has(code) ? code : OTHERS_CODE;
      votesByCode.set(key, (votesByCode.get(key) ?? 0) + votes);
    }
  }
  const names = new Map([...NATIONAL_PARTIES, [OTHERS_CODE, OTHERS_NAME]]);
  const ranked = rankPartyResults(votesByCode, names);
  // "Andre" last whatever its size: it is not a party.
  const parties = [...ranked.filter((p) => p.code !== OTHERS_CODE), ...ranked.filter((p) => p.code === OTHERS_CODE)];
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
    countedShare: expectedBallots > 0 ? countedForShare / expectedBallots : 0,
    parties,
  };
}

function sum<T>(items: readonly T[], pick: (item: T) => number): number {
  return items.reduce((total, item) => total + pick(item), 0);
}
