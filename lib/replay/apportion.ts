// Splits a whole number into whole parts proportional to weights (largest remainder), exactly: the parts
// always add up to the total. Ties go to the earlier item, so the result is deterministic.
export function apportion(total: number, weights: readonly number[]): number[] {
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`apportion: total must be a whole number ≥ 0, got ${total}`);
  if (weights.length === 0) {
    if (total === 0) return [];
    throw new RangeError('apportion: no parts to put votes in');
  }
  const positive = weights.map((w) => (Number.isFinite(w) && w > 0 ? w : 0));
  const sum = positive.reduce((a, b) => a + b, 0);
  const shares = sum > 0 ? positive.map((w) => (total * w) / sum) : positive.map(() => total / weights.length);
  const parts = shares.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = shares.map((share, index) => ({ index, remainder: share - Math.floor(share) })).sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of order) {
    if (left === 0) break;
    // index is a position in shares, and parts has one entry per share.
    parts[index]! += 1;
    left -= 1;
  }
  return parts;
}
