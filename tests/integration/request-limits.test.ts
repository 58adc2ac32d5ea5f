// Limits that cannot be used against the people they protect: sign-in per account at a real client
// address (the web console forwards its visitor's, trusted only from the configured proxies), ingest
// per credential whatever the header's spelling, and unknown or malformed tokens per address.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator } from '../../db/operators.ts';
import { SIGN_IN_PER_ACCOUNT_PER_MINUTE, SIGN_IN_PER_ADDRESS_PER_MINUTE } from '../../server/ops/auth.ts';
import { makeResultReport, nightIso, startTestStack, type TestStack } from './harness.ts';

const PASSWORD = 'correct horse battery staple';

async function post(stack: TestStack, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${stack.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

const signIn = (stack: TestStack, name: string, password: string, from?: string) =>
  post(stack, '/api/v1/ops/session', { name, password }, from ? { 'x-forwarded-for': from } : {});

describe('request limits on pglite (loopback peers trusted, the default)', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack('pglite', { sidecar: { ingestRateLimitPerMinute: 5, ingestUnauthenticatedRateLimitPerMinute: 8 } });
    await createOperator(stack.database.db, 'anna.ops', PASSWORD);
    await createOperator(stack.database.db, 'bjorn.ops', PASSWORD);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('limits wrong passwords per account at one address: the operator signs in from elsewhere, and others from there', async () => {
    const attacker = '203.0.113.7';
    const statuses: number[] = [];
    for (let i = 0; i <= SIGN_IN_PER_ACCOUNT_PER_MINUTE; i++) statuses.push((await signIn(stack, 'anna.ops', `guess number ${i}`, attacker)).status);
    expect(statuses.slice(0, SIGN_IN_PER_ACCOUNT_PER_MINUTE).every((s) => s === 401)).toBe(true);
    const blocked = await signIn(stack, 'anna.ops', PASSWORD, attacker);
    expect([statuses.at(-1), blocked.status]).toEqual([429, 429]);
    expect(blocked.body.error).toBe('rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Anna, at her own address (through the web console, which forwards it), is not locked out.
    expect((await signIn(stack, 'anna.ops', PASSWORD, '198.51.100.20')).status).toBe(201);
    // Nor is the console as a whole: another operator from the attacker's address still gets in.
    expect((await signIn(stack, 'bjorn.ops', PASSWORD, attacker)).status).toBe(201);
  });

  it('counts an IPv6 client by its /64, so rotating addresses inside it buys no fresh budget', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= SIGN_IN_PER_ACCOUNT_PER_MINUTE; i++) statuses.push((await signIn(stack, 'bjorn.ops', `guess number ${i}`, `2001:db8:77:1::${i + 1}`)).status);
    expect(statuses.at(-1)).toBe(429);
    expect((await signIn(stack, 'bjorn.ops', PASSWORD, '2001:db8:77:2::1')).status).toBe(201);
  });

  it('limits sign-ins per address across accounts (password spraying)', async () => {
    const sprayer = '203.0.113.99';
    const statuses: number[] = [];
    for (let i = 0; i <= SIGN_IN_PER_ADDRESS_PER_MINUTE; i++) statuses.push((await signIn(stack, `user${i}.ops`, 'spring2023 spring2023', sprayer)).status);
    expect(statuses.slice(0, SIGN_IN_PER_ADDRESS_PER_MINUTE).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    expect((await signIn(stack, 'anna.ops', PASSWORD, '198.51.100.21')).status).toBe(201);
  });

  it('limits ingest per credential, whatever the scheme\'s case or spacing', async () => {
    const token = await stack.token('0301');
    const spellings = [`Bearer ${token}`, `bearer ${token}`, `BEARER ${token}`, `Bearer   ${token}`, `  bEaReR ${token}  `, `Bearer\t${token}`];
    const statuses: number[] = [];
    for (const [i, authorization] of spellings.entries()) {
      const report = makeResultReport({ municipality: '0301', district: '0101', version: i + 1 });
      statuses.push((await post(stack, '/api/v1/results', report, { authorization })).status);
    }
    // Every spelling authenticates, and all share one budget of 5.
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    // Another credential of the same municipality has its own.
    const other = await stack.token('0301');
    expect((await post(stack, '/api/v1/results', makeResultReport({ municipality: '0301', district: '0102' }), { authorization: `Bearer ${other}` })).status).toBe(201);
  });

  it('limits unknown and malformed tokens per address, never a known token there', async () => {
    const from = '203.0.113.50';
    const headers = (authorization?: string) => ({ 'x-forwarded-for': from, ...(authorization ? { authorization } : {}) });
    const attempts = [undefined, 'Basic dXNlcjpwYXNz', 'Bearer', ...Array.from({ length: 5 }, () => `Bearer vv_0301_${randomBytes(32).toString('base64url')}`)];
    const statuses: number[] = [];
    for (const authorization of attempts) statuses.push((await post(stack, '/api/v1/status', {}, headers(authorization))).status);
    expect(statuses).toEqual(Array(8).fill(401));
    const over = await post(stack, '/api/v1/status', {}, headers(`Bearer vv_0301_${randomBytes(32).toString('base64url')}`));
    expect(over.status).toBe(429);
    expect(over.body.error).toBe('rate_limited');
    // A counting system with a real token at that address is not affected; other addresses neither.
    const token = await stack.token('4601');
    const valid = await post(stack, '/api/v1/status', { municipality: '4601', at: nightIso('21:50'), category: 'election_day', stage: 'preliminary', districts: [] }, { ...headers(`Bearer ${token}`) });
    expect(valid.status).toBe(201);
    expect((await post(stack, '/api/v1/status', {}, { 'x-forwarded-for': '203.0.113.51', authorization: 'Bearer nope' })).status).toBe(401);
  });
});

describe('request limits on pglite, trusting no proxy', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack('pglite', { sidecar: { trustProxy: false } });
    await createOperator(stack.database.db, 'anna.ops', PASSWORD);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('ignores X-Forwarded-For from an untrusted peer, so rotating it buys no fresh budget', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= SIGN_IN_PER_ACCOUNT_PER_MINUTE; i++) statuses.push((await signIn(stack, 'anna.ops', `guess number ${i}`, `198.18.0.${i}`)).status);
    expect(statuses.at(-1)).toBe(429);
  });
});
