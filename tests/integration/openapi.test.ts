// The published contract against the running sidecar: every route it registers is in the OpenAPI document
// and every documented route exists; what the routes really answer fits the documented schemas; the
// Socket.IO events documented in the AsyncAPI document are the ones a viewer receives, in that shape; and
// the reference page is self-contained.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { API_ROUTES } from '../../lib/contracts/api.ts';
import { LIVE_CLIENT_EVENTS, LIVE_SERVER_EVENTS } from '../../lib/contracts/events.ts';
import { ZApiError } from '../../lib/contracts/ingest.ts';
import { createOperator, createOperatorSession } from '../../db/operators.ts';
import { CLOCK_TOKEN, makeResultReport, nextEvent, nightIso, startTestStack, type TestStack } from './harness.ts';

type Json = Record<string, any>; // a parsed JSON document

const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z]+)/g, '{$1}');

function schemaOf(method: string, path: string, status: number): z.ZodType {
  const route = API_ROUTES.find((r) => r.method === method && r.path === path);
  const schema = route?.responses[status]?.schema;
  if (!schema) throw new Error(`${method} ${path} ${status} is not documented`);
  return schema;
}

describe('the published API contract', () => {
  let stack: TestStack;
  let openapi: Json;
  let operatorToken: string;

  beforeAll(async () => {
    // A simulated clock with a control token: PUT /api/v1/clock exists only then.
    stack = await startTestStack('pglite', { clock: 'simulated' });
    const response = await stack.getJson('/api/v1/openapi.json');
    expect(response.status).toBe(200);
    openapi = response.body;
    const operator = await createOperator(stack.database.db, 'vakt-api', 'correct horse battery staple');
    operatorToken = (await createOperatorSession(stack.database.db, operator.id, new Date())).token;
    // After the polls close, so counts are taken.
    const moved = await fetch(`${stack.baseUrl}/api/v1/clock`, { method: 'PUT', headers: { authorization: `Bearer ${CLOCK_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ at: nightIso('22:00') }) });
    expect(moved.status).toBe(200);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('is OpenAPI 3.1 and documents exactly the routes the sidecar registers, both ways', () => {
    expect(openapi.openapi).toBe('3.1.0');
    const registered = stack.sidecar.routes.map((r) => `${r.method} ${toOpenApiPath(r.url)}`).sort();
    const documented = Object.entries(openapi.paths as Json).flatMap(([path, item]) => Object.keys(item as Json).map((method) => `${method} ${path}`)).sort();
    expect(registered.filter((r) => !documented.includes(r)), 'registered but not documented').toEqual([]);
    expect(documented.filter((d) => !registered.includes(d)), 'documented but not registered').toEqual([]);
    expect(documented.length).toBeGreaterThanOrEqual(24);
  });

  it('resolves every $ref and describes every refusal with the one error shape', () => {
    const refs: string[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref' && typeof value === 'string') refs.push(value);
          else walk(value);
        }
      }
    };
    walk(openapi);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const target = ref.replace(/^#\//, '').split('/').reduce<unknown>((node, key) => (node as Json | undefined)?.[key], openapi);
      expect(target, ref).toBeDefined();
    }
    for (const [path, item] of Object.entries(openapi.paths as Json)) {
      for (const [method, operation] of Object.entries(item as Json)) {
        for (const [status, response] of Object.entries((operation as Json).responses as Json)) {
          if (status.startsWith('4')) expect([method, path, status, (response as Json).content?.['application/json']?.schema]).toEqual([method, path, status, { $ref: '#/components/schemas/ApiError' }]);
        }
      }
    }
  });

  it('answers what it documents: real responses fit the documented schemas', async () => {
    const reads: Array<[string, string, string]> = [
      ['/api/v1/snapshot', 'get', '/api/v1/snapshot'],
      ['/api/v1/counties/46', 'get', '/api/v1/counties/{number}'],
      ['/api/v1/municipalities/0301', 'get', '/api/v1/municipalities/{number}'],
      ['/api/v1/export/municipalities.json?county=03', 'get', '/api/v1/export/{file}'],
      ['/api/v1/export/districts.json?municipality=0301', 'get', '/api/v1/export/{file}'],
      ['/api/v1/export/parties.json', 'get', '/api/v1/export/{file}'],
      ['/api/v1/changes?limit=5', 'get', '/api/v1/changes'],
      ['/api/v1/clock', 'get', '/api/v1/clock'],
      ['/healthz', 'get', '/healthz'],
    ];
    // Something in the log, so the answers are not empty.
    const token = await stack.token('0301');
    expect((await stack.postResult(token, makeResultReport({ municipality: '0301', district: '0305' }))).status).toBe(201);
    await stack.settle();
    for (const [url, method, path] of reads) {
      const response = await stack.getJson(url);
      expect([url, response.status]).toEqual([url, 200]);
      const parsed = schemaOf(method, path, 200).safeParse(response.body);
      expect([url, parsed.error?.issues ?? []]).toEqual([url, []]);
    }
    const withOperator = { authorization: `Bearer ${operatorToken}` };
    for (const [url, path] of [['/api/v1/ops/board', '/api/v1/ops/board'], ['/api/v1/ops/me', '/api/v1/ops/me'], ['/api/v1/ops/municipalities/0301/timeline', '/api/v1/ops/municipalities/{number}/timeline']] as const) {
      const response = await stack.getJson(url, withOperator);
      expect([url, response.status]).toEqual([url, 200]);
      expect([url, schemaOf('get', path, 200).safeParse(response.body).error?.issues ?? []]).toEqual([url, []]);
    }
    const clock = await fetch(`${stack.baseUrl}/api/v1/clock`, { method: 'PUT', headers: { authorization: `Bearer ${CLOCK_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ speed: 1 }) });
    expect(schemaOf('put', '/api/v1/clock', 200).safeParse(await clock.json()).success).toBe(true);
  });

  it('refuses with a documented status and the documented error shape', async () => {
    const refusals: Array<[string, RequestInit, string, string]> = [
      ['/api/v1/municipalities/9999', {}, 'get', '/api/v1/municipalities/{number}'],
      ['/api/v1/counties/4', {}, 'get', '/api/v1/counties/{number}'],
      ['/api/v1/export/votes.json', {}, 'get', '/api/v1/export/{file}'],
      ['/api/v1/changes?limit=0', {}, 'get', '/api/v1/changes'],
      ['/api/v1/results', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }, 'post', '/api/v1/results'],
      ['/api/v1/ops/board', {}, 'get', '/api/v1/ops/board'],
      ['/api/v1/ops/watchlist/0301', { method: 'PUT', headers: { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' }, body: '{}' }, 'put', '/api/v1/ops/watchlist/{number}'],
      ['/api/v1/ops/session', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }, 'post', '/api/v1/ops/session'],
    ];
    for (const [url, init, method, path] of refusals) {
      const response = await fetch(`${stack.baseUrl}${url}`, init);
      const documented = Object.keys(openapi.paths[path][method].responses);
      expect([url, documented]).toEqual([url, expect.arrayContaining([String(response.status)])]);
      expect([url, ZApiError.safeParse(await response.json()).success]).toEqual([url, true]);
    }
  });

  it('documents the Socket.IO events a viewer receives, in the shape it receives them', async () => {
    const asyncapi = (await stack.getJson('/api/v1/asyncapi.json')).body as Json;
    expect(asyncapi.asyncapi).toBe('3.0.0');
    expect(Object.keys(asyncapi.channels.live.messages).sort()).toEqual(['municipality:join', 'municipality:leave', 'municipality:updated', 'overview:catch-up', 'overview:patch', 'overview:updated', 'sync:check']);
    expect(Object.keys(asyncapi.channels.ops.messages)).toEqual(['board:updated']);
    const full = await stack.viewer();
    const compact = await stack.viewer({ overview: 'compact' });
    await full.timeout(5000).emitWithAck('municipality:join', { number: '0301' });
    const updated = nextEvent(full, 'overview:updated');
    const patched = nextEvent(compact, 'overview:patch');
    const detail = nextEvent(full, 'municipality:updated');
    const token = await stack.token('0301');
    expect((await stack.postResult(token, makeResultReport({ municipality: '0301', district: '0401' }))).status).toBe(201);
    expect(LIVE_SERVER_EVENTS['overview:updated'].payload.safeParse(await updated).error?.issues ?? []).toEqual([]);
    expect(LIVE_SERVER_EVENTS['overview:patch'].payload.safeParse(await patched).error?.issues ?? []).toEqual([]);
    expect(LIVE_SERVER_EVENTS['municipality:updated'].payload.safeParse(await detail).error?.issues ?? []).toEqual([]);
    // The catch-up answers in the form of the connection's room.
    const catchUpAck = LIVE_CLIENT_EVENTS['overview:catch-up'].ack!;
    const fullCatchUp = await full.timeout(5000).emitWithAck('overview:catch-up', { seq: 0 });
    const compactCatchUp = await compact.timeout(5000).emitWithAck('overview:catch-up', { seq: 0 });
    expect(catchUpAck.safeParse(fullCatchUp).error?.issues ?? []).toEqual([]);
    expect(catchUpAck.safeParse(compactCatchUp).error?.issues ?? []).toEqual([]);
    expect([fullCatchUp.ok && fullCatchUp.form, compactCatchUp.ok && compactCatchUp.form]).toEqual(['full', 'compact']);
  });

  it('serves a readable reference page that needs nothing from elsewhere', async () => {
    const response = await fetch(`${stack.baseUrl}/api/v1/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-/);
    const html = await response.text();
    expect(html).not.toMatch(/<script|\ssrc=|https?:\/\/(?!localhost)[^"<\s]*\.(js|css)/i);
    for (const route of API_ROUTES) expect(html).toContain(`${route.method}</span> ${route.path.replace(/&/g, '&amp;')}`);
    for (const event of ['overview:patch', 'municipality:join', 'board:updated']) expect(html).toContain(event);
  });
});
