import { describe, expect, it } from 'vitest';
import { ANALYSIS_END, ANALYSIS_START, evaluateGoals, extractAnalysis, renderReport } from './report.ts';
import type { BenchResults, LatencySummary, PushCell } from './results.ts';

const latency = (p50: number, p99: number): LatencySummary => ({ p50, p95: p99 * 0.9, p99, max: p99 * 1.2, mean: p50, samples: 1000, negative: 0 });

function push(server: PushCell['server'], viewers: number, rate: number, p50: number, p99: number, cpuPercent: number): PushCell {
  return {
    server, viewers, rate, sentPerSecond: rate, reports: rate * 15, latency: latency(p50, p99), delivered: rate * 15 * viewers, expected: rate * 15 * viewers,
    messagesPerViewer: rate * 15, bytesPerViewer: rate * 15 * 300, cpuPercent, loopPercent: cpuPercent, gaps: 0, disconnects: 0,
    commitTime: server === 'naive' ? 'message' : 'header', answerP50: 5, answerP99: 20,
  };
}

function results(): BenchResults {
  return {
    meta: {
      date: '2026-01-01 12:00 UTC', machine: { cpuModel: 'Test CPU', cores: 2, memoryBytes: 8 * 1024 ** 3, os: 'Linux', node: 'v20.20.0' },
      commit: 'abc1234', dirty: false, database: 'postgres', workers: 4, windowS: 15, sizes: [10_000, 1_000], rates: [3, 30], smoke: false,
      durationS: 600, loadAverage: { start: 0.4, end: 3.1 }, committedAtHeader: true, metricsEndpoint: false,
    },
    push: [
      push('valgvakt', 10_000, 3, 40, 150, 20), push('naive', 10_000, 3, 75, 189, 15),
      push('valgvakt', 10_000, 30, 90, 400, 60), push('naive', 10_000, 30, 120, 300, 70),
      push('valgvakt', 1_000, 3, 5, 20, 5), push('naive', 1_000, 3, 4, 12, 3),
    ],
    memory: [
      { server: 'valgvakt', viewers: 10_000, heapBefore: 50e6, heapAfter: 50e6 + 10_000 * 12_000, rssBefore: 300e6, rssAfter: 500e6, collected: true, rampSeconds: 20 },
      { server: 'naive', viewers: 10_000, heapBefore: 8e6, heapAfter: 8e6 + 10_000 * 13_000, rssBefore: 70e6, rssAfter: 300e6, collected: true, rampSeconds: 20 },
    ],
    polling: [{
      viewers: 10_000, rate: 3, intervalS: 10, reports: 45, staleness: latency(5_000, 9_900), seen: 450_000, expected: 450_000,
      requestsPerSecond: 1000, bytesPerSecond: 150e6, errors: 0, skipped: 0, cpuPercent: 90, loopPercent: 95,
    }],
    ingest: [
      { database: 'embedded', municipalities: 'all', requests: 5641, sent: 5641, created: 5641, unexpected: 0, retries: 0, seconds: 25, finished: true, timeoutS: 180, cpuPercent: 90, unexpectedSample: [] },
      { database: 'postgres', municipalities: 'all', requests: 5641, sent: 2000, created: 2000, unexpected: 0, retries: 0, seconds: 180, finished: false, timeoutS: 180, cpuPercent: 50, unexpectedSample: [] },
    ],
    snapshot: [
      { variant: 'plain', connections: 32, seconds: 10, requestsPerSecond: 700, latencyP50: 40, latencyP99: 90, status2xx: 7000, status3xx: 0, otherStatus: 0, bytesPerSecond: 110e6, cpuPercent: 95 },
      { variant: 'conditional', connections: 32, seconds: 10, requestsPerSecond: 11_000, latencyP50: 2, latencyP99: 6, status2xx: 0, status3xx: 110_000, otherStatus: 0, bytesPerSecond: 2e6, cpuPercent: 98 },
    ],
    notes: [],
  };
}

describe('evaluateGoals', () => {
  const goals = evaluateGoals(results());
  const find = (text: string) => goals.find((g) => g.goal.includes(text))!;

  it('compares our p99 with the naive broadcast at the largest size, per rate, and says by how much we miss', () => {
    expect(find('10,000 viewers, 3 reports/s')).toMatchObject({ met: true, verdict: 'met', measured: '150 ms' });
    const missed = find('10,000 viewers, 30 reports/s');
    expect(missed.met).toBe(false);
    expect(missed.verdict).toContain('100 ms');
    expect(missed.verdict).toContain('1.33×');
    expect(goals.some((g) => g.goal.includes('1,000 viewers'))).toBe(false);
  });

  it('judges freshness against polling as a ratio of medians, and CPU', () => {
    expect(find('fresher')).toMatchObject({ met: true }); // 5 000 ms / 40 ms = 125×
    expect(find('fresher').measured).toContain('125×');
    expect(find('lower server CPU')).toMatchObject({ met: true, measured: '20 %' });
  });

  it('judges the night against 30 s embedded and 10 s on PostgreSQL, projecting an unfinished one', () => {
    expect(find('embedded')).toMatchObject({ met: true, measured: '25.0 s' });
    const postgres = find('PostgreSQL');
    expect(postgres.met).toBe(false);
    expect(postgres.measured).toContain('stopped at 2000 of 5641');
    expect(postgres.verdict).toContain('**missed**');
  });

  it('compares heap per idle viewer with bare Socket.IO', () => {
    expect(find('heap per idle viewer')).toMatchObject({ met: true });
  });
});

describe('renderReport', () => {
  const markdown = renderReport(results());

  it('has the date, machine and commit, and a table per section', () => {
    expect(markdown).toContain('2026-01-01 12:00 UTC');
    expect(markdown).toContain('2 × Test CPU, 8.0 GiB RAM');
    expect(markdown).toContain('`abc1234`');
    for (const heading of ['## Goals', '## Commit → viewer latency', '## Push vs polling', '## Memory per connected viewer', '## Ingest throughput', '## Snapshot endpoint', '## Analysis']) {
      expect(markdown).toContain(heading);
    }
  });

  it('marks a server that fell behind: its percentiles cover only what arrived', () => {
    const behind = results();
    const naive = behind.push.find((c) => c.server === 'naive' && c.viewers === 10_000 && c.rate === 30)!;
    naive.delivered = Math.round(naive.expected * 0.18);
    const text = renderReport(behind);
    expect(text.split('\n').find((line) => line.includes('| naive broadcast') && line.includes('|        30 |') && line.includes('10,000'))).toContain('300 ms †');
    expect(text).toContain('† Fell behind');
    expect(evaluateGoals(behind).find((g) => g.goal.includes('30 reports/s'))!.target).toContain('of the 18 % it delivered');
    expect(markdown).not.toContain('† Fell behind');
  });

  it('shows our latency as a ratio to the naive floor from the same run', () => {
    const row = markdown.split('\n').find((line) => line.includes('| Valgvakt') && line.includes('|        30 |'))!;
    expect(row).toContain('0.75× / 1.33×');
  });

  it('keeps the hand-written analysis across runs', () => {
    const written = renderReport(results(), 'Fan-out dominates at 10,000 viewers.');
    expect(extractAnalysis(written)).toBe('Fan-out dominates at 10,000 viewers.');
    expect(extractAnalysis(renderReport(results(), extractAnalysis(written)))).toBe('Fan-out dominates at 10,000 viewers.');
    expect(markdown).toContain(ANALYSIS_START);
    expect(markdown).toContain(ANALYSIS_END);
    expect(extractAnalysis(null)).toBeUndefined();
    expect(extractAnalysis('# no markers')).toBeUndefined();
  });
});
