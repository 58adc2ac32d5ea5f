// Council seats by modified Sainte-Laguë, as valgloven prescribes for municipal councils: each list's vote
// number is divided by 1.4, 3, 5, 7, …; seats go one by one to the highest quotient. Two equal quotients:
// the list with the larger vote number wins; equal vote numbers too: drawn by lot (which we cannot do, so
// we say so). Pure and exact: quotients are compared by cross-multiplication in integers, never as floats.
//
// The vote number the law uses is the list's "listestemmetall" (ballots × council size ± votes moved by
// write-ins); on election night only ballots are known, and ballots × council size ranks lists exactly as
// ballots do, so callers pass ballots then and listestemmetall when they have it.

export interface SeatListInput {
  code: string;
  votes: number;
}

export interface SeatResult {
  code: string;
  votes: number;
  seats: number;
  /** Extra votes this list needs (others unchanged) to win one more seat; null if all seats are its own. */
  votesToNextSeat: number | null;
  /** The list that would lose that seat. */
  nextSeatFrom: string | null;
  /** Votes this list could lose (others unchanged) and still keep its last seat; null without seats. */
  votesToSpareOnLastSeat: number | null;
  /** The list that would take that seat. */
  lastSeatTo: string | null;
}

export interface SeatAllocation {
  seats: number;
  lists: SeatResult[];
  /** Codes of lists whose last seat (or the seat they missed) was decided by an exact tie in votes, which law settles by lot. */
  drawnByLot: string[];
}

// Divisors × 5 so that 1.4 becomes the integer 7: 7, 15, 25, 35, …
function scaledDivisor(seatsWon: number): number {
  return seatsWon === 0 ? 7 : 5 * (2 * seatsWon + 1);
}

interface Quotient {
  code: string;
  votes: number;
  divisor: number;
}

/** Does `a` take a seat before `b`? Larger quotient; at equal quotients the larger vote number. */
function ranksBefore(a: Quotient, b: Quotient): boolean {
  const left = a.votes * b.divisor;
  const right = b.votes * a.divisor;
  if (left !== right) return left > right;
  return a.votes > b.votes;
}

function sameQuotientAndVotes(a: Quotient, b: Quotient): boolean {
  return a.votes * b.divisor === b.votes * a.divisor && a.votes === b.votes;
}

/** Every quotient that could win one of `seats` seats, best first (ties of quotient and votes: by code, the lot stand-in). */
function rankedQuotients(lists: readonly SeatListInput[], seats: number): Quotient[] {
  const all: Quotient[] = [];
  for (const list of lists) {
    for (let won = 0; won < seats; won++) all.push({ code: list.code, votes: list.votes, divisor: scaledDivisor(won) });
  }
  return all.sort((a, b) => (ranksBefore(a, b) ? -1 : ranksBefore(b, a) ? 1 : a.code.localeCompare(b.code)));
}

function validate(lists: readonly SeatListInput[], seats: number): void {
  if (!Number.isInteger(seats) || seats < 0) throw new RangeError(`seats must be a whole number ≥ 0, got ${seats}`);
  const codes = new Set<string>();
  for (const list of lists) {
    if (!Number.isSafeInteger(list.votes) || list.votes < 0) throw new RangeError(`votes of ${list.code} must be a whole number ≥ 0`);
    if (codes.has(list.code)) throw new RangeError(`list ${list.code} appears twice`);
    codes.add(list.code);
  }
}

/**
 * Smallest x ≥ 1 with ranksBefore({votes + x, divisor}, rival): the votes a list needs to overtake a quotient.
 * (votes + x) × rival.divisor > rival.votes × divisor, or equal with votes + x > rival.votes.
 */
function votesToOvertake(votes: number, divisor: number, rival: Quotient): number {
  const target = rival.votes * divisor;
  // Least n with n × rival.divisor ≥ target …
  let needed = Math.ceil(target / rival.divisor);
  // … and strictly above unless the tie-break on votes is won at equality.
  if (needed * rival.divisor === target && !(needed > rival.votes)) needed += 1;
  return Math.max(1, needed - votes);
}

/** Largest y ≥ 0 such that (votes − y) still ranks before the rival quotient. */
function votesToSpare(votes: number, divisor: number, rival: Quotient): number {
  const lowest = votesToOvertake(0, divisor, rival);
  return Math.max(0, votes - lowest);
}

/**
 * Allocates `seats` among the lists with more than zero votes. Lists with zero votes are reported with no
 * seats. Throws on negative or fractional input; an allocation with no votes at all gives nobody a seat.
 */
export function allocateSeats(lists: readonly SeatListInput[], seats: number): SeatAllocation {
  validate(lists, seats);
  const eligible = lists.filter((list) => list.votes > 0);
  const ranked = eligible.length > 0 ? rankedQuotients(eligible, seats) : [];
  const winners = ranked.slice(0, seats);
  const won = new Map<string, number>();
  for (const q of winners) won.set(q.code, (won.get(q.code) ?? 0) + 1);

  const drawnByLot = new Set<string>();
  const lastWinner = winners.at(-1);
  const firstLoser = ranked[seats];
  if (lastWinner && firstLoser && sameQuotientAndVotes(lastWinner, firstLoser)) {
    for (const q of ranked) if (sameQuotientAndVotes(q, lastWinner)) drawnByLot.add(q.code);
  }

  const results = lists.map((list): SeatResult => {
    const mine = won.get(list.code) ?? 0;
    const others = winners.filter((q) => q.code !== list.code);
    const base: SeatResult = { code: list.code, votes: list.votes, seats: mine, votesToNextSeat: null, nextSeatFrom: null, votesToSpareOnLastSeat: null, lastSeatTo: null };
    if (seats === 0 || eligible.length === 0) return base;
    // One more seat means displacing the weakest winning quotient of another list.
    const weakestOther = others.at(-1);
    if (weakestOther) {
      base.votesToNextSeat = votesToOvertake(list.votes, scaledDivisor(mine), weakestOther);
      base.nextSeatFrom = weakestOther.code;
    }
    if (mine > 0) {
      // Keeping the last seat means staying ahead of the strongest quotient of another list that missed out.
      const strongestChallenger = ranked.slice(seats).find((q) => q.code !== list.code);
      if (strongestChallenger) {
        base.votesToSpareOnLastSeat = votesToSpare(list.votes, scaledDivisor(mine - 1), strongestChallenger);
        base.lastSeatTo = strongestChallenger.code;
      } else {
        // Nobody else is in the running: any vote at all keeps every seat.
        base.votesToSpareOnLastSeat = list.votes - 1;
      }
    }
    return base;
  });
  return { seats, lists: results, drawnByLot: [...drawnByLot].sort() };
}
