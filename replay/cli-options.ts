// Command-line options of `npm run replay`, turned into a scenario and runner settings. Kept apart from
// the entry file so tests can check the parsing.
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { ZScenario, type ScenarioInput } from '../lib/contracts/scenario.ts';
import { defaultScenarioName, resolveScenarioName, type PackageScenarios } from '../lib/replay/scenarios.ts';
import { defaultConcurrency } from './runner.ts';

export const REPLAY_USAGE = `usage: npm run replay -- [options]

  --url URL               sidecar to replay into (default http://localhost:3001)
  --scenario NAME|FILE    a scenario of the served election's package (ELECTION_ID; its scenarios/NAME.json),
                          clean (the night with nothing going wrong), or a scenario JSON file;
                          default: the package's default scenario (manifest replayScenario), else clean
  --speed N|max           simulated minutes per real minute (default 60); max = as fast as it answers
  --from HH:MM            start at this time of the night; earlier requests are sent at once
  --until HH:MM           stop there: later requests are not sent, and a steered clock stands still
  --after HH:MM           continue a run that stopped --until HH:MM: send only requests due after it
  --seed TEXT             random seed (same seed, same requests)
  --municipalities LIST   all | watchlist | comma-separated numbers, e.g. 0301,4601
  --stages LIST           preliminary,final (default both)
  --skip-idle MIN         jump the clock over quiet stretches longer than MIN minutes (needs the clock token)
  --tokens FILE           JSON {municipality: token}; default: issue fresh tokens (needs database access)
  --clock-token TOKEN     control token of a sidecar on a simulated clock (or env CLOCK_CONTROL_TOKEN)
  --concurrency N         requests in flight across municipalities (default 16; 128 at --speed max)
  faults:
  --drop P --duplicate P --reorder P --correction P      shares of requests (0..1)
  --delay P:MIN           delay a share P of requests by up to MIN minutes
  --silent-stop NUM@HH:MM a municipality goes quiet (repeatable)
  --backlog LIST@HH:MM-HH:MM  a transfer backlog on municipalities from .. draining from (repeatable)
  --plan FILE             write the plan as JSON and exit without sending
  --quiet                 no progress line
`;

export interface ReplayCliOptions {
  url: string;
  scenario: ScenarioInput;
  speed: number | 'max';
  from?: string;
  until?: string;
  after?: string;
  skipIdleMinutes?: number;
  tokensFile?: string;
  clockToken?: string;
  concurrency: number;
  planFile?: string;
  quiet: boolean;
}

/** A NAME that is neither the package's nor clean is a file; say which names there are if it is not one. */
async function readScenarioFile(file: string, pkg: PackageScenarios): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
    throw new Error(`--scenario ${file}: neither a scenario of ${pkg.id} (${[...pkg.scenarios.keys(), 'clean'].join(', ')}) nor a file (ENOENT)`, { cause: error });
  }
}

function share(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new Error(`--${name} takes a share between 0 and 1, got ${value}`);
  return n;
}

/**
 * `pkg` is the served election's package: `--scenario NAME` is looked up among its scenarios, then as the
 * built-in `clean`, then read as a file; without `--scenario` its default scenario is played.
 */
export async function parseReplayArgs(argv: string[], pkg: PackageScenarios, env: NodeJS.ProcessEnv = process.env): Promise<ReplayCliOptions> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      url: { type: 'string', default: 'http://localhost:3001' },
      scenario: { type: 'string' },
      speed: { type: 'string', default: '60' },
      from: { type: 'string' },
      until: { type: 'string' },
      after: { type: 'string' },
      seed: { type: 'string' },
      municipalities: { type: 'string' },
      stages: { type: 'string' },
      'skip-idle': { type: 'string' },
      tokens: { type: 'string' },
      'clock-token': { type: 'string' },
      concurrency: { type: 'string' },
      drop: { type: 'string' },
      duplicate: { type: 'string' },
      reorder: { type: 'string' },
      correction: { type: 'string' },
      delay: { type: 'string' },
      'silent-stop': { type: 'string', multiple: true },
      backlog: { type: 'string', multiple: true },
      plan: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) throw new Error(REPLAY_USAGE);

  const name = values.scenario ?? defaultScenarioName(pkg);
  const base: ScenarioInput = resolveScenarioName(name, pkg) ?? JSON.parse(await readScenarioFile(name, pkg));
  const scenario: ScenarioInput = { ...base };
  if (values.seed) scenario.seed = values.seed;
  if (values.municipalities) scenario.municipalities = values.municipalities === 'all' || values.municipalities === 'watchlist' ? values.municipalities : values.municipalities.split(',').map((n) => n.trim());
  // Checked with the rest of the scenario by ZScenario.parse below.
  if (values.stages) scenario.stages = values.stages.split(',').map((s) => s.trim()) as Array<'preliminary' | 'final'>;
  const faults = { ...(base.faults ?? {}) };
  const set = (key: 'drop' | 'duplicate' | 'reorder' | 'correction', raw: string | undefined) => {
    const value = share(raw, key);
    if (value !== undefined) faults[key] = value;
  };
  set('drop', values.drop);
  set('duplicate', values.duplicate);
  set('reorder', values.reorder);
  set('correction', values.correction);
  if (values.delay) {
    const [p, minutes] = values.delay.split(':');
    faults.delay = { share: share(p, 'delay') ?? 0, maxMinutes: Number(minutes ?? 10) };
  }
  scenario.faults = faults;
  for (const stop of values['silent-stop'] ?? []) {
    const [municipality, from] = stop.split('@');
    if (!municipality || !from) throw new Error(`--silent-stop takes NUMBER@HH:MM, got ${stop}`);
    scenario.silentStop = [...(scenario.silentStop ?? []), { municipality, from }];
  }
  for (const backlog of values.backlog ?? []) {
    const [, list, from, drainFrom] = backlog.match(/^([^@]+)@(\d{2}:\d{2})-(\d{2}:\d{2})$/) ?? [];
    if (!list || !from || !drainFrom) throw new Error(`--backlog takes LIST@HH:MM-HH:MM, got ${backlog}`);
    const municipalities = list === 'watchlist' || list === 'all' ? list : list.split(',');
    scenario.transferBacklog = [{ municipalities, from, drainFrom }, ...(scenario.transferBacklog ?? [])];
  }
  // Validate now, so a bad option fails before anything is sent.
  ZScenario.parse(scenario);

  const speed = values.speed === 'max' ? 'max' : Number(values.speed);
  if (speed !== 'max' && !(speed > 0)) throw new Error(`--speed takes a positive number or max, got ${values.speed}`);
  // 0 would wait forever for a free slot; NaN would put no limit at all.
  const concurrency = values.concurrency === undefined ? defaultConcurrency(speed) : Number(values.concurrency);
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new Error(`--concurrency takes a whole number of 1 or more, got ${values.concurrency}`);
  // NaN would silently never skip.
  const skipIdleMinutes = values['skip-idle'] !== undefined ? Number(values['skip-idle']) : undefined;
  if (skipIdleMinutes !== undefined && !(skipIdleMinutes >= 0)) throw new Error(`--skip-idle takes a number of minutes, got ${values['skip-idle']}`);
  return {
    url: values.url,
    scenario,
    speed,
    from: values.from,
    until: values.until,
    after: values.after,
    skipIdleMinutes,
    tokensFile: values.tokens,
    clockToken: values['clock-token'] ?? env.CLOCK_CONTROL_TOKEN,
    concurrency,
    planFile: values.plan,
    quiet: values.quiet,
  };
}
