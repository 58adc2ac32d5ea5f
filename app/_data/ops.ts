// Server-side access to the sidecar's operations API for the operations console. The operator's session
// token lives only in an HttpOnly cookie and is sent from here as a bearer token; it never reaches
// browser JavaScript. Every answer is validated against the shared contracts.
import 'server-only';
import { cookies, headers } from 'next/headers';
import { getTranslations } from 'next-intl/server';
import { cache } from 'react';
import { z } from 'zod';
import {
  ZAlert, ZMunicipalityTimeline, ZOpsBoard, ZOversightAnswer, ZWatchlistAnswer,
  type AcknowledgeAlert, type Alert, type MunicipalityTimeline, type OpsBoard, type OversightAnswer, type SetOversight, type WatchlistAnswer, type WatchlistChange,
} from '../../lib/contracts/ops.ts';
import { ZFeedIncident, type AcknowledgeFeedIncident, type FeedIncident } from '../../lib/contracts/feed-status.ts';
import { CLIENT_ADDRESS_HEADER, ZOpsMe, ZOpsSession, ZOpsSocketTicket, type OpsMe, type OpsSocketTicket } from '../../lib/contracts/ops-auth.ts';
import {
  ZAlertChannel, ZAlertDelivery, ZAlertTestAnswer, ZCreatedAlertChannel,
  type AlertChannel, type AlertDelivery, type CreateAlertChannel, type UpdateAlertChannel,
} from '../../lib/contracts/alert-channels.ts';
import { sidecarUrl } from './sidecar.ts';

export const SESSION_COOKIE = 'vv_ops';

/** An answer the console can show; 'unauthenticated' means: send the operator to sign in again. */
export type OpsOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; error: 'unauthenticated' | 'not_found' | 'conflict' | 'invalid' | 'unavailable'; message: string };

const ZErrorBody = z.object({ error: z.string().optional(), message: z.string().optional() }).passthrough();

async function sessionToken(): Promise<string | null> {
  return (await cookies()).get(SESSION_COOKIE)?.value ?? null;
}

async function opsCall<T>(method: string, path: string, parse: (body: unknown) => T, body?: unknown): Promise<OpsOutcome<T>> {
  const token = await sessionToken();
  if (!token) return { ok: false, error: 'unauthenticated', message: 'Ikke logget inn' };
  let response: Response;
  try {
    response = await fetch(`${sidecarUrl()}${path}`, {
      method,
      cache: 'no-store',
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, error: 'unavailable', message: (await getTranslations('opsActions'))('noContact') };
  }
  if (response.ok) return { ok: true, value: parse(response.status === 204 ? null : await response.json()) };
  const refusal = ZErrorBody.safeParse(await response.json().catch(() => ({})));
  // The sidecar's own refusal is shown as it says it; without one, the status in the operator's language.
  const message = refusal.success && refusal.data.message ? refusal.data.message : (await getTranslations('opsActions'))('serverAnswered', { status: response.status });
  if (response.status === 401) return { ok: false, error: 'unauthenticated', message: 'Innloggingen er utløpt' };
  if (response.status === 404) return { ok: false, error: 'not_found', message };
  if (response.status === 409) return { ok: false, error: 'conflict', message };
  if (response.status === 400 || response.status === 422) return { ok: false, error: 'invalid', message };
  return { ok: false, error: 'unavailable', message };
}

export type SignInOutcome = { ok: true } | { ok: false; error: 'invalid_credentials' | 'rate_limited' | 'unavailable' };

/**
 * The visitor's address when our web server (scripts/web-server.ts) set it; null under a plain
 * `next start`, where the header could have come from the client.
 */
async function visitorAddress(): Promise<string | null> {
  if (process.env.VALGVAKT_CLIENT_ADDRESS_HEADER !== CLIENT_ADDRESS_HEADER) return null;
  const address = (await headers()).get(CLIENT_ADDRESS_HEADER)?.trim();
  return address && /^[0-9a-fA-F:.]{2,45}$/.test(address) ? address : null;
}

/** Signs in at the sidecar and keeps the session in the HttpOnly cookie. Only from a server action. */
export async function signIn(name: string, password: string): Promise<SignInOutcome> {
  let response: Response;
  // The sidecar limits sign-ins per account and address: it must see the visitor, not this server
  // (it believes X-Forwarded-For only from the peers its TRUST_PROXY names).
  const visitor = await visitorAddress();
  try {
    response = await fetch(`${sidecarUrl()}/api/v1/ops/session`, {
      method: 'POST',
      cache: 'no-store',
      headers: { 'content-type': 'application/json', ...(visitor ? { 'x-forwarded-for': visitor } : {}) },
      body: JSON.stringify({ name, password }),
    });
  } catch {
    return { ok: false, error: 'unavailable' };
  }
  // 422 is a malformed name or password (e.g. too long): as far as the operator is concerned, wrong.
  if (response.status === 401 || response.status === 422) return { ok: false, error: 'invalid_credentials' };
  if (response.status === 429) return { ok: false, error: 'rate_limited' };
  if (!response.ok) return { ok: false, error: 'unavailable' };
  const session = ZOpsSession.parse(await response.json());
  const requestHeaders = await headers();
  // Behind a TLS-terminating proxy the request arrives over http; the proxy says what the browser used.
  const secure = (requestHeaders.get('x-forwarded-proto') ?? '').split(',')[0]?.trim() === 'https';
  // The sidecar's session clock is the wall clock, so the cookie lasts exactly as long as the session.
  const maxAge = Math.max(0, Math.floor((Date.parse(session.expiresAt) - Date.now()) / 1000));
  (await cookies()).set(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'lax', path: '/', secure, maxAge });
  return { ok: true };
}

/** Ends the session at the sidecar (its unused socket tickets die with it) and drops the cookie. */
export async function signOut(): Promise<void> {
  if (await sessionToken()) await opsCall('DELETE', '/api/v1/ops/session', () => null);
  (await cookies()).delete(SESSION_COOKIE);
}

/** The signed-in operator, or null without a valid session. Asked once per request (layout and page). */
export const currentOperator = cache(async (): Promise<OpsMe | null> => {
  const outcome = await opsCall('GET', '/api/v1/ops/me', (body) => ZOpsMe.parse(body));
  if (outcome.ok) return outcome.value;
  if (outcome.error === 'unauthenticated') return null;
  throw new Error(`ops/me: ${outcome.message}`);
});

export function getBoard(): Promise<OpsOutcome<OpsBoard>> {
  return opsCall('GET', '/api/v1/ops/board', (body) => ZOpsBoard.parse(body));
}

export function createSocketTicket(): Promise<OpsOutcome<OpsSocketTicket>> {
  return opsCall('POST', '/api/v1/ops/socket-ticket', (body) => ZOpsSocketTicket.parse(body));
}

export function acknowledgeAlert(id: number, ack: AcknowledgeAlert): Promise<OpsOutcome<Alert>> {
  return opsCall('POST', `/api/v1/ops/alerts/${id}/ack`, (body) => ZAlert.parse(body), ack);
}

/** Takes on the official feed's incident (it stays on the board until the feed is back). */
export function acknowledgeFeedIncident(id: number, ack: AcknowledgeFeedIncident): Promise<OpsOutcome<FeedIncident>> {
  return opsCall('POST', `/api/v1/ops/feed-incidents/${id}/ack`, (body) => ZFeedIncident.parse(body), ack);
}

export type { OversightAnswer };

export function setOversight(number: string, change: SetOversight): Promise<OpsOutcome<OversightAnswer>> {
  return opsCall('PUT', `/api/v1/ops/municipalities/${number}/oversight`, (body) => ZOversightAnswer.parse(body), change);
}

export function getTimeline(number: string): Promise<OpsOutcome<MunicipalityTimeline>> {
  return opsCall('GET', `/api/v1/ops/municipalities/${number}/timeline`, (body) => ZMunicipalityTimeline.parse(body));
}

/** Puts a municipality on the watchlist (watch) or takes it off, with the operator's reason. */
export function setWatch(number: string, watch: boolean, change: WatchlistChange): Promise<OpsOutcome<WatchlistAnswer>> {
  return opsCall(watch ? 'PUT' : 'DELETE', `/api/v1/ops/watchlist/${number}`, (body) => ZWatchlistAnswer.parse(body), change);
}

export function listAlertChannels(): Promise<OpsOutcome<AlertChannel[]>> {
  return opsCall('GET', '/api/v1/ops/alert-channels', (body) => z.array(ZAlertChannel).parse(body));
}

/** A webhook's secret comes back this once. */
export function createAlertChannel(input: CreateAlertChannel): Promise<OpsOutcome<z.infer<typeof ZCreatedAlertChannel>>> {
  return opsCall('POST', '/api/v1/ops/alert-channels', (body) => ZCreatedAlertChannel.parse(body), input);
}

export function updateAlertChannel(id: number, patch: UpdateAlertChannel): Promise<OpsOutcome<AlertChannel>> {
  return opsCall('PATCH', `/api/v1/ops/alert-channels/${id}`, (body) => ZAlertChannel.parse(body), patch);
}

export function deleteAlertChannel(id: number): Promise<OpsOutcome<null>> {
  return opsCall('DELETE', `/api/v1/ops/alert-channels/${id}`, () => null);
}

export function testAlertChannel(id: number): Promise<OpsOutcome<z.infer<typeof ZAlertTestAnswer>>> {
  return opsCall('POST', `/api/v1/ops/alert-channels/${id}/test`, (body) => ZAlertTestAnswer.parse(body));
}

export function listAlertDeliveries(limit = 100): Promise<OpsOutcome<AlertDelivery[]>> {
  return opsCall('GET', `/api/v1/ops/alert-deliveries?limit=${limit}`, (body) => z.array(ZAlertDelivery).parse(body));
}
