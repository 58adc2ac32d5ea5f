// Every reader-facing word lib/ produces, per locale: bokmål (the published texts, word for word), nynorsk
// and English. The type is derived from the bokmål catalogue, so a key missing from another language is a
// type error, and domain-texts.test.ts checks every key in every language at run time too (none empty,
// the same {placeholders}). Placeholders are {name}; a `Plural` ({ one, other }) is picked by
// Intl.PluralRules (lib/i18n/text.ts). Nynorsk follows valgresultat.no's: røyster, oppteljing,
// førehandsrøyster, valdagsrøyster, krins/krinsar, førebels, endeleg.
import type { Locale } from './locale.ts';
import type { Plural } from './text.ts';

const nb = {
  format: {
    seconds: '{n} s',
    minutes: '{n} min',
    hoursMinutes: '{h} t {m} min',
    ago: '{duration} siden',
    since: 'siden kl. {clock} ({duration})',
  },
  /** A municipality's count status (lib/contracts/live.ts `status`). */
  status: { waiting: 'Venter', counting: 'Telles', complete: 'Ferdig opptalt' },
  /** A district's count status. */
  districtStatus: { waiting: 'Venter', preliminary: 'Foreløpig', final: 'Endelig' },
  /** A municipality's state on the night, in running text (lowercase). */
  stateNames: {
    waiting: 'venter', counting: 'telles', slow: 'treg', stalled: 'stanset', backlog: 'overføring henger',
    regressed: 'korrigert ned', complete: 'ferdig opptalt', under_review: 'til gjennomgang',
  },
  /** The reason for a municipality's state (lib/domain/state-reason.ts), from its structured facts. */
  reason: {
    /** The counting units of a track, as nouns: advance votes are one unit per municipality. */
    unit: {
      advance: { one: 'forhåndsstemmeenhet', other: 'forhåndsstemmeenheter' } satisfies Plural,
      election_day: { one: 'krets', other: 'kretser' } satisfies Plural,
    },
    count: '{n} {unit}',
    and: '{a} og {b}',
    /** Between the preliminary and the final count's sentences. */
    separator: '; ',
    finalCount: 'endelig opptelling: {text}',
    pending: '{units} ferdig talt lokalt, ikke mottatt',
    noResults: 'ingen resultater etter at valglokalene stengte — {units} gjenstår',
    noNew: 'ingen nye {unit} — {remaining} av {total} gjenstår',
    counting: '{received} av {total} {unit} rapportert',
    waiting: 'venter på første resultat',
    finalWaiting: 'endelig opptelling ikke startet',
    complete: 'alle kretser har rapportert',
    finalComplete: 'endelig opptelling ferdig',
    // "−1 stemmer" is what the published reason has always said; the API field stays word for word.
    regressed: {
      one: 'korrigert: versjon {version} erstatter versjon {previousVersion} i krets {district} (−{n} stemmer)',
      other: 'korrigert: versjon {version} erstatter versjon {previousVersion} i krets {district} (−{n} stemmer)',
    } satisfies Plural,
    recount: 'telles på nytt etter melding fra kommunen',
    underReview: 'til gjennomgang',
    underReviewDetail: 'til gjennomgang — {detail}',
  },
};

/** The shape every locale's catalogue has: bokmål's, with its words as strings. */
export type DomainTexts = typeof nb;

const nn: DomainTexts = {
  format: {
    seconds: '{n} s',
    minutes: '{n} min',
    hoursMinutes: '{h} t {m} min',
    ago: '{duration} sidan',
    since: 'sidan kl. {clock} ({duration})',
  },
  status: { waiting: 'Ventar', counting: 'Vert talt', complete: 'Ferdig opptalt' },
  districtStatus: { waiting: 'Ventar', preliminary: 'Førebels', final: 'Endeleg' },
  stateNames: {
    waiting: 'ventar', counting: 'vert talt', slow: 'treg', stalled: 'stoppa', backlog: 'overføringa heng',
    regressed: 'korrigert ned', complete: 'ferdig opptalt', under_review: 'til gjennomgang',
  },
  reason: {
    unit: {
      advance: { one: 'førehandsrøysteeining', other: 'førehandsrøysteeiningar' },
      election_day: { one: 'krins', other: 'krinsar' },
    },
    count: '{n} {unit}',
    and: '{a} og {b}',
    separator: '; ',
    finalCount: 'endeleg oppteljing: {text}',
    pending: '{units} ferdig talt lokalt, ikkje motteke',
    noResults: 'ingen resultat etter at vallokala stengde — {units} står att',
    noNew: 'ingen nye {unit} — {remaining} av {total} står att',
    counting: '{received} av {total} {unit} rapportert',
    waiting: 'ventar på første resultat',
    finalWaiting: 'endeleg oppteljing ikkje starta',
    complete: 'alle krinsar har rapportert',
    finalComplete: 'endeleg oppteljing ferdig',
    regressed: {
      one: 'korrigert: versjon {version} erstattar versjon {previousVersion} i krins {district} (−{n} røyst)',
      other: 'korrigert: versjon {version} erstattar versjon {previousVersion} i krins {district} (−{n} røyster)',
    },
    recount: 'vert talt på nytt etter melding frå kommunen',
    underReview: 'til gjennomgang',
    underReviewDetail: 'til gjennomgang — {detail}',
  },
};

const en: DomainTexts = {
  format: {
    seconds: '{n} s',
    minutes: '{n} min',
    hoursMinutes: '{h} h {m} min',
    ago: '{duration} ago',
    since: 'since {clock} ({duration})',
  },
  status: { waiting: 'Waiting', counting: 'Counting', complete: 'Fully counted' },
  districtStatus: { waiting: 'Waiting', preliminary: 'Preliminary', final: 'Final' },
  stateNames: {
    waiting: 'waiting', counting: 'counting', slow: 'slow', stalled: 'stalled', backlog: 'transfer backlog',
    regressed: 'corrected down', complete: 'fully counted', under_review: 'under review',
  },
  reason: {
    unit: {
      advance: { one: 'advance-vote unit', other: 'advance-vote units' },
      election_day: { one: 'district', other: 'districts' },
    },
    count: '{n} {unit}',
    and: '{a} and {b}',
    separator: '; ',
    finalCount: 'final count: {text}',
    pending: '{units} counted locally, not received',
    noResults: 'no results since the polls closed — {units} remaining',
    noNew: 'no new {unit} — {remaining} of {total} remaining',
    counting: '{received} of {total} {unit} reported',
    waiting: 'waiting for the first result',
    finalWaiting: 'final count not started',
    complete: 'all districts have reported',
    finalComplete: 'final count complete',
    regressed: {
      one: 'corrected: version {version} replaces version {previousVersion} in district {district} (−{n} vote)',
      other: 'corrected: version {version} replaces version {previousVersion} in district {district} (−{n} votes)',
    },
    recount: 'being recounted, as announced by the municipality',
    underReview: 'under review',
    underReviewDetail: 'under review — {detail}',
  },
};

export const DOMAIN_TEXTS: Readonly<Record<Locale, DomainTexts>> = { nb, nn, en };

export function domainTexts(locale: Locale): DomainTexts {
  return DOMAIN_TEXTS[locale];
}
