// Several sidecars on one PostgreSQL server and one Redis (docs/deployment.md): commit notices, leader
// election, one delta chain per room sent by the leader through the shared adapter, a new leader resending
// what its predecessor may not have sent — and real sidecar processes behind a small load balancer that
// are killed with SIGKILL. Every Redis key this file makes starts with a random stream name.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { createClient } from 'redis';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLatestSeq } from '../../db/changes.ts';
import { createIngestCredential } from '../../db/credentials.ts';
import { openDatabase, type Database } from '../../db/database.ts';
import {
  LIVE_NAMESPACE, type LiveClientToServerEvents, type LiveServerToClientEvents, type MunicipalitySummary,
  type OverviewDelta, type Snapshot,
} from '../../lib/contracts/live.ts';
import { classifyDelta } from '../../lib/domain/delta.ts';
import { createFixedClock } from '../../server/clock.ts';
import { createCommitListener } from '../../server/cluster/commit-notices.ts';
import { LEADER_LOCK_CLASS, createAdvisoryLockLeadership, type Leadership } from '../../server/cluster/leadership.ts';
import { createSharedAdapter, type RedisClient } from '../../server/cluster/shared-adapter.ts';
import { createSidecar, type Sidecar } from '../../server/sidecar.ts';
import { ELECTION_NIGHT, createSeededServerDatabase, makeResultReport, nextEvent, TEST_ELECTION_ID } from './harness.ts';
import { OverviewMirror, ROOT, spawned, startNode, type NodeProcess } from './processes.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const silent = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
type Viewer = Socket<LiveServerToClientEvents, LiveClientToServerEvents>;

async function seededServerDatabase(): Promise<{ url: string; database: Database; drop: () => Promise<void> }> {
  const server = await createSeededServerDatabase();
  const database = await openDatabase({ databaseUrl: server.url });
  return { url: server.url, database, drop: server.drop };
}

async function deleteRedisKeys(client: RedisClient, prefix: string): Promise<void> {
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
    if (keys.length > 0) await client.del(keys);
  }
}

async function postJson(url: string, token: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

async function viewerAt(baseUrl: string): Promise<Viewer> {
  const socket: Viewer = connect(`${baseUrl}${LIVE_NAMESPACE}`, { transports: ['websocket'], reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

describe('commit notices and leader election on PostgreSQL', () => {
  let server: Awaited<ReturnType<typeof seededServerDatabase>>;
  beforeAll(async () => {
    server = await seededServerDatabase();
  });
  afterAll(async () => {
    await server?.database.close();
    await server?.drop();
  });

  it("tells a listening node of another connection's commit, with its seq, when it commits", async () => {
    const listener = createCommitListener({ connectionString: server.url, electionId: TEST_ELECTION_ID, logger: silent });
    const heard: Array<number | null> = [];
    listener.start((seq) => heard.push(seq));
    try {
      // Once connected it reports without a seq: look for yourself, notices before now are gone.
      await expect.poll(() => heard).toEqual([null]);
      expect(listener.connected()).toBe(true);
      const writer = new pg.Client({ connectionString: server.url });
      await writer.connect();
      try {
        await writer.query('BEGIN');
        const { rows } = await writer.query<{ seq: string }>(
          `INSERT INTO change_log (election_id, kind, actor, at, payload) VALUES ($1, 'oversight.changed', 'test', now(), '{}'), ($1, 'oversight.changed', 'test', now(), '{}') RETURNING seq`,
          [TEST_ELECTION_ID],
        );
        const last = Math.max(...rows.map((r) => Number(r.seq)));
        // Not before the commit: a notice never lets a node read ahead of storage.
        await writer.query('SELECT pg_sleep(0.2)');
        expect(heard).toEqual([null]);
        await writer.query('COMMIT');
        await expect.poll(() => heard).toEqual([null, last]);
      } finally {
        await writer.end();
      }
    } finally {
      await listener.stop();
    }
  });

  it('elects exactly one leader, and another within seconds when the leader loses its session', async () => {
    const nodes = [0, 1, 2].map(() => createAdvisoryLockLeadership({ connectionString: server.url, electionId: TEST_ELECTION_ID, logger: silent, intervalMs: 200 }));
    const changes = nodes.map(() => [] as boolean[]);
    nodes.forEach((node, i) => node.onChange((leader) => changes[i]!.push(leader)));
    const leaders = () => nodes.filter((node) => node.isLeader());
    try {
      await expect.poll(() => leaders().length, { timeout: 10_000 }).toBe(1);
      const first = leaders()[0]!;
      // Its session vanishes (as when the process dies or the network drops): the server frees the lock.
      const admin = new pg.Client({ connectionString: server.url });
      await admin.connect();
      try {
        const { rows } = await admin.query<{ terminated: boolean }>(
          // pg_locks spans the whole server: only this test's database, not other tests' sidecars.
          `SELECT pg_terminate_backend(pid) AS terminated FROM pg_locks
            WHERE locktype = 'advisory' AND classid = $1 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          [LEADER_LOCK_CLASS],
        );
        expect(rows).toEqual([{ terminated: true }]);
      } finally {
        await admin.end();
      }
      await expect.poll(() => first.isLeader(), { timeout: 10_000 }).toBe(false);
      await expect.poll(() => leaders().length, { timeout: 10_000 }).toBe(1);
      // It knew it had lost before anyone led again. (It may win again later: it reconnects and competes,
      // and on a busy machine it can be the quickest.)
      const second = leaders()[0]!;
      expect(changes[nodes.indexOf(first)]!.slice(0, 2)).toEqual([true, false]);
      // Stopping the leader hands over at once.
      await second.stop();
      await expect.poll(() => leaders().length, { timeout: 10_000 }).toBe(1);
      expect(leaders()[0]).not.toBe(second);
    } finally {
      await Promise.all(nodes.map((node) => node.stop()));
    }
  });
});

/** Leadership the test hands out, to put two in-process sidecars in exact situations. */
class AppointedLeadership implements Leadership {
  private leader = false;
  private readonly listeners: Array<(leader: boolean) => void> = [];
  isLeader = () => this.leader;
  onChange(listener: (leader: boolean) => void) {
    this.listeners.push(listener);
  }
  set(leader: boolean) {
    this.leader = leader;
    this.listeners.forEach((listener) => listener(leader));
  }
  async stop() {
    if (this.leader) this.set(false);
  }
}

describe('two sidecars sharing PostgreSQL and a Redis stream', () => {
  let server: Awaited<ReturnType<typeof seededServerDatabase>>;
  const stream = `valgvakt-test-${randomBytes(6).toString('hex')}`;
  const redisClients: RedisClient[] = [];
  const nodes: Array<{ sidecar: Sidecar; database: Database; leadership: AppointedLeadership; url: string }> = [];
  const sockets: Viewer[] = [];
  let token: string;

  beforeAll(async () => {
    server = await seededServerDatabase();
    token = (await createIngestCredential(server.database.db, TEST_ELECTION_ID, '0301', 'cluster-test')).token;
    for (const leads of [true, false]) {
      const database = await openDatabase({ databaseUrl: server.url });
      const redis = createClient({ url: REDIS_URL });
      await redis.connect();
      redisClients.push(redis);
      const leadership = new AppointedLeadership();
      leadership.set(leads);
      const sidecar = await createSidecar({
        db: database.db, clock: createFixedClock(ELECTION_NIGHT), logger: silent, electionId: TEST_ELECTION_ID, corsOrigins: true, databaseKind: 'server',
        sharedAdapter: createSharedAdapter(redis, { streamName: stream, maxLen: 1000, onError: () => {} }),
        leadership,
        commitListener: createCommitListener({ connectionString: server.url, electionId: TEST_ELECTION_ID, logger: silent }),
      });
      const { port } = await sidecar.listen(0);
      nodes.push({ sidecar, database, leadership, url: `http://127.0.0.1:${port}` });
    }
  });
  afterAll(async () => {
    sockets.forEach((socket) => socket.disconnect());
    for (const node of nodes) {
      await node.sidecar.close();
      await node.database.close();
    }
    if (redisClients[0]) await deleteRedisKeys(redisClients[0], stream);
    await Promise.all(redisClients.map((client) => client.close()));
    await server?.database.close();
    await server?.drop();
  });

  async function viewer(url: string): Promise<Viewer> {
    const socket = await viewerAt(url);
    sockets.push(socket);
    return socket;
  }

  it('sends each delta once, from the leader, to viewers on every node, whichever node took the report', async () => {
    const [a, b] = nodes as [typeof nodes[0], typeof nodes[0]];
    const [onA, onB] = [await viewer(a.url), await viewer(b.url)];
    const received = [[], []] as [OverviewDelta[], OverviewDelta[]];
    onA.on('overview:updated', (delta) => received[0].push(delta));
    onB.on('overview:updated', (delta) => received[1].push(delta));
    const joined = await onB.timeout(5000).emitWithAck('municipality:join', { number: '0301' });
    if (!joined.ok) throw new Error(joined.error);
    const detail = nextEvent(onB, 'municipality:updated');

    // Taken by the follower: the leader hears of it through the commit notice and sends.
    const created = await postJson(`${b.url}/api/v1/results`, token, makeResultReport({ municipality: '0301', district: '0101' }));
    expect(created.status).toBe(201);
    for (const deltas of received) await expect.poll(() => deltas.map((d) => d.seq)).toContain(created.body.seq);
    const municipality = await detail;
    expect(municipality.seq).toBe(created.body.seq);
    expect(classifyDelta(joined.detail.seq, municipality)).toBe('apply');
    expect(municipality.districts.map((d) => d.number)).toEqual(['0101']);

    const metrics = await Promise.all(nodes.map(async (node) => (await fetch(`${node.url}/metrics`)).text()));
    expect(metrics[0]).toMatch(/^valgvakt_leader 1$/m);
    expect(metrics[1]).toMatch(/^valgvakt_leader 0$/m);
    expect(metrics[0]).toMatch(/^valgvakt_deltas_sent_total\{kind="overview"\} [1-9]/m);
    expect(metrics[0]).toMatch(/^valgvakt_delta_fanout_seconds_count\{kind="overview"\} [1-9]/m);
    expect(metrics[1]).not.toMatch(/^valgvakt_deltas_sent_total\{/m);
    expect(metrics[1]).toMatch(/^valgvakt_ingest_requests_total\{route="\/api\/v1\/results",status="201"\} 1$/m);
    // Both nodes know the change: the follower's feed lag is zero once it has applied it.
    await expect.poll(() => b.sidecar.model.seq).toBe(created.body.seq);
    // One delta per seq on each node: the follower sent none of its own.
    for (const deltas of received) expect(deltas.filter((d) => d.seq === created.body.seq)).toHaveLength(1);
  });

  it('has a new leader resend what the old one never sent, and start every chain so that a viewer who may have missed something sees a gap', async () => {
    const [a, b] = nodes as [typeof nodes[0], typeof nodes[0]];
    const onB = await viewer(b.url);
    const overview: OverviewDelta[] = [];
    onB.on('overview:updated', (delta) => overview.push(delta));
    const joined = await onB.timeout(5000).emitWithAck('municipality:join', { number: '0301' });
    if (!joined.ok) throw new Error(joined.error);

    const sent = await postJson(`${a.url}/api/v1/results`, token, makeResultReport({ municipality: '0301', district: '0102' }));
    await expect.poll(() => overview.at(-1)?.seq).toBe(sent.body.seq);
    let held = sent.body.seq;

    // The leader goes (as if its process died between commit and sending); the next report is sent by nobody.
    a.leadership.set(false);
    const unsent = await postJson(`${b.url}/api/v1/results`, token, makeResultReport({ municipality: '0301', district: '0103' }));
    await expect.poll(() => a.sidecar.model.seq).toBe(unsent.body.seq);
    await expect.poll(() => b.sidecar.model.seq).toBe(unsent.body.seq);
    expect(overview.at(-1)!.seq).toBe(sent.body.seq);

    // B takes over: it resends the full state of every room touched after A's watermark.
    const resentDetail = nextEvent(onB, 'municipality:updated', (d) => d.seq >= unsent.body.seq);
    b.leadership.set(true);
    await expect.poll(() => overview.at(-1)?.seq).toBe(unsent.body.seq);
    const resent = overview.at(-1)!;
    expect(resent.prevSeq).toBe(sent.body.seq);
    expect(classifyDelta(held, resent)).toBe('apply');
    // A viewer holding less than what A had sent cannot tell what it missed: it sees a gap.
    expect(classifyDelta(joined.detail.seq, resent)).toBe('gap');
    expect(resent.municipalities.find((m) => m.number === '0301')!.districtsReported).toBe(3);
    const detail = await resentDetail;
    expect(classifyDelta(held, detail)).toBe('apply');
    expect(detail.districts.filter((d) => d.status !== 'waiting').map((d) => d.number).sort()).toEqual(['0101', '0102', '0103']);
    held = unsent.body.seq;

    // B's own chains start at the seq it took over at, never at one A's viewers might hold.
    const next = await postJson(`${a.url}/api/v1/results`, token, makeResultReport({ municipality: '0301', district: '0104' }));
    await expect.poll(() => overview.at(-1)?.seq).toBe(next.body.seq);
    const first = overview.at(-1)!;
    expect(first.prevSeq).toBe(unsent.body.seq);
    expect(classifyDelta(held, first)).toBe('apply');
    expect(classifyDelta(sent.body.seq, first)).toBe('gap');
    expect(await (await fetch(`${b.url}/healthz`)).json()).toMatchObject({ leader: true });
  });
});

// ---- real sidecar processes -------------------------------------------------------------------------

/** A load balancer in miniature: each TCP connection goes to the first backend that accepts it. */
async function startBalancer(): Promise<{ url: string; route(urls: string[]): void; close(): Promise<void> }> {
  let backends: Array<{ host: string; port: number }> = [];
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => {});
    client.pause();
    const attempt = (i: number) => {
      const backend = backends[i];
      if (!backend || client.destroyed) return client.destroy();
      const upstream = net.connect(backend);
      upstream.once('error', () => attempt(i + 1));
      upstream.once('connect', () => {
        upstream.removeAllListeners('error');
        upstream.on('error', () => client.destroy());
        upstream.on('close', () => client.destroy());
        client.on('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    attempt(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    route(urls) {
      backends = urls.map((url) => ({ host: new URL(url).hostname, port: Number(new URL(url).port) }));
    },
    async close() {
      open.forEach((socket) => socket.destroy());
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What a browser's overview page does (app/_hooks/use-live-state.ts): snapshot, deltas in chain, resync on a gap or an unrecovered reconnect. */
describe('sidecar processes behind a load balancer', () => {
  let server: Awaited<ReturnType<typeof seededServerDatabase>>;
  const stream = `valgvakt-test-${randomBytes(6).toString('hex')}`;
  let redis: RedisClient;
  let tmp: string;
  let balancer: Awaited<ReturnType<typeof startBalancer>>;
  const nodes: NodeProcess[] = [];
  const mirrors: OverviewMirror[] = [];
  const tokens = new Map<string, string>();
  const metricsToken = randomBytes(16).toString('hex');

  const health = async (node: NodeProcess) => (await (await fetch(`${node.url}/healthz`)).json()) as { leader: boolean; seq: number };
  const leaderOf = async (candidates: NodeProcess[]) => {
    const states = await Promise.all(candidates.map(async (node) => ({ node, leader: (await health(node)).leader })));
    const leaders = states.filter((s) => s.leader).map((s) => s.node);
    return leaders.length === 1 ? leaders[0] : undefined;
  };
  const snapshotOf = async (node: NodeProcess) => (await (await fetch(`${node.url}/api/v1/snapshot`)).json()) as Snapshot;
  // Each report a new Oslo district, so every one changes what viewers see.
  let osloDistricts: string[] = [];
  let osloReports = 0;
  const postOslo = (node: NodeProcess) => {
    const district = osloDistricts[osloReports++]!;
    return postJson(`${node.url}/api/v1/results`, tokens.get('0301')!, makeResultReport({ municipality: '0301', district }));
  };

  beforeAll(async () => {
    server = await seededServerDatabase();
    for (const number of ['0301', '1103']) tokens.set(number, (await createIngestCredential(server.database.db, TEST_ELECTION_ID, number, 'cluster-test')).token);
    osloDistricts = (await server.database.db.district.findMany({ where: { municipality: { number: '0301' }, kind: 'election_day' }, orderBy: { number: 'asc' } })).map((d) => d.number);
    redis = createClient({ url: REDIS_URL });
    await redis.connect();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'valgvakt-cluster-'));
    // Evaluate every second; nothing is slow or stalled on this night three years on, but a district
    // counted locally goes into backlog after four seconds.
    const thresholds = JSON.parse(await readFile(path.join(ROOT, 'config/thresholds.json'), 'utf8'));
    await writeFile(path.join(tmp, 'thresholds.json'), JSON.stringify({ ...thresholds, evaluateEvery: '1s' }));
    const env = {
      DATABASE_URL: server.url, REDIS_URL, REDIS_STREAM: stream, REDIS_STREAM_MAX_LEN: '10000',
      SIDECAR_PORT: '0', SIDECAR_HOST: '127.0.0.1', SEED_ON_START: 'false', CLOCK_MODE: 'wall',
      STATE_MONITOR: 'true', THRESHOLDS_FILE: path.join(tmp, 'thresholds.json'),
      SLOW_AFTER: '100000h', STALL_AFTER: '100000h', BACKLOG_AFTER: '4s',
      METRICS_TOKEN: metricsToken, LOG_LEVEL: 'info',
    };
    nodes.push(...(await Promise.all(['a', 'b', 'c'].map((name) => startNode(name, env)))));
    balancer = await startBalancer();
    for (let tries = 0; !(await leaderOf(nodes)); tries++) {
      if (tries > 150) throw new Error('no node became the leader');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 120_000);

  afterAll(async () => {
    mirrors.forEach((mirror) => mirror.socket.disconnect());
    await Promise.all([...spawned].map((child) => new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    })));
    await balancer?.close();
    if (redis) {
      await deleteRedisKeys(redis, stream);
      await redis.close();
    }
    await server?.database.close();
    await server?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('gets a report accepted by one node to a viewer on another, and answers /metrics only with the token', async () => {
    const leader = (await leaderOf(nodes))!;
    const [taker, watcher] = nodes.filter((node) => node !== leader) as [NodeProcess, NodeProcess];
    for (const [from, to] of [[taker, watcher], [leader, taker]] as const) {
      const viewer = await viewerAt(to.url);
      try {
        const started = Date.now();
        const expected = osloReports + 1;
        const delta = nextEvent(viewer, 'overview:updated', (d) => d.municipalities.some((m) => m.number === '0301' && m.districtsReported === expected));
        const created = await postOslo(from);
        expect(created.status).toBe(201);
        expect((await delta).seq).toBe(created.body.seq);
        console.info(`cluster: report on ${from.name} reached a viewer on ${to.name} ${Date.now() - started} ms after it was sent`);
      } finally {
        viewer.disconnect();
      }
    }
    const refused = await fetch(`${leader.url}/metrics`);
    expect(refused.status).toBe(401);
    const metrics = await (await fetch(`${leader.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
    for (const name of ['valgvakt_leader 1', 'valgvakt_live_viewers', 'valgvakt_change_feed_lag', 'valgvakt_read_model_seq', 'valgvakt_transfer_queue_depth', 'valgvakt_ingest_queue_depth', 'valgvakt_commit_notices_connected 1', 'nodejs_eventloop_lag_seconds', 'process_resident_memory_bytes']) {
      expect(metrics).toContain(name);
    }
  });

  it('serves snapshots a proxy can cache: the same ETag for the same seq on every node, 304 on a match', async () => {
    // Let the leader's stall monitor record what the previous test's reports changed: a second with no new seq.
    let held = -1;
    await expect.poll(async () => {
      const seq = await findLatestSeq(server.database.db, TEST_ELECTION_ID);
      const still = seq === held;
      held = seq;
      return still;
    }, { interval: 1000, timeout: 15_000 }).toBe(true);
    const latest = await findLatestSeq(server.database.db, TEST_ELECTION_ID);
    for (const node of nodes) await expect.poll(async () => (await health(node)).seq).toBeGreaterThanOrEqual(latest);
    // The leader's stall monitor may record a change between two reads (it wakes at each state's deadline):
    // read every node again until they stand at one seq, then that seq names the ETag on all of them.
    let answers: Response[] = [];
    let etags: Array<string | null> = [];
    await expect.poll(async () => {
      answers = await Promise.all(nodes.map((node) => fetch(`${node.url}/api/v1/snapshot`)));
      etags = answers.map((answer) => answer.headers.get('etag'));
      return new Set(etags).size;
    }).toBe(1);
    const { seq } = (await answers[0]!.clone().json()) as { seq: number };
    expect(seq).toBeGreaterThanOrEqual(latest);
    expect(etags[0]).toBe(`"snapshot-${seq}"`);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
    }
    for (const node of nodes) {
      const revalidated = await fetch(`${node.url}/api/v1/snapshot`, { headers: { 'if-none-match': etags[0]! } });
      expect(revalidated.status).toBe(304);
      expect(await revalidated.text()).toBe('');
    }
    const created = await postOslo(nodes[0]!);
    for (const node of nodes) {
      await expect.poll(async () => (await health(node)).seq).toBe(created.body.seq);
      const changed = await fetch(`${node.url}/api/v1/snapshot`, { headers: { 'if-none-match': etags[0]! } });
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).toBe(`"snapshot-${created.body.seq}"`);
    }
  });

  it('moves the viewers of a killed node to another, where they end with the correct state', async () => {
    const leader = (await leaderOf(nodes))!;
    const [victim, survivor] = nodes.filter((node) => node !== leader) as [NodeProcess, NodeProcess];
    balancer.route([victim.url, survivor.url, leader.url]);
    const mirror = new OverviewMirror(balancer.url);
    mirrors.push(mirror);
    // A new viewer connects through the balancer and loads a snapshot first; on a loaded CI machine that can
    // take longer than expect.poll's default second (the failure on record: seq still -1).
    await expect.poll(() => mirror.seq, { timeout: 15_000 }).toBe((await health(victim)).seq);
    await postOslo(leader);

    await victim.kill();
    nodes.splice(nodes.indexOf(victim), 1);
    // Reports keep coming while its viewers reconnect.
    await postOslo(survivor);
    await postOslo(survivor);
    const last = await postOslo(leader);
    try {
      await expect.poll(() => mirror.seq, { timeout: 15_000 }).toBe(last.body.seq);
    } catch (error) {
      // Once in CI (stop 27, not locally in 4 runs) the mirror stayed one delta behind: say where things stood.
      const seqs = await Promise.all([survivor, leader].map(async (node) => (await health(node)).seq));
      throw new Error(`the mirror stayed at seq ${mirror.seq}, not ${last.body.seq}: connected ${mirror.socket.connected}, recovered ${mirror.socket.recovered}, gaps ${mirror.gaps}; survivor at ${seqs[0]}, leader at ${seqs[1]}`, { cause: error });
    }
    const truth = await snapshotOf(survivor);
    expect(mirror.national).toEqual(truth.national);
    expect(mirror.municipalities.get('0301')).toEqual(truth.municipalities.find((m) => m.number === '0301'));
    expect(mirror.municipalities.get('0301')!.districtsReported).toBe(osloReports);
  });

  it('has another node take over the timer within seconds when the leader is killed', async () => {
    const leader = (await leaderOf(nodes))!;
    const [heir] = nodes.filter((node) => node !== leader) as [NodeProcess];
    balancer.route([heir.url]);
    const mirror = new OverviewMirror(balancer.url);
    mirrors.push(mirror);
    // A new viewer connects through the balancer and loads a snapshot first; on a loaded CI machine that can
    // take longer than expect.poll's default second (the failure on record: seq still -1).
    await expect.poll(() => mirror.seq, { timeout: 15_000 }).toBe((await health(heir)).seq);

    // Stavanger reports a district counted locally; its result does not come. The backlog is due in 4 s,
    // by which time the node that took the report is dead: only the timer of its heir can record it.
    const district = (await server.database.db.district.findFirstOrThrow({ where: { municipality: { number: '1103' }, kind: 'election_day' }, orderBy: { number: 'asc' } })).number;
    const countedAt = new Date(Date.now() - 500);
    const status = await postJson(`${leader.url}/api/v1/status`, tokens.get('1103')!, { municipality: '1103', at: countedAt.toISOString(), category: 'election_day', stage: 'preliminary', districts: [district] });
    expect(status.status).toBe(201);
    const killedAt = Date.now();
    await leader.kill();
    nodes.splice(nodes.indexOf(leader), 1);

    await expect.poll(async () => (await health(heir)).leader, { timeout: 10_000, interval: 100 }).toBe(true);
    const failoverMs = Date.now() - killedAt;
    const detail = async () => (await (await fetch(`${heir.url}/api/v1/municipalities/1103`)).json()) as { municipality: MunicipalitySummary };
    await expect.poll(async () => (await detail()).municipality.state, { timeout: 15_000, interval: 200 }).toBe('backlog');
    const recordedMs = Date.now() - (countedAt.getTime() + 4000);
    console.info(`cluster: leader killed; heir leads after ${failoverMs} ms; backlog recorded ${recordedMs} ms after it was due`);
    expect(failoverMs).toBeLessThan(10_000);

    // The heir now sends the deltas: its viewer follows it to the correct state.
    const created = await postOslo(heir);
    await expect.poll(() => mirror.seq, { timeout: 10_000 }).toBeGreaterThanOrEqual(created.body.seq);
    const truth = await snapshotOf(heir);
    await expect.poll(() => mirror.seq, { timeout: 10_000 }).toBe(truth.seq);
    expect(mirror.municipalities.get('1103')!.state).toBe('backlog');
    expect(mirror.municipalities.get('0301')).toEqual(truth.municipalities.find((m) => m.number === '0301'));
  });
});
