// The national figures after the whole 2023 night, checked against the official result as far as our
// sources allow. The official per-municipality results (valgresultat.no, as copied in ko-2023.json; see
// data/SOURCES.md) itemise each municipality's ten largest lists: a national party outside a municipality's
// top ten is, there, inside the source's "Andre". So each national party's national vote must equal the
// sum of its itemised official rows exactly — no more (nothing invented) and no less (nothing lost) — and
// the overview says that the rest is pooled (see the note under its party table).
import { readFileSync } from 'node:fs';
import type { ScenarioInput } from '../../lib/contracts/scenario.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadReplayReference, loadShippedScenario } from '../../data/election-package.ts';
import { DEFAULT_ELECTION_ID } from '../../server/config.ts';
import type { ResultReport } from '../../lib/contracts/ingest.ts';
import { applyAcceptedResult, computeMunicipalityView, createMunicipalityRecord, type MunicipalityRecord } from '../../lib/domain/municipality.ts';
import { NATIONAL_PARTIES, OTHERS_CODE, computeNationalTotals } from '../../lib/domain/national.ts';
import { buildReplayPlan } from '../../lib/replay/plan.ts';
import type { ReplayReference } from '../../lib/replay/reference.ts';

interface OfficialFile { data: Record<string, { partier: Array<{ kode: string; stemmer: number }> }> }
const OFFICIAL_PATH = new URL('../../../shared/data/FemtiGram-kart/ko-2023.json', import.meta.url);

let reference: ReplayReference;
/** The 2023 night with its incidents, from the ko2023 package (its default scenario). */
let SCENARIO_2023: ScenarioInput;
let records: MunicipalityRecord[];

beforeAll(async () => {
  reference = await loadReplayReference(DEFAULT_ELECTION_ID);
  SCENARIO_2023 = await loadShippedScenario(DEFAULT_ELECTION_ID, '2023');
  const plan = buildReplayPlan(reference, SCENARIO_2023);
  const byNumber = new Map(reference.municipalities.map((m) => [m.number, createMunicipalityRecord(
    { number: m.number, name: m.name, countyNumber: '', countyName: '', electorate: m.electorate, councilSize: 11, expectedTurnout: 65, watch: m.watch },
    m.districts.map((d) => ({ ...d, name: d.number })),
    Object.keys(m.final.votes).map((code) => ({ code, name: code })),
  )]));
  // The whole night as the sidecar would apply it: the latest version of each report wins.
  for (const request of plan.requests) {
    if (request.kind !== 'result' || request.expect !== 201) continue;
    const r = request.body as ResultReport;
    const record = byNumber.get(request.municipality)!;
    const held = record.results.get(r.district)?.find((x) => x.category === r.category && x.stage === r.stage);
    if (held && held.version > r.version) continue;
    applyAcceptedResult(record, r.district, {
      category: r.category, stage: r.stage, version: r.version, countedAt: r.countedAt, receivedAt: request.at,
      ballotsCounted: r.ballots.counted, ballotsRejected: r.ballots.rejected, ballotsBlank: r.ballots.blank, votes: r.votes,
    });
  }
  records = [...byNumber.values()];
}, 60_000);

describe('national figures after the 2023 night', () => {
  it('equal, for every national party, the sum of its rows in the official per-municipality results', () => {
    const official = JSON.parse(readFileSync(OFFICIAL_PATH, 'utf8')) as OfficialFile;
    const officialSums = new Map<string, number>();
    for (const m of Object.values(official.data)) {
      for (const row of m.partier) if (NATIONAL_PARTIES.has(row.kode)) officialSums.set(row.kode, (officialSums.get(row.kode) ?? 0) + row.stemmer);
    }
    const national = computeNationalTotals(records.map((record) => ({ view: computeMunicipalityView(record), previousVotes: null })));
    expect(national.municipalitiesComplete).toBe(357);
    const ours = new Map(national.parties.map((p) => [p.code, p.votes]));
    for (const code of NATIONAL_PARTIES.keys()) expect([code, ours.get(code)]).toEqual([code, officialSums.get(code)]);
    // Everything else — local lists and national parties outside a municipality's top ten — is "Andre".
    const listVotes = [...ours.values()].reduce((sum, v) => sum + v, 0);
    expect(ours.get(OTHERS_CODE)).toBe(listVotes - [...NATIONAL_PARTIES.keys()].reduce((sum, code) => sum + (officialSums.get(code) ?? 0), 0));
    // The largest party nationally, as in the official result: Høyre ahead of Arbeiderpartiet.
    expect(national.parties.filter((p) => p.code !== OTHERS_CODE).slice(0, 2).map((p) => p.code)).toEqual(['H', 'A']);
  });
});
