import { describe, expect, it } from 'vitest';
import { allocateSeats, type SeatListInput } from './seats.ts';

const seatsOf = (lists: SeatListInput[], seats: number) =>
  Object.fromEntries(allocateSeats(lists, seats).lists.filter((l) => l.seats > 0).map((l) => [l.code, l.seats]));

describe('allocateSeats: modified Sainte-Laguë (1.4, 3, 5, …)', () => {
  it.each([
    // Worked by hand: quotients A 1000/1.4=714.3, 333.3, 200; B 600/1.4=428.6, 200; C 150/1.4=107.1.
    { name: 'three lists, 3 seats', lists: [['A', 1000], ['B', 600], ['C', 150]], seats: 3, expected: { A: 2, B: 1 } },
    // Fourth seat: A's 200 (1000/5) ties B's 200 (600/3) on quotient; A has more votes and wins it.
    { name: 'equal quotients: the larger vote number wins', lists: [['A', 1000], ['B', 600], ['C', 150]], seats: 4, expected: { A: 3, B: 1 } },
    // A 3857, 1800, 1080, 771, 600; B 1857, 867, 520; C 700/1.4 = 500 misses the 7th seat (A's 600).
    { name: 'the first divisor 1.4 holds back small lists', lists: [['A', 5400], ['B', 2600], ['C', 700]], seats: 7, expected: { A: 5, B: 2 } },
    { name: 'a single list takes every seat', lists: [['A', 12]], seats: 11, expected: { A: 11 } },
    { name: 'lists with zero votes take no seats', lists: [['A', 10], ['B', 0]], seats: 3, expected: { A: 3 } },
    { name: 'no votes at all: no seats', lists: [['A', 0], ['B', 0]], seats: 3, expected: {} },
    { name: 'no seats to give', lists: [['A', 10]], seats: 0, expected: {} },
  ])('$name', ({ lists, seats, expected }) => {
    expect(seatsOf(lists.map(([code, votes]) => ({ code: code as string, votes: votes as number })), seats)).toEqual(expected);
  });

  it('differs from pure Sainte-Laguë exactly where the first divisor matters', () => {
    // Pure Sainte-Laguë (1, 3, 5, …) would give C's 700 the 7th seat ahead of A's 600; with 1.4 C has 500.
    const withPure = [5400 / 1, 5400 / 3, 5400 / 5, 5400 / 7, 2600, 2600 / 3, 2600 / 5, 700].sort((a, b) => b - a);
    expect(withPure.indexOf(700)).toBeLessThan(7);
    expect(seatsOf([{ code: 'A', votes: 5400 }, { code: 'B', votes: 2600 }, { code: 'C', votes: 700 }], 7).C).toBeUndefined();
  });

  it('reports an exact tie in quotient and votes as drawn by lot, and still gives out every seat', () => {
    const allocation = allocateSeats([{ code: 'A', votes: 500 }, { code: 'B', votes: 500 }, { code: 'C', votes: 100 }], 3);
    expect(allocation.drawnByLot).toEqual(['A', 'B']);
    expect(allocation.lists.reduce((sum, l) => sum + l.seats, 0)).toBe(3);
    expect(allocateSeats([{ code: 'A', votes: 501 }, { code: 'B', votes: 500 }], 3).drawnByLot).toEqual([]);
  });

  it('refuses negative, fractional and repeated input', () => {
    expect(() => allocateSeats([{ code: 'A', votes: -1 }], 3)).toThrow(RangeError);
    expect(() => allocateSeats([{ code: 'A', votes: 1.5 }], 3)).toThrow(RangeError);
    expect(() => allocateSeats([{ code: 'A', votes: 1 }, { code: 'A', votes: 2 }], 3)).toThrow(RangeError);
    expect(() => allocateSeats([{ code: 'A', votes: 1 }], 2.5)).toThrow(RangeError);
  });
});

describe('votes to the next seat and to keep the last one', () => {
  // Oracle: change one list's votes and allocate again. One vote short of the figure may still win a seat,
  // but only through an exact tie that law settles by lot: the figure is what makes the seat certain.
  const allocateWith = (lists: SeatListInput[], seats: number, code: string, votes: number) => {
    const allocation = allocateSeats(lists.map((l) => (l.code === code ? { ...l, votes } : l)), seats);
    return { seats: allocation.lists.find((l) => l.code === code)!.seats, byLot: allocation.drawnByLot.includes(code) };
  };

  // "At least one more": a big enough gain can win two seats at once.
  it('is exact: that many more votes wins a seat, one fewer does not; spare votes keep it, one more loses it', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    let lotsSeen = 0;
    for (let round = 0; round < 300; round++) {
      const lists = Array.from({ length: 2 + random(5) }, (_, i) => ({ code: `L${i}`, votes: random(4) === 0 ? random(40) : random(3000) }));
      const seats = 1 + random(25);
      const allocation = allocateSeats(lists, seats);
      const context = JSON.stringify({ lists, seats });
      for (const list of allocation.lists) {
        if (list.votesToNextSeat !== null) {
          expect(allocateWith(lists, seats, list.code, list.votes + list.votesToNextSeat).seats, context).toBeGreaterThan(list.seats);
          if (list.votesToNextSeat > 1) {
            const short = allocateWith(lists, seats, list.code, list.votes + list.votesToNextSeat - 1);
            if (short.byLot) lotsSeen++;
            else expect(short.seats, context).toBe(list.seats);
          }
        }
        if (list.votesToSpareOnLastSeat !== null) {
          expect(allocateWith(lists, seats, list.code, list.votes - list.votesToSpareOnLastSeat).seats, context).toBe(list.seats);
          if (list.votes - list.votesToSpareOnLastSeat - 1 >= 0) {
            const over = allocateWith(lists, seats, list.code, list.votes - list.votesToSpareOnLastSeat - 1);
            if (over.byLot) lotsSeen++;
            else expect(over.seats, context).toBeLessThan(list.seats);
          }
        }
      }
    }
    // The random cases do reach the tie boundary, so both branches above are exercised.
    expect(lotsSeen).toBeGreaterThan(0);
  });

  it('names the list that would lose or take the seat', () => {
    const allocation = allocateSeats([{ code: 'A', votes: 1000 }, { code: 'B', votes: 600 }, { code: 'C', votes: 150 }], 3);
    const byCode = Object.fromEntries(allocation.lists.map((l) => [l.code, l]));
    // Winners A 714.3, B 428.6, A 333.3. C needs x/1.4 > 333.3, so x = 467: 317 more, taking A's second seat.
    expect(byCode.C).toMatchObject({ seats: 0, votesToNextSeat: 317, nextSeatFrom: 'A', votesToSpareOnLastSeat: null });
    // B's only seat is its last; the best quotient that missed out is A's third (200, on 1000 votes), so B
    // needs v/1.4 > 200: 281 votes, and can spare 319.
    expect(byCode.B).toMatchObject({ seats: 1, lastSeatTo: 'A', votesToSpareOnLastSeat: 600 - 281 });
  });
});
