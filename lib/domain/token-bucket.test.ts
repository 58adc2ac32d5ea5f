import { describe, expect, it } from 'vitest';
import { takeToken, type TokenBucket } from './token-bucket.ts';

const RATE = { perSecond: 10, burst: 3 };

function run(times: number[]): boolean[] {
  let bucket: TokenBucket | undefined;
  return times.map((now) => {
    const taken = takeToken(bucket, now, RATE);
    bucket = taken.bucket;
    return taken.allowed;
  });
}

describe('takeToken', () => {
  it('allows a burst, then refuses until a token has been refilled', () => {
    expect(run([0, 0, 0, 0])).toEqual([true, true, true, false]);
    // One token takes 100 ms at 10/s: refused at 99 ms, allowed at 100 ms.
    expect(run([0, 0, 0, 99])).toEqual([true, true, true, false]);
    expect(run([0, 0, 0, 100])).toEqual([true, true, true, true]);
  });

  it('refills at most to the burst', () => {
    expect(run([0, 60_000, 60_000, 60_000, 60_000])).toEqual([true, true, true, true, false]);
  });

  it('sustains the rate and no more', () => {
    const times = Array.from({ length: 200 }, (_, i) => i * 50); // 20 a second for 10 s
    const allowed = run(times).filter(Boolean).length;
    expect(allowed).toBeGreaterThanOrEqual(100);
    expect(allowed).toBeLessThanOrEqual(103);
  });

  it('refills nothing when the clock steps back', () => {
    expect(run([1000, 1000, 1000, 0, 0])).toEqual([true, true, true, false, false]);
  });
});
