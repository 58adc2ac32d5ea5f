import { describe, expect, it } from 'vitest';
import { publishedChange, publishedShare } from './precision.ts';

describe('published precision', () => {
  it('gives shares six decimals', () => {
    expect(publishedShare(1 / 3)).toBe(0.333333);
    expect(publishedShare(2 / 3)).toBe(0.666667);
    expect(JSON.stringify(publishedShare(0.36310588235294117))).toBe('0.363106');
  });

  it('keeps none and all exact, and never rounds onto them from inside', () => {
    expect(publishedShare(0)).toBe(0);
    expect(publishedShare(1)).toBe(1);
    expect(publishedShare(0.9999996)).toBe(0.999999);
    expect(publishedShare(0.0000004)).toBe(0.000001);
  });

  it('gives changes six decimals without float noise', () => {
    expect(publishedChange(0.123457, 0.1)).toBe(0.023457);
    expect(JSON.stringify(publishedChange(0.1, 0.123457))).toBe('-0.023457');
    expect(publishedChange(0.2, 0.2)).toBe(0);
  });
});
