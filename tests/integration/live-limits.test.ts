// Per-connection limits on /live: a connection is in at most 30 municipality rooms and sends events at a
// bounded rate (every join answers with a municipality's whole detail), and the sidecar speaks WebSocket
// only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JoinAck } from '../../lib/contracts/live.ts';
import { MAX_MUNICIPALITIES_PER_SOCKET, SOCKET_EVENT_RATE } from '../../server/live/live-namespace.ts';
import { startTestStack, type TestStack } from './harness.ts';

describe('live connection limits on pglite', () => {
  let stack: TestStack;
  let numbers: string[];

  beforeAll(async () => {
    stack = await startTestStack('pglite');
    numbers = (await stack.getJson('/api/v1/snapshot')).body.municipalities.map((m: { number: string }) => m.number);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it(`joins at most ${MAX_MUNICIPALITIES_PER_SOCKET} municipalities per connection`, async () => {
    const viewer = await stack.viewer();
    for (const number of numbers.slice(0, MAX_MUNICIPALITIES_PER_SOCKET)) {
      expect(((await viewer.emitWithAck('municipality:join', { number })) as JoinAck).ok).toBe(true);
    }
    const over = (await viewer.emitWithAck('municipality:join', { number: numbers[MAX_MUNICIPALITIES_PER_SOCKET]! })) as JoinAck;
    expect(over).toEqual({ ok: false, error: expect.stringContaining(`at most ${MAX_MUNICIPALITIES_PER_SOCKET}`) });
    // Joining one it is in already is fine; leaving one makes room.
    expect(((await viewer.emitWithAck('municipality:join', { number: numbers[0]! })) as JoinAck).ok).toBe(true);
    viewer.emit('municipality:leave', { number: numbers[0]! });
    expect(((await viewer.emitWithAck('municipality:join', { number: numbers[MAX_MUNICIPALITIES_PER_SOCKET]! })) as JoinAck).ok).toBe(true);
  });

  it('refuses a connection\'s events beyond its rate, and not another connection\'s', async () => {
    const flooder = await stack.viewer();
    const answers = (await Promise.all(Array.from({ length: 200 }, () => flooder.emitWithAck('municipality:join', { number: '0301' })))) as JoinAck[];
    const served = answers.filter((a) => a.ok).length;
    expect(served).toBeGreaterThanOrEqual(SOCKET_EVENT_RATE.burst);
    expect(served).toBeLessThan(SOCKET_EVENT_RATE.burst + 10);
    expect(answers.find((a) => !a.ok)).toEqual({ ok: false, error: expect.stringContaining('too many requests') });
    // Every kind of event draws on the same budget. A burst, not one call: on a busy machine the 200 answers
    // can take long enough for the bucket to refill a token or two.
    const syncs = await Promise.all(Array.from({ length: 20 }, () => flooder.emitWithAck('sync:check', { seq: 0 })));
    expect(syncs).toContainEqual(expect.objectContaining({ ok: false }));

    const other = await stack.viewer();
    expect(((await other.emitWithAck('municipality:join', { number: '0301' })) as JoinAck).ok).toBe(true);
    // The budget refills: a second later the flooder is served again.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(((await flooder.emitWithAck('municipality:join', { number: '0301' })) as JoinAck).ok).toBe(true);
  });

  it('offers no long-polling transport', async () => {
    const polling = await fetch(`${stack.baseUrl}/socket.io/?EIO=4&transport=polling`);
    expect(polling.status).toBe(400);
    expect(await polling.json()).toMatchObject({ message: 'Transport unknown' });
  });
});
