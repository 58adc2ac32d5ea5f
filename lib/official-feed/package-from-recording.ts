// Turns a recording of the official feed (2025 schema) into the rows of an election package (pure, no I/O).
// Everything comes from the feed as recorded: municipalities, counting units, electorate and lists as the
// last snapshot of each level states them, expected results as the last snapshot's totals, and the arrival
// schedule from when each municipality's published counts reached each share of its polling stations.
import { parseFeedBody, type FeedBody, type RecordedLine } from './feed-2025.ts';

type Row = Record<string, string | number>;

/** The feed's code for blank ballots; the package's `BLANKE` takes it as is. */
export const FEED_BLANK_CODE = 'BLANKE';
/**
 * The feed's advance districts: 9998 "Øvrige forhåndsstemmer" and 9999 "Forhåndsstemmer - telt etter kl. 17
 * dagen etter valgdagen" (both in every municipality but Oslo). With the advance venues (`forhaandsstemmelokale`)
 * they hold advance votes only, so none of them is a polling-station unit.
 */
export const FEED_ADVANCE_DISTRICTS: ReadonlySet<string> = new Set(['9998', '9999']);
/**
 * The number of each municipality's one advance unit: the package format wants exactly one, standing for all
 * the advance votes the feed reports at municipality level, so it takes the feed's last advance district's
 * number (and is made for Oslo, whose districts are its boroughs).
 */
export const ADVANCE_UNIT_NUMBER = '9999';
export const ARRIVAL_QUANTILES = [0, 10, 25, 50, 75, 90, 100] as const;

export type Snapshot = { polledAt: string; body: FeedBody };
export type PackageRows = {
  municipalities: Row[]; countingUnits: Row[]; lists: Row[]; expectedResults: Row[]; arrival: Row[];
  /** Fields of the feed the parser did not know, with how often they were seen: reported, never read. */
  unknownFields: Map<string, number>;
};

// Code-point order, not the locale's: the files must not depend on the machine that builds them.
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byPolledAt = (a: Snapshot, b: Snapshot) => compare(a.polledAt, b.polledAt);
const minutesAfter = (polledAt: string, pollsCloseAt: Date) => Math.max(0, Math.round((Date.parse(polledAt) - pollsCloseAt.getTime()) / 6000) / 10);
const unitNumber = (nr: string) => nr.padStart(4, '0');

/** Parses the recording's lines; a body the parser refuses stops the build with its file. */
export function parseRecording(lines: readonly RecordedLine[]): { kommune: Map<string, Snapshot[]>; units: Map<string, Snapshot[]>; unknownFields: Map<string, number> } {
  const kommune = new Map<string, Snapshot[]>();
  const units = new Map<string, Snapshot[]>();
  const unknownFields = new Map<string, number>();
  for (const line of lines) {
    if (line.level !== 'kommune' && line.level !== 'krets') continue;
    const parsed = parseFeedBody(line.body);
    if (!parsed.ok) throw new Error(`${line.file}: ${parsed.error}`);
    for (const f of parsed.body.unknownFields) unknownFields.set(f, (unknownFields.get(f) ?? 0) + 1);
    const target = line.level === 'kommune' ? kommune : units;
    const key = line.level === 'kommune' ? parsed.body.nr : parsed.body.links.self;
    target.set(key, [...(target.get(key) ?? []), { polledAt: line.polledAt, body: parsed.body }]);
  }
  for (const list of [...kommune.values(), ...units.values()]) list.sort(byPolledAt);
  return { kommune, units, unknownFields };
}

/**
 * The arrival schedule of one municipality: minutes after the polls close of the first poll at which the
 * first count (`forste`) of all its advance venues was published, and of the first poll at which that count
 * covered each share of its polling stations (`valgtingslokale`; 0 % = the first one). Polls were 15 minutes
 * apart, so each time is an upper bound, late by up to one poll interval. A share never reached in the
 * recording takes the last poll's time; a municipality without polling stations takes its advance time.
 */
export function arrivalRow(municipality: string, snapshots: readonly Snapshot[], pollsCloseAt: Date): Row {
  const last = snapshots.at(-1);
  if (!last) throw new Error(`${municipality}: no body in the recording`);
  const first = (test: (b: FeedBody) => boolean) => snapshots.find((s) => test(s.body))?.polledAt ?? last.polledAt;
  const advance = first((b) => {
    const c = b.counting.forste?.forhaandsstemmelokale;
    return c ? c.total > 0 ? c.done >= c.total : (b.votes.advance ?? 0) > 0 : (b.votes.advance ?? 0) > 0;
  });
  const advanceMinutes = minutesAfter(advance, pollsCloseAt);
  const row: Row = { Kommunenummer: municipality, 'Forhånd minutter': advanceMinutes };
  let floor = advanceMinutes;
  for (const q of ARRIVAL_QUANTILES) {
    const at = first((b) => {
      const c = b.counting.forste?.valgtingslokale;
      if (!c || c.total === 0) return true;
      return q === 0 ? c.done > 0 : c.done * 100 >= q * c.total;
    });
    // Never decreasing, as the package format requires (and as counting does).
    floor = Math.max(floor, minutesAfter(at, pollsCloseAt));
    row[`Valgting ${q} %`] = floor;
  }
  return row;
}

/** All rows of the package, sorted by municipality, unit and code. */
export function packageRowsFromRecording(lines: readonly RecordedLine[], pollsCloseAt: Date): PackageRows {
  const { kommune, units, unknownFields } = parseRecording(lines);
  const municipalities: Row[] = [];
  const countingUnits: Row[] = [];
  const lists: Row[] = [];
  const expectedResults: Row[] = [];
  const arrival: Row[] = [];
  for (const [number, snapshots] of [...kommune].sort(([a], [b]) => compare(a, b))) {
    const last = snapshots.at(-1)?.body;
    if (!last) throw new Error(`${number}: no body in the recording`);
    const county = last.links.up;
    if (!county) throw new Error(`${number}: the feed gives no county (_links.up)`);
    if (last.electorate === null) throw new Error(`${number}: the feed gives no electorate (antallsb)`);
    municipalities.push({
      Kommunenummer: number, Kommunenavn: last.name, Fylkenummer: county.nr, Fylkenavn: county.name,
      'Antall stemmeberettigede': last.electorate, 'Forventet oppmøte prosent': last.turnoutPercent ?? 0,
    });
    // The polling-station units are the municipality's related entries that are not advance venues
    // (for Oslo the boroughs, the level the feed has below the municipality); their electorate is the last
    // recorded body of the unit, or 0 when the recording has none.
    const seen = new Set<string>();
    const unitRows: Row[] = [];
    for (const related of last.links.related) {
      const nr = unitNumber(related.nr);
      if (related.advanceVenue === true || FEED_ADVANCE_DISTRICTS.has(nr) || nr === ADVANCE_UNIT_NUMBER) continue;
      if (seen.has(nr)) throw new Error(`${number}: counting unit ${nr} is taken twice`);
      seen.add(nr);
      const unitBody = units.get(related.href)?.at(-1)?.body;
      unitRows.push({ Kommunenummer: number, Stemmekretsnummer: nr, Stemmekretsnavn: related.name, Stemmekretstype: 'valgting', 'Antall stemmeberettigede': unitBody?.electorate ?? 0 });
    }
    if (unitRows.length === 0) throw new Error(`${number}: the feed lists no polling-station unit`);
    countingUnits.push(
      ...[...unitRows, { Kommunenummer: number, Stemmekretsnummer: ADVANCE_UNIT_NUMBER, Stemmekretsnavn: 'Forhåndsstemmer', Stemmekretstype: 'forhånd', 'Antall stemmeberettigede': 0 }]
        .sort((a, b) => compare(String(a.Stemmekretsnummer), String(b.Stemmekretsnummer))),
    );
    // The feed's pools (Andre, Andre2) repeat itemised lists' votes: neither a list nor a result here.
    const parties = last.parties.filter((p) => !p.pool).sort((a, b) => compare(a.code, b.code));
    for (const p of parties) {
      if (p.code !== FEED_BLANK_CODE) lists.push({ Kommunenummer: number, Partikode: p.code, Partinavn: p.name });
      expectedResults.push({ Kommunenummer: number, Partikode: p.code, 'Antall stemmer totalt': p.total ?? 0 });
    }
    arrival.push(arrivalRow(number, snapshots, pollsCloseAt));
  }
  return { municipalities, countingUnits, lists, expectedResults, arrival, unknownFields };
}
