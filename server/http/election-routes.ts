// GET /api/v1/election: which election this sidecar serves (ELECTION_ID), so pages take their title,
// headings and comparison year from the package instead of naming an election.
import type { FastifyInstance } from 'fastify';
import type { ElectionInfo } from '../../lib/contracts/election.ts';

export function registerElectionRoutes(app: FastifyInstance, election: ElectionInfo): void {
  // Fixed for the sidecar's life: a package cannot change once loaded (db/reference-data.ts).
  const body = JSON.stringify(election);
  app.get('/api/v1/election', async (_request, reply) =>
    reply.type('application/json; charset=utf-8').header('cache-control', 'public, max-age=60').send(body));
}
