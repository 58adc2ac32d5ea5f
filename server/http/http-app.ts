// The sidecar's Fastify instance with what every route shares: timeouts, trusted proxies, CORS, security
// headers, the rate-limit plugin, error handling and the refusal log. Routes are registered by their modules.
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { TrustProxy } from '../config.ts';
import { handleFrameworkError } from './errors.ts';
import { recordRoutes } from './openapi.ts';

const INGEST_ROUTES = new Set(['/api/v1/results', '/api/v1/results/batch', '/api/v1/status']);

export interface HttpAppOptions {
  logger: Logger;
  corsOrigins: true | string[];
  siteOrigins?: string[];
  bodyLimitBytes?: number;
  requestTimeoutMs?: number;
  idleTimeoutMs?: number;
  trustProxy?: TrustProxy;
  /** Told each answered ingest request (route, status, seconds): the ingest metrics. */
  onIngestAnswered: (route: string, status: number, seconds: number) => void;
}

export interface HttpApp {
  app: FastifyInstance;
  /** Every route registered (method, Fastify URL), HEAD and OPTIONS aside. */
  routes: ReadonlyArray<{ method: string; url: string }>;
}

export async function createHttpApp(options: HttpAppOptions): Promise<HttpApp> {
  const app = Fastify({
    // pino's Logger is what Fastify's FastifyBaseLogger describes; the types differ only in generics.
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimitBytes ?? 64 * 1024,
    // A client that trickles its body or headers, or holds a connection silent, is cut off (Fastify's
    // defaults never time out); the server checks every second rather than Node's default 30 s.
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    connectionTimeout: options.idleTimeoutMs ?? 120_000,
    http: { headersTimeout: Math.min(10_000, options.requestTimeoutMs ?? 30_000), connectionsCheckingInterval: 1000 },
    // Limits key on the real client: the web server passes the visitor's address, proxies theirs.
    trustProxy: options.trustProxy ?? ['loopback'],
    // Per-request lines would drown the log on election night; refusals and failures are logged below.
    logController: new LogController({ disableRequestLogging: true }),
  });
  const routes = recordRoutes(app);
  app.removeContentTypeParser(['text/plain']);
  app.setErrorHandler(handleFrameworkError);
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode >= 400 && request.method === 'POST') {
      request.log.info({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'ingest refused');
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url;
    if (request.method === 'POST' && route && INGEST_ROUTES.has(route)) options.onIngestAnswered(route, reply.statusCode, reply.elapsedTime / 1000);
  });
  // The public API and socket follow CORS_ORIGINS; operator routes (sign-in included) answer browsers only
  // from the site's own origin (SITE_ORIGINS), and by default none: the console calls them from its server.
  const siteOrigins = options.siteOrigins ?? [];
  await app.register(cors, {
    delegator: (request, callback) => {
      const operatorRoute = (request.url ?? '').startsWith('/api/v1/ops/');
      callback(null, {
        origin: operatorRoute ? (siteOrigins.length > 0 ? siteOrigins : false) : options.corsOrigins,
        methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      });
    },
  });
  // Every answer: never sniffed into something executable, never framed; HSTS when the client came over
  // HTTPS (as the trusted proxy says).
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
    if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=63072000; includeSubDomains');
  });
  // A large key cache: one key per address or account, so an attacker's keys cannot evict the others'.
  await app.register(rateLimit, { global: false, cache: 100_000 });
  return { app, routes };
}
