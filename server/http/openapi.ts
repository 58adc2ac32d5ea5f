// The published contract: an OpenAPI 3.1 document generated from the route table and zod contracts
// (lib/contracts/api.ts) with zod-openapi, an AsyncAPI 3.0 document of the Socket.IO events generated from
// the typed event contracts (lib/contracts/events.ts) with zod's own z.toJSONSchema, and a reference page
// rendered from both here — self-contained HTML, no script, nothing fetched from elsewhere.
// zod-openapi (v6) rather than @asteasolutions/zod-to-openapi: it takes our zod 4 schemas as they are (zod's
// own JSON Schema conversion and `.meta()`), with no extending of zod's prototype and no registry to keep
// beside the contracts; both are maintained and support zod 4 and OpenAPI 3.1.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import { API_ROUTES, API_SECURITY, API_TAGS, type ApiRoute } from '../../lib/contracts/api.ts';
import { SOCKET_NAMESPACES } from '../../lib/contracts/events.ts';
import { ZApiError } from '../../lib/contracts/ingest.ts';
import { ZClockState } from '../../lib/contracts/clock.ts';
import { ZMunicipalityDetail, ZMunicipalitySummary, ZNationalTotals } from '../../lib/contracts/live.ts';
import { ZAlert, ZBoardRow } from '../../lib/contracts/ops.ts';

export const API_VERSION = '1';

function toOperation(route: ApiRoute): ZodOpenApiOperationObject {
  const responses: ZodOpenApiResponsesObject = {};
  for (const [status, answer] of Object.entries(route.responses)) {
    // The route table's keys are HTTP status codes as strings; zod-openapi types them as a template literal.
    responses[status as `${1 | 2 | 3 | 4 | 5}${string}`] = {
      description: answer.description,
      ...(answer.schema
        ? { content: { [answer.contentType ?? 'application/json']: { schema: answer.schema, ...(answer.example === undefined ? {} : { example: answer.example }) } } }
        : {}),
    };
  }
  return {
    operationId: `${route.method}${route.path.replace(/[{}]/g, '').split(/[/.-]/).map((p) => (p ? p.charAt(0).toUpperCase() + p.slice(1) : '')).join('')}`,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(route.security ? { security: [{ [route.security]: [] }] } : {}),
    ...(route.params || route.query ? { requestParams: { ...(route.params ? { path: route.params } : {}), ...(route.query ? { query: route.query } : {}) } } : {}),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: route.body.schema, example: route.body.example } } } } : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of every route in the table. */
export function buildOpenApiDocument(): ReturnType<typeof createDocument> {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of API_ROUTES) paths[route.path] = { ...paths[route.path], [route.method]: toOperation(route) };
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Valgvakt API',
      version: API_VERSION,
      description: 'Election-night results: the ingest API for municipal counting systems, public reads and exports, the revision log, '
        + 'the clock and the operations API. Every refusal has the shape ApiError { error, message, issues?: [{ field, reason }] }. '
        + 'The narrative, with curl examples, is docs/api.md; the Socket.IO events are in /api/v1/asyncapi.json.',
    },
    tags: Object.entries(API_TAGS).map(([name, description]) => ({ name, description })),
    paths,
    components: {
      securitySchemes: Object.fromEntries(Object.entries(API_SECURITY).map(([name, description]) => [name, { type: 'http', scheme: 'bearer', description }])),
      // Named once and referenced wherever they recur.
      schemas: { ApiError: ZApiError, ClockState: ZClockState, MunicipalitySummary: ZMunicipalitySummary, NationalTotals: ZNationalTotals, MunicipalityDetail: ZMunicipalityDetail, Alert: ZAlert, BoardRow: ZBoardRow },
    },
  });
}

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' });

/** The AsyncAPI 3.0 document of the Socket.IO namespaces: what the server sends, what clients may send. */
export function buildAsyncApiDocument(): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const namespace of SOCKET_NAMESPACES) {
    const channel = namespace.name.replace('/', '');
    const messages: Record<string, unknown> = {};
    for (const [event, doc] of Object.entries(namespace.serverEvents)) {
      messages[event] = { name: event, summary: doc.summary, payload: jsonSchema(doc.payload) };
      operations[`${channel}.${event}`] = { action: 'receive', channel: { $ref: `#/channels/${channel}` }, summary: `Server → client: ${event}`, messages: [{ $ref: `#/channels/${channel}/messages/${event}` }] };
    }
    for (const [event, doc] of Object.entries(namespace.clientEvents)) {
      messages[event] = { name: event, summary: doc.summary, payload: jsonSchema(doc.payload) };
      operations[`${channel}.${event}`] = {
        action: 'send', channel: { $ref: `#/channels/${channel}` }, summary: `Client → server: ${event}`, messages: [{ $ref: `#/channels/${channel}/messages/${event}` }],
        ...(doc.ack ? { reply: { payload: jsonSchema(doc.ack), description: 'The acknowledgement (Socket.IO ack callback)' } } : {}),
      };
    }
    channels[channel] = {
      address: namespace.name, description: namespace.summary, messages,
      ...(namespace.auth ? { bindings: { 'x-socketio': { handshakeAuth: jsonSchema(namespace.auth) } } } : {}),
    };
  }
  return {
    asyncapi: '3.0.0',
    info: { title: 'Valgvakt live events', version: API_VERSION, description: 'Socket.IO 4 over WebSocket only. Deltas carry (prevSeq, seq]: apply when prevSeq ≤ held < seq, ignore when seq ≤ held, otherwise fetch a snapshot (docs/api.md).' },
    defaultContentType: 'application/json',
    channels,
    operations,
  };
}

// ---- The reference page ----------------------------------------------------------------------------

// The pattern matches only the five keys of the table.
// The pattern matches only the five characters the table maps.
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const pretty = (value: unknown) => `<pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;
const anchor = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fff}main{max-width:60rem;margin:0 auto;padding:1rem 1.25rem 4rem}
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:2px solid #ddd}h3{font-size:1.05rem;margin:1.75rem 0 .25rem;font-family:ui-monospace,monospace}
.m{display:inline-block;min-width:4.2em;padding:0 .35em;border-radius:3px;color:#fff;background:#444;text-transform:uppercase;font-size:.85em;text-align:center}
.get{background:#1f6f43}.post{background:#1d4f91}.put{background:#8a5a00}.delete{background:#a1262c}.receive{background:#1f6f43}.send{background:#1d4f91}
pre{background:#f5f5f5;padding:.5rem .75rem;overflow:auto;font-size:.85em;max-height:28rem}table{border-collapse:collapse;margin:.25rem 0}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
td{overflow-wrap:anywhere}code{font-family:ui-monospace,monospace}details{margin:.25rem 0}summary{cursor:pointer}nav ul{columns:2 20rem}.muted{color:#555}`;
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

// The reference page walks the generated OpenAPI and AsyncAPI documents, whose shape zod-to-JSON-schema
// does not type: Json stands for that.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- walking a generated JSON document

function renderOperation(path: string, method: string, operation: Json): string {
  const parts = [`<section id="${anchor(`${method} ${path}`)}"><h3><span class="m ${method}">${method}</span> ${escapeHtml(path)}</h3>`];
  parts.push(`<p>${escapeHtml(operation.summary ?? '')}</p>`);
  if (operation.description) parts.push(`<p class="muted">${escapeHtml(operation.description)}</p>`);
  if (operation.security) parts.push(`<p>Requires <code>Authorization: Bearer</code> — ${escapeHtml(Object.keys(operation.security[0] ?? {}).join(', '))}.</p>`);
  const parameters: Json[] = operation.parameters ?? [];
  if (parameters.length > 0) {
    parts.push('<table><thead><tr><th>parameter</th><th>in</th><th>schema</th><th>description</th></tr></thead><tbody>');
    for (const p of parameters) parts.push(`<tr><td><code>${escapeHtml(p.name)}</code>${p.required ? ' *' : ''}</td><td>${escapeHtml(p.in)}</td><td><code>${escapeHtml(JSON.stringify(p.schema))}</code></td><td>${escapeHtml(p.description ?? '')}</td></tr>`);
    parts.push('</tbody></table>');
  }
  const body = operation.requestBody?.content?.['application/json'];
  if (body) {
    parts.push('<h4>Request body (application/json)</h4>');
    if (body.example !== undefined) parts.push(pretty(body.example));
    parts.push(`<details><summary>Schema</summary>${pretty(body.schema)}</details>`);
  }
  parts.push('<h4>Responses</h4>');
  for (const [status, response] of Object.entries<Json>(operation.responses)) {
    const [type, media]: [string?, Json?] = Object.entries<Json>(response.content ?? {})[0] ?? [];
    parts.push(`<p><strong>${escapeHtml(status)}</strong> ${escapeHtml(response.description)}${type ? ` <code>${escapeHtml(type)}</code>` : ''}</p>`);
    if (media?.example !== undefined) parts.push(pretty(media.example));
    if (media?.schema && !(media.schema.$ref === '#/components/schemas/ApiError')) parts.push(`<details><summary>Schema</summary>${pretty(media.schema)}</details>`);
  }
  parts.push('</section>');
  return parts.join('\n');
}

function tagDescription(tag: string): string {
  return Object.entries(API_TAGS).find(([name]) => name === tag)?.[1] ?? '';
}

/** One page with every route (by tag) and every Socket.IO event, from the two documents. */
export function renderReferencePage(openapi: Json, asyncapi: Json): string {
  const byTag = new Map<string, string[]>();
  const index = new Map<string, string[]>();
  for (const [path, item] of Object.entries<Json>(openapi.paths)) {
    for (const [method, operation] of Object.entries<Json>(item)) {
      const tag: string = operation.tags?.[0] ?? 'other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), renderOperation(path, method, operation)]);
      index.set(tag, [...(index.get(tag) ?? []), `<li><a href="#${anchor(`${method} ${path}`)}"><span class="m ${method}">${method}</span> ${escapeHtml(path)}</a></li>`]);
    }
  }
  const tags: string[] = openapi.tags.map((t: Json) => t.name);
  const sections = tags.filter((t) => byTag.has(t)).map((tag) => `<h2 id="tag-${tag}">${escapeHtml(tag)}</h2><p class="muted">${escapeHtml(tagDescription(tag))}</p>${(byTag.get(tag) ?? []).join('\n')}`);
  const events: string[] = [];
  for (const [name, channel] of Object.entries<Json>(asyncapi.channels)) {
    events.push(`<h3>Namespace <code>${escapeHtml(channel.address)}</code></h3><p>${escapeHtml(channel.description)}</p>`);
    const handshake = channel.bindings?.['x-socketio']?.handshakeAuth;
    if (handshake) events.push(`<details><summary>Handshake auth</summary>${pretty(handshake)}</details>`);
    for (const [event, message] of Object.entries<Json>(channel.messages)) {
      const operation: Json = asyncapi.operations[`${name}.${event}`];
      events.push(`<section id="${anchor(`event ${name} ${event}`)}"><h3><span class="m ${operation.action}">${operation.action === 'receive' ? 'server' : 'client'}</span> ${escapeHtml(event)}</h3><p>${escapeHtml(message.summary)}</p>`
        + `<details><summary>Payload schema</summary>${pretty(message.payload)}</details>`
        + (operation.reply ? `<details><summary>Acknowledgement schema</summary>${pretty(operation.reply.payload)}</details>` : '') + '</section>');
    }
  }
  const schemas = Object.entries<Json>(openapi.components?.schemas ?? {}).map(([name, schema]) => `<section id="schema-${anchor(name)}"><h3>${escapeHtml(name)}</h3>${pretty(schema)}</section>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Valgvakt API reference</title><style>${STYLE}</style></head>
<body><main>
<h1>Valgvakt API reference</h1>
<p>Generated from the zod contracts. Machine-readable: <a href="/api/v1/openapi.json">OpenAPI 3.1</a> (HTTP) and <a href="/api/v1/asyncapi.json">AsyncAPI 3.0</a> (Socket.IO).
Every refusal is <code>{ error, message, issues?: [{ field, reason }] }</code>.</p>
<nav aria-label="Routes">${tags.filter((t) => index.has(t)).map((t) => `<h2>${escapeHtml(t)}</h2><ul>${(index.get(t) ?? []).join('')}</ul>`).join('')}<p><a href="#events">Socket.IO events</a> · <a href="#schemas">Shared schemas</a></p></nav>
${sections.join('\n')}
<h2 id="events">Socket.IO events</h2>
<p class="muted">${escapeHtml(asyncapi.info.description)}</p>
${events.join('\n')}
<h2 id="schemas">Shared schemas</h2>
${schemas.join('\n')}
</main></body></html>`;
}

/** Serves the documents and the page; built once, at start-up (the contracts do not change while running). */
export function registerApiDocsRoutes(app: FastifyInstance): void {
  const openapi = buildOpenApiDocument();
  const asyncapi = buildAsyncApiDocument();
  const openapiJson = JSON.stringify(openapi);
  const asyncapiJson = JSON.stringify(asyncapi);
  const page = renderReferencePage(openapi, asyncapi);
  app.get('/api/v1/openapi.json', async (_request, reply) => reply.type('application/json; charset=utf-8').header('cache-control', 'public, max-age=300').send(openapiJson));
  app.get('/api/v1/asyncapi.json', async (_request, reply) => reply.type('application/json; charset=utf-8').header('cache-control', 'public, max-age=300').send(asyncapiJson));
  app.get('/api/v1/docs', async (_request, reply) => reply
    .type('text/html; charset=utf-8')
    .header('cache-control', 'public, max-age=300')
    // The sidecar's default policy allows nothing; this page needs exactly its one inline style sheet.
    .header('content-security-policy', `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; frame-ancestors 'none'`)
    .send(page));
}

/** Records every route as it is registered (HEAD and OPTIONS aside), for the check that the document covers them. */
export function recordRoutes(app: FastifyInstance): Array<{ method: string; url: string }> {
  const routes: Array<{ method: string; url: string }> = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD' && method !== 'OPTIONS') routes.push({ method: method.toLowerCase(), url: route.url });
    }
  });
  return routes;
}
