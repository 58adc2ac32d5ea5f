// Newsroom exports (docs/api.md): results per municipality, per district and per party, as JSON or as
// Valgdirektoratet-style CSV. Built from the in-memory read model and cached per seq and query, so a
// newsroom polling every few seconds costs a string lookup; ETag and x-valgvakt-seq say what seq it reflects.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { toFieldIssues } from '../../lib/contracts/ingest.ts';
import {
  DISTRICT_COLUMNS, MUNICIPALITY_COLUMNS, PARTY_COLUMNS, SEAT_COLUMNS, districtPartyRows, municipalityPartyRows, nationalPartyRows, reportedSeatRows, toExportCsv,
} from '../../lib/domain/export.ts';
import { listDistrictDetails, type MunicipalityRecord } from '../../lib/domain/municipality.ts';
import type { ElectionReadModel } from '../read-model.ts';
import { sendError } from './errors.ts';
import { etagFor, notModified } from './read-routes.ts';

const ZExportParams = z.object({
  kind: z.enum(['municipalities', 'districts', 'parties', 'seats'], { error: 'must be municipalities, districts, parties or seats' }),
  format: z.enum(['json', 'csv'], { error: 'must be .json or .csv' }).default('json'),
});
const ZExportQuery = z.strictObject({
  municipality: z.string().regex(/^\d{4}$/, 'must be a 4-digit municipality number').optional(),
  county: z.string().regex(/^\d{2}$/, 'must be a 2-digit county number').optional(),
}, { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown parameter; use municipality or county` : undefined) });

type ExportParams = z.infer<typeof ZExportParams>;
type ExportQuery = z.infer<typeof ZExportQuery>;

function parsePath(raw: string): unknown {
  const dot = raw.lastIndexOf('.');
  return dot < 0 ? { kind: raw } : { kind: raw.slice(0, dot), format: raw.slice(dot + 1) };
}

function selectRecords(model: ElectionReadModel, query: ExportQuery): MunicipalityRecord[] {
  return [...model.records()].filter((r) =>
    (query.municipality === undefined || r.ref.number === query.municipality) && (query.county === undefined || r.ref.countyNumber === query.county));
}

function render(model: ElectionReadModel, params: ExportParams, query: ExportQuery): { body: string; rows: number } {
  const meta = { seq: model.seq, generatedAt: model.clockState().now, election: model.election };
  if (params.kind === 'parties') {
    const rows = nationalPartyRows(model.nationalTotals());
    return { rows: rows.length, body: params.format === 'csv' ? toExportCsv(rows, PARTY_COLUMNS) : JSON.stringify({ ...meta, rows }) };
  }
  if (params.kind === 'seats') {
    const rows = reportedSeatRows(model.reportedSeats().filter((s) => query.county === undefined || s.area === query.county));
    return { rows: rows.length, body: params.format === 'csv' ? toExportCsv(rows, SEAT_COLUMNS) : JSON.stringify({ ...meta, rows }) };
  }
  const records = selectRecords(model, query);
  if (params.kind === 'municipalities') {
    // The records come from the model, which has a view of each.
    const rows = records.flatMap((record) => municipalityPartyRows(record, model.viewOf(record.ref.number)!));
    return { rows: rows.length, body: params.format === 'csv' ? toExportCsv(rows, MUNICIPALITY_COLUMNS) : JSON.stringify({ ...meta, rows }) };
  }
  const rows = records.flatMap((record) => districtPartyRows(record, new Map(listDistrictDetails(record).map((d) => [d.number, d.status]))));
  return { rows: rows.length, body: params.format === 'csv' ? toExportCsv(rows, DISTRICT_COLUMNS) : JSON.stringify({ ...meta, rows }) };
}

export function registerExportRoutes(app: FastifyInstance, model: ElectionReadModel): void {
  // One rendering per seq and request shape; a new seq replaces the lot.
  let cacheSeq = -1;
  const cache = new Map<string, { body: string; rows: number }>();

  app.get<{ Params: { file: string } }>('/api/v1/export/:file', async (request, reply) => {
    const params = ZExportParams.safeParse(parsePath(request.params.file));
    if (!params.success) {
      return sendError(reply, 404, 'not_found', 'No such export; see docs/api.md', toFieldIssues(params.error).map((i) => ({ ...i, field: `path.${i.field}` })));
    }
    const query = ZExportQuery.safeParse(request.query);
    if (!query.success) return sendError(reply, 400, 'bad_request', 'Bad export filter', toFieldIssues(query.error));
    if (params.data.kind === 'parties' && (query.data.municipality || query.data.county)) {
      return sendError(reply, 400, 'bad_request', 'The party export is national', [{ field: 'municipality', reason: 'not accepted by the party export' }]);
    }
    if (params.data.kind === 'seats' && query.data.municipality) {
      return sendError(reply, 400, 'bad_request', 'Seats are reported per county and nationally', [{ field: 'municipality', reason: 'not accepted by the seats export; use county' }]);
    }
    if (query.data.municipality && !model.findRecord(query.data.municipality)) {
      return sendError(reply, 404, 'not_found', `No municipality ${query.data.municipality} in this election`, [{ field: 'municipality', reason: 'unknown municipality' }]);
    }
    const seq = model.seq;
    const scope = `export-${params.data.kind}-${query.data.municipality ?? query.data.county ?? 'all'}-${params.data.format}`;
    if (notModified(request, reply, etagFor(seq, scope))) return reply.code(304).send();
    if (cacheSeq !== seq) {
      cache.clear();
      cacheSeq = seq;
    }
    const rendered = cache.get(scope) ?? render(model, params.data, query.data);
    cache.set(scope, rendered);
    reply.header('x-valgvakt-seq', String(seq)).header('x-valgvakt-rows', String(rendered.rows));
    if (params.data.format === 'csv') {
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="valgvakt-${params.data.kind}-${seq}.csv"`)
        .send(rendered.body);
    }
    return reply.type('application/json; charset=utf-8').send(rendered.body);
  });
}
