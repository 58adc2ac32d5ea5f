// Newsroom exports: results per municipality, per district and per party, as rows with one meaning and two
// spellings — JSON (camelCase, numbers) and CSV laid out like Valgdirektoratet's own export (semicolon,
// decimal comma, its column names where they overlap, ours after them). Pure: the sidecar serves these.
import { toCsv } from '../csv.ts';
import type { NationalTotals } from '../contracts/live.ts';
import type { MunicipalityState } from '../contracts/ops.ts';
import type { ReportedSeats } from '../contracts/seats.ts';
import { reconcile } from './stall-detection.ts';
import { listBestResults, type MunicipalityRecord, type MunicipalityView } from './municipality.ts';
import { STATE_NAMES } from './revision.ts';

export const EXPORT_KINDS = ['municipalities', 'districts', 'parties'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

type Cell = string | number | null;

interface Column<Row> {
  /** Header in the CSV: Valgdirektoratet's name where it has the column. */
  header: string;
  /** Field name in the JSON rows. */
  key: keyof Row & string;
  /** CSV spelling; numbers default to plain integers. */
  format?: 'percent' | 'points' | 'yesNo';
  /** CSV spelling of a coded value: the JSON keeps the code, the CSV says it in Norwegian. */
  words?: Readonly<Record<string, string>>;
}

/** A district's own count in the CSV: Norwegian words under Norwegian headers. */
export const COUNT_STATUS_WORDS: Readonly<Record<string, string>> = { waiting: 'venter', preliminary: 'foreløpig', final: 'endelig' };

/** Where a row belongs: Valgdirektoratet's first four columns. */
export interface Place {
  countyNumber: string;
  countyName: string;
  municipalityNumber: string;
  municipalityName: string;
}

/** One list's votes in a place: the columns both place-level exports share. */
export interface ListVotes {
  partyCode: string;
  partyName: string;
  /** Percent of list votes counted, e.g. 19.64134. */
  sharePercent: number;
  electorate: number;
  advanceVotes: number;
  electionDayVotes: number;
  votes: number;
}

export interface MunicipalityPartyRow extends Place, ListVotes {
  /** Percentage points since 2019; null where the list did not stand or nothing is counted. */
  changePoints: number | null;
  seats: number;
  votesToNextSeat: number | null;
  countedPercent: number;
  provisional: boolean;
  // The municipality's health on the night, after the columns above (never renamed, only added to).
  state: MunicipalityState;
  stateReason: string;
  stateSince: string | null;
  /** Counting units (districts and the advance unit) reported counted locally, and those of them not received. */
  districtsCountedLocally: number;
  districtsPending: number;
  ballotsPendingEstimate: number;
  lastResultAt: string | null;
  publicNote: string | null;
  /** Turnout in percent: counted so far (the municipality's turnout once complete), expected, and the comparison year's. */
  turnout: number;
  expectedTurnout: number;
  comparisonTurnout: number | null;
}

export interface DistrictPartyRow extends Place, ListVotes {
  districtNumber: string;
  districtName: string;
  /** waiting | preliminary | final, of the district's own count. */
  countStatus: string;
}

export interface NationalPartyRow {
  partyCode: string;
  partyName: string;
  sharePercent: number;
  votes: number;
  changePoints: number | null;
  seats: number;
  councilsLed: number;
}

/** One list's seats in one area, as a seat source reported them (storting elections). */
export interface ReportedSeatRow {
  area: string;
  areaName: string;
  partyCode: string;
  partyName: string;
  seats: number;
  levellingSeats: number;
  final: boolean;
  source: string;
  reportedAt: string;
}

function placeColumns<Row extends Place>(): Column<Row>[] {
  return [
    { header: 'Fylkenummer', key: 'countyNumber' },
    { header: 'Fylkenavn', key: 'countyName' },
    { header: 'Kommunenummer', key: 'municipalityNumber' },
    { header: 'Kommunenavn', key: 'municipalityName' },
  ];
}

function listVoteColumns<Row extends ListVotes>(): Column<Row>[] {
  return [
    { header: 'Partikode', key: 'partyCode' },
    { header: 'Partinavn', key: 'partyName' },
    { header: 'Oppslutning prosentvis', key: 'sharePercent', format: 'percent' },
    { header: 'Antall stemmeberettigede', key: 'electorate' },
    { header: 'Antall forhåndsstemmer', key: 'advanceVotes' },
    { header: 'Antall valgtingstemmer', key: 'electionDayVotes' },
    { header: 'Antall stemmer totalt', key: 'votes' },
  ];
}

export const MUNICIPALITY_COLUMNS: Column<MunicipalityPartyRow>[] = [
  ...placeColumns<MunicipalityPartyRow>(),
  ...listVoteColumns<MunicipalityPartyRow>(),
  { header: 'Endring % siste tilsvarende valg', key: 'changePoints', format: 'points' },
  { header: 'Antall mandater', key: 'seats' },
  { header: 'Stemmer til neste mandat', key: 'votesToNextSeat' },
  { header: 'Opptalt prosentvis', key: 'countedPercent', format: 'percent' },
  { header: 'Foreløpig', key: 'provisional', format: 'yesNo' },
  { header: 'Tilstand', key: 'state', words: STATE_NAMES },
  { header: 'Begrunnelse for tilstand', key: 'stateReason' },
  { header: 'Tilstand siden', key: 'stateSince' },
  { header: 'Telleenheter talt lokalt', key: 'districtsCountedLocally' },
  { header: 'Telleenheter talt lokalt, ikke mottatt', key: 'districtsPending' },
  { header: 'Stemmer talt lokalt, ikke mottatt (anslag)', key: 'ballotsPendingEstimate' },
  { header: 'Siste resultat mottatt', key: 'lastResultAt' },
  { header: 'Offentlig merknad', key: 'publicNote' },
  { header: 'Valgdeltakelse prosent (så langt opptalt)', key: 'turnout', format: 'percent' },
  { header: 'Forventet valgdeltakelse prosent', key: 'expectedTurnout', format: 'percent' },
  { header: 'Valgdeltakelse prosent siste tilsvarende valg', key: 'comparisonTurnout', format: 'percent' },
];

export const DISTRICT_COLUMNS: Column<DistrictPartyRow>[] = [
  ...placeColumns<DistrictPartyRow>(),
  { header: 'Stemmekretsnummer', key: 'districtNumber' },
  { header: 'Stemmekretsnavn', key: 'districtName' },
  ...listVoteColumns<DistrictPartyRow>(),
  { header: 'Opptellingsstatus', key: 'countStatus', words: COUNT_STATUS_WORDS },
];

export const PARTY_COLUMNS: Column<NationalPartyRow>[] = [
  { header: 'Partikode', key: 'partyCode' },
  { header: 'Partinavn', key: 'partyName' },
  { header: 'Oppslutning prosentvis', key: 'sharePercent', format: 'percent' },
  { header: 'Antall stemmer totalt', key: 'votes' },
  { header: 'Endring % siste tilsvarende valg', key: 'changePoints', format: 'points' },
  { header: 'Antall mandater', key: 'seats' },
  { header: 'Antall kommunestyrer ledet', key: 'councilsLed' },
];

const toPercent = (fraction: number) => round(fraction * 100, 5);
function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** Votes per list code in one municipality's best counts, split by category (and optionally one district). */
function votesByCategory(record: MunicipalityRecord, district?: string): { advance: Map<string, number>; electionDay: Map<string, number> } {
  const advance = new Map<string, number>();
  const electionDay = new Map<string, number>();
  const scope = district === undefined ? record : { ...record, results: new Map([[district, record.results.get(district) ?? []]]) };
  for (const result of listBestResults(scope)) {
    const target = result.category === 'advance' ? advance : electionDay;
    for (const [code, votes] of Object.entries(result.votes)) target.set(code, (target.get(code) ?? 0) + votes);
  }
  return { advance, electionDay };
}

function placeOf(record: MunicipalityRecord): Place {
  return { countyNumber: record.ref.countyNumber, countyName: record.ref.countyName, municipalityNumber: record.ref.number, municipalityName: record.ref.name };
}

/** A list's votes in a place (a municipality, or one district of it), from the votes per category there. */
function listVotesOf(list: { code: string; name: string }, share: number, electorate: number, byCategory: ReturnType<typeof votesByCategory>, votes: number): ListVotes {
  return {
    partyCode: list.code,
    partyName: list.name,
    sharePercent: toPercent(share),
    electorate,
    advanceVotes: byCategory.advance.get(list.code) ?? 0,
    electionDayVotes: byCategory.electionDay.get(list.code) ?? 0,
    votes,
  };
}

export function municipalityPartyRows(record: MunicipalityRecord, view: MunicipalityView): MunicipalityPartyRow[] {
  const byCategory = votesByCategory(record);
  const seats = new Map(view.seats.lists.map((l) => [l.code, l]));
  const ledgers = reconcile(record);
  const { summary } = view;
  return view.parties.map((party) => ({
    ...placeOf(record),
    ...listVotesOf(party, party.share, record.ref.electorate, byCategory, party.votes),
    changePoints: party.change === null ? null : toPercent(party.change),
    seats: seats.get(party.code)?.seats ?? 0,
    votesToNextSeat: seats.get(party.code)?.votesToNextSeat ?? null,
    countedPercent: toPercent(view.summary.countedShare),
    provisional: view.seats.provisional,
    state: summary.state,
    stateReason: summary.stateReason,
    stateSince: summary.stateSince,
    districtsCountedLocally: ledgers.districtsCountedLocally,
    districtsPending: ledgers.districtsPending,
    ballotsPendingEstimate: ledgers.ballotsPendingEstimate,
    lastResultAt: summary.lastResultAt,
    publicNote: summary.publicNote,
    turnout: summary.turnout,
    expectedTurnout: summary.expectedTurnout,
    comparisonTurnout: summary.comparisonTurnout,
  }));
}

export function districtPartyRows(record: MunicipalityRecord, districtStatus: ReadonlyMap<string, string>): DistrictPartyRow[] {
  const rows: DistrictPartyRow[] = [];
  for (const district of record.districts) {
    const byCategory = votesByCategory(record, district.number);
    const total = (code: string) => (byCategory.advance.get(code) ?? 0) + (byCategory.electionDay.get(code) ?? 0);
    const allVotes = record.partyLists.reduce((sum, list) => sum + total(list.code), 0);
    for (const list of record.partyLists) {
      rows.push({
        ...placeOf(record),
        districtNumber: district.number,
        districtName: district.name,
        ...listVotesOf(list, allVotes > 0 ? total(list.code) / allVotes : 0, district.electorate, byCategory, total(list.code)),
        countStatus: districtStatus.get(district.number) ?? 'waiting',
      });
    }
  }
  return rows;
}

export const SEAT_COLUMNS: Column<ReportedSeatRow>[] = [
  { header: 'Område', key: 'area' },
  { header: 'Områdenavn', key: 'areaName' },
  { header: 'Partikode', key: 'partyCode' },
  { header: 'Partinavn', key: 'partyName' },
  { header: 'Antall mandater', key: 'seats' },
  { header: 'Herav utjevningsmandater', key: 'levellingSeats' },
  { header: 'Endelig', key: 'final', format: 'yesNo' },
  { header: 'Kilde', key: 'source' },
  { header: 'Rapportert', key: 'reportedAt' },
];

/** Every area's reported seats, list by list, in the order the pages show them. */
export function reportedSeatRows(areas: readonly ReportedSeats[]): ReportedSeatRow[] {
  return areas.flatMap((a) => a.lists.map((l) => ({
    area: a.area, areaName: a.areaName, partyCode: l.code, partyName: l.name, seats: l.seats, levellingSeats: l.levelling,
    final: a.final, source: a.source, reportedAt: a.reportedAt,
  })));
}

export function nationalPartyRows(national: NationalTotals): NationalPartyRow[] {
  const councils = new Map(national.councils.map((c) => [c.code, c]));
  return national.parties.map((party) => ({
    partyCode: party.code,
    partyName: party.name,
    sharePercent: toPercent(party.share),
    votes: party.votes,
    changePoints: party.change === null ? null : toPercent(party.change),
    seats: councils.get(party.code)?.seats ?? 0,
    councilsLed: councils.get(party.code)?.councilsLed ?? 0,
  }));
}

/** Decimal comma, no thousands separator: what Norwegian Excel reads as a number. */
function csvCell(value: unknown, format: Column<never>['format'], words?: Column<never>['words']): Cell {
  if (value === null || value === undefined) return null;
  if (words) return words[String(value)] ?? String(value);
  if (format === 'yesNo') return value ? 'ja' : 'nei';
  if (typeof value === 'number') return format ? String(value).replace('.', ',') : String(value);
  return String(value);
}

export const UTF8_BOM = '\uFEFF';

/**
 * CSV as Valgdirektoratet publishes it: ';'-separated, CRLF, with a UTF-8 byte order mark so Excel opens
 * "Forhåndsstemmer" and "Bærum" right.
 */
export function toExportCsv<Row extends object>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  const cells = rows.map((row) =>
    Object.fromEntries(columns.map((c) => [c.header, csvCell(row[c.key], c.format, c.words)])),
  );
  return UTF8_BOM + toCsv(cells, columns.map((c) => c.header), { delimiter: ';', lineEnding: '\r\n' });
}
