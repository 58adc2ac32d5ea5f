// Turnout (valgdeltakelse): ballots cast — approved, blank included, and rejected — per 100 entitled to vote.
// During the count it is "so far" (what is counted of what was cast); once a municipality is complete it is
// its turnout, comparable with the previous election's. Areas (a county, the country) compare like with like:
// the previous election over the same complete municipalities, weighted by today's electorate (the previous
// electorate is not in the packages, and moves little between two elections).
import type { TurnoutCounts, TurnoutTotals } from '../contracts/live.ts';
import { formatInteger, formatPoints, formatShare } from '../format.ts';
import { domainTexts } from '../i18n/domain-texts.ts';
import { DEFAULT_LOCALE, type Locale } from '../i18n/locale.ts';
import { fill, fillPlural } from '../i18n/text.ts';

/** Percent with one decimal, as the directorate publishes turnout. */
export function turnoutPercent(ballots: number, electorate: number): number {
  return electorate > 0 ? Math.round((ballots / electorate) * 1000) / 10 : 0;
}

export interface TurnoutInput {
  ballotsCast: number;
  electorate: number;
  /** Percent. */
  expected: number;
  /** Percent in the previous election, when known. */
  comparison: number | null;
  complete: boolean;
}

/**
 * What one municipality adds to an area's turnout counts. The previous election's voters are kept in
 * thousandths of a voter, a whole number, so sums are exact in any order (lib/domain/national-tally.ts
 * adds and removes municipalities one at a time).
 */
export type TurnoutContribution = Omit<TurnoutCounts, 'comparisonVoters'> & { comparisonMilliVoters: number };

export function turnoutContribution(m: TurnoutInput): TurnoutContribution {
  const compared = m.complete && m.comparison !== null;
  return {
    ballotsCast: m.ballotsCast,
    completeMunicipalities: m.complete ? 1 : 0,
    completeBallotsCast: m.complete ? m.ballotsCast : 0,
    completeElectorate: m.complete ? m.electorate : 0,
    comparisonMunicipalities: compared ? 1 : 0,
    comparisonBallotsCast: compared ? m.ballotsCast : 0,
    // comparison / 100 × electorate voters, × 1000.
    comparisonMilliVoters: compared && m.comparison !== null ? Math.round(m.comparison * 10 * m.electorate) : 0,
    comparisonElectorate: compared ? m.electorate : 0,
  };
}

/** The counts from summed contributions. */
export function turnoutCountsFrom(sum: TurnoutContribution): TurnoutCounts {
  const { comparisonMilliVoters, ...rest } = sum;
  return { ...rest, comparisonVoters: Math.round(comparisonMilliVoters / 1000) };
}

/** Nothing counted: the sum of no contributions. */
export const NO_TURNOUT: TurnoutContribution = {
  ballotsCast: 0, completeMunicipalities: 0, completeBallotsCast: 0, completeElectorate: 0,
  comparisonMunicipalities: 0, comparisonBallotsCast: 0, comparisonMilliVoters: 0, comparisonElectorate: 0,
};

/** `sum` with `part` added (sign 1) or taken away again (sign −1). */
export function addTurnout(sum: TurnoutContribution, part: TurnoutContribution, sign: 1 | -1 = 1): TurnoutContribution {
  return {
    ballotsCast: sum.ballotsCast + sign * part.ballotsCast,
    completeMunicipalities: sum.completeMunicipalities + sign * part.completeMunicipalities,
    completeBallotsCast: sum.completeBallotsCast + sign * part.completeBallotsCast,
    completeElectorate: sum.completeElectorate + sign * part.completeElectorate,
    comparisonMunicipalities: sum.comparisonMunicipalities + sign * part.comparisonMunicipalities,
    comparisonBallotsCast: sum.comparisonBallotsCast + sign * part.comparisonBallotsCast,
    comparisonMilliVoters: sum.comparisonMilliVoters + sign * part.comparisonMilliVoters,
    comparisonElectorate: sum.comparisonElectorate + sign * part.comparisonElectorate,
  };
}

/** What an area's turnout is made from (the compact national delta carries it). */
export function computeTurnoutCounts(inputs: readonly TurnoutInput[]): TurnoutCounts {
  return turnoutCountsFrom(inputs.map(turnoutContribution).reduce((sum, part) => addTurnout(sum, part), NO_TURNOUT));
}

/** The figures that never change during a night: the area's electorate and its expected turnout. */
export function turnoutStatics(inputs: readonly Pick<TurnoutInput, 'electorate' | 'expected'>[]): { electorate: number; expected: number } {
  const electorate = inputs.reduce((sum, m) => sum + m.electorate, 0);
  return { electorate, expected: turnoutPercent(inputs.reduce((sum, m) => sum + (m.expected / 100) * m.electorate, 0), electorate) };
}

export function turnoutTotalsFrom(counts: TurnoutCounts, statics: { electorate: number; expected: number }): TurnoutTotals {
  return {
    soFar: turnoutPercent(counts.ballotsCast, statics.electorate),
    expected: statics.expected,
    complete: counts.completeMunicipalities === 0 ? null : {
      municipalities: counts.completeMunicipalities,
      turnout: turnoutPercent(counts.completeBallotsCast, counts.completeElectorate),
      // Like for like: both figures over the complete municipalities that have a previous one.
      comparison: counts.comparisonMunicipalities === 0 ? null : {
        municipalities: counts.comparisonMunicipalities,
        turnout: turnoutPercent(counts.comparisonBallotsCast, counts.comparisonElectorate),
        previous: turnoutPercent(counts.comparisonVoters, counts.comparisonElectorate),
      },
    },
  };
}

/** The change in percentage points (one decimal), or null without a previous figure. */
export function turnoutChange(turnout: number, comparison: number | null): number | null {
  return comparison === null ? null : Math.round((turnout - comparison) * 10) / 10;
}

/** Percent (64.4) in the reader's format: "64,4 %" (en "64.4%"). */
const asPercent = (value: number, locale: Locale) => formatShare(value / 100, locale);

/**
 * A municipality's turnout in words: while counting, the expectation first and what is counted so far as a
 * share of the electorate (not a turnout yet); once complete, its turnout and the change since the comparison year.
 */
export function describeMunicipalityTurnout(m: { status: 'waiting' | 'counting' | 'complete'; turnout: number; expectedTurnout: number; comparisonTurnout: number | null }, comparisonYear: number | null, locale: Locale = DEFAULT_LOCALE): string {
  const texts = domainTexts(locale).turnout;
  const comparison = m.comparisonTurnout !== null && comparisonYear !== null ? { year: comparisonYear, previous: asPercent(m.comparisonTurnout, locale) } : null;
  if (m.status === 'complete') {
    const change = comparison && m.comparisonTurnout !== null ? turnoutChange(m.turnout, m.comparisonTurnout) : null;
    const turnout = asPercent(m.turnout, locale);
    return comparison && change !== null ? fill(texts.completeCompared, { turnout, ...comparison, change: formatPoints(change / 100, locale) }) : turnout;
  }
  const expected = asPercent(m.expectedTurnout, locale);
  return fill(texts.soFar, {
    expected: comparison ? fill(texts.expectedCompared, { expected, ...comparison }) : fill(texts.expected, { expected }),
    soFar: asPercent(m.turnout, locale),
  });
}

/** An area's turnout in words: expected and counted so far, and like for like over its complete municipalities. */
export function describeAreaTurnout(t: TurnoutTotals, comparisonYear: number | null, locale: Locale = DEFAULT_LOCALE): string {
  const texts = domainTexts(locale).turnout;
  const head = fill(texts.soFar, { expected: fill(texts.expected, { expected: asPercent(t.expected, locale) }), soFar: asPercent(t.soFar, locale) });
  if (!t.complete) return head;
  const { municipalities, turnout, comparison } = t.complete;
  const where = fillPlural(locale, texts.completeWhere, municipalities, { n: formatInteger(municipalities, locale) });
  let compared = '';
  if (comparison && comparisonYear !== null) {
    const change = formatPoints((turnoutChange(comparison.turnout, comparison.previous) ?? 0) / 100, locale);
    const values = { year: comparisonYear, previous: asPercent(comparison.previous, locale), change };
    compared = comparison.municipalities === municipalities
      ? fill(texts.sameCompared, values)
      : fill(texts.subsetCompared, { ...values, n: formatInteger(comparison.municipalities, locale), turnout: asPercent(comparison.turnout, locale) });
  }
  return fill(texts.area, { head, turnout: asPercent(turnout, locale), where, compared });
}
