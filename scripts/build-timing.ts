// Builds the election-night timing calibration for the replay from the real valgresultat.no polling in
// data/timing/ (Stortingsvalget 2025, with 2021 as a cross-check) and data/municipalities.csv:
//   data/arrival-curves.csv   municipality,source,p0,p10,p25,p50,p75,p90,p100
//   data/advance-arrival.csv  municipality,minutes
// All times are minutes after 21:00 local time (Europe/Oslo, UTC+2 in September) on a NORMAL night.
// Usage: npx tsx scripts/build-timing.ts
// Deterministic: the same inputs give byte-identical outputs. Method and caveats: data/SOURCES.md, section
// "Timing calibration".

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv, toCsv } from '../lib/csv.ts';
import { atOrThrow, getOrThrow } from '../lib/get-or-throw.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = join(repoRoot, 'data');

// ---------- parameters of the model (see SOURCES.md) ----------

/** Quantile levels written to arrival-curves.csv. */
const LEVELS = [0, 10, 25, 50, 75, 90, 100] as const;
/** Model rows: no municipality's first (or median) district before 21:15. */
const MODEL_MIN_MINUTES = 15;
/** Model rows: a municipality below this electorate is done within 1.5 h. */
const SMALL_ELECTORATE = 10_000;
const SMALL_MAX_P100 = 90;
/** Watch curves with at least this many counting locales define the shape template of the model. */
const TEMPLATE_MIN_UNITS = 5;
/** Scraper poll labels in 2025 are UTC; Europe/Oslo is UTC+2 (CEST) in September. */
const CEST_OFFSET_MIN = 120;

// ---------- helpers ----------

function assert(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new Error(`build-timing: ${msg}`);
}

function readCsv(rel: string): Record<string, string>[] {
  return parseCsv(readFileSync(join(dataDir, rel), 'utf8'));
}

function f(r: Record<string, string>, col: string): string {
  const v = r[col];
  assert(v !== undefined, `missing column ${col}`);
  return v;
}

function num(s: string, what: string): number {
  assert(/^-?\d+(\.\d+)?$/.test(s.trim()), `${what}: not a number: ${JSON.stringify(s)}`);
  return Number(s.trim());
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Wall-clock timestamp `YYYY-MM-DDTHH:MM:SS` (no zone) as minutes on a zone-free axis. */
function wallMinutes(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(iso);
  assert(m, `bad timestamp ${JSON.stringify(iso)}`);
  // Six groups, none optional: a match has seven entries.
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s) / 60_000;
}

/** Scraper file label `YYYY-MM-DD__HHMM` as minutes on the same axis (the label's own zone). */
function labelMinutes(label: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})__(\d{2})(\d{2})$/.exec(label);
  assert(m, `bad snapshot label ${JSON.stringify(label)}`);
  return wallMinutes(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00`);
}

/**
 * Quantile with linear interpolation between order statistics (R type 7): the i-th of n units in time order
 * sits at fraction (i-1)/(n-1), so p0 = first unit, p100 = last unit.
 */
function quantile(sorted: readonly number[], level: number): number {
  assert(sorted.length > 0, 'quantile of nothing');
  const h = ((sorted.length - 1) * level) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  // level is 0..100, so 0 ≤ lo ≤ hi ≤ sorted.length - 1: both are order statistics.
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

function median(xs: readonly number[]): number {
  return quantile([...xs].sort((a, b) => a - b), 50);
}

type Curve = Record<(typeof LEVELS)[number], number>;
function curveOf(times: readonly number[]): Curve {
  const s = [...times].sort((a, b) => a - b);
  const q = (level: number) => quantile(s, level);
  return { 0: q(0), 10: q(10), 25: q(25), 50: q(50), 75: q(75), 90: q(90), 100: q(100) };
}

interface Fit {
  a: number;
  b: number;
  r2: number;
  rmse: number;
  looRmse: number;
}
/** Ordinary least squares y = a + b x, with R², residual RMSE (n-2) and leave-one-out RMSE. */
function ols(x: readonly number[], y: readonly number[]): Fit {
  const n = x.length;
  const line = (xs: readonly number[], ys: readonly number[]) => {
    const mx = xs.reduce((s, v) => s + v, 0) / xs.length;
    const my = ys.reduce((s, v) => s + v, 0) / ys.length;
    let sxx = 0;
    let sxy = 0;
    xs.forEach((v, i) => {
      sxx += (v - mx) ** 2;
      // xs and ys are one point each, so the same length.
      sxy += (v - mx) * (ys[i]! - my);
    });
    const b = sxy / sxx;
    return { a: my - b * mx, b, my };
  };
  const { a, b, my } = line(x, y);
  let ssr = 0;
  let sst = 0;
  x.forEach((v, i) => {
    // x and y are one point each, so the same length.
    ssr += (y[i]! - (a + b * v)) ** 2;
    // As above.
    sst += (y[i]! - my) ** 2;
  });
  let loo = 0;
  for (let i = 0; i < n; i++) {
    const l = line(x.filter((_, j) => j !== i), y.filter((_, j) => j !== i));
    // i < n = x.length = y.length.
    loo += (y[i]! - (l.a + l.b * x[i]!)) ** 2;
  }
  return { a, b, r2: 1 - ssr / sst, rmse: Math.sqrt(ssr / (n - 2)), looRmse: Math.sqrt(loo / n) };
}

const r1 = (v: number) => (Math.round(v * 10) / 10).toFixed(1);

// ---------- inputs ----------

interface Municipality {
  number: string;
  name: string;
  electorate: number;
  watch: boolean;
  number2020: string;
}
const municipalities: Municipality[] = readCsv('municipalities.csv').map((r) => ({
  number: f(r, 'number'),
  name: f(r, 'name'),
  electorate: num(f(r, 'electorate'), 'electorate'),
  watch: f(r, 'watch') === '1',
  number2020: f(r, 'number_2020_2023'),
}));
municipalities.sort((p, q) => cmp(p.number, q.number));
assert(municipalities.length === 357, `municipalities.csv has ${municipalities.length} rows`);
const watch = municipalities.filter((m) => m.watch);
assert(watch.length === 27, `${watch.length} watch municipalities`);
const byNumber = new Map(municipalities.map((m) => [m.number, m]));

// ---------- 2025: election-day counting locales, exact krets times ----------
// Time zones (verified below): snapshot file labels are UTC; rapportGenerert and every `..._local` column
// are already Europe/Oslo wall-clock time.

const ZERO_2025 = wallMinutes('2025-09-08T21:00:00');
const NIGHT_END_2025 = wallMinutes('2025-09-09T09:00:00');
const snaps25 = readCsv('timing/st2025_kommune_snapshots_27.csv').map((r) => ({
  k: f(r, 'kommunenr'),
  label: f(r, 'snapshot_file'),
  pollLocal: labelMinutes(f(r, 'snapshot_file')) + CEST_OFFSET_MIN,
  generated: wallMinutes(f(r, 'rapportGenerert')),
  fhs: num(f(r, 'stemmer_fhs'), 'stemmer_fhs'),
  fhlDone: num(f(r, 'forste_fhl_ferdig'), 'fhl'),
  fhlTotal: num(f(r, 'forste_fhl_totalt'), 'fhl'),
  vtlDone: num(f(r, 'forste_vtl_ferdig'), 'vtl'),
  vtlTotal: num(f(r, 'forste_vtl_totalt'), 'vtl'),
}));
// Election night = polls made between 21:00 on election day and 09:00 the next morning (local).
const night25 = snaps25
  .filter((s) => s.pollLocal >= ZERO_2025 && s.pollLocal < NIGHT_END_2025)
  .sort((p, q) => cmp(p.k, q.k) || p.pollLocal - q.pollLocal);
// Time-zone check: a report cannot be generated after the poll that fetched it. With labels read as UTC this
// holds for every poll; read as local time, the first 21:02 poll would contain reports from 21:01:55 at "19:02".
for (const s of snaps25) assert(s.generated <= s.pollLocal + 1, `${s.k} ${s.label}: rapportGenerert after the poll`);
assert(
  snaps25.some((s) => s.generated > labelMinutes(s.label)),
  'labels read as local time would be consistent too; the UTC reading is not proven',
);
const firstPoll25 = Math.min(...night25.map((s) => s.pollLocal));
// Results are embargoed until 21:00. A unit counted before 21:00 is published when the embargo lifts, which
// the first poll brackets to [21:00, first poll]; like any event between two polls it is put at the midpoint.
const EMBARGO_MIN = (firstPoll25 - ZERO_2025) / 2;
assert(EMBARGO_MIN > 0 && EMBARGO_MIN <= 5, `first election-night poll at +${firstPoll25 - ZERO_2025} min`);

const kretsRows25 = readCsv('timing/st2025_krets_first_election_night_update_27.csv');
const NON_GEOGRAPHIC = new Set(['0000', '9998', '9999']); // Uoppgitt krets, Øvrige forhåndsstemmer, telt dagen etter
const rawTimes25 = new Map<string, number[]>(); // minutes after 21:00, negative = counted before 21:00
for (const r of kretsRows25) {
  const fhl = f(r, 'forhaandsstemmelokale');
  // Oslo's kommune-level entries are its 16 bydeler (aggregates with no forhaandsstemmelokale flag); the
  // kretser are listed under them (parent_level "bydel ...").
  if (fhl === '' && f(r, 'kommunenr') === '0301' && f(r, 'parent_level') === 'kommune') continue;
  assert(fhl === 'True' || fhl === 'False', `forhaandsstemmelokale ${JSON.stringify(fhl)}`);
  if (fhl === 'True' || NON_GEOGRAPHIC.has(f(r, 'nr'))) continue;
  const t = f(r, 'first_update_on_election_day_local');
  assert(t.startsWith('2025-09-08T'), `${f(r, 'kommunenr')}/${f(r, 'nr')}: first election-day update ${JSON.stringify(t)}`);
  const k = f(r, 'kommunenr');
  rawTimes25.set(k, [...(rawTimes25.get(k) ?? []), wallMinutes(t) - ZERO_2025]);
}

// Cross-check against the kommune-level counters: at a poll whose report was generated at T with k locales
// done, exactly the k earliest locales must have a time <= T. A krets time later than T (its first update was
// seen late) is lowered to T; the kommune counter is the tighter upper bound then.
const fixes25: string[] = [];
const times25 = new Map<string, number[]>();
for (const m of watch) {
  const raw = [...(rawTimes25.get(m.number) ?? [])].sort((a, b) => a - b);
  const polls = night25.filter((s) => s.k === m.number);
  assert(polls.length > 0, `${m.number}: no election-night polls`);
  for (const s of polls) {
    assert(s.vtlTotal === raw.length, `${m.number}: ${raw.length} locales in the krets file, ${s.vtlTotal} at ${s.label}`);
    const T = s.generated - ZERO_2025;
    const seen = raw.filter((t) => t <= T).length;
    assert(seen <= s.vtlDone, `${m.number} ${s.label}: ${seen} krets times <= T but only ${s.vtlDone} done`);
    for (let i = 0; i < s.vtlDone; i++) {
      const t = raw[i];
      if (t !== undefined && t > T) {
        fixes25.push(`${m.number} ${m.name}: locale #${i + 1} ${r1(t)} -> ${r1(T)} (kommune ${s.vtlDone} done at ${s.label} UTC)`);
        raw[i] = T;
      }
    }
    raw.sort((a, b) => a - b);
  }
  // Published = counted, or the embargo lift for units counted before 21:00.
  times25.set(
    m.number,
    raw.map((t) => (t <= 0 ? EMBARGO_MIN : t)),
  );
}

// ---------- 2025: advance votes ----------
// The municipality-wide advance result is published when every advance locale has its first count
// (forste_fhl_ferdig = totalt) and stemmer_fhs > 0. If that is already so at the first election-night poll,
// it was published when the embargo lifted; otherwise at the midpoint of the two polls that bracket it.
const advance25 = new Map<string, { minutes: number; note: string }>();
for (const m of watch) {
  const polls = night25.filter((s) => s.k === m.number);
  assert(polls[0]?.pollLocal === firstPoll25, `${m.number}: first election-night row is not the first poll`);
  const i = polls.findIndex((s) => s.fhlDone === s.fhlTotal && s.fhlTotal > 0 && s.fhs > 0);
  assert(i >= 0, `${m.number}: advance never complete on election night`);
  const s = atOrThrow(polls, i, `${m.number}: poll`);
  const minutes = i === 0 ? EMBARGO_MIN : (atOrThrow(polls, i - 1, `${m.number}: poll`).pollLocal + Math.min(s.pollLocal, s.generated)) / 2 - ZERO_2025;
  advance25.set(m.number, { minutes, note: i === 0 ? 'complete at the first poll' : 'between polls' });
}

// ---------- 2021: cross-check only (polling started at 22:52; all times local) ----------
const ZERO_2021 = wallMinutes('2021-09-13T21:00:00');
const is2021Night = (label: string) => label.startsWith('2021-09-13__') || (label.startsWith('2021-09-14__') && label < '2021-09-14__0900');
const times21 = new Map<string, { times: number[]; level: string }>();
for (const r of readCsv('timing/st2021_krets_first_forelopig_27.csv')) {
  const nr = f(r, 'nr');
  if (nr === '0' || nr === '0000') continue; // advance / Bydel 00
  if (!is2021Night(f(r, 'first_snapshot_with_forelopig_100'))) continue;
  const m = municipalities.find((x) => x.number2020 === f(r, 'kommunenr'));
  assert(m, `2021 kommune ${f(r, 'kommunenr')} unknown`);
  const t = wallMinutes(f(r, 'rapportGenerert_at_that_snapshot')) - ZERO_2021;
  const e = times21.get(m.number) ?? { times: [], level: m.number === '0301' ? 'bydel' : 'krets' };
  e.times.push(t <= 0 ? EMBARGO_MIN : t);
  times21.set(m.number, e);
}
for (const r of readCsv('timing/st2021_kommune_snapshots_27.csv')) {
  if (!is2021Night(f(r, 'snapshot_file')) || f(r, 'n_related') !== '0' || num(f(r, 'opptalt_forelopigVts'), 'vts') < 100) continue;
  const m = municipalities.find((x) => x.number2020 === f(r, 'kommunenr'));
  assert(m, `2021 kommune ${f(r, 'kommunenr')} unknown`);
  if (times21.has(m.number)) continue; // first poll with 100 % only
  const t = wallMinutes(f(r, 'rapportGenerert')) - ZERO_2021;
  times21.set(m.number, { times: [t <= 0 ? EMBARGO_MIN : t], level: 'kommune' });
}

// ---------- watch curves ----------

const watchCurves = new Map<string, Curve>();
for (const m of watch) watchCurves.set(m.number, curveOf(getOrThrow(times25, m.number, '2025 locale times of')));

// ---------- regression on log10(electorate) ----------

const xs = watch.map((m) => Math.log10(m.electorate));
const ys = (g: (c: Curve) => number) => watch.map((m) => g(getOrThrow(watchCurves, m.number, 'watch curve of')));
const fitP50 = ols(xs, ys((c) => c[50]));
const fitHead = ols(xs, ys((c) => c[50] - c[0]));
const fitTail = ols(xs, ys((c) => c[100] - c[50]));
const fitWidth = ols(xs, ys((c) => c[90] - c[10])); // reported only
const fitP100 = ols(xs, ys((c) => c[100])); // reported only

// Shape template: where the inner quantiles sit between p0, p50 and p100, as the median over the watch
// curves that have enough locales to have a shape.
const shaped = watch.map((m) => ({ m, c: getOrThrow(watchCurves, m.number, 'watch curve of') })).filter(({ m }) => getOrThrow(times25, m.number, '2025 locale times of').length >= TEMPLATE_MIN_UNITS);
const headOf = (c: Curve) => c[50] - c[0];
const tailOf = (c: Curve) => c[100] - c[50];
const withHead = shaped.filter(({ c }) => headOf(c) > 0);
const withTail = shaped.filter(({ c }) => tailOf(c) > 0);
const tmpl = {
  a10: median(withHead.map(({ c }) => (c[50] - c[10]) / headOf(c))),
  a25: median(withHead.map(({ c }) => (c[50] - c[25]) / headOf(c))),
  b75: median(withTail.map(({ c }) => (c[75] - c[50]) / tailOf(c))),
  b90: median(withTail.map(({ c }) => (c[90] - c[50]) / tailOf(c))),
};
assert(tmpl.a25 <= tmpl.a10 && tmpl.a10 <= 1 && tmpl.b75 <= tmpl.b90 && tmpl.b90 <= 1, 'template not monotone');

const clampCount = { p50Floor: 0, p0Floor: 0, smallCap: 0, headZero: 0 };
function modelCurve(electorate: number, count = true): Curve {
  const x = Math.log10(electorate);
  const rawP50 = fitP50.a + fitP50.b * x;
  const rawHead = fitHead.a + fitHead.b * x;
  const head = Math.max(0, rawHead);
  const tail = Math.max(0, fitTail.a + fitTail.b * x);
  const p50 = Math.max(MODEL_MIN_MINUTES, rawP50);
  const p0 = Math.max(MODEL_MIN_MINUTES, p50 - head);
  let p100 = p50 + tail;
  if (count) {
    if (rawHead < 0) clampCount.headZero++;
    if (rawP50 < MODEL_MIN_MINUTES) clampCount.p50Floor++;
    if (p50 - head < MODEL_MIN_MINUTES) clampCount.p0Floor++;
  }
  if (electorate < SMALL_ELECTORATE && p100 > SMALL_MAX_P100) {
    if (count) clampCount.smallCap++;
    p100 = Math.max(p50, SMALL_MAX_P100);
  }
  const c: Curve = {
    0: p0,
    10: Math.max(p0, p50 - tmpl.a10 * head),
    25: Math.max(p0, p50 - tmpl.a25 * head),
    50: p50,
    75: Math.min(p100, p50 + tmpl.b75 * tail),
    90: Math.min(p100, p50 + tmpl.b90 * tail),
    100: p100,
  };
  return c;
}

// ---------- outputs ----------

const curveRows = municipalities.map((m) => {
  const c = m.watch ? getOrThrow(watchCurves, m.number, 'watch curve of') : modelCurve(m.electorate);
  const row: Record<string, string> = { municipality: m.number, source: m.watch ? 'fit-2025' : 'model' };
  for (const l of LEVELS) row[`p${l}`] = r1(c[l]);
  const vals = LEVELS.map((l) => Number(row[`p${l}`]));
  // vals[i - 1] is read for i > 0 only.
  assert(vals.every((v, i) => Number.isFinite(v) && v >= 0 && (i === 0 || v >= vals[i - 1]!)), `${m.number}: bad curve ${vals.join(',')}`);
  return row;
});
const advanceModel = median(watch.map((m) => getOrThrow(advance25, m.number, '2025 advance time of').minutes));
const advanceRows = municipalities.map((m) => ({
  municipality: m.number,
  minutes: r1(m.watch ? getOrThrow(advance25, m.number, '2025 advance time of').minutes : advanceModel),
}));
for (const a of advanceRows) assert(Number(a.minutes) >= 0 && Number(a.minutes) <= 120, `${a.municipality}: advance ${a.minutes}`);

const curvesText = toCsv(curveRows, ['municipality', 'source', ...LEVELS.map((l) => `p${l}`)]);
const advanceText = toCsv(advanceRows, ['municipality', 'minutes']);
writeFileSync(join(dataDir, 'arrival-curves.csv'), curvesText, 'utf8');
writeFileSync(join(dataDir, 'advance-arrival.csv'), advanceText, 'utf8');

// ---------- report ----------

const fmtFit = (name: string, ft: Fit) =>
  `${name.padEnd(10)} = ${ft.a.toFixed(1)} + ${ft.b.toFixed(1)} * log10(E)   R² ${ft.r2.toFixed(2)}  RMSE ${ft.rmse.toFixed(1)}  LOO-RMSE ${ft.looRmse.toFixed(1)} min`;
console.log(`arrival-curves.csv ${curveRows.length} rows, ${Buffer.byteLength(curvesText)} bytes; advance-arrival.csv ${advanceRows.length} rows`);
console.log(`first 2025 election-night poll: +${(firstPoll25 - ZERO_2025).toFixed(0)} min -> embargo publication at +${EMBARGO_MIN.toFixed(1)} min`);
console.log(`krets times lowered to the kommune counter (${fixes25.length}):\n  ${fixes25.join('\n  ')}`);
console.log(`regressions on the 27 (n=${xs.length}), E = 2023 electorate:`);
for (const [n, ft] of [['p50', fitP50], ['p50-p0', fitHead], ['p100-p50', fitTail], ['p90-p10', fitWidth], ['p100', fitP100]] as const) console.log('  ' + fmtFit(n, ft));
console.log(
  `shape template from ${shaped.length} curves with >= ${TEMPLATE_MIN_UNITS} locales: p10 = p50 - ${tmpl.a10.toFixed(2)}*(p50-p0), p25 = p50 - ${tmpl.a25.toFixed(2)}*(p50-p0), p75 = p50 + ${tmpl.b75.toFixed(2)}*(p100-p50), p90 = p50 + ${tmpl.b90.toFixed(2)}*(p100-p50)`,
);
console.log(`model clamps over the 330: ${JSON.stringify(clampCount)}`);
console.log(`advance: watch ${[...new Set(watch.map((m) => r1(getOrThrow(advance25, m.number, '2025 advance time of').minutes)))].join('/')} min (${watch.filter((m) => getOrThrow(advance25, m.number, '2025 advance time of').note.startsWith('complete')).length}/27 complete at the first poll); model ${r1(advanceModel)} min`);
const early = watch.filter((m) => getOrThrow(times25, m.number, '2025 locale times of').some((t) => t === EMBARGO_MIN));
console.log(`watch municipalities with locales counted before 21:00 (published at the embargo lift): ${early.length}: ${early.map((m) => m.name).join(', ')}`);
console.log('\nwatch: n locales, 2025 fit p0/p10/p25/p50/p75/p90/p100 | model p0/p50/p100 | 2021 (level, n) p0/p50/p100');
for (const m of watch) {
  const c = getOrThrow(watchCurves, m.number, 'watch curve of');
  const mc = modelCurve(m.electorate, false);
  const t21 = times21.get(m.number);
  const c21 = t21 ? curveOf(t21.times) : null;
  console.log(
    `  ${m.number} ${m.name.slice(0, 14).padEnd(14)} E=${String(m.electorate).padStart(6)} n=${String(getOrThrow(times25, m.number, '2025 locale times of').length).padStart(3)} | ${LEVELS.map((l) => r1(c[l]).padStart(5)).join(' ')} | ${([0, 50, 100] as const).map((l) => r1(mc[l]).padStart(5)).join(' ')} | ${t21 && c21 ? `${t21.level} ${t21.times.length}: ${([0, 50, 100] as const).map((l) => r1(c21[l])).join('/')}` : '-'}`,
  );
}
const diffs = watch.flatMap((m) => {
  const t21 = times21.get(m.number);
  return t21?.level === 'krets' ? [curveOf(t21.times)[50] - getOrThrow(watchCurves, m.number, 'watch curve of')[50]] : [];
});
console.log(`2021 - 2025 p50 over ${diffs.length} municipalities with 2021 krets data: median ${r1(median(diffs))} min, later in 2021 for ${diffs.filter((d) => d > 0).length}`);
for (const n of ['0301', '4601', '1103', '5501', '3107', '5001', '3201', '1151']) {
  const row = curveRows.find((r) => r.municipality === n);
  assert(row, `${n}: no curve row`);
  console.log(`  ${n} ${getOrThrow(byNumber, n, 'municipality').name.padEnd(12)} ${(row.source ?? '').padEnd(8)} ${LEVELS.map((l) => row[`p${l}`]).join(' / ')}`);
}
