import { describe, it, expect } from 'vitest';
import { classifyDelta, mergeByKey, type DeltaVerdict } from './delta.ts';

describe('classifyDelta', () => {
  // A client holding seq 10.
  it.each<[number, number, DeltaVerdict]>([
    [5, 9, 'stale'], // entirely behind
    [9, 10, 'stale'], // seq equal to held: already applied
    [10, 10, 'stale'], // degenerate, nothing new
    [10, 11, 'apply'], // prevSeq equal to held: the next delta
    [9, 11, 'apply'], // overlaps what is held: replacement state, safe to apply
    [0, 12, 'apply'],
    [11, 12, 'gap'], // prevSeq one above held: a delta was missed
    [20, 25, 'gap'],
  ])('held 10, delta (prevSeq %i, seq %i] → %s', (prevSeq, seq, verdict) => {
    expect(classifyDelta(10, { prevSeq, seq })).toBe(verdict);
  });

  it('applies the first delta to a client at seq 0', () => {
    expect(classifyDelta(0, { prevSeq: 0, seq: 1 })).toBe('apply');
  });
});

describe('mergeByKey', () => {
  interface Row { id: string; value: number }
  const key = (row: Row): string => row.id;

  it('replaces matching entries in place, keeping the original order', () => {
    const items: Row[] = [{ id: 'a', value: 1 }, { id: 'b', value: 2 }, { id: 'c', value: 3 }];
    expect(mergeByKey(items, [{ id: 'c', value: 30 }, { id: 'a', value: 10 }], key)).toEqual([
      { id: 'a', value: 10 }, { id: 'b', value: 2 }, { id: 'c', value: 30 },
    ]);
  });

  it('appends new entries at the end in update order', () => {
    const items: Row[] = [{ id: 'a', value: 1 }];
    expect(mergeByKey(items, [{ id: 'z', value: 26 }, { id: 'a', value: 10 }, { id: 'm', value: 13 }], key)).toEqual([
      { id: 'a', value: 10 }, { id: 'z', value: 26 }, { id: 'm', value: 13 },
    ]);
  });

  it('returns the same entries when there are no updates, without mutating the inputs', () => {
    const items: Row[] = [{ id: 'a', value: 1 }, { id: 'b', value: 2 }];
    const updates: Row[] = [{ id: 'b', value: 20 }];
    const merged = mergeByKey(items, updates, key);
    expect(merged).not.toBe(items);
    expect(items).toEqual([{ id: 'a', value: 1 }, { id: 'b', value: 2 }]);
    expect(updates).toEqual([{ id: 'b', value: 20 }]);
    expect(mergeByKey(items, [], key)).toEqual(items);
  });

  it('does not duplicate a replaced entry', () => {
    const merged = mergeByKey([{ id: 'a', value: 1 }], [{ id: 'a', value: 2 }], key);
    expect(merged).toHaveLength(1);
  });
});
