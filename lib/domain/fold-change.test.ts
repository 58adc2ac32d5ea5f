import { describe, it, expect } from 'vitest';
import type { ResultAcceptedPayload, StatusReportedPayload } from '../contracts/changes.ts';
import { computeMunicipalitySummary, createMunicipalityRecord, type MunicipalityRecord } from './municipality.ts';
import { foldChange, type MunicipalityChange } from './fold-change.ts';
import { describeChange } from './revision.ts';

function record(): MunicipalityRecord {
  return createMunicipalityRecord(
    { number: '4601', name: 'Bergen', countyNumber: '46', countyName: 'Vestland', electorate: 1000, councilSize: 67, expectedTurnout: 50, watch: false },
    [
      { number: '0000', name: 'Forhånd', electorate: 0, kind: 'advance' },
      { number: '0101', name: 'Sentrum', electorate: 500, kind: 'election_day' },
      { number: '0102', name: 'Nord', electorate: 500, kind: 'election_day' },
    ],
    [{ code: 'A', name: 'Arbeiderpartiet' }, { code: 'H', name: 'Høyre' }],
  );
}

function accepted(seq: number, patch: Partial<ResultAcceptedPayload> = {}): MunicipalityChange {
  return {
    seq,
    kind: 'result.accepted',
    actor: 'ingest:test',
    at: '2023-09-11T19:10:00.000Z',
    payload: {
      municipality: '4601',
      district: '0102',
      category: 'election_day',
      stage: 'preliminary',
      version: 1,
      previousVersion: null,
      countedAt: '2023-09-11T19:05:00.000Z',
      receivedAt: '2023-09-11T19:10:00.000Z',
      ballots: { counted: 120, rejected: 3, blank: 4 },
      previousBallots: null,
      votes: { A: 70, H: 46 },
      ...patch,
    },
  };
}

function reported(seq: number, patch: Partial<StatusReportedPayload> = {}): MunicipalityChange {
  return {
    seq,
    kind: 'status.reported',
    actor: 'ingest:test',
    at: '2023-09-11T19:20:00.000Z',
    payload: {
      municipality: '4601',
      category: 'election_day',
      stage: 'preliminary',
      at: '2023-09-11T19:15:00.000Z',
      receivedAt: '2023-09-11T19:20:00.000Z',
      districts: ['0101', '0102'],
      newlyCounted: ['0101', '0102'],
      ...patch,
    },
  };
}

describe('foldChange: result.accepted', () => {
  it('puts the result on the right district, mapped field by field, and returns it as touched', () => {
    const r = record();
    expect(foldChange(r, accepted(1))).toEqual({ municipality: '4601', districts: ['0102'] });
    expect(r.results.get('0101')).toBeUndefined();
    expect(r.results.get('0102')).toEqual([{
      category: 'election_day',
      stage: 'preliminary',
      version: 1,
      countedAt: '2023-09-11T19:05:00.000Z',
      receivedAt: '2023-09-11T19:10:00.000Z',
      ballotsCounted: 120,
      ballotsRejected: 3,
      ballotsBlank: 4,
      votes: { A: 70, H: 46 },
    }]);
    expect(r.progress).toEqual([{ at: '2023-09-11T19:10:00.000Z', districtsReported: 1, ballotsCounted: 120 }]);
  });

  it('replaces an earlier version of the same unit', () => {
    const r = record();
    foldChange(r, accepted(1));
    foldChange(r, accepted(2, { version: 2, previousVersion: 1, ballots: { counted: 118, rejected: 3, blank: 4 } }));
    expect(r.results.get('0102')?.map((x) => [x.version, x.ballotsCounted])).toEqual([[2, 118]]);
    expect(computeMunicipalitySummary(r).ballotsCounted).toBe(118);
  });
});

describe('foldChange: corrections that lower a count', () => {
  const ballots = (counted: number) => ({ counted, rejected: 0, blank: 0 });
  /** 0101 and 0102 each reported once (120 ballots), as the changes 1 and 2. */
  function reported(): MunicipalityRecord {
    const r = record();
    foldChange(r, accepted(1, { district: '0101', ballots: ballots(120) }));
    foldChange(r, accepted(2, { district: '0102', ballots: ballots(120) }));
    return r;
  }
  const v2 = (district: string, from: number, to: number, patch: Partial<ResultAcceptedPayload> = {}) =>
    accepted(10, { district, version: 2, previousVersion: 1, ballots: ballots(to), previousBallots: ballots(from), ...patch });
  const inBatch = (changes: MunicipalityChange[]) => changes.map((change, index) => (change.kind === 'result.accepted' ? { ...change, payload: { ...change.payload, batch: { index, size: changes.length } } } : change));

  it('is one when a report alone lowers its unit, by the unit\'s drop', () => {
    const r = reported();
    foldChange(r, v2('0101', 120, 80));
    expect(r.regression).toMatchObject({ district: '0101', version: 2, previousVersion: 1, lost: 40 });
  });

  it.each([
    ['moves votes between units (one lowered, another raised as much)', [v2('0101', 120, 80), v2('0102', 120, 160)], null],
    ['raises the total', [v2('0101', 120, 80), v2('0102', 120, 175)], null],
    ['moves a preliminary count to a final one', [v2('0101', 120, 0), accepted(11, { district: '0101', stage: 'final', ballots: ballots(120) })], null],
    ['lowers the total: by the total\'s drop, on the unit lowered most', [v2('0102', 120, 110), v2('0101', 120, 80), accepted(11, { district: '0000', category: 'advance', ballots: ballots(500) }), v2('0102', 110, 125, { version: 3, previousVersion: 2 })], { district: '0101', lost: 35 }],
    ['lowers a final count below the preliminary it replaced', [v2('0101', 120, 0), accepted(11, { district: '0101', stage: 'final', ballots: ballots(100) })], { district: '0101', lost: 20 }],
  ])('is judged on the published count per category once a whole batch is folded: none when it %s', (_, changes, expected) => {
    const r = reported();
    const batch = inBatch(changes);
    for (const change of batch.slice(0, -1)) {
      foldChange(r, change);
      // Not judged halfway: the batch's first change lowers a unit before the others raise theirs.
      expect(r.regression).toBeNull();
    }
    foldChange(r, batch.at(-1)!);
    expect(r.regression).toEqual(expected ? expect.objectContaining(expected) : null);
    expect(r.openBatch).toBeNull();
  });

  it('does not judge a batch whose start it never folded', () => {
    const r = reported();
    const [, last] = inBatch([v2('0102', 120, 160), v2('0101', 120, 10)]);
    foldChange(r, last!);
    expect(r.regression).toBeNull();
  });

  it('says in the revision log that a lowering came in a batch', () => {
    const [lowering] = inBatch([v2('0101', 120, 80), v2('0102', 120, 160)]);
    expect(describeChange(lowering!).description).toBe('krets 0101 (valgtingsstemmer): korrigert: versjon 2 erstatter versjon 1 (−40 stemmesedler; sendt sammen med 1 annen rapport)');
    expect(describeChange(v2('0101', 120, 80)).description).toBe('krets 0101 (valgtingsstemmer): korrigert: versjon 2 erstatter versjon 1 (−40 stemmesedler)');
  });
});

describe('foldChange: status.reported', () => {
  it('records newlyCounted with the report time and returns those districts', () => {
    const r = record();
    expect(foldChange(r, reported(1, { districts: ['0101', '0102'], newlyCounted: ['0102'] }))).toEqual({
      municipality: '4601',
      districts: ['0102'],
    });
    expect(r.countedLocallyAt.get('0102')).toBe('2023-09-11T19:15:00.000Z');
    expect(r.countedLocallyAt.has('0101')).toBe(false);
  });

  it('touches nothing when no district is newly counted', () => {
    const r = record();
    foldChange(r, reported(1, { newlyCounted: ['0101'] }));
    expect(foldChange(r, reported(2, { at: '2023-09-11T19:40:00.000Z', newlyCounted: ['0101'] }))).toEqual({ municipality: '4601', districts: [] });
    expect(r.countedLocallyAt.get('0101')).toBe('2023-09-11T19:15:00.000Z');
  });

  it('leaves results and progress alone', () => {
    const r = record();
    foldChange(r, reported(1));
    expect(r.results.size).toBe(0);
    expect(r.progress).toEqual([]);
  });
});

describe('foldChange: watchlist.changed', () => {
  const changed = (seq: number, watch: boolean, reason: string): MunicipalityChange => ({
    seq, kind: 'watchlist.changed', actor: 'operator:vakt', at: '2023-09-11T21:00:00.000Z',
    payload: { municipality: '4601', before: { watch: !watch, reason: null }, after: { watch, reason: watch ? reason : null }, reason, by: 'vakt' },
  });

  it('puts a municipality on the watchlist and takes it off, as its summary shows', () => {
    const r = record();
    expect(foldChange(r, changed(1, true, 'treg i 2023'))).toEqual({ municipality: '4601', districts: [] });
    expect(computeMunicipalitySummary(r).watch).toBe(true);
    expect(r.ref.watchReason).toBe('treg i 2023');
    foldChange(r, changed(2, false, 'i rute'));
    expect(computeMunicipalitySummary(r).watch).toBe(false);
    expect(r.ref.watchReason).toBeNull();
  });
});
