// The ingest API for municipal counting systems. Each handler: authenticate → parse (zod) → authorise
// → check against reference data → the group-commit writer (one transaction, shared with the reports that
// arrive meanwhile) → acknowledge once committed. A refused request changes nothing.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZResultBatch, ZResultReport, ZStatusReport, toFieldIssues, type FieldIssue, type IngestAccepted, type IngestBatchAccepted } from '../../lib/contracts/ingest.ts';
import { canonicalizeReport, checkResultReport, checkStatusReport } from '../../lib/domain/report-rules.ts';
import type { Db } from '../../db/client.ts';
import type { IngestPrincipal } from '../../db/credentials.ts';
import type { Clock } from '../clock.ts';
import { sendError } from '../http/errors.ts';
import { createRequestLimit, limitKeyOf, parseBearer } from '../http/request-limits.ts';
import type { ElectionReadModel } from '../read-model.ts';
import { createPrincipalLookup } from './principal-lookup.ts';
import type { IngestWriter, WrittenReport } from './writer.ts';

export interface IngestDeps {
  db: Db;
  clock: Clock;
  model: ElectionReadModel;
  electionId: string;
  /** The group-commit writer (`createReportWriter`), owned by the sidecar. */
  writer: IngestWriter;
  /** Bounds report times (lib/domain/report-rules.ts). */
  pollsCloseAt: Date;
  rateLimitPerMinute: number;
  /** Requests without a known token, per client address. */
  unauthenticatedRateLimitPerMinute: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: IngestPrincipal;
  }
}

/** The ingest principal the authentication hook found; throws in a route without it (a programming error). */
function getPrincipal(request: FastifyRequest): IngestPrincipal {
  if (!request.principal) throw new Error(`${request.method} ${request.routeOptions.url} reads the principal without authentication`);
  return request.principal;
}

function hashPayload(report: Parameters<typeof canonicalizeReport>[0]): string {
  return createHash('sha256').update(canonicalizeReport(report)).digest('hex');
}

/** When an accepted report's transaction committed (a resend: when it was answered), epoch ms with fraction. */
export const COMMITTED_AT_HEADER = 'x-valgvakt-committed-at';

export function registerIngestRoutes(app: FastifyInstance, deps: IngestDeps): void {
  const { writer } = deps;
  const findPrincipal = createPrincipalLookup(deps.db, deps.electionId);

  // A counting system's budget belongs to its credential, however it spells the header. Requests without
  // a known token are limited per client address; a known token is never refused for its neighbours'
  // failures (counting systems may share an address), and lookups arriving together share one query.
  const perCredential = createRequestLimit(app, {
    max: deps.rateLimitPerMinute, windowMs: 60_000, key: (request) => `ingest:credential:${request.principal?.credentialId}`,
  });
  const perAddressUnauthenticated = createRequestLimit(app, {
    max: deps.unauthenticatedRateLimitPerMinute, windowMs: 60_000, key: (request) => `ingest:unauthenticated:${limitKeyOf(request.ip)}`,
  });

  // Runs before the body is read: unauthenticated or non-JSON requests are refused without parsing.
  async function authenticate(request: FastifyRequest, reply: FastifyReply) {
    const token = parseBearer(request.headers.authorization);
    if (!token) {
      if (await perAddressUnauthenticated.exceeded(request, reply)) return reply;
      return sendError(reply.header('www-authenticate', 'Bearer'), 401, 'unauthenticated', 'Send an ingest token as "Authorization: Bearer <token>"');
    }
    const principal = await findPrincipal(token);
    if (!principal) {
      if (await perAddressUnauthenticated.exceeded(request, reply)) return reply;
      return sendError(reply.header('www-authenticate', 'Bearer error="invalid_token"'), 401, 'unauthenticated', 'The ingest token is unknown or revoked');
    }
    request.principal = principal;
    if (await perCredential.exceeded(request, reply)) return reply;
    const type = request.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(type)) return sendError(reply, 415, 'unsupported_media_type', 'Send the body as application/json');
  }

  const routeOptions = { onRequest: authenticate };

  function refuseOtherMunicipality(reply: FastifyReply, principal: IngestPrincipal, municipality: string, fieldPrefix = '') {
    return sendError(reply, 403, 'forbidden', `This token reports for municipality ${principal.municipalityNumber}, not ${municipality}`, [
      { field: `${fieldPrefix}municipality`, reason: `not the token's municipality (${principal.municipalityNumber})` },
    ]);
  }

  /** A batch's refusal names the report: "reports.3.version". */
  const inReport = (index: number, issues: FieldIssue[]): FieldIssue[] => issues.map((issue) => ({ field: `reports.${index}.${issue.field}`, reason: issue.reason }));

  function answer(reply: FastifyReply, { outcome, committedAt }: WrittenReport, invalidMessage: string) {
    switch (outcome.kind) {
      case 'created':
      case 'duplicate': {
        // What was created reaches the read model from the writer (createReportWriter's onCommitted).
        const body: IngestAccepted = { seq: outcome.seq, status: outcome.kind };
        return reply.code(outcome.kind === 'created' ? 201 : 200).header(COMMITTED_AT_HEADER, committedAt.toFixed(3)).send(body);
      }
      case 'group': {
        const created = outcome.outcomes.some((o) => o.kind === 'created');
        const body: IngestBatchAccepted = { results: outcome.outcomes.map((o) => ({ seq: o.seq, status: o.kind })) };
        return reply.code(created ? 201 : 200).header(COMMITTED_AT_HEADER, committedAt.toFixed(3)).send(body);
      }
      case 'conflict': {
        const issues = [{ field: 'version', reason: outcome.reason }];
        return sendError(reply, 409, 'version_conflict', outcome.reason, 'index' in outcome ? inReport(outcome.index, issues) : issues);
      }
      case 'invalid':
        return sendError(reply, 422, 'validation_failed', invalidMessage, 'index' in outcome ? inReport(outcome.index, outcome.issues) : outcome.issues);
    }
  }

  app.post('/api/v1/results', routeOptions, async (request, reply) => {
    const principal = getPrincipal(request);
    const parsed = ZResultReport.safeParse(request.body);
    if (!parsed.success) return sendError(reply, 422, 'validation_failed', 'The report has invalid fields', toFieldIssues(parsed.error));
    const report = parsed.data;
    if (report.municipality !== principal.municipalityNumber) return refuseOtherMunicipality(reply, principal, report.municipality);
    const record = deps.model.findRecord(report.municipality);
    if (!record) return sendError(reply, 422, 'validation_failed', 'Unknown municipality', [{ field: 'municipality', reason: 'unknown municipality' }]);
    const now = deps.clock.now();
    const issues = checkResultReport(report, record, now, deps.pollsCloseAt);
    if (issues.length > 0) return sendError(reply, 422, 'validation_failed', 'The report does not fit the reference data', issues);
    const written = await writer.write({
      kind: 'result',
      input: { report, payloadHash: hashPayload(report), receivedAt: now, credentialId: principal.credentialId, actor: `ingest:${principal.label}` },
    });
    return answer(reply, written, 'The report does not fit the stored counts');
  });

  // Several counts of one municipality, all or nothing, in one transaction: a batch that moves votes between
  // units (lowers one, raises others as much) never shows the municipality lower than it is.
  app.post('/api/v1/results/batch', routeOptions, async (request, reply) => {
    const principal = getPrincipal(request);
    const parsed = ZResultBatch.safeParse(request.body);
    if (!parsed.success) return sendError(reply, 422, 'validation_failed', 'The batch has invalid fields', toFieldIssues(parsed.error));
    const { reports } = parsed.data;
    const other = reports.findIndex((report) => report.municipality !== principal.municipalityNumber);
    // findIndex answered an index of reports.
    if (other >= 0) return refuseOtherMunicipality(reply, principal, reports[other]!.municipality, `reports.${other}.`);
    const record = deps.model.findRecord(principal.municipalityNumber);
    if (!record) return sendError(reply, 422, 'validation_failed', 'Unknown municipality', [{ field: 'reports.0.municipality', reason: 'unknown municipality' }]);
    const now = deps.clock.now();
    const issues = reports.flatMap((report, i) => inReport(i, checkResultReport(report, record, now, deps.pollsCloseAt)));
    if (issues.length > 0) return sendError(reply, 422, 'validation_failed', 'The batch does not fit the reference data', issues);
    const written = await writer.write({
      kind: 'results',
      inputs: reports.map((report) => ({ report, payloadHash: hashPayload(report), receivedAt: now, credentialId: principal.credentialId, actor: `ingest:${principal.label}` })),
    });
    return answer(reply, written, 'The batch does not fit the stored counts');
  });

  app.post('/api/v1/status', routeOptions, async (request, reply) => {
    const principal = getPrincipal(request);
    const parsed = ZStatusReport.safeParse(request.body);
    if (!parsed.success) return sendError(reply, 422, 'validation_failed', 'The status report has invalid fields', toFieldIssues(parsed.error));
    const report = parsed.data;
    if (report.municipality !== principal.municipalityNumber) return refuseOtherMunicipality(reply, principal, report.municipality);
    const record = deps.model.findRecord(report.municipality);
    if (!record) return sendError(reply, 422, 'validation_failed', 'Unknown municipality', [{ field: 'municipality', reason: 'unknown municipality' }]);
    const now = deps.clock.now();
    const issues = checkStatusReport(report, record, now, deps.pollsCloseAt);
    if (issues.length > 0) return sendError(reply, 422, 'validation_failed', 'The status report does not fit the reference data', issues);
    const written = await writer.write({
      kind: 'status',
      input: { report, payloadHash: hashPayload(report), receivedAt: now, credentialId: principal.credentialId, actor: `ingest:${principal.label}` },
    });
    return answer(reply, written, 'The status report does not fit the reference data');
  });
}
