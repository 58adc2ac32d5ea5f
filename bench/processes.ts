// CPU of every process taking part in a measurement, read from /proc (Linux): the servers under test and
// the processes they started, the PostgreSQL backends serving the bench's database, the web process and
// the load processes. Read from outside, so it needs nothing inside the processes and counts children
// (e.g. a sidecar's role processes) that the in-process probe cannot see.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { getOrThrow } from '../lib/get-or-throw.ts';

export interface ProcessCpu {
  /** What the processes are: "sidecar", "postgres", "load", "reporter", "web", "naive", … */
  name: string;
  pids: number[];
  /** Share of one core over the window, in % (summed over the processes). */
  cpuPercent: number;
}

export interface ProcessGroup {
  name: string;
  /** The group's processes; re-read at both ends of the window (backends and children come and go). */
  pids: () => number[] | Promise<number[]>;
  /** Count the processes' descendants too (default true). */
  children?: boolean;
}

export interface StatFields {
  pid: number;
  ppid: number;
  /** User and system time, in clock ticks. */
  utime: number;
  stime: number;
}

/** Parses /proc/<pid>/stat. The command name is in parentheses and may itself hold spaces and ')'. */
export function parseStat(text: string): StatFields | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const pid = Number(text.slice(0, text.indexOf('(')).trim());
  // After ") ": state(3) ppid(4) … utime(14) stime(15), numbered as in proc(5).
  const fields = text.slice(close + 2).trim().split(/\s+/);
  const field = (n: number) => Number(fields[n - 3]);
  const parsed = { pid, ppid: field(4), utime: field(14), stime: field(15) };
  return Object.values(parsed).every(Number.isFinite) ? parsed : null;
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

function readStat(pid: number): StatFields | null {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null; // gone, or not Linux
  }
}

function allStats(): StatFields[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  return entries.map((name) => readStat(Number(name))).filter((s): s is StatFields => s !== null);
}

/** The pids and all their descendants, from a parent → children table. */
export function withDescendants(roots: number[], stats: Array<Pick<StatFields, 'pid' | 'ppid'>>): number[] {
  const children = new Map<number, number[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s.pid]);
  const seen = new Set<number>();
  const queue = [...roots];
  for (let pid = queue.pop(); pid !== undefined; pid = queue.pop()) {
    if (seen.has(pid)) continue;
    seen.add(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return [...seen];
}

interface Reading {
  at: number;
  /** pid → ticks (user + system). */
  ticks: Map<number, number>;
}

async function read(groups: ProcessGroup[]): Promise<Map<string, Reading>> {
  const stats = allStats();
  const byPid = new Map(stats.map((s) => [s.pid, s]));
  const readings = new Map<string, Reading>();
  for (const group of groups) {
    const roots = await group.pids();
    const pids = group.children === false ? roots : withDescendants(roots, stats);
    const ticks = new Map<number, number>();
    for (const pid of pids) {
      const s = byPid.get(pid) ?? readStat(pid);
      if (s) ticks.set(pid, s.utime + s.stime);
    }
    readings.set(group.name, { at: Date.now(), ticks });
  }
  return readings;
}

/**
 * CPU over a window: a process counts for the ticks it used between the two readings (one seen only at
 * the end counts from zero — it started in the window; one that vanished is lost, as /proc forgets it).
 */
export function cpuBetween(name: string, before: Reading | undefined, after: Reading, hz: number): ProcessCpu {
  const wallS = before ? (after.at - before.at) / 1000 : 0;
  let ticks = 0;
  for (const [pid, end] of after.ticks) ticks += end - (before?.ticks.get(pid) ?? 0);
  return { name, pids: [...after.ticks.keys()].sort((a, b) => a - b), cpuPercent: wallS > 0 ? (ticks / hz / wallS) * 100 : 0 };
}

/** Starts a CPU window over the groups; `stop()` gives each group's CPU over it. */
export async function startCpuWindow(groups: ProcessGroup[]): Promise<{ stop(): Promise<ProcessCpu[]> }> {
  const before = await read(groups);
  return {
    async stop() {
      const after = await read(groups);
      const hz = clockTicks();
      return groups.map((g) => cpuBetween(g.name, before.get(g.name), getOrThrow(after, g.name, 'CPU reading of group'), hz));
    },
  };
}
