import { describe, expect, it } from 'vitest';
import { cpuBetween, parseStat, withDescendants } from './processes.ts';

describe('parseStat', () => {
  it('reads pid, ppid, utime and stime, with a command name holding spaces and parentheses', () => {
    const fields = ['S', '41', '41', '41', '0', '-1', '4194560', '2000', '0', '0', '0', '1234', '567', '0', '0', '20', '0', '11'];
    expect(parseStat(`4242 (node (tsx) x) ${fields.join(' ')}`)).toEqual({ pid: 4242, ppid: 41, utime: 1234, stime: 567 });
  });

  it('gives null for something that is not a stat line', () => {
    expect(parseStat('no parentheses here')).toBeNull();
    expect(parseStat('12 (x) S')).toBeNull();
  });
});

describe('withDescendants', () => {
  it('follows children of children, once each', () => {
    const table = [{ pid: 10, ppid: 1 }, { pid: 11, ppid: 10 }, { pid: 12, ppid: 11 }, { pid: 13, ppid: 1 }, { pid: 14, ppid: 10 }];
    expect(withDescendants([10], table).sort((a, b) => a - b)).toEqual([10, 11, 12, 14]);
    expect(withDescendants([13, 13], table)).toEqual([13]);
  });
});

describe('cpuBetween', () => {
  it('sums each process\'s ticks over the window as % of one core, counting a newcomer from zero', () => {
    const before = { at: 0, ticks: new Map([[1, 100], [2, 50]]) };
    const after = { at: 2000, ticks: new Map([[1, 250], [2, 60], [3, 40]]) };
    // (150 + 10 + 40) ticks at 100 Hz over 2 s = 1 core.
    expect(cpuBetween('sidecar', before, after, 100)).toEqual({ name: 'sidecar', pids: [1, 2, 3], cpuPercent: 100 });
  });

  it('gives 0 % without a first reading', () => {
    expect(cpuBetween('x', undefined, { at: 1000, ticks: new Map([[1, 5]]) }, 100).cpuPercent).toBe(0);
  });
});
