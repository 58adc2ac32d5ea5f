// When counting units finish on a normal night: each municipality's election-day districts follow its
// arrival curve (quantiles fitted on real nights, data/arrival-curves.csv); which district comes when is
// shuffled by the seed.
import { minutesAtShare, type ArrivalCurve } from '../domain/arrival.ts';

export { minutesAtShare };
import type { Random } from './random.ts';

/** Local count times (minutes after 21:00) of the districts, in the order given. */
export function assignLocalMinutes(districts: readonly string[], curve: ArrivalCurve, random: Random): Map<string, number> {
  const order = random.shuffle(districts);
  const n = order.length;
  const minutes = new Map<string, number>();
  order.forEach((district, i) => {
    const u = n === 1 ? 0.5 : i / (n - 1);
    // A little noise so districts never finish in lockstep; never before the curve's first report.
    // The index term breaks ties left by that floor, so districts keep a strict order (stretchToCount needs it).
    minutes.set(district, Math.max(curve.quantiles[0], minutesAtShare(curve, u) + random.between(-0.5, 0.5)) + i * 1e-4);
  });
  return minutes;
}

/**
 * Stretches (or compresses) local times so that exactly `count` districts are done at `atMinutes`:
 * used to reproduce a known fact of a night (Oslo 2023: 91 of 101 counted locally at 00:30).
 */
export function stretchToCount(minutes: Map<string, number>, atMinutes: number, count: number): Map<string, number> {
  const sorted = [...minutes.values()].sort((a, b) => a - b);
  if (count <= 0 || count > sorted.length) throw new RangeError(`cannot have ${count} of ${sorted.length} districts done`);
  if (count === sorted.length) {
    // 1 ≤ count ≤ sorted.length (checked above), so sorted[count - 1] exists.
    const factor = Math.min(1, (atMinutes - 1) / sorted[count - 1]!);
    return new Map([...minutes].map(([d, m]) => [d, m * factor]));
  }
  // count < sorted.length here, so both neighbours exist.
  const pivot = (sorted[count - 1]! + sorted[count]!) / 2;
  const factor = atMinutes / pivot;
  return new Map([...minutes].map(([d, m]) => [d, m * factor]));
}
