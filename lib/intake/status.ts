// Status reports: which districts a municipality has finished counting locally. Kept whole for audit;
// local_count keeps the first time each district was declared counted. Decided in an ingest batch
// (lib/intake/decide.ts), each against the stored reports and the batch's earlier ones. Pure.
import type { StatusReportedPayload } from '../contracts/changes.ts';
import type { StatusReport } from '../contracts/ingest.ts';
import type { ChangeRef, ChangeSink, ReportDecision } from './results.ts';
import { requireReference } from './references.ts';


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
  decide(input: StatusReportInput): ReportDecision;
  /** The accepted reports' rows, for `ingest_batch_append`. */
  rows(): StatusRow[];
}

/** What deciding a batch's status reports needs from the database (`ingest_batch_state`, db/ingest.ts). */
export interface StatusState {
  /** Stored reports with the municipality and payload of one of the batch's reports: resends. */
  resends: Array<{ municipalityId: number; payloadHash: string; seq: string }>;
  /** Districts (of those the batch names) already counted locally, per category and stage. */
  counted: Array<{ districtId: number; category: string; stage: string }>;
}

/** What the batch's status reports need read (`ingest_batch_state`'s last three arguments, in order). */
export type StatusStateKeys = [municipalities: number[], payloadHashes: string[], districtIds: number[]];

export function listStatusStateKeys(municipalities: ReadonlyMap<string, StatusMunicipality>, inputs: readonly StatusReportInput[]): StatusStateKeys {
  const known = inputs.flatMap((input) => {
    const municipality = municipalities.get(input.report.municipality);
    return municipality ? [{ municipality, input }] : [];
  });
  const districtIds = [...new Set(known.flatMap(({ municipality, input }) => input.report.districts.flatMap((number) => municipality.districts.get(number) ?? [])))];
  return [known.map((k) => k.municipality.id), known.map((k) => k.input.payloadHash), districtIds];
}

/** An accepted status report as `ingest_batch_append` writes it; `position` is its change's place in the batch. */
export interface StatusRow {
  position: number;
  municipality_id: number;
  category: StatusReport['category'];
  stage: StatusReport['stage'];
  at: string;
  received_at: string;
  district_numbers: string[];
  payload_hash: string;
  credential_id: number | null;
  /** Districts this report is the first to declare counted. */
  fresh: number[];
}

export function openStatusBook(electionId: string, municipalities: ReadonlyMap<string, StatusMunicipality>, state: StatusState, changes: ChangeSink): StatusBook {
  const resends = new Map<string, ChangeRef>(state.resends.map((row) => [`${row.municipalityId}|${row.payloadHash}`, { seq: row.seq }]));
  const countedKey = (districtId: number, category: string, stage: string) => `${districtId}|${category}|${stage}`;
  const counted = new Set(state.counted.map((row) => countedKey(row.districtId, row.category, row.stage)));
  const accepted: Array<{ input: StatusReportInput; municipalityId: number; fresh: number[]; position: number }> = [];

  return {
    decide(input) {
      const { report } = input;
      const municipality = requireReference(municipalities.get(report.municipality), `municipality ${report.municipality}`);
      const resend = resends.get(`${municipality.id}|${input.payloadHash}`);
      if (resend) return { kind: 'duplicate', of: resend };

      const districts = report.districts.map((number) => ({ id: requireReference(municipality.districts.get(number), `district ${number} of municipality ${report.municipality}`), number }));
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
      const position = changes.add({ electionId, municipalityId: municipality.id, kind: 'status.reported', actor: input.actor, at: input.receivedAt, payload });
      for (const d of fresh) counted.add(countedKey(d.id, report.category, report.stage));
      resends.set(`${municipality.id}|${input.payloadHash}`, { position });
      accepted.push({ input, municipalityId: municipality.id, fresh: fresh.map((d) => d.id), position });
      return { kind: 'created', position };
    },

    rows() {
      return accepted.map(({ input, municipalityId, fresh, position }): StatusRow => ({
        position,
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
    },
  };
}
