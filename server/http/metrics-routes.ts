// GET /metrics: Prometheus text for this node. A bearer token (METRICS_TOKEN) guards it; without one only
// this machine may scrape.
import type { FastifyInstance } from 'fastify';
import type { SidecarMetrics } from '../metrics.ts';
import { bearerMatches, isLoopback } from './bearer.ts';

export function registerMetricsRoutes(app: FastifyInstance, metrics: SidecarMetrics, token: string | undefined): void {
  app.get('/metrics', async (request, reply) => {
    // The socket's peer, not X-Forwarded-For: a proxy on this machine must not open metrics to the world.
    const allowed = token ? bearerMatches(request.headers.authorization, token) : isLoopback(request.socket.remoteAddress);
    if (!allowed) {
      const message = token
        ? 'Send the metrics token as "Authorization: Bearer <token>"'
        : 'Metrics are served to this machine only; set METRICS_TOKEN to scrape from elsewhere';
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthenticated', message });
    }
    return reply.header('cache-control', 'no-store').type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
