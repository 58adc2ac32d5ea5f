import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIDECAR_PROCESSES_FILE, addUpProgress, allConverged, chooseStormTarget, readSidecarProcesses } from './storm.ts';

describe('chooseStormTarget', () => {
  it('signals only the live processes when the sidecar lists its roles', () => {
    const processes = [{ role: 'intake', pid: 10 }, { role: 'live', pid: 11 }, { role: 'live', pid: 12 }];
    expect(chooseStormTarget(processes, 9)).toEqual({ target: 'live-processes', pids: [11, 12] });
  });

  it('signals the whole sidecar without the file, or when it lists no live process', () => {
    expect(chooseStormTarget(null, 9)).toEqual({ target: 'whole-sidecar', pids: [9] });
    expect(chooseStormTarget([{ role: 'intake', pid: 10 }], 9)).toEqual({ target: 'whole-sidecar', pids: [9] });
  });
});

describe('readSidecarProcesses', () => {
  it('reads $DATA_DIR/sidecar-processes.json, and null when there is none', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'valgvakt-storm-'));
    try {
      expect(await readSidecarProcesses(dir)).toBeNull();
      await writeFile(path.join(dir, SIDECAR_PROCESSES_FILE), JSON.stringify([{ role: 'live', pid: 5, port: 3001 }]));
      expect(await readSidecarProcesses(dir)).toEqual([{ role: 'live', pid: 5, port: 3001 }]);
      await writeFile(path.join(dir, SIDECAR_PROCESSES_FILE), JSON.stringify([{ role: 'live' }]));
      await expect(readSidecarProcesses(dir)).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('allConverged', () => {
  it('needs every viewer back in step after losing its connection', () => {
    expect(allConverged({ viewers: 3, recovered: 1, caughtUp: 0, snapshots: 2, pending: 0, untouched: 0 })).toBe(true);
    expect(allConverged({ viewers: 3, recovered: 1, caughtUp: 0, snapshots: 1, pending: 1, untouched: 0 })).toBe(false);
    // A viewer the kill never reached has not shown that it comes back.
    expect(allConverged({ viewers: 3, recovered: 1, caughtUp: 0, snapshots: 1, pending: 0, untouched: 1 })).toBe(false);
    expect(allConverged({ viewers: 0, recovered: 0, caughtUp: 0, snapshots: 0, pending: 0, untouched: 0 })).toBe(false);
  });
});

describe('addUpProgress', () => {
  it('adds the load processes\' counts field by field', () => {
    expect(addUpProgress([
      { viewers: 3, recovered: 1, caughtUp: 1, snapshots: 0, pending: 1, untouched: 0 },
      { viewers: 2, recovered: 0, caughtUp: 2, snapshots: 0, pending: 0, untouched: 0 },
    ])).toEqual({ viewers: 5, recovered: 1, caughtUp: 3, snapshots: 0, pending: 1, untouched: 0 });
    expect(addUpProgress([])).toEqual({ viewers: 0, recovered: 0, caughtUp: 0, snapshots: 0, pending: 0, untouched: 0 });
  });
});
