// Scheduling priority of a process the sidecar (or the bench) started: a live process yields the CPU to
// intake and the database when the machine's cores are full (SIDECAR_LIVE_NICENESS, ARCHITECTURE.md "Roles").
import { readdirSync } from 'node:fs';
import os from 'node:os';

/**
 * Sets every thread of `pid` (listed in /proc/<pid>/task) to this process's niceness plus `niceness` (19 at
 * most), so a sidecar started under `nice` keeps the difference. Linux keeps a niceness per thread, and a
 * thread started later inherits its creator's. Without /proc (not Linux) only `pid` itself is set.
 * Throws what setpriority(2) throws for `pid` itself (say, the process is gone).
 */
export function lowerPriority(pid: number, niceness: number): number {
  const target = Math.min(19, os.getPriority() + niceness);
  let threads = [pid];
  try {
    threads = readdirSync(`/proc/${pid}/task`).map(Number);
  } catch {
    // No /proc (not Linux), or the process is not there yet or any more: its main thread is what there is.
  }
  os.setPriority(pid, target);
  for (const thread of threads) {
    if (thread === pid) continue;
    try {
      os.setPriority(thread, target);
    } catch {
      // A thread that ended meanwhile.
    }
  }
  return target;
}
