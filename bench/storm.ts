// The reconnect storm: with viewers connected, the live role is stopped by a signal and comes back; the
// bench measures how long until every viewer is back in step, and how (Socket.IO's connection-state
// recovery replaying the missed deltas, or a snapshot fetched as the pages do).
//
// What is stopped: a sidecar that runs its roles as separate processes lists them in
// `$DATA_DIR/sidecar-processes.json` (a JSON array of { role, pid }); then only the live processes are
// signalled and the sidecar is expected to bring them back itself. Without that file the whole sidecar
// is the live role: it is signalled and the bench starts it again on the same database and port.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

export const SIDECAR_PROCESSES_FILE = 'sidecar-processes.json';

const ZSidecarProcesses = z.array(z.object({ role: z.string(), pid: z.number().int().positive() }).loose());
export type SidecarProcess = z.infer<typeof ZSidecarProcesses>[number];

export interface StormTarget {
  target: 'live-processes' | 'whole-sidecar';
  pids: number[];
}

/** The sidecar's role processes, or null when it writes no such file (one process does everything). */
export async function readSidecarProcesses(dataDir: string): Promise<SidecarProcess[] | null> {
  let text: string;
  try {
    text = await readFile(path.join(dataDir, SIDECAR_PROCESSES_FILE), 'utf8');
  } catch {
    return null;
  }
  return ZSidecarProcesses.parse(JSON.parse(text));
}

/** Which pids to signal: the live processes when the sidecar lists them, else the whole sidecar. */
export function chooseStormTarget(processes: SidecarProcess[] | null, sidecarPid: number): StormTarget {
  const live = (processes ?? []).filter((p) => p.role === 'live').map((p) => p.pid);
  return live.length > 0 ? { target: 'live-processes', pids: live } : { target: 'whole-sidecar', pids: [sidecarPid] };
}

/** Where a storm's viewers are: each load process counts its own, the bench adds them up. */
export interface StormProgress {
  viewers: number;
  /** Back in step after the kill: by connection-state recovery, by a catch-up from their seq, or by fetching a snapshot. */
  recovered: number;
  caughtUp: number;
  snapshots: number;
  /** Lost their connection and are not back in step yet; never lost it. */
  pending: number;
  untouched: number;
}

/** The load processes' counts added up. */
export function addUpProgress(parts: readonly StormProgress[]): StormProgress {
  return parts.reduce<StormProgress>((total, part) => ({
    viewers: total.viewers + part.viewers,
    recovered: total.recovered + part.recovered,
    caughtUp: total.caughtUp + part.caughtUp,
    snapshots: total.snapshots + part.snapshots,
    pending: total.pending + part.pending,
    untouched: total.untouched + part.untouched,
  }), { viewers: 0, recovered: 0, caughtUp: 0, snapshots: 0, pending: 0, untouched: 0 });
}

/**
 * Every viewer back in step: each lost its connection (the kill reached it) and has converged since. A
 * viewer that never lost it is not counted as converged — the storm did not reach it, which is a failure
 * of the storm, not a success of the server.
 */
export function allConverged(progress: StormProgress): boolean {
  return progress.viewers > 0 && progress.recovered + progress.caughtUp + progress.snapshots === progress.viewers;
}
