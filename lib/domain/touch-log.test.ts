import { describe, expect, it } from 'vitest';
import { TouchLog } from './touch-log.ts';

describe('TouchLog', () => {
  it('lists the municipalities touched after a seq, by their latest touch', () => {
    const touches = new TouchLog();
    touches.record(3, ['0301', '4601']);
    touches.record(7, ['1103']);
    touches.record(9, ['0301']);
    expect(touches.touchedAfter(0)).toEqual(['0301', '1103', '4601']);
    expect(touches.touchedAfter(3)).toEqual(['0301', '1103']);
    expect(touches.touchedAfter(7)).toEqual(['0301']);
    expect(touches.touchedAfter(9)).toEqual([]);
  });
});
