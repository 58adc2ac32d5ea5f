import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPackageScenarios } from '../../data/election-package.ts';
import { ZScenario, type ScenarioInput } from '../../lib/contracts/scenario.ts';
import { cleanScenario, type PackageScenarios } from '../../lib/replay/scenarios.ts';
import { REPLAY_USAGE, parseReplayArgs } from '../../replay/cli-options.ts';

const env = (vars: Record<string, string> = {}) => vars as unknown as NodeJS.ProcessEnv;
const NO_ENV = env();
/** The served package in these tests: the shipped ko2023, whose default scenario is its night "2023". */
let KO2023: PackageScenarios;
let SCENARIO_2023: ScenarioInput;
const parse = (...argv: string[]) => parseReplayArgs(argv, KO2023, NO_ENV);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'valgvakt-replay-cli-'));
  KO2023 = await loadPackageScenarios('ko2023');
  SCENARIO_2023 = KO2023.scenarios.get('2023')!;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parseReplayArgs', () => {
  it('defaults to the served package\'s default scenario (ko2023: its 2023 night) at 60× against the local sidecar', async () => {
    const options = await parse();
    expect(options.url).toBe('http://localhost:3001');
    expect(options.speed).toBe(60);
    expect(options.concurrency).toBe(16);
    expect(options.quiet).toBe(false);
    expect(options.from).toBeUndefined();
    expect(options.planFile).toBeUndefined();
    expect(options.clockToken).toBeUndefined();
    const { faults, ...rest } = options.scenario;
    const { faults: builtInFaults, ...builtIn } = SCENARIO_2023;
    expect(rest).toEqual(builtIn);
    expect(builtInFaults).toBeUndefined();
    expect(faults).toEqual({});
    expect(options.scenario.name).toBe('2023');
    expect(options.scenario.countedLocally).toEqual([{ municipality: '0301', at: '00:30', districts: 91 }]);
  });

  it('takes a stop (--until) and a continuation (--after), so a night can be looked at moment by moment', async () => {
    const options = await parse('--until', '23:30', '--after', '22:00');
    expect(options).toMatchObject({ until: '23:30', after: '22:00' });
    expect((await parse()).until).toBeUndefined();
  });

  it('picks the clean night by name', async () => {
    const options = await parse('--scenario', 'clean');
    expect(options.scenario.name).toBe('clean');
    expect(options.scenario.transferBacklog).toBeUndefined();
    expect(options.scenario.seed).toBe(cleanScenario(KO2023).seed);
    // The same seed as the package's night, so `clean` is that night without its incidents.
    expect(options.scenario.seed).toBe('2023');
  });

  describe('--scenario NAME comes from the served package', () => {
    const own: ScenarioInput = { name: 'storm', seed: 'storm-seed', silentStop: [{ municipality: '0301', from: '22:00' }] };
    const pkg = (defaultScenario?: string, scenarios: ScenarioInput[] = [own]): PackageScenarios => ({ id: 'test2031', scenarios: new Map(scenarios.map((s) => [s.name, s])), defaultScenario });
    const parseIn = (p: PackageScenarios, ...argv: string[]) => parseReplayArgs(argv, p, NO_ENV);

    it('without --scenario: the package\'s default scenario', async () => {
      expect((await parseIn(pkg('storm'))).scenario).toMatchObject({ name: 'storm', seed: 'storm-seed', silentStop: own.silentStop });
    });

    it('without --scenario and without a default: clean, seeded by the package id', async () => {
      expect((await parseIn(pkg())).scenario).toMatchObject({ name: 'clean', seed: 'test2031' });
      expect((await parseIn({ id: 'test2031', scenarios: new Map() })).scenario).toMatchObject({ name: 'clean', seed: 'test2031' });
    });

    it('clean takes the seed of the package\'s default scenario', async () => {
      expect((await parseIn(pkg('storm'), '--scenario', 'clean')).scenario).toMatchObject({ name: 'clean', seed: 'storm-seed' });
      expect((await parseIn(pkg(undefined), '--scenario', 'clean')).scenario).toMatchObject({ name: 'clean', seed: 'test2031' });
    });

    it('a name is the package\'s scenario first, then the built-in clean, then a file', async () => {
      expect((await parseIn(pkg(), '--scenario', 'storm')).scenario.name).toBe('storm');
      const shadow: ScenarioInput = { name: 'clean', seed: 'own-clean', faults: { drop: 0.1 } };
      expect((await parseIn(pkg(undefined, [shadow]), '--scenario', 'clean')).scenario).toMatchObject({ seed: 'own-clean', faults: { drop: 0.1 } });
      const file = join(dir, 'storm');
      await writeFile(file, JSON.stringify({ name: 'from-file', seed: 'f' }), 'utf8');
      expect((await parseIn(pkg(), '--scenario', file)).scenario.name).toBe('from-file');
    });

    it('another package\'s scenario is not known: "2023" under the rehearsal is read as a file', async () => {
      const rehearsal = await loadPackageScenarios('ko2027-proeve');
      expect(rehearsal.scenarios.has('2023')).toBe(false);
      await expect(parseIn(rehearsal, '--scenario', '2023')).rejects.toThrow('--scenario 2023: neither a scenario of ko2027-proeve (proeve, clean) nor a file (ENOENT)');
      expect((await parseIn(rehearsal)).scenario.name).toBe(rehearsal.defaultScenario);
    });

    it('the usage text says the default comes from the served package', () => {
      expect(REPLAY_USAGE).toMatch(/default: the package's default scenario/);
      expect(REPLAY_USAGE).not.toMatch(/2023/);
    });
  });

  it.each([
    [['--speed', 'max'], 'max'],
    [['--speed', '600'], 600],
    [['--speed', '0.5'], 0.5],
  ])('%j → speed %s', async (argv, speed) => {
    expect((await parse(...argv)).speed).toBe(speed);
  });

  it('keeps more requests in flight at max speed, unless told', async () => {
    expect((await parse('--speed', 'max')).concurrency).toBe(128);
    expect((await parse('--speed', 'max', '--concurrency', '8')).concurrency).toBe(8);
    expect((await parse('--speed', '600')).concurrency).toBe(16);
  });

  it.each([
    [['--municipalities', '0301,4601'], ['0301', '4601']],
    [['--municipalities', '0301, 4601'], ['0301', '4601']],
    [['--municipalities', 'watchlist'], 'watchlist'],
    [['--municipalities', 'all'], 'all'],
  ])('%j → municipalities %j', async (argv, municipalities) => {
    expect((await parse(...argv)).scenario.municipalities).toEqual(municipalities);
  });

  it('takes fault shares and a delay', async () => {
    const { scenario } = await parse('--drop', '0.1', '--delay', '0.2:5', '--duplicate', '0.05', '--reorder', '0', '--correction', '1');
    expect(scenario.faults).toEqual({ drop: 0.1, delay: { share: 0.2, maxMinutes: 5 }, duplicate: 0.05, reorder: 0, correction: 1 });
    expect(ZScenario.parse(scenario).faults).toEqual({ drop: 0.1, duplicate: 0.05, reorder: 0, correction: 1, delay: { share: 0.2, maxMinutes: 5 } });
  });

  it('gives a delay without minutes the 10-minute default', async () => {
    expect((await parse('--delay', '0.3')).scenario.faults?.delay).toEqual({ share: 0.3, maxMinutes: 10 });
  });

  it('takes repeated silent stops', async () => {
    const { scenario } = await parse('--silent-stop', '0301@23:00', '--silent-stop', '4601@2023-09-11T23:30:00+02:00');
    expect(scenario.silentStop).toEqual([
      { municipality: '0301', from: '23:00' },
      { municipality: '4601', from: '2023-09-11T23:30:00+02:00' },
    ]);
  });

  it('puts a backlog before the scenario\'s own, so it wins for the municipalities it names', async () => {
    const { scenario } = await parse('--backlog', 'watchlist@22:00-01:00', '--backlog', '0301,4601@23:15-00:45');
    expect(scenario.transferBacklog).toHaveLength(SCENARIO_2023.transferBacklog!.length + 2);
    expect(scenario.transferBacklog![0]).toEqual({ municipalities: ['0301', '4601'], from: '23:15', drainFrom: '00:45' });
    expect(scenario.transferBacklog![1]).toEqual({ municipalities: 'watchlist', from: '22:00', drainFrom: '01:00' });
    expect(scenario.transferBacklog!.slice(2)).toEqual(SCENARIO_2023.transferBacklog);
    const parsed = ZScenario.parse(scenario).transferBacklog[1]!;
    expect(parsed).toMatchObject({ drainPerMinute: 3, jitterMinutes: 0, holdAdvance: false });
  });

  it('does not change the package\'s scenario it starts from', async () => {
    const before = structuredClone(SCENARIO_2023);
    const cleanBefore = cleanScenario(KO2023);
    await parse('--scenario', 'clean', '--drop', '0.5', '--silent-stop', '0301@23:00');
    expect(cleanScenario(KO2023)).toEqual(cleanBefore);
    await parse('--drop', '0.5', '--silent-stop', '0301@23:00', '--backlog', 'all@22:00-01:00', '--seed', 'x', '--municipalities', '0301', '--stages', 'final');
    expect(SCENARIO_2023).toEqual(before);
  });

  it('takes seed, stages and the runner settings', async () => {
    const options = await parseReplayArgs(
      ['--seed', 'rehearsal-3', '--stages', 'preliminary', '--url', 'http://example.test:4000', '--from', '23:00', '--skip-idle', '20',
        '--tokens', 'tokens.json', '--concurrency', '4', '--plan', 'plan.json', '--quiet'],
      KO2023,
      env({ CLOCK_CONTROL_TOKEN: 'from-env' }),
    );
    expect(options.scenario.seed).toBe('rehearsal-3');
    expect(options.scenario.stages).toEqual(['preliminary']);
    expect(options).toMatchObject({
      url: 'http://example.test:4000', from: '23:00', skipIdleMinutes: 20, tokensFile: 'tokens.json', concurrency: 4,
      planFile: 'plan.json', quiet: true, clockToken: 'from-env',
    });
    expect((await parse('--skip-idle', '0')).skipIdleMinutes).toBe(0);
    expect((await parse()).skipIdleMinutes).toBeUndefined();
    const explicit = await parseReplayArgs(['--clock-token', 'given'], KO2023, env({ CLOCK_CONTROL_TOKEN: 'from-env' }));
    expect(explicit.clockToken).toBe('given');
  });

  it.each([
    [['--drop', '2'], /--drop takes a share between 0 and 1, got 2/],
    [['--drop=-0.1'], /--drop takes a share between 0 and 1/],
    [['--duplicate', 'lots'], /--duplicate takes a share between 0 and 1, got lots/],
    [['--delay', '1.5:5'], /--delay takes a share between 0 and 1/],
    [['--speed', '0'], /--speed takes a positive number or max, got 0/],
    [['--speed=-5'], /--speed takes a positive number or max/],
    [['--speed', 'fast'], /--speed takes a positive number or max, got fast/],
    [['--silent-stop', '0301'], /--silent-stop takes NUMBER@HH:MM, got 0301/],
    [['--silent-stop', '@23:00'], /--silent-stop takes NUMBER@HH:MM/],
    [['--backlog', 'watchlist@22:00'], /--backlog takes LIST@HH:MM-HH:MM, got watchlist@22:00/],
    [['--backlog', '@22:00-01:00'], /--backlog takes LIST@HH:MM-HH:MM/],
    [['--concurrency', '0'], /--concurrency takes a whole number of 1 or more, got 0/],
    [['--concurrency', 'many'], /--concurrency takes a whole number of 1 or more, got many/],
    [['--concurrency', '2.5'], /--concurrency takes a whole number/],
    [['--skip-idle', 'long'], /--skip-idle takes a number of minutes, got long/],
    [['--skip-idle=-5'], /--skip-idle takes a number of minutes/],
    [['--bogus'], /bogus/],
    [['--help'], /usage: npm run replay/],
  ])('%j fails with a helpful message', async (argv, message) => {
    await expect(parse(...argv)).rejects.toThrow(message);
  });

  it('validates the scenario it builds (a bad time or municipality number fails before anything is sent)', async () => {
    await expect(parse('--silent-stop', '301@23:00')).rejects.toThrow();
    await expect(parse('--silent-stop', '0301@11pm')).rejects.toThrow();
    await expect(parse('--municipalities', '0301,oslo')).rejects.toThrow();
    await expect(parse('--stages', 'preliminary,recount')).rejects.toThrow();
    await expect(parse('--delay', '0.2:0')).rejects.toThrow();
  });

  it('the usage text names every option it parses', () => {
    for (const option of ['--url', '--scenario', '--speed', '--from', '--seed', '--municipalities', '--stages', '--skip-idle', '--tokens',
      '--clock-token', '--concurrency', '--drop', '--duplicate', '--reorder', '--correction', '--delay', '--silent-stop', '--backlog', '--plan', '--quiet']) {
      expect(REPLAY_USAGE).toContain(option);
    }
  });

  describe('a scenario file', () => {
    it('is read, validated and combined with the options', async () => {
      const file = join(dir, 'rehearsal.json');
      const scenario = {
        name: 'rehearsal',
        seed: 'r1',
        municipalities: ['0301', '4601'],
        silentStop: [{ municipality: '4601', from: '23:30' }],
        faults: { duplicate: 0.1 },
      };
      await writeFile(file, JSON.stringify(scenario), 'utf8');
      const options = await parse('--scenario', file, '--drop', '0.2', '--silent-stop', '0301@00:15');
      expect(options.scenario).toEqual({
        ...scenario,
        faults: { duplicate: 0.1, drop: 0.2 },
        silentStop: [{ municipality: '4601', from: '23:30' }, { municipality: '0301', from: '00:15' }],
      });
    });

    it('with unknown keys is refused', async () => {
      const file = join(dir, 'bad-key.json');
      await writeFile(file, JSON.stringify({ name: 'x', speed: 60 }), 'utf8');
      await expect(parse('--scenario', file)).rejects.toThrow(/speed/);
    });

    it('with a share above 1 is refused', async () => {
      const file = join(dir, 'bad-share.json');
      await writeFile(file, JSON.stringify({ name: 'x', faults: { drop: 3 } }), 'utf8');
      await expect(parse('--scenario', file)).rejects.toThrow();
    });

    it('that is not JSON, or not there, is refused', async () => {
      const file = join(dir, 'not-json.json');
      await writeFile(file, 'name: x', 'utf8');
      await expect(parse('--scenario', file)).rejects.toThrow();
      await expect(parse('--scenario', join(dir, 'missing.json'))).rejects.toThrow();
    });
  });
});
