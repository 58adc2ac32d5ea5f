// The JSON form of the newsroom exports (GET /api/v1/export/{kind}.json), for the published API document.
// The rows are built in lib/domain/export.ts; the checks at the end keep the two in step at compile time.
import { z } from 'zod';
import type { DistrictPartyRow, MunicipalityPartyRow, NationalPartyRow, ReportedSeatRow } from '../domain/export.ts';
import { ZMunicipalityState } from './ops.ts';

const ZPlace = z.object({ countyNumber: z.string(), countyName: z.string(), municipalityNumber: z.string(), municipalityName: z.string() });
const ZListVotes = z.object({
  partyCode: z.string(),
  partyName: z.string(),
  /** Percent of list votes counted, e.g. 19.64134. */
  sharePercent: z.number(),
  electorate: z.number().int(),
  advanceVotes: z.number().int(),
  electionDayVotes: z.number().int(),
  votes: z.number().int(),
});

export const ZMunicipalityPartyRow = ZPlace.extend(ZListVotes.shape).extend({
  changePoints: z.number().nullable(),
  seats: z.number().int(),
  votesToNextSeat: z.number().int().nullable(),
  countedPercent: z.number(),
  provisional: z.boolean(),
  state: ZMunicipalityState,
  stateReason: z.string(),
  stateSince: z.string().nullable(),
  districtsCountedLocally: z.number().int(),
  districtsPending: z.number().int(),
  ballotsPendingEstimate: z.number().int(),
  lastResultAt: z.string().nullable(),
  publicNote: z.string().nullable(),
  turnout: z.number(),
  expectedTurnout: z.number(),
  comparisonTurnout: z.number().nullable(),
});

export const ZDistrictPartyRow = ZPlace.extend(ZListVotes.shape).extend({
  districtNumber: z.string(),
  districtName: z.string(),
  countStatus: z.enum(['waiting', 'preliminary', 'final']),
});

export const ZNationalPartyRow = z.object({
  partyCode: z.string(),
  partyName: z.string(),
  sharePercent: z.number(),
  votes: z.number().int(),
  changePoints: z.number().nullable(),
  seats: z.number().int(),
  councilsLed: z.number().int(),
});

/** Seats as a source reported them (storting elections), one row per area and list. */
export const ZReportedSeatRow = z.object({
  area: z.string(),
  areaName: z.string(),
  partyCode: z.string(),
  partyName: z.string(),
  seats: z.number().int(),
  levellingSeats: z.number().int(),
  final: z.boolean(),
  source: z.string(),
  reportedAt: z.string(),
});

const ZExportMeta = z.object({ seq: z.number().int(), generatedAt: z.string(), election: z.object({ id: z.string(), name: z.string() }) });
export const ZMunicipalityExport = ZExportMeta.extend({ rows: z.array(ZMunicipalityPartyRow) });
export const ZDistrictExport = ZExportMeta.extend({ rows: z.array(ZDistrictPartyRow) });
export const ZPartyExport = ZExportMeta.extend({ rows: z.array(ZNationalPartyRow) });
export const ZSeatExport = ZExportMeta.extend({ rows: z.array(ZReportedSeatRow) });

// Compile-time: each schema describes exactly the rows lib/domain/export.ts builds (countStatus is a
// string there and one of three words here, so that one is checked one way).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _municipalityRowsAgree: Same<z.infer<typeof ZMunicipalityPartyRow>, MunicipalityPartyRow> = true;
const _nationalRowsAgree: Same<z.infer<typeof ZNationalPartyRow>, NationalPartyRow> = true;
const _districtRowsFit: z.infer<typeof ZDistrictPartyRow> extends DistrictPartyRow ? true : false = true;
void [_municipalityRowsAgree, _nationalRowsAgree, _districtRowsFit];
const _seatRowsAgree: Same<z.infer<typeof ZReportedSeatRow>, ReportedSeatRow> = true;
