// Generated hostile input against a real sidecar (embedded PGlite): wrong types, boundary numbers, odd
// dates, unicode, duplicated and prototype keys, huge and deeply nested bodies, wrong encodings and
// content types. Whatever a client sends, the answer is a 2xx or a 4xx in the API's error shape that
// names the field — never a 5xx, which counting systems would resend forever.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator } from '../../db/operators.ts';
import { ZApiError } from '../../lib/contracts/ingest.ts';
import { makeResultReport, makeStatusReport, startTestStack, TEST_NIGHT, type TestStack } from './harness.ts';

/** Election day of the served package: odd instants are written around its night. */
const DAY = TEST_NIGHT.electionDay;
const YEAR = DAY.slice(0, 4);

/** Values a careless or hostile client puts where a field belongs, weighted towards the edges. */
const edgeValue = fc.constantFrom<unknown>(
  2_147_483_647, 2_147_483_648, -2_147_483_649, 4_294_967_296, Number.MAX_SAFE_INTEGER, 1e300, -1e300, -0, 0.5, 0, -1,
  '', ' ', '0301', '0000', 'NaN', 'Infinity', '1e3', '0x10', '١٢٣٤', '\u0000', '\ud800', 'ø'.repeat(2000), '__proto__', 'constructor',
  '0000-01-01T00:00:00Z', '0001-09-11T21:05:00+02:00', '1900-09-11T21:05:00+02:00', '1969-12-31T23:59:59Z', '9999-12-31T23:59:59Z',
  '275760-09-13T00:00:00Z', `${DAY}T21:05:00+14:00`, `${DAY}T21:05:00-12:00`, `${YEAR}-02-30T12:00:00Z`, `${DAY}T21:05:60Z`,
  `${DAY}T21:05:00.123456789+02:00`, null, true, false, [], {}, [null], { $gt: '' }, { __proto__: null },
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: edgeValue },
  fc.integer({ min: -2_147_483_649 * 2, max: 2_147_483_648 * 2 }),
  fc.double(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.date({ min: new Date(-62_198_755_200_000), max: new Date(253_402_300_799_000), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.jsonValue({ maxDepth: 3 }),
);
const hostileKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', ' ', 'A\u0000', 'a'.repeat(41)), fc.string({ unit: 'grapheme', maxLength: 12 }));

type Mutation = { kind: 'set'; path: readonly string[]; value: unknown } | { kind: 'delete'; path: readonly string[] } | { kind: 'extra'; path: readonly string[]; key: string; value: unknown };

function mutate(body: Record<string, unknown>, mutations: Mutation[]): Record<string, unknown> {
  const copy = structuredClone(body);
  for (const m of mutations) {
    let target: Record<string, unknown> = copy;
    for (const key of m.path.slice(0, -1)) {
      const next = target[key];
      if (typeof next !== 'object' || next === null) break;
      target = next as Record<string, unknown>;
    }
    const last = m.path.at(-1)!;
    // defineProperty: a key like "__proto__" becomes an own property, as JSON.parse would make it.
    if (m.kind === 'set') Object.defineProperty(target, last, { value: m.value, enumerable: true, writable: true, configurable: true });
    else if (m.kind === 'delete') delete target[last];
    else Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

function mutations(paths: readonly (readonly string[])[]): fc.Arbitrary<Mutation[]> {
  const path = fc.constantFrom(...paths);
  return fc.array(fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('set' as const), path, value: hostileValue }) },
    fc.record({ kind: fc.constant('delete' as const), path }),
    fc.record({ kind: fc.constant('extra' as const), path: fc.constantFrom([''], ['ballots', ''], ['votes', '']), key: hostileKey, value: hostileValue }),
  ), { minLength: 1, maxLength: 3 });
}

/** Request bodies as bytes: the ways a body goes wrong below the JSON level. */
function rawVariants(valid: Record<string, unknown>): fc.Arbitrary<{ body: Buffer | string; contentType?: string }> {
  const text = JSON.stringify(valid);
  return fc.oneof(
    // A duplicated key: JSON.parse keeps the last, which must be judged like any other value.
    hostileValue.map((v) => ({ body: `${text.slice(0, -1)},"version":${JSON.stringify(v) ?? 'null'}}` })),
    // Beyond double precision, as text (JSON.parse rounds it).
    fc.constant({ body: `${text.slice(0, -1)},"version":9007199254740993}` }),
    fc.constant({ body: `{"__proto__":{"admin":true},${text.slice(1)}` }),
    fc.constant({ body: `{"constructor":{"prototype":{"admin":true}},${text.slice(1)}` }),
    fc.constant({ body: `${'['.repeat(30_000)}${']'.repeat(30_000)}` }),
    fc.constant({ body: `{"votes":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}` }),
    fc.constant({ body: JSON.stringify({ ...valid, votes: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`L${i}`, 1])) }) }),
    fc.constant({ body: 'x'.repeat(70_000) }),
    fc.constant({ body: Buffer.concat([Buffer.from(text.slice(0, 20)), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from(text.slice(20))]) }),
    fc.constant({ body: Buffer.from(`\ufeff${text}`, 'utf8') }),
    fc.constant({ body: Buffer.from(text, 'utf16le'), contentType: 'application/json; charset=utf-16' }),
    fc.constant({ body: Buffer.from(text, 'latin1'), contentType: 'application/json; charset=latin1' }),
    fc.constant({ body: text, contentType: 'text/plain' }),
    fc.constant({ body: text, contentType: 'application/x-www-form-urlencoded' }),
    fc.constant({ body: text, contentType: 'application/jsonx' }),
    fc.constant({ body: '', contentType: 'application/json' }),
    fc.constant({ body: 'null' }),
    fc.constant({ body: '"0301"' }),
    fc.constant({ body: '[]' }),
    fc.constant({ body: '1e999' }),
    fc.constant({ body: text.slice(0, -5) }),
    fc.string({ unit: 'binary', maxLength: 200 }).map((s) => ({ body: s })),
  );
}

function expectClientAnswer(status: number, body: unknown, what: string): void {
  expect(status, `${what} answered ${status}: ${JSON.stringify(body)}`).toBeLessThan(500);
  if (status < 400) return;
  const error = ZApiError.safeParse(body);
  expect(error.success, `${what}: ${status} without the error shape: ${JSON.stringify(body)}`).toBe(true);
  if (status === 422) {
    expect(error.data?.issues?.length, `${what}: 422 without issues`).toBeGreaterThan(0);
    for (const issue of error.data?.issues ?? []) expect(issue.field.length).toBeGreaterThan(0);
  }
}

async function send(url: string, init: { method: string; token?: string; body?: Buffer | string; contentType?: string }) {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = init.contentType ?? 'application/json';
  const body = typeof init.body === 'string' || init.body === undefined ? init.body : Uint8Array.from(init.body);
  const response = await fetch(url, { method: init.method, headers, body });
  const text = await response.text();
  let answer: unknown = text;
  try {
    answer = text ? JSON.parse(text) : null;
  } catch { /* left as text: the check above reports it */ }
  return { status: response.status, body: answer };
}

const RESULT_PATHS = [['municipality'], ['district'], ['category'], ['stage'], ['version'], ['countedAt'], ['ballots'], ['ballots', 'counted'], ['ballots', 'rejected'], ['ballots', 'blank'], ['votes'], ['votes', 'A'], ['votes', 'H']];
const STATUS_PATHS = [['municipality'], ['at'], ['category'], ['stage'], ['districts'], ['districts', '0']];
const RUNS = { results: 300, status: 150, raw: 200, ops: 150, reads: 150, socket: 200 };

describe('hostile input on pglite', () => {
  let stack: TestStack;
  let token: string;
  let session: string;
  let districts: string[];
  const ran: Record<string, number> = {};

  beforeAll(async () => {
    stack = await startTestStack('pglite');
    token = await stack.token('0301');
    districts = (await stack.getJson('/api/v1/municipalities/0301')).body.districts.map((d: { number: string }) => d.number).filter((n: string) => n !== '0000');
    await createOperator(stack.database.db, 'fuzz.ops', 'a long enough password');
    const signIn = await send(`${stack.baseUrl}/api/v1/ops/session`, { method: 'POST', body: JSON.stringify({ name: 'fuzz.ops', password: 'a long enough password' }) });
    session = (signIn.body as { token: string }).token;
  });
  afterAll(async () => {
    await stack?.close();
    const total = Object.values(ran).reduce((a, b) => a + b, 0);
    console.info(`hostile-input: ${total} generated requests (${Object.entries(ran).map(([k, v]) => `${k} ${v}`).join(', ')}), none answered 5xx`);
  });

  it('answers every mutated result report with a 2xx or a 4xx naming the field', async () => {
    let next = 0;
    await fc.assert(fc.asyncProperty(mutations(RESULT_PATHS), async (changes) => {
      ran.results = (ran.results ?? 0) + 1;
      // A fresh district each time, so a case reaches the database unless the mutation is refused first.
      const base = makeResultReport({ municipality: '0301', district: districts[next++ % districts.length]! }) as unknown as Record<string, unknown>;
      const { status, body } = await send(`${stack.baseUrl}/api/v1/results`, { method: 'POST', token, body: JSON.stringify(mutate(base, changes)) });
      expectClientAnswer(status, body, `results ${JSON.stringify(changes)}`);
    }), {
      numRuns: RUNS.results, seed: 20230911,
      // The values seen answering 500 before the contract bounded them, always tried first.
      examples: [
        [[{ kind: 'set', path: ['version'], value: 2_147_483_648 }]],
        [[{ kind: 'set', path: ['countedAt'], value: '0000-09-11T21:05:00+02:00' }]],
        [[{ kind: 'set', path: ['ballots', 'counted'], value: 2_147_483_648 }]],
      ],
    });
  });

  it('answers every mutated status report with a 2xx or a 4xx naming the field', async () => {
    await fc.assert(fc.asyncProperty(mutations(STATUS_PATHS), async (changes) => {
      ran.status = (ran.status ?? 0) + 1;
      const base = makeStatusReport({ municipality: '0301', districts: ['0101'] }) as unknown as Record<string, unknown>;
      const { status, body } = await send(`${stack.baseUrl}/api/v1/status`, { method: 'POST', token, body: JSON.stringify(mutate(base, changes)) });
      expectClientAnswer(status, body, `status ${JSON.stringify(changes)}`);
    }), { numRuns: RUNS.status, seed: 20230912, examples: [[[{ kind: 'set', path: ['at'], value: '0001-09-11T21:05:00+02:00' }]]] });
  });

  it('answers malformed bodies, encodings and content types with a 4xx', async () => {
    const valid = makeResultReport({ municipality: '0301', district: '0301' }) as unknown as Record<string, unknown>;
    await fc.assert(fc.asyncProperty(rawVariants(valid), fc.constantFrom('/api/v1/results', '/api/v1/status'), async (raw, route) => {
      ran.raw = (ran.raw ?? 0) + 1;
      const { status, body } = await send(`${stack.baseUrl}${route}`, { method: 'POST', token, ...raw });
      expectClientAnswer(status, body, `${route} raw ${String(raw.body).slice(0, 80)}`);
    }), { numRuns: RUNS.raw, seed: 20230913 });
  });

  it('answers hostile ids and bodies on the operators\' routes with a 4xx', async () => {
    const id = fc.oneof(fc.constantFrom('2147483648', '2147483647', '0', '-1', '1e3', '0x10', '1.5', '١٢', '%00', '9'.repeat(400), 'NaN'), fc.string({ unit: 'grapheme', maxLength: 12 }).map(encodeURIComponent));
    const ack = fc.record({ reasonCode: fc.oneof(fc.constant('other'), hostileValue), owner: fc.oneof(fc.constant('vakt'), hostileValue), expiresInMinutes: fc.oneof(fc.constant(30), hostileValue), text: hostileValue }, { requiredKeys: ['reasonCode', 'owner', 'expiresInMinutes'] });
    await fc.assert(fc.asyncProperty(id, ack, async (alertId, body) => {
      ran.ops = (ran.ops ?? 0) + 1;
      const answer = await send(`${stack.baseUrl}/api/v1/ops/alerts/${alertId}/ack`, { method: 'POST', token: session, body: JSON.stringify(body) });
      expectClientAnswer(answer.status, answer.body, `ack ${alertId} ${JSON.stringify(body)}`);
      const oversight = await send(`${stack.baseUrl}/api/v1/ops/municipalities/${alertId}/oversight`, { method: 'PUT', token: session, body: JSON.stringify({ publicNote: body.text }) });
      expectClientAnswer(oversight.status, oversight.body, `oversight ${alertId}`);
      for (const method of ['PUT', 'DELETE']) {
        const watch = await send(`${stack.baseUrl}/api/v1/ops/watchlist/${alertId}`, { method, token: session, body: JSON.stringify({ reason: body.text }) });
        expectClientAnswer(watch.status, watch.body, `watchlist ${method} ${alertId} ${JSON.stringify(body.text)}`);
      }
    }), { numRuns: RUNS.ops, seed: 20230914, examples: [['2147483648', { reasonCode: 'other', owner: 'vakt', expiresInMinutes: 30 }]] });
  });

  it('answers hostile socket commands with an acknowledgement, and stays up', async () => {
    // Ten connections in turn, so no one of them reaches its event budget.
    const viewers = await Promise.all(Array.from({ length: 10 }, () => stack.viewer()));
    let turn = 0;
    const payload = fc.oneof(hostileValue, fc.record({ number: hostileValue }), fc.record({ seq: hostileValue }));
    await fc.assert(fc.asyncProperty(fc.constantFrom('municipality:join', 'sync:check', 'municipality:leave'), payload, async (event, body) => {
      ran.socket = (ran.socket ?? 0) + 1;
      const viewer = viewers[turn++ % viewers.length]!;
      if (event === 'municipality:leave') {
        viewer.emit(event, body as never);
        return;
      }
      const answer = (await viewer.timeout(5000).emitWithAck(event as 'sync:check', body as never)) as { ok: boolean; error?: string };
      expect(typeof answer.ok).toBe('boolean');
      if (!answer.ok) expect(answer.error).toEqual(expect.any(String));
    }), { numRuns: RUNS.socket, seed: 20230916 });
    expect(viewers.every((v) => v.connected)).toBe(true);
    expect((await stack.getJson('/healthz')).status).toBe(200);
  });

  it('answers hostile paths and queries on the read API with a 2xx, 304 or 4xx', async () => {
    const piece = fc.oneof(fc.constantFrom('2147483648', '9'.repeat(40), '-1', '1e3', '0301', '46', '%00', '%ff', '..%2f..', 'a'.repeat(3000)), fc.string({ unit: 'grapheme', maxLength: 10 }).map(encodeURIComponent));
    const path = fc.oneof(
      piece.map((p) => `/api/v1/municipalities/${p}`),
      piece.map((p) => `/api/v1/counties/${p}`),
      fc.tuple(piece, piece, piece).map(([a, b, c]) => `/api/v1/changes?since=${a}&limit=${b}&municipality=${c}`),
      fc.tuple(piece, piece).map(([a, b]) => `/api/v1/changes?since=${a}&since=${b}`),
      fc.tuple(fc.constantFrom('municipalities', 'districts', 'parties', 'x'), fc.constantFrom('json', 'csv', 'xml'), piece).map(([k, f, p]) => `/api/v1/export/${k}.${f}?municipality=${p}&county=${p}`),
    );
    await fc.assert(fc.asyncProperty(path, async (p) => {
      ran.reads = (ran.reads ?? 0) + 1;
      const { status, body } = await send(`${stack.baseUrl}${p}`, { method: 'GET' });
      expectClientAnswer(status, body, `GET ${p}`);
    }), { numRuns: RUNS.reads, seed: 20230915 });
  });
});
