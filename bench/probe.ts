// Loaded into a server process under test (node --import): answers the orchestrator's "probe" with the
// process's own CPU time, event-loop utilisation and memory, after a full GC when asked (node --expose-gc),
// so memory per viewer compares live heaps rather than garbage. Works against any sidecar version, with
// no change to server code.
import { performance } from 'node:perf_hooks';
import { serveCommands } from './ipc.ts';

export interface ProbeSample {
  /** Epoch ms when sampled. */
  at: number;
  /** process.cpuUsage(), µs. */
  cpuUser: number;
  cpuSystem: number;
  /** Cumulative event-loop idle and active time, ms (performance.eventLoopUtilization()). */
  loopIdle: number;
  loopActive: number;
  heapUsed: number;
  heapTotal: number;
  rss: number;
  external: number;
  /** Whether a GC ran before the memory was read. */
  collected: boolean;
}

export function probeSelf(collect: boolean): ProbeSample {
  const gc = globalThis.gc;
  if (collect && gc) {
    // Twice: the first pass can leave objects only freed by finalisers of the first.
    gc();
    gc();
  }
  const cpu = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  const memory = process.memoryUsage();
  return {
    at: Date.now(), cpuUser: cpu.user, cpuSystem: cpu.system, loopIdle: loop.idle, loopActive: loop.active,
    heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, rss: memory.rss, external: memory.external, collected: collect && Boolean(gc),
  };
}

/** Share of one core the process used between two samples, in %. */
export function cpuPercent(before: ProbeSample, after: ProbeSample): number {
  const wallMs = after.at - before.at;
  if (wallMs <= 0) return 0;
  return ((after.cpuUser + after.cpuSystem - before.cpuUser - before.cpuSystem) / 1000 / wallMs) * 100;
}

/** Share of the time the event loop was busy between two samples, in %. */
export function loopPercent(before: ProbeSample, after: ProbeSample): number {
  const active = after.loopActive - before.loopActive;
  const idle = after.loopIdle - before.loopIdle;
  return active + idle > 0 ? (active / (active + idle)) * 100 : 0;
}

// As a preload (the sidecar), serve the probe. The naive server imports probeSelf and serves it itself.
if (process.env.BENCH_PROBE === '1') serveCommands({ probe: ({ collect }: { collect?: boolean }) => probeSelf(Boolean(collect)) });
