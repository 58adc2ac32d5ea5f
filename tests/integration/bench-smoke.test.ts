// The benchmark suite at smoke size, end to end: it starts its own sidecars, naive server, reporter and
// load processes, and must write a report whose tables hold numbers for every section. Not a timed test:
// it checks that the bench works, not how fast anything is.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { repoRoot } from '../../bench/ipc.ts';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchDocument } from '../../bench/report.ts';

let dir: string;
let report: string;
let json: BenchDocument | null;
let exitCode: number | null;
let output = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'valgvakt-bench-smoke-'));
  const out = path.join(dir, 'benchmarks.md');
  const child = spawn('npm', ['run', '-s', 'bench:smoke', '--', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  exitCode = await new Promise((resolve) => child.on('exit', resolve));
  report = await readFile(out, 'utf8').catch(() => '');
  json = await readFile(path.join(dir, 'benchmarks.json'), 'utf8').then((text) => JSON.parse(text) as BenchDocument, () => null);
}, 400_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The table rows of a section, as arrays of trimmed cells. */
function rows(heading: string): string[][] {
  const start = report.indexOf(`${heading}\n`);
  expect(start, `section ${heading}`).toBeGreaterThanOrEqual(0);
  const lines = report.slice(start + heading.length + 1).split('\n');
  const table: string[][] = [];
  for (const line of lines.slice(lines.findIndex((l) => l.startsWith('|')))) {
    if (!line.startsWith('|')) break;
    table.push(line.slice(1, -1).split('|').map((cell) => cell.trim()));
  }
  return table.slice(2); // without the header and the rule
}

const measured = /^\d[\d,.]*( ms| s| %| KB| B| MB)?( †)?$/; // † marks a server that fell behind
/** "p50 / p99" with both measured. */
const pair = /^\d[\d,.]*( ms| s) \/ \d[\d,.]*( ms| s)( †)?$/;

describe('npm run bench:smoke', () => {
  it('finishes and writes the report', () => {
    expect(exitCode, output.slice(-3000)).toBe(0);
    expect(report).toMatch(/\*\*Date:\*\* \d{4}-\d{2}-\d{2}/);
    expect(report).toMatch(/\*\*Commit:\*\* `[0-9a-f]{7,}`/);
    expect(report).toMatch(/\*\*Machine:\*\* \d+ × /);
  });

  it('measures latency on both clocks for Valgvakt and the naive broadcast, with every report delivered to someone', () => {
    const latency = rows('## Commit → viewer latency');
    for (const server of ['Valgvakt', 'naive broadcast']) {
      const row = latency.find((r) => r[2] === server);
      expect(row, server).toBeDefined();
      expect(row![0]).toBe('50');
      expect(row![3]).toMatch(pair); // commit → viewer
      expect(row![4]).toMatch(pair); // send → viewer
      expect(row![5]).toMatch(measured); // max
      expect(Number(row![6]!.match(/^([\d.]+) %/)?.[1])).toBeGreaterThan(0);
      expect(row![7]).toMatch(pair); // ingest acknowledgement
    }
    expect(latency.find((r) => r[2] === 'Valgvakt')![8]).toMatch(/^[\d.]+× \/ [\d.]+×$|^not compared †$/);
    const traffic = rows('### Traffic and server load while measuring');
    expect(traffic.find((r) => r[2] === 'Valgvakt')![5]).toMatch(measured); // bytes per viewer per report
  });

  it('draws the capacity curve of both servers over two sizes and names the largest audience each serves', () => {
    const curve = rows('### Capacity curve');
    expect(curve.map((r) => r[1])).toEqual(['20', '50']);
    for (const row of curve) for (const cell of row.slice(2)) expect(cell).toMatch(/^(served|\*\*not served\*\*): p99 /);
    expect(report).toMatch(/- at \d+ reports\/s: Valgvakt serves .+, the naive broadcast .+/);
  });

  it('measures ingest acknowledgement with no viewers and in every cell', () => {
    const ack = rows('### Ingest acknowledgement');
    expect(ack.find((r) => r[0] === 'Valgvakt' && r[1] === '0')![5]).toMatch(measured);
    expect(ack.filter((r) => r[1] !== '0')).toHaveLength(4);
  });

  it('replays the night\'s arrivals with viewers connected', () => {
    const [night] = rows('## The 2023 night with viewers connected');
    expect(Number(night![3]!.split(' of ')[0]!.replace(/,/g, ''))).toBeGreaterThan(0);
    expect(night![6]).toMatch(pair); // ack
    expect(night![7]).toMatch(pair); // commit → viewer
    expect(Number(night![9]!.match(/^([\d.]+) %/)?.[1])).toBeGreaterThan(0);
  });

  it('restarts the sidecar under its viewers and says how they came back', () => {
    const [storm] = rows('## Reconnect storm');
    expect(storm![1]).toMatch(/^live processes \(\d+\)$/); // only the live role is killed; the supervisor restarts it
    expect(storm![2]).toBe('SIGKILL');
    // Back by the stream, by a catch-up from the seq held, or by a snapshot: the pages catch up (none refused).
    expect(Number(storm![7])).toBeGreaterThan(0);
    expect(Number(storm![6]) + Number(storm![7]) + Number(storm![8])).toBe(Number(storm![0]));
    expect(storm![11]).toMatch(/^(\d+) of \1 at 5\/s/); // every report across the kill acknowledged
  });

  it('reads the CPU of every process and the PostgreSQL version', () => {
    const cpu = rows('## CPU of every process');
    expect(cpu.length).toBeGreaterThanOrEqual(4);
    expect(report).toMatch(/\*\*PostgreSQL:\*\* \d+/);
    expect(report).toContain('| sidecar');
    expect(report).toContain('postgres');
  });

  it('measures the snapshot\'s bytes as sent, and says when the pages could not be measured', () => {
    expect(report).toMatch(/\*\*Snapshot\*\* \(`GET \/api\/v1\/snapshot`\): [\d.]+ KB, [\d.]+ KB gzipped, [\d.]+ KB brotli/);
    // The suite's smoke run comes before `npm run build`; with a build, the page-load section has its figures.
    if (existsSync(path.join(repoRoot, '.next', 'BUILD_ID'))) expect(report).toContain('## Page loads');
    else expect(report).toContain('pages: not measured — no production build');
  });

  it('writes every goal machine-readable beside the page', () => {
    expect(json?.format).toBe('valgvakt-bench/1');
    expect(json!.goals.length).toBeGreaterThanOrEqual(10);
    for (const goal of json!.goals) expect(Object.keys(goal).sort()).toEqual(['goal', 'measured', 'met', 'target', 'verdict']);
    expect(rows('## Goals').map((r) => r[0])).toEqual(json!.goals.map((g) => g.goal));
  });

  it('compares push with polling and says how much fresher push is', () => {
    const polling = rows('## Push vs polling');
    const push = polling.find((r) => r[2]!.startsWith('push'));
    const poll = polling.find((r) => r[2]!.startsWith('polling every'));
    expect(push).toBeDefined();
    expect(poll![3]).toMatch(measured);
    expect(poll![9]).toMatch(/fresher/);
  });

  it('reports memory per viewer of both servers', () => {
    const memory = rows('## Memory per connected viewer');
    expect(memory.filter((r) => r[1] === '50').map((r) => r[0])).toEqual(['Valgvakt', 'naive broadcast (bare Socket.IO)']);
    for (const row of memory) expect(row[3]).toMatch(/^−?[\d.]+ (B|KB|MB)$/);
  });

  it('ingests into PGlite and PostgreSQL with no unexpected answer', () => {
    const ingest = rows('## Ingest throughput');
    expect(ingest.map((r) => r[0])).toEqual(['embedded (PGlite)', 'PostgreSQL server']);
    for (const row of ingest) {
      const [sent, total] = row[2]!.split(' of ').map((n) => Number(n.replace(/,/g, '')));
      expect(sent).toBeGreaterThan(0);
      expect(sent).toBe(total);
      expect(row[3]).toMatch(/^[\d.]+ s$/);
      expect(row[5]).toBe('0');
    }
  });

  it('measures the snapshot endpoint with and without conditional requests', () => {
    const snapshot = rows('## Snapshot endpoint');
    const plain = snapshot.find((r) => r[0] === 'plain GET')!;
    const conditional = snapshot.find((r) => r[0] === 'If-None-Match (304)')!;
    expect(Number(plain[3]!.replace(/,/g, ''))).toBeGreaterThan(0);
    expect(plain[6]).toMatch(/^[\d,]+ × 2xx, 0 × 3xx$/);
    expect(conditional[6]).toMatch(/^0 × 2xx, [\d,]+ × 3xx$/);
  });

  it('states the goals with a verdict', () => {
    const goals = rows('## Goals');
    expect(goals.length).toBeGreaterThanOrEqual(5);
    for (const goal of goals) expect(goal[3]).toMatch(/^(met|met: .*|\*\*missed\*\*.*|not the whole night \(smoke\)|not measured|not judged: .*)$/);
  });
});
