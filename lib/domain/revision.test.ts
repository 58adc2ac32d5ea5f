import { describe, expect, it } from 'vitest';
import type { ChangeEntry } from '../contracts/changes.ts';
import { LOCALES } from '../i18n/locale.ts';
import { describeChange, STATE_NAMES, stateNames } from './revision.ts';

const AT = '2023-09-11T21:12:04.000Z';
const ballots = (counted: number) => ({ counted, rejected: 0, blank: 0 });
const result = (patch: Partial<Extract<ChangeEntry, { kind: 'result.accepted' }>['payload']> = {}): ChangeEntry => ({
  seq: 1, kind: 'result.accepted', actor: 'ingest:municipality-0301', at: AT,
  payload: {
    municipality: '0301', district: '0101', category: 'election_day', stage: 'preliminary', version: 1, previousVersion: null,
    countedAt: AT, receivedAt: AT, ballots: ballots(1000), previousBallots: null, votes: {}, ...patch,
  },
});
const status = (newlyCounted: string[], patch: { recount?: boolean; recountReason?: string } = {}): ChangeEntry => ({
  seq: 2, kind: 'status.reported', actor: 'ingest:municipality-0301', at: AT,
  payload: { municipality: '0301', category: 'election_day', stage: 'preliminary', at: AT, receivedAt: AT, districts: newlyCounted, newlyCounted, ...patch },
});
const stateChanged = (withFacts: boolean): ChangeEntry => ({
  seq: 3, kind: 'state.changed', actor: 'valgvakt', at: AT,
  payload: {
    municipality: '0301', from: 'counting', to: 'backlog', since: AT, reason: '3 kretser ferdig talt lokalt, ikke mottatt',
    ...(withFacts ? { reasonFacts: { kind: 'pending' as const, stages: [{ stage: 'preliminary' as const, units: [{ category: 'election_day' as const, count: 3 }] }] } } : {}),
  },
});
const oversight: ChangeEntry = {
  seq: 4, kind: 'oversight.changed', actor: 'operator:anna', at: AT,
  payload: { municipality: '0301', before: { underReview: false, publicNote: null }, after: { underReview: true, publicNote: 'Tallene kommer' }, by: 'anna' },
};
const names = (_m: string, district: string) => (district === '0101' ? 'Sentrum' : undefined);

describe('describeChange in the reader\'s language', () => {
  it.each<[string, ChangeEntry, string, string, string]>([
    ['a first count', result(),
      'krets 0101 Sentrum (valgtingsstemmer): foreløpig opptelling mottatt, 1000 stemmesedler',
      'krins 0101 Sentrum (valdagsrøyster): førebels oppteljing motteken, 1000 røystesetlar',
      'district 0101 Sentrum (election-day votes): preliminary count received, 1000 ballots'],
    ['a correction in a batch of two', result({ version: 2, previousVersion: 1, previousBallots: ballots(1040), batch: { index: 0, size: 2 } }),
      'krets 0101 Sentrum (valgtingsstemmer): korrigert: versjon 2 erstatter versjon 1 (−40 stemmesedler; sendt sammen med 1 annen rapport)',
      'krins 0101 Sentrum (valdagsrøyster): korrigert: versjon 2 erstattar versjon 1 (−40 røystesetlar; sendt saman med 1 annan rapport)',
      'district 0101 Sentrum (election-day votes): corrected: version 2 replaces version 1 (−40 ballots; sent together with 1 other report)'],
    ['a correction in a batch of three, the advance unit', result({ district: '0000', category: 'advance', stage: 'final', version: 2, previousVersion: 1, previousBallots: ballots(990), batch: { index: 1, size: 3 } }),
      'forhåndsstemmer: korrigert: versjon 2 erstatter versjon 1 (+10 stemmesedler; sendt sammen med 2 andre rapporter)',
      'førehandsrøyster: korrigert: versjon 2 erstattar versjon 1 (+10 røystesetlar; sendt saman med 2 andre rapportar)',
      'advance votes: corrected: version 2 replaces version 1 (+10 ballots; sent together with 2 other reports)'],
    ['districts counted locally, with a recount', status(['0101', '0102'], { recount: true, recountReason: 'feil i opptellingen' }),
      '2 kretser ferdig talt lokalt (valgtingsstemmer): Sentrum; meldte at den teller på nytt (feil i opptellingen)',
      '2 krinsar ferdig talt lokalt (valdagsrøyster): Sentrum; melde at han tel på nytt (feil i opptellingen)',
      '2 districts counted locally (election-day votes): Sentrum; announced a recount (feil i opptellingen)'],
    ['a check-in', status([]), 'kommunen meldte seg (ingen nye kretser ferdig talt)', 'kommunen melde seg (ingen nye krinsar ferdig talt)', 'the municipality checked in (no new districts counted)'],
    ['a state change told from its facts', stateChanged(true),
      'status: telles → overføring henger (3 kretser ferdig talt lokalt, ikke mottatt)',
      'status: vert talt → overføringa heng (3 krinsar ferdig talt lokalt, ikkje motteke)',
      'status: counting → transfer backlog (3 districts counted locally, not received)'],
    ['an older state change, its stored reason as written', stateChanged(false),
      'status: telles → overføring henger (3 kretser ferdig talt lokalt, ikke mottatt)',
      'status: vert talt → overføringa heng (3 kretser ferdig talt lokalt, ikke mottatt)',
      'status: counting → transfer backlog (3 kretser ferdig talt lokalt, ikke mottatt)'],
    ['an operator\'s public note, as written', oversight,
      'valgmyndighetene: satt til gjennomgang, merknad: «Tallene kommer»',
      'valstyresmaktene: sett til gjennomgang, merknad: «Tallene kommer»',
      'the election authorities: put under review, note: “Tallene kommer”'],
  ])('%s', (_name, change, nb, nn, en) => {
    expect(describeChange(change, names).description).toBe(nb);
    expect(describeChange(change, names, 'nb').description).toBe(nb);
    expect(describeChange(change, names, 'nn').description).toBe(nn);
    expect(describeChange(change, names, 'en').description).toBe(en);
  });

  it('tells what Valgvakt changed by itself from its cause, and older entries by their stored reason', () => {
    const automatic = (cause?: 'final_complete'): ChangeEntry => ({
      seq: 5, kind: 'oversight.changed', actor: 'valgvakt', at: AT,
      payload: { municipality: '0301', before: { underReview: true, publicNote: null }, after: { underReview: false, publicNote: null }, by: 'valgvakt', reason: 'endelig opptelling ferdig', ...(cause ? { cause } : {}) },
    });
    expect(describeChange(automatic('final_complete')).description).toBe('automatisk, endelig opptelling ferdig: ikke lenger til gjennomgang');
    expect(describeChange(automatic('final_complete'), undefined, 'nn').description).toBe('automatisk, endeleg oppteljing ferdig: ikkje lenger til gjennomgang');
    expect(describeChange(automatic('final_complete'), undefined, 'en').description).toBe('automatically, final count complete: no longer under review');
    expect(describeChange(automatic(), undefined, 'en').description).toBe('automatically, endelig opptelling ferdig: no longer under review');
  });

  it('tells seats and the feed in the three languages', () => {
    const seats: ChangeEntry = {
      seq: 6, kind: 'seats.reported', actor: 'seats:valgdirektoratet', at: AT,
      payload: { area: '03', source: 'valgdirektoratet', reportedAt: AT, receivedAt: AT, final: true, seats: [{ list: 'A', seats: 12, levelling: 0 }, { list: 'H', seats: 8, levelling: 1 }] },
    };
    const feed: ChangeEntry = {
      seq: 7, kind: 'feed.status', actor: 'watchdog', at: AT,
      payload: {
        source: 'valgresultat.no', base: 'https://valgresultat.no/api', election: '2025/st', at: AT, receivedAt: AT, state: 'down', intervalSeconds: 15,
        lastPollAt: AT, lastGoodPollAt: '2025-09-08T21:09:45.000Z', consecutiveFailures: 3, errors: 3, lagSeconds: null, outageSince: AT, unreadable: [],
      },
    };
    expect([seats, feed].map((c) => describeChange(c).description)).toEqual(['mandater for fylke 03 rapportert av valgdirektoratet: 20 fordelt (endelig)', 'kilde valgresultat.no: svarer ikke, sist lest 23:09']);
    expect([seats, feed].map((c) => describeChange(c, undefined, 'nn').description)).toEqual(['mandat for fylke 03 rapportert av valgdirektoratet: 20 fordelt (endeleg)', 'kjelde valgresultat.no: svarar ikkje, sist lesen 23:09']);
    expect([seats, feed].map((c) => describeChange(c, undefined, 'en').description)).toEqual(['seats for county 03 reported by valgdirektoratet: 20 allocated (final)', 'source valgresultat.no: not responding, last read 23:09']);
  });

  it('names every state in every language', () => {
    expect(STATE_NAMES).toBe(stateNames('nb'));
    for (const locale of LOCALES) expect(Object.keys(stateNames(locale)).sort()).toEqual(Object.keys(STATE_NAMES).sort());
    expect(stateNames('nn').stalled).toBe('stoppa');
    expect(stateNames('en').under_review).toBe('under review');
  });
});
