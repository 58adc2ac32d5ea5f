// The in-memory public state of one election, built by folding the change log. Snapshots and details are
// computed from it and cached per seq, so a read costs no database query.
import type { ElectionInfo } from '../lib/contracts/election.ts';
import { isElectionChange, type ChangeEntry } from '../lib/contracts/changes.ts';
import type { ClockState } from '../lib/contracts/clock.ts';
import type { CountyDetail, MunicipalityDetail, MunicipalitySummary, NationalCounts, NationalTotals, Snapshot } from '../lib/contracts/live.ts';
import type { ArrivalCurve } from '../lib/domain/arrival.ts';
import { foldChange } from '../lib/domain/fold-change.ts';
import {
  computeMunicipalityView, createMunicipalityRecord, listDistrictDetails, type MunicipalityRecord, type MunicipalityView,
} from '../lib/domain/municipality.ts';
import { computeNationalTotals, createNationalTally, nationalContributionOf, nationalStatics, nationalTotalsFrom, type NationalInput, type NationalStatics } from '../lib/domain/national.ts';
import type { NationalContribution, NationalTally } from '../lib/domain/national-tally.ts';
import { NATIONAL_AREA, type ReportedSeats } from '../lib/contracts/seats.ts';
import { compareAreas, toReportedSeats, type SeatsReference } from '../lib/domain/reported-seats.ts';
import type { MunicipalityReferenceRow } from '../db/reference-data.ts';
import type { FeedIncident, FeedSource, FeedStatusPayload } from '../lib/contracts/feed-status.ts';
import { computeFeedSource, hasVisibleSourceChange } from '../lib/domain/feed-status.ts';
import { TouchLog } from '../lib/domain/touch-log.ts';

/** Votes of the latest earlier election on record (rows come newest year first), or null without one. */
function previousElectionVotes(rows: ReadonlyArray<{ year: number; code: string; votes: number }>): Record<string, number> | null {
  const latest = rows[0]?.year;
  if (latest === undefined) return null;
  return Object.fromEntries(rows.filter((r) => r.year === latest).map((r) => [r.code, r.votes]));
}

export interface AppliedBatch {
  prevSeq: number;
  seq: number;
  /** Municipality number → districts whose detail changed. */
  touched: Map<string, Set<string>>;
  kinds: ChangeEntry['kind'][];
  /** Areas whose reported seats changed ("national" or a county number). */
  seatAreas: string[];
  /** The source as viewers see it changed (lib/domain/feed-status.ts `hasVisibleSourceChange`). */
  sourceChanged: boolean;
}

export class ElectionReadModel {
  seq = 0;
  private readonly records_ = new Map<string, MunicipalityRecord>();
  private readonly cache = new Map<string, MunicipalityView>();
  private national: { counts: NationalCounts; totals: NationalTotals } | undefined;
  /** The national counts as a running tally: a batch replaces only its municipalities' parts (lib/domain/national-tally.ts). */
  private tally: { tally: NationalTally; parts: Map<string, NationalContribution>; statics: NationalStatics } | undefined;
  /** Which municipality changed when, from seq 0 (the model is folded from the whole log). */
  private readonly touches = new TouchLog();
  /** Municipalities changed since the tally was last brought up to date. */
  private readonly untallied = new Set<string>();
  private snapshotCache: { seq: number; snapshot: Omit<Snapshot, 'clock'>; json: string } | undefined;
  private readonly seats = new Map<string, ReportedSeats>();
  private readonly counties = new Map<string, string>();
  /** List code → name per county, and over the whole election under "national". */
  private readonly listsByArea = new Map<string, Map<string, string>>([[NATIONAL_AREA, new Map()]]);
  /** The official feed's newest status, and its unresolved incident. */
  private feedStatus_: FeedStatusPayload | null = null;
  private feedIncident_: FeedIncident | null = null;

  constructor(readonly election: ElectionInfo, references: MunicipalityReferenceRow[], readonly clockState: () => ClockState) {
    for (const row of references) {
      const record = createMunicipalityRecord(
        {
          number: row.number, name: row.name, countyNumber: row.countyNumber, countyName: row.countyName,
          electorate: row.electorate, councilSize: row.councilSize, expectedTurnout: row.expectedTurnout, comparisonTurnout: row.comparisonTurnout, watch: row.watch, watchReason: row.watchReason,
          previousVotes: previousElectionVotes(row.referenceResults),
          arrival: row.arrivalMinutes.length === 7 && row.advanceMinutes !== null
            // The length check above is what makes it a 7-tuple; TypeScript does not narrow arrays by length.
            ? { quantiles: row.arrivalMinutes as ArrivalCurve['quantiles'], advanceMinutes: row.advanceMinutes }
            : null,
        },
        row.districts.map((d) => ({ number: d.number, name: d.name, electorate: d.electorate, kind: d.kind })),
        row.partyLists.map((p) => ({ code: p.code, name: p.name })),
      );
      this.records_.set(row.number, record);
      this.counties.set(row.countyNumber, row.countyName);
      const county = this.listsByArea.get(row.countyNumber) ?? new Map<string, string>();
      this.listsByArea.set(row.countyNumber, county);
      for (const list of row.partyLists) {
        county.set(list.code, list.name);
        // listsByArea starts with the national area (its initializer).
        this.listsByArea.get(NATIONAL_AREA)!.set(list.code, list.name);
      }
    }
  }

  /** What a seats report is checked against (lib/domain/reported-seats.ts). */
  seatsReference(): SeatsReference {
    return {
      kind: this.election.kind, electionId: this.election.id, counties: this.counties,
      listsIn: (area) => this.listsByArea.get(area) ?? new Map(),
    };
  }

  /** Every area's current reported seats, national first, then by county. */
  reportedSeats(areas?: Iterable<string>): ReportedSeats[] {
    const chosen = areas ? [...areas].flatMap((area) => this.seats.get(area) ?? []) : [...this.seats.values()];
    return chosen.sort((a, b) => compareAreas(a.area, b.area));
  }

  records(): IterableIterator<MunicipalityRecord> {
    return this.records_.values();
  }

  findRecord(number: string): MunicipalityRecord | undefined {
    return this.records_.get(number);
  }

  /** Folds changes with seq above the current one, in order. Changes must be contiguous from the log. */
  apply(changes: readonly ChangeEntry[]): AppliedBatch | null {
    const fresh = changes.filter((change) => change.seq > this.seq);
    if (fresh.length === 0) return null;
    const prevSeq = this.seq;
    const touched = new Map<string, Set<string>>();
    const kinds = new Set<ChangeEntry['kind']>();
    const seatAreas = new Set<string>();
    const sourceBefore = this.source();
    for (const change of fresh) {
      kinds.add(change.kind);
      this.seq = change.seq;
      if (isElectionChange(change)) {
        if (change.kind === 'feed.status') this.feedStatus_ = change.payload;
        else if (change.kind === 'seats.reported') {
          const p = change.payload;
          // listsByArea starts with the national area (its initializer).
          const names = this.listsByArea.get(NATIONAL_AREA)!;
          this.seats.set(p.area, toReportedSeats(p, p.area === NATIONAL_AREA ? 'Hele landet' : this.counties.get(p.area) ?? p.area, (code) => names.get(code) ?? code));
          seatAreas.add(p.area);
        } else {
          // The incident is the operators': viewers see the feed's health, which the source already says.
          this.feedIncident_ = change.payload.incident.status === 'resolved' ? null : change.payload.incident;
        }
        continue;
      }
      const record = this.records_.get(change.payload.municipality);
      if (record) {
        const outcome = foldChange(record, change);
        const districts = touched.get(outcome.municipality) ?? new Set<string>();
        outcome.districts.forEach((d) => districts.add(d));
        touched.set(outcome.municipality, districts);
        this.touches.record(change.seq, [outcome.municipality]);
        this.cache.delete(outcome.municipality);
        this.untallied.add(outcome.municipality);
      }
    }
    this.national = undefined;
    const sourceChanged = hasVisibleSourceChange(sourceBefore, this.source());
    return { prevSeq, seq: this.seq, touched, kinds: [...kinds], seatAreas: [...seatAreas], sourceChanged };
  }

  /**
   * The municipalities changed in (seq, this.seq], sorted: with their current summaries, what a delta over
   * that span must carry. Exact for any seq, since the model holds the whole log's fold.
   */
  touchedAfter(seq: number): string[] {
    return this.touches.touchedAfter(seq);
  }

  /** Where the numbers come from, with the feed's health judged on the clock now. */
  source(): FeedSource {
    return computeFeedSource(this.feedStatus_, new Date(this.clockState().now));
  }

  /** The feed's newest status as its watchdog sent it; null before one. */
  feedStatus(): FeedStatusPayload | null {
    return this.feedStatus_;
  }

  /** The feed's unresolved incident (open or acknowledged), if any. */
  feedIncident(): FeedIncident | null {
    return this.feedIncident_;
  }

  summaryOf(number: string): MunicipalitySummary | undefined {
    return this.cached(number)?.summary;
  }

  /** Summary, party results and seats of one municipality at the current seq. */
  viewOf(number: string): MunicipalityView | undefined {
    return this.cached(number);
  }

  private cached(number: string): MunicipalityView | undefined {
    const hit = this.cache.get(number);
    if (hit) return hit;
    const record = this.records_.get(number);
    if (!record) return undefined;
    const fresh = computeMunicipalityView(record);
    this.cache.set(number, fresh);
    return fresh;
  }

  nationalTotals(): NationalTotals {
    return this.nationalFigures().totals;
  }

  /** What the national totals are made from (the compact overview delta carries it). */
  nationalCounts(): NationalCounts {
    return this.nationalFigures().counts;
  }

  private nationalFigures(): { counts: NationalCounts; totals: NationalTotals } {
    if (!this.national) {
      const tally = this.upToDateTally();
      const counts = tally.tally.counts();
      this.national = { counts, totals: nationalTotalsFrom(counts, tally.statics) };
    }
    return this.national;
  }

  private upToDateTally(): NonNullable<ElectionReadModel['tally']> {
    if (!this.tally) {
      const records = [...this.records_.values()];
      const inputs = this.nationalInputs(records);
      const tally = createNationalTally(inputs);
      this.tally = { tally: tally.tally, // parts are in the order of records.
        parts: new Map(records.map((record, i) => [record.ref.number, tally.parts[i]!])), statics: nationalStatics(inputs) };
    } else {
      for (const number of this.untallied) {
        const record = this.records_.get(number);
        const old = this.tally.parts.get(number);
        if (!record || !old) continue;
        const [input] = this.nationalInputs([record]);
        if (!input) continue;
        const part = nationalContributionOf(input);
        this.tally.tally.remove(old);
        this.tally.tally.add(part);
        this.tally.parts.set(number, part);
      }
    }
    this.untallied.clear();
    return this.tally;
  }

  private totalsOf(records: readonly MunicipalityRecord[]): NationalTotals {
    return computeNationalTotals(this.nationalInputs(records));
  }

  private nationalInputs(records: readonly MunicipalityRecord[]): NationalInput[] {
    // cached() builds a view for any municipality of the model, and these records are its own.
    return records.map((record) => ({ view: this.cached(record.ref.number)!, previousVotes: record.ref.previousVotes ?? null }));
  }

  /** A county's municipalities and their roll-up, or undefined for an unknown county number. */
  countyDetail(number: string): CountyDetail | undefined {
    const records = [...this.records_.values()].filter((r) => r.ref.countyNumber === number);
    const first = records[0];
    if (!first) return undefined;
    const clock = this.clockState();
    return {
      seq: this.seq, generatedAt: clock.now, clock,
      county: { number, name: first.ref.countyName },
      totals: this.totalsOf(records),
      // cached() builds a view for any municipality of the model, and these records are its own.
      municipalities: records.map((r) => this.cached(r.ref.number)!.summary),
      reportedSeats: this.reportedSeats([number]),
      source: this.source(),
    };
  }

  /**
   * The snapshot without its clock, and its JSON, cached per seq; `serveSnapshot` adds the clock of the
   * moment it is served without re-serialising 357 municipalities.
   */
  snapshot(): { snapshot: Omit<Snapshot, 'clock'>; json: string } {
    if (this.snapshotCache?.seq !== this.seq) {
      const snapshot: Omit<Snapshot, 'clock'> = {
        seq: this.seq,
        generatedAt: this.clockState().now,
        election: this.election,
        national: this.nationalTotals(),
        // cached() builds a view for any municipality of the model.
        municipalities: [...this.records_.keys()].map((number) => this.cached(number)!.summary),
        reportedSeats: this.reportedSeats(),
      };
      this.snapshotCache = { seq: this.seq, snapshot, json: JSON.stringify(snapshot) };
    }
    return this.snapshotCache;
  }

  /** The snapshot as served: the cached JSON with the current clock spliced in front. */
  serveSnapshot(): { seq: number; json: string } {
    const { snapshot, json } = this.snapshot();
    // The source's health moves with the clock too (late), so it is spliced in like the clock.
    return { seq: snapshot.seq, json: `{"clock":${JSON.stringify(this.clockState())},"source":${JSON.stringify(this.source())},${json.slice(1)}` };
  }

  detail(number: string, districts?: ReadonlySet<string>): MunicipalityDetail | undefined {
    const record = this.records_.get(number);
    const cached = this.cached(number);
    if (!record || !cached) return undefined;
    const details = listDistrictDetails(record);
    const clock = this.clockState();
    return {
      seq: this.seq,
      generatedAt: clock.now,
      clock,
      municipality: { ...cached.summary, councilSize: record.ref.councilSize },
      parties: cached.parties,
      seats: cached.seats,
      districts: districts ? details.filter((d) => districts.has(d.number)) : details,
      progress: record.progress,
      source: this.source(),
    };
  }
}
