// SIDECAR_LIVE_NICENESS as the sidecar reads it: 10 unless set, 0 to 19, and a clear refusal naming the
// variable otherwise (server/config.ts).
import { describe, expect, it } from 'vitest';
import { parseSidecarEnv } from '../../server/config.ts';

/** An environment with only these variables (NODE_ENV as a test run has it). */
const env = (variables: Record<string, string> = {}): NodeJS.ProcessEnv => ({ NODE_ENV: 'test', ...variables });

describe('SIDECAR_LIVE_NICENESS', () => {
  it('is 10 when not set', () => {
    expect(parseSidecarEnv(env()).SIDECAR_LIVE_NICENESS).toBe(10);
  });

  it.each([['0', 0], ['19', 19], ['5', 5]])('takes %s', (value, expected) => {
    expect(parseSidecarEnv(env({ SIDECAR_LIVE_NICENESS: value })).SIDECAR_LIVE_NICENESS).toBe(expected);
  });

  it.each(['20', '-1', '2.5', 'low'])('refuses %s, naming the variable', (value) => {
    expect(() => parseSidecarEnv(env({ SIDECAR_LIVE_NICENESS: value }))).toThrow(/SIDECAR_LIVE_NICENESS: /);
  });
});
