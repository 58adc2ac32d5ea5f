// Slow clients are cut off: a body trickled a byte at a time, headers never finished, and a connection
// that says nothing are closed once the request timeout has passed, not held open for ever.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './harness.ts';

const REQUEST_TIMEOUT_MS = 2000;

/** Opens a raw connection; resolves when the server closes it, with what it answered and after how long. */
function rawConnection(url: string) {
  const { hostname, port } = new URL(url);
  const socket: Socket = connect(Number(port), hostname);
  const opened = Date.now();
  let received = '';
  socket.on('data', (chunk) => { received += chunk.toString(); });
  socket.on('error', () => {});
  const closed = new Promise<{ afterMs: number; received: string }>((resolve) => socket.once('close', () => resolve({ afterMs: Date.now() - opened, received })));
  return { socket, closed };
}

describe('request and connection timeouts on pglite', () => {
  let stack: TestStack;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack('pglite', { sidecar: { requestTimeoutMs: REQUEST_TIMEOUT_MS, idleTimeoutMs: 3000 } });
    token = await stack.token('0301');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('closes a connection that trickles its body one byte at a time (408)', async () => {
    const { socket, closed } = rawConnection(stack.baseUrl);
    socket.write(`POST /api/v1/results HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`);
    const drip = setInterval(() => { if (!socket.destroyed) socket.write(' '); }, 300);
    const { afterMs, received } = await closed;
    clearInterval(drip);
    expect(afterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 2000);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes a connection whose headers never end', async () => {
    const { socket, closed } = rawConnection(stack.baseUrl);
    socket.write('GET /api/v1/snapshot HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => { if (!socket.destroyed) socket.write('X-A: b\r\n'); }, 300);
    const { afterMs } = await closed;
    clearInterval(drip);
    expect(afterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 2000);
  });

  it('closes a connection that sends nothing', async () => {
    const { closed } = rawConnection(stack.baseUrl);
    expect((await closed).afterMs).toBeLessThan(3000 + 2000);
  });

  it('still serves a request that arrives in time, and keeps a WebSocket viewer past the timeouts', async () => {
    const viewer = await stack.viewer();
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(viewer.connected).toBe(true);
    expect((await stack.getJson('/api/v1/snapshot')).status).toBe(200);
  });
});
