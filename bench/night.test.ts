import { describe, expect, it } from 'vitest';
import type { ResultReport } from '../lib/contracts/ingest.ts';
import type { PlannedRequest } from '../lib/replay/plan.ts';
import { nightSchedule, peakPerSecond } from './night.ts';

const request = (id: number, at: string): PlannedRequest => ({ id, at, municipality: '0301', kind: 'result', // The schedule reads only id and at: an empty body stands in for a report.
  body: {} as ResultReport, expect: 201, tags: [] });

describe('nightSchedule', () => {
  it('keeps the requests of the first minutes and spaces them at the speed', () => {
    const start = '2023-09-11T18:55:00.000Z';
    const requests = [request(1, start), request(2, '2023-09-11T18:56:00.000Z'), request(3, '2023-09-11T19:05:00.000Z'), request(4, '2023-09-11T19:05:00.001Z')];
    // 10 simulated minutes at 60×: a simulated minute is a real second.
    expect(nightSchedule(requests, start, 10, 60).map((s) => [s.request.id, s.dueMs])).toEqual([[1, 0], [2, 1000], [3, 10_000]]);
  });
});

describe('peakPerSecond', () => {
  it('counts the most requests in one wall-clock second', () => {
    expect(peakPerSecond([0, 10, 999, 1000, 2500])).toBe(3);
    expect(peakPerSecond([])).toBe(0);
  });
});
