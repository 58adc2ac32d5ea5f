// The revision log in words (for the public page, in the reader's language): what each change did, before and after.
import { isElectionChange, type ChangeEntry } from '../contracts/changes.ts';
import { formatClockShort } from '../format.ts';
import { domainTexts } from '../i18n/domain-texts.ts';
import { DEFAULT_LOCALE, type Locale } from '../i18n/locale.ts';
import { fill, fillPlural } from '../i18n/text.ts';
import { renderStateReason } from './state-reason.ts';
import type { MunicipalityState } from '../contracts/ops.ts';
import { NATIONAL_AREA } from '../contracts/seats.ts';

/** A municipality's state in running text ("venter", "stanset", …), per locale. */
export function stateNames(locale: Locale = DEFAULT_LOCALE): Readonly<Record<MunicipalityState, string>> {
  return domainTexts(locale).stateNames;
}

/** The bokmål names, as published before there were three languages. */
export const STATE_NAMES: Readonly<Record<MunicipalityState, string>> = stateNames('nb');

export interface DescribedChange {
  description: string;
  before: unknown;
  after: unknown;
}

function signed(n: number): string {
  return n >= 0 ? `+${n}` : `−${Math.abs(n)}`;
}

/** A district's name, when known: the log names districts as well as numbering them. */
export type DistrictNamer = (municipality: string, district: string) => string | undefined;

/**
 * One change of the log in the reader's words (bokmål by default: the published `description`). A state
 * change recorded with its reason's facts is told from them; older entries, and what operators or
 * Valgvakt wrote as text (a note, a watchlist reason, an alert's reason), are shown as written.
 */
export function describeChange(change: ChangeEntry, districtName?: DistrictNamer, locale: Locale = DEFAULT_LOCALE): DescribedChange {
  const texts = domainTexts(locale).revision;
  const names = domainTexts(locale).stateNames;
  switch (change.kind) {
    case 'result.accepted': {
      const p = change.payload;
      const name = districtName?.(p.municipality, p.district);
      const category = texts.category[p.category];
      const unit = p.district === '0000' ? category : fill(name ? texts.districtNamed : texts.district, { district: p.district, category, ...(name ? { name } : {}) });
      const after = { version: p.version, ballots: p.ballots };
      if (p.previousVersion === null || !p.previousBallots) {
        return { description: fill(texts.received, { unit, stage: texts.stage[p.stage], ballots: p.ballots.counted }), before: null, after };
      }
      const diff = p.ballots.counted - p.previousBallots.counted;
      // A batch's reports are read together: a lowering in one may have moved votes to the others.
      const together = p.batch ? fillPlural(locale, texts.together, p.batch.size - 1) : '';
      return {
        description: fill(texts.corrected, { unit, version: p.version, previousVersion: p.previousVersion, diff: signed(diff), together }),
        before: { version: p.previousVersion, ballots: p.previousBallots },
        after,
      };
    }
    case 'status.reported': {
      const p = change.payload;
      const n = p.newlyCounted.length;
      const named = p.newlyCounted.map((d) => districtName?.(p.municipality, d)).filter((d): d is string => !!d && d.length > 0);
      const listed = named.length > 0 && named.length <= 5 ? `: ${named.join(', ')}` : '';
      const recount = p.recount ? (p.recountReason ? fill(texts.recountReason, { reason: p.recountReason }) : texts.recount) : '';
      return {
        description: (n === 0 ? texts.checkedIn : fillPlural(locale, texts.countedLocally, n, { category: texts.category[p.category], named: listed })) + recount,
        before: null,
        after: { districts: p.newlyCounted },
      };
    }
    case 'state.changed': {
      const p = change.payload;
      const reason = p.reasonFacts ? renderStateReason(p.reasonFacts, locale) : p.reason;
      return { description: fill(texts.stateChanged, { from: names[p.from], to: names[p.to], reason }), before: p.from, after: p.to };
    }
    case 'oversight.changed': {
      const p = change.payload;
      const parts: string[] = [];
      if (p.before.underReview !== p.after.underReview) parts.push(p.after.underReview ? texts.underReviewSet : texts.underReviewCleared);
      if (p.before.publicNote !== p.after.publicNote) parts.push(p.after.publicNote ? fill(texts.note, { note: p.after.publicNote }) : texts.noteRemoved);
      const who = p.cause ? fill(texts.automatic, { reason: texts.cause[p.cause] }) : p.reason ? fill(texts.automatic, { reason: p.reason }) : texts.authorities;
      return { description: `${who}: ${parts.join(', ')}`, before: p.before, after: p.after };
    }
    case 'watchlist.changed': {
      const p = change.payload;
      const what = p.before.watch === p.after.watch ? texts.watchReason : p.after.watch ? texts.watchAdded : texts.watchRemoved;
      return { description: `${texts.authorities}: ${what} (${p.reason})`, before: p.before, after: p.after };
    }
    case 'alert.raised':
    case 'alert.updated':
    case 'alert.acknowledged':
    case 'alert.reopened':
    case 'alert.resolved': {
      const a = change.payload.alert;
      const verb = texts.alertVerb[ALERT_VERBS[change.kind]];
      return { description: fill(texts.alert, { verb, kind: names[a.kind], reason: a.reason }), before: null, after: { status: a.status } };
    }
    case 'seats.reported': {
      const p = change.payload;
      const area = p.area === NATIONAL_AREA ? texts.nation : fill(texts.county, { county: p.area });
      const total = p.seats.reduce((sum, entry) => sum + entry.seats, 0);
      return { description: fill(p.final ? texts.seatsFinal : texts.seats, { area, source: p.source, total }), before: null, after: { seats: p.seats } };
    }
    case 'feed.status': {
      const p = change.payload;
      const state = texts.feedState[p.state];
      const description = p.lastGoodPollAt
        ? fill(texts.feedRead, { source: p.source, state, clock: formatClockShort(p.lastGoodPollAt, locale) })
        : fill(texts.feed, { source: p.source, state });
      return { description, before: null, after: { state: p.state } };
    }
    case 'feed.incident.raised':
    case 'feed.incident.acknowledged':
    case 'feed.incident.resolved': {
      const i = change.payload.incident;
      const verb = texts.alertVerb[INCIDENT_VERBS[change.kind]];
      return { description: fill(texts.feedIncident, { verb, reason: i.reason }), before: null, after: { status: i.status } };
    }
  }
}

const ALERT_VERBS = {
  'alert.raised': 'raised', 'alert.updated': 'updated', 'alert.acknowledged': 'acknowledged', 'alert.reopened': 'reopened', 'alert.resolved': 'resolved',
} as const;
const INCIDENT_VERBS = { 'feed.incident.raised': 'raised', 'feed.incident.acknowledged': 'acknowledged', 'feed.incident.resolved': 'resolved' } as const;

/** The municipality a change concerns; null for a change of a county or the whole election. */
export function changedMunicipality(change: ChangeEntry): string | null {
  return isElectionChange(change) ? null : change.payload.municipality;
}
