import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderBenchDocument, parseBenchDocument, siblingPath, writeBenchDocument } from './render.ts';
import { buildDocument, type BenchDocument } from './report.ts';
import type { BenchResults } from './results.ts';

function results(): BenchResults {
  return {
    meta: {
      date: '2026-01-01 12:00 UTC', machine: { cpuModel: 'Test CPU', cores: 2, memoryBytes: 8 * 1024 ** 3, os: 'Linux', node: 'v20.20.0' },
      commit: 'abc1234', commitFull: 'abc1234ffff', dirty: false, database: 'postgres', workers: 4, windowS: 15, sizes: [1_000], rates: [3], smoke: false,
      durationS: 60, loadAverage: { start: 0.4, end: 1 }, committedAtHeader: true, metricsEndpoint: true, postgresVersion: '15.20', naivePadding: true,
    },
    push: [], memory: [], polling: [], snapshot: [], ackBaseline: [], night: [], storm: [], notes: [],
    ingest: [{ database: 'embedded', municipalities: 'all', requests: 5641, sent: 5641, created: 5641, unexpected: 0, retries: 0, seconds: 25, finished: true, timeoutS: 180, cpuPercent: 90, unexpectedSample: [] }],
    pages: null,
  };
}

describe('siblingPath', () => {
  it('pairs docs/benchmarks.json with docs/benchmarks.md', () => {
    expect(siblingPath('docs/benchmarks.json', '.md')).toBe(path.join('docs', 'benchmarks.md'));
    expect(siblingPath('/tmp/x/run.md', '.json')).toBe('/tmp/x/run.json');
  });
});

describe('parseBenchDocument', () => {
  it('refuses a file that is not a benchmark document', () => {
    expect(() => parseBenchDocument('{"goals": []}')).toThrow(/not a benchmark document/);
    expect(parseBenchDocument(JSON.stringify(buildDocument(results()))).format).toBe('valgvakt-bench/1');
  });
});

describe('writeBenchDocument and renderBenchDocument', () => {
  it('writes the figures as JSON and renders the page from them, keeping the analysis', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'valgvakt-render-'));
    try {
      const md = path.join(dir, 'benchmarks.md');
      await writeFile(md, '# old\n<!-- analysis:start -->\nWhy it is slow.\n<!-- analysis:end -->\n');
      await writeBenchDocument(buildDocument(results()), md);
      const json = JSON.parse(await readFile(path.join(dir, 'benchmarks.json'), 'utf8')) as BenchDocument;
      expect(json.goals.find((g) => g.goal.includes('embedded'))).toEqual({ goal: 'whole 2023 night ingested, embedded (PGlite)', target: '< 30 s', measured: '25.0 s', met: true, verdict: 'met' });
      const page = await readFile(md, 'utf8');
      expect(page).toContain('Why it is slow.');
      expect(page).toMatch(/\| whole 2023 night ingested, embedded \(PGlite\) +\| < 30 s/);
      // The page follows the JSON: a verdict changed there (e.g. by hand) is what the page shows.
      json.goals[0]!.verdict = 'edited';
      await writeFile(path.join(dir, 'benchmarks.json'), JSON.stringify(json));
      expect(await renderBenchDocument(path.join(dir, 'benchmarks.json'))).toMatch(/\| edited +\|/);
      expect(await readFile(md, 'utf8')).toContain('Why it is slow.');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
