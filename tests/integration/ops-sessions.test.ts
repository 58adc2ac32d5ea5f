// Operator sessions end everywhere: signing out, expiry and disabling the operator close that operator's
// /ops sockets within a second, and connection state recovery never restores an /ops connection without
// a fresh ticket of a valid session.
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator, createOperatorSession, disableOperator } from '../../db/operators.ts';
import { OPS_NAMESPACE } from '../../lib/contracts/ops.ts';
import { ELECTION_NIGHT, makeResultReport, startTestStack, type TestStack } from './harness.ts';

const PASSWORD = 'correct horse battery staple';

async function call(stack: TestStack, method: string, path: string, token?: string) {
  const response = await fetch(`${stack.baseUrl}${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** The private recovery state socket.io-client keeps (sent back as auth { pid, offset } on reconnect). */
interface RecoveryState { _pid?: string; _lastOffset?: string }

function open(stack: TestStack, auth: Record<string, unknown>): Promise<Socket> {
  const socket = connect(`${stack.baseUrl}${OPS_NAMESPACE}`, { transports: ['websocket'], reconnection: false, auth });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

async function openWithTicket(stack: TestStack, token: string): Promise<Socket> {
  const ticket = await call(stack, 'POST', '/api/v1/ops/socket-ticket', token);
  return open(stack, { ticket: ticket.body.ticket });
}

/** Resolves with how long the server took to close the socket (rejects after `withinMs`). */
function closedWithin(socket: Socket, withinMs: number): Promise<{ afterMs: number; reason: string }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still connected after ${withinMs} ms`)), withinMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve({ afterMs: Date.now() - started, reason });
    });
  });
}

describe('operator sessions end everywhere, on pglite', () => {
  let stack: TestStack;
  let anna: number;
  const sockets: Socket[] = [];
  const session = async (operatorId = anna) => (await createOperatorSession(stack.database.db, operatorId, stack.clock.now())).token;

  beforeAll(async () => {
    stack = await startTestStack('pglite');
    anna = (await createOperator(stack.database.db, 'anna.ops', PASSWORD)).id;
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await stack?.close();
  });

  it('signing out closes that session\'s sockets within a second, and no other session\'s', async () => {
    const token = await session();
    const other = await session();
    const mine = await openWithTicket(stack, token);
    const theirs = await openWithTicket(stack, other);
    sockets.push(mine, theirs);
    const closed = closedWithin(mine, 1000);
    expect((await call(stack, 'DELETE', '/api/v1/ops/session', token)).status).toBe(204);
    expect((await closed).reason).toBe('io server disconnect');
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(theirs.connected).toBe(true);
  });

  it('a session signed out elsewhere (another node, the database) closes its sockets within a second', async () => {
    const token = await session();
    const socket = await openWithTicket(stack, token);
    sockets.push(socket);
    const closed = closedWithin(socket, 1000);
    // As another node's sign-out would: straight in the database.
    await stack.database.db.operatorSession.updateMany({ where: { operatorId: anna, revokedAt: null }, data: { revokedAt: new Date() } });
    expect((await closed).afterMs).toBeLessThan(1000);
  });

  it('disabling the operator (npm run operator -- disable) closes its sockets within a second', async () => {
    const bjorn = (await createOperator(stack.database.db, 'bjorn.ops', PASSWORD)).id;
    const socket = await openWithTicket(stack, await session(bjorn));
    sockets.push(socket);
    const closed = closedWithin(socket, 1000);
    expect(await disableOperator(stack.database.db, 'bjorn.ops')).toBe(true);
    expect((await closed).afterMs).toBeLessThan(1000);
  });

  it('an expired session closes its sockets within a second', async () => {
    const socket = await openWithTicket(stack, await session());
    sockets.push(socket);
    const closed = closedWithin(socket, 1000);
    stack.setClock(new Date(ELECTION_NIGHT.getTime() + 12 * 3600_000 + 1));
    try {
      expect((await closed).afterMs).toBeLessThan(1000);
    } finally {
      stack.setClock(ELECTION_NIGHT);
    }
  });

  it('recovery restores an /ops connection only with a fresh ticket of a valid session', async () => {
    const token = await session();
    const socket = await openWithTicket(stack, token);
    sockets.push(socket);
    // A board broadcast gives the connection a recovery offset.
    const board = new Promise((resolve) => socket.once('board:updated', resolve));
    const oslo = await stack.token('0301');
    expect((await stack.postResult(oslo, makeResultReport({ municipality: '0301', district: '0101' }))).status).toBe(201);
    await board;
    const { _pid: pid, _lastOffset: offset } = socket as unknown as RecoveryState;
    expect(typeof pid).toBe('string');
    expect(typeof offset).toBe('string');
    const id = socket.id;
    // The connection drops (not a clean disconnect), so the server keeps its state for recovery.
    socket.io.engine.close();
    await new Promise((resolve) => setTimeout(resolve, 200));

    // With a fresh ticket of a valid session the connection is recovered, as the console's reconnect does.
    const ticket = await call(stack, 'POST', '/api/v1/ops/socket-ticket', token);
    const recovered = await open(stack, { pid, offset, ticket: ticket.body.ticket });
    sockets.push(recovered);
    // (A fresh client does not know it resumed; the server does, and kept the socket's id.)
    expect(recovered.id).toBe(id);
    expect(stack.sidecar.ops.sockets.get(recovered.id!)?.recovered).toBe(true);

    // Dropped again: the old id and offset without a ticket restore nothing.
    recovered.io.engine.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(open(stack, { pid, offset })).rejects.toThrow('unauthorized');
  });
});
