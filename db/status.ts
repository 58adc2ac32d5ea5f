// Status reports: which districts a municipality has finished counting locally. Kept whole for audit;
// local_count keeps the first time each district was declared counted. Decided inside an ingest batch's
// transaction (db/ingest.ts), each against the stored reports and the batch's earlier ones.
import type { StatusReportedPayload } from '../lib/contracts/changes.ts';
import type { StatusReport } from '../lib/contracts/ingest.ts';
import { Prisma } from './client.ts';
import type { PendingChange, SeqRef } from './changes.ts';
import type { BatchDecision } from './results.ts';


export interface StatusReportInput {
  report: StatusReport;
  payloadHash: string;
  receivedAt: Date;
  credentialId: number | null;
  actor: string;
}

/** Database ids of a municipality's reference data. */
export interface StatusMunicipality {
  id: number;
  /** District number → id (at least the districts the batch's reports name). */
  districts: ReadonlyMap<string, number>;
}

export interface StatusBook {
  /** Decides one report against the stored reports and the reports this book accepted before it. */
  decide(input: StatusReportInput): BatchDecision;
  /** CTEs writing the accepted reports alongside their changes (see `appendChanges`); none if none. */
  writes(position: (change: PendingChange) => number): Prisma.Sql[];
}

/** What deciding a batch's status reports needs from the database (see `selectStatusState`). */
export interface StatusState {
  /** Stored reports with the municipality and payload of one of the batch's reports: resends. */
  resends: Array<{ municipalityId: number; payloadHash: string; seq: string }>;
  /** Districts (of those the batch names) already counted locally, per category and stage. */
  counted: Array<{ districtId: number; category: string; stage: string }>;
}

/** The batch's part of the one read under the change-log lock (db/ingest.ts): a jsonb `StatusState`. */
export function selectStatusState(municipalities: ReadonlyMap<string, StatusMunicipality>, inputs: readonly StatusReportInput[]): Prisma.Sql {
  // A batch of result reports only: no status subqueries to plan or run.
  if (inputs.length === 0) return Prisma.sql`'{"resends": [], "counted": []}'::jsonb`;
  const known = inputs.flatMap((input) => {
    const municipality = municipalities.get(input.report.municipality);
    return municipality ? [{ municipality, input }] : [];
  });
  const districtIds = [...new Set(known.flatMap(({ municipality, input }) => input.report.districts.flatMap((number) => municipality.districts.get(number) ?? [])))];
  return Prisma.sql`jsonb_build_object(
    'resends', (SELECT COALESCE(jsonb_agg(jsonb_build_object('municipalityId', s.municipality_id, 'payloadHash', s.payload_hash, 'seq', s.seq::text)), '[]')
      FROM unnest(${known.map((k) => k.municipality.id)}::int[], ${known.map((k) => k.input.payloadHash)}::text[]) AS k(municipality_id, payload_hash)
      JOIN status_report s USING (municipality_id, payload_hash)),
    'counted', (SELECT COALESCE(jsonb_agg(jsonb_build_object('districtId', l.district_id, 'category', l.category, 'stage', l.stage)), '[]')
      FROM local_count l WHERE l.district_id = ANY(${districtIds}::int[])))`;
}

export function openStatusBook(electionId: string, municipalities: ReadonlyMap<string, StatusMunicipality>, state: StatusState): StatusBook {
  const resends = new Map<string, SeqRef>(state.resends.map((row) => [`${row.municipalityId}|${row.payloadHash}`, { seq: BigInt(row.seq) }]));
  const countedKey = (districtId: number, category: string, stage: string) => `${districtId}|${category}|${stage}`;
  const counted = new Set(state.counted.map((row) => countedKey(row.districtId, row.category, row.stage)));
  const accepted: Array<{ input: StatusReportInput; municipalityId: number; fresh: number[]; change: PendingChange }> = [];

  return {
    decide(input) {
      const { report } = input;
      const municipality = municipalities.get(report.municipality);
      if (!municipality) return { kind: 'invalid', issues: [{ field: 'municipality', reason: `unknown municipality ${report.municipality}` }] };
      const resend = resends.get(`${municipality.id}|${input.payloadHash}`);
      if (resend) return { kind: 'duplicate', of: resend };

      const districts = report.districts.flatMap((number) => {
        const id = municipality.districts.get(number);
        return id === undefined ? [] : [{ id, number }];
      });
      const fresh = districts.filter((d) => !counted.has(countedKey(d.id, report.category, report.stage)));
      const at = new Date(report.at);
      const payload: StatusReportedPayload = {
        municipality: report.municipality,
        category: report.category,
        stage: report.stage,
        at: at.toISOString(),
        receivedAt: input.receivedAt.toISOString(),
        districts: [...report.districts].sort(),
        newlyCounted: fresh.map((d) => d.number).sort(),
        ...(report.recount ? { recount: true, ...(report.recountReason ? { recountReason: report.recountReason } : {}) } : {}),
      };
      const change: PendingChange = {
        draft: { electionId, municipalityId: municipality.id, kind: 'status.reported', actor: input.actor, at: input.receivedAt, payload },
      };
      for (const d of fresh) counted.add(countedKey(d.id, report.category, report.stage));
      resends.set(`${municipality.id}|${input.payloadHash}`, change);
      accepted.push({ input, municipalityId: municipality.id, fresh: fresh.map((d) => d.id), change });
      return { kind: 'created', change };
    },

    writes(position) {
      if (accepted.length === 0) return [];
      const rows = accepted.map(({ input, municipalityId, fresh, change }) => ({
        position: position(change),
        municipality_id: municipalityId,
        category: input.report.category,
        stage: input.report.stage,
        at: new Date(input.report.at).toISOString(),
        received_at: input.receivedAt.toISOString(),
        district_numbers: [...input.report.districts].sort(),
        payload_hash: input.payloadHash,
        credential_id: input.credentialId,
        fresh,
      }));
      // The reports and the districts they were the first to declare counted.
      return [Prisma.sql`status_input AS (
          SELECT s.seq, x.* FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(
            position int, municipality_id int, category count_category, stage count_stage, at timestamptz, received_at timestamptz,
            district_numbers text[], payload_hash text, credential_id int, fresh int[])
          JOIN change_seq s USING (position)
        ), status_row AS (
          INSERT INTO status_report (municipality_id, category, stage, at, received_at, district_numbers, payload_hash, seq, credential_id)
          SELECT municipality_id, category, stage, at, received_at, district_numbers, payload_hash, seq, credential_id FROM status_input
          RETURNING id, seq
        ), status_counted AS (
          INSERT INTO local_count (district_id, category, stage, finished_at, status_report_id)
          SELECT fresh.district_id, i.category, i.stage, i.at, r.id
          FROM status_row r JOIN status_input i USING (seq), unnest(i.fresh) AS fresh(district_id)
        )`];
    },
  };
}
