// FAULT TESTS (slow, each under a minute): faults survived on the production path — sidecar processes
// on the PostgreSQL server, with the Redis adapter where it matters — under ingest load from counting
// systems that resend on a 5xx or a lost connection, as docs/api.md tells them to.
//   1. kill -9 of a sidecar under load: no acknowledged report is lost, none is stored twice.
//   2. the database restarted under load (a private server from initdb, so no other test notices): the
//      sidecar reconnects by itself; every report is acknowledged and stored, or refused with a 5xx and
//      resent; none is half-written.
//   3. Redis (a private server on a free port) unavailable for 30 s with the Redis adapter: viewers on
//      another node resync and converge when it returns.
// The figures go to the log (and docs/deployment.md's guarantees).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createIngestCredential } from '../../db/credentials.ts';
import { openDatabase } from '../../db/database.ts';
import { seedReferenceData } from '../../db/reference-data.ts';
import type { ResultReport } from '../../lib/contracts/ingest.ts';
import { createSeededServerDatabase, makeResultReport, referenceData, TEST_ELECTION_ID } from './harness.ts';
import { OverviewMirror, killAllSpawned, startNode, startPrivatePostgres, startPrivateRedis, type NodeProcess } from './processes.ts';

interface Planned { key: string; token: string; report: ResultReport }

/** One report for each election-day district of the largest municipalities, with a token each. */
async function planReports(databaseUrl: string, count: number): Promise<Planned[]> {
  const database = await openDatabase({ databaseUrl });
  try {
    const db = database.db;
    const municipalities = await db.municipality.findMany({
      where: { electionId: TEST_ELECTION_ID }, orderBy: { electorate: 'desc' }, take: 60,
      select: { id: true, number: true, districts: { where: { kind: 'election_day' }, select: { number: true } }, partyLists: { select: { code: true }, take: 2 } },
    });
    const planned: Planned[] = [];
    for (const m of municipalities) {
      const { token } = await createIngestCredential(db, TEST_ELECTION_ID, m.number, 'fault-test');
      const [a, b] = m.partyLists.map((p) => p.code) as [string, string];
      for (const d of m.districts) {
        if (planned.length >= count) break;
        planned.push({
          key: `${m.number}/${d.number}`,
          token,
          report: makeResultReport({ municipality: m.number, district: d.number, ballots: { counted: 100, rejected: 1, blank: 5 }, votes: { [a]: 60, [b]: 30 } }),
        });
      }
    }
    expect(planned).toHaveLength(count);
    return planned;
  } finally {
    await database.close();
  }
}

interface LoadFigures {
  acknowledged: Map<string, number>;
  /** Answers a counting system resends: 5xx, or no answer (connection refused or reset). */
  serverErrors: number;
  connectionErrors: number;
  refused: Array<{ key: string; status: number; body: string }>;
}

/**
 * Sends every planned report, `concurrency` at a time, to the targets in turn; on a 5xx or a lost
 * connection it resends (to the next target) until it gets an answer. `during` runs alongside.
 */
async function drive(planned: Planned[], targets: () => string[], concurrency: number): Promise<LoadFigures> {
  const figures: LoadFigures = { acknowledged: new Map(), serverErrors: 0, connectionErrors: 0, refused: [] };
  let next = 0;
  let turn = 0;
  const deadline = Date.now() + 50_000;
  async function worker(): Promise<void> {
    for (let i = next++; i < planned.length; i = next++) {
      const { key, token, report } = planned[i]!;
      for (;;) {
        if (Date.now() > deadline) throw new Error(`report ${key} still unanswered after 50 s`);
        const live = targets();
        const target = live[turn++ % live.length]!;
        try {
          const response = await fetch(`${target}/api/v1/results`, {
            method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(report),
            signal: AbortSignal.timeout(10_000),
          });
          const text = await response.text();
          if (response.status === 200 || response.status === 201) {
            figures.acknowledged.set(key, (JSON.parse(text) as { seq: number }).seq);
            break;
          }
          if (response.status >= 500) figures.serverErrors++;
          else {
            figures.refused.push({ key, status: response.status, body: text });
            break;
          }
        } catch {
          figures.connectionErrors++;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return figures;
}

/** What is stored: every acknowledged report at its seq, once, whole (its change, votes and current pointer). */
async function checkStored(databaseUrl: string, planned: Planned[], figures: LoadFigures) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const rows = (await client.query<{ seq: string; key: string; votes: string; current: boolean; change: boolean }>(`
      SELECT r.seq::text, m.number || '/' || d.number AS key,
        (SELECT count(*) FROM report_vote v WHERE v.report_id = r.id)::text AS votes,
        EXISTS (SELECT 1 FROM current_result c WHERE c.report_id = r.id) AS current,
        EXISTS (SELECT 1 FROM change_log l WHERE l.seq = r.seq AND l.kind = 'result.accepted') AS change
      FROM result_report r JOIN district d ON d.id = r.district_id JOIN municipality m ON m.id = d.municipality_id`)).rows;
    const stored = new Map(rows.map((row) => [row.key, row]));
    const lost = [...figures.acknowledged].filter(([key, seq]) => stored.get(key)?.seq !== String(seq));
    return {
      lost: lost.length,
      storedRows: rows.length,
      distinctStored: stored.size,
      halfWritten: rows.filter((row) => row.votes !== '2' || !row.current || !row.change).length,
      planned: planned.length,
    };
  } finally {
    await client.end();
  }
}

interface Health { status: number; seq: number; leader?: boolean }
const health = async (node: NodeProcess): Promise<Health> =>
  fetch(`${node.url}/healthz`).then(async (r) => ({ ...(await r.json()) as { leader?: boolean; seq: number }, status: r.status }), () => ({ status: 0, seq: -1 }));

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

afterAll(async () => {
  await killAllSpawned();
});

describe('fault: kill -9 of a sidecar under ingest load (PostgreSQL server)', () => {
  it('loses no acknowledged report and stores none twice', async () => {
    const server = await createSeededServerDatabase();
    try {
      const planned = await planReports(server.url, 600);
      const env = { DATABASE_URL: server.url, SIDECAR_PORT: '0', SIDECAR_HOST: '127.0.0.1', SEED_ON_START: 'false', STATE_MONITOR: 'false', LOG_LEVEL: 'info' };
      const [victim, survivor] = await Promise.all([startNode('victim', env), startNode('survivor', env)]);
      let targets = [victim.url, survivor.url];
      const load = drive(planned, () => targets, 12);
      // Mid-load: SIGKILL, and the load balancer stops sending to it once its connections fail.
      await until('a third acknowledged', async () => (await health(survivor)).seq >= 200, 30_000);
      await victim.kill();
      targets = [survivor.url];
      const figures = await load;
      const stored = await checkStored(server.url, planned, figures);
      console.info(`fault kill -9: ${planned.length} reports, ${figures.acknowledged.size} acknowledged, ${figures.connectionErrors} lost connections and ${figures.serverErrors} 5xx resent, ${stored.lost} acknowledged lost, ${stored.storedRows} stored`);
      expect(figures.refused).toEqual([]);
      expect(figures.acknowledged.size).toBe(planned.length);
      expect(stored).toEqual({ lost: 0, storedRows: planned.length, distinctStored: planned.length, halfWritten: 0, planned: planned.length });
      await survivor.kill();
    } finally {
      await server.drop();
    }
  }, 90_000);
});

describe('fault: the database restarted under ingest load (private PostgreSQL from initdb)', () => {
  it('reconnects by itself; every report acknowledged and stored, or refused with a 5xx and resent; none half-written', async () => {
    const postgres = await startPrivatePostgres();
    try {
      const admin = new pg.Client({ connectionString: postgres.url() });
      await admin.connect();
      await admin.query('CREATE DATABASE valgvakt');
      await admin.end();
      const url = postgres.url('valgvakt');
      const database = await openDatabase({ databaseUrl: url });
      await seedReferenceData(database.db, await referenceData());
      await database.close();
      const planned = await planReports(url, 500);
      const node = await startNode('restarted-db', { DATABASE_URL: url, SIDECAR_PORT: '0', SIDECAR_HOST: '127.0.0.1', SEED_ON_START: 'false', STATE_MONITOR: 'false', LOG_LEVEL: 'info' });
      const load = drive(planned, () => [node.url], 8);
      await until('some acknowledged', async () => (await health(node)).seq >= 100, 30_000);
      const stoppedAt = Date.now();
      await postgres.stop();
      await new Promise((resolve) => setTimeout(resolve, 3000));
      await postgres.start();
      const figures = await load;
      const recoveredMs = Date.now() - stoppedAt;
      const stored = await checkStored(url, planned, figures);
      // The node is whole again without help: healthy, leading, its read model level with the log.
      const latest = Math.max(...figures.acknowledged.values());
      let last: Health | undefined;
      const healthy = await until('healthy and level', async () => {
        const h = (last = await health(node));
        return h.status === 200 && h.leader === true && h.seq >= latest ? h : undefined;
      }, 15_000).catch((error: Error) => {
        throw new Error(`${error.message}: ${JSON.stringify(last)}, latest ${latest}\n${node.output().slice(-4000)}`);
      });
      console.info(`fault database restart: ${planned.length} reports, database down 3 s, ${figures.serverErrors} 5xx and ${figures.connectionErrors} lost connections resent, all acknowledged ${recoveredMs} ms after the stop, ${stored.lost} acknowledged lost, ${stored.halfWritten} half-written, node level at seq ${healthy.seq}`);
      expect(figures.refused).toEqual([]);
      expect(figures.serverErrors + figures.connectionErrors).toBeGreaterThan(0);
      expect(figures.acknowledged.size).toBe(planned.length);
      expect(stored).toEqual({ lost: 0, storedRows: planned.length, distinctStored: planned.length, halfWritten: 0, planned: planned.length });
      expect(node.child.exitCode).toBeNull();
      await node.kill();
    } finally {
      await postgres.destroy();
    }
  }, 120_000);
});

describe('fault: Redis unavailable for 30 s with the Redis adapter (private Redis)', () => {
  it('keeps taking reports, and viewers on another node converge when Redis returns', async () => {
    const redis = await startPrivateRedis();
    const server = await createSeededServerDatabase();
    const mirrors: OverviewMirror[] = [];
    try {
      const planned = await planReports(server.url, 40);
      const env = {
        DATABASE_URL: server.url, REDIS_URL: redis.url, REDIS_STREAM: `valgvakt-fault-${randomBytes(4).toString('hex')}`,
        SIDECAR_PORT: '0', SIDECAR_HOST: '127.0.0.1', SEED_ON_START: 'false', STATE_MONITOR: 'false', LOG_LEVEL: 'info',
      };
      const first = await startNode('first', env);
      await until('a leader', async () => (await health(first)).leader, 15_000);
      const second = await startNode('second', env);
      // Viewers on the node that does not lead: every delta they get crosses Redis.
      const mirror = new OverviewMirror(second.url);
      mirrors.push(mirror);
      await until('the viewer synced', async () => mirror.seq >= 0, 10_000);
      const send = async (items: Planned[]) => {
        const figures = await drive(items, () => [first.url], 4);
        expect(figures.refused).toEqual([]);
        return figures;
      };
      await send(planned.slice(0, 5));
      await until('a delta through Redis', async () => mirror.seq >= (await health(first)).seq, 10_000);

      await redis.stop();
      const outage = Date.now();
      let during = 0;
      for (let i = 5; Date.now() - outage < 30_000; i++) {
        if (i < 35) during += (await send(planned.slice(i, i + 1))).acknowledged.size;
        await new Promise((resolve) => setTimeout(resolve, 900));
      }
      const healthDuring = await Promise.all([health(first), health(second)]);
      await redis.start();
      const back = Date.now();
      await send(planned.slice(35));
      const latest = (await health(first)).seq;
      await until('the viewer converged', async () => mirror.seq >= latest, 20_000);
      const snapshot = (await (await fetch(`${second.url}/api/v1/snapshot`)).json()) as { seq: number; municipalities: Array<{ number: string }> };
      const convergedMs = Date.now() - back;
      console.info(`fault redis down 30 s: ${during} reports acknowledged during the outage, viewer on the other node converged ${convergedMs} ms after Redis returned (${mirror.gaps} gaps resynced), seq ${latest}`);
      expect(during).toBe(30);
      expect(healthDuring.map((h) => h.status)).toEqual([200, 200]);
      expect(mirror.seq).toBeGreaterThanOrEqual(latest);
      expect([...mirror.municipalities.values()]).toEqual(snapshot.municipalities);
      await Promise.all([first.kill(), second.kill()]);
    } finally {
      mirrors.forEach((m) => m.socket.disconnect());
      await server.drop();
      await redis.destroy();
    }
  }, 120_000);
});
