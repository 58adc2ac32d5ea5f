// The pure parts of scale-out: per-room delta chains (a sender that starts or takes over never continues a
// chain it did not build), and the commit notice format the
// change_log trigger writes.
import { describe, expect, it } from 'vitest';
import { classifyDelta } from '../../lib/domain/delta.ts';
import { parseCommitNotice } from '../../server/cluster/commit-notices.ts';
import { DeltaChains } from '../../server/live/delta-chains.ts';

describe('DeltaChains', () => {
  it('chains each room from its own previous delta, starting from the seq the sender started at', () => {
    const chains = new DeltaChains(10);
    expect(chains.advance('overview', 12)).toBe(10);
    expect(chains.advance('municipality:0301', 12)).toBe(10);
    expect(chains.advance('overview', 15)).toBe(12);
    // 0301 was not touched by 15: its next delta still continues from 12, which its viewers hold.
    expect(chains.advance('municipality:0301', 20)).toBe(12);
  });

  it('after a restart (a new leader) a viewer that may have missed something sees a gap, never a delta that seems to follow', () => {
    const chains = new DeltaChains(0);
    chains.advance('municipality:0301', 5);
    // The old sender's viewers hold 5; the new sender took over at 9, not knowing whether 6..9 reached them.
    chains.restart(9);
    const first = { prevSeq: chains.advance('municipality:0301', 11), seq: 11 };
    expect(first.prevSeq).toBe(9);
    expect(classifyDelta(5, first)).toBe('gap');
    // A viewer that has everything up to the takeover (a snapshot, or the resend) goes on.
    expect(classifyDelta(9, first)).toBe('apply');
    expect(chains.advance('municipality:0301', 14)).toBe(11);
  });
});

describe('parseCommitNotice', () => {
  it('reads "<election id>:<seq>" as the change_log trigger writes it', () => {
    expect(parseCommitNotice('ko2023:1234')).toEqual({ electionId: 'ko2023', seq: 1234 });
    expect(parseCommitNotice('st2025:with:colons:7')).toEqual({ electionId: 'st2025:with:colons', seq: 7 });
  });

  it('ignores anything else', () => {
    for (const payload of [undefined, '', 'ko2023', 'ko2023:', ':12', 'ko2023:-1', 'ko2023:1.5', 'ko2023:99999999999999999999']) {
      expect(parseCommitNotice(payload)).toBeNull();
    }
  });
});
