// Renders a bench run as markdown (docs/benchmarks.md): the goals with verdicts, then one table per
// section with ratios to the naive floor and to polling from the same run. The hand-written analysis
// section of the previous file is carried over, so regenerating the figures keeps the explanation.
import type { BenchResults, IngestResult, PushCell } from './results.ts';
import { formatBytes, formatMs, formatNumber, formatPercent, formatRatio, markdownTable } from './table.ts';

// The issue's goals. The latency goal (our p99 at the largest size at most the naive broadcast's p99) and
// the memory goal (heap per idle viewer at most bare Socket.IO's) compare with the same run instead.
export const GOALS = {
  /** Median push latency at least this many times below the median staleness of polling. */
  freshnessVsPolling: 50,
  embeddedNightS: 30,
  postgresNightS: 10,
} as const;

export interface GoalRow {
  goal: string;
  target: string;
  measured: string;
  met: boolean | null;
  verdict: string;
}

function atMost(measured: number | null | undefined, limit: number | null | undefined, format: (v: number) => string): { met: boolean | null; verdict: string } {
  if (measured === null || measured === undefined || limit === null || limit === undefined) return { met: null, verdict: 'not measured' };
  if (measured <= limit) return { met: true, verdict: 'met' };
  return { met: false, verdict: `**missed** by ${format(measured - limit)} (${formatRatio(measured, limit)})` };
}

function atLeast(measured: number | null | undefined, floor: number, format: (v: number) => string): { met: boolean | null; verdict: string } {
  if (measured === null || measured === undefined || !Number.isFinite(measured)) return { met: null, verdict: 'not measured' };
  if (measured >= floor) return { met: true, verdict: 'met' };
  return { met: false, verdict: `**missed**: ${format(measured)} of ${format(floor)} (${formatRatio(floor, measured)} short)` };
}

function cell(results: BenchResults, server: PushCell['server'], viewers: number, rate: number): PushCell | undefined {
  return results.push.find((c) => c.server === server && c.viewers === viewers && c.rate === rate);
}

const perViewer = (after: number, before: number, viewers: number) => (viewers > 0 ? (after - before) / viewers : null);

function nightGoal(result: IngestResult | undefined, label: string, limitS: number): GoalRow {
  const target = `< ${limitS} s`;
  if (!result) return { goal: `whole 2023 night ingested, ${label}`, target, measured: '–', met: null, verdict: 'not measured' };
  const fullNight = result.municipalities === 'all';
  const measured = result.finished ? `${result.seconds.toFixed(1)} s` : `> ${result.seconds.toFixed(0)} s (stopped at ${result.sent} of ${result.requests})`;
  // An unfinished night is extrapolated at its rate, so the verdict says how far off it is.
  const projected = result.finished ? result.seconds : (result.seconds * result.requests) / Math.max(1, result.sent);
  const verdict = fullNight ? atMost(projected, limitS, (v) => `${v.toFixed(1)} s`) : { met: null, verdict: 'not the whole night (smoke)' };
  const unexpected = result.unexpected > 0 ? { met: false, verdict: `**${result.unexpected} unexpected answers**; ${verdict.verdict}` } : verdict;
  return { goal: `whole 2023 night ingested, ${label}`, target, measured, ...unexpected };
}

export function evaluateGoals(results: BenchResults): GoalRow[] {
  const rows: GoalRow[] = [];
  const largest = Math.max(0, ...results.push.map((c) => c.viewers));
  for (const rate of [...new Set(results.push.map((c) => c.rate))].sort((a, b) => a - b)) {
    const ours = cell(results, 'valgvakt', largest, rate);
    const naive = cell(results, 'naive', largest, rate);
    if (!ours || !naive) continue;
    rows.push({
      goal: `p99 commit → viewer at ${formatNumber(largest)} viewers, ${rate} reports/s`,
      target: `≤ naive broadcast's p99 (${formatMs(naive.latency.p99)}${fellBehind(naive) ? `, of the ${formatPercent((naive.delivered / naive.expected) * 100)} it delivered` : ''})`,
      measured: formatMs(ours.latency.p99),
      ...atMost(ours.latency.p99, naive.latency.p99, formatMs),
    });
  }
  const pollingLargest = Math.max(0, ...results.polling.map((p) => p.viewers));
  for (const poll of results.polling.filter((p) => p.viewers === pollingLargest)) {
    const push = cell(results, 'valgvakt', poll.viewers, poll.rate);
    const fresher = push?.latency.p50 && poll.staleness.p50 !== null ? poll.staleness.p50 / push.latency.p50 : null;
    rows.push({
      goal: `fresher than ${poll.intervalS}-s polling (median staleness ÷ median push latency), ${formatNumber(poll.viewers)} viewers`,
      target: `≥ ${GOALS.freshnessVsPolling}×`,
      measured: fresher === null ? '–' : `${formatRatio(fresher, 1)} (${formatMs(poll.staleness.p50)} vs ${formatMs(push?.latency.p50)})`,
      ...atLeast(fresher, GOALS.freshnessVsPolling, (v) => `${v.toFixed(0)}×`),
    });
    rows.push({
      goal: `… at lower server CPU than polling (${formatNumber(poll.viewers)} viewers, ${poll.rate} reports/s)`,
      target: `< polling's ${formatPercent(poll.cpuPercent)}`,
      measured: push ? formatPercent(push.cpuPercent) : '–',
      ...(push ? (push.cpuPercent < poll.cpuPercent ? { met: true, verdict: 'met' } : atMost(push.cpuPercent, poll.cpuPercent, (v) => `${v.toFixed(0)} points`)) : { met: null, verdict: 'not measured' }),
    });
  }
  if (results.ingest.length) {
    rows.push(nightGoal(results.ingest.find((r) => r.database === 'embedded'), 'embedded (PGlite)', GOALS.embeddedNightS));
    rows.push(nightGoal(results.ingest.find((r) => r.database === 'postgres'), 'PostgreSQL', GOALS.postgresNightS));
  }
  const memoryLargest = Math.max(0, ...results.memory.map((m) => m.viewers));
  const ourMemory = results.memory.find((m) => m.server === 'valgvakt' && m.viewers === memoryLargest);
  const naiveMemory = results.memory.find((m) => m.server === 'naive' && m.viewers === memoryLargest);
  if (ourMemory && naiveMemory) {
    const ours = perViewer(ourMemory.heapAfter, ourMemory.heapBefore, ourMemory.viewers);
    const naive = perViewer(naiveMemory.heapAfter, naiveMemory.heapBefore, naiveMemory.viewers);
    rows.push({
      goal: `heap per idle viewer at ${formatNumber(memoryLargest)} viewers`,
      target: `≤ bare Socket.IO's (${formatBytes(naive)})`,
      measured: formatBytes(ours),
      ...atMost(ours, naive, formatBytes),
    });
  }
  return rows;
}

/** A cell that delivered less than this share before it ended measured only the messages that made it. */
const FELL_BEHIND = 0.99;
const fellBehind = (c: PushCell) => c.expected > 0 && c.delivered / c.expected < FELL_BEHIND;

function latencySection(results: BenchResults): string {
  const rows = results.push.map((c) => {
    const naive = cell(results, 'naive', c.viewers, c.rate);
    const mark = fellBehind(c) ? ' †' : '';
    return [
      formatNumber(c.viewers), c.rate, c.server === 'valgvakt' ? 'Valgvakt' : 'naive broadcast',
      formatMs(c.latency.p50), formatMs(c.latency.p95), `${formatMs(c.latency.p99)}${mark}`, formatMs(c.latency.max),
      `${formatPercent((c.delivered / Math.max(1, c.expected)) * 100, 1)} of ${formatNumber(c.expected)}`,
      c.server === 'valgvakt' && naive ? `${formatRatio(c.latency.p50, naive.latency.p50)} / ${formatRatio(c.latency.p99, naive.latency.p99)}` : '',
    ];
  });
  const table = markdownTable(
    ['viewers', 'reports/s', 'server', 'p50', 'p95', 'p99', 'max', 'delivered (viewer × report)', 'p50 / p99 ÷ naive'],
    rows, ['right', 'right', 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
  return results.push.some(fellBehind)
    ? `${table}\n\n† Fell behind: not every (viewer, report) pair arrived before the cell ended, and the percentiles cover only those that did — they flatter that server.`
    : table;
}

function trafficSection(results: BenchResults): string {
  const rows = results.push.map((c) => {
    const naive = cell(results, 'naive', c.viewers, c.rate);
    const bytesPerReport = c.reports ? c.bytesPerViewer / c.reports : null;
    const naiveBytesPerReport = naive?.reports ? naive.bytesPerViewer / naive.reports : null;
    return [
      formatNumber(c.viewers), c.rate, c.server === 'valgvakt' ? 'Valgvakt' : 'naive broadcast',
      `${formatNumber(c.sentPerSecond, 1)} → ${formatNumber(c.reports)}`,
      c.reports ? formatNumber(c.messagesPerViewer / c.reports, 2) : '–',
      formatBytes(bytesPerReport),
      c.server === 'valgvakt' ? formatRatio(bytesPerReport, naiveBytesPerReport) : '',
      formatPercent(c.cpuPercent), formatPercent(c.loopPercent),
      `${formatMs(c.answerP50)} / ${formatMs(c.answerP99)}`,
      `${c.gaps} / ${c.disconnects}`,
    ];
  });
  return markdownTable(
    ['viewers', 'reports/s', 'server', 'sent/s → accepted', 'messages per viewer per report', 'bytes per viewer per report', 'bytes ÷ naive', 'server CPU', 'event loop busy', 'report answered p50 / p99', 'gaps / drops'],
    rows, ['right', 'right', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
}

function pollingSection(results: BenchResults): string {
  const rows: Array<Array<string | number>> = [];
  for (const poll of results.polling) {
    const push = cell(results, 'valgvakt', poll.viewers, poll.rate);
    if (push) {
      rows.push([formatNumber(poll.viewers), poll.rate, 'push (Socket.IO deltas)', formatMs(push.latency.p50), formatMs(push.latency.p95), formatMs(push.latency.p99), formatPercent(push.cpuPercent), '–', '–', '']);
    }
    rows.push([
      formatNumber(poll.viewers), poll.rate, `polling every ${poll.intervalS} s (plain GET)`,
      formatMs(poll.staleness.p50), formatMs(poll.staleness.p95), formatMs(poll.staleness.p99), formatPercent(poll.cpuPercent),
      formatNumber(poll.requestsPerSecond, 0), `${formatBytes(poll.bytesPerSecond)}/s`,
      push ? `push is ${formatRatio(poll.staleness.p50, push.latency.p50)} fresher (p50), ${formatRatio(poll.cpuPercent, push.cpuPercent)} less CPU` : '',
    ]);
  }
  return markdownTable(
    ['viewers', 'reports/s', 'mode', 'staleness p50', 'p95', 'p99', 'server CPU', 'requests/s', 'served', 'push vs polling'],
    rows, ['right', 'right', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
  );
}

function memorySection(results: BenchResults): string {
  const rows = results.memory.map((m) => [
    m.server === 'valgvakt' ? 'Valgvakt' : 'naive broadcast (bare Socket.IO)', formatNumber(m.viewers),
    `${formatBytes(m.heapBefore)} → ${formatBytes(m.heapAfter)}`, formatBytes(perViewer(m.heapAfter, m.heapBefore, m.viewers)),
    `${formatBytes(m.rssBefore)} → ${formatBytes(m.rssAfter)}`, formatBytes(perViewer(m.rssAfter, m.rssBefore, m.viewers)),
    `${m.rampSeconds.toFixed(1)} s`,
  ]);
  return markdownTable(
    ['server', 'viewers', 'heap used (after GC)', 'heap per viewer', 'RSS', 'RSS per viewer', 'ramp-up'],
    rows, ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
}

function ingestSection(results: BenchResults): string {
  const rows = results.ingest.map((r) => {
    const goal = r.database === 'embedded' ? GOALS.embeddedNightS : GOALS.postgresNightS;
    return [
      r.database === 'embedded' ? 'embedded (PGlite)' : 'PostgreSQL server',
      r.municipalities === 'all' ? 'all 357' : r.municipalities.join(','),
      `${formatNumber(r.sent)} of ${formatNumber(r.requests)}`,
      r.finished ? `${r.seconds.toFixed(1)} s` : `stopped after ${r.seconds.toFixed(0)} s`,
      formatNumber(r.sent / Math.max(0.001, r.seconds), 0), formatNumber(r.unexpected), formatNumber(r.retries), formatPercent(r.cpuPercent),
      `< ${goal} s`, r.finished ? formatRatio(r.seconds, goal) : `≈ ${formatRatio((r.seconds * r.requests) / Math.max(1, r.sent), goal)} (projected)`,
    ];
  });
  return markdownTable(
    ['database', 'municipalities', 'requests sent', 'total time', 'requests/s', 'unexpected', 'retries', 'sidecar CPU', 'goal', 'time ÷ goal'],
    rows, ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
}

function snapshotSection(results: BenchResults): string {
  const plain = results.snapshot.find((s) => s.variant === 'plain');
  const rows = results.snapshot.map((s) => [
    s.variant === 'plain' ? 'plain GET' : 'If-None-Match (304)', s.connections, `${s.seconds} s`,
    formatNumber(s.requestsPerSecond), formatMs(s.latencyP50), formatMs(s.latencyP99),
    `${formatNumber(s.status2xx)} × 2xx, ${formatNumber(s.status3xx)} × 3xx${s.otherStatus ? `, ${formatNumber(s.otherStatus)} other` : ''}`,
    `${formatBytes(s.bytesPerSecond)}/s`, formatPercent(s.cpuPercent),
    s.variant === 'conditional' && plain ? formatRatio(s.requestsPerSecond, plain.requestsPerSecond) : '',
  ]);
  return markdownTable(
    ['variant', 'connections', 'duration', 'requests/s', 'p50', 'p99', 'answers', 'throughput', 'server CPU', '÷ plain'],
    rows, ['left', 'right', 'right', 'right', 'right', 'right', 'left', 'right', 'right', 'right'],
  );
}

export const ANALYSIS_START = '<!-- analysis:start -->';
export const ANALYSIS_END = '<!-- analysis:end -->';
const ANALYSIS_PLACEHOLDER = '_Not written yet: after a full run, explain here where and why the figures fall short of the goals._';

function commitTimeNote(results: BenchResults): string {
  const sources = new Set(results.push.filter((c) => c.server === 'valgvakt').map((c) => c.commitTime));
  if (results.meta.committedAtHeader === true && sources.size === 1 && sources.has('header')) {
    return "Valgvakt's commit time is the `x-valgvakt-committed-at` header of each 201 (epoch ms right after the transaction committed).";
  }
  if (results.meta.committedAtHeader === false || sources.has('arrival')) {
    return "This sidecar sends no `x-valgvakt-committed-at` header, so Valgvakt's commit time is when the 201 reached the reporter: a little after the commit, which flatters our latency by the 201's trip (about a millisecond on loopback, more under load; see \"report answered\").";
  }
  return 'Commit times: no Valgvakt cells ran.';
}

export function renderReport(results: BenchResults, analysis: string = ANALYSIS_PLACEHOLDER): string {
  const { meta } = results;
  const gib = (meta.machine.memoryBytes / 1024 ** 3).toFixed(1);
  const goals = evaluateGoals(results);
  const sections: string[] = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench${meta.smoke ? ':smoke' : ''}\` (bench/); everything but the analysis section at the end is regenerated by the next run.`,
    '',
    `- **Date:** ${meta.date}`,
    `- **Machine:** ${meta.machine.cores} × ${meta.machine.cpuModel}, ${gib} GiB RAM, ${meta.machine.os}, Node ${meta.machine.node}; servers, load processes and databases all on this machine, over loopback`,
    `- **Commit:** \`${meta.commit}\`${meta.dirty ? ' (with uncommitted changes)' : ''}`,
    `- **Load average (1 min):** ${meta.loadAverage.start.toFixed(1)} when the run started, ${meta.loadAverage.end.toFixed(1)} when it ended, on ${meta.machine.cores} cores${meta.loadAverage.start > meta.machine.cores ? ' — other work was already keeping the machine busy, so the absolute figures are pessimistic; ratios within the run are fairer' : ''}`,
    `- **Run:** viewers ${meta.sizes.map((s) => formatNumber(s)).join(', ')}; reports/s ${meta.rates.join(', ')}; ${meta.windowS}-s windows; ${meta.workers} load processes; the latency sidecar on ${meta.database === 'postgres' ? 'the PostgreSQL server' : 'embedded PGlite'}; ${meta.smoke ? 'smoke size — not for conclusions; ' : ''}took ${Math.round(meta.durationS)} s`,
    `- **Sidecar features seen:** \`x-valgvakt-committed-at\` header ${meta.committedAtHeader === null ? 'not checked' : meta.committedAtHeader ? 'yes' : 'no'}; \`/metrics\` ${meta.metricsEndpoint === null ? 'not checked' : meta.metricsEndpoint ? 'yes' : 'no'}`,
    '',
    '## Goals',
    '',
    goals.length ? markdownTable(['goal', 'target', 'measured', 'verdict'], goals.map((g) => [g.goal, g.target, g.measured, g.verdict])) : '_No section with a goal ran._',
  ];
  if (results.push.length) {
    sections.push(
      '', '## Commit → viewer latency', '',
      `Every viewer is a Socket.IO client in the overview room of \`/live\`, asking for compact deltas as the site's pages do; a (viewer, report) latency is the arrival of the first \`overview:patch\` whose (prevSeq, seq] covers the report's seq, minus the report's commit time. ${commitTimeNote(results)} The naive broadcast stamps each report when it has parsed it and sends that stamp with the report to every viewer. Reports are real 2023 result reports, posted at a steady rate by one process; viewers are spread over the load processes.`,
      '', latencySection(results),
      '', '### Traffic and server load while measuring', '',
      'Per viewer and report: how many messages and bytes a viewer received (Socket.IO frames, measured on one viewer per load process). Server CPU is in % of one core over the window of reports (includes taking the reports).',
      '', trafficSection(results),
    );
  }
  if (results.polling.length) {
    sections.push(
      '', '## Push vs polling', '',
      'The same number of viewers fetching `GET /api/v1/snapshot` on a fixed interval instead, phases spread evenly, the way valgresultat.no-style clients work: plain GETs without `If-None-Match` (the conditional variant is measured below). Staleness of a (poller, report) pair is when that poller first received a snapshot whose `x-valgvakt-seq` is at or past the report, minus the report\'s commit time. Same reports at the same rate as the push row.',
      '', pollingSection(results),
    );
  }
  if (results.memory.length) {
    sections.push(
      '', '## Memory per connected viewer', '',
      'Each server process reports its own heap and RSS after a forced garbage collection (bench/probe.ts, loaded into the process), before the viewers connect and once they are all connected and idle. The largest size runs first, on a fresh process, so its RSS is not masked by earlier peaks; RSS can still fall when a collection returns pages to the system (a negative figure), so heap is the one to compare.',
      '', memorySection(results),
    );
  }
  if (results.ingest.length) {
    sections.push(
      '', '## Ingest throughput', '',
      'The replay engine (`replay/runner.ts`, as `npm run replay -- --speed max`) plays the 2023 night with its incidents into a fresh sidecar, steering its simulated clock; one request is one result or status report.',
      '', ingestSection(results),
    );
    for (const r of results.ingest.filter((i) => i.unexpectedSample.length)) sections.push('', `Unexpected answers (${r.database}):`, '', ...r.unexpectedSample.map((line) => `- \`${line}\``));
  }
  if (results.snapshot.length) {
    sections.push(
      '', '## Snapshot endpoint', '',
      'autocannon against `GET /api/v1/snapshot` on the sidecar that served the latency cells (all their reports in it), once with plain GETs and once with the current ETag in `If-None-Match`; the load generator runs in the bench process on the same cores.',
      '', snapshotSection(results),
    );
  }
  if (results.notes.length) sections.push('', '## Notes from this run', '', ...results.notes.map((note) => `- ${note}`));
  sections.push('', '## Analysis', '', ANALYSIS_START, analysis.trim(), ANALYSIS_END, '');
  return sections.join('\n');
}

/** The hand-written analysis of an earlier report, if it has one. */
export function extractAnalysis(previous: string | null): string | undefined {
  if (!previous) return undefined;
  const start = previous.indexOf(ANALYSIS_START);
  const end = previous.indexOf(ANALYSIS_END);
  if (start < 0 || end < start) return undefined;
  const text = previous.slice(start + ANALYSIS_START.length, end).trim();
  return text.length ? text : undefined;
}
