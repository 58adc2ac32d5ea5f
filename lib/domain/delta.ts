// The client side of the delta protocol (see lib/contracts/live.ts): what to do with an incoming delta.
export type DeltaVerdict = 'apply' | 'stale' | 'gap';

export function classifyDelta(heldSeq: number, delta: { prevSeq: number; seq: number }): DeltaVerdict {
  if (delta.seq <= heldSeq) return 'stale';
  if (delta.prevSeq > heldSeq) return 'gap';
  return 'apply';
}

/** Replaces entries of `items` by key with those in `updates`, keeping order and adding new ones at the end. */
export function mergeByKey<T>(items: readonly T[], updates: readonly T[], keyOf: (item: T) => string): T[] {
  const byKey = new Map(updates.map((u) => [keyOf(u), u]));
  const merged = items.map((item) => {
    const key = keyOf(item);
    const update = byKey.get(key);
    if (update) byKey.delete(key);
    return update ?? item;
  });
  return [...merged, ...byKey.values()];
}
