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

type Knot = { share: number; minutes: number };
const [S0, S10, S25, S50, S75, S90, S100] = QUANTILE_SHARES;

/** The curve's knots in order: each share of QUANTILE_SHARES with its minutes. */
function knotsOf({ quantiles: [q0, q10, q25, q50, q75, q90, q100] }: ArrivalCurve): Knot[] {
  return [
    { share: S0, minutes: q0 }, { share: S10, minutes: q10 }, { share: S25, minutes: q25 }, { share: S50, minutes: q50 },
    { share: S75, minutes: q75 }, { share: S90, minutes: q90 }, { share: S100, minutes: q100 },
  ];
}

/** Minutes after 21:00 at which the share `u` (0..1) of districts have reported: linear between knots. */
export function minutesAtShare(curve: ArrivalCurve, u: number): number {
  const p = Math.min(1, Math.max(0, u));
  let lo: Knot | null = null;
  for (const hi of knotsOf(curve)) {
    if (lo && p <= hi.share) {
      const t = hi.share === lo.share ? 0 : (p - lo.share) / (hi.share - lo.share);
      return lo.minutes + t * (hi.minutes - lo.minutes);
    }
    lo = hi;
  }
  return curve.quantiles[6];
}

/** The share of districts expected to have reported `minutes` after 21:00 (the inverse of minutesAtShare). */
export function shareAtMinutes(curve: ArrivalCurve, minutes: number): number {
  const q = curve.quantiles;
  if (minutes < q[0]) return 0;
  if (minutes >= q[6]) return 1;
  let lo: Knot | null = null;
  for (const hi of knotsOf(curve)) {
    if (lo && minutes < hi.minutes) {
      const span = hi.minutes - lo.minutes;
      const t = span === 0 ? 1 : (minutes - lo.minutes) / span;
      return lo.share + t * (hi.share - lo.share);
    }
    lo = hi;
  }
  return 1;
}
