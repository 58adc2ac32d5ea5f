// What survives a restart: everything acknowledged. The read model is rebuilt from the change log, and
// the database itself refuses to break the invariants the code relies on.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createServerDatabase, makeResultReport, makeStatusReport, startTestStack, type Backend, type TestStack } from './harness.ts';

describe('restart', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function storage(backend: Backend): Promise<{ dataDir?: string; databaseUrl?: string }> {
    if (backend === 'pglite') {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'valgvakt-durability-'));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      return { dataDir };
    }
    const server = await createServerDatabase();
    cleanups.push(server.drop);
    return { databaseUrl: server.url };
  }

  it.each<Backend>(['pglite', 'postgres'])('keeps every acknowledged report and status across a restart on %s', async (backend) => {
    const where = await storage(backend);
    const first = await startTestStack(backend, where);
    const token = await first.token('0301');
    const a = await first.postResult(token, makeResultReport({ municipality: '0301', district: '0101' }));
    const b = await first.postResult(token, makeResultReport({ municipality: '0301', district: '0101', version: 2, ballots: { counted: 990, rejected: 4, blank: 12 } }));
    const c = await first.postStatus(token, makeStatusReport({ municipality: '0301', districts: ['0101', '0102'] }));
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    await first.sidecar.feed.waitFor(c.body.seq);
    const before = (await first.getJson('/api/v1/municipalities/0301')).body;
    await first.close();

    const second: TestStack = await startTestStack(backend, where);
    try {
      const after = (await second.getJson('/api/v1/municipalities/0301')).body;
      expect(after.seq).toBe(c.body.seq);
      expect({ ...after, generatedAt: null }).toEqual({ ...before, generatedAt: null });
      // The same token still works and a resend is still recognised after the restart.
      const resend = await second.postResult(token, makeResultReport({ municipality: '0301', district: '0101', version: 2, ballots: { counted: 990, rejected: 4, blank: 12 } }));
      expect(resend.body).toEqual({ seq: b.body.seq, status: 'duplicate' });
    } finally {
      await second.close();
    }
  });
});

describe('database guarantees', () => {
  it('refuses a second current version for a unit, a report pointing at another unit, and rewriting history', async () => {
    const stack = await startTestStack('postgres');
    try {
      const token = await stack.token('0301');
      await stack.postResult(token, makeResultReport({ municipality: '0301', district: '0101' }));
      await stack.postResult(token, makeResultReport({ municipality: '0301', district: '0102' }));
      const db = stack.database.db;
      const [r1, r2] = await db.resultReport.findMany({ orderBy: { id: 'asc' } });
      // Same version of the same unit twice: the unique key refuses it.
      await expect(db.$executeRaw`INSERT INTO result_report (district_id, category, stage, version, counted_at, received_at, ballots_counted, ballots_rejected, ballots_blank, payload_hash, seq)
        SELECT district_id, category, stage, version, counted_at, received_at, 1, 0, 0, 'x', seq FROM result_report WHERE id = ${r1!.id}`).rejects.toThrow();
      // "Current" may only point at a report of its own district × category × stage.
      await expect(db.$executeRaw`UPDATE current_result SET report_id = ${r2!.id} WHERE report_id = ${r1!.id}`).rejects.toThrow();
      await expect(db.$executeRaw`UPDATE change_log SET actor = 'someone else'`).rejects.toThrow(/append-only/);
      await expect(db.$executeRaw`DELETE FROM change_log`).rejects.toThrow(/append-only/);
      await expect(db.$executeRaw`UPDATE result_report SET ballots_blank = ballots_counted + 1 WHERE id = ${r1!.id}`).rejects.toThrow();
    } finally {
      await stack.close();
    }
  });
});
