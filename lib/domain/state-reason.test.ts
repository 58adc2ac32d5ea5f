import { describe, expect, it } from 'vitest';
import type { MunicipalityState } from '../contracts/ops.ts';
import { ZThresholdsFile } from '../contracts/thresholds.ts';
import { applyAcceptedResult, applyLocalCounts, computeMunicipalitySummary, createMunicipalityRecord, type MunicipalityRecord } from './municipality.ts';
import { deriveMunicipalityState, summarizeMunicipality, type StateContext, type TrackFacts } from './stall-detection.ts';
import { ZStateReason, type StateReason } from '../contracts/state-reason.ts';
import { computeStateReason, describePending, describeState, renderStateReason } from './state-reason.ts';

const track = (patch: Partial<TrackFacts> & Pick<TrackFacts, 'category'>): TrackFacts => ({
  stage: 'preliminary', received: 0, total: patch.category === 'advance' ? 1 : 4, latest: null, pending: 0, oldestPending: null, ...patch,
});
const facts = (...tracks: TrackFacts[]) => ({
  tracks,
  reconciliation: { districtsCountedLocally: 0, districtsReceived: 0, districtsPending: 0, ballotsReceived: 0, ballotsPendingEstimate: 0, oldestPendingSince: null },
});
const T = (hhmm: string) => `2023-09-11T${hhmm}:00.000Z`;

describe('describeState: the one reason text, from structured facts', () => {
  it.each<[string, ReturnType<typeof facts>, MunicipalityState, string]>([
    // Oslo at 00:30 in the 2023 replay: the advance unit and 42 election-day districts counted, not received.
    ['Oslo: advance units and election-day districts both pending',
      facts(track({ category: 'advance', pending: 1, oldestPending: T('19:05') }), track({ category: 'election_day', total: 90, received: 40, latest: T('22:10'), pending: 42, oldestPending: T('21:30') })),
      'backlog', '1 forhåndsstemmeenhet og 42 kretser ferdig talt lokalt, ikke mottatt'],
    ['only districts pending, plural', facts(track({ category: 'advance', received: 1, latest: T('19:10') }), track({ category: 'election_day', pending: 3 })), 'backlog', '3 kretser ferdig talt lokalt, ikke mottatt'],
    ['one district pending, singular', facts(track({ category: 'election_day', pending: 1 })), 'backlog', '1 krets ferdig talt lokalt, ikke mottatt'],
    ['the advance unit alone', facts(track({ category: 'advance', pending: 1 }), track({ category: 'election_day' })), 'backlog', '1 forhåndsstemmeenhet ferdig talt lokalt, ikke mottatt'],
    ['final count pending after a complete preliminary one',
      facts(track({ category: 'election_day', received: 4, latest: T('21:00') }), track({ category: 'election_day', stage: 'final', received: 1, pending: 2 })),
      'backlog', 'endelig opptelling: 2 kretser ferdig talt lokalt, ikke mottatt'],
    ['pending on both stages: both told',
      facts(track({ category: 'election_day', received: 3, pending: 1 }), track({ category: 'advance', stage: 'final', pending: 1 })),
      'backlog', '1 krets ferdig talt lokalt, ikke mottatt; endelig opptelling: 1 forhåndsstemmeenhet ferdig talt lokalt, ikke mottatt'],
    ['a recorded backlog whose units have all arrived since', facts(track({ category: 'election_day', received: 2, latest: T('20:00') })), 'backlog', '2 av 4 kretser rapportert'],
    ['quiet with no result at all: every unit outstanding', facts(track({ category: 'advance' }), track({ category: 'election_day' })), 'stalled', 'ingen resultater etter at valglokalene stengte — 1 forhåndsstemmeenhet og 4 kretser gjenstår'],
    ['quiet: the track without a result is the quiet one, not the counting one',
      facts(track({ category: 'advance' }), track({ category: 'election_day', received: 1, latest: T('19:05') })), 'slow', 'ingen resultater etter at valglokalene stengte — 1 forhåndsstemmeenhet gjenstår'],
    ['quiet: the track whose latest result is oldest',
      facts(track({ category: 'advance', received: 1, latest: T('19:10') }), track({ category: 'election_day', received: 2, latest: T('19:45') })), 'stalled', 'ingen nye kretser — 2 av 4 gjenstår'],
    ['under review with units pending: the counts, not just the progress',
      facts(track({ category: 'advance', pending: 1 }), track({ category: 'election_day', received: 1, latest: T('19:40'), pending: 2 })), 'under_review', 'til gjennomgang — 1 forhåndsstemmeenhet og 2 kretser ferdig talt lokalt, ikke mottatt'],
    ['under review without: the progress', facts(track({ category: 'election_day', received: 1, latest: T('19:40') })), 'under_review', 'til gjennomgang — 1 av 4 kretser rapportert'],
    ['waiting', facts(track({ category: 'election_day' })), 'waiting', 'venter på første resultat'],
    ['complete', facts(track({ category: 'election_day', received: 4, latest: T('21:00') })), 'complete', 'alle kretser har rapportert'],
  ])('%s', (_name, input, state, reason) => {
    expect(describeState(input, state, null)).toBe(reason);
  });

  it('describePending: none pending is no text', () => {
    expect(describePending([track({ category: 'election_day', received: 4 })])).toBeNull();
  });
});

// The console and the public for one municipality at one moment: the monitor's derivation (what the alert
// and the board carry) and the public summary (pages, embeds, exports) must say the same.
describe('the board and the public agree', () => {
  const THRESHOLDS = ZThresholdsFile.parse({
    advance: { preliminary: { slowAfter: '15m', stallAfter: '30m', backlogAfter: '10m' }, final: { slowAfter: '1h', stallAfter: '2h', backlogAfter: '30m' } },
    election_day: { preliminary: { slowAfter: '15m', stallAfter: '30m', backlogAfter: '10m' }, final: { slowAfter: '1h', stallAfter: '2h', backlogAfter: '30m' } },
    regressedFor: '30m',
    evaluateEvery: '30s',
  });
  const numbers = Array.from({ length: 90 }, (_, i) => String(i + 1).padStart(4, '0'));

  function oslo(): MunicipalityRecord {
    const record = createMunicipalityRecord(
      { number: '0301', name: 'Oslo', countyNumber: '03', countyName: 'Oslo', electorate: 500_000, councilSize: 59, expectedTurnout: 70, watch: false },
      [{ number: '0000', name: 'Forhånd', electorate: 0, kind: 'advance' }, ...numbers.map((number) => ({ number, name: `Krets ${number}`, electorate: 5000, kind: 'election_day' as const }))],
      [{ code: 'A', name: 'Arbeiderpartiet' }],
    );
    for (const number of numbers.slice(0, 40)) {
      applyAcceptedResult(record, number, { category: 'election_day', stage: 'preliminary', version: 1, countedAt: T('20:30'), receivedAt: T('20:30'), ballotsCounted: 3000, ballotsRejected: 0, ballotsBlank: 0, votes: { A: 3000 } });
    }
    applyLocalCounts(record, ['0000'], T('19:05'), 'advance');
    applyLocalCounts(record, numbers.slice(40, 82), T('21:30'));
    return record;
  }
  const ctx = (now: string, patch: Partial<StateContext> = {}): StateContext => ({
    thresholds: THRESHOLDS, now: new Date(now), pollsCloseAt: new Date(T('19:00')), arrival: null, underReview: false, regression: null, ...patch,
  });

  it.each<[string, Partial<StateContext>]>([
    ['in backlog (Oslo at 00:30)', {}],
    ['under review', { underReview: true }],
  ])('%s', (_name, patch) => {
    const record = oslo();
    const derived = deriveMunicipalityState(record, ctx('2023-09-11T22:30:00.000Z', patch));
    expect(derived.underlyingState).toBe('backlog');
    // The state as the monitor records it; the public summary reads the recorded state.
    record.state = { state: derived.state, since: derived.since, reason: derived.reason };
    const publicReason = computeMunicipalitySummary(record).stateReason;
    expect(derived.reason).toBe(publicReason);
    expect(publicReason).toContain('1 forhåndsstemmeenhet og 42 kretser ferdig talt lokalt, ikke mottatt');
    expect(derived.reason).toBe(describeState(summarizeMunicipality(record), derived.state, null));
  });
});

describe('renderStateReason: the same facts in bokmål, nynorsk and English', () => {
  const oslo = facts(track({ category: 'advance', pending: 1, oldestPending: T('19:05') }), track({ category: 'election_day', total: 90, received: 40, latest: T('22:10'), pending: 42, oldestPending: T('21:30') }));
  const regression = { at: T('21:00'), district: '0004', category: 'election_day' as const, stage: 'preliminary' as const, version: 2, previousVersion: 1, lost: 12 };
  it.each<[string, StateReason, string, string, string]>([
    ['pending, both kinds', computeStateReason(oslo, 'backlog', null),
      '1 forhåndsstemmeenhet og 42 kretser ferdig talt lokalt, ikke mottatt',
      '1 førehandsrøysteeining og 42 krinsar ferdig talt lokalt, ikkje motteke',
      '1 advance-vote unit and 42 districts counted locally, not received'],
    ['pending on both stages', { kind: 'pending', stages: [{ stage: 'preliminary', units: [{ category: 'election_day', count: 1 }] }, { stage: 'final', units: [{ category: 'advance', count: 1 }] }] },
      '1 krets ferdig talt lokalt, ikke mottatt; endelig opptelling: 1 forhåndsstemmeenhet ferdig talt lokalt, ikke mottatt',
      '1 krins ferdig talt lokalt, ikkje motteke; endeleg oppteljing: 1 førehandsrøysteeining ferdig talt lokalt, ikkje motteke',
      '1 district counted locally, not received; final count: 1 advance-vote unit counted locally, not received'],
    ['no results at all', { kind: 'no_results', stage: 'preliminary', remaining: [{ category: 'advance', count: 1 }, { category: 'election_day', count: 4 }] },
      'ingen resultater etter at valglokalene stengte — 1 forhåndsstemmeenhet og 4 kretser gjenstår',
      'ingen resultat etter at vallokala stengde — 1 førehandsrøysteeining og 4 krinsar står att',
      'no results since the polls closed — 1 advance-vote unit and 4 districts remaining'],
    ['no new districts', { kind: 'no_new', stage: 'preliminary', category: 'election_day', remaining: 2, total: 4 },
      'ingen nye kretser — 2 av 4 gjenstår', 'ingen nye krinsar — 2 av 4 står att', 'no new districts — 2 of 4 remaining'],
    ['counting, final stage', { kind: 'counting', stage: 'final', category: 'election_day', received: 3, total: 10 },
      'endelig opptelling: 3 av 10 kretser rapportert', 'endeleg oppteljing: 3 av 10 krinsar rapportert', 'final count: 3 of 10 districts reported'],
    ['waiting', { kind: 'waiting', stage: 'preliminary' }, 'venter på første resultat', 'ventar på første resultat', 'waiting for the first result'],
    ['final count not started', { kind: 'waiting', stage: 'final' }, 'endelig opptelling ikke startet', 'endeleg oppteljing ikkje starta', 'final count not started'],
    ['complete', { kind: 'complete', stage: 'preliminary' }, 'alle kretser har rapportert', 'alle krinsar har rapportert', 'all districts have reported'],
    ['final count complete', { kind: 'complete', stage: 'final' }, 'endelig opptelling ferdig', 'endeleg oppteljing ferdig', 'final count complete'],
    ['regressed', computeStateReason(oslo, 'regressed', regression),
      'korrigert: versjon 2 erstatter versjon 1 i krets 0004 (−12 stemmer)',
      'korrigert: versjon 2 erstattar versjon 1 i krins 0004 (−12 røyster)',
      'corrected: version 2 replaces version 1 in district 0004 (−12 votes)'],
    ['regressed by one vote', { kind: 'regressed', district: '0004', version: 2, previousVersion: 1, lost: 1 },
      'korrigert: versjon 2 erstatter versjon 1 i krets 0004 (−1 stemmer)',
      'korrigert: versjon 2 erstattar versjon 1 i krins 0004 (−1 røyst)',
      'corrected: version 2 replaces version 1 in district 0004 (−1 vote)'],
    ['recount', computeStateReason(oslo, 'under_review', null, T('21:00')),
      'telles på nytt etter melding fra kommunen', 'vert talt på nytt etter melding frå kommunen', 'being recounted, as announced by the municipality'],
    ['under review with detail', { kind: 'under_review', detail: { kind: 'counting', stage: 'preliminary', category: 'election_day', received: 1, total: 4 } },
      'til gjennomgang — 1 av 4 kretser rapportert', 'til gjennomgang — 1 av 4 krinsar rapportert', 'under review — 1 of 4 districts reported'],
    ['under review, nothing to add', { kind: 'under_review', detail: null }, 'til gjennomgang', 'til gjennomgang', 'under review'],
  ])('%s', (_name, reason, nb, nn, en) => {
    expect(ZStateReason.parse(reason)).toEqual(reason);
    expect(renderStateReason(reason)).toBe(nb);
    expect(renderStateReason(reason, 'nb')).toBe(nb);
    expect(renderStateReason(reason, 'nn')).toBe(nn);
    expect(renderStateReason(reason, 'en')).toBe(en);
  });

  it('describeState is computeStateReason rendered, in any locale', () => {
    for (const state of ['backlog', 'stalled', 'slow', 'counting', 'waiting', 'complete', 'under_review', 'regressed'] as const) {
      for (const locale of ['nb', 'nn', 'en'] as const) {
        expect(describeState(oslo, state, null, null, locale)).toBe(renderStateReason(computeStateReason(oslo, state, null), locale));
      }
    }
  });

  it('the public summary carries the facts its bokmål reason is rendered from', () => {
    const summary = computeMunicipalitySummary(createMunicipalityRecord(
      { number: '4601', name: 'Bergen', countyNumber: '46', countyName: 'Vestland', electorate: 1000, councilSize: 67, expectedTurnout: 70, watch: false },
      [{ number: '0001', name: 'Krets 1', electorate: 1000, kind: 'election_day' }],
      [],
    ));
    expect(summary.stateReasonFacts).toEqual({ kind: 'waiting', stage: 'preliminary' });
    expect(renderStateReason(summary.stateReasonFacts)).toBe(summary.stateReason);
    expect(renderStateReason(summary.stateReasonFacts, 'en')).toBe('waiting for the first result');
  });
});
