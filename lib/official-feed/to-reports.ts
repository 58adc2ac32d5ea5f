// From the newest official bodies of one municipality to the reports Valgvakt should hold (pure, no I/O).
// The watchdog (scripts/watch-official.ts) sends them through the ordinary ingest API; the rules are in
// docs/official-feed.md, "The watchdog". In short: the advance unit carries the municipality body's advance
// votes, each polling unit its own body's votes minus its advance share, and the difference between the
// municipality body and the sum of the unit bodies is booked by a fixed rule, so that Valgvakt's totals per
// list and blank equal the municipality body exactly. Same bodies in → identical reports out: a restarted
// watchdog resends what Valgvakt already holds and gets `200 duplicate`.
import type { CountCategory, CountStage, ResultReport, StatusReport } from '../contracts/ingest.ts';
import { EARLIEST_BEFORE_POLLS_CLOSE_MS } from '../domain/report-rules.ts';
import { offsetMinutesAt } from '../election-package/zoned-time.ts';
import type { SeatsReport } from '../contracts/seats.ts';
import { getOrThrow } from '../get-or-throw.ts';
import type { CountCategory as FeedCategory, FeedBody } from './feed-2025.ts';
import { FEED_ADVANCE_DISTRICTS, FEED_BLANK_CODE } from './package-from-recording.ts';

/** The feed's name on Valgvakt's pages and in seats reports. */
export const FEED_SOURCE = 'valgresultat.no';
/** The time zone the feed's `rapportGenerert` is written in, without an offset. */
export const FEED_TIME_ZONE = 'Europe/Oslo';

/** A counting unit as the served package has it (GET /api/v1/municipalities/:nr → districts). */
export type ValgvaktUnit = { number: string; kind: 'advance' | 'election_day' };
/** A report Valgvakt holds (GET /api/v1/municipalities/:nr → districts[].results). */
export type HeldResult = { district: string; category: CountCategory; stage: CountStage; version: number };
/** What Valgvakt serves of one municipality: its units, its list codes (blank not among them) and what it holds. */
export type MunicipalityFrame = { number: string; units: readonly ValgvaktUnit[]; lists: readonly string[]; held: readonly HeldResult[] };

export type MunicipalityReports = {
  results: ResultReport[];
  statuses: StatusReport[];
  /** Things in the bodies that could not be mapped, each saying what and why (reported, never guessed). */
  issues: string[];
  /** The newest `rapportGenerert` among the bodies used (Oslo local time, no offset). */
  newest: string;
};
export type MappingOutcome = { ok: true; reports: MunicipalityReports } | { ok: false; error: string };

const FEED_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?$/;

/**
 * A feed time (`2025-09-08T22:15:03`, Norwegian local time without offset) as an instant and as ISO 8601
 * with its offset (`2025-09-08T22:15:03+02:00`); null for anything else (refused by the caller, not guessed).
 */
export function readFeedTime(local: string, zone: string = FEED_TIME_ZONE): { at: Date; iso: string } | null {
  const m = FEED_TIME.exec(local);
  if (!m) return null;
  const naive = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  if (Number.isNaN(naive)) return null;
  // Two passes find the offset in force at that local time (the second corrects near a DST change).
  let offset = offsetMinutesAt(naive, zone);
  offset = offsetMinutesAt(naive - offset * 60_000, zone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return { at: new Date(naive - offset * 60_000), iso };
}

/**
 * The report version of a body time: whole seconds from 90 days before the polls close (the earliest count
 * time Valgvakt accepts) to `rapportGenerert`. Deterministic, so a restart resends the same version, and a
 * newer body gives a higher one; 1 at the least.
 */
export function versionOf(at: Date, pollsCloseAt: Date): number {
  return Math.max(1, Math.floor((at.getTime() - (pollsCloseAt.getTime() - EARLIEST_BEFORE_POLLS_CLOSE_MS)) / 1000));
}

/** The feed's unit number as the package writes it ("0" → "0000"), as package-from-recording.ts does. */
export const unitNumberOf = (nr: string) => nr.padStart(4, '0');

/** The feed's advance categories counted on election night; `teltEtter17` is counted the day after. */
const ADVANCE_CATEGORIES: readonly FeedCategory[] = ['forhaandsstemmelokale', 'ovrige-fhs'];

/** All counted in `stage` of these categories (those with units at all; at least one has). */
function categoriesDone(body: FeedBody, stages: readonly ('forste' | 'andre' | 'kontroll' | 'oppgjor')[], categories: readonly FeedCategory[]): boolean {
  return stages.some((stage) => {
    const counts = categories.flatMap((c) => {
      const count = body.counting[stage]?.[c];
      return count !== undefined && count.total > 0 ? [count] : [];
    });
    return counts.length > 0 && counts.every((c) => c.done >= c.total);
  });
}

const FINAL_STAGES = ['andre', 'kontroll', 'oppgjor'] as const;

/** The feed marks the municipality's advance votes counted in this stage (2025 counts; 2021 percentages at 100). */
function advanceDone(kommune: FeedBody, stage: CountStage): boolean {
  if (kommune.countedPercent) return stage === 'preliminary' ? kommune.countedPercent.advancePreliminary >= 100 || kommune.countedPercent.final >= 100 : kommune.countedPercent.final >= 100;
  return categoriesDone(kommune, stage === 'preliminary' ? ['forste', ...FINAL_STAGES] : FINAL_STAGES, ADVANCE_CATEGORIES);
}

/** The feed marks a polling unit counted in this stage: a district's `kretsStatus`, a borough's counts, 2021 percentages. */
function unitDone(unit: FeedBody, stage: CountStage): boolean {
  if (unit.countedPercent) return stage === 'preliminary' ? unit.countedPercent.preliminary >= 100 || unit.countedPercent.final >= 100 : unit.countedPercent.final >= 100;
  if (unit.unitStatus !== null) {
    // forsteFerdig, andreFerdig, … ; tellesPaaHoyereNivaa (counted at a higher level) is no count of its own.
    if (stage === 'final') return /^(andre|kontroll|oppgjor)ferdig$/i.test(unit.unitStatus);
    return /^(forste|andre|kontroll|oppgjor)ferdig$/i.test(unit.unitStatus);
  }
  return categoriesDone(unit, stage === 'preliminary' ? ['forste', ...FINAL_STAGES] : FINAL_STAGES, ['valgtingslokale']);
}

/** The municipality's polling-place count (`valgtingslokale`) done in this stage: every unit it counts itself. */
function pollingPlacesDone(kommune: FeedBody, stage: CountStage): boolean {
  if (kommune.countedPercent) return false;
  return categoriesDone(kommune, stage === 'preliminary' ? ['forste', ...FINAL_STAGES] : FINAL_STAGES, ['valgtingslokale']);
}

/** The unit's body shows a polling-place count of its own: election-day votes, or a finished count. */
function hasOwnCount(unit: FeedBody): boolean {
  return (unit.votes.total ?? 0) - (unit.votes.advance ?? 0) > 0 || unitDone(unit, 'preliminary');
}

type Tally = Map<string, number>;

/** Votes per code (lists and blank) of a body, `pick` choosing the part; null where the feed gives none. */
function tallyOf(body: FeedBody, pick: (total: number, advance: number) => number): { tally: Tally; missing: string[] } {
  const tally: Tally = new Map();
  const missing: string[] = [];
  for (const p of body.parties) {
    // The feed's pools (Andre, Andre2) repeat itemised lists: not lists, never sent.
    if (p.pool) continue;
    if (p.total === null) {
      missing.push(p.code);
      continue;
    }
    tally.set(p.code, (tally.get(p.code) ?? 0) + pick(p.total, p.advance ?? 0));
  }
  return { tally, missing };
}

/**
 * The reports one municipality's newest bodies call for. `units` are the newest bodies of the level below the
 * municipality (districts, or Oslo's boroughs), at most one per unit. Refused (ok: false) when the
 * municipality body cannot be mapped: no usable time, a list's votes missing, a list the package does not
 * have, or a package without one advance unit.
 */
export function computeMunicipalityReports(frame: MunicipalityFrame, kommune: FeedBody, units: readonly FeedBody[], pollsCloseAt: Date): MappingOutcome {
  const refuse = (error: string): MappingOutcome => ({ ok: false, error: `${frame.number}: ${error}` });
  if (kommune.level !== 'kommune' || kommune.nr !== frame.number) return refuse(`the body is ${kommune.level} ${kommune.nr}, not municipality ${frame.number}`);
  const advanceUnits = frame.units.filter((u) => u.kind === 'advance');
  const [onlyAdvance, ...otherAdvance] = advanceUnits;
  if (onlyAdvance === undefined || otherAdvance.length > 0) return refuse(`the package has ${advanceUnits.length} advance units, the mapping needs exactly one`);
  const advanceUnit = onlyAdvance.number;
  const pollingUnits = frame.units.filter((u) => u.kind === 'election_day').map((u) => u.number).sort();
  // The lowest-numbered polling unit takes a surplus (see the difference below).
  const [remainderUnit] = pollingUnits;
  if (remainderUnit === undefined) return refuse('the package has no polling unit');
  if (kommune.reportGenerated === null) return refuse('tidspunkt.rapportGenerert: not given, so no version can be derived');
  const kommuneTime = readFeedTime(kommune.reportGenerated);
  if (!kommuneTime) return refuse(`tidspunkt.rapportGenerert: "${kommune.reportGenerated}" is not a feed time`);
  if (kommune.votes.total === null) return refuse('stemmer.total: not given');

  const lists = new Set(frame.lists);
  const codes = [...frame.lists, FEED_BLANK_CODE];
  const issues: string[] = [];
  const advance = tallyOf(kommune, (_total, adv) => adv);
  const electionDay = tallyOf(kommune, (total, adv) => total - adv);
  if (advance.missing.length > 0) return refuse(`partier: votes of ${advance.missing.join(', ')} not given (null)`);
  const strangers = kommune.parties.filter((p) => !p.pool).map((p) => p.code).filter((c) => c !== FEED_BLANK_CODE && !lists.has(c));
  if (strangers.length > 0) return refuse(`partier: ${strangers.join(', ')} not a list of the municipality in the package; refused rather than dropped`);
  for (const [code, v] of electionDay.tally) {
    if (v < 0) return refuse(`partier: ${code} has more advance votes (fhs) than votes in all (total)`);
  }

  // Unit bodies → package units; anything else is reported and left to the municipality body's difference.
  const unitVotes = new Map<string, { body: FeedBody; tally: Tally }>();
  let newest = { ...kommuneTime, local: kommune.reportGenerated };
  for (const body of units) {
    const number = unitNumberOf(body.nr);
    if (body.ids.municipality !== frame.number) {
      issues.push(`${body.links.self}: not a unit of ${frame.number}; ignored`);
      continue;
    }
    if (!pollingUnits.includes(number)) {
      // Advance venues and the feed's advance districts hold advance votes, which the municipality body carries.
      if (!FEED_ADVANCE_DISTRICTS.has(number) && number !== advanceUnit && body.links.self && !isAdvanceVenue(kommune, body)) issues.push(`${body.links.self}: unit ${number} is not in the package; its votes are in the municipality's difference`);
      continue;
    }
    const time = readBodyTime(body.reportGenerated);
    const { tally, missing } = tallyOf(body, (total, adv) => Math.max(0, total - adv));
    const extra = body.parties.filter((p) => !p.pool).map((p) => p.code).filter((c) => c !== FEED_BLANK_CODE && !lists.has(c));
    if (!time || missing.length > 0 || extra.length > 0) {
      issues.push(`${body.links.self}: ${!time ? `rapportGenerert "${body.reportGenerated}" unreadable` : missing.length > 0 ? `votes of ${missing.join(', ')} not given` : `lists ${extra.join(', ')} not in the package`}; the unit is left to the municipality's difference`);
      continue;
    }
    if (unitVotes.has(number)) {
      issues.push(`${body.links.self}: a second body for unit ${number}; the first is kept`);
      continue;
    }
    unitVotes.set(number, { body, tally });
    if (time.at > newest.at) newest = time;
  }

  // The municipality body is the truth: per code, its election-day votes minus the units' sum is the
  // difference. A surplus is booked on the lowest-numbered polling unit (the feed's "Uoppgitt krets" /
  // "Bydel 00" where it has one); a shortfall is taken from the polling units in number order, each down to 0.
  // Every unit's tally has every code, so `?? 0` below never applies.
  const perUnit = new Map<string, Tally>(pollingUnits.map((u) => [u, new Map(codes.map((c) => [c, unitVotes.get(u)?.tally.get(c) ?? 0]))]));
  const tallyOfUnit = (u: string) => getOrThrow(perUnit, u, 'tally of polling unit');
  for (const code of codes) {
    const target = electionDay.tally.get(code) ?? 0;
    let difference = target - pollingUnits.reduce((sum, u) => sum + (tallyOfUnit(u).get(code) ?? 0), 0);
    if (difference > 0) {
      const remainder = tallyOfUnit(remainderUnit);
      remainder.set(code, (remainder.get(code) ?? 0) + difference);
    }
    for (const u of pollingUnits) {
      if (difference >= 0) break;
      const tally = tallyOfUnit(u);
      const take = Math.min(tally.get(code) ?? 0, -difference);
      tally.set(code, (tally.get(code) ?? 0) - take);
      difference += take;
    }
  }

  const version = versionOf(newest.at, pollsCloseAt);
  const countedAt = newest.iso;
  const heldKeys = new Set(frame.held.map((h) => `${h.district}|${h.category}`));
  const heldFinal = new Set(frame.held.filter((h) => h.stage === 'final').map((h) => `${h.district}|${h.category}`));
  const results: ResultReport[] = [];
  const report = (district: string, category: CountCategory, stage: CountStage, tally: Tally): ResultReport => {
    const votes: Record<string, number> = {};
    for (const code of frame.lists) votes[code] = tally.get(code) ?? 0;
    const blank = tally.get(FEED_BLANK_CODE) ?? 0;
    const counted = Object.values(votes).reduce((s, v) => s + v, 0) + blank;
    // Rejected ballots: the parser does not read them (stemmer.totalForkastede is known, unread), so 0.
    return { municipality: frame.number, district, category, stage, version, countedAt, ballots: { counted, rejected: 0, blank }, votes };
  };
  const hasVotes = (tally: Tally) => [...tally.values()].some((v) => v > 0);
  // Once final, always final: a preliminary report would hide behind the held final one.
  const stageOf = (key: string, finalNow: boolean): CountStage => (finalNow || heldFinal.has(key) ? 'final' : 'preliminary');

  const advanceKey = `${advanceUnit}|advance`;
  if (hasVotes(advance.tally) || heldKeys.has(advanceKey)) results.push(report(advanceUnit, 'advance', stageOf(advanceKey, advanceDone(kommune, 'final')), advance.tally));
  const done: Record<CountStage, string[]> = { preliminary: [], final: [] };
  // Units that never get a count of their own — counted at a higher level (`tellesPaaHoyereNivaa`, small
  // districts counted with another), the feed's "Uoppgitt krets" and Oslo's "Bydel 00", with no status and
  // no election-day votes — are done
  // when the municipality's polling-place count is (its `totalt` leaves them out): waiting for them would
  // read as a stall all night. Only on a current body (the municipality's link to the unit has the body's
  // `rapportGenerert`), so a stale body of a unit that did count is not taken for one that never does.
  const currentLink = new Map(kommune.links.related.map((l) => [unitNumberOf(l.nr), l.reportGenerated]));
  const countsElsewhere = (body: FeedBody | undefined) => !!body && currentLink.get(unitNumberOf(body.nr)) === body.reportGenerated && !hasOwnCount(body);
  for (const u of pollingUnits) {
    const key = `${u}|election_day`;
    const body = unitVotes.get(u)?.body;
    const tally = tallyOfUnit(u);
    const elsewhere = countsElsewhere(body);
    const markedDone = body
      ? { preliminary: unitDone(body, 'preliminary') || (elsewhere && pollingPlacesDone(kommune, 'preliminary')), final: unitDone(body, 'final') || (elsewhere && pollingPlacesDone(kommune, 'final')) }
      : { preliminary: false, final: false };
    if (markedDone.preliminary) done.preliminary.push(u);
    if (markedDone.final) done.final.push(u);
    // A unit is reported once the feed has votes or a finished count for it, or when Valgvakt holds a report
    // of it that must now be corrected (e.g. a difference booked there earlier).
    if (hasVotes(tally) || markedDone.preliminary || heldKeys.has(key)) results.push(report(u, 'election_day', stageOf(key, markedDone.final), tally));
  }

  const statuses: StatusReport[] = [];
  for (const stage of ['preliminary', 'final'] as const) {
    if (advanceDone(kommune, stage)) statuses.push({ municipality: frame.number, at: countedAt, category: 'advance', stage, districts: [advanceUnit] });
    if (done[stage].length > 0) statuses.push({ municipality: frame.number, at: countedAt, category: 'election_day', stage, districts: done[stage] });
  }
  return { ok: true, reports: { results, statuses, issues, newest: newest.local } };
}

/** A body's `rapportGenerert` as read (readFeedTime) and as written; null when absent or unreadable. */
function readBodyTime(local: string | null): { at: Date; iso: string; local: string } | null {
  if (local === null) return null;
  const time = readFeedTime(local);
  return time && { ...time, local };
}

function isAdvanceVenue(kommune: FeedBody, unit: FeedBody): boolean {
  return kommune.links.related.some((l) => l.href === unit.links.self && l.advanceVenue === true);
}

/**
 * The municipality's links to the units the package counts (its polling units), with the unit number; the
 * watchdog fetches only these. Advance venues and the feed's advance districts are left out: their votes are
 * advance votes, which the municipality body carries.
 */
export function listUnitLinks(kommune: FeedBody, frame: MunicipalityFrame): { number: string; href: string; reportGenerated: string | null }[] {
  const polling = new Set(frame.units.filter((u) => u.kind === 'election_day').map((u) => u.number));
  return kommune.links.related
    .filter((l) => l.advanceVenue !== true && polling.has(unitNumberOf(l.nr)))
    .map((l) => ({ number: unitNumberOf(l.nr), href: l.href, reportGenerated: l.reportGenerated }));
}

/**
 * Seats as a county (`fylke`) or national (`land`) body reports them, or null when it reports none (or is of
 * another level). `final`: the feed's settlement (`oppgjor`) done everywhere (2021: `oppgjor` at 100 %).
 */
export function computeSeatsReport(body: FeedBody): { ok: true; report: SeatsReport | null } | { ok: false; error: string } {
  if (body.level !== 'fylke' && body.level !== 'land') return { ok: true, report: null };
  const seats = body.parties.flatMap((p) => (!p.pool && p.seats !== null && p.seats.count > 0 ? [{ list: p.code, seats: p.seats.count, ...(p.seats.levelling > 0 ? { levelling: p.seats.levelling } : {}) }] : []));
  if (seats.length === 0) return { ok: true, report: null };
  if (body.reportGenerated === null) return { ok: false, error: `${body.links.self}: tidspunkt.rapportGenerert not given, so the seats cannot be dated` };
  const time = readFeedTime(body.reportGenerated);
  if (!time) return { ok: false, error: `${body.links.self}: tidspunkt.rapportGenerert "${body.reportGenerated}" is not a feed time` };
  const settled = body.countedPercent
    ? body.countedPercent.settlement >= 100
    : Object.values(body.counting.oppgjor ?? {}).length > 0 && Object.values(body.counting.oppgjor ?? {}).every((c) => c.done >= c.total);
  const area = body.level === 'land' ? 'national' : body.nr.padStart(2, '0');
  return { ok: true, report: { area, reportedAt: time.iso, source: FEED_SOURCE, final: settled, seats } };
}
