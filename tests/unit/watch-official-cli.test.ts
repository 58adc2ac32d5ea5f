// Flags of `npm run watch-official` (watchdog/cli-options.ts): defaults, every refusal naming its flag, the
// tokens file, and the entry script exiting 2 on a bad flag.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseDuration, parseTokensFile, parseWatchArgs, UsageError, WATCH_USAGE } from '../../watchdog/cli-options.ts';

const BASE = ['--base', 'https://valgresultat.no', '--election', '2025/st'];

describe('parseWatchArgs', () => {
  it('defaults: 15 s interval, 4 at once, 10 s timeout, the local sidecar, rounds until stopped', () => {
    expect(parseWatchArgs(BASE)).toEqual({
      base: 'https://valgresultat.no', election: '2025/st', rootPath: '/2025/st', intervalMs: 15_000, concurrency: 4, timeoutMs: 10_000,
      valgvakt: 'http://localhost:3001', tokensFile: null, seatsToken: null, once: false,
    });
  });
  it('takes every flag', () => {
    expect(parseWatchArgs([...BASE, '--interval', '2m', '--concurrency', '8', '--timeout', '500ms', '--valgvakt', 'http://127.0.0.1:4000/', '--tokens-file', 't.json', '--seats-token', 'vvs_x', '--once']))
      .toMatchObject({ intervalMs: 120_000, concurrency: 8, timeoutMs: 500, valgvakt: 'http://127.0.0.1:4000', tokensFile: 't.json', seatsToken: 'vvs_x', once: true });
  });
  it.each([
    [[], '--base'],
    [['--base', 'https://valgresultat.no'], '--election'],
    [['--base', 'ftp://x', '--election', '2025/st'], '--base'],
    [['--base', 'valgresultat.no', '--election', '2025/st'], '--base'],
    [['--base', 'https://x', '--election', '2025'], '--election'],
    [[...BASE, '--interval', 'soon'], '--interval'],
    [[...BASE, '--interval', '10ms'], '--interval'],
    [[...BASE, '--interval', '61m'], '--interval'],
    [[...BASE, '--concurrency', '0'], '--concurrency'],
    [[...BASE, '--concurrency', '33'], '--concurrency'],
    [[...BASE, '--concurrency', '2.5'], '--concurrency'],
    [[...BASE, '--timeout', '-1'], '--timeout'],
    [[...BASE, '--valgvakt', 'nowhere'], '--valgvakt'],
    [[...BASE, '--seats-token', ' '], '--seats-token'],
    [[...BASE, '--speed', '60'], "'--speed'"],
  ])('%j is refused naming %s', (argv, flag) => {
    expect(() => parseWatchArgs(argv)).toThrow(UsageError);
    expect(() => parseWatchArgs(argv)).toThrow(flag);
  });
  it('--help gives the usage', () => {
    expect(() => parseWatchArgs(['--help'])).toThrow(WATCH_USAGE);
  });
  it.each([['15s', 15_000], ['15', 15_000], ['500ms', 500], ['2m', 120_000], ['0.5s', 500], ['0s', null], ['', null], ['1h', null]])('parseDuration(%j) = %j', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
});

describe('parseTokensFile', () => {
  it('reads municipality tokens and the seats token (npm run token -- all)', () => {
    expect(parseTokensFile('{"0301":"vv_a","4601":"vv_b","seats":"vvs_c"}', 't.json')).toEqual({ municipalities: { '0301': 'vv_a', 4601: 'vv_b' }, seats: 'vvs_c' });
  });
  it('says how to write the file when npm\'s banner is in it', () => {
    expect(() => parseTokensFile('\n> valgvakt@0.1.0 token\n> tsx scripts/db-tool.ts token all\n\n{"0301":"vv_a"}', 't.json')).toThrow('npm run --silent token -- all > tokens.json');
  });
  it.each([['not json', 'not JSON'], ['[]', 'one JSON object'], ['{"0301":5}', '"0301" must be a token'], ['{"oslo":"x"}', '"oslo" is neither']])('%j is refused: %s', (text, reason) => {
    expect(() => parseTokensFile(text, 't.json')).toThrow(reason);
  });
});

describe('the entry script', () => {
  it('exits 2 naming the flag', { timeout: 30_000 }, async () => {
    const run = promisify(execFile);
    const error = await run('npx', ['tsx', 'scripts/watch-official.ts', '--base', 'https://x', '--election', '2025/st', '--concurrency', 'many'], { cwd: new URL('../..', import.meta.url).pathname }).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 2 });
    expect((error as { stderr: string }).stderr).toMatch(/^--concurrency: "many"/);
  });
});
