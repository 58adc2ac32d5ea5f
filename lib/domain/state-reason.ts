// A municipality's state in words: the one place its reason text is built, from structured facts (per
// track: units received, units counted locally but not received, by kind and stage) and the state. The
// public pages, embeds, exports, the ops board and the alerts all take their reason from here, so the
// console and the public can never tell different counts (Oslo in the 2023 replay: the board said
// "1 forhåndsstemmeenhet …" while the public said "1 forhåndsstemmeenhet og 42 kretser …"). Pure, and no
// clock: a text with elapsed time is wrong a minute later, so pages render durations from `since`.
import type { CountCategory } from '../contracts/ingest.ts';
import type { MunicipalityState } from '../contracts/ops.ts';
import type { Regression, StateFacts, TrackFacts, TrackState } from './stall-detection.ts';

const UNIT_WORDS: Record<CountCategory, readonly [string, string]> = {
  advance: ['forhåndsstemmeenhet', 'forhåndsstemmeenheter'],
  election_day: ['krets', 'kretser'],
};

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

const PENDING = 'ferdig talt lokalt, ikke mottatt';
const FINAL_PREFIX = 'endelig opptelling: ';

/** The words for one track in a state, from its facts alone. */
export function describeTrack(facts: TrackFacts, state: TrackState['state']): string {
  const { category, stage, received, total } = facts;
  const [one, many] = UNIT_WORDS[category];
  const prefix = stage === 'final' && state !== 'complete' ? FINAL_PREFIX : '';
  switch (state) {
    case 'complete':
      return stage === 'final' ? 'endelig opptelling ferdig' : 'alle kretser har rapportert';
    case 'backlog':
      return `${prefix}${plural(facts.pending, one, many)} ${PENDING}`;
    case 'stalled':
    case 'slow':
      return received === 0
        ? `${prefix}ingen resultater etter at valglokalene stengte — ${total} ${total === 1 ? one : many} gjenstår`
        : `${prefix}ingen nye ${many} — ${total - received} av ${total} gjenstår`;
    case 'waiting':
      return stage === 'final' ? 'endelig opptelling ikke startet' : 'venter på første resultat';
    case 'counting':
      return `${prefix}${received} av ${total} ${many} rapportert`;
  }
}

/**
 * Every unit counted locally whose result has not arrived, whichever kind and stage it is: "1
 * forhåndsstemmeenhet og 42 kretser ferdig talt lokalt, ikke mottatt". Null when none is.
 */
export function describePending(tracks: readonly TrackFacts[]): string | null {
  const sentences: string[] = [];
  for (const [stage, prefix] of [['preliminary', ''], ['final', FINAL_PREFIX]] as const) {
    // Advance before election day, whatever order the tracks come in, so the text does not shuffle.
    const parts = (['advance', 'election_day'] as const).flatMap((category) => {
      const pending = tracks.filter((t) => t.stage === stage && t.category === category).reduce((sum, t) => sum + t.pending, 0);
      return pending > 0 ? [plural(pending, ...UNIT_WORDS[category])] : [];
    });
    if (parts.length > 0) sentences.push(`${prefix}${parts.join(' og ')} ${PENDING}`);
  }
  return sentences.length > 0 ? sentences.join('; ') : null;
}

/** The words for a correction that lowered a published total. */
export function describeRegression(regression: Regression): string {
  return `korrigert: versjon ${regression.version} erstatter versjon ${regression.previousVersion} i krets ${regression.district} (−${regression.lost} stemmer)`;
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
 * A quiet municipality in words. Which track crossed its threshold takes the clock to tell, so the words
 * hold what is true of the facts alone: with no result at all, every unit outstanding; else the track quiet
 * the longest (no result, or the oldest latest one), which is the one the rules flag.
 */
function describeQuiet(tracks: readonly TrackFacts[], state: 'stalled' | 'slow'): string | null {
  const outstanding = outstandingTracks(tracks);
  if (outstanding.length === 0) return null;
  if (outstanding.length > 1 && outstanding.every((t) => t.received === 0 && t.stage === 'preliminary')) {
    const parts = (['advance', 'election_day'] as const).flatMap((category) => outstanding.filter((t) => t.category === category).map((t) => plural(t.total, ...UNIT_WORDS[category])));
    return `ingen resultater etter at valglokalene stengte — ${parts.join(' og ')} gjenstår`;
  }
  const quietest = outstanding.reduce((held, t) => {
    const a = t.latest ?? '';
    const b = held.latest ?? '';
    // Equally quiet: election day, the larger share of the count.
    return a < b || (a === b && t.category === 'election_day') ? t : held;
  });
  return describeTrack(quietest, state);
}

/**
 * A state in words, from the municipality's facts of this moment rather than those of the moment the state
 * was entered: Oslo in backlog since 21:11 says which units are outstanding now, not which were then.
 * `recountSince`: when the municipality announced a recount, if it did.
 */
export function describeState(facts: StateFacts, state: MunicipalityState, regression: Regression | null, recountSince: string | null = null): string {
  if (state === 'regressed' && regression) return describeRegression(regression);
  if (state === 'under_review') {
    // A recount the municipality announced, not yet completed since.
    const preliminary = facts.tracks.filter((t) => t.stage === 'preliminary');
    const completedSince = preliminary.length > 0 && preliminary.every((t) => t.received === t.total && (t.latest ?? '') > (recountSince ?? ''));
    if (recountSince !== null && !completedSince) return 'telles på nytt etter melding fra kommunen';
    const pending = describePending(facts.tracks);
    if (pending !== null) return `til gjennomgang — ${pending}`;
    const track = pickTrack(facts.tracks);
    return track ? `til gjennomgang — ${describeTrack(track, track.received === 0 ? 'waiting' : track.received === track.total ? 'complete' : 'counting')}` : 'til gjennomgang';
  }
  if (state === 'complete') {
    const finals = facts.tracks.filter((t) => t.stage === 'final');
    return finals.length > 0 && finals.every((t) => t.received === t.total) ? 'endelig opptelling ferdig' : 'alle kretser har rapportert';
  }
  if (state === 'waiting') return 'venter på første resultat';
  if (state === 'backlog') {
    const pending = describePending(facts.tracks);
    if (pending !== null) return pending;
  }
  if (state === 'stalled' || state === 'slow') {
    const quiet = describeQuiet(facts.tracks, state);
    if (quiet !== null) return quiet;
  }
  const track = pickTrack(facts.tracks);
  if (!track) return 'venter på første resultat';
  // Between a change and the monitor's next look the facts may already have moved on (the last unit in,
  // or every pending unit received).
  if (track.received === track.total) return describeTrack(track, 'complete');
  if (state === 'backlog' || state === 'regressed') return describeTrack(track, track.received === 0 ? 'waiting' : 'counting');
  return describeTrack(track, state);
}
