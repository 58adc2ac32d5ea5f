// The national counts as a running tally: each municipality contributes an additive part, and a batch of
// changes replaces only the parts of the municipalities it touched, instead of re-adding all 357 for every
// delta (the cost ARCHITECTURE.md "The delta protocol" names). The full computation is the same tally with
// every municipality added once, so the incremental and the full figures are equal by construction: every
// sum is of integers (the previous election's voters are kept in thousandths of a voter), so the order of
// additions and removals cannot change a result.
import type { NationalCounts } from '../contracts/live.ts';
import { publishedShare } from './precision.ts';
import { hasEnoughCountedForSeats } from './municipality.ts';
import { NO_TURNOUT, addTurnout, turnoutContribution, turnoutCountsFrom, type TurnoutContribution, type TurnoutInput } from './turnout.ts';

/** National parties keep their code; every other list counts as "Andre" (lib/domain/national.ts). */
export type NationalCodeOf = (code: string) => string;

/** What one municipality adds to the national counts. */
export interface NationalContribution {
  /** List votes per national code, only codes with votes. */
  votes: ReadonlyMap<string, number>;
  /** Previous election's votes per national code, once the municipality has counted votes (like for like). */
  previousVotes: ReadonlyMap<string, number>;
  /** National code of the list leading its council, if any. */
  leads: string | null;
  /** Council seats per national code, where enough is counted for seats to mean something. */
  seats: ReadonlyMap<string, number>;
  reporting: boolean;
  complete: boolean;
  districtsReported: number;
  ballotsCounted: number;
  /** Ballots counted as the share counts them: a complete municipality as fully counted, none above its expectation. */
  countedForShare: number;
  turnout: TurnoutContribution;
}

export interface NationalContributionInput {
  summary: {
    status: 'waiting' | 'counting' | 'complete';
    districtsReported: number;
    ballotsCounted: number;
    expectedBallots: number;
    advanceReported: boolean;
    countedShare: number;
    leadingParty: { code: string } | null;
  };
  parties: ReadonlyArray<{ code: string; votes: number }>;
  seats: { lists: ReadonlyArray<{ code: string; seats: number }> };
  previousVotes: Readonly<Record<string, number>> | null;
  turnout: TurnoutInput;
}

function addTo(map: Map<string, number>, code: string, amount: number): void {
  map.set(code, (map.get(code) ?? 0) + amount);
}

export function nationalContribution(input: NationalContributionInput, nationalCode: NationalCodeOf): NationalContribution {
  const { summary } = input;
  const votes = new Map<string, number>();
  for (const list of input.parties) if (list.votes > 0) addTo(votes, nationalCode(list.code), list.votes);
  const previousVotes = new Map<string, number>();
  if (votes.size > 0 && input.previousVotes) {
    for (const [code, count] of Object.entries(input.previousVotes)) addTo(previousVotes, nationalCode(code), count);
  }
  const seats = new Map<string, number>();
  // Seats only where enough is counted for a council to mean something (hasEnoughCountedForSeats).
  if (hasEnoughCountedForSeats(summary)) for (const list of input.seats.lists) if (list.seats > 0) addTo(seats, nationalCode(list.code), list.seats);
  return {
    votes, previousVotes, seats,
    leads: summary.leadingParty ? nationalCode(summary.leadingParty.code) : null,
    reporting: summary.status !== 'waiting',
    complete: summary.status === 'complete',
    districtsReported: summary.districtsReported,
    ballotsCounted: summary.ballotsCounted,
    // Complete municipalities count as fully counted even where turnout fell short of the expectation.
    countedForShare: summary.status === 'complete' ? summary.expectedBallots : Math.min(summary.ballotsCounted, summary.expectedBallots),
    turnout: turnoutContribution(input.turnout),
  };
}

/**
 * A sum per code that remembers how many contributions hold the code, so a code leaves the counts when its
 * last contributor goes, as a fresh tally would leave it out (a previous election's 0 votes stay a 0).
 */
class CodeSums {
  private readonly sums = new Map<string, { total: number; holders: number }>();

  change(parts: ReadonlyMap<string, number>, sign: 1 | -1): void {
    for (const [code, amount] of parts) {
      const entry = this.sums.get(code) ?? { total: 0, holders: 0 };
      entry.total += sign * amount;
      entry.holders += sign;
      if (entry.holders === 0) this.sums.delete(code);
      else this.sums.set(code, entry);
    }
  }

  toRecord(): Record<string, number> {
    return Object.fromEntries([...this.sums].map(([code, { total }]) => [code, total]));
  }

  get size(): number {
    return this.sums.size;
  }
}

/** The national counts of a set of contributions, kept up to date by replacing one contribution at a time. */
export class NationalTally {
  private readonly votes = new CodeSums();
  private readonly previousVotes = new CodeSums();
  private readonly led = new CodeSums();
  private readonly seats = new CodeSums();
  private reporting = 0;
  private complete = 0;
  private districtsReported = 0;
  private ballotsCounted = 0;
  private countedForShare = 0;
  private turnoutSum: TurnoutContribution = NO_TURNOUT;

  /** `expectedBallots`: the sum over every municipality of the area, which never changes during a night. */
  constructor(private readonly expectedBallots: number) {}

  add(part: NationalContribution): void {
    this.change(part, 1);
  }

  remove(part: NationalContribution): void {
    this.change(part, -1);
  }

  private change(part: NationalContribution, sign: 1 | -1): void {
    this.votes.change(part.votes, sign);
    this.previousVotes.change(part.previousVotes, sign);
    if (part.leads !== null) this.led.change(new Map([[part.leads, 1]]), sign);
    this.seats.change(part.seats, sign);
    this.reporting += sign * Number(part.reporting);
    this.complete += sign * Number(part.complete);
    this.districtsReported += sign * part.districtsReported;
    this.ballotsCounted += sign * part.ballotsCounted;
    this.countedForShare += sign * part.countedForShare;
    this.turnoutSum = addTurnout(this.turnoutSum, part.turnout, sign);
  }

  counts(): NationalCounts {
    return {
      municipalitiesReporting: this.reporting,
      municipalitiesComplete: this.complete,
      districtsReported: this.districtsReported,
      ballotsCounted: this.ballotsCounted,
      countedShare: this.expectedBallots > 0 ? publishedShare(this.countedForShare / this.expectedBallots) : 0,
      votes: this.votes.toRecord(),
      previousVotes: this.previousVotes.size > 0 ? this.previousVotes.toRecord() : null,
      councilsLed: this.led.toRecord(),
      seats: this.seats.toRecord(),
      turnout: turnoutCountsFrom(this.turnoutSum),
    };
  }
}
