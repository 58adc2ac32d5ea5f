// A municipality's state in words: the one place its reason is decided, from structured facts (per track:
// units received, units counted locally but not received, by kind and stage) and the state. The public
// pages, embeds, exports, the ops board and the alerts all take their reason from here, so the console and
// the public can never tell different counts (Oslo in the 2023 replay: the board said "1
// forhåndsstemmeenhet …" while the public said "1 forhåndsstemmeenhet og 42 kretser …").
//
// Two steps: `computeStateReason` decides *what* to say as structured facts (lib/contracts/state-reason.ts,
// published beside the bokmål text), and `renderStateReason` says it in a reader's language from the
// catalogue (lib/i18n/domain-texts.ts). The `describe*` functions are the two together, bokmål by default:
// the published `reason` strings. Pure, and no clock: a text with elapsed time is wrong a minute later, so
// pages render durations from `since`.
import type { CountCategory, CountStage } from '../contracts/ingest.ts';
import type { MunicipalityState } from '../contracts/ops.ts';
import type { ProgressReason, StageUnits, StateReason, UnitCount } from '../contracts/state-reason.ts';
import { domainTexts } from '../i18n/domain-texts.ts';
import { DEFAULT_LOCALE, type Locale } from '../i18n/locale.ts';
import { fill, fillPlural, selectPlural } from '../i18n/text.ts';
import type { Regression, StateFacts, TrackFacts, TrackState } from './stall-detection.ts';

// Advance before election day, whatever order the tracks come in, so the text does not shuffle.
const CATEGORY_ORDER = ['advance', 'election_day'] as const satisfies readonly CountCategory[];

/** What one track in a state says, from its facts alone. */
export function computeTrackReason(facts: TrackFacts, state: TrackState['state']): ProgressReason {
  const { category, stage, received, total } = facts;
  switch (state) {
    case 'complete':
      return { kind: 'complete', stage };
    case 'backlog':
      return { kind: 'pending', stages: [{ stage, units: [{ category, count: facts.pending }] }] };
    case 'stalled':
    case 'slow':
      return received === 0
        ? { kind: 'no_results', stage, remaining: [{ category, count: total }] }
        : { kind: 'no_new', stage, category, remaining: total - received, total };
    case 'waiting':
      return { kind: 'waiting', stage };
    case 'counting':
      return { kind: 'counting', stage, category, received, total };
  }
}

/** Every unit counted locally whose result has not arrived, whichever kind and stage; null when none is. */
export function computePendingReason(tracks: readonly TrackFacts[]): ProgressReason | null {
  const stages: StageUnits[] = [];
  for (const stage of ['preliminary', 'final'] as const) {
    const units = CATEGORY_ORDER.flatMap((category): UnitCount[] => {
      const count = tracks.filter((t) => t.stage === stage && t.category === category).reduce((sum, t) => sum + t.pending, 0);
      return count > 0 ? [{ category, count }] : [];
    });
    if (units.length > 0) stages.push({ stage, units });
  }
  return stages.length > 0 ? { kind: 'pending', stages } : null;
}

/** The track a progress state is most likely about: what is still outstanding, election day first. */
function pickTrack(tracks: readonly TrackFacts[]): TrackFacts | undefined {
  const preliminary = tracks.filter((t) => t.stage === 'preliminary');
  const byDay = (list: TrackFacts[]) => list.find((t) => t.category === 'election_day') ?? list[0];
  return byDay(outstandingTracks(tracks)) ?? byDay(preliminary);
}

/** The tracks still owing results: the preliminary ones, or after them a final count under way. */
function outstandingTracks(tracks: readonly TrackFacts[]): TrackFacts[] {
  const outstanding = (t: TrackFacts) => t.received < t.total;
  const preliminary = tracks.filter((t) => t.stage === 'preliminary' && outstanding(t));
  return preliminary.length > 0 ? preliminary : tracks.filter((t) => t.stage === 'final' && t.received > 0 && outstanding(t));
}

/**
 * A quiet municipality. Which track crossed its threshold takes the clock to tell, so the reason holds what
 * is true of the facts alone: with no result at all, every unit outstanding; else the track quiet the
 * longest (no result, or the oldest latest one), which is the one the rules flag.
 */
function computeQuietReason(tracks: readonly TrackFacts[], state: 'stalled' | 'slow'): ProgressReason | null {
  const outstanding = outstandingTracks(tracks);
  if (outstanding.length === 0) return null;
  if (outstanding.length > 1 && outstanding.every((t) => t.received === 0 && t.stage === 'preliminary')) {
    const remaining = CATEGORY_ORDER.flatMap((category) => outstanding.filter((t) => t.category === category).map((t) => ({ category, count: t.total })));
    return { kind: 'no_results', stage: 'preliminary', remaining };
  }
  const quietest = outstanding.reduce((held, t) => {
    const a = t.latest ?? '';
    const b = held.latest ?? '';
    // Equally quiet: election day, the larger share of the count.
    return a < b || (a === b && t.category === 'election_day') ? t : held;
  });
  return computeTrackReason(quietest, state);
}

/** The progress of the track the state is most likely about (or nothing yet). */
function computeProgressReason(facts: StateFacts, state: MunicipalityState): ProgressReason {
  const track = pickTrack(facts.tracks);
  if (!track) return { kind: 'waiting', stage: 'preliminary' };
  // Between a change and the monitor's next look the facts may already have moved on (the last unit in,
  // or every pending unit received).
  if (track.received === track.total) return computeTrackReason(track, 'complete');
  if (state === 'backlog' || state === 'regressed' || state === 'under_review') return computeTrackReason(track, track.received === 0 ? 'waiting' : 'counting');
  return computeTrackReason(track, state);
}

/**
 * Why the municipality is in `state`, from its facts of this moment rather than those of the moment the
 * state was entered: Oslo in backlog since 21:11 says which units are outstanding now, not which were then.
 * `recountSince`: when the municipality announced a recount, if it did.
 */
export function computeStateReason(facts: StateFacts, state: MunicipalityState, regression: Regression | null, recountSince: string | null = null): StateReason {
  if (state === 'regressed' && regression) {
    return { kind: 'regressed', district: regression.district, version: regression.version, previousVersion: regression.previousVersion, lost: regression.lost };
  }
  if (state === 'under_review') {
    // A recount the municipality announced, not yet completed since.
    const preliminary = facts.tracks.filter((t) => t.stage === 'preliminary');
    const completedSince = preliminary.length > 0 && preliminary.every((t) => t.received === t.total && (t.latest ?? '') > (recountSince ?? ''));
    if (recountSince !== null && !completedSince) return { kind: 'recount' };
    const pending = computePendingReason(facts.tracks);
    if (pending !== null) return { kind: 'under_review', detail: pending };
    return { kind: 'under_review', detail: pickTrack(facts.tracks) ? computeProgressReason(facts, state) : null };
  }
  if (state === 'complete') {
    const finals = facts.tracks.filter((t) => t.stage === 'final');
    return { kind: 'complete', stage: finals.length > 0 && finals.every((t) => t.received === t.total) ? 'final' : 'preliminary' };
  }
  if (state === 'waiting') return { kind: 'waiting', stage: 'preliminary' };
  if (state === 'backlog') {
    const pending = computePendingReason(facts.tracks);
    if (pending !== null) return pending;
  }
  if (state === 'stalled' || state === 'slow') {
    const quiet = computeQuietReason(facts.tracks, state);
    if (quiet !== null) return quiet;
  }
  return computeProgressReason(facts, state);
}

function renderUnits(locale: Locale, units: readonly UnitCount[]): string {
  const texts = domainTexts(locale).reason;
  const parts = units.map(({ category, count }) => fill(texts.count, { n: count, unit: selectPlural(locale, texts.unit[category], count) }));
  return parts.reduce((a, b) => fill(texts.and, { a, b }));
}

/** The final count's sentences say so ("endelig opptelling: …"); the preliminary count's are the default. */
function atStage(locale: Locale, stage: CountStage, text: string): string {
  return stage === 'final' ? fill(domainTexts(locale).reason.finalCount, { text }) : text;
}

function renderProgressReason(reason: ProgressReason, locale: Locale): string {
  const texts = domainTexts(locale).reason;
  switch (reason.kind) {
    case 'waiting':
      return reason.stage === 'final' ? texts.finalWaiting : texts.waiting;
    case 'complete':
      return reason.stage === 'final' ? texts.finalComplete : texts.complete;
    case 'counting':
      return atStage(locale, reason.stage, fill(texts.counting, {
        received: reason.received, total: reason.total, unit: selectPlural(locale, texts.unit[reason.category], reason.total),
      }));
    case 'pending':
      return reason.stages.map(({ stage, units }) => atStage(locale, stage, fill(texts.pending, { units: renderUnits(locale, units) }))).join(texts.separator);
    case 'no_results':
      return atStage(locale, reason.stage, fill(texts.noResults, { units: renderUnits(locale, reason.remaining) }));
    case 'no_new':
      // "ingen nye kretser": the noun in the plural whatever the counts.
      return atStage(locale, reason.stage, fill(texts.noNew, { unit: texts.unit[reason.category].other, remaining: reason.remaining, total: reason.total }));
  }
}

/** A state's reason in `locale`'s words: what a page shows its reader. */
export function renderStateReason(reason: StateReason, locale: Locale = DEFAULT_LOCALE): string {
  const texts = domainTexts(locale).reason;
  switch (reason.kind) {
    case 'regressed':
      return fillPlural(locale, texts.regressed, reason.lost, { version: reason.version, previousVersion: reason.previousVersion, district: reason.district });
    case 'recount':
      return texts.recount;
    case 'under_review':
      return reason.detail === null ? texts.underReview : fill(texts.underReviewDetail, { detail: renderProgressReason(reason.detail, locale) });
    default:
      return renderProgressReason(reason, locale);
  }
}

/** The words for one track in a state, from its facts alone. */
export function describeTrack(facts: TrackFacts, state: TrackState['state'], locale: Locale = DEFAULT_LOCALE): string {
  return renderStateReason(computeTrackReason(facts, state), locale);
}

/**
 * Every unit counted locally whose result has not arrived, whichever kind and stage it is: "1
 * forhåndsstemmeenhet og 42 kretser ferdig talt lokalt, ikke mottatt". Null when none is.
 */
export function describePending(tracks: readonly TrackFacts[], locale: Locale = DEFAULT_LOCALE): string | null {
  const pending = computePendingReason(tracks);
  return pending && renderStateReason(pending, locale);
}

/** The words for a correction that lowered a published total. */
export function describeRegression(regression: Regression, locale: Locale = DEFAULT_LOCALE): string {
  return renderStateReason({ kind: 'regressed', district: regression.district, version: regression.version, previousVersion: regression.previousVersion, lost: regression.lost }, locale);
}

/** A state in words (see `computeStateReason`): bokmål by default, the published `reason`. */
export function describeState(facts: StateFacts, state: MunicipalityState, regression: Regression | null, recountSince: string | null = null, locale: Locale = DEFAULT_LOCALE): string {
  return renderStateReason(computeStateReason(facts, state, regression, recountSince), locale);
}
