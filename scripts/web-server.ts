// Entry of the web process (`npm run start:web`): Next.js behind a Node HTTP server of our own, for two
// things `next start` cannot do. (1) Timeouts: a client that trickles its body or headers, or holds a
// connection silent, is cut off. (2) The visitor's real address: Next keeps a client-sent
// X-Forwarded-For as it is, so the console could not tell the sidecar who is signing in. Here the
// address is taken from the socket and the proxies TRUST_PROXY names, and handed to the app in a header
// that no client can set (any incoming one is replaced). (3) The public pages are rendered once for
// everyone — through loopback, without the visitor's cookies or headers — kept for a second, and served
// with validators and shared-cache headers, so one process and any CDN or nginx in front can take a
// national audience (lib/page-cache.ts decides; ARCHITECTURE.md "Public pages and the shared cache").
import { createHash, randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import proxyAddr from '@fastify/proxy-addr';
import next from 'next';
import { z } from 'zod';
import { CLIENT_ADDRESS_HEADER } from '../lib/contracts/ops-auth.ts';
import { decideLocaleRedirect } from '../lib/locale-routing.ts';
import {
  PUBLIC_PAGE_CACHE_CONTROL, PUBLIC_PAGE_VARY, RENDER_CACHE_ENTRIES, addScriptHashes, chooseContentCoding, classifyFreshness,
  computeCodingEtag, computePageCacheKey, decidePageCaching, isShareableStatus, listInlineScripts, matchesIfNoneMatch,
  normalizePageQuery, selectSharedHeaders, type ContentCoding,
} from '../lib/page-cache.ts';
import { parseTrustProxy } from '../server/config.ts';


const ZWebEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  WEB_HOST: z.string().default('0.0.0.0'),
  TRUST_PROXY: z.string().default('loopback'),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
  IDLE_TIMEOUT_MS: z.coerce.number().int().min(1000).default(120_000),
  // off: every load renders per request, privately, as `next start` would (the bench's baseline; debugging).
  PAGE_CACHE: z.enum(['on', 'off']).default('on'),
});

function argument(names: string[]): string | undefined {
  const index = process.argv.findIndex((arg) => names.includes(arg));
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const env = ZWebEnv.parse(process.env);
// `-p`/`-H` as with `next start`, so existing scripts keep working.
const port = Number(argument(['-p', '--port']) ?? env.PORT);
const host = argument(['-H', '--hostname']) ?? env.WEB_HOST;
const trusted = parseTrustProxy(env.TRUST_PROXY);
const trust = typeof trusted === 'boolean' ? () => trusted : typeof trusted === 'function' ? trusted : proxyAddr.compile(trusted);

// Tells app/_data that the client-address header comes from here (a plain `next start` leaves it unset,
// and the console then forwards nothing rather than a header a client could have written).
process.env.VALGVAKT_CLIENT_ADDRESS_HEADER = CLIENT_ADDRESS_HEADER;

// proxy.ts renders a page without a nonce only for requests carrying this (our own loopback renders).
const SHARED_RENDER_HEADER = 'x-valgvakt-shared-render';
const sharedRenderToken = randomBytes(24).toString('base64url');
process.env.VALGVAKT_SHARED_RENDER_TOKEN = sharedRenderToken;

const app = next({ dev: false, hostname: host, port });
await app.prepare();
const handle = app.getRequestHandler();

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

interface RenderedPage {
  status: number;
  headers: Record<string, string>;
  /** Hash of the uncompressed body: the ETag's root, one tag per coding. */
  hash: string;
  bodies: Record<ContentCoding, Buffer>;
  renderedAt: number;
}

const pages = new Map<string, RenderedPage>();
const rendering = new Map<string, Promise<RenderedPage | null>>();

function loopbackHost(): string {
  return host === '0.0.0.0' || host === '::' || host === 'localhost' ? '127.0.0.1' : host;
}

/** Renders a page as an anonymous visitor would get it: our own server, no cookies, no client headers. */
function renderThroughLoopback(path: string, pageHost: string, https: boolean): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> {
  const address = server.address();
  if (address === null || typeof address === 'string') return Promise.reject(new Error('web-server: not listening on a TCP port'));
  const { port: ownPort } = address;
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({
      host: loopbackHost(), port: ownPort, path, method: 'GET', timeout: 15_000,
      headers: { host: pageHost, 'x-forwarded-proto': https ? 'https' : 'http', 'accept-encoding': 'identity', [SHARED_RENDER_HEADER]: sharedRenderToken },
    }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 500, headers: incoming.headers, body: Buffer.concat(chunks) }));
      incoming.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error('render timed out')));
    outgoing.on('error', reject);
    outgoing.end();
  });
}

async function renderShared(key: string, path: string, pageHost: string, https: boolean): Promise<RenderedPage | null> {
  const { status, headers, body } = await renderThroughLoopback(path, pageHost, https);
  if (!isShareableStatus(status)) return null;
  const kept = selectSharedHeaders(headers);
  const html = body.toString('utf8');
  const policy = kept['content-security-policy'];
  if (policy !== undefined) {
    const hashes = listInlineScripts(html).map((script) => createHash('sha256').update(script, 'utf8').digest('base64'));
    kept['content-security-policy'] = addScriptHashes(policy, hashes);
  }
  const [gzipped, brotli] = await Promise.all([
    gzipAsync(body, { level: 9 }),
    brotliAsync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 9, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  ]);
  const page: RenderedPage = {
    status, headers: kept, hash: createHash('sha256').update(body).digest('base64url').slice(0, 27),
    bodies: { identity: body, gzip: gzipped, br: brotli }, renderedAt: Date.now(),
  };
  pages.delete(key);
  pages.set(key, page);
  // Oldest first out: a Map iterates in insertion order.
  while (pages.size > RENDER_CACHE_ENTRIES) pages.delete(pages.keys().next().value as string);
  return page;
}

/** One render per page at a time, however many visitors ask meanwhile. */
function refresh(key: string, path: string, pageHost: string, https: boolean): Promise<RenderedPage | null> {
  let running = rendering.get(key);
  if (!running) {
    running = renderShared(key, path, pageHost, https).catch(() => null).finally(() => rendering.delete(key));
    rendering.set(key, running);
  }
  return running;
}

function sendShared(request: IncomingMessage, response: ServerResponse, page: RenderedPage, cache: string): void {
  const coding = chooseContentCoding(request.headers['accept-encoding']);
  const etag = computeCodingEtag(page.hash, coding);
  const all = (['identity', 'gzip', 'br'] as const).map((c) => computeCodingEtag(page.hash, c));
  const common = {
    'cache-control': PUBLIC_PAGE_CACHE_CONTROL, vary: PUBLIC_PAGE_VARY, etag,
    age: String(Math.floor((Date.now() - page.renderedAt) / 1000)), 'x-valgvakt-page-cache': cache,
  };
  if (page.status === 200 && matchesIfNoneMatch(request.headers['if-none-match'], all)) {
    response.writeHead(304, common).end();
    return;
  }
  const body = page.bodies[coding];
  response.writeHead(page.status, {
    ...page.headers, ...common, 'content-length': String(body.length),
    ...(coding === 'identity' ? {} : { 'content-encoding': coding }),
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

async function handleShared(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
  const forwardedHost = request.headers['x-forwarded-host'];
  const pageHost = (Array.isArray(forwardedHost) ? forwardedHost[0] : forwardedHost) ?? request.headers.host ?? `127.0.0.1:${port}`;
  const proto = request.headers['x-forwarded-proto'];
  const https = (Array.isArray(proto) ? proto[0] : proto)?.split(',')[0]?.trim() === 'https';
  const key = computePageCacheKey({ https, host: pageHost, pathname: url.pathname, search: url.search });
  // Rendered with the query the key names, so the copy is exactly what the key says.
  const path = `${url.pathname}${normalizePageQuery(url.pathname, url.search)}`;
  const cached = pages.get(key);
  const freshness = cached ? classifyFreshness(Date.now() - cached.renderedAt) : 'expired';
  if (cached && freshness === 'fresh') {
    sendShared(request, response, cached, 'hit');
    return true;
  }
  if (cached && freshness === 'stale') {
    void refresh(key, path, pageHost, https);
    sendShared(request, response, cached, 'stale');
    return true;
  }
  const page = await refresh(key, path, pageHost, https);
  if (!page) return false;
  sendShared(request, response, page, 'miss');
  return true;
}

const server = createServer({
  requestTimeout: env.REQUEST_TIMEOUT_MS,
  headersTimeout: Math.min(10_000, env.REQUEST_TIMEOUT_MS),
  // Checked every second rather than Node's default 30 s.
  connectionsCheckingInterval: 1000,
}, (request, response) => {
  request.headers[CLIENT_ADDRESS_HEADER] = proxyAddr(request, trust);
  const own = request.headers[SHARED_RENDER_HEADER] === sharedRenderToken;
  if (!own) delete request.headers[SHARED_RENDER_HEADER];
  const url = new URL(request.url ?? '/', 'http://web.invalid');
  // A reader who chose nynorsk or English goes to that URL before any cache answers: the redirect is
  // theirs alone (private), and the shared copy of the unprefixed page stays the same for everyone.
  const localeTarget = own ? null : decideLocaleRedirect({ method: request.method ?? 'GET', pathname: url.pathname, search: url.search, headers: request.headers });
  if (localeTarget !== null) {
    response.writeHead(307, { location: localeTarget, 'cache-control': 'private, no-store', 'content-length': '0' });
    response.end();
    return;
  }
  if (own || env.PAGE_CACHE === 'off' || decidePageCaching({ method: request.method ?? 'GET', pathname: url.pathname, headers: request.headers }) === 'pass') {
    void handle(request, response);
    return;
  }
  // A page that could not be rendered for sharing (an error) is answered by Next.js directly, privately.
  handleShared(request, response, url).then(
    (served) => { if (!served) void handle(request, response); },
    () => { if (!response.headersSent) void handle(request, response); },
  );
});
server.setTimeout(env.IDLE_TIMEOUT_MS, (socket) => socket.destroy());
server.listen(port, host, () => {
  console.log(`web listening on http://${host}:${port}`);
});

function shutdown(): void {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
