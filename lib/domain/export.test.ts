import { describe, expect, it } from 'vitest';
import { parseCsv } from '../csv.ts';
import type { UnitResult } from '../contracts/live.ts';
import {
  DISTRICT_COLUMNS, MUNICIPALITY_COLUMNS, PARTY_COLUMNS, UTF8_BOM, districtPartyRows, municipalityPartyRows, nationalPartyRows, toExportCsv,
} from './export.ts';
import { applyAcceptedResult, applyLocalCounts, computeMunicipalityView, createMunicipalityRecord } from './municipality.ts';
import { computeNationalTotals } from './national.ts';

function result(category: UnitResult['category'], votes: Record<string, number>): UnitResult {
  const counted = Object.values(votes).reduce((a, b) => a + b, 0);
  return { category, stage: 'preliminary', version: 1, countedAt: '2023-09-11T19:00:00.000Z', receivedAt: '2023-09-11T19:05:00.000Z',
    ballotsCounted: counted, ballotsRejected: 0, ballotsBlank: 0, votes };
}

function baerum() {
  const record = createMunicipalityRecord(
    { number: '3201', name: 'Bærum', countyNumber: '32', countyName: 'Akershus', electorate: 100_000, councilSize: 51, expectedTurnout: 70, watch: false,
      previousVotes: { H: 500, A: 300, 'FRP': 200 } },
    [{ number: '0000', name: 'Forhåndsstemmer', electorate: 0, kind: 'advance' }, { number: '0101', name: 'Bekkestua; "skole"', electorate: 4000, kind: 'election_day' },
      { number: '0102', name: 'Stabekk', electorate: 5000, kind: 'election_day' }],
    [{ code: 'H', name: 'Høyre' }, { code: 'A', name: 'Arbeiderpartiet' }, { code: 'FRP', name: 'Fremskrittspartiet' }],
  );
  applyAcceptedResult(record, '0000', result('advance', { H: 300, A: 100, FRP: 100 }));
  applyAcceptedResult(record, '0101', result('election_day', { H: 200, A: 250, FRP: 50 }));
  return record;
}

/** What Excel and a newsroom script see: BOM off, ';'-separated. */
function readExport(csv: string) {
  expect(csv.startsWith(UTF8_BOM)).toBe(true);
  expect(csv.includes('\r\n')).toBe(true);
  const header = csv.slice(1, csv.indexOf('\r\n')).split(';');
  return { header, rows: parseCsv(csv.slice(1), { delimiter: ';' }) };
}

describe('municipality export', () => {
  const record = baerum();
  const view = computeMunicipalityView(record);
  const rows = municipalityPartyRows(record, view);

  it('has one row per list with votes split into advance and election day, and the change since 2019', () => {
    expect(rows.map((r) => [r.partyCode, r.advanceVotes, r.electionDayVotes, r.votes])).toEqual([['H', 300, 200, 500], ['A', 100, 250, 350], ['FRP', 100, 50, 150]]);
    expect(rows[0]).toMatchObject({ municipalityName: 'Bærum', sharePercent: 50, changePoints: 0, provisional: true, countedPercent: 1.4286 });
    expect(rows[1]!.changePoints).toBeCloseTo(5, 10);
    expect(rows.reduce((sum, r) => sum + r.seats, 0)).toBe(51);
  });

  it('writes Valgdirektoratet\'s column names in its order, then ours, with decimal commas', () => {
    const { header, rows: parsed } = readExport(toExportCsv(rows, MUNICIPALITY_COLUMNS));
    expect(header).toEqual([
      'Fylkenummer', 'Fylkenavn', 'Kommunenummer', 'Kommunenavn', 'Partikode', 'Partinavn', 'Oppslutning prosentvis',
      'Antall stemmeberettigede', 'Antall forhåndsstemmer', 'Antall valgtingstemmer', 'Antall stemmer totalt',
      'Endring % siste tilsvarende valg', 'Antall mandater', 'Stemmer til neste mandat', 'Opptalt prosentvis', 'Foreløpig',
      // Added after the published columns, never between them.
      'Tilstand', 'Begrunnelse for tilstand', 'Tilstand siden', 'Telleenheter talt lokalt', 'Telleenheter talt lokalt, ikke mottatt',
      'Stemmer talt lokalt, ikke mottatt (anslag)', 'Siste resultat mottatt', 'Offentlig merknad',
      'Valgdeltakelse prosent (så langt opptalt)', 'Forventet valgdeltakelse prosent', 'Valgdeltakelse prosent siste tilsvarende valg',
    ]);
    expect(parsed[1]).toMatchObject({ Kommunenavn: 'Bærum', Partikode: 'A', 'Oppslutning prosentvis': '35', 'Antall stemmer totalt': '350', 'Endring % siste tilsvarende valg': '5', Foreløpig: 'ja' });
    expect(parsed[0]!['Opptalt prosentvis']).toBe('1,4286');
  });

  it('says each municipality\'s state, why and since when, its two ledgers, its last result and its public note', () => {
    const night = baerum();
    applyLocalCounts(night, ['0102'], '2023-09-11T19:20:00.000Z', 'election_day', 'preliminary');
    night.state = { state: 'backlog', since: '2023-09-11T19:30:00.000Z', reason: '1 krets ferdig talt lokalt, ikke mottatt' };
    night.oversight = { underReview: false, publicNote: 'Tallene kommer' };
    const [row] = municipalityPartyRows(night, computeMunicipalityView(night));
    expect(row).toMatchObject({
      state: 'backlog', stateReason: '1 krets ferdig talt lokalt, ikke mottatt', stateSince: '2023-09-11T19:30:00.000Z',
      // 0102: 5000 × 70 %; the advance unit and 0101 were received without a status report.
      districtsCountedLocally: 1, districtsPending: 1, ballotsPendingEstimate: 3500, lastResultAt: '2023-09-11T19:05:00.000Z', publicNote: 'Tallene kommer',
    });
    const { rows: parsed } = readExport(toExportCsv([row!], MUNICIPALITY_COLUMNS));
    expect(parsed[0]).toMatchObject({
      Tilstand: 'overføring henger', 'Tilstand siden': '2023-09-11T19:30:00.000Z', 'Telleenheter talt lokalt': '1',
      'Telleenheter talt lokalt, ikke mottatt': '1', 'Stemmer talt lokalt, ikke mottatt (anslag)': '3500', 'Offentlig merknad': 'Tallene kommer',
    });
    const quiet = readExport(toExportCsv(municipalityPartyRows(baerum(), computeMunicipalityView(baerum())), MUNICIPALITY_COLUMNS)).rows[0]!;
    expect(quiet).toMatchObject({ Tilstand: 'venter', 'Tilstand siden': '', 'Offentlig merknad': '' });
  });
});

describe('district export', () => {
  it('has a row per district × list, quoting names that hold the separator', () => {
    const record = baerum();
    const rows = districtPartyRows(record, new Map([['0000', 'preliminary'], ['0101', 'preliminary'], ['0102', 'waiting']]));
    expect(rows).toHaveLength(9);
    expect(rows.filter((r) => r.districtNumber === '0102').every((r) => r.votes === 0 && r.countStatus === 'waiting')).toBe(true);
    const { header, rows: parsed } = readExport(toExportCsv(rows, DISTRICT_COLUMNS));
    expect(header.slice(0, 10)).toEqual(['Fylkenummer', 'Fylkenavn', 'Kommunenummer', 'Kommunenavn', 'Stemmekretsnummer', 'Stemmekretsnavn', 'Partikode', 'Partinavn', 'Oppslutning prosentvis', 'Antall stemmeberettigede']);
    expect(parsed.find((r) => r.Stemmekretsnummer === '0101' && r.Partikode === 'A')).toMatchObject({
      Stemmekretsnavn: 'Bekkestua; "skole"', 'Antall valgtingstemmer': '250', 'Antall forhåndsstemmer': '0', 'Oppslutning prosentvis': '50', Opptellingsstatus: 'foreløpig',
    });
    // Norwegian words under Norwegian headers; the JSON keeps its codes.
    expect(new Set(parsed.map((r) => r.Opptellingsstatus))).toEqual(new Set(['foreløpig', 'venter']));
    expect(rows.find((r) => r.districtNumber === '0101')!.countStatus).toBe('preliminary');
    expect(parsed.find((r) => r.Stemmekretsnummer === '0000' && r.Partikode === 'H')).toMatchObject({ 'Antall forhåndsstemmer': '300', 'Oppslutning prosentvis': '60' });
  });
});

describe('party export', () => {
  it('has national shares, seats and councils led, and leaves an unknown change empty', () => {
    const record = baerum();
    const national = computeNationalTotals([{ view: computeMunicipalityView(record), previousVotes: { H: 500, A: 300, FRP: 200 } }]);
    const rows = nationalPartyRows(national);
    expect(rows.find((r) => r.partyCode === 'H')).toMatchObject({ votes: 500, sharePercent: 50, councilsLed: 1 });
    const { rows: parsed } = readExport(toExportCsv(rows, PARTY_COLUMNS));
    expect(parsed.find((r) => r.Partikode === 'SV')).toMatchObject({ 'Endring % siste tilsvarende valg': '', 'Antall kommunestyrer ledet': '0' });
    // Seats count only where enough is counted to mean something (hasEnoughCountedForSeats): not yet here.
    expect(parsed.reduce((sum, r) => sum + Number(r['Antall mandater']), 0)).toBe(0);
  });
});
