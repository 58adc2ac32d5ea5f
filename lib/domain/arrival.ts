// A municipality's expected election-night schedule: the share of its election-day districts that report
// by a given number of minutes after 21:00, from quantiles fitted on earlier nights (data/arrival-curves.csv).
// The replay draws arrival times from it; the stall rules use it to tell a quiet municipality that is on
// schedule from one that is behind.
export interface ArrivalCurve {
  /** Minutes after 21:00 at which 0, 10, 25, 50, 75, 90 and 100 % of election-day districts report. */
  quantiles: [number, number, number, number, number, number, number];
  /** Minutes after 21:00 when the advance votes are published. */
  advanceMinutes: number;
}

export const QUANTILE_SHARES = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1] as const;

/** Minutes after 21:00 at which the share `u` (0..1) of districts have reported: linear between knots. */
export function minutesAtShare(curve: ArrivalCurve, u: number): number {
  const q = curve.quantiles;
  const p = Math.min(1, Math.max(0, u));
  for (let i = 1; i < QUANTILE_SHARES.length; i++) {
    const hi = QUANTILE_SHARES[i]!;
    if (p <= hi) {
      const lo = QUANTILE_SHARES[i - 1]!;
      const t = hi === lo ? 0 : (p - lo) / (hi - lo);
      return q[i - 1]! + t * (q[i]! - q[i - 1]!);
    }
  }
  return q[q.length - 1]!;
}

/** The share of districts expected to have reported `minutes` after 21:00 (the inverse of minutesAtShare). */
export function shareAtMinutes(curve: ArrivalCurve, minutes: number): number {
  const q = curve.quantiles;
  if (minutes < q[0]) return 0;
  if (minutes >= q[q.length - 1]!) return 1;
  for (let i = 1; i < q.length; i++) {
    if (minutes < q[i]!) {
      const span = q[i]! - q[i - 1]!;
      const t = span === 0 ? 1 : (minutes - q[i - 1]!) / span;
      return QUANTILE_SHARES[i - 1]! + t * (QUANTILE_SHARES[i]! - QUANTILE_SHARES[i - 1]!);
    }
  }
  return 1;
}
