// GET /api/v1/clock tells anyone the sidecar's time and pace. PUT /api/v1/clock exists only with a
// simulated clock (replays, rehearsals) and needs the control token the sidecar was started with.
import type { FastifyInstance } from 'fastify';
import { ZClockChange, type ClockState } from '../../lib/contracts/clock.ts';
import { toFieldIssues } from '../../lib/contracts/ingest.ts';
import { isSimulatedClock, type Clock } from '../clock.ts';
import { isSameSecret } from './bearer.ts';
import { sendError } from './errors.ts';
import { parseBearer } from './request-limits.ts';

export function describeClock(clock: Clock): ClockState {
  return isSimulatedClock(clock)
    ? { mode: 'simulated', now: clock.now().toISOString(), speed: clock.speed() }
    : { mode: 'wall', now: clock.now().toISOString(), speed: 1 };
}

export function registerClockRoutes(app: FastifyInstance, clock: Clock, controlToken: string | undefined): void {
  app.get('/api/v1/clock', async (_request, reply) => reply.header('cache-control', 'no-store').send(describeClock(clock)));

  if (!isSimulatedClock(clock) || !controlToken) return;
  app.put('/api/v1/clock', async (request, reply) => {
    const token = parseBearer(request.headers.authorization);
    if (!token || !isSameSecret(token, controlToken)) return sendError(reply, 401, 'unauthenticated', 'Send the clock control token as "Authorization: Bearer <token>"');
    const parsed = ZClockChange.safeParse(request.body);
    if (!parsed.success) return sendError(reply, 422, 'validation_failed', 'Invalid clock change', toFieldIssues(parsed.error));
    try {
      clock.set({ at: parsed.data.at ? new Date(parsed.data.at) : undefined, speed: parsed.data.speed });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return sendError(reply, 409, 'clock_conflict', message, [{ field: 'at', reason: message }]);
    }
    return describeClock(clock);
  });
}
