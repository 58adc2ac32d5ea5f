// How precisely shares are published. Six decimals is a ten-thousandth of a percentage point, far below
// anything a page, an export or a seat shows, while a float's full 17 digits were most of the bytes of a
// live delta sent to every viewer. One rule for snapshots, deltas and exports, so they always agree.

const SCALE = 1e6;
const STEP = 1 / SCALE;

/**
 * A share (0..1) to six decimals. Never rounds onto 0 or 1 from inside: those mean "none" and "all" (a
 * municipality 99.99996 % counted is not complete, and its council stays provisional).
 */
export function publishedShare(share: number): number {
  if (share <= 0 || share >= 1) return share;
  return Math.min(1 - STEP, Math.max(STEP, Math.round(share * SCALE) / SCALE));
}

/** A difference of two published shares (share points, −1..1) to the same six decimals. */
export function publishedChange(share: number, previousShare: number): number {
  return Math.round((share - previousShare) * SCALE) / SCALE;
}
