import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DeltaPacer, type PacedBatch } from './delta-pacing.ts';

const batch = (seq: number, touched: Record<string, string[]> = {}, more: Partial<PacedBatch> = {}): PacedBatch => ({
  seq, overview: true, touched: new Map(Object.entries(touched).map(([n, d]) => [n, new Set(d)])), seatAreas: [], ...more,
});

describe('DeltaPacer', () => {
  it('sends the first batch after a quiet interval at once', () => {
    const pacer = new DeltaPacer(250);
    expect(pacer.add(batch(1, { '0301': ['1'] }), 1000)).toBe(1000);
    expect(pacer.take(1000)).toEqual({ seq: 1, overview: true, touched: new Map([['0301', new Set(['1'])]]), seatAreas: [] });
    // Long after: at once again.
    expect(pacer.add(batch(2), 1300)).toBe(1300);
  });

  it('holds batches that follow a delta within the interval until it has passed, and merges them', () => {
    const pacer = new DeltaPacer(250);
    pacer.add(batch(1, { '0301': ['1'] }), 1000);
    pacer.take(1000);
    expect(pacer.add(batch(2, { '0301': ['2'] }), 1030)).toBe(1250);
    expect(pacer.add(batch(3, { '4601': ['7'] }, { seatAreas: ['46'] }), 1060)).toBe(1250);
    expect(pacer.add(batch(4, { '0301': ['1'] }, { overview: false, seatAreas: ['46', 'national'] }), 1100)).toBe(1250);
    expect(pacer.take(1250)).toEqual({
      seq: 4, overview: true,
      touched: new Map([['0301', new Set(['2', '1'])], ['4601', new Set(['7'])]]),
      seatAreas: ['46', 'national'],
    });
    expect(pacer.take(1300)).toBeUndefined();
  });

  it('tells the overview rooms only when some merged batch concerns them', () => {
    const pacer = new DeltaPacer(100);
    pacer.add(batch(5, {}, { overview: false }), 0);
    expect(pacer.take(0)?.overview).toBe(false);
  });

  it('with an interval of 0 makes every batch due as it arrives', () => {
    const pacer = new DeltaPacer(0);
    for (let seq = 1; seq <= 5; seq++) {
      expect(pacer.add(batch(seq), 10)).toBe(10);
      expect(pacer.take(10)?.seq).toBe(seq);
    }
  });

  it('drops what is pending when cleared', () => {
    const pacer = new DeltaPacer(250);
    pacer.add(batch(1), 0);
    pacer.clear();
    expect(pacer.take(0)).toBeUndefined();
  });

  it('refuses an interval that is not a finite number ≥ 0', () => {
    expect(() => new DeltaPacer(-1)).toThrow(/minIntervalMs/);
    expect(() => new DeltaPacer(Number.NaN)).toThrow(/minIntervalMs/);
  });

  it('never sends two deltas closer than the interval, never holds one longer, and loses no touched district', () => {
    const arrivals = fc.array(fc.record({ gap: fc.nat(400), number: fc.constantFrom('0301', '4601', '1103'), district: fc.constantFrom('a', 'b', 'c') }), { minLength: 1, maxLength: 60 });
    fc.assert(fc.property(fc.integer({ min: 1, max: 500 }), arrivals, (interval, list) => {
      // A driver like the live role's: a timer for the due time, fired in time order with the arrivals.
      const pacer = new DeltaPacer(interval);
      const sent: { at: number; seq: number; touched: Map<string, Set<string>> }[] = [];
      let timer: number | undefined;
      const fire = (at: number) => {
        const merged = pacer.take(at);
        if (merged) sent.push({ at, seq: merged.seq, touched: merged.touched });
        timer = undefined;
      };
      let now = 0;
      const added: { at: number; seq: number; number: string; district: string }[] = [];
      list.forEach(({ gap, number, district }, i) => {
        const next = now + gap;
        if (timer !== undefined && timer <= next) fire(timer);
        now = next;
        added.push({ at: now, seq: i + 1, number, district });
        const due = pacer.add(batch(i + 1, { [number]: [district] }), now);
        if (timer === undefined) {
          if (due <= now) fire(now);
          else timer = due;
        }
      });
      if (timer !== undefined) fire(timer);

      for (let i = 1; i < sent.length; i++) expect(sent[i]!.at - sent[i - 1]!.at).toBeGreaterThanOrEqual(interval);
      for (const a of added) {
        // The first delta at or after the batch covers it, carries its district, and comes within the interval.
        const carrier = sent.find((s) => s.seq >= a.seq)!;
        expect(carrier.at - a.at).toBeLessThanOrEqual(interval);
        expect(carrier.touched.get(a.number)?.has(a.district)).toBe(true);
      }
      expect(sent.at(-1)!.seq).toBe(list.length);
    }));
  });
});
