import { describe, expect, it } from 'vitest';
import { BENCH_USAGE, parseBenchArgs, splitEvenly } from './options.ts';

describe('parseBenchArgs', () => {
  it('defaults to the issue: the capacity curve 1,000 to 20,000 viewers (largest first), 3 and 30 reports/s, all sections', () => {
    const options = parseBenchArgs([]);
    expect(options.sizes).toEqual([20_000, 10_000, 5_000, 1_000]);
    expect(options.rates).toEqual([3, 30]);
    expect(options.only).toEqual(['latency', 'polling', 'ingest', 'snapshot', 'night', 'storm', 'pages']);
    expect(options).toMatchObject({ nightViewers: 10_000, nightSpeed: 60, nightMinutes: 300, stormViewers: 10_000, stormTimeoutS: 60, stormSignal: 'SIGKILL', pageSeconds: 10 });
    expect(options.out).toBe('docs/benchmarks.md');
    expect(options.pollIntervalS).toBe(10);
    expect(options.ingestMunicipalities).toBe('all');
    expect(options.smoke).toBe(false);
  });

  it('makes --smoke tiny, and lets explicit options win over it', () => {
    const smoke = parseBenchArgs(['--smoke']);
    expect(smoke.sizes).toEqual([50, 20]);
    expect(smoke.nightViewers).toBeLessThanOrEqual(50);
    expect(smoke.stormViewers).toBeLessThanOrEqual(50);
    expect(smoke.rates).toHaveLength(1);
    expect(smoke.windowS).toBe(3);
    expect(smoke.ingestMunicipalities).not.toBe('all');
    expect(smoke.out).not.toBe('docs/benchmarks.md');
    expect(parseBenchArgs(['--smoke', '--sizes', '20', '--out', 'x.md'])).toMatchObject({ sizes: [20], out: 'x.md', windowS: 3 });
  });

  it('reads the night, storm and page options', () => {
    expect(parseBenchArgs(['--only', 'night,storm,pages', '--night-speed', '120', '--night-minutes', '30', '--night-viewers', '500', '--storm-viewers', '2000', '--storm-timeout', '20', '--storm-signal', 'sigterm', '--page-seconds', '0']))
      .toMatchObject({ only: ['night', 'storm', 'pages'], nightSpeed: 120, nightMinutes: 30, nightViewers: 500, stormViewers: 2000, stormTimeoutS: 20, stormSignal: 'SIGTERM', pageSeconds: 0 });
    expect(() => parseBenchArgs(['--storm-signal', 'SIGSTOP'])).toThrow(/--storm-signal/);
    expect(() => parseBenchArgs(['--storm-viewers', '10.5'])).toThrow(/whole number/);
  });

  it('reads lists and sections', () => {
    const options = parseBenchArgs(['--sizes', '1000,5000', '--rates', '3', '--window', '20', '--only', 'latency,ingest', '--db', 'pglite', '--ingest-municipalities', '0301,4601']);
    expect(options).toMatchObject({ sizes: [5000, 1000], rates: [3], windowS: 20, only: ['latency', 'ingest'], db: 'pglite', ingestMunicipalities: ['0301', '4601'] });
  });

  it.each([
    [['--sizes', '10,x'], /--sizes/],
    [['--rates', '0'], /--rates/],
    [['--only', 'latency,speed'], /--only .*speed/],
    [['--db', 'mysql'], /--db/],
    [['--workers', '1.5'], /--workers/],
    [['--window', '-1'], /--window/],
    [['--port-base', '80'], /--port-base/],
    [['--no-such-option'], /no-such-option/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });

  it('answers --help with the usage', () => {
    expect(() => parseBenchArgs(['--help'])).toThrow(BENCH_USAGE);
  });
});

describe('splitEvenly', () => {
  it('splits into whole shares that differ by at most one and add up', () => {
    expect(splitEvenly(10_000, 4)).toEqual([2500, 2500, 2500, 2500]);
    expect(splitEvenly(50, 4)).toEqual([13, 13, 12, 12]);
    expect(splitEvenly(1, 3)).toEqual([1, 0, 0]);
  });
});
