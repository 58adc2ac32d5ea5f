// The ingest batch's transaction, against real PGlite and the real PostgreSQL server: four round trips
// whatever the batch's size, with the same four statements every time; a batch that fails before its
// commit writes nothing and its retry is accepted once, and one whose commit answer is lost is recognised
// on retry, and one whose connection is cut between round trips fails alone; the change log takes
// concurrent batches whole and in the order they took the lock; and a 201
// survives a crash the moment it was sent: of the sidecar with its embedded database (SIGKILL), or of the
// sidecar and the PostgreSQL server together (SIGKILL and an immediate stop, which loses any commit that
// was acknowledged before its WAL was written, e.g. with synchronous_commit=off).
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '../../db/client.ts';
import { createIngestCredential } from '../../db/credentials.ts';
import { openDatabase } from '../../db/database.ts';
import { APPEND, BEGIN_AND_LOCK, READ_STATE, loadReferenceIds, recordIngestBatch, type ConnectionSource } from '../../db/ingest.ts';
import type { IngestItem, IngestOutcome, ReferenceIds } from '../../lib/intake/decide.ts';
import type { ResultReport, StatusReport } from '../../lib/contracts/ingest.ts';
import { canonicalizeReport } from '../../lib/domain/report-rules.ts';
import { BACKENDS, makeResultReport, makeStatusReport, nightAt, referenceData, startTestStack, TEST_ELECTION_ID, type Backend, type TestStack } from './harness.ts';
import { killAllSpawned, startNode, startPrivatePostgres, type PrivatePostgres } from './processes.ts';

const RECEIVED_AT = nightAt('21:50');
const hash = (report: ResultReport | StatusReport) => createHash('sha256').update(canonicalizeReport(report)).digest('hex');
/** One report per item (the batch request's group item aside). */
type SingleItem = Exclude<IngestItem, { kind: 'results' }>;
const result = (report: ResultReport): SingleItem => ({ kind: 'result', input: { report, payloadHash: hash(report), receivedAt: RECEIVED_AT, credentialId: null, actor: 'test' } });
const status = (report: StatusReport): SingleItem => ({ kind: 'status', input: { report, payloadHash: hash(report), receivedAt: RECEIVED_AT, credentialId: null, actor: 'test' } });

/** Fresh reports, each on a district no earlier call used: a result per district, a status report every fourth. */
async function reportSource() {
  const data = await referenceData();
  const lists = new Map<string, string[]>();
  for (const list of data.partyLists) lists.set(list.municipality, [...(lists.get(list.municipality) ?? []), list.code]);
  const districts = data.districts.filter((d) => d.kind === 'election_day' && (lists.get(d.municipality)?.length ?? 0) >= 2);
  let next = 0;
  return (count: number): SingleItem[] => {
    const items: SingleItem[] = [];
    while (items.length < count) {
      const d = districts[next++];
      if (!d) throw new Error('out of districts');
      const [a, b] = lists.get(d.municipality)! as [string, string];
      items.push(result(makeResultReport({ municipality: d.municipality, district: d.number, ballots: { counted: 20, rejected: 0, blank: 1 }, votes: { [a]: 12, [b]: 7 } })));
      if (items.length < count && next % 4 === 0) items.push(status(makeStatusReport({ municipality: d.municipality, districts: [d.number] })));
    }
    return items;
  };
}

/** A client's `query` as the batch calls it: (text) or (text, values). */
type Query = (text: string, values?: unknown[]) => Promise<pg.QueryResult>;

/**
 * The pool, each connection's `query` replaced by what `wrap` makes of it (given the client before the
 * replacement and its own `query`); releasing the connection puts its own methods back.
 */
function wrapQueries(pool: pg.Pool, wrap: (client: pg.PoolClient, query: Query) => Query | Promise<Query>): ConnectionSource {
  return {
    async connect() {
      const client = await pool.connect();
      const { query, release } = client;
      // pg's `query` has a dozen overloads; the batch only calls (text) and (text, values).
      const own: Query = (text, values) => (query as Query).call(client, text, values);
      // The wrapper takes the same (text, values) the batch calls, so it stands in for those overloads.
      client.query = (await wrap(client, own)) as typeof client.query;
      client.release = (error) => {
        client.query = query;
        client.release = release;
        release.call(client, error);
      };
      return client;
    },
  };
}

type Failure = { on: string; when: 'before' | 'after' };

/**
 * The pool, recording the text of every message each batch sends (one `query` is one round trip), and
 * optionally failing one: before it is sent, or after it was answered (an answer lost on the way back).
 */
function recordingPool(pool: pg.Pool) {
  const batches: string[][] = [];
  let failure: Failure | undefined;
  const source = wrapQueries(pool, (_client, query) => {
    const sent: string[] = [];
    batches.push(sent);
    return async (text, values) => {
      sent.push(text);
      const failing = failure?.on === text ? failure : undefined;
      if (failing?.when === 'before') throw new Error(`injected: ${text} not sent`);
      const answer = await query(text, values);
      if (failing?.when === 'after') throw new Error(`injected: the answer to ${text} was lost`);
      return answer;
    };
  });
  return {
    source,
    last: () => batches.at(-1),
    fail(next: Failure | undefined) {
      failure = next;
    },
  };
}

const seqOf = (outcome: IngestOutcome) => ('seq' in outcome ? outcome.seq : NaN);

describe.each(BACKENDS)('ingest transaction on %s', (backend) => {
  let stack: TestStack;
  let references: ReferenceIds;
  let fresh: (count: number) => SingleItem[];

  beforeAll(async () => {
    stack = await startTestStack(backend);
    references = await loadReferenceIds(stack.database.db, TEST_ELECTION_ID);
    fresh = await reportSource();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const record = (source: ConnectionSource, items: readonly IngestItem[]) => recordIngestBatch(source, TEST_ELECTION_ID, references, () => items);
  const storedSeqs = async (seqs: number[]) =>
    (await stack.database.db.changeLog.findMany({ where: { seq: { in: seqs.map(BigInt) } }, orderBy: { seq: 'asc' }, select: { seq: true } })).map((row) => Number(row.seq));

  it('writes a batch in four round trips, the same four statements whatever its size', async () => {
    const recorder = recordingPool(getPool(stack.database.db));
    const FOUR = [BEGIN_AND_LOCK, READ_STATE, APPEND, 'COMMIT'];
    let biggest: IngestItem[] = [];
    for (const size of [1, 9, 80]) {
      const items = fresh(size);
      const outcomes = await record(recorder.source, items);
      expect(outcomes.map((o) => o.kind), `batch of ${size}`).toEqual(items.map(() => 'created'));
      expect(recorder.last(), `batch of ${size}`).toEqual(FOUR);
      biggest = items;
    }
    expect(biggest.filter((item) => item.kind === 'status').length).toBeGreaterThan(10);

    // A batch that accepts nothing appends nothing: three; one that takes nothing: two.
    const again = await record(recorder.source, biggest);
    expect(again.map((o) => o.kind)).toEqual(biggest.map(() => 'duplicate'));
    expect(recorder.last()).toEqual([BEGIN_AND_LOCK, READ_STATE, 'COMMIT']);
    expect(await record(recorder.source, [])).toEqual([]);
    expect(recorder.last()).toEqual([BEGIN_AND_LOCK, 'COMMIT']);
  });

  it('writes nothing when a batch fails before its commit, and accepts its retry once', async () => {
    const recorder = recordingPool(getPool(stack.database.db));
    const items = fresh(6);
    const before = await stack.database.db.changeLog.count();
    for (const on of [READ_STATE, APPEND, 'COMMIT']) {
      recorder.fail({ on, when: 'before' });
      await expect(record(recorder.source, items)).rejects.toThrow(/injected/);
      expect(recorder.last()?.at(-1), `failing ${on}`).toBe('ROLLBACK');
      expect(await stack.database.db.changeLog.count(), `failing ${on}`).toBe(before);
    }
    recorder.fail(undefined);
    const outcomes = await record(recorder.source, items);
    expect(outcomes.map((o) => o.kind)).toEqual(items.map(() => 'created'));
    const seqs = outcomes.map(seqOf);
    expect(await storedSeqs(seqs)).toEqual(seqs);
    // Retried again (a counting system that did not get the answer): the same seqs, nothing new.
    expect(await record(recorder.source, items)).toEqual(seqs.map((seq) => ({ kind: 'duplicate', seq })));
    expect(await stack.database.db.changeLog.count()).toBe(before + items.length);
  });

  it('recognises on retry a batch whose commit succeeded but whose answer was lost', async () => {
    const recorder = recordingPool(getPool(stack.database.db));
    const items = fresh(5);
    const before = await stack.database.db.changeLog.count();
    recorder.fail({ on: 'COMMIT', when: 'after' });
    await expect(record(recorder.source, items)).rejects.toThrow(/answer to COMMIT was lost/);
    recorder.fail(undefined);
    expect(await stack.database.db.changeLog.count()).toBe(before + items.length);
    // The writer retries such a batch report by report (server/intake/writer.ts): each is a resend.
    const retried = [];
    for (const item of items) retried.push(...(await record(recorder.source, [item])));
    expect(retried.map((o) => o.kind)).toEqual(items.map(() => 'duplicate'));
    const seqs = retried.map(seqOf);
    expect(seqs.slice(1).map((seq, i) => seq - seqs[i]!)).toEqual(seqs.slice(1).map(() => 1));
    expect(await stack.database.db.changeLog.count()).toBe(before + items.length);
  });

  it('appends concurrent batches whole, in the order they took the lock, each in its own order', async () => {
    const pool = getPool(stack.database.db);
    const batches = Array.from({ length: 6 }, () => fresh(7));
    const tookLock: number[] = [];
    const outcomes = await Promise.all(batches.map((items, b) => recordIngestBatch(pool, TEST_ELECTION_ID, references, () => {
      tookLock.push(b);
      return items;
    })));
    const firstSeqs = outcomes.map((batch) => seqOf(batch[0]!));
    for (const batch of outcomes) {
      const seqs = batch.map(seqOf);
      expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    }
    // Seq order is lock order: the batch that took the lock first has the lowest seqs.
    expect([...firstSeqs.keys()].sort((a, b) => firstSeqs[a]! - firstSeqs[b]!)).toEqual(tookLock);
    // Each change is its report, in the batch's order.
    const all = outcomes.flat().map(seqOf);
    const log = await stack.database.db.changeLog.findMany({ where: { seq: { in: all.map(BigInt) } }, orderBy: { seq: 'asc' }, select: { seq: true, kind: true, payload: true } });
    const byLock = tookLock.flatMap((b) => batches[b]!);
    expect(log.map((row) => `${row.kind} ${(row.payload as { municipality: string }).municipality}`)).toEqual(
      byLock.map((item) => `${item.kind === 'result' ? 'result.accepted' : 'status.reported'} ${item.input.report.municipality}`),
    );
    expect(log.map((row) => Number(row.seq))).toEqual([...all].sort((a, b) => a - b));
  });
});

// PGlite has one session, which cannot be ended from outside; on a server one connection can be.
describe('ingest transaction on postgres, its connection cut', () => {
  let stack: TestStack;
  let references: ReferenceIds;
  let fresh: (count: number) => SingleItem[];

  beforeAll(async () => {
    stack = await startTestStack('postgres');
    references = await loadReferenceIds(stack.database.db, stack.electionId);
    fresh = await reportSource();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('fails the batch, and only the batch, when its connection is cut between round trips', async () => {
    const pool = getPool(stack.database.db);
    const items = fresh(3);
    const before = await stack.database.db.changeLog.count();
    const source = wrapQueries(pool, async (client, query) => {
      const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
      // Before the read: the server ends the session while the batch holds the lock and runs no query
      // (as a shutdown does), so the connection's 'error' arrives with nothing listening but the
      // batch. Unhandled, it would end this process.
      return async (text, values) => {
        if (text === READ_STATE) {
          const ended = new Promise((resolve) => client.once('end', resolve));
          await stack.database.db.$queryRaw`SELECT pg_terminate_backend(${pid}::int)`;
          await ended;
        }
        return query(text, values);
      };
    });
    const cut = recordIngestBatch(source, stack.electionId, references, () => items);
    await expect(cut).rejects.toThrow();
    expect(await stack.database.db.changeLog.count()).toBe(before);
    // The pool has dropped the broken connection; the next batch writes the same reports.
    const outcomes = await recordIngestBatch(pool, stack.electionId, references, () => items);
    expect(outcomes.map((o) => o.kind)).toEqual(items.map(() => 'created'));
  });
});

describe('a 201 survives a crash', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    await killAllSpawned();
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it.each<Backend>(['pglite', 'postgres'])('on %s: every acknowledged report is stored with its seq after a crash and a restart', async (backend) => {
    let env: Record<string, string>;
    let openForTokens: () => ReturnType<typeof openDatabase>;
    let postgres: PrivatePostgres | undefined;
    if (backend === 'pglite') {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'valgvakt-ingest-kill-'));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      env = { DATA_DIR: dataDir };
      openForTokens = () => openDatabase({ dataDir: path.join(dataDir, 'pglite'), joinRunning: true });
    } else {
      // A server of the test's own, so crashing it disturbs no other test. Its WAL writer and background
      // writer stay idle, so WAL that a commit did not flush itself is still in memory when it crashes.
      const server = (postgres = await startPrivatePostgres({ wal_writer_delay: '10s', wal_writer_flush_after: '100MB', bgwriter_lru_maxpages: '0' }));
      cleanups.push(() => server.destroy());
      env = { DATABASE_URL: server.url() };
      openForTokens = () => openDatabase({ databaseUrl: server.url() });
    }
    Object.assign(env, { SIDECAR_PORT: '0', SIDECAR_HOST: '127.0.0.1', STATE_MONITOR: 'false', LOG_LEVEL: 'info' });
    const first = await startNode(`kill-${backend}`, env);

    const items = (await reportSource())(40).filter((item): item is Extract<IngestItem, { kind: 'result' }> => item.kind === 'result');
    const tokens = new Map<string, string>();
    const database = await openForTokens();
    try {
      for (const item of items) {
        const number = item.input.report.municipality;
        if (!tokens.has(number)) tokens.set(number, (await createIngestCredential(database.db, TEST_ELECTION_ID, number, 'kill-test')).token);
      }
    } finally {
      await database.close();
    }
    const post = (url: string, report: ResultReport) => fetch(`${url}/api/v1/results`, {
      method: 'POST', headers: { authorization: `Bearer ${tokens.get(report.municipality)}`, 'content-type': 'application/json' }, body: JSON.stringify(report),
    }).then(async (response) => ({ status: response.status, body: (await response.json()) as { seq: number; status: string } }));

    // Crashed the instant the last answer arrives: nothing after the 201 gets a chance to run.
    const answers = await Promise.all(items.map((item) => post(first.url, item.input.report)));
    await Promise.all([first.kill(), postgres?.crash()]);
    expect(answers.map((a) => a.status)).toEqual(items.map(() => 201));
    await postgres?.start();

    const second = await startNode(`kill-${backend}-restarted`, env);
    const resent = await Promise.all(items.map((item) => post(second.url, item.input.report)));
    expect(resent).toEqual(answers.map((a) => ({ status: 200, body: { seq: a.body.seq, status: 'duplicate' } })));
    await second.kill();
  }, 120_000);
});
