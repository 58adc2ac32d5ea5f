import { describe, expect, it } from 'vitest';
import type { CountCategory, CountStage } from '../contracts/ingest.ts';
import type { MunicipalityState } from '../contracts/ops.ts';
import { ZThresholdsFile } from '../contracts/thresholds.ts';
import type { ArrivalCurve } from './arrival.ts';
import { applyAcceptedResult, applyLocalCounts, createMunicipalityRecord, type MunicipalityRecord } from './municipality.ts';
import { deriveMunicipalityState, deriveTrackState, describeState, reconcile, summarizeMunicipality, type Regression, type StateContext } from './stall-detection.ts';

// As config/thresholds.json: preliminary slow 15m / stalled 30m / backlog 10m; final 1h / 2h / 30m.
const THRESHOLDS = ZThresholdsFile.parse({
  advance: {
    preliminary: { slowAfter: '15m', stallAfter: '30m', backlogAfter: '10m' },
    final: { slowAfter: '1h', stallAfter: '2h', backlogAfter: '30m' },
  },
  election_day: {
    preliminary: { slowAfter: '15m', stallAfter: '30m', backlogAfter: '10m' },
    final: { slowAfter: '1h', stallAfter: '2h', backlogAfter: '30m' },
  },
  regressedFor: '30m',
  evaluateEvery: '30s',
});

// Polls close 21:00 Norwegian time = 19:00Z. With 4 election-day districts this curve makes the 1st district
// due at +40 min (19:40Z, share 0.25), the 2nd at +60 (20:00Z, 0.5), the 3rd at +80 (20:20Z, 0.75) and the
// 4th at +120 (21:00Z, 1); the advance unit is due at +10 (19:10Z).
const CURVE: ArrivalCurve = { quantiles: [20, 30, 40, 60, 80, 100, 120], advanceMinutes: 10 };
const POLLS_CLOSE = new Date('2023-09-11T19:00:00.000Z');
const MS = 1;

/** A UTC time on election night ("19:40") or, with day 12, the day after; shifted by `offset` ms. */
function iso(hhmm: string, offset = 0, day = 11): string {
  return new Date(Date.parse(`2023-09-${day}T${hhmm}:00.000Z`) + offset).toISOString();
}
function at(hhmm: string, offset = 0, day = 11): Date {
  return new Date(iso(hhmm, offset, day));
}

// Electorate 1000 at 60 % turnout (600 expected ballots); the advance unit "0000" and four districts.
const ELECTORATES: Record<string, number> = { '0101': 200, '0102': 250, '0103': 300, '0104': 250 };

class Night {
  readonly record: MunicipalityRecord;

  constructor({ advanceUnit = true } = {}) {
    this.record = createMunicipalityRecord(
      { number: '4601', name: 'Bergen', countyNumber: '46', countyName: 'Vestland', electorate: 1000, councilSize: 67, expectedTurnout: 60, watch: false },
      [
        ...(advanceUnit ? [{ number: '0000', name: 'Forhånd', electorate: 0, kind: 'advance' as const }] : []),
        ...Object.entries(ELECTORATES).map(([number, electorate]) => ({ number, name: `Krets ${number}`, electorate, kind: 'election_day' as const })),
      ],
      [{ code: 'A', name: 'Arbeiderpartiet' }],
    );
  }

  /** A result for the unit's own category ("0000" → advance) unless told otherwise. */
  result(district: string, receivedAt: string, { stage = 'preliminary' as CountStage, ballots = 100, version = 1, category }: { stage?: CountStage; ballots?: number; version?: number; category?: CountCategory } = {}): this {
    applyAcceptedResult(this.record, district, {
      category: category ?? (district === '0000' ? 'advance' : 'election_day'),
      stage, version, countedAt: receivedAt, receivedAt, ballotsCounted: ballots, ballotsRejected: 0, ballotsBlank: 0, votes: { A: ballots },
    });
    return this;
  }

  local(districts: string[], time: string, category: CountCategory = 'election_day', stage: CountStage = 'preliminary'): this {
    applyLocalCounts(this.record, districts, time, category, stage);
    return this;
  }
}

function ctx(now: Date, patch: Partial<StateContext> = {}): StateContext {
  return { thresholds: THRESHOLDS, now, pollsCloseAt: POLLS_CLOSE, arrival: CURVE, underReview: false, regression: null, ...patch };
}

interface Expected {
  state: MunicipalityState;
  since?: string | null;
  reason: string;
}

function expectState(night: Night, now: Date, expected: Expected, patch: Partial<StateContext> = {}) {
  const derived = deriveMunicipalityState(night.record, ctx(now, patch));
  expect({ state: derived.state, reason: derived.reason }).toEqual({ state: expected.state, reason: expected.reason });
  if (expected.since !== undefined) expect(derived.since).toBe(expected.since);
  return derived;
}

// Advance on time; nothing from the districts.
const advanceOnly = () => new Night().result('0000', iso('19:10'));
// Advance on time, one district early (19:20, before the first is due at 19:40).
const oneEarly = () => advanceOnly().result('0101', iso('19:20'));
// Three districts, each after it was due; the last at 21:10, after all four are due (21:00).
const threeLate = () => advanceOnly().result('0101', iso('19:45')).result('0102', iso('20:05')).result('0103', iso('21:10'));
// The whole preliminary count; the last district at 20:50.
const allPreliminary = () => advanceOnly().result('0101', iso('19:35')).result('0102', iso('19:55')).result('0103', iso('20:15')).result('0104', iso('20:50'));

describe('deriveMunicipalityState: waiting and counting', () => {
  it.each<[string, () => Night, Date, Expected]>([
    ['nothing arrived, nothing due', () => new Night(), at('19:05'), { state: 'waiting', since: null, reason: 'venter på første resultat' }],
    ['polls not yet closed', () => new Night(), at('18:30'), { state: 'waiting', since: null, reason: 'venter på første resultat' }],
    ['advance due at 19:10 but not behind until 19:25 (− 1 ms)', () => new Night(), at('19:25', -MS), { state: 'waiting', since: null, reason: 'venter på første resultat' }],
    ['advance behind schedule from 19:25', () => new Night(), at('19:25'), { state: 'slow', reason: 'ingen resultater etter at valglokalene stengte — 1 forhåndsstemmeenhet og 4 kretser gjenstår' }],
    ['advance in, no district due yet', advanceOnly, at('19:50'), { state: 'waiting', since: null, reason: 'venter på første resultat' }],
    ['one district on schedule', () => advanceOnly().result('0101', iso('19:40')), at('19:50'), { state: 'counting', since: iso('19:40'), reason: '1 av 4 kretser rapportert' }],
    ['two districts on schedule', () => advanceOnly().result('0101', iso('19:40')).result('0102', iso('19:58')), at('20:05'), { state: 'counting', since: iso('19:58'), reason: '2 av 4 kretser rapportert' }],
  ])('%s', (_name, build, now, expected) => {
    expectState(build(), now, expected);
  });
});

describe('deriveMunicipalityState: backlog (counted locally, not received)', () => {
  const one = () => advanceOnly().local(['0102'], iso('19:30'));
  const two = () => advanceOnly().local(['0102'], iso('19:30')).local(['0103'], iso('19:33'));
  const advanceUnit = () => new Night().local(['0000'], iso('19:05'), 'advance');
  const received = () => advanceOnly().local(['0102'], iso('19:30')).result('0102', iso('19:35'));
  // 0101's preliminary result on schedule; 0102 reported counted locally for the final count.
  const finalTrack = () => advanceOnly().result('0101', iso('19:40')).local(['0102'], iso('19:30'), 'election_day', 'final');

  it.each<[string, () => Night, Date, Expected]>([
    ['1 district, backlogAfter − 1 ms', one, at('19:40', -MS), { state: 'waiting', since: null, reason: 'venter på første resultat' }],
    ['1 district, exactly backlogAfter', one, at('19:40'), { state: 'backlog', since: iso('19:40'), reason: '1 krets ferdig talt lokalt, ikke mottatt' }],
    ['the text holds no elapsed time', one, at('19:41', -MS), { state: 'backlog', since: iso('19:40'), reason: '1 krets ferdig talt lokalt, ikke mottatt' }],
    ['the text does not go stale as the minutes pass', one, at('19:41'), { state: 'backlog', since: iso('19:40'), reason: '1 krets ferdig talt lokalt, ikke mottatt' }],
    ['2 districts: plural, timed from the oldest', two, at('19:40'), { state: 'backlog', since: iso('19:40'), reason: '2 kretser ferdig talt lokalt, ikke mottatt' }],
    ['the advance unit, backlogAfter − 1 ms', advanceUnit, at('19:15', -MS), { state: 'waiting', since: null, reason: 'venter på første resultat' }],
    ['the advance unit, exactly backlogAfter', advanceUnit, at('19:15'), { state: 'backlog', since: iso('19:15'), reason: '1 forhåndsstemmeenhet ferdig talt lokalt, ikke mottatt' }],
    ['counted locally and received: no backlog', received, at('19:50'), { state: 'counting', since: iso('19:35'), reason: '1 av 4 kretser rapportert' }],
    ['final-count track: not at the preliminary backlogAfter', finalTrack, at('19:40'), { state: 'counting', since: iso('19:40'), reason: '1 av 4 kretser rapportert' }],
    ['final-count track: its own backlogAfter (30m) − 1 ms', finalTrack, at('20:00', -MS), { state: 'counting', since: iso('19:40'), reason: '1 av 4 kretser rapportert' }],
    ['final-count track: its own backlogAfter (30m)', finalTrack, at('20:00'), { state: 'backlog', since: iso('20:00'), reason: 'endelig opptelling: 1 krets ferdig talt lokalt, ikke mottatt' }],
  ])('%s', (_name, build, now, expected) => {
    expectState(build(), now, expected);
  });
});

describe('deriveMunicipalityState: slow and stalled', () => {
  describe('behind schedule, at the quiet thresholds', () => {
    // threeLate: the last result at 21:10, when the curve already wants all four.
    it.each<[string, Date, Expected]>([
      ['quiet slowAfter − 1 ms', at('21:25', -MS), { state: 'counting', since: iso('21:10'), reason: '3 av 4 kretser rapportert' }],
      ['quiet exactly slowAfter', at('21:25'), { state: 'slow', since: iso('21:25'), reason: 'ingen nye kretser — 1 av 4 gjenstår' }],
      ['quiet stallAfter − 1 ms', at('21:40', -MS), { state: 'slow', since: iso('21:25'), reason: 'ingen nye kretser — 1 av 4 gjenstår' }],
      ['quiet exactly stallAfter', at('21:40'), { state: 'stalled', since: iso('21:40'), reason: 'ingen nye kretser — 1 av 4 gjenstår' }],
    ])('%s', (_name, now, expected) => {
      expectState(threeLate(), now, expected);
    });

    it('says how many districts remain ("3 av 4 gjenstår")', () => {
      // One district, at 21:10, after all four were due.
      expectState(advanceOnly().result('0101', iso('21:10')), at('21:40'), { state: 'stalled', since: iso('21:40'), reason: 'ingen nye kretser — 3 av 4 gjenstår' });
    });
  });

  describe('no results at all: timed from the close, against the schedule', () => {
    // The first district is due at 19:40: behind for slowAfter from 19:55, for stallAfter from 20:10.
    it.each<[string, Date, Expected]>([
      ['quiet for 54:59.999 but nothing due 15 min ago', at('19:55', -MS), { state: 'waiting', since: null, reason: 'venter på første resultat' }],
      ['first district due 15 min ago', at('19:55'), { state: 'slow', reason: 'ingen resultater etter at valglokalene stengte — 4 kretser gjenstår' }],
      ['still slow just before the stall point', at('20:10', -MS), { state: 'slow', reason: 'ingen resultater etter at valglokalene stengte — 4 kretser gjenstår' }],
      ['first district due 30 min ago', at('20:10'), { state: 'stalled', reason: 'ingen resultater etter at valglokalene stengte — 4 kretser gjenstår' }],
      ['two due 30 min ago', at('20:30'), { state: 'stalled', reason: 'ingen resultater etter at valglokalene stengte — 4 kretser gjenstår' }],
    ])('%s', (_name, now, expected) => {
      expectState(advanceOnly(), now, expected);
    });
  });

  describe('quiet but on schedule: the next district is not due yet', () => {
    // oneEarly: 1 of 4 at 19:20; the 2nd is due at 20:00, so behind for slowAfter from 20:15, stallAfter from 20:30.
    it.each<[string, Date, Expected]>([
      ['quiet exactly slowAfter', at('19:35'), { state: 'counting', since: iso('19:20'), reason: '1 av 4 kretser rapportert' }],
      ['quiet exactly stallAfter', at('19:50'), { state: 'counting', since: iso('19:20'), reason: '1 av 4 kretser rapportert' }],
      ['quiet 55 min, the 2nd due 15 min − 1 ms ago', at('20:15', -MS), { state: 'counting', since: iso('19:20'), reason: '1 av 4 kretser rapportert' }],
      ['the 2nd due exactly slowAfter ago', at('20:15'), { state: 'slow', reason: 'ingen nye kretser — 3 av 4 gjenstår' }],
      ['the 2nd due stallAfter − 1 ms ago', at('20:30', -MS), { state: 'slow', reason: 'ingen nye kretser — 3 av 4 gjenstår' }],
      ['the 2nd due exactly stallAfter ago', at('20:30'), { state: 'stalled', reason: 'ingen nye kretser — 3 av 4 gjenstår' }],
    ])('%s', (_name, now, expected) => {
      expectState(oneEarly(), now, expected);
    });
  });

  describe('without an arrival curve the plain thresholds apply', () => {
    it.each<[string, () => Night, Date, Expected]>([
      ['no results, slowAfter − 1 ms after the close', advanceOnly, at('19:15', -MS), { state: 'waiting', since: null, reason: 'venter på første resultat' }],
      ['no results, slowAfter after the close', advanceOnly, at('19:15'), { state: 'slow', since: iso('19:15'), reason: 'ingen resultater etter at valglokalene stengte — 4 kretser gjenstår' }],
      ['no results, stallAfter − 1 ms after the close', advanceOnly, at('19:30', -MS), { state: 'slow', since: iso('19:15'), reason: 'ingen resultater etter at valglokalene stengte — 4 kretser gjenstår' }],
      ['no results, stallAfter after the close', advanceOnly, at('19:30'), { state: 'stalled', since: iso('19:30'), reason: 'ingen resultater etter at valglokalene stengte — 4 kretser gjenstår' }],
      ['no advance either: the advance track is slow too', () => new Night(), at('19:15'), { state: 'slow', since: iso('19:15'), reason: 'ingen resultater etter at valglokalene stengte — 1 forhåndsstemmeenhet og 4 kretser gjenstår' }],
      ['one early district, quiet slowAfter − 1 ms', oneEarly, at('19:35', -MS), { state: 'counting', since: iso('19:20'), reason: '1 av 4 kretser rapportert' }],
      ['one early district, quiet slowAfter (on schedule with a curve)', oneEarly, at('19:35'), { state: 'slow', since: iso('19:35'), reason: 'ingen nye kretser — 3 av 4 gjenstår' }],
      ['one early district, quiet stallAfter', oneEarly, at('19:50'), { state: 'stalled', since: iso('19:50'), reason: 'ingen nye kretser — 3 av 4 gjenstår' }],
    ])('%s', (_name, build, now, expected) => {
      expectState(build(), now, expected, { arrival: null });
    });
  });
});

describe('deriveMunicipalityState: complete, and the final count', () => {
  // The election-day final count starts the next morning: 0101 at 08:00Z on the 12th.
  const finalStarted = () => allPreliminary().result('0101', iso('08:00', 0, 12), { stage: 'final' });
  const complete: Expected = { state: 'complete', since: iso('20:50'), reason: 'alle kretser har rapportert' };

  it.each<[string, () => Night, Date, Expected]>([
    ['every preliminary unit reported', allPreliminary, at('20:50'), complete],
    ['one district short', () => advanceOnly().result('0101', iso('19:35')).result('0102', iso('19:55')).result('0103', iso('20:15')), at('20:20'), { state: 'counting', since: iso('20:15'), reason: '3 av 4 kretser rapportert' }],
    ['final count not started, the next day: no alert', allPreliminary, at('18:00', 0, 12), complete],
    ['final count started, under way', finalStarted, at('08:30', 0, 12), complete],
    ['final count quiet its slowAfter (1h) − 1 ms', finalStarted, at('09:00', -MS, 12), complete],
    ['final count quiet exactly its slowAfter', finalStarted, at('09:00', 0, 12), { state: 'slow', since: iso('09:00', 0, 12), reason: 'endelig opptelling: ingen nye kretser — 3 av 4 gjenstår' }],
    ['final count quiet its stallAfter (2h) − 1 ms', finalStarted, at('10:00', -MS, 12), { state: 'slow', since: iso('09:00', 0, 12), reason: 'endelig opptelling: ingen nye kretser — 3 av 4 gjenstår' }],
    ['final count quiet exactly its stallAfter', finalStarted, at('10:00', 0, 12), { state: 'stalled', since: iso('10:00', 0, 12), reason: 'endelig opptelling: ingen nye kretser — 3 av 4 gjenstår' }],
    ['advance final counted locally, not received, 30m − 1 ms', () => allPreliminary().local(['0000'], iso('08:00', 0, 12), 'advance', 'final'), at('08:30', -MS, 12), complete],
    ['advance final counted locally, not received, 30m', () => allPreliminary().local(['0000'], iso('08:00', 0, 12), 'advance', 'final'), at('08:30', 0, 12),
      { state: 'backlog', since: iso('08:30', 0, 12), reason: 'endelig opptelling: 1 forhåndsstemmeenhet ferdig talt lokalt, ikke mottatt' }],
  ])('%s', (_name, build, now, expected) => {
    expectState(build(), now, expected);
  });

  it('is complete since the last track completed, whichever track that is', () => {
    // Advance first (19:10) and the last district at 20:50; then advance last.
    expectState(allPreliminary(), at('21:00'), { state: 'complete', since: iso('20:50'), reason: 'alle kretser har rapportert' });
    const advanceLast = new Night().result('0101', iso('19:35')).result('0102', iso('19:55')).result('0103', iso('20:15')).result('0104', iso('20:50')).result('0000', iso('21:05'));
    expectState(advanceLast, at('21:10'), { state: 'complete', since: iso('21:05'), reason: 'alle kretser har rapportert' });
  });

  it('reports the final tracks separately, not started as waiting', () => {
    const derived = deriveMunicipalityState(finalStarted().record, ctx(at('08:30', 0, 12)));
    expect(derived.tracks.map((t) => [t.category, t.stage, t.state, t.received, t.total])).toEqual([
      ['advance', 'preliminary', 'complete', 1, 1],
      ['advance', 'final', 'waiting', 0, 1],
      ['election_day', 'preliminary', 'complete', 4, 4],
      ['election_day', 'final', 'counting', 1, 4],
    ]);
    expect(derived.tracks[1]!.reason).toBe('endelig opptelling ikke startet');
  });

  it('has no advance tracks for a municipality without an advance unit', () => {
    const night = new Night({ advanceUnit: false });
    expect(deriveTrackState(night.record, 'advance', 'preliminary', ctx(at('20:00')))).toBeNull();
    expect(deriveMunicipalityState(night.record, ctx(at('20:00'))).tracks.map((t) => `${t.category}/${t.stage}`)).toEqual(['election_day/preliminary', 'election_day/final']);
  });

  it('calls a finished final track "endelig opptelling ferdig"', () => {
    const night = finalStarted().result('0102', iso('08:10', 0, 12), { stage: 'final' }).result('0103', iso('08:20', 0, 12), { stage: 'final' }).result('0104', iso('08:30', 0, 12), { stage: 'final' });
    expect(deriveTrackState(night.record, 'election_day', 'final', ctx(at('12:00', 0, 12)))).toMatchObject({ state: 'complete', since: iso('08:30', 0, 12), reason: 'endelig opptelling ferdig' });
  });
});

describe('deriveMunicipalityState: regressed', () => {
  const regression: Regression = { at: iso('19:35'), district: '0101', category: 'election_day', stage: 'preliminary', version: 2, previousVersion: 1, lost: 12 };
  const corrected: Expected = { state: 'regressed', since: iso('19:35'), reason: 'korrigert: versjon 2 erstatter versjon 1 i krets 0101 (−12 stemmer)' };
  // 0101 received (version 2 at 19:35); 0102 counted locally at 19:30 and not received: backlog from 19:40.
  const withBacklog = () => advanceOnly().result('0101', iso('19:35'), { version: 2 }).local(['0102'], iso('19:30'));

  it.each<[string, () => Night, Date, Expected]>([
    ['at the correction', () => advanceOnly().result('0101', iso('19:35'), { version: 2 }), at('19:35'), corrected],
    ['regressedFor − 1 ms after', () => advanceOnly().result('0101', iso('19:35'), { version: 2 }), at('20:05', -MS), corrected],
    ['exactly regressedFor after: over', () => advanceOnly().result('0101', iso('19:35'), { version: 2 }), at('20:05'), { state: 'counting', since: iso('19:35'), reason: '1 av 4 kretser rapportert' }],
    ['beats backlog', withBacklog, at('19:40'), corrected],
    ['backlog again once over', withBacklog, at('20:05'), { state: 'backlog', since: iso('19:40'), reason: '1 krets ferdig talt lokalt, ikke mottatt' }],
    ['beats complete', () => advanceOnly().result('0101', iso('19:20')).result('0102', iso('19:25')).result('0103', iso('19:30')).result('0104', iso('19:35'), { version: 2 }), at('19:50'), corrected],
  ])('%s', (_name, build, now, expected) => {
    expectState(build(), now, expected, { regression });
  });
});

describe('deriveMunicipalityState: precedence between tracks', () => {
  // In each row the advance track (derived first) holds the less urgent state.
  it.each<[string, () => Night, Partial<StateContext>, Date, [string, string], Expected]>([
    ['backlog beats stalled', () => new Night().local(['0101'], iso('19:30')), {}, at('19:40'), ['stalled', 'backlog'],
      { state: 'backlog', since: iso('19:40'), reason: '1 krets ferdig talt lokalt, ikke mottatt' }],
    // Advance due at +50: slow from 20:05, stalled from 20:20; the first district stalled from 20:10.
    ['stalled beats slow', () => new Night(), { arrival: { ...CURVE, advanceMinutes: 50 } }, at('20:15'), ['slow', 'stalled'],
      { state: 'stalled', reason: 'ingen resultater etter at valglokalene stengte — 1 forhåndsstemmeenhet og 4 kretser gjenstår' }],
    ['slow beats counting', () => new Night().result('0101', iso('19:05')), {}, at('19:25'), ['slow', 'counting'],
      { state: 'slow', reason: 'ingen resultater etter at valglokalene stengte — 1 forhåndsstemmeenhet gjenstår' }],
    ['counting beats waiting', () => new Night().result('0101', iso('19:05')), {}, at('19:08'), ['waiting', 'counting'],
      { state: 'counting', since: iso('19:05'), reason: '1 av 4 kretser rapportert' }],
    ['waiting beats complete', advanceOnly, {}, at('19:20'), ['complete', 'waiting'],
      { state: 'waiting', since: null, reason: 'venter på første resultat' }],
  ])('%s', (_name, build, patch, now, [advanceTrack, electionDayTrack], expected) => {
    const derived = expectState(build(), now, expected, patch);
    expect(derived.tracks.filter((t) => t.stage === 'preliminary').map((t) => t.state)).toEqual([advanceTrack, electionDayTrack]);
  });

  it('backlog beats stalled within a track', () => {
    // threeLate is stalled from 21:40; 0104 was counted locally at 21:10.
    expectState(threeLate().local(['0104'], iso('21:10')), at('21:40'), { state: 'backlog', since: iso('21:20'), reason: '1 krets ferdig talt lokalt, ikke mottatt' });
  });
});

describe('deriveMunicipalityState: under review', () => {
  const regression: Regression = { at: iso('20:45'), district: '0101', category: 'election_day', stage: 'preliminary', version: 2, previousVersion: 1, lost: 12 };
  it.each<[string, () => Night, Partial<StateContext>, Date, MunicipalityState, string | null, string]>([
    // The public words for the mark (state-reason.ts), counts that are pending included; the board shows
    // the rule state beside it.
    ['over backlog', () => advanceOnly().local(['0102'], iso('19:30')), {}, at('19:40'), 'backlog', iso('19:40'), '1 krets ferdig talt lokalt, ikke mottatt'],
    ['over complete', allPreliminary, {}, at('21:00'), 'complete', iso('20:50'), 'alle kretser har rapportert'],
    ['over regressed', allPreliminary, { regression }, at('21:00'), 'regressed', iso('20:45'), 'alle kretser har rapportert'],
    ['over waiting', () => new Night(), {}, at('19:05'), 'waiting', null, 'venter på første resultat'],
  ])('%s', (_name, build, patch, now, underlying, since, reason) => {
    const night = build();
    const derived = deriveMunicipalityState(night.record, ctx(now, { ...patch, underReview: true }));
    expect(derived).toMatchObject({ state: 'under_review', underlyingState: underlying, since, reason: `til gjennomgang — ${reason}` });
    expect(derived.reason).toBe(describeState(summarizeMunicipality(night.record), 'under_review', patch.regression ?? null));
  });

  it('keeps the rule state as underlyingState when not under review', () => {
    expect(deriveMunicipalityState(advanceOnly().local(['0102'], iso('19:30')).record, ctx(at('19:40')))).toMatchObject({ state: 'backlog', underlyingState: 'backlog' });
  });
});

describe('reconcile', () => {
  it.each<[string, () => Night, ReturnType<typeof reconcile>]>([
    ['nothing yet', () => new Night(), { districtsCountedLocally: 0, districtsReceived: 0, districtsPending: 0, ballotsReceived: 0, ballotsPendingEstimate: 0, oldestPendingSince: null }],
    ['received without a status report', () => advanceOnly().result('0101', iso('19:35'), { ballots: 150 }),
      { districtsCountedLocally: 0, districtsReceived: 2, districtsPending: 0, ballotsReceived: 250, ballotsPendingEstimate: 0, oldestPendingSince: null }],
    [
      'two pending, the oldest second in order',
      () => new Night()
        .local(['0000'], iso('19:05'), 'advance').result('0000', iso('19:10'), { ballots: 400 })
        .local(['0101'], iso('19:30')).result('0101', iso('19:35'), { ballots: 150 })
        .local(['0102'], iso('19:32'))
        .local(['0103'], iso('19:31'))
        // Neither counts: a final result (ballots) and a final-count status report (counted locally).
        .result('0101', iso('08:00', 0, 12), { stage: 'final', ballots: 152 })
        .local(['0104'], iso('08:00', 0, 12), 'election_day', 'final'),
      // Pending estimate: 0102 250 × 60 % + 0103 300 × 60 % = 150 + 180, but only 600 − 550 are still expected.
      { districtsCountedLocally: 4, districtsReceived: 2, districtsPending: 2, ballotsReceived: 550, ballotsPendingEstimate: 50, oldestPendingSince: iso('19:31') },
    ],
    [
      'the advance unit pending: 40 % of the expected ballots',
      () => new Night().local(['0000'], iso('19:05'), 'advance').local(['0104'], iso('19:20')),
      // 600 expected ballots × 0.4 + 0104 250 × 60 %.
      { districtsCountedLocally: 2, districtsReceived: 0, districtsPending: 2, ballotsReceived: 0, ballotsPendingEstimate: 240 + 150, oldestPendingSince: iso('19:05') },
    ],
    [
      'a status report on the wrong category does not count',
      () => new Night().local(['0101'], iso('19:30'), 'advance'),
      { districtsCountedLocally: 0, districtsReceived: 0, districtsPending: 0, ballotsReceived: 0, ballotsPendingEstimate: 0, oldestPendingSince: null },
    ],
  ])('%s', (_name, build, expected) => {
    const night = build();
    expect(reconcile(night.record)).toEqual(expected);
    expect(deriveMunicipalityState(night.record, ctx(at('21:00'))).reconciliation).toEqual(expected);
  });
});

describe('deriveMunicipalityState: a final count supersedes a missing preliminary one', () => {
  it('is complete when every unit went straight to its final count (Voss 2023: every ballot re-checked)', () => {
    const night = new Night();
    for (const district of ['0000', '0101', '0102', '0103', '0104']) night.result(district, iso('10:00', 0, 12), { stage: 'final' });
    const derived = deriveMunicipalityState(night.record, ctx(at('11:00', 0, 12)));
    expect(derived.state).toBe('complete');
    expect(derived.tracks.filter((t) => t.stage === 'preliminary').map((t) => t.state)).toEqual(['complete', 'complete']);
  });

  it('still waits for the districts that have neither count', () => {
    const night = new Night().result('0000', iso('19:10')).result('0101', iso('10:00', 0, 12), { stage: 'final' });
    const track = deriveMunicipalityState(night.record, ctx(at('11:00', 0, 12))).tracks.find((t) => t.category === 'election_day' && t.stage === 'preliminary');
    expect(track).toMatchObject({ received: 1, total: 4 });
  });
});

describe('describeState: a recorded state in words from the facts of this moment', () => {
  const facts = (night: Night) => summarizeMunicipality(night.record);
  it.each<[string, () => Night, MunicipalityState, string]>([
    // Oslo in 2023: backlog since the advance unit was late, which has since arrived; now districts wait.
    ['backlog entered for the advance unit, which has arrived since: names what waits now',
      () => new Night().local(['0000'], iso('19:05'), 'advance').result('0000', iso('19:40')).local(['0101', '0102'], iso('19:50')), 'backlog', '2 kretser ferdig talt lokalt, ikke mottatt'],
    ['backlog on both tracks', () => new Night().local(['0000'], iso('19:05'), 'advance').local(['0101'], iso('19:50')), 'backlog', '1 forhåndsstemmeenhet og 1 krets ferdig talt lokalt, ikke mottatt'],
    // Bergen in 2023: the reason said "1 av 39" while 15 were in.
    ['stalled: counts what is outstanding now', () => new Night().result('0000', iso('19:10')).result('0101', iso('19:40')).result('0102', iso('19:45')), 'stalled', 'ingen nye kretser — 2 av 4 gjenstår'],
    ['stalled before any result', () => new Night(), 'stalled', 'ingen resultater etter at valglokalene stengte — 1 forhåndsstemmeenhet og 4 kretser gjenstår'],
    ['counting', () => new Night().result('0000', iso('19:10')).result('0101', iso('19:40')), 'counting', '1 av 4 kretser rapportert'],
    ['under review: says so, with the progress', () => new Night().result('0000', iso('19:10')).result('0101', iso('19:40')), 'under_review', 'til gjennomgang — 1 av 4 kretser rapportert'],
    ['complete', () => new Night().result('0000', iso('19:10')).result('0101', iso('19:40')).result('0102', iso('19:40')).result('0103', iso('19:40')).result('0104', iso('19:40')), 'complete', 'alle kretser har rapportert'],
    ['a recorded backlog whose units have all arrived (the monitor not yet run): no stale count',
      () => new Night().result('0000', iso('19:10')).local(['0101'], iso('19:20')).result('0101', iso('19:40')), 'backlog', '1 av 4 kretser rapportert'],
  ])('%s', (_name, build, state, reason) => {
    expect(describeState(facts(build()), state, null)).toBe(reason);
  });

  it('never carries elapsed time, so a text broadcast at 21:11 is still true at 01:49', () => {
    const night = new Night().local(['0101'], iso('19:00'));
    const early = deriveMunicipalityState(night.record, ctx(at('19:10'))).reason;
    const late = deriveMunicipalityState(night.record, ctx(at('23:49'))).reason;
    expect(early).toBe(late);
    expect(late).not.toMatch(/\d+ min/);
  });

  it('says the same as the monitor derived, for the state it derived', () => {
    const night = new Night().result('0000', iso('19:10')).result('0101', iso('19:40'));
    const derived = deriveMunicipalityState(night.record, ctx(at('20:40')));
    expect(derived.state).toBe('stalled');
    expect(describeState(facts(night), derived.state, null)).toBe(derived.reason);
  });
});

describe('describeState: a recount the municipality announced', () => {
  it('says so while it lasts, and describes the progress once the count is complete after it', () => {
    const announced = iso('19:00');
    const night = new Night();
    expect(describeState(summarizeMunicipality(night.record), 'under_review', null, announced)).toBe('telles på nytt etter melding fra kommunen');
    night.result('0000', iso('20:10')).result('0101', iso('20:20')).result('0102', iso('20:20')).result('0103', iso('20:20')).result('0104', iso('20:30'));
    expect(describeState(summarizeMunicipality(night.record), 'under_review', null, announced)).toBe('til gjennomgang — alle kretser har rapportert');
  });
});
