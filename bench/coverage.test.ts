import { describe, expect, it } from 'vitest';
import { DeltaRecorder, commitTime, covers, newlyCovered, pollStaleness, pushLatency, type Poll } from './coverage.ts';

describe('commitTime', () => {
  it('takes the sidecar\'s x-valgvakt-committed-at when it sends one', () => {
    expect(commitTime('1700000000123', 1700000000150)).toEqual({ at: 1700000000123, from: 'header' });
  });

  it('falls back to when the 201 arrived without the header, or with a useless one', () => {
    expect(commitTime(null, 1700000000150)).toEqual({ at: 1700000000150, from: 'arrival' });
    expect(commitTime('', 1700000000150)).toEqual({ at: 1700000000150, from: 'arrival' });
    expect(commitTime('soon', 1700000000150)).toEqual({ at: 1700000000150, from: 'arrival' });
  });
});

describe('covers', () => {
  it.each<[number, number, number, boolean]>([
    [10, 12, 11, true],
    [10, 12, 12, true], // seq is inclusive
    [10, 12, 10, false], // prevSeq is exclusive: the client already had 10
    [10, 12, 13, false],
  ])('(%i, %i] covers %i: %s', (prevSeq, seq, report, expected) => {
    expect(covers({ prevSeq, seq }, report)).toBe(expected);
  });
});

describe('DeltaRecorder', () => {
  it('groups arrivals per delta as offsets from the first arrival', () => {
    const recorder = new DeltaRecorder();
    recorder.record(0, 5, 1000);
    recorder.record(0, 5, 1004);
    recorder.record(5, 7, 2000);
    recorder.record(0, 5, 1010);
    const groups = recorder.toJSON();
    expect(groups).toHaveLength(2);
    const first = groups.find((g) => g.seq === 5)!;
    expect(first).toMatchObject({ prevSeq: 0, firstArrival: 1000 });
    expect(first.offsets.total).toBe(3);
    expect(first.offsets.max).toBe(10);
    recorder.reset();
    expect(recorder.toJSON()).toEqual([]);
  });
});

describe('pushLatency', () => {
  it('measures each report from its commit to the arrival of the delta covering it, at every viewer', () => {
    const recorder = new DeltaRecorder();
    // Two viewers. Delta (100, 102] covers reports 101 and 102; (102, 103] covers 103.
    recorder.record(100, 102, 5_000);
    recorder.record(100, 102, 5_020);
    recorder.record(102, 103, 6_000);
    recorder.record(102, 103, 6_000);
    const commits = [
      { seq: 101, committedAt: 4_990, sentAt: 4_980 },
      { seq: 102, committedAt: 4_995, sentAt: 4_985 },
      { seq: 103, committedAt: 5_950, sentAt: 5_900 },
    ];
    const { latency, sendLatency, delivered, uncovered } = pushLatency(commits, recorder.toJSON());
    expect(delivered).toBe(6);
    expect(uncovered).toBe(0);
    // Samples: 10, 30 (report 101); 5, 25 (102); 50, 50 (103).
    expect(latency.total).toBe(6);
    expect(latency.percentile(100)).toBeCloseTo(50, 0);
    expect(latency.percentile(50)).toBeCloseTo(25, 0);
    expect(latency.min).toBeCloseTo(5, 0);
    // On the reporter's clock, from send: 20, 40 (101); 15, 35 (102); 100, 100 (103).
    expect(sendLatency.total).toBe(6);
    expect(sendLatency.min).toBeCloseTo(15, 0);
    expect(sendLatency.percentile(100)).toBeCloseTo(100, 0);
  });

  it('skips seqs that are not reports (state changes) and counts reports no delta covered', () => {
    const recorder = new DeltaRecorder();
    recorder.record(7, 9, 1_000); // seq 8 is a state change the reporter never sent
    const { delivered, uncovered, latency } = pushLatency([{ seq: 9, committedAt: 990, sentAt: 990 }, { seq: 12, committedAt: 995, sentAt: 995 }], recorder.toJSON());
    expect(delivered).toBe(1);
    expect(uncovered).toBe(1);
    expect(latency.total).toBe(1);
  });

  it('joins each viewer with the delta it got when viewers saw different chains (after a reconnect)', () => {
    const recorder = new DeltaRecorder();
    recorder.record(10, 12, 1_000); // viewer A
    recorder.record(11, 12, 1_100); // viewer B, whose previous delta ended at 11
    const { delivered, latency } = pushLatency([{ seq: 12, committedAt: 900, sentAt: 900 }], recorder.toJSON());
    expect(delivered).toBe(2);
    expect(latency.min).toBeCloseTo(100, 0);
    expect(latency.max).toBeCloseTo(200, 0);
  });
});

describe('pollStaleness', () => {
  it('takes the first poll at or past the report for each poller', () => {
    const pollers: Poll[][] = [
      [[1_000, 4], [11_000, 6], [21_000, 9]],
      [[6_000, 5], [16_000, 9]],
    ];
    const commits = [
      { seq: 5, committedAt: 3_000, sentAt: 3_000 },
      { seq: 9, committedAt: 12_000, sentAt: 12_000 },
    ];
    const { staleness, seen, unseen } = pollStaleness(commits, pollers);
    expect(seen).toBe(4);
    expect(unseen).toBe(0);
    // Poller 1: seq 5 at 11 000 (8 000), seq 9 at 21 000 (9 000). Poller 2: 3 000 and 4 000.
    expect(staleness.min).toBe(3_000);
    expect(staleness.max).toBe(9_000);
    expect(staleness.percentile(50)! / 4_000).toBeCloseTo(1, 1);
  });

  it('counts reports a poller never saw, and ignores answer order', () => {
    const { seen, unseen } = pollStaleness([{ seq: 7, committedAt: 0, sentAt: 0 }, { seq: 3, committedAt: 0, sentAt: 0 }], [[[2_000, 5], [1_000, 2]]]);
    expect(seen).toBe(1);
    expect(unseen).toBe(1);
  });
});

describe('newlyCovered', () => {
  it('counts a (viewer, report) pair once: a resent delta brings only what the viewer did not have', () => {
    expect(newlyCovered(undefined, { prevSeq: 4, seq: 9 })).toEqual({ prevSeq: 4, seq: 9 });
    expect(newlyCovered(9, { prevSeq: 9, seq: 12 })).toEqual({ prevSeq: 9, seq: 12 });
    // Recovery replays (4, 12] to a viewer that had up to 9: only (9, 12] is new.
    expect(newlyCovered(9, { prevSeq: 4, seq: 12 })).toEqual({ prevSeq: 9, seq: 12 });
    expect(newlyCovered(12, { prevSeq: 4, seq: 12 })).toBeNull();
    expect(newlyCovered(12, { prevSeq: 9, seq: 10 })).toBeNull();
  });

  it('keeps a gap a gap: reports between the viewer\'s seq and the delta stay undelivered', () => {
    expect(newlyCovered(5, { prevSeq: 8, seq: 10 })).toEqual({ prevSeq: 8, seq: 10 });
  });
});
