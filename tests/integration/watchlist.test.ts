// The watchlist is the operators': an operator adds and removes a municipality with a reason; the change is
// validated, stored, in the revision log, and reaches viewers live (both overview forms and the
// municipality's room), on both databases.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../lib/contracts/live.ts';
import { applyOverviewPatch } from '../../lib/domain/overview-patch.ts';
import { createOperator, createOperatorSession } from '../../db/operators.ts';
import { BACKENDS, createServerDatabase, nextEvent, startTestStack, type StackOptions, type TestStack } from './harness.ts';

describe.each(BACKENDS)('the watchlist on %s', (backend) => {
  let stack: TestStack;
  let ops: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;
  // Persistent storage either way, so the restart test can open it again.
  let where: StackOptions;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (backend === 'pglite') {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'valgvakt-watchlist-'));
      where = { dataDir };
      cleanup = () => rm(dataDir, { recursive: true, force: true });
    } else {
      const server = await createServerDatabase();
      where = { databaseUrl: server.url };
      cleanup = server.drop;
    }
    stack = await startTestStack(backend, where);
    const operator = await createOperator(stack.database.db, 'vakt-watch', 'correct horse battery staple');
    const token = (await createOperatorSession(stack.database.db, operator.id, new Date())).token;
    ops = async (method, path, body) => {
      const response = await fetch(`${stack.baseUrl}${path}`, {
        method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    };
  });
  afterAll(async () => {
    await stack?.close();
    await cleanup?.();
  });

  it('refuses anonymous changes and names the field and reason of a bad one', async () => {
    for (const method of ['PUT', 'DELETE']) {
      const anonymous = await fetch(`${stack.baseUrl}/api/v1/ops/watchlist/4601`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'x' }) });
      expect([method, anonymous.status]).toEqual([method, 401]);
    }
    const malformed = await ops('PUT', '/api/v1/ops/watchlist/46', { reason: 'x' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.issues).toEqual([{ field: 'number', reason: 'must be a 4-digit municipality number' }]);
    for (const body of [{}, { reason: '   ' }, undefined]) {
      const missing = await ops('PUT', '/api/v1/ops/watchlist/4601', body);
      expect(missing.status).toBe(422);
      expect(missing.body.issues.map((i: { field: string }) => i.field)).toEqual(['reason']);
    }
    const tooLong = await ops('DELETE', '/api/v1/ops/watchlist/0301', { reason: 'x'.repeat(281) });
    expect(tooLong.status).toBe(422);
    // PostgreSQL cannot store a NUL character in text: refused as a field, not a 500.
    const nul = await ops('PUT', '/api/v1/ops/watchlist/3201', { reason: 'a\u0000b' });
    expect(nul.status).toBe(422);
    expect(nul.body.issues.map((i: { field: string }) => i.field)).toEqual(['reason']);
    // The same for a public note (the oversight route, which answered 500 before).
    const note = await ops('PUT', '/api/v1/ops/municipalities/3201/oversight', { publicNote: 'a\u0000b' });
    expect(note.status).toBe(422);
    expect(note.body.issues).toEqual([{ field: 'publicNote', reason: 'must not contain NUL characters' }]);
    const extra = await ops('PUT', '/api/v1/ops/watchlist/4601', { reason: 'ok', watch: true });
    expect(extra.status).toBe(422);
    const unknown = await ops('PUT', '/api/v1/ops/watchlist/9999', { reason: 'finnes ikke' });
    expect(unknown.status).toBe(404);
    const held = (await stack.getJson('/api/v1/snapshot')).body as Snapshot;
    expect(held.municipalities.find((m) => m.number === '4601')?.watch).toBe(true);
    expect(held.municipalities.find((m) => m.number === '0301')?.watch).toBe(true);
  });

  it('adds and removes with a reason: stored, in the revision log, and live to viewers of both forms and of the room', async () => {
    const number = '3201'; // Bærum: not on 2023's list
    const before = (await stack.getJson('/api/v1/snapshot')).body as Snapshot;
    expect(before.municipalities.find((m) => m.number === number)?.watch).toBe(false);
    const compact = await stack.viewer({ overview: 'compact' });
    const full = await stack.viewer();
    const room = await stack.viewer();
    await room.timeout(5000).emitWithAck('municipality:join', { number });

    const patched = nextEvent(compact, 'overview:patch', (p) => p.municipalities.some((m) => m.number === number));
    const updated = nextEvent(full, 'overview:updated', (d) => d.municipalities.some((m) => m.number === number));
    const detail = nextEvent(room, 'municipality:updated');
    const added = await ops('PUT', `/api/v1/ops/watchlist/${number}`, { reason: 'Ny valgleverandør i år' });
    expect(added).toEqual({ status: 200, body: { municipality: number, name: 'Bærum', watch: true, reason: 'Ny valgleverandør i år', changed: true } });
    const patch = await patched;
    expect(patch.municipalities.find((m) => m.number === number)?.watch).toBe(true);
    // A page holding the snapshot and applying the patch shows it on the watchlist.
    expect(applyOverviewPatch(before, patch).municipalities.find((m) => m.number === number)?.watch).toBe(true);
    expect((await updated).municipalities.find((m) => m.number === number)?.watch).toBe(true);
    expect((await detail).municipality.watch).toBe(true);

    // Stored in the one flag, with the reason; a retry changes nothing and logs nothing.
    const row = await stack.database.db.municipality.findFirstOrThrow({ where: { number }, select: { watch: true, watchReason: true } });
    expect(row).toEqual({ watch: true, watchReason: 'Ny valgleverandør i år' });
    const again = await ops('PUT', `/api/v1/ops/watchlist/${number}`, { reason: 'Ny valgleverandør i år' });
    expect(again.body.changed).toBe(false);
    const board = (await ops('GET', '/api/v1/ops/board')).body;
    expect(board.watchlist.find((w: { number: string }) => w.number === number)).toEqual({ number, name: 'Bærum', countyName: 'Akershus', reason: 'Ny valgleverandør i år' });

    const removedPatch = nextEvent(compact, 'overview:patch', (p) => p.municipalities.some((m) => m.number === number && !m.watch));
    const removed = await ops('DELETE', `/api/v1/ops/watchlist/${number}`, { reason: 'Leverandøren har levert i tide' });
    expect(removed.body).toMatchObject({ watch: false, reason: null, changed: true });
    await removedPatch;
    expect(((await stack.getJson('/api/v1/snapshot')).body as Snapshot).municipalities.find((m) => m.number === number)?.watch).toBe(false);

    const log = (await stack.getJson(`/api/v1/changes?municipality=${number}`)).body;
    const entries = log.revisions.filter((r: { kind: string }) => r.kind === 'watchlist.changed');
    expect(entries.map((r: { description: string; actor: string }) => [r.actor, r.description])).toEqual([
      ['valgmyndighetene', 'valgmyndighetene: lagt til blant kommunene som følges spesielt (Ny valgleverandør i år)'],
      ['valgmyndighetene', 'valgmyndighetene: fjernet fra kommunene som følges spesielt (Leverandøren har levert i tide)'],
    ]);
    expect(entries[1].before).toEqual({ watch: true, reason: 'Ny valgleverandør i år' });
    for (const socket of [compact, full, room]) socket.disconnect();
  });

  it('keeps the watchlist as changed when the sidecar restarts (the flag and the log agree)', async () => {
    expect((await ops('DELETE', '/api/v1/ops/watchlist/0301', { reason: 'Test av omstart' })).body.changed).toBe(true);
    await stack.close();
    stack = await startTestStack(backend, where);
    const served = (await stack.getJson('/api/v1/snapshot')).body as Snapshot;
    expect(served.municipalities.find((m) => m.number === '0301')?.watch).toBe(false);
    expect(served.municipalities.find((m) => m.number === '4601')?.watch).toBe(true);
    expect(served.municipalities.find((m) => m.number === '3201')?.watch).toBe(false);
    expect(served.municipalities.filter((m) => m.watch)).toHaveLength(26);
  });
});
