// Every HTTP route of the sidecar as data: method, path, who may call it, the zod schemas of its
// parameters, body and answers, and examples. The published OpenAPI document (server/http/openapi.ts) is
// generated from this table, and tests/integration/openapi.test.ts holds it against the routes the sidecar
// registers and the examples against the schemas.
import { DEFAULT_LOCALE, LOCALES } from '../i18n/locale.ts';
import { z } from 'zod';
import { ZClockChange, ZClockState } from './clock.ts';
import { ZSeatsReport } from './seats.ts';
import { ZAcknowledgeFeedIncident, ZFeedIncident, ZFeedStatusReport } from './feed-status.ts';
import { ZElectionInfo } from './election.ts';
import { ZDistrictExport, ZMunicipalityExport, ZPartyExport, ZSeatExport } from './export.ts';
import { ZApiError, ZIngestAccepted, ZIngestBatchAccepted, ZResultBatch, ZResultReport, ZStatusReport } from './ingest.ts';
import { ZCountyDetail, ZMunicipalityDetail, ZSnapshot } from './live.ts';
import {
  ZAcknowledgeAlert, ZAlert, ZMunicipalityTimeline, ZOpsBoard, ZOversightAnswer, ZRevisionPage, ZSetOversight, ZWatchlistAnswer, ZWatchlistChange,
} from './ops.ts';
import { ZOpsMe, ZOpsSession, ZOpsSignIn, ZOpsSocketTicket } from './ops-auth.ts';
import {
  ZAlertChannel, ZAlertDeliveriesQuery, ZAlertDelivery, ZAlertTestAnswer, ZCreateAlertChannel, ZCreatedAlertChannel, ZUpdateAlertChannel,
} from './alert-channels.ts';

export const API_TAGS = {
  ingest: 'Ingest: municipal counting systems send counts and status reports.',
  read: 'Public reads: snapshots and details from the read model, with the seq as ETag.',
  export: 'Newsroom exports: per municipality, district and party, as JSON or CSV.',
  log: 'The public revision log.',
  clock: "The sidecar's clock (simulated during replays and rehearsals).",
  ops: 'Operators: sign-in, the board, alerts, oversight, the watchlist, and the channels alerts are sent to.',
  system: 'Health, metrics and this document.',
} as const;
export type ApiTag = keyof typeof API_TAGS;

/** Bearer credentials, each its own OpenAPI security scheme. */
export const API_SECURITY = {
  ingestToken: "A municipality's ingest token (`npm run token -- <municipality>`).",
  operatorSession: 'An operator session token from POST /api/v1/ops/session.',
  clockToken: 'The clock control token the sidecar was started with (CLOCK_CONTROL_TOKEN).',
  metricsToken: 'METRICS_TOKEN; without it only loopback may scrape.',
  seatsToken: "A seat source's token (`npm run token -- seats [label]`): it may report the seats of any area of its election.",
} as const;
export type ApiSecurity = keyof typeof API_SECURITY;

export interface ApiAnswer {
  description: string;
  /** JSON unless `contentType` says otherwise; absent for an empty answer (204, 304). */
  schema?: z.ZodType;
  contentType?: string;
  example?: unknown;
}

export interface ApiRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI form: `{name}` for a path parameter. */
  path: string;
  tag: ApiTag;
  summary: string;
  description?: string;
  security?: ApiSecurity;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: { schema: z.ZodType; example: unknown };
  responses: Record<number, ApiAnswer>;
}

const ZMunicipalityParam = z.object({ number: z.string().regex(/^\d{4}$/).meta({ description: 'Municipality number', example: '0301' }) });
const ZCountyParam = z.object({ number: z.string().regex(/^\d{2}$/).meta({ description: 'County number', example: '46' }) });

export const ZChangesQuery = z.object({
  since: z.coerce.number().int().min(0).default(0).meta({ description: 'Changes after this seq' }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  municipality: z.string().regex(/^\d{4}$/, 'must be a 4-digit municipality number').optional().meta({ description: "Only this municipality's changes" }),
  /** Page backwards: the newest `limit` changes with a seq below this. */
  before: z.coerce.number().int().min(1).optional().meta({ description: 'Page back: the newest changes below this seq' }),
  /** The language of each `description`: bokmål unless asked (nynorsk, English). */
  lang: z.enum(LOCALES).default(DEFAULT_LOCALE).meta({ description: 'Language of the descriptions: nb (default), nn or en' }),
});

export const ZHealth = z.object({
  /** A sidecar of several processes: `degraded` while one role is down and the other serves (still 200). */
  status: z.enum(['ok', 'degraded', 'unavailable']),
  seq: z.number().int(),
  database: z.enum(['embedded', 'server']),
  viewers: z.number().int().optional(),
  leader: z.boolean().optional(),
  /** Each intake and live process of the sidecar (ARCHITECTURE.md "Roles"). */
  processes: z.array(z.object({
    role: z.enum(['intake', 'live']),
    pid: z.number().int(),
    /** `unresponsive`: no answer within 2 s; `exited`: it died while it was asked. */
    status: z.enum(['ok', 'unavailable', 'unresponsive', 'exited']),
    seq: z.number().int().optional(),
    viewers: z.number().int().optional(),
  })).optional(),
});

const EXPORT_FILES = ['municipalities', 'municipalities.json', 'municipalities.csv', 'districts', 'districts.json', 'districts.csv', 'parties', 'parties.json', 'parties.csv', 'seats', 'seats.json', 'seats.csv'] as const;

const error = (description: string, example: { error: string; message: string; issues?: Array<{ field: string; reason: string }> }): ApiAnswer => ({ description, schema: ZApiError, example });

// Refusals that share their words across routes.
const NOT_JSON = error('The body is not JSON, or not sent as application/json', { error: 'unsupported_media_type', message: 'Send the body as application/json' });
const MALFORMED_JSON = error('The body is not valid JSON', { error: 'malformed_json', message: 'The request body is not valid JSON: Unexpected end of JSON input' });
const NO_OPERATOR = error('No operator session, or one that ended', { error: 'unauthenticated', message: 'Sign in and send the session token as "Authorization: Bearer <token>"' });
const BAD_MUNICIPALITY = error('Malformed municipality number', { error: 'bad_request', message: 'Malformed municipality number', issues: [{ field: 'number', reason: 'must be a 4-digit municipality number' }] });
const NO_MUNICIPALITY = error('No such municipality in this election', { error: 'not_found', message: 'No municipality 9999' });
const NOT_MODIFIED: ApiAnswer = { description: 'Not modified: If-None-Match names the current ETag (the seq has not moved)' };

const RESULT_EXAMPLE = {
  municipality: '0301', district: '0101', category: 'election_day', stage: 'preliminary', version: 1,
  countedAt: '2023-09-11T21:42:00+02:00', ballots: { counted: 2345, rejected: 2, blank: 45 }, votes: { A: 700, H: 1100, MDG: 500 },
};
const INGEST_REFUSALS = {
  401: error('No ingest token, or an unknown or revoked one', { error: 'unauthenticated', message: 'The ingest token is unknown or revoked' }),
  403: error("The report is for another municipality than the token's", {
    error: 'forbidden', message: 'This token reports for municipality 0301, not 4601', issues: [{ field: 'municipality', reason: "not the token's municipality (0301)" }],
  }),
  413: error('The body is larger than the ingest limit', { error: 'payload_too_large', message: 'The request body is larger than this endpoint accepts' }),
  415: NOT_JSON,
  400: MALFORMED_JSON,
  429: error("Over the credential's (or, without a known token, the address's) rate", { error: 'rate_limited', message: 'Rate limit exceeded, retry in 1 minute' }),
} satisfies Record<number, ApiAnswer>;

const ZAlertChannelParam = z.object({ id: z.coerce.number().int().positive().meta({ description: 'Alert channel id', example: 2 }) });
const BAD_CHANNEL = error('Malformed channel id', { error: 'bad_request', message: 'Malformed channel id', issues: [{ field: 'id', reason: 'Invalid input: expected number, received NaN' }] });
const NO_CHANNEL = error('No such channel', { error: 'not_found', message: 'No alert channel 9' });
const ALERT_CHANNEL_EXAMPLE = {
  id: 2, name: 'Desken', kind: 'webhook', target: 'https://hooks.example.no/valgvakt', hasSecret: true, alertKinds: ['stalled', 'backlog'], scope: 'county:46',
  enabled: true, createdAt: '2023-09-11T18:00:00.000Z', createdBy: 'anna.ops', queued: 0, failed: 0,
};
const ALERT_DELIVERY_EXAMPLE = {
  id: '40', channelId: 2, channelName: 'Desken', seq: 5120, event: 'alert.raised', status: 'sent', attempts: 1, nextAttemptAt: null, lastError: null,
  createdAt: '2023-09-11T20:05:00.120Z', sentAt: '2023-09-11T20:05:00.180Z',
};

export const API_ROUTES: readonly ApiRoute[] = [
  {
    method: 'post', path: '/api/v1/results', tag: 'ingest', security: 'ingestToken',
    summary: "One counting unit's count",
    description: 'Committed before it is acknowledged: a 201 is never lost. An exact resend of a stored version answers 200 with the same seq.',
    body: { schema: ZResultReport, example: RESULT_EXAMPLE },
    responses: {
      201: { description: 'Stored and committed; X-Valgvakt-Committed-At says when', schema: ZIngestAccepted, example: { seq: 4711, status: 'created' } },
      200: { description: 'An exact resend of a stored version: nothing new written', schema: ZIngestAccepted, example: { seq: 4711, status: 'duplicate' } },
      ...INGEST_REFUSALS,
      409: error('Another report with this version and different content is stored', {
        error: 'version_conflict', message: 'version 1 is already stored with other counts; send version 2', issues: [{ field: 'version', reason: 'version 1 is already stored with other counts; send version 2' }],
      }),
      422: error('Invalid fields, or counts that do not fit the reference data', {
        error: 'validation_failed', message: 'The report has invalid fields', issues: [{ field: 'ballots.counted', reason: 'must be a whole number ≥ 0' }],
      }),
    },
  },
  {
    method: 'post', path: '/api/v1/results/batch', tag: 'ingest', security: 'ingestToken',
    summary: "Several counts of the token's municipality, all or nothing",
    description: 'The reports are decided in order and written in one transaction, or none is. A lowering in a batch is judged on the '
      + "municipality's total per category and stage: a batch that lowers one unit and raises others as much moved votes between units and is "
      + "not shown as a correction (\"Korrigert ned\"); one that lowers the total is. Counts as one request against the credential's rate.",
    body: { schema: ZResultBatch, example: { reports: [
      // Votes moved: 0101 loses 345 ballots that 0102 now reports; the municipality's total is unchanged.
      { ...RESULT_EXAMPLE, district: '0101', version: 2, ballots: { counted: 2000, rejected: 2, blank: 50 }, votes: { A: 600, H: 950, MDG: 400 } },
      { ...RESULT_EXAMPLE, district: '0102', version: 1, ballots: { counted: 345, rejected: 0, blank: 0 }, votes: { A: 100, H: 150, MDG: 95 } },
    ] } },
    responses: {
      201: { description: 'Stored and committed (at least one report new); one entry per report, in order', schema: ZIngestBatchAccepted, example: { results: [{ seq: 4711, status: 'created' }, { seq: 4712, status: 'created' }] } },
      200: { description: 'Every report an exact resend: nothing new written', schema: ZIngestBatchAccepted, example: { results: [{ seq: 4711, status: 'duplicate' }, { seq: 4712, status: 'duplicate' }] } },
      ...INGEST_REFUSALS,
      403: error("A report is for another municipality than the token's", {
        error: 'forbidden', message: 'This token reports for municipality 0301, not 4601', issues: [{ field: 'reports.1.municipality', reason: "not the token's municipality (0301)" }],
      }),
      409: error('A report has a version stored with different content; nothing was written', {
        error: 'version_conflict', message: 'version 1 is already stored with other counts; send version 2', issues: [{ field: 'reports.0.version', reason: 'version 1 is already stored with other counts; send version 2' }],
      }),
      422: error('Invalid fields, or counts that do not fit the reference data; nothing was written', {
        error: 'validation_failed', message: 'The batch does not fit the reference data', issues: [{ field: 'reports.2.district', reason: 'unknown district 0999 in municipality 0301' }],
      }),
    },
  },
  {
    method: 'post', path: '/api/v1/status', tag: 'ingest', security: 'ingestToken',
    summary: 'Counting units finished counting locally (the second ledger)',
    body: { schema: ZStatusReport, example: { municipality: '0301', at: '2023-09-11T21:50:00+02:00', category: 'election_day', stage: 'preliminary', districts: ['0101', '0102'] } },
    responses: {
      201: { description: 'Stored and committed', schema: ZIngestAccepted, example: { seq: 4712, status: 'created' } },
      200: { description: 'An exact resend', schema: ZIngestAccepted, example: { seq: 4712, status: 'duplicate' } },
      ...INGEST_REFUSALS,
      422: error('Invalid fields, or units that do not exist', {
        error: 'validation_failed', message: 'The status report has invalid fields', issues: [{ field: 'recountReason', reason: 'only with "recount": true' }],
      }),
    },
  },
  {
    method: 'post', path: '/api/v1/seats', tag: 'ingest', security: 'seatsToken',
    summary: "An area's seats as a source reports them (elections of kind storting)",
    description: 'Valgvakt does not compute Storting seats. A source (the directorate, or a watchdog reading its feed) reports them per county and nationally; the newest reportedAt per area is shown, labelled with the source and time. Committed before it is acknowledged. An exact resend answers 200; a report older than the area\'s newest, or other seats at the same reportedAt, is refused with 409.',
    body: {
      schema: ZSeatsReport,
      example: { area: '03', reportedAt: '2025-09-08T23:40:00+02:00', source: 'valgresultat.no', final: false, seats: [{ list: 'A', seats: 7, levelling: 0 }, { list: 'H', seats: 5, levelling: 1 }] },
    },
    responses: {
      201: { description: 'Stored and committed', schema: ZIngestAccepted, example: { seq: 4713, status: 'created' } },
      200: { description: 'An exact resend: nothing new written', schema: ZIngestAccepted, example: { seq: 4713, status: 'duplicate' } },
      401: error('No seats token, or an unknown, revoked or expired one', { error: 'unauthenticated', message: 'The seats token is unknown, revoked or of another election' }),
      413: INGEST_REFUSALS[413],
      415: NOT_JSON,
      400: MALFORMED_JSON,
      429: INGEST_REFUSALS[429],
      409: error('Older than the seats already reported for the area, or other seats at the same reportedAt', {
        error: 'version_conflict', message: 'older than the seats already reported for this area at 2025-09-08T21:45:00.000Z', issues: [{ field: 'reportedAt', reason: 'older than the seats already reported for this area at 2025-09-08T21:45:00.000Z' }],
      }),
      422: error('Invalid fields, an unknown county or list, or an election whose seats Valgvakt computes', {
        error: 'validation_failed', message: 'The seats report does not fit the election', issues: [{ field: 'seats.1.list', reason: 'no list "XYZ" stands in county 03' }],
      }),
    },
  },
  {
    method: 'post', path: '/api/v1/feed-status', tag: 'ingest', security: 'seatsToken',
    summary: "The official feed's health, from the watchdog that reads it (after every poll round)",
    description: 'The watchdog over valgresultat.no reports its last round: ok, degraded (some bodies unreadable) or down (outageSince = the first failed round), with the last good poll, errors and lag. Times are on Valgvakt\'s clock (GET /api/v1/clock). The pages\' `source` and the operators\' feed panel come from the newest status; while the feed is down, or no status has come for 3 × intervalSeconds (late), one feed_down incident is open on the board and municipalities going quiet raise no stall alerts. Committed before it is acknowledged. An exact resend answers 200; a status whose `at` is not after the newest accepted one is refused with 409.',
    body: {
      schema: ZFeedStatusReport,
      example: {
        source: 'valgresultat.no', base: 'https://valgresultat.no', election: '2025/st', at: '2025-09-08T22:15:03+02:00', state: 'degraded', intervalSeconds: 15,
        lastPollAt: '2025-09-08T22:15:03+02:00', lastGoodPollAt: '2025-09-08T22:15:03+02:00', consecutiveFailures: 0, errors: 1, lagSeconds: 42, outageSince: null,
        unreadable: [{ path: '/2025/st/03/0301', reason: 'HTTP 503' }],
      },
    },
    responses: {
      201: { description: 'Stored and committed', schema: ZIngestAccepted, example: { seq: 4714, status: 'created' } },
      200: { description: 'An exact resend: nothing new written', schema: ZIngestAccepted, example: { seq: 4714, status: 'duplicate' } },
      401: error('No seats token, or an unknown, revoked or expired one', { error: 'unauthenticated', message: 'The seats token is unknown, revoked or of another election' }),
      413: INGEST_REFUSALS[413],
      415: NOT_JSON,
      400: MALFORMED_JSON,
      429: INGEST_REFUSALS[429],
      409: error('Not after the newest accepted status', {
        error: 'version_conflict', message: 'must be after the newest accepted status (2025-09-08T20:15:03.000Z)', issues: [{ field: 'at', reason: 'must be after the newest accepted status (2025-09-08T20:15:03.000Z)' }],
      }),
      422: error('Invalid fields', {
        error: 'validation_failed', message: 'The feed status has invalid fields', issues: [{ field: 'outageSince', reason: 'must be given while state is "down" (the first failed round)' }],
      }),
    },
  },
  {
    method: 'get', path: '/api/v1/snapshot', tag: 'read', summary: 'Every municipality and the national totals, at one seq',
    description: 'ETag and X-Valgvakt-Seq name the seq; continue from it with the deltas of the /live namespace.',
    responses: { 200: { description: 'The snapshot', schema: ZSnapshot }, 304: NOT_MODIFIED },
  },
  {
    method: 'get', path: '/api/v1/election', tag: 'read', summary: 'The election this sidecar serves (ELECTION_ID), as its package describes it',
    description: 'Fixed for the sidecar\'s life; pages take their title, headings and comparison year from it.',
    responses: {
      200: {
        description: 'The served election', schema: ZElectionInfo,
        example: { id: 'ko2023', name: 'Kommunestyrevalget 2023', kind: 'municipal', electionDay: '2023-09-11', pollsCloseAt: '2023-09-11T19:00:00.000Z', timeZone: 'Europe/Oslo', comparisonYear: 2019 },
      },
    },
  },
  {
    method: 'get', path: '/api/v1/counties/{number}', tag: 'read', summary: "A county's roll-up and its municipalities", params: ZCountyParam,
    responses: {
      200: { description: 'The county', schema: ZCountyDetail },
      304: NOT_MODIFIED,
      400: error('Malformed county number', { error: 'bad_request', message: 'Malformed county number', issues: [{ field: 'number', reason: 'must be a 2-digit county number' }] }),
      404: error('No such county', { error: 'not_found', message: 'No county 99 in this election', issues: [{ field: 'number', reason: 'unknown county' }] }),
    },
  },
  {
    method: 'get', path: '/api/v1/municipalities/{number}', tag: 'read', summary: "A municipality's summary, parties, seats, districts and progress", params: ZMunicipalityParam,
    responses: {
      200: { description: 'The municipality', schema: ZMunicipalityDetail },
      304: NOT_MODIFIED,
      400: BAD_MUNICIPALITY,
      404: error('No such municipality', { error: 'not_found', message: 'No municipality 9999 in this election', issues: [{ field: 'number', reason: 'unknown municipality' }] }),
    },
  },
  {
    method: 'get', path: '/api/v1/export/{file}', tag: 'export', summary: 'Results per municipality, district or party, as JSON or CSV',
    description: 'municipalities and districts take municipality or county; parties is national. CSV follows Valgdirektoratet (semicolon, BOM).',
    params: z.object({ file: z.enum(EXPORT_FILES).meta({ description: 'kind and format; no extension is JSON', example: 'municipalities.csv' }) }),
    query: z.object({
      municipality: z.string().regex(/^\d{4}$/).optional().meta({ description: 'One municipality (not with parties)' }),
      county: z.string().regex(/^\d{2}$/).optional().meta({ description: 'One county (not with parties)' }),
    }),
    responses: {
      200: { description: 'The rows (JSON: municipalities, districts, parties or seats form; or text/csv). Seats: as a source reported them, for storting elections (empty otherwise); filter with county', schema: z.union([ZMunicipalityExport, ZDistrictExport, ZPartyExport, ZSeatExport]) },
      304: NOT_MODIFIED,
      400: error('A bad filter', { error: 'bad_request', message: 'The party export is national', issues: [{ field: 'municipality', reason: 'not accepted by the party export' }] }),
      404: error('No such export, or no such municipality', { error: 'not_found', message: 'No such export; see docs/api.md', issues: [{ field: 'path.kind', reason: 'must be municipalities, districts, parties or seats' }] }),
    },
  },
  {
    method: 'get', path: '/api/v1/changes', tag: 'log', summary: 'The revision log, in seq order', query: ZChangesQuery,
    responses: {
      200: { description: 'A page of the log', schema: ZRevisionPage, example: {
        latestSeq: 5120,
        revisions: [{
          seq: 4711, at: '2023-09-11T21:12:04.000Z', actor: 'ingest:municipality-0301', kind: 'result.accepted', municipality: '0301', municipalityName: 'Oslo',
          description: 'krets 0101 (valgtingsstemmer): korrigert: versjon 2 erstatter versjon 1 (−12 stemmesedler)',
          before: { version: 1, ballots: { counted: 1000, rejected: 0, blank: 0 } }, after: { version: 2, ballots: { counted: 988, rejected: 0, blank: 0 } },
        }],
      } },
      400: error('A malformed parameter', { error: 'bad_request', message: 'Invalid query', issues: [{ field: 'limit', reason: 'Too big: expected number to be <=500' }] }),
      404: error('No such municipality', { error: 'not_found', message: 'No municipality 9999 in this election', issues: [{ field: 'municipality', reason: 'unknown municipality' }] }),
    },
  },
  {
    method: 'get', path: '/api/v1/clock', tag: 'clock', summary: "The sidecar's time and pace",
    responses: { 200: { description: 'The clock', schema: ZClockState, example: { mode: 'simulated', now: '2023-09-11T20:55:00.000Z', speed: 90 } } },
  },
  {
    method: 'put', path: '/api/v1/clock', tag: 'clock', security: 'clockToken', summary: 'Move or pace a simulated clock',
    description: 'Only with a simulated clock and a control token (replays, rehearsals); otherwise the route does not exist (404).',
    body: { schema: ZClockChange, example: { at: '2023-09-11T21:00:00+02:00', speed: 90 } },
    responses: {
      200: { description: 'The clock now', schema: ZClockState, example: { mode: 'simulated', now: '2023-09-11T19:00:00.000Z', speed: 90 } },
      401: error('No or a wrong control token', { error: 'unauthenticated', message: 'Send the clock control token as "Authorization: Bearer <token>"' }),
      409: error('The clock cannot go back', { error: 'clock_conflict', message: 'the clock only moves forward', issues: [{ field: 'at', reason: 'the clock only moves forward' }] }),
      415: NOT_JSON,
      422: error('Invalid change', { error: 'validation_failed', message: 'Invalid clock change', issues: [{ field: '(body)', reason: 'give at, speed or both' }] }),
    },
  },
  {
    method: 'post', path: '/api/v1/ops/session', tag: 'ops', summary: 'Sign in (an operator session for 12 hours)',
    body: { schema: ZOpsSignIn, example: { name: 'anna.ops', password: 'correct horse battery staple' } },
    responses: {
      201: { description: 'The session', schema: ZOpsSession, example: { token: 'vvops_3q2+7w', operator: { name: 'anna.ops' }, expiresAt: '2023-09-12T08:00:00.000Z' } },
      401: error('Wrong name or password (one answer for both)', { error: 'invalid_credentials', message: 'The name or password is wrong' }),
      415: NOT_JSON,
      422: error('Not { name, password }', { error: 'validation_failed', message: 'Send { "name", "password" }', issues: [{ field: 'password', reason: 'Too small: expected string to have >=1 characters' }] }),
      429: error('Too many sign-ins from this address (or for this account from it)', { error: 'rate_limited', message: 'Rate limit exceeded, retry in 1 minute' }),
    },
  },
  {
    method: 'get', path: '/api/v1/ops/me', tag: 'ops', security: 'operatorSession', summary: 'The signed-in operator',
    responses: { 200: { description: 'The operator and when the session ends', schema: ZOpsMe, example: { operator: { name: 'anna.ops' }, expiresAt: '2023-09-12T08:00:00.000Z' } }, 401: NO_OPERATOR },
  },
  {
    method: 'delete', path: '/api/v1/ops/session', tag: 'ops', security: 'operatorSession', summary: 'Sign out (its /ops sockets close within a second)',
    responses: { 204: { description: 'Signed out' }, 401: NO_OPERATOR },
  },
  {
    method: 'post', path: '/api/v1/ops/socket-ticket', tag: 'ops', security: 'operatorSession', summary: 'A single-use ticket to open the /ops socket (60 s)',
    responses: {
      200: { description: 'The ticket; pass it as the handshake auth.ticket', schema: ZOpsSocketTicket, example: { ticket: 'pX9f0c1Yt3', expiresAt: '2023-09-11T21:01:00.000Z' } },
      401: NO_OPERATOR,
      429: error('More than 60 tickets a minute for one session', { error: 'rate_limited', message: 'Rate limit exceeded, retry in 1 minute' }),
    },
  },
  {
    method: 'get', path: '/api/v1/ops/board', tag: 'ops', security: 'operatorSession', summary: 'The stall board: municipalities not complete, alerts, the queue, the watchlist',
    responses: { 200: { description: 'The board', schema: ZOpsBoard }, 401: NO_OPERATOR },
  },
  {
    method: 'post', path: '/api/v1/ops/alerts/{id}/ack', tag: 'ops', security: 'operatorSession', summary: 'Acknowledge an alert (it alerts again after expiresInMinutes)',
    params: z.object({ id: z.coerce.number().int().positive().meta({ description: 'Alert id', example: 12 }) }),
    body: { schema: ZAcknowledgeAlert, example: { reasonCode: 'contacted_municipality', text: 'Ringt valgansvarlig', owner: 'anna.ops', expiresInMinutes: 30, publicNote: 'Overføringen er forsinket; tallene kommer' } },
    responses: {
      200: { description: 'The alert', schema: ZAlert, example: {
        id: 12, municipality: '4601', name: 'Bergen', kind: 'backlog', reason: '3 kretser ferdig talt lokalt, ikke mottatt', status: 'acknowledged', raisedAt: '2023-09-11T20:05:00.000Z',
        acknowledgedAt: '2023-09-11T20:06:00.000Z', acknowledgedBy: 'anna.ops', ackReasonCode: 'contacted_municipality', ackText: 'Ringt valgansvarlig',
        ackExpiresAt: '2023-09-11T20:36:00.000Z', resolvedAt: null,
      } },
      400: error('Malformed alert id', { error: 'bad_request', message: 'Malformed alert id', issues: [{ field: 'id', reason: 'must be at most 2147483647' }] }),
      401: NO_OPERATOR,
      404: error('No such alert', { error: 'not_found', message: 'No alert 12' }),
      409: error('The alert is resolved', { error: 'alert_resolved', message: 'The alert is already resolved: progress resumed' }),
      415: NOT_JSON,
      422: error('Invalid acknowledgement', { error: 'validation_failed', message: 'Invalid acknowledgement', issues: [{ field: 'owner', reason: 'Too small: expected string to have >=1 characters' }] }),
    },
  },
  {
    method: 'post', path: '/api/v1/ops/feed-incidents/{id}/ack', tag: 'ops', security: 'operatorSession', summary: "Acknowledge the feed's incident (it stays until the feed is back)",
    params: z.object({ id: z.coerce.number().int().positive().meta({ description: 'Feed incident id', example: 3 }) }),
    body: { schema: ZAcknowledgeFeedIncident, example: { owner: 'anna.ops', text: 'Valgdirektoratet varslet' } },
    responses: {
      200: { description: 'The incident', schema: ZFeedIncident, example: {
        id: 3, kind: 'feed_down', reason: 'valgresultat.no svarer ikke siden 23:10', status: 'acknowledged', since: '2025-09-08T21:10:00.000Z', raisedAt: '2025-09-08T21:10:45.000Z',
        acknowledgedAt: '2025-09-08T21:12:00.000Z', acknowledgedBy: 'anna.ops', ackText: 'Valgdirektoratet varslet', resolvedAt: null,
      } },
      400: error('Malformed incident id', { error: 'bad_request', message: 'Malformed feed incident id', issues: [{ field: 'id', reason: 'must be at most 2147483647' }] }),
      401: NO_OPERATOR,
      404: error('No such incident', { error: 'not_found', message: 'No feed incident 3' }),
      409: error('The incident is resolved', { error: 'incident_resolved', message: 'The incident is already resolved: the feed is back' }),
      415: NOT_JSON,
      422: error('Invalid acknowledgement', { error: 'validation_failed', message: 'Invalid acknowledgement', issues: [{ field: 'owner', reason: 'Too small: expected string to have >=1 characters' }] }),
    },
  },
  {
    method: 'put', path: '/api/v1/ops/municipalities/{number}/oversight', tag: 'ops', security: 'operatorSession', summary: 'Under review, and the public note',
    params: ZMunicipalityParam,
    body: { schema: ZSetOversight, example: { underReview: true, publicNote: 'Alle stemmesedler telles på nytt' } },
    responses: {
      200: { description: 'Where it stands now', schema: ZOversightAnswer, example: { municipality: '1804', underReview: true, publicNote: 'Alle stemmesedler telles på nytt', state: 'under_review' } },
      400: BAD_MUNICIPALITY, 401: NO_OPERATOR, 404: NO_MUNICIPALITY, 415: NOT_JSON,
      422: error('Invalid change', { error: 'validation_failed', message: 'Invalid change', issues: [{ field: '(body)', reason: 'give underReview, publicNote or both' }] }),
    },
  },
  {
    method: 'get', path: '/api/v1/ops/municipalities/{number}/timeline', tag: 'ops', security: 'operatorSession', summary: 'Progress over the night and the spans of each state',
    params: ZMunicipalityParam,
    responses: {
      200: { description: 'The timeline', schema: ZMunicipalityTimeline, example: {
        number: '1804', progress: [{ at: '2023-09-11T19:30:00.000Z', districtsReported: 1, ballotsCounted: 9050 }],
        spans: [{ state: 'counting', from: '2023-09-11T19:30:00.000Z', to: '2023-09-11T20:10:00.000Z' }, { state: 'stalled', from: '2023-09-11T20:10:00.000Z', to: null }],
      } },
      400: BAD_MUNICIPALITY, 401: NO_OPERATOR, 404: NO_MUNICIPALITY,
    },
  },
  ...(['put', 'delete'] as const).map((method): ApiRoute => ({
    method, path: '/api/v1/ops/watchlist/{number}', tag: 'ops', security: 'operatorSession',
    summary: method === 'put' ? 'Put a municipality on the watchlist (or give it a new reason)' : 'Take a municipality off the watchlist',
    description: 'With a reason, in the revision log as watchlist.changed; viewers get `watch` in their next delta. A request that changes nothing answers changed: false and logs nothing.',
    params: ZMunicipalityParam,
    body: { schema: ZWatchlistChange, example: { reason: method === 'put' ? 'Ny valgleverandør i år' : 'Leverandøren leverer i tide' } },
    responses: {
      200: { description: 'Where it stands now', schema: ZWatchlistAnswer, example: method === 'put'
        ? { municipality: '3201', name: 'Bærum', watch: true, reason: 'Ny valgleverandør i år', changed: true }
        : { municipality: '3201', name: 'Bærum', watch: false, reason: null, changed: true } },
      400: BAD_MUNICIPALITY, 401: NO_OPERATOR, 404: NO_MUNICIPALITY, 415: NOT_JSON,
      422: error('No reason, a reason over 280 characters, or an unknown field', { error: 'validation_failed', message: 'Invalid watchlist change', issues: [{ field: 'reason', reason: 'give a reason' }] }),
    },
  })),
  {
    method: 'get', path: '/api/v1/ops/alert-channels', tag: 'ops', security: 'operatorSession', summary: 'The channels alerts are sent to (webhook, Slack, e-mail), with their queues',
    responses: { 200: { description: 'Every channel, oldest first (secrets are not shown)', schema: z.array(ZAlertChannel), example: [ALERT_CHANNEL_EXAMPLE] }, 401: NO_OPERATOR },
  },
  {
    method: 'post', path: '/api/v1/ops/alert-channels', tag: 'ops', security: 'operatorSession', summary: 'Add a channel: alert kinds and municipalities (all, the watchlist, a county)',
    description: 'A webhook receives JSON signed with HMAC-SHA256: `X-Valgvakt-Signature: sha256=<hex of HMAC(secret, "<X-Valgvakt-Timestamp>.<body>")>`, '
      + 'and `X-Valgvakt-Delivery`, the same on every retry, to de-duplicate. Without `secret` one is generated and answered this once. '
      + 'A Slack-compatible channel gets `{ text }`; an e-mail channel an e-mail over SMTP_URL.',
    body: { schema: ZCreateAlertChannel, example: { kind: 'webhook', name: 'Desken', target: 'https://hooks.example.no/valgvakt', scope: 'county:46', alertKinds: ['stalled', 'backlog'] } },
    responses: {
      201: { description: 'The channel, with a webhook\'s secret', schema: ZCreatedAlertChannel, example: { ...ALERT_CHANNEL_EXAMPLE, secret: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' } },
      401: NO_OPERATOR, 415: NOT_JSON,
      422: error('An unknown kind, a target that does not fit it, an unknown county or field', { error: 'validation_failed', message: 'Invalid alert channel', issues: [{ field: 'scope', reason: 'no county 99 in this election' }] }),
    },
  },
  {
    method: 'patch', path: '/api/v1/ops/alert-channels/{id}', tag: 'ops', security: 'operatorSession', summary: 'Change a channel (name, target, secret, filters, enabled)',
    params: ZAlertChannelParam,
    body: { schema: ZUpdateAlertChannel, example: { enabled: false } },
    responses: {
      200: { description: 'The channel', schema: ZAlertChannel, example: { ...ALERT_CHANNEL_EXAMPLE, enabled: false } },
      400: BAD_CHANNEL, 401: NO_OPERATOR, 404: NO_CHANNEL, 415: NOT_JSON,
      422: error('Nothing to change, or a value that does not fit the channel', { error: 'validation_failed', message: 'Invalid change', issues: [{ field: 'target', reason: 'must be an http(s) URL' }] }),
    },
  },
  {
    method: 'delete', path: '/api/v1/ops/alert-channels/{id}', tag: 'ops', security: 'operatorSession', summary: 'Remove a channel and its delivery log',
    params: ZAlertChannelParam,
    responses: { 204: { description: 'Removed' }, 400: BAD_CHANNEL, 401: NO_OPERATOR, 404: NO_CHANNEL },
  },
  {
    method: 'post', path: '/api/v1/ops/alert-channels/{id}/test', tag: 'ops', security: 'operatorSession', summary: 'Send a test message to a channel now (logged, not retried)',
    params: ZAlertChannelParam,
    responses: {
      200: { description: 'Whether it went through', schema: ZAlertTestAnswer, example: { ok: false, error: 'HTTP 404 from hooks.example.no', delivery: { ...ALERT_DELIVERY_EXAMPLE, id: '41', seq: null, event: 'test', status: 'failed', lastError: 'HTTP 404 from hooks.example.no', sentAt: null } } },
      400: BAD_CHANNEL, 401: NO_OPERATOR, 404: NO_CHANNEL,
    },
  },
  {
    method: 'get', path: '/api/v1/ops/alert-deliveries', tag: 'ops', security: 'operatorSession', summary: 'The delivery log: newest first, with attempts and the last error',
    query: ZAlertDeliveriesQuery,
    responses: {
      200: { description: 'Deliveries', schema: z.array(ZAlertDelivery), example: [ALERT_DELIVERY_EXAMPLE] },
      400: error('A malformed channel or limit', { error: 'bad_request', message: 'Invalid query', issues: [{ field: 'limit', reason: 'Too big: expected number to be <=500' }] }),
      401: NO_OPERATOR,
    },
  },
  {
    method: 'get', path: '/healthz', tag: 'system', summary: 'Liveness and the database',
    responses: {
      200: { description: 'Up', schema: ZHealth, example: { status: 'ok', seq: 5120, database: 'embedded', viewers: 12, leader: true } },
      503: { description: 'The database is unreachable', schema: ZHealth, example: { status: 'unavailable', seq: 5120, database: 'server' } },
    },
  },
  {
    method: 'get', path: '/metrics', tag: 'system', security: 'metricsToken', summary: 'Prometheus metrics',
    responses: {
      200: { description: 'Prometheus text format', contentType: 'text/plain; version=0.0.4', schema: z.string() },
      401: error('Not from this machine, and no or a wrong METRICS_TOKEN', { error: 'unauthenticated', message: 'Send the metrics token as "Authorization: Bearer <token>"' }),
    },
  },
  {
    method: 'get', path: '/api/v1/openapi.json', tag: 'system', summary: 'This document (OpenAPI 3.1)',
    responses: { 200: { description: 'The OpenAPI document', schema: z.record(z.string(), z.unknown()) } },
  },
  {
    method: 'get', path: '/api/v1/asyncapi.json', tag: 'system', summary: 'The Socket.IO namespaces and events (AsyncAPI 3.0)',
    responses: { 200: { description: 'The AsyncAPI document', schema: z.record(z.string(), z.unknown()) } },
  },
  {
    method: 'get', path: '/api/v1/docs', tag: 'system', summary: 'The API reference as a page (HTTP routes and Socket.IO events)',
    responses: { 200: { description: 'HTML, self-contained', contentType: 'text/html; charset=utf-8', schema: z.string() } },
  },
];
