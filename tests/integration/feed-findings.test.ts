// `npm run feed:findings` as its own process (scripts/feed-findings.ts): the whole JSON through a pipe, the
// table's first rows, and exit 2 naming the flag. The figures themselves are tested in
// tests/unit/official-feed-stand-still.test.ts.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

async function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/feed-findings.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = await once(child, 'exit');
  return { code: code as number | null, stdout, stderr };
}

describe('npm run feed:findings (the command line)', () => {
  it('writes the whole JSON through a pipe, prints the table, and exits 2 for a bad flag', async () => {
    const [json, table, badTop, unknown] = await Promise.all([run(['--json', '--top', '40']), run(['--top', '3']), run(['--top', '0']), run(['--topp'])]);

    expect(json.code).toBe(0);
    // Well over 64 KB: a process.exit right after writing would cut it off on a pipe.
    expect(json.stdout.length).toBeGreaterThan(65_536);
    const parsed = JSON.parse(json.stdout) as { ranked: { municipality: string; minutes: number }[]; endedTogether: { reportMinute: string }[]; neverComplete: unknown[]; slow2023: { municipality: string; rank: number | null }[] };
    expect(parsed.ranked).toHaveLength(40);
    expect(parsed.ranked[0]).toMatchObject({ municipality: '1539', minutes: 182 });
    expect(parsed.endedTogether[0]!.reportMinute).toBe('2025-09-08T23:09');
    expect(parsed.neverComplete).toHaveLength(19);
    expect(parsed.slow2023).toHaveLength(27);
    expect(parsed.slow2023.find((w) => w.municipality === '5622')?.rank).toBe(2);

    expect(table.code).toBe(0);
    const rows = table.stdout.split('\n');
    const header = rows.findIndex((r) => /^# +municipality/.test(r));
    expect(header).toBeGreaterThan(0);
    expect(rows[header + 1]).toMatch(/^1 +1539 Rauma +21:02–00:04 +3:02 +2:47–3:04 +21:01:55–23:54:54 +2:53 +3178 votes, stations 3\/4, advance 1\/1 +new votes, complete$/);
    expect(rows[header + 2]).toMatch(/^2 +5622 Porsanger - Porsáŋgu - Porsanki \* /);
    expect(rows[header + 4]).toBe('');

    expect([badTop.code, badTop.stderr.split('\n')[0]]).toEqual([2, '--top: wants a whole number of at least 1, got 0']);
    expect([unknown.code, unknown.stderr.split('\n')[0]]).toEqual([2, 'unknown argument: --topp']);
  });
});
