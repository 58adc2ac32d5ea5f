// Command-line options of `npm run bench`, kept apart from the entry file so the parsing is tested.
import { parseArgs } from 'node:util';

export const SECTIONS = ['latency', 'polling', 'ingest', 'snapshot', 'night', 'storm', 'pages'] as const;
export type Section = (typeof SECTIONS)[number];

export const BENCH_USAGE = `usage: npm run bench -- [options]        (npm run bench:smoke = --smoke)

  --sizes LIST            connected viewers per cell, for both servers: the capacity curve (default
                          20000,10000,5000,1000; run largest first so memory per viewer is measured on a
                          fresh server)
  --rates LIST            reports per second while measuring (default 3,30; polling runs at the first)
  --window S              seconds of reports per cell (default 15)
  --only LIST             latency,polling,ingest,snapshot,night,storm,pages (default all)
  --out FILE              where to write the markdown (default docs/benchmarks.md); the figures go to
                          the same name with .json (docs/benchmarks.json), see npm run bench:render
  --db postgres|pglite    database of the sidecar in the latency, polling and snapshot sections (default postgres)
  --workers N             load processes holding the viewers (default 4)
  --ramp N                new connections per second while ramping up (default 500)
  --poll-interval S       polling clients' period (default 10)
  --ingest-timeout S      give up a night's ingest after this long and project the rest (default 120)
  --ingest-municipalities all|LIST   municipalities of the ingested night (default all)
  --snapshot-seconds S    autocannon duration per variant (default 10)
  --port-base N           first of the ports used (default 4400; up to +9)
  --cpu-prof DIR          write CPU profiles of the sidecars and the naive server into DIR (named by pid)
  --night-viewers N       viewers connected while the 2023 night's arrivals are replayed (default 10000)
  --night-speed X         simulated minutes per real minute of that replay (default 60)
  --night-minutes M       simulated minutes of the night replayed from its start (default 300: 20:55 to
                          01:55, the election night; the next day's final counts are left out)
  --storm-viewers N       viewers connected when the live role is killed and restarted (default 10000)
  --storm-timeout S       give up waiting for every viewer to be back in step after this long (default 60)
  --storm-rate R          reports a second posted from 3 s before the kill for 15 s, so the live process
                          restarts behind what intake committed and viewers catch up from older seqs (default 30)
  --storm-signal SIG      signal that stops the live role (default SIGKILL); the live processes named in
                          $DATA_DIR/sidecar-processes.json when that file exists, else the whole sidecar
  --page-seconds S        autocannon duration per page in the pages section (default 10); the web process
                          is measured only when a production build exists (npm run build)
  --smoke                 tiny and quick: 50 viewers, one rate, 3-s windows, a few municipalities
`;

export interface BenchOptions {
  sizes: number[];
  rates: number[];
  windowS: number;
  /** After the last report of a cell: time for the last deltas to arrive. */
  graceS: number;
  /** Reports sent to each server before its first cell (JIT, pools, caches), not measured. */
  warmUpS: number;
  /** Quiet time after the viewers connected, before memory is read and reports start. */
  settleS: number;
  /** How long a cell waits for the answers to its last reports (an overloaded server must not hang it). */
  answerTimeoutS: number;
  only: Section[];
  out: string;
  db: 'postgres' | 'pglite';
  workers: number;
  rampPerSecond: number;
  pollIntervalS: number;
  ingestTimeoutS: number;
  ingestMunicipalities: 'all' | string[];
  snapshotSeconds: number;
  snapshotConnections: number;
  portBase: number;
  cpuProfileDir?: string;
  nightViewers: number;
  nightSpeed: number;
  nightMinutes: number;
  stormViewers: number;
  stormRate: number;
  stormTimeoutS: number;
  stormSignal: NodeJS.Signals;
  pageSeconds: number;
  smoke: boolean;
}

const SIGNALS = ['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP'] as const satisfies readonly NodeJS.Signals[];
const isSignal = (value: string): value is (typeof SIGNALS)[number] => SIGNALS.some((signal) => signal === value);
const isSection = (value: string): value is Section => SECTIONS.some((section) => section === value);

// Utsira and Træna: the smallest municipalities, a handful of requests each.
const SMOKE_MUNICIPALITIES = ['1151', '1835'];

function list(value: string, name: string): number[] {
  const numbers = value.split(',').map((v) => Number(v.trim()));
  if (numbers.length === 0 || numbers.some((n) => !(n > 0))) throw new Error(`--${name} takes positive numbers separated by commas, got ${value}`);
  return numbers;
}

function positive(value: string, name: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new Error(`--${name} takes a positive number, got ${value}`);
  return n;
}

export function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      sizes: { type: 'string' },
      rates: { type: 'string' },
      window: { type: 'string' },
      only: { type: 'string' },
      out: { type: 'string' },
      db: { type: 'string' },
      workers: { type: 'string' },
      ramp: { type: 'string' },
      'poll-interval': { type: 'string' },
      'ingest-timeout': { type: 'string' },
      'ingest-municipalities': { type: 'string' },
      'snapshot-seconds': { type: 'string' },
      'port-base': { type: 'string' },
      'cpu-prof': { type: 'string' },
      'night-viewers': { type: 'string' },
      'night-speed': { type: 'string' },
      'night-minutes': { type: 'string' },
      'storm-viewers': { type: 'string' },
      'storm-timeout': { type: 'string' },
      'storm-rate': { type: 'string' },
      'storm-signal': { type: 'string' },
      'page-seconds': { type: 'string' },
      smoke: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) throw new Error(BENCH_USAGE);
  const smoke = values.smoke;

  const asked = values.only ? values.only.split(',').map((s) => s.trim()) : [...SECTIONS];
  const only = asked.filter(isSection);
  const unknown = asked.filter((s) => !isSection(s));
  if (unknown.length) throw new Error(`--only takes ${SECTIONS.join(',')}, got ${unknown.join(',')}`);
  const db = values.db ?? 'postgres';
  if (db !== 'postgres' && db !== 'pglite') throw new Error(`--db takes postgres or pglite, got ${db}`);
  const workers = values.workers ? positive(values.workers, 'workers') : smoke ? 2 : 4;
  if (!Number.isInteger(workers)) throw new Error(`--workers takes a whole number, got ${values.workers}`);
  const portBase = values['port-base'] ? Number(values['port-base']) : 4400;
  if (!(Number.isInteger(portBase) && portBase > 1024 && portBase < 65000)) throw new Error(`--port-base takes a port number, got ${values['port-base']}`);
  const municipalities = values['ingest-municipalities'];
  const stormSignal = (values['storm-signal'] ?? 'SIGKILL').toUpperCase();
  if (!isSignal(stormSignal)) throw new Error(`--storm-signal takes ${SIGNALS.join(', ')}, got ${values['storm-signal']}`);
  const whole = (value: string | undefined, name: string, fallback: number) => {
    if (value === undefined) return fallback;
    const n = positive(value, name);
    if (!Number.isInteger(n)) throw new Error(`--${name} takes a whole number, got ${value}`);
    return n;
  };
  const pageSeconds = values['page-seconds'] === '0' ? 0 : values['page-seconds'] ? positive(values['page-seconds'], 'page-seconds') : smoke ? 1 : 10;

  return {
    // Largest first: the first connection of a server measures its memory per viewer from a clean start.
    sizes: (values.sizes ? list(values.sizes, 'sizes') : smoke ? [50, 20] : [20_000, 10_000, 5_000, 1_000]).map(Math.round).sort((a, b) => b - a),
    rates: values.rates ? list(values.rates, 'rates') : smoke ? [5] : [3, 30],
    windowS: values.window ? positive(values.window, 'window') : smoke ? 3 : 15,
    graceS: smoke ? 1.5 : 3,
    warmUpS: smoke ? 0 : 2,
    settleS: smoke ? 0.5 : 2,
    answerTimeoutS: smoke ? 10 : 30,
    only,
    out: values.out ?? (smoke ? '.data/bench-smoke.md' : 'docs/benchmarks.md'),
    db,
    workers,
    rampPerSecond: values.ramp ? positive(values.ramp, 'ramp') : smoke ? 200 : 500,
    pollIntervalS: values['poll-interval'] ? positive(values['poll-interval'], 'poll-interval') : smoke ? 2 : 10,
    ingestTimeoutS: values['ingest-timeout'] ? positive(values['ingest-timeout'], 'ingest-timeout') : smoke ? 60 : 120,
    ingestMunicipalities: municipalities === undefined ? (smoke ? SMOKE_MUNICIPALITIES : 'all') : municipalities === 'all' ? 'all' : municipalities.split(',').map((m) => m.trim()),
    snapshotSeconds: values['snapshot-seconds'] ? positive(values['snapshot-seconds'], 'snapshot-seconds') : smoke ? 1 : 10,
    snapshotConnections: smoke ? 4 : 32,
    portBase,
    cpuProfileDir: values['cpu-prof'],
    nightViewers: whole(values['night-viewers'], 'night-viewers', smoke ? 30 : 10_000),
    nightSpeed: values['night-speed'] ? positive(values['night-speed'], 'night-speed') : smoke ? 200 : 60,
    nightMinutes: values['night-minutes'] ? positive(values['night-minutes'], 'night-minutes') : smoke ? 5 : 300,
    stormViewers: whole(values['storm-viewers'], 'storm-viewers', smoke ? 30 : 10_000),
    stormRate: values['storm-rate'] ? positive(values['storm-rate'], 'storm-rate') : smoke ? 5 : 30,
    stormTimeoutS: values['storm-timeout'] ? positive(values['storm-timeout'], 'storm-timeout') : smoke ? 30 : 60,
    stormSignal,
    pageSeconds,
    smoke,
  };
}

/** `total` split into `parts` whole shares that differ by at most one, larger shares first. */
export function splitEvenly(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < total % parts ? 1 : 0));
}
