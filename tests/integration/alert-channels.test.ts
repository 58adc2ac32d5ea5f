// Alerts that reach people: channels subscribed over the ops API receive each alert change once, over a
// real HTTP receiver (node:http: webhook and Slack-compatible) and a real SMTP server (smtp-server); a
// receiver that is down is retried with backoff and delays no ingest; a leader take-over on PostgreSQL
// neither drops nor repeats a delivery.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawned, startNode, type NodeProcess } from './processes.ts';
import { claimDueDelivery, queueAlertDeliveries } from '../../db/alert-channels.ts';
import { findLatestSeq } from '../../db/changes.ts';
import { createOperator, createOperatorSession } from '../../db/operators.ts';
import { openDatabase, type Database } from '../../db/database.ts';
import { recordStateChanges } from '../../db/states.ts';
import type { AlertWebhookBody } from '../../lib/contracts/alert-channels.ts';
import type { MunicipalityState } from '../../lib/contracts/ops.ts';
import { createFixedClock } from '../../server/clock.ts';
import { createCommitListener } from '../../server/cluster/commit-notices.ts';
import { createAdvisoryLockLeadership } from '../../server/cluster/leadership.ts';
import { verifyWebhookSignature } from '../../server/alerts/senders.ts';
import { createSidecar, type AlertDispatchOptions, type Sidecar } from '../../server/sidecar.ts';
import {
  ELECTION_NIGHT, TEST_ELECTION_ID, createSeededServerDatabase, makeResultReport, startTestStack, type TestStack,
} from './harness.ts';

const silent = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  at: number;
}

/** A real HTTP receiver: answers 200, 503 ("down"), or never ("hang"). */
async function startReceiver(): Promise<{ url: string; received: Received[]; attempts: number[]; mode: 'ok' | 'down' | 'hang'; close(): Promise<void> }> {
  const state = { received: [] as Received[], attempts: [] as number[], mode: 'ok' as 'ok' | 'down' | 'hang' };
  const hanging = new Set<import('node:http').ServerResponse>();
  const server: Server = createServer((request, response) => {
    let raw = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (raw += chunk));
    request.on('end', () => {
      state.attempts.push(Date.now());
      if (state.mode === 'hang') {
        hanging.add(response);
        return;
      }
      if (state.mode === 'down') {
        response.writeHead(503).end();
        return;
      }
      state.received.push({ path: request.url ?? '', headers: request.headers, raw, at: Date.now() });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    async close() {
      hanging.forEach((response) => response.destroy());
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

async function startSmtp(): Promise<{ url: string; messages: Array<{ to: string[]; raw: string }>; close(): Promise<void> }> {
  const messages: Array<{ to: string[]; raw: string }> = [];
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (raw += chunk));
      stream.on('end', () => {
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, messages, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function opsClient(baseUrl: string, token: string) {
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
}

async function operatorToken(database: Database): Promise<string> {
  const operator = await createOperator(database.db, `ops-${Math.random().toString(36).slice(2, 8)}`, 'correct horse battery staple');
  return (await createOperatorSession(database.db, operator.id, new Date())).token;
}

/** What the stall monitor would record: a municipality moving between states (an alert raised or resolved). */
function transition(database: Database, municipality: string, from: MunicipalityState, to: MunicipalityState, at: Date): Promise<number> {
  return recordStateChanges(database.db, TEST_ELECTION_ID, { transitions: [{ municipality, from, to, since: at.toISOString(), reason: `test: ${from} → ${to}` }], reopen: [] }, at);
}

const FAST: AlertDispatchOptions = {
  mail: { from: 'Valgvakt <valgvakt@test.invalid>' },
  retrySchedule: { baseMs: 200, maxMs: 800, maxAttempts: 50 },
  tickMs: 100, leaseMs: 3000, sendTimeoutMs: 1000,
};

const bodyOf = (request: Received) => JSON.parse(request.raw) as AlertWebhookBody;

describe('alert channels on one sidecar (PGlite)', () => {
  let stack: TestStack;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let ops: ReturnType<typeof opsClient>;
  const created: number[] = [];

  beforeAll(async () => {
    receiver = await startReceiver();
    smtp = await startSmtp();
    stack = await startTestStack('pglite', { sidecar: { alerts: { ...FAST, mail: { url: smtp.url, from: 'Valgvakt <valgvakt@test.invalid>' } } } });
    ops = opsClient(stack.baseUrl, await operatorToken(stack.database));
  });
  afterEach(async () => {
    for (const id of created.splice(0)) await ops('DELETE', `/api/v1/ops/alert-channels/${id}`);
    receiver.mode = 'ok';
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
    await smtp?.close();
  });

  it('refuses anonymous access and malformed channels', async () => {
    for (const [method, path] of [['GET', '/api/v1/ops/alert-channels'], ['POST', '/api/v1/ops/alert-channels'], ['PATCH', '/api/v1/ops/alert-channels/1'],
      ['DELETE', '/api/v1/ops/alert-channels/1'], ['POST', '/api/v1/ops/alert-channels/1/test'], ['GET', '/api/v1/ops/alert-deliveries']] as const) {
      const withBody = method === 'POST' || method === 'PATCH';
      const response = await fetch(`${stack.baseUrl}${path}`, { method, headers: withBody ? { 'content-type': 'application/json' } : {}, body: withBody ? '{}' : undefined });
      expect([method, path, response.status]).toEqual([method, path, 401]);
    }
    expect((await ops('POST', '/api/v1/ops/alert-channels', { kind: 'webhook', name: 'x', target: 'ftp://example.no' })).status).toBe(422);
    expect((await ops('POST', '/api/v1/ops/alert-channels', { kind: 'email', name: 'x', target: 'not an address' })).status).toBe(422);
    expect((await ops('POST', '/api/v1/ops/alert-channels', { kind: 'slack', name: 'x', target: receiver.url, scope: 'county:99' })).body.issues).toEqual([{ field: 'scope', reason: 'no county 99 in this election' }]);
    expect((await ops('PATCH', '/api/v1/ops/alert-channels/999999', { enabled: false })).status).toBe(404);
  });

  it('sends each alert change once to every channel whose filter takes it: a signed webhook, Slack text and e-mail', async () => {
    const webhook = await ops('POST', '/api/v1/ops/alert-channels', { kind: 'webhook', name: 'Desken', target: `${receiver.url}/hook` });
    expect(webhook.status).toBe(201);
    expect(webhook.body.secret).toMatch(/^[0-9a-f]{64}$/);
    const slack = await ops('POST', '/api/v1/ops/alert-channels', { kind: 'slack', name: 'Vestland', target: `${receiver.url}/slack`, scope: 'county:46' });
    const email = await ops('POST', '/api/v1/ops/alert-channels', { kind: 'email', name: 'Vaktsjef', target: 'vakt@test.invalid', scope: 'watchlist', alertKinds: ['backlog'] });
    created.push(webhook.body.id, slack.body.id, email.body.id);
    expect((await ops('GET', '/api/v1/ops/alert-channels')).body.map((c: { name: string; hasSecret: boolean }) => [c.name, c.hasSecret]))
      .toEqual([['Desken', true], ['Vestland', false], ['Vaktsjef', false]]);

    // Bergen (county 46, not watched) stalls; Oslo (on the watchlist) gets a backlog; then Bergen resumes.
    const at = new Date(ELECTION_NIGHT.getTime());
    await transition(stack.database, '4601', 'counting', 'stalled', at);
    await transition(stack.database, '0301', 'counting', 'backlog', at);
    await transition(stack.database, '4601', 'stalled', 'counting', new Date(at.getTime() + 60_000));

    const hooks = () => receiver.received.filter((r) => r.path === '/hook');
    const slacks = () => receiver.received.filter((r) => r.path === '/slack');
    await expect.poll(() => hooks().length, { timeout: 10_000 }).toBe(3);
    await expect.poll(() => slacks().length, { timeout: 10_000 }).toBe(2);
    await expect.poll(() => smtp.messages.length, { timeout: 10_000 }).toBe(1);

    expect(hooks().map((r) => [bodyOf(r).event, bodyOf(r).alert?.municipality])).toEqual([['alert.raised', '4601'], ['alert.raised', '0301'], ['alert.resolved', '4601']]);
    for (const request of hooks()) {
      const body = bodyOf(request);
      expect(request.headers['x-valgvakt-delivery']).toBe(body.deliveryId);
      expect(verifyWebhookSignature(webhook.body.secret, String(request.headers['x-valgvakt-timestamp']), request.raw, String(request.headers['x-valgvakt-signature']))).toBe(true);
      expect(verifyWebhookSignature('another secret entirely', String(request.headers['x-valgvakt-timestamp']), request.raw, String(request.headers['x-valgvakt-signature']))).toBe(false);
      expect(Math.abs(Number(request.headers['x-valgvakt-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
    }
    expect(bodyOf(hooks()[1]!).municipality).toEqual({ number: '0301', name: 'Oslo', countyNumber: '03', countyName: 'Oslo', watch: true });
    expect(slacks().map((r) => JSON.parse(r.raw))).toEqual([
      { text: expect.stringMatching(/^Nytt varsel kl\. \d\d:\d\d: Bergen \(4601\) – stanset\.\nÅrsak: /) },
      { text: expect.stringMatching(/^Varsel løst kl\. \d\d:\d\d: Bergen \(4601\) – stanset\./) },
    ]);
    expect(smtp.messages[0]!.to).toEqual(['vakt@test.invalid']);
    expect(smtp.messages[0]!.raw).toMatch(/^Subject: =\?UTF-8\?|^Subject: Nytt varsel: Oslo \(0301\)/m);
    expect(smtp.messages[0]!.raw).toContain('X-Valgvakt-Delivery:');

    // More rounds send nothing again.
    await stack.sidecar.alertDispatcher!.runOnce();
    await stack.sidecar.alertDispatcher!.runOnce();
    expect([hooks().length, slacks().length, smtp.messages.length]).toEqual([3, 2, 1]);
    const log = await ops('GET', '/api/v1/ops/alert-deliveries');
    expect(log.status).toBe(200);
    expect(log.body.filter((d: { status: string }) => d.status === 'sent')).toHaveLength(6);
    expect(new Set(log.body.map((d: { channelId: number; seq: number }) => `${d.channelId}:${d.seq}`)).size).toBe(log.body.length);

    // A test from the console goes out at once and is logged.
    const test = await ops('POST', `/api/v1/ops/alert-channels/${slack.body.id}/test`);
    expect(test.body).toMatchObject({ ok: true, error: null, delivery: { event: 'test', status: 'sent', seq: null } });
    expect(JSON.parse(slacks().at(-1)!.raw)).toEqual({ text: 'Dette er et testvarsel fra Valgvakt. Kanalen er satt opp riktig.' });
  });

  it('sends nothing to a channel while it is off, and checks a changed target against its kind', async () => {
    const webhook = await ops('POST', '/api/v1/ops/alert-channels', { kind: 'webhook', name: 'Av og på', target: `${receiver.url}/off`, secret: 'sixteen-chars-secret' });
    const slack = await ops('POST', '/api/v1/ops/alert-channels', { kind: 'slack', name: 'Slack', target: `${receiver.url}/other`, enabled: false });
    created.push(webhook.body.id, slack.body.id);
    expect(webhook.body.secret).toBe('sixteen-chars-secret');
    expect((await ops('PATCH', `/api/v1/ops/alert-channels/${webhook.body.id}`, { target: 'mailto:x@example.no' })).body.issues).toEqual([{ field: 'target', reason: 'must be an http(s) URL' }]);
    expect((await ops('PATCH', `/api/v1/ops/alert-channels/${slack.body.id}`, { secret: 'sixteen-chars-secret' })).status).toBe(422);
    expect((await ops('PATCH', `/api/v1/ops/alert-channels/${webhook.body.id}`, {})).status).toBe(422);
    expect((await ops('PATCH', `/api/v1/ops/alert-channels/${webhook.body.id}`, { enabled: false })).body).toMatchObject({ enabled: false, hasSecret: true });

    const at = new Date(ELECTION_NIGHT.getTime() + 120_000);
    await transition(stack.database, '5001', 'counting', 'slow', at);
    await stack.sidecar.feed.waitFor(await findLatestSeq(stack.database.db, TEST_ELECTION_ID));
    await stack.sidecar.alertDispatcher!.runOnce();
    expect(receiver.received.filter((r) => r.path === '/off' || r.path === '/other')).toHaveLength(0);

    await ops('PATCH', `/api/v1/ops/alert-channels/${webhook.body.id}`, { enabled: true });
    await transition(stack.database, '5001', 'slow', 'stalled', at);
    await expect.poll(() => receiver.received.filter((r) => r.path === '/off').length, { timeout: 10_000 }).toBe(1);
    const [only] = receiver.received.filter((r) => r.path === '/off');
    expect(bodyOf(only!)).toMatchObject({ event: 'alert.updated', alert: { municipality: '5001', kind: 'stalled' } });
    expect(verifyWebhookSignature('sixteen-chars-secret', String(only!.headers['x-valgvakt-timestamp']), only!.raw, String(only!.headers['x-valgvakt-signature']))).toBe(true);
  });

  it('retries a receiver that is down with growing delays, never delays ingest, and delivers once it is back', async () => {
    const token = await stack.token('1103');
    const [first, second] = (await stack.database.db.district.findMany({ where: { municipality: { number: '1103' }, kind: 'election_day' }, orderBy: { number: 'asc' }, take: 2 })).map((d) => d.number);
    const timedPost = async (district: string) => {
      const started = performance.now();
      const accepted = await stack.postResult(token, makeResultReport({ municipality: '1103', district }));
      expect(accepted.status).toBe(201);
      return performance.now() - started;
    };
    // The same report with every channel well, for comparison.
    const baselineMs = await timedPost(first!);

    receiver.mode = 'hang';
    const webhook = await ops('POST', '/api/v1/ops/alert-channels', { kind: 'webhook', name: 'Nede', target: `${receiver.url}/down` });
    created.push(webhook.body.id);
    const before = receiver.attempts.length;
    await transition(stack.database, '1103', 'counting', 'stalled', ELECTION_NIGHT);
    // While the receiver hangs (each attempt times out after 1 s), reports are acknowledged as promptly as ever.
    await expect.poll(() => receiver.attempts.length - before, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    const ingestMs = await timedPost(second!);
    // Well under the hang of the send in flight (1 s): ingest does not wait for it.
    expect(ingestMs).toBeLessThan(800);

    // Now refusing (503): attempts keep coming, further and further apart.
    receiver.mode = 'down';
    await expect.poll(() => receiver.attempts.length - before, { timeout: 15_000 }).toBeGreaterThanOrEqual(5);
    const gaps = receiver.attempts.slice(before).slice(1).map((t, i) => t - receiver.attempts[before + i]!);
    const [delivery] = (await ops('GET', `/api/v1/ops/alert-deliveries?channel=${webhook.body.id}`)).body;
    expect(delivery).toMatchObject({ status: 'pending', lastError: expect.stringMatching(/HTTP 503|aborted|timeout/i) });
    expect(delivery.attempts).toBeGreaterThanOrEqual(4);
    const channel = (await ops('GET', '/api/v1/ops/alert-channels')).body.find((c: { id: number }) => c.id === webhook.body.id);
    expect(channel.queued).toBe(1);

    receiver.mode = 'ok';
    await expect.poll(() => receiver.received.filter((r) => r.path === '/down').length, { timeout: 10_000 }).toBe(1);
    await stack.sidecar.alertDispatcher!.runOnce();
    expect(receiver.received.filter((r) => r.path === '/down')).toHaveLength(1);
    const metrics = await (await fetch(`${stack.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^valgvakt_alert_deliveries_total\{kind="webhook",outcome="retry"\} ([5-9]|\d\d+)$/m);
    expect(metrics).toMatch(/^valgvakt_alert_deliveries_total\{kind="webhook",outcome="sent"\} \d+$/m);
    console.info(`alerts: ingest acknowledged in ${ingestMs.toFixed(0)} ms while the channel hung (${baselineMs.toFixed(0)} ms before); gaps between attempts ${gaps.join(', ')} ms`);
  });
});

describe('a leader take-over on PostgreSQL', () => {
  let server: { url: string; drop: () => Promise<void> };
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const nodes: Array<{ sidecar: Sidecar; database: Database; closed: boolean }> = [];

  beforeAll(async () => {
    server = await createSeededServerDatabase();
    receiver = await startReceiver();
  });
  afterAll(async () => {
    for (const node of nodes) {
      if (!node.closed) await node.sidecar.close();
      await node.database.close();
    }
    await receiver?.close();
    await server?.drop();
  });

  async function startNodeSidecar(): Promise<{ sidecar: Sidecar; database: Database; closed: boolean }> {
    const database = await openDatabase({ databaseUrl: server.url });
    const sidecar = await createSidecar({
      db: database.db, clock: createFixedClock(ELECTION_NIGHT), logger: silent, electionId: TEST_ELECTION_ID, corsOrigins: true, databaseKind: 'server',
      leadership: createAdvisoryLockLeadership({ connectionString: server.url, electionId: TEST_ELECTION_ID, logger: silent, intervalMs: 200 }),
      commitListener: createCommitListener({ connectionString: server.url, electionId: TEST_ELECTION_ID, logger: silent }),
      alerts: FAST,
    });
    await sidecar.listen(0);
    const node = { sidecar, database, closed: false };
    nodes.push(node);
    return node;
  }

  it('has the new leader send what was queued and written meanwhile, each once', async () => {
    const first = await startNodeSidecar();
    await expect.poll(() => first.sidecar.leadership.isLeader(), { timeout: 5000 }).toBe(true);
    const second = await startNodeSidecar();
    const ops = opsClient(`http://127.0.0.1:${(second.sidecar.app.server.address() as AddressInfo).port}`, await operatorToken(second.database));
    const channel = await ops('POST', '/api/v1/ops/alert-channels', { kind: 'webhook', name: 'Desken', target: `${receiver.url}/hook` });
    expect(channel.status).toBe(201);

    // 1: delivered by the first leader.
    await transition(first.database, '4601', 'counting', 'stalled', ELECTION_NIGHT);
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(1);
    // 2: queued by the first leader while the receiver is down, not delivered.
    receiver.mode = 'down';
    await transition(first.database, '0301', 'counting', 'backlog', ELECTION_NIGHT);
    await expect.poll(() => receiver.attempts.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    // The leader stops; 3 is written while no one leads (the second node has not yet taken over).
    await first.sidecar.close();
    first.closed = true;
    await transition(second.database, '1103', 'counting', 'slow', ELECTION_NIGHT);
    receiver.mode = 'ok';
    await expect.poll(() => second.sidecar.leadership.isLeader(), { timeout: 5000 }).toBe(true);
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(3);
    // 4: after the take-over.
    await transition(second.database, '4601', 'stalled', 'counting', ELECTION_NIGHT);
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(4);
    await second.sidecar.alertDispatcher!.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 500));

    const seen = receiver.received.map((r) => [bodyOf(r).event, bodyOf(r).alert?.municipality]);
    expect(seen).toEqual([['alert.raised', '4601'], ['alert.raised', '0301'], ['alert.raised', '1103'], ['alert.resolved', '4601']]);
    expect(new Set(receiver.received.map((r) => r.headers['x-valgvakt-delivery'])).size).toBe(4);
    const rows = await second.database.db.alertDelivery.findMany({ where: { channelId: channel.body.id } });
    expect(rows.map((row) => row.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
  });

  it('holds a claimed delivery for its lease (a dispatcher that died mid-send), then hands it out again; re-queueing adds nothing', async () => {
    // No dispatcher runs now: this test is the dispatcher, with its own clock.
    for (const node of nodes.filter((n) => !n.closed)) {
      await node.sidecar.close();
      node.closed = true;
    }
    const { db } = nodes[0]!.database;
    const channel = await db.alertChannel.create({ data: { name: 'Lease', kind: 'webhook', target: `${receiver.url}/lease`, secret: 'a-secret-of-sixteen', createdBy: 'test' } });
    await transition(nodes[0]!.database, '5001', 'counting', 'stalled', ELECTION_NIGHT);
    const t0 = new Date();
    const onlyThis = (row: { id: number }) => row.id === channel.id;
    expect(await queueAlertDeliveries(db, TEST_ELECTION_ID, onlyThis, t0)).toEqual({ changes: 1, queued: 1 });

    const first = await claimDueDelivery(db, channel.id, t0, 1000);
    expect(first).toMatchObject({ attempts: 1, event: 'alert.raised', change: { kind: 'alert.raised', payload: { municipality: '5001' } } });
    // Its dispatcher "dies" here. Within the lease nobody may send it (and nothing behind it: first in, first out).
    expect(await claimDueDelivery(db, channel.id, new Date(t0.getTime() + 999), 1000)).toBeNull();
    const again = await claimDueDelivery(db, channel.id, new Date(t0.getTime() + 1000), 1000);
    expect(again).toMatchObject({ id: first!.id, attempts: 2 });

    // Re-reading the whole log queues each (channel, change) at most once: UNIQUE(channel, seq). The first
    // pass with every channel matching fills in the pairs the filters left out; the second finds nothing new.
    const rereadAll = async () => {
      await db.alertDispatchCursor.update({ where: { electionId: TEST_ELECTION_ID }, data: { seq: 0n } });
      return queueAlertDeliveries(db, TEST_ELECTION_ID, () => true, t0);
    };
    const pairs = async () => (await db.alertDelivery.findMany({ where: { seq: { not: null } }, select: { channelId: true, seq: true } })).map((r) => `${r.channelId}:${r.seq}`);
    const filled = await rereadAll();
    expect(filled.changes).toBe(5);
    const afterFirst = await pairs();
    expect(new Set(afterFirst).size).toBe(afterFirst.length);
    expect(afterFirst).toHaveLength(2 * 5);
    expect(await rereadAll()).toEqual({ changes: 5, queued: 0 });
    expect((await pairs()).sort()).toEqual(afterFirst.sort());
  });
});

describe('sidecar processes on PostgreSQL, the leader killed (SIGKILL)', () => {
  let server: { url: string; drop: () => Promise<void> };
  let database: Database;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const nodes: NodeProcess[] = [];
  const health = async (node: NodeProcess) => (await (await fetch(`${node.url}/healthz`)).json()) as { leader: boolean };
  const leaderOf = async (candidates: NodeProcess[]) => {
    const leaders = (await Promise.all(candidates.map(async (node) => ((await health(node)).leader ? node : null)))).filter((node) => node !== null);
    return leaders.length === 1 ? leaders[0] : undefined;
  };

  beforeAll(async () => {
    server = await createSeededServerDatabase();
    receiver = await startReceiver();
    database = await openDatabase({ databaseUrl: server.url });
    // No stall monitor: on the wall clock, years after this election night, it would stall everything.
    const env = {
      DATABASE_URL: server.url, SIDECAR_PORT: '0', SIDECAR_HOST: '127.0.0.1', SEED_ON_START: 'false', CLOCK_MODE: 'wall',
      STATE_MONITOR: 'false', SIDECAR_LIVE_PROCESSES: '1', LOG_LEVEL: 'info', ALERT_DISPATCH: 'true',
    };
    nodes.push(...(await Promise.all(['a', 'b'].map((name) => startNode(name, env)))));
    for (let tries = 0; !(await leaderOf(nodes)); tries++) {
      if (tries > 200) throw new Error('no node became the leader');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 120_000);
  afterAll(async () => {
    await Promise.all([...spawned].map((child) => new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    })));
    await receiver?.close();
    await database?.close();
    await server?.drop();
  });

  it('sends what the dead leader queued and what was written after, each once, from the heir', async () => {
    await database.db.alertChannel.create({ data: { name: 'Desken', kind: 'webhook', target: `${receiver.url}/hook`, secret: 'a-secret-of-sixteen', createdBy: 'test' } });
    const leader = (await leaderOf(nodes))!;
    const [heir] = nodes.filter((node) => node !== leader) as [NodeProcess];

    await transition(database, '4601', 'counting', 'stalled', ELECTION_NIGHT);
    await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBe(1);
    receiver.mode = 'down';
    await transition(database, '0301', 'counting', 'backlog', ELECTION_NIGHT);
    await expect.poll(() => receiver.attempts.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);

    const killedAt = Date.now();
    await leader.kill();
    await transition(database, '1103', 'counting', 'slow', ELECTION_NIGHT);
    receiver.mode = 'ok';
    await expect.poll(async () => (await health(heir)).leader, { timeout: 15_000, interval: 100 }).toBe(true);
    // The backlog's retry may be a few seconds off (backoff); a send cut off by the kill would wait for its 30-s lease.
    await expect.poll(() => receiver.received.length, { timeout: 45_000, interval: 200 }).toBe(3);
    const deliveredMs = Date.now() - killedAt;
    await new Promise((resolve) => setTimeout(resolve, 1500));

    expect(receiver.received.map((r) => [bodyOf(r).event, bodyOf(r).alert?.municipality])).toEqual([['alert.raised', '4601'], ['alert.raised', '0301'], ['alert.raised', '1103']]);
    expect(new Set(receiver.received.map((r) => r.headers['x-valgvakt-delivery'])).size).toBe(3);
    for (const request of receiver.received) {
      expect(verifyWebhookSignature('a-secret-of-sixteen', String(request.headers['x-valgvakt-timestamp']), request.raw, String(request.headers['x-valgvakt-signature']))).toBe(true);
    }
    expect((await database.db.alertDelivery.findMany({ orderBy: { id: 'asc' } })).map((row) => row.status)).toEqual(['sent', 'sent', 'sent']);
    console.info(`alerts: leader killed; the heir delivered the queued and the new alert within ${deliveredMs} ms`);
  });
});
