// The sidecar's roles as real processes (server/main.ts: supervisor, intake, live, and the embedded
// database's own): reports are acknowledged while the live process is stopped, killed and restarted;
// viewers stay connected while the intake process is killed and restarted; a page's socket comes back
// after a live process stops gracefully. On the embedded database and on a PostgreSQL server.
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectLive } from '../../app/_lib/live-socket.ts';
import { createDb, type Db } from '../../db/client.ts';
import { createIngestCredential } from '../../db/credentials.ts';
import { findRunningEmbeddedPostgres } from '../../db/embedded.ts';
import { ZHealth } from '../../lib/contracts/api.ts';
import { LIVE_NAMESPACE, type LiveClientToServerEvents, type LiveServerToClientEvents, type OverviewCatchUpAck } from '../../lib/contracts/live.ts';
import { createSeededServerDatabase, makeResultReport, nextEvent, TEST_ELECTION_ID, type Backend } from './harness.ts';
import { killAllSpawned, startNode, type NodeProcess } from './processes.ts';

type Viewer = Socket<LiveServerToClientEvents, LiveClientToServerEvents>;
interface ProcessHealth { role: string; pid: number; status: string; seq?: number }
interface Health { status: string; seq: number; viewers: number; processes: ProcessHealth[] }

afterAll(async () => {
  await killAllSpawned();
});

describe.each<Backend>(['pglite', 'postgres'])('sidecar roles (%s)', (backend) => {
  let node: NodeProcess;
  let dataDir: string;
  let db: Db;
  let token: string;
  let districts: string[] = [];
  let reported = 0;
  let dropDatabase = async () => {};

  const health = async (): Promise<Health> => (await fetch(`${node.url}/healthz`)).json() as Promise<Health>;
  const pidOf = async (role: string): Promise<number> => {
    const list = JSON.parse(await readFile(path.join(dataDir, 'sidecar-processes.json'), 'utf8')) as Array<{ role: string; pid: number }>;
    return list.find((entry) => entry.role === role)!.pid;
  };
  /** Resolves once a process of the role other than `old` answers its health check. */
  const restarted = async (role: string, old: number) => {
    await expect.poll(async () => (await health()).processes.some((p) => p.role === role && p.pid !== old && p.status === 'ok'), { timeout: 90_000, interval: 250 }).toBe(true);
  };
  const report = async (): Promise<{ status: number; seq: number; ms: number }> => {
    const started = performance.now();
    const response = await fetch(`${node.url}/api/v1/results`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(makeResultReport({ municipality: '0301', district: districts[reported++]! })),
    });
    const body = (await response.json()) as { seq: number };
    return { status: response.status, seq: body.seq, ms: performance.now() - started };
  };
  const viewerAt = async (): Promise<Viewer> => {
    const socket: Viewer = connect(`${node.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], reconnectionDelay: 100, reconnectionDelayMax: 300 });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    return socket;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'valgvakt-roles-'));
    const env: Record<string, string> = {
      DATA_DIR: dataDir, SIDECAR_PORT: '0', SIDECAR_HOST: '127.0.0.1', SIDECAR_LIVE_PROCESSES: '1',
      STATE_MONITOR: 'false', CLOCK_MODE: 'wall', LOG_LEVEL: 'info',
      // The default, which the test run sets to 0 for every other sidecar (vitest.config.ts).
      SIDECAR_LIVE_NICENESS: '10',
    };
    if (backend === 'postgres') {
      const server = await createSeededServerDatabase();
      dropDatabase = server.drop;
      Object.assign(env, { DATABASE_URL: server.url, SEED_ON_START: 'false' });
    }
    node = await startNode(`roles-${backend}`, env);
    // Embedded: through the database process's loopback endpoint, as the CLI tools do.
    const url = env.DATABASE_URL ?? (await findRunningEmbeddedPostgres(path.join(dataDir, 'pglite')));
    db = createDb(url!, { maxConnections: 1 });
    token = (await createIngestCredential(db, TEST_ELECTION_ID, '0301', 'roles-test')).token;
    districts = (await db.district.findMany({ where: { municipality: { number: '0301' }, kind: 'election_day' }, orderBy: { number: 'asc' } })).map((d) => d.number);
  }, 180_000);

  // A failure here is usually a process that died: say what the sidecar's processes last wrote.
  afterEach((context) => {
    if (context.task.result?.state === 'fail') console.error(`sidecar output (${backend}), last 6000 characters:\n${node?.output().slice(-6000)}`);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await node?.kill();
    await dropDatabase();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('lists its processes and answers /healthz for every role', async () => {
    const answer = await health();
    expect(answer.status).toBe('ok');
    // As the API's description says (lib/contracts/api.ts, served as OpenAPI).
    expect(ZHealth.parse(answer)).toEqual(answer);
    expect(answer.processes.map((p) => p.role).sort()).toEqual(['intake', 'live']);
    const roles = (JSON.parse(await readFile(path.join(dataDir, 'sidecar-processes.json'), 'utf8')) as Array<{ role: string }>).map((p) => p.role).sort();
    expect(roles).toEqual(backend === 'pglite' ? ['database', 'front', 'intake', 'live'] : ['front', 'intake', 'live']);
  });

  it('loses none of the bytes a client sends while its connection is handed to the serving process', async () => {
    // Each connection sends one request's head, and a second request a moment later: in the window in which
    // the front has read the first and hands the socket over (what a WebSocket's first frame meets once the
    // live process has answered the upgrade). Both must be answered, on every connection.
    const { port } = new URL(node.url);
    const request = 'GET /api/v1/election HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n';
    const answered = await Promise.all(Array.from({ length: 40 }, (_, i) => new Promise<number>((resolve) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.write(request);
        setTimeout(() => socket.write(request.replace('\r\n\r\n', '\r\nconnection: close\r\n\r\n')), 1 + (i % 5));
      });
      let text = '';
      socket.setTimeout(10_000, () => socket.destroy());
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('close', () => resolve(text.match(/HTTP\/1\.1 200 OK/g)?.length ?? 0));
      socket.on('error', () => socket.destroy());
    })));
    expect(answered).toEqual(Array(40).fill(2));
  }, 60_000);

  it('keeps the front up and answering /healthz while a process it asks is killed', async () => {
    // Health asks every process over IPC; a process that is killed closes its channel before its exit is
    // seen, and a request sent into that channel once ended the front (ERR_IPC_CHANNEL_CLOSED, seen in CI
    // and in 1 of 3 local runs of this file). The window is narrow: this polls through a kill as a guard,
    // and did not hit it in 2 runs without the fix; server/roles/supervisor.ts `sendTo` closes it by design.
    const front = (JSON.parse(await readFile(path.join(dataDir, 'sidecar-processes.json'), 'utf8')) as Array<{ role: string; pid: number }>).find((p) => p.role === 'front')!.pid;
    const live = await pidOf('live');
    const statuses: Array<{ status: number; afterKill: boolean }> = [];
    let killedAt = Infinity;
    let polling = true;
    const pollers = Array.from({ length: 8 }, async () => {
      while (polling) {
        const started = performance.now();
        const status = await fetch(`${node.url}/healthz`).then((r) => r.status, () => -1);
        statuses.push({ status, afterKill: started > killedAt });
      }
    });
    await expect.poll(() => statuses.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(8);
    process.kill(live, 'SIGKILL');
    killedAt = performance.now();
    // Through the kill and after it, however slowly a busy machine answers: a count of answers, not a time window.
    await expect.poll(() => statuses.filter((s) => s.afterKill).length, { timeout: 60_000 }).toBeGreaterThanOrEqual(16);
    polling = false;
    await Promise.all(pollers);
    expect(statuses.map((s) => s.status).filter((status) => status !== 200 && status !== 503)).toEqual([]);
    expect((await health()).processes.length).toBeGreaterThan(0);
    expect(() => process.kill(front, 0)).not.toThrow();
    await restarted('live', live);
  }, 120_000);

  it('answers /healthz at once for a process that dies while it is asked: "exited", not left to the 2-s timeout', async () => {
    // On a connection of its own each (a pooled one may have been handed to the live process stopped below).
    const freshHealth = () => new Promise<Health>((resolve, reject) => {
      http.get(`${node.url}/healthz`, { agent: false }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve(JSON.parse(body) as Health));
      }).on('error', reject);
    });
    const live = await pidOf('live');
    // Stopped, it cannot answer: the requests wait in the front until it is killed, well inside their 2 s.
    process.kill(live, 'SIGSTOP');
    const answers: Array<Promise<Health>> = [];
    for (let i = 0; i < 3; i++) {
      answers.push(freshHealth());
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    process.kill(live, 'SIGKILL');
    const statuses = (await Promise.all(answers)).map((answer) => answer.processes.find((p) => p.pid === live)?.status);
    // Without the front noticing the closed channel, each would say "unresponsive" after its timeout.
    expect(statuses).toContain('exited');
    expect(statuses).not.toContain('unresponsive');
    for (const answer of await Promise.all(answers)) expect(ZHealth.parse(answer)).toEqual(answer);
    await restarted('live', live);
  }, 120_000);

  it('runs every thread of its live process below the intake process\'s priority once ready, also after a restart (SIDECAR_LIVE_NICENESS 10, the default)', async () => {
    const niceness = (pid: number) => readdirSync(`/proc/${pid}/task`).map((thread) => os.getPriority(Number(thread)));
    const base = os.getPriority(await pidOf('front'));
    expect(new Set(niceness(await pidOf('intake')))).toEqual(new Set([base]));
    const live = await pidOf('live');
    expect(new Set(niceness(live))).toEqual(new Set([Math.min(19, base + 10)]));
    process.kill(live, 'SIGKILL');
    await restarted('live', live);
    const again = await pidOf('live');
    expect(again).not.toBe(live);
    expect(new Set(niceness(again))).toEqual(new Set([Math.min(19, base + 10)]));
  }, 120_000);

  it('acknowledges reports while the live process is stopped, killed and restarting', async () => {
    const warm = [];
    for (let i = 0; i < 5; i++) warm.push(await report());
    const live = await pidOf('live');
    process.kill(live, 'SIGSTOP');
    const whileStopped = [];
    try {
      for (let i = 0; i < 5; i++) whileStopped.push(await report());
    } finally {
      process.kill(live, 'SIGCONT');
    }
    process.kill(live, 'SIGKILL');
    const whileRestarting = [];
    for (let i = 0; i < 5; i++) whileRestarting.push(await report());
    console.info(`roles (${backend}): ack ms with every process up ${warm.map((r) => Math.round(r.ms)).join(', ')}; with the live process stopped ${whileStopped.map((r) => Math.round(r.ms)).join(', ')}; killed ${whileRestarting.map((r) => Math.round(r.ms)).join(', ')}`);
    expect([...warm, ...whileStopped, ...whileRestarting].map((r) => r.status)).toEqual(Array(15).fill(201));

    await restarted('live', live);
    // The new live process has everything, and sends what comes next.
    const viewer = await viewerAt();
    try {
      const delta = nextEvent(viewer, 'overview:updated');
      const created = await report();
      expect(created.status).toBe(201);
      expect((await delta).seq).toBe(created.seq);
      const snapshot = (await (await fetch(`${node.url}/api/v1/snapshot`)).json()) as { seq: number; municipalities: Array<{ number: string; districtsReported: number }> };
      expect(snapshot.municipalities.find((m) => m.number === '0301')?.districtsReported).toBe(reported);
    } finally {
      viewer.disconnect();
    }
  }, 180_000);

  it('lets pages catch up from the seq they hold after the live process is killed while reports are committed, without a snapshot', async () => {
    // The pages' own sockets, each holding the seq of the last patch it applied.
    const viewers = [0, 1, 2, 3, 4].map(() => ({ socket: connectLive(node.url), seq: -1, connects: 0 }));
    for (const viewer of viewers) {
      viewer.socket.on('connect', () => (viewer.connects += 1));
      viewer.socket.on('overview:patch', (patch) => (viewer.seq = Math.max(viewer.seq, patch.seq)));
    }
    try {
      await expect.poll(() => viewers.every((v) => v.connects === 1), { timeout: 30_000 }).toBe(true);
      const before = await report();
      await expect.poll(() => viewers.every((v) => v.seq === before.seq), { timeout: 10_000 }).toBe(true);
      const live = await pidOf('live');
      process.kill(live, 'SIGKILL');
      // Committed while no live process runs: the restarted one starts ahead of every viewer.
      const during = [await report(), await report()];
      expect(during.map((r) => r.status)).toEqual([201, 201]);
      await restarted('live', live);
      await expect.poll(() => viewers.every((v) => v.connects === 2), { timeout: 30_000 }).toBe(true);
      expect(viewers.some((v) => v.socket.recovered)).toBe(false);
      const answers: OverviewCatchUpAck[] = await Promise.all(viewers.map((v) => v.socket.timeout(10_000).emitWithAck('overview:catch-up', { seq: before.seq })));
      for (const answer of answers) {
        if (!answer.ok || answer.form !== 'compact') throw new Error(`catch-up refused or in the wrong form: ${JSON.stringify(answer).slice(0, 200)}`);
        expect(answer.delta.prevSeq).toBe(before.seq);
        expect(answer.delta.seq).toBeGreaterThanOrEqual(during[1]!.seq);
        // Oslo changed in (before, latest]: its progress now, and only what changed.
        expect(answer.delta.municipalities.map((m) => m.number)).toEqual(['0301']);
        expect(answer.delta.municipalities[0]!.districtsReported).toBe(reported);
      }
      // Nothing changed after the newest seq: an empty answer that the page reads as caught up.
      const latest = answers[0]!.ok ? answers[0]!.delta.seq : -1;
      const level: OverviewCatchUpAck = await viewers[0]!.socket.timeout(10_000).emitWithAck('overview:catch-up', { seq: latest });
      expect(level.ok && level.delta.municipalities).toEqual([]);
      // Ahead of this node: refused, so the page fetches the snapshot instead.
      const ahead = await viewers[0]!.socket.timeout(10_000).emitWithAck('overview:catch-up', { seq: latest + 1000 });
      expect(ahead).toMatchObject({ ok: false, error: expect.stringMatching(/fetch the snapshot/) });
      const invalid = await viewers[0]!.socket.timeout(10_000).emitWithAck('overview:catch-up', { seq: -1 } as never);
      expect(invalid).toEqual({ ok: false, error: 'seq must be a whole number ≥ 0' });
    } finally {
      viewers.forEach((v) => v.socket.disconnect());
    }
  }, 180_000);

  it('keeps viewers connected while the intake process is killed and restarted', async () => {
    const viewers = await Promise.all([0, 1, 2].map(() => viewerAt()));
    let disconnects = 0;
    viewers.forEach((viewer) => viewer.on('disconnect', () => (disconnects += 1)));
    try {
      const intake = await pidOf('intake');
      process.kill(intake, 'SIGKILL');
      await restarted('intake', intake);
      const deltas = viewers.map((viewer) => nextEvent(viewer, 'overview:updated'));
      const created = await report();
      expect(created.status).toBe(201);
      expect((await Promise.all(deltas)).map((delta) => delta.seq)).toEqual([created.seq, created.seq, created.seq]);
      expect(disconnects).toBe(0);
    } finally {
      viewers.forEach((viewer) => viewer.disconnect());
    }
  }, 180_000);

  it('brings a page\'s socket back after the live process stops gracefully, with what it missed', async () => {
    // The pages' own socket (app/_lib/live-socket.ts): compact overview deltas, reconnect after a server-side disconnect.
    const viewer = connectLive(node.url);
    let connects = 0;
    viewer.on('connect', () => (connects += 1));
    try {
      // Connected at all first (what is tested is the reconnect below). As long as the reconnect's wait: right
      // after the previous test restarted the intake, a first attempt can fail and back off (once seen on CI).
      await expect.poll(() => connects, { timeout: 30_000 }).toBe(1);
      // Told to go, it comes back at once and is held for the restarted process, never refused or left
      // hanging: a connection handed to the stopping process once hung until Socket.IO's 20-s timeout.
      let refusals = 0;
      viewer.on('connect_error', () => (refusals += 1));
      const live = await pidOf('live');
      process.kill(live, 'SIGTERM');
      await restarted('live', live);
      await expect.poll(() => connects, { timeout: 30_000 }).toBe(2);
      expect(refusals).toBe(0);
      const patch = nextEvent(viewer, 'overview:patch');
      const created = await report();
      expect(created.status).toBe(201);
      expect((await patch).seq).toBe(created.seq);
    } finally {
      viewer.disconnect();
    }
  }, 180_000);

  it('holds a Socket.IO connection made while the live process restarts, and serves it once the new one is ready', async () => {
    const live = await pidOf('live');
    process.kill(live, 'SIGKILL');
    // The front has seen it go; its successor is loading (about 3 s).
    await expect.poll(async () => (await health()).processes.some((p) => p.role === 'live'), { timeout: 30_000, interval: 50 }).toBe(false);
    // No retries: a 503 (what the front answered before) would be the end of this client.
    const socket: Viewer = connect(`${node.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], reconnection: false, timeout: 30_000 });
    try {
      const outcome = await new Promise<string>((resolve) => {
        socket.once('connect', () => resolve('connected'));
        socket.once('connect_error', (error) => resolve(`refused: ${error.message}`));
      });
      expect(outcome).toBe('connected');
      expect((await health()).processes.find((p) => p.role === 'live')?.pid).not.toBe(live);
    } finally {
      socket.disconnect();
    }
  }, 120_000);

  // Last: it stops the sidecar.
  it('stops on SIGTERM while a client keeps its connection open: every process ends, exit code 0', async () => {
    const agent = new http.Agent({ keepAlive: true });
    try {
      // Answered by a serving process on a connection the client keeps, as browsers and pollers do.
      const status = await new Promise<number>((resolve, reject) => {
        http.get(`${node.url}/api/v1/snapshot`, { agent }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        }).on('error', reject);
      });
      expect(status).toBe(200);
      expect(Object.values(agent.freeSockets).flat()).toHaveLength(1);
      const pids = (JSON.parse(await readFile(path.join(dataDir, 'sidecar-processes.json'), 'utf8')) as Array<{ pid: number }>).map((p) => p.pid);
      // The front used to wait for that connection to end before stopping anything: its 20-s force exit, code 1.
      const code = await new Promise<number | null>((resolve) => {
        node.child.once('exit', (exitCode) => resolve(exitCode));
        node.child.kill('SIGTERM');
      });
      expect(node.output()).not.toContain('shutdown took too long');
      expect(code).toBe(0);
      const alive = pids.filter((pid) => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      });
      expect(alive).toEqual([]);
    } finally {
      agent.destroy();
    }
  }, 60_000);
});
