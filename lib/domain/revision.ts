// The revision log in words (Norwegian, for the public page): what each change did, before and after.
import { isElectionChange, type ChangeEntry } from '../contracts/changes.ts';
import { formatClockShort } from '../format.ts';
import type { MunicipalityState } from '../contracts/ops.ts';
import { NATIONAL_AREA } from '../contracts/seats.ts';

export const STATE_NAMES: Record<MunicipalityState, string> = {
  waiting: 'venter', counting: 'telles', slow: 'treg', stalled: 'stanset', backlog: 'overføring henger',
  regressed: 'korrigert ned', complete: 'ferdig opptalt', under_review: 'til gjennomgang',
};
const STAGE = { preliminary: 'foreløpig', final: 'endelig' } as const;
const CATEGORY = { advance: 'forhåndsstemmer', election_day: 'valgtingsstemmer' } as const;

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

export function describeChange(change: ChangeEntry, districtName?: DistrictNamer): DescribedChange {
  switch (change.kind) {
    case 'result.accepted': {
      const p = change.payload;
      const name = districtName?.(p.municipality, p.district);
      const unit = p.district === '0000' ? CATEGORY[p.category] : `krets ${p.district}${name ? ` ${name}` : ''} (${CATEGORY[p.category]})`;
      const after = { version: p.version, ballots: p.ballots };
      if (p.previousVersion === null || !p.previousBallots) {
        return { description: `${unit}: ${STAGE[p.stage]} opptelling mottatt, ${p.ballots.counted} stemmesedler`, before: null, after };
      }
      const diff = p.ballots.counted - p.previousBallots.counted;
      // A batch's reports are read together: a lowering in one may have moved votes to the others.
      const together = p.batch ? `; sendt sammen med ${p.batch.size - 1} ${p.batch.size === 2 ? 'annen rapport' : 'andre rapporter'}` : '';
      return {
        description: `${unit}: korrigert: versjon ${p.version} erstatter versjon ${p.previousVersion} (${signed(diff)} stemmesedler${together})`,
        before: { version: p.previousVersion, ballots: p.previousBallots },
        after,
      };
    }
    case 'status.reported': {
      const p = change.payload;
      const n = p.newlyCounted.length;
      const names = p.newlyCounted.map((d) => districtName?.(p.municipality, d)).filter((d): d is string => !!d && d.length > 0);
      const named = names.length > 0 && names.length <= 5 ? `: ${names.join(', ')}` : '';
      const recount = p.recount ? `; meldte at den teller på nytt${p.recountReason ? ` (${p.recountReason})` : ''}` : '';
      return {
        description: (n === 0 ? 'kommunen meldte seg (ingen nye kretser ferdig talt)' : `${n} ${n === 1 ? 'krets' : 'kretser'} ferdig talt lokalt (${CATEGORY[p.category]})${named}`) + recount,
        before: null,
        after: { districts: p.newlyCounted },
      };
    }
    case 'state.changed': {
      const p = change.payload;
      return { description: `status: ${STATE_NAMES[p.from]} → ${STATE_NAMES[p.to]} (${p.reason})`, before: p.from, after: p.to };
    }
    case 'oversight.changed': {
      const p = change.payload;
      const parts: string[] = [];
      if (p.before.underReview !== p.after.underReview) parts.push(p.after.underReview ? 'satt til gjennomgang' : 'ikke lenger til gjennomgang');
      if (p.before.publicNote !== p.after.publicNote) parts.push(p.after.publicNote ? `merknad: «${p.after.publicNote}»` : 'merknad fjernet');
      const who = p.reason ? `automatisk, ${p.reason}` : 'valgmyndighetene';
      return { description: `${who}: ${parts.join(', ')}`, before: p.before, after: p.after };
    }
    case 'watchlist.changed': {
      const p = change.payload;
      const what = p.before.watch === p.after.watch ? 'ny begrunnelse for at kommunen følges spesielt' : p.after.watch ? 'lagt til blant kommunene som følges spesielt' : 'fjernet fra kommunene som følges spesielt';
      return { description: `valgmyndighetene: ${what} (${p.reason})`, before: p.before, after: p.after };
    }
    case 'alert.raised':
    case 'alert.updated':
    case 'alert.acknowledged':
    case 'alert.reopened':
    case 'alert.resolved': {
      const a = change.payload.alert;
      const verb = { 'alert.raised': 'varsel', 'alert.updated': 'varsel endret', 'alert.acknowledged': 'varsel kvittert', 'alert.reopened': 'varsel åpnet igjen', 'alert.resolved': 'varsel løst' }[change.kind];
      return { description: `${verb}: ${STATE_NAMES[a.kind]} — ${a.reason}`, before: null, after: { status: a.status } };
    }
    case 'seats.reported': {
      const p = change.payload;
      const area = p.area === NATIONAL_AREA ? 'hele landet' : `fylke ${p.area}`;
      const total = p.seats.reduce((sum, entry) => sum + entry.seats, 0);
      return { description: `mandater for ${area} rapportert av ${p.source}: ${total} fordelt${p.final ? ' (endelig)' : ''}`, before: null, after: { seats: p.seats } };
    }
    case 'feed.status': {
      const p = change.payload;
      const state = { ok: 'leses', degraded: 'leses delvis', down: 'svarer ikke' }[p.state];
      return { description: `kilde ${p.source}: ${state}${p.lastGoodPollAt ? `, sist lest ${formatClockShort(p.lastGoodPollAt)}` : ''}`, before: null, after: { state: p.state } };
    }
    case 'feed.incident.raised':
    case 'feed.incident.acknowledged':
    case 'feed.incident.resolved': {
      const i = change.payload.incident;
      const verb = { 'feed.incident.raised': 'varsel', 'feed.incident.acknowledged': 'varsel kvittert', 'feed.incident.resolved': 'varsel løst' }[change.kind];
      return { description: `${verb}: kilden svarer ikke — ${i.reason}`, before: null, after: { status: i.status } };
    }
  }
}

/** The municipality a change concerns; null for a change of a county or the whole election. */
export function changedMunicipality(change: ChangeEntry): string | null {
  return isElectionChange(change) ? null : change.payload.municipality;
}
