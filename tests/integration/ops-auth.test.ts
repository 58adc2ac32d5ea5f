// Operator authentication over real HTTP and a real Socket.IO client: sign-in, bearer sessions (expiry
// on the sidecar's clock, revocation, disabled operators), single-use socket tickets for /ops, and the
// `npm run operator` CLI against an embedded data folder the sidecar then opens.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hashToken } from '../../db/credentials.ts';
import { createOperator, createOperatorSession, disableOperator } from '../../db/operators.ts';
import { OPS_NAMESPACE } from '../../lib/contracts/ops.ts';
import { ELECTION_NIGHT, startTestStack, type TestStack } from './harness.ts';

const PASSWORD = 'correct horse battery staple';
const HOUR = 3600_000;

interface Answer { status: number; body: any; headers: Headers }

async function call(stack: TestStack, method: string, path: string, init: { token?: string; body?: unknown } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${stack.baseUrl}${path}`, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

const signIn = (stack: TestStack, name: string, password: string) => call(stack, 'POST', '/api/v1/ops/session', { body: { name, password } });

/** Opens /ops with the given auth; resolves with the socket once connected, or with the refusal's message. */
function openOps(stack: TestStack, auth?: Record<string, unknown>) {
  const socket = connect(`${stack.baseUrl}${OPS_NAMESPACE}`, { transports: ['websocket'], reconnection: false, ...(auth ? { auth } : {}) });
  return new Promise<{ connected: true; socket: typeof socket } | { connected: false; error: string }>((resolve) => {
    socket.once('connect', () => resolve({ connected: true, socket }));
    socket.once('connect_error', (error) => {
      socket.close();
      resolve({ connected: false, error: error.message });
    });
  });
}

describe('operator authentication on pglite', () => {
  let stack: TestStack;
  let operatorId: number;
  /** A session minted directly, so tests that are not about sign-in stay clear of its rate limit. */
  const session = async () => (await createOperatorSession(stack.database.db, operatorId, stack.clock.now())).token;

  beforeAll(async () => {
    stack = await startTestStack('pglite');
    operatorId = (await createOperator(stack.database.db, 'anna.ops', PASSWORD)).id;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('stores the password only as an argon2id hash', async () => {
    const row = await stack.database.db.operator.findUniqueOrThrow({ where: { name: 'anna.ops' } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain(PASSWORD);
    await expect(createOperator(stack.database.db, 'anna.ops', PASSWORD)).rejects.toThrow(/already exists/);
    await expect(createOperator(stack.database.db, 'Anna', PASSWORD)).rejects.toThrow(/operator name/);
    await expect(createOperator(stack.database.db, 'kari', 'too short')).rejects.toThrow(/at least 12/);
  });

  it('signs in with name and password, and the session token works as bearer', async () => {
    const answer = await signIn(stack, 'anna.ops', PASSWORD);
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ token: expect.stringMatching(/^vvops_[A-Za-z0-9_-]{43}$/), operator: { name: 'anna.ops' }, expiresAt: new Date(ELECTION_NIGHT.getTime() + 12 * HOUR).toISOString() });
    expect(answer.headers.get('cache-control')).toBe('no-store');
    // Only the token's SHA-256 is stored.
    const stored = await stack.database.db.operatorSession.findUnique({ where: { tokenHash: hashToken(answer.body.token) } });
    expect(stored?.operatorId).toBe(operatorId);

    const me = await call(stack, 'GET', '/api/v1/ops/me', { token: answer.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ operator: { name: 'anna.ops' }, expiresAt: answer.body.expiresAt });
  });

  it('answers a wrong password, an unknown name and a disabled operator alike', async () => {
    await createOperator(stack.database.db, 'ola', PASSWORD);
    await disableOperator(stack.database.db, 'ola');
    const answers = [await signIn(stack, 'anna.ops', `${PASSWORD}!`), await signIn(stack, 'nobody', PASSWORD), await signIn(stack, 'ola', PASSWORD)];
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual(answers[0]!.body);
    }
    expect(answers[0]!.body.error).toBe('invalid_credentials');

    const malformed = await call(stack, 'POST', '/api/v1/ops/session', { body: { name: 'anna.ops', password: PASSWORD, remember: true } });
    expect(malformed.status).toBe(422);
    expect(malformed.body.issues).toEqual([{ field: 'remember', reason: 'unknown field' }]);
  });

  it('refuses a missing, unknown, revoked or expired session and one of a disabled operator', async () => {
    const expectUnauthenticated = (answer: Answer) => {
      expect(answer.status).toBe(401);
      expect(answer.body.error).toBe('unauthenticated');
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
    };
    expectUnauthenticated(await call(stack, 'GET', '/api/v1/ops/me'));
    expectUnauthenticated(await call(stack, 'GET', '/api/v1/ops/me', { token: 'vvops_unknown' }));
    expectUnauthenticated(await call(stack, 'GET', '/api/v1/ops/me', { token: 'not-a-session' }));

    const revoked = await session();
    expect((await call(stack, 'DELETE', '/api/v1/ops/session', { token: revoked })).status).toBe(204);
    expectUnauthenticated(await call(stack, 'GET', '/api/v1/ops/me', { token: revoked }));

    const expiring = await session();
    try {
      stack.setClock(new Date(ELECTION_NIGHT.getTime() + 12 * HOUR - 1));
      expect((await call(stack, 'GET', '/api/v1/ops/me', { token: expiring })).status).toBe(200);
      stack.setClock(new Date(ELECTION_NIGHT.getTime() + 12 * HOUR));
      expectUnauthenticated(await call(stack, 'GET', '/api/v1/ops/me', { token: expiring }));
    } finally {
      stack.setClock(ELECTION_NIGHT);
    }

    const kari = await createOperator(stack.database.db, 'kari', PASSWORD);
    const kariSession = (await createOperatorSession(stack.database.db, kari.id, ELECTION_NIGHT)).token;
    expect((await call(stack, 'GET', '/api/v1/ops/me', { token: kariSession })).status).toBe(200);
    await disableOperator(stack.database.db, 'kari');
    expectUnauthenticated(await call(stack, 'GET', '/api/v1/ops/me', { token: kariSession }));
  });

  it('signs out only the session it is called with', async () => {
    const [first, second] = [await session(), await session()];
    const signedOut = await call(stack, 'DELETE', '/api/v1/ops/session', { token: first });
    expect(signedOut.status).toBe(204);
    expect(signedOut.body).toBeNull();
    const row = await stack.database.db.operatorSession.findUnique({ where: { tokenHash: hashToken(first) } });
    expect(row?.revokedAt).toEqual(ELECTION_NIGHT);
    expect((await call(stack, 'GET', '/api/v1/ops/me', { token: first })).status).toBe(401);
    expect((await call(stack, 'DELETE', '/api/v1/ops/session', { token: first })).status).toBe(401);
    expect((await call(stack, 'GET', '/api/v1/ops/me', { token: second })).status).toBe(200);
  });

  it('opens /ops only with a fresh, unused socket ticket', async () => {
    const token = await session();
    expect(await openOps(stack)).toEqual({ connected: false, error: 'unauthorized' });
    expect(await openOps(stack, { ticket: 'made-up' })).toEqual({ connected: false, error: 'unauthorized' });
    expect((await call(stack, 'POST', '/api/v1/ops/socket-ticket')).status).toBe(401);

    const issued = await call(stack, 'POST', '/api/v1/ops/socket-ticket', { token });
    expect(issued.status).toBe(200);
    expect(issued.body).toEqual({ ticket: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/), expiresAt: expect.any(String) });
    const opened = await openOps(stack, { ticket: issued.body.ticket });
    if (!opened.connected) throw new Error(`refused: ${opened.error}`);
    try {
      const [server] = await stack.sidecar.ops.in('ops').fetchSockets();
      expect(server?.id).toBe(opened.socket.id);
      expect(server?.data.operator).toBe('anna.ops');
    } finally {
      opened.socket.close();
    }
    // Single use.
    expect(await openOps(stack, { ticket: issued.body.ticket })).toEqual({ connected: false, error: 'unauthorized' });

    // Expired: a ticket lives 60 s of wall-clock time (the sidecar runs in this process).
    const late = await call(stack, 'POST', '/api/v1/ops/socket-ticket', { token });
    const realNow = Date.now.bind(Date);
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + 61_000);
    try {
      expect(await openOps(stack, { ticket: late.body.ticket })).toEqual({ connected: false, error: 'unauthorized' });
    } finally {
      spy.mockRestore();
    }

    // Signing out voids the session's outstanding tickets.
    const orphan = await call(stack, 'POST', '/api/v1/ops/socket-ticket', { token });
    await call(stack, 'DELETE', '/api/v1/ops/session', { token });
    expect(await openOps(stack, { ticket: orphan.body.ticket })).toEqual({ connected: false, error: 'unauthorized' });
  });

  // Last: it uses up this address's sign-in allowance for the minute.
  it('rate-limits sign-in attempts per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11 && !statuses.includes(429); i++) statuses.push((await signIn(stack, 'anna.ops', `guess ${i} guess ${i}`)).status);
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, -1).every((s) => s === 401)).toBe(true);
    const blocked = await signIn(stack, 'anna.ops', PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toBe('rate_limited');
  });
});

describe('npm run operator', () => {
  let dataDir: string;
  const cliTimeout = 120_000;

  /** Runs the CLI as `npm run operator` would, on an embedded database under dataDir. */
  function runCli(args: string[], stdin?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
    delete env.DATABASE_URL;
    const child = spawn(join('node_modules', '.bin', 'tsx'), ['scripts/operator.ts', ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.stdin.end(stdin ?? '');
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'valgvakt-operator-cli-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses bad usage, names and passwords before touching the database', async () => {
    expect((await runCli([])).code).toBe(2);
    expect((await runCli(['add'])).code).toBe(2);
    const shortPassword = await runCli(['add', 'per'], 'short\n');
    expect(shortPassword.code).toBe(1);
    expect(shortPassword.stderr).toMatch(/at least 12 characters/);
    const badName = await runCli(['add', 'Per Olsen'], `${PASSWORD}\n`);
    expect(badName.code).toBe(1);
    expect(badName.stderr).toMatch(/operator name/);
  }, cliTimeout);

  it('adds operators (piped or generated password), lists them, and the sidecar signs them in', async () => {
    const added = await runCli(['add', 'per'], `${PASSWORD}\nignored second line\n`);
    expect(added.stderr).toMatch(/operator "per" created/);
    expect(added.code).toBe(0);
    expect((await runCli(['add', 'per'], `${PASSWORD}\n`)).code).toBe(1);

    const generated = await runCli(['add', 'siri', '--generate']);
    expect(generated.code).toBe(0);
    const siriPassword = generated.stdout.trim();
    expect(siriPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);

    const listed = await runCli(['list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^per\s+active/m);
    expect(listed.stdout).toMatch(/^siri\s+active/m);

    const stack = await startTestStack('pglite', { dataDir: join(dataDir, 'pglite') });
    try {
      expect((await signIn(stack, 'per', PASSWORD)).status).toBe(201);
      expect((await signIn(stack, 'siri', siriPassword)).status).toBe(201);
    } finally {
      await stack.close();
    }

    expect((await runCli(['disable', 'siri'])).code).toBe(0);
    expect((await runCli(['disable', 'nobody'])).code).toBe(1);
    expect((await runCli(['list'])).stdout).toMatch(/^siri\s+disabled/m);
  }, 240_000);
});
