// server/roles/niceness.ts against real processes: every thread of a child is set below this process's
// priority, relative to it and at most 19; a process that is gone is an error, not a silent success.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { lowerPriority } from '../../server/roles/niceness.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** A Node process with its threads started (V8's and libuv's), idling until killed. */
async function idleNode(): Promise<number> {
  const child = spawn(process.execPath, ['-e', "require('node:fs').stat('.', () => process.stdout.write('up')); setInterval(() => {}, 1000)"], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(child);
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return child.pid!;
}

const threadNiceness = (pid: number) => new Set(readdirSync(`/proc/${pid}/task`).map((thread) => os.getPriority(Number(thread))));

describe.runIf(process.platform === 'linux')('lowerPriority', () => {
  it('sets every thread of a running process, threads started before the call included', async () => {
    const pid = await idleNode();
    expect(readdirSync(`/proc/${pid}/task`).length).toBeGreaterThan(1);
    const base = os.getPriority();
    expect(lowerPriority(pid, 5)).toBe(Math.min(19, base + 5));
    expect(threadNiceness(pid)).toEqual(new Set([Math.min(19, base + 5)]));
  });

  it('goes no further than 19', async () => {
    const pid = await idleNode();
    expect(lowerPriority(pid, 19)).toBe(19);
    expect(lowerPriority(pid, 19)).toBe(19);
    expect(threadNiceness(pid)).toEqual(new Set([19]));
  });

  it('throws for a process that is gone', async () => {
    const pid = await idleNode();
    const child = children.pop()!;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(() => lowerPriority(pid, 5)).toThrow();
  });
});
