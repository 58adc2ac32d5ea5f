// Group commit, against real PGlite and the real PostgreSQL server: a batch decides each report as writing
// them one by one would (resends, conflicts, corrections and the electorate bound see earlier batch-mates),
// refused reports change nothing and do not affect the others, and many concurrent requests through the
// API each get their own right answer, with seq order equal to commit order and the read model correct.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '../../db/client.ts';
import { loadReferenceIds, recordIngestBatch } from '../../db/ingest.ts';
import type { IngestItem, IngestOutcome } from '../../lib/intake/decide.ts';
import type { ResultReport, StatusReport } from '../../lib/contracts/ingest.ts';
import { canonicalizeReport } from '../../lib/domain/report-rules.ts';
import { createHash } from 'node:crypto';
import { BACKENDS, makeResultReport, makeStatusReport, nightAt, nightIso, referenceData, startTestStack, type TestStack, TEST_ELECTION_ID } from './harness.ts';

const RECEIVED_AT = nightAt('21:50');
const hash = (report: ResultReport | StatusReport) => createHash('sha256').update(canonicalizeReport(report)).digest('hex');
const result = (report: ResultReport): IngestItem => ({ kind: 'result', input: { report, payloadHash: hash(report), receivedAt: RECEIVED_AT, credentialId: null, actor: 'test' } });
const status = (report: StatusReport): IngestItem => ({ kind: 'status', input: { report, payloadHash: hash(report), receivedAt: RECEIVED_AT, credentialId: null, actor: 'test' } });

interface Pick {
  number: string;
  electorate: number;
  districts: string[];
}

/** Municipalities with three election-day districts and the lists A and H, none used twice. */
async function municipalities(count: number, skip: Set<string>): Promise<Pick[]> {
  const data = await referenceData();
  const picks: Pick[] = [];
  for (const m of data.municipalities) {
    if (skip.has(m.number) || m.electorate < 2000) continue;
    const districts = data.districts.filter((d) => d.municipality === m.number && d.kind === 'election_day').map((d) => d.number);
    const codes = new Set(data.partyLists.filter((p) => p.municipality === m.number).map((p) => p.code));
    if (districts.length < 3 || !codes.has('A') || !codes.has('H')) continue;
    picks.push({ number: m.number, electorate: m.electorate, districts });
    skip.add(m.number);
    if (picks.length === count) break;
  }
  return picks;
}

/**
 * A batch in which later reports depend on earlier ones, with the outcome each must get (as if written one
 * after the other).
 */
function dependentBatch(m: Pick, other: Pick): { items: IngestItem[]; expected: Array<IngestOutcome['kind']> } {
  const [d1, d2, d3] = m.districts as [string, string, string];
  const v1 = makeResultReport({ municipality: m.number, district: d1, ballots: { counted: 100, rejected: 1, blank: 2 }, votes: { A: 50, H: 40 } });
  const v2 = { ...v1, version: 2, ballots: { counted: 98, rejected: 1, blank: 2 }, votes: { A: 48, H: 40 } };
  // Fits on its own, but not next to d1's correction (99 ballots) in the same batch.
  const tooMany = makeResultReport({ municipality: m.number, district: d2, ballots: { counted: m.electorate - 98, rejected: 0, blank: 0 }, votes: { A: 10 } });
  const s1 = makeStatusReport({ municipality: m.number, districts: [d1, d2] });
  return {
    items: [
      result(v1),
      result(v1), // exact resend of a batch-mate
      result({ ...v1, votes: { A: 51, H: 39 } }), // same version, other content
      result(v2), // a correction of a batch-mate
      result({ ...v1, countedAt: nightAt('21:45').toISOString() }), // v1 resent (same instant) after its correction
      result(tooMany),
      result(makeResultReport({ municipality: m.number, district: d3, ballots: { counted: 50, rejected: 0, blank: 0 }, votes: { H: 50 } })),
      status(s1),
      status(makeStatusReport({ municipality: m.number, districts: [d2, d3], at: nightIso('21:55') })),
      status(s1), // exact resend of a batch-mate
      result(makeResultReport({ municipality: other.number, district: other.districts[0]!, votes: { A: 1 } })),
      // More ballots than the other municipality has voters. (Unknown references never get this far: the routes refuse them.)
      result(makeResultReport({ municipality: other.number, district: other.districts[1]!, ballots: { counted: other.electorate + 1, rejected: 0, blank: 0 }, votes: { A: 1 } })),
      // Near the electorate: a correction fits because the count it replaces no longer counts.
      result(makeResultReport({ municipality: m.number, district: d3, stage: 'final', ballots: { counted: m.electorate - 10, rejected: 0, blank: 0 }, votes: { A: 1 } })),
      result(makeResultReport({ municipality: m.number, district: d3, stage: 'final', version: 2, ballots: { counted: m.electorate - 5, rejected: 0, blank: 0 }, votes: { A: 2 } })),
    ],
    expected: ['created', 'duplicate', 'conflict', 'created', 'duplicate', 'invalid', 'created', 'created', 'created', 'duplicate', 'created', 'invalid', 'created', 'created'],
  };
}

describe.each(BACKENDS)('group commit on %s', (backend) => {
  let stack: TestStack;
  const used = new Set<string>(['0301', '4601']);

  beforeAll(async () => {
    stack = await startTestStack(backend);
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function changes(seqs: number[]) {
    const rows = await stack.database.db.changeLog.findMany({ where: { seq: { in: seqs.map(BigInt) } }, orderBy: { seq: 'asc' }, select: { seq: true, kind: true, payload: true } });
    return rows.map((row) => ({ seq: Number(row.seq), kind: row.kind, payload: row.payload as Record<string, unknown> }));
  }

  it('decides every report of a batch as writing them one after the other would, and writes only the accepted ones', async () => {
    const [m, other, m2, other2] = await municipalities(4, used);
    const batch = dependentBatch(m!, other!);
    const references = await loadReferenceIds(stack.database.db, TEST_ELECTION_ID);
    const outcomes = await recordIngestBatch(getPool(stack.database.db), TEST_ELECTION_ID, references, () => batch.items);
    expect(outcomes.map((o) => o.kind)).toEqual(batch.expected);

    const seqOf = (i: number) => (outcomes[i] as { seq: number }).seq;
    const created = outcomes.flatMap((o, i) => (o.kind === 'created' ? [i] : []));
    // Seqs ascend in batch order, without gaps; resends answer with their original's seq.
    expect(created.map(seqOf)).toEqual(created.map((_, k) => seqOf(created[0]!) + k));
    expect([seqOf(1), seqOf(4), seqOf(9)]).toEqual([seqOf(0), seqOf(0), seqOf(7)]);
    expect(outcomes[2]).toMatchObject({ reason: expect.stringContaining('different content') });
    expect(outcomes[5]).toEqual({ kind: 'invalid', issues: [{ field: 'ballots.counted', reason: expect.stringContaining('more than its electorate') }] });
    expect(outcomes[11]).toEqual({ kind: 'invalid', issues: [{ field: 'ballots.counted', reason: expect.stringContaining('more than its electorate') }] });

    const log = await changes(created.map(seqOf));
    expect(log.map((c) => c.kind)).toEqual(['result.accepted', 'result.accepted', 'result.accepted', 'status.reported', 'status.reported', 'result.accepted', 'result.accepted', 'result.accepted']);
    expect(log[1]!.payload).toMatchObject({ version: 2, previousVersion: 1, previousBallots: { counted: 100, rejected: 1, blank: 2 } });
    expect(log[3]!.payload).toMatchObject({ newlyCounted: [m!.districts[0], m!.districts[1]].sort() });
    expect(log[4]!.payload).toMatchObject({ newlyCounted: [m!.districts[2]] });

    // Only the accepted reports are stored; "current" is the correction.
    const db = stack.database.db;
    const d1 = { district: { number: m!.districts[0]!, municipality: { number: m!.number } } };
    expect((await db.resultReport.findMany({ where: d1, select: { version: true }, orderBy: { version: 'asc' } })).map((r) => r.version)).toEqual([1, 2]);
    expect(await db.currentResult.findFirst({ where: d1, select: { report: { select: { version: true } } } })).toEqual({ report: { version: 2 } });
    expect(await db.resultReport.count({ where: { district: { number: m!.districts[1]!, municipality: { number: m!.number } } } })).toBe(0);
    expect(await db.resultReport.count({ where: { district: { municipality: { number: other!.number } } } })).toBe(1);
    const local = await db.localCount.findMany({ where: { district: { municipality: { number: m!.number } } }, select: { district: { select: { number: true } }, statusReport: { select: { seq: true } } } });
    expect(Object.fromEntries(local.map((l) => [l.district.number, Number(l.statusReport.seq)]))).toEqual({
      [m!.districts[0]!]: seqOf(7), [m!.districts[1]!]: seqOf(7), [m!.districts[2]!]: seqOf(8),
    });

    // The same reports written one at a time decide the same way and log the same changes.
    const alone = dependentBatch(m2!, other2!);
    const one: IngestOutcome[] = [];
    for (const item of alone.items) one.push(...(await recordIngestBatch(getPool(db), TEST_ELECTION_ID, references, () => [item])));
    expect(one.map((o) => o.kind)).toEqual(alone.expected);
    const aloneLog = await changes(one.flatMap((o) => (o.kind === 'created' ? [o.seq] : [])));
    const neutral = (payload: Record<string, unknown>, pick: Pick, otherPick: Pick) =>
      JSON.parse(JSON.stringify(payload).replaceAll(`"${pick.number}"`, '"M"').replaceAll(`"${otherPick.number}"`, '"O"')
        .replaceAll(`:${pick.electorate - 10},`, ':"E-10",').replaceAll(`:${pick.electorate - 5},`, ':"E-5",')
        .replace(/"district":"\d{4}"/g, '"district":"D"').replace(/"(newlyCounted|districts)":\[[^\]]*\]/g, (_, key) => `"${key}":${_.split(':')[1]!.split(',').length}`));
    expect(aloneLog.map((c) => neutral(c.payload, m2!, other2!))).toEqual(log.map((c) => neutral(c.payload, m!, other!)));

    // The read model folds the batch like any other changes.
    await stack.settle();
    const detail = (await stack.getJson(`/api/v1/municipalities/${m!.number}`)).body;
    expect(detail.districts.find((d: { number: string }) => d.number === m!.districts[0]).ballotsCounted).toBe(98);
    // d1's correction (A 48) and d3's final count (A 2), which takes the place of its preliminary one.
    expect(detail.parties.find((p: { code: string }) => p.code === 'A').votes).toBe(50);
  });

  it('answers many concurrent requests each on its own, in commit order, with the read model correct at the end', { timeout: 120_000 }, async () => {
    const picks = await municipalities(6, used);
    const tokens = new Map(await Promise.all(picks.map(async (p) => [p.number, await stack.token(p.number)] as const)));
    type Expect = 'created' | 'duplicate' | 'created-or-conflict' | 'created-or-invalid';
    const sends: Array<{ kind: 'result' | 'status'; municipality: string; body: ResultReport | StatusReport; expect: Expect; group?: string }> = [];
    for (const p of picks) {
      const [d1, d2, d3] = p.districts as [string, string, string];
      const plain = makeResultReport({ municipality: p.number, district: d1, ballots: { counted: 120, rejected: 0, blank: 0 }, votes: { A: 60, H: 60 } });
      // The same report twice at once: one is created, the other is its resend.
      sends.push({ kind: 'result', municipality: p.number, body: plain, expect: 'created', group: `${p.number}-dup` });
      sends.push({ kind: 'result', municipality: p.number, body: plain, expect: 'duplicate', group: `${p.number}-dup` });
      // Two different contents for one version at once: one wins, the other conflicts.
      const a = makeResultReport({ municipality: p.number, district: d2, ballots: { counted: 200, rejected: 0, blank: 0 }, votes: { A: 200 } });
      sends.push({ kind: 'result', municipality: p.number, body: a, expect: 'created-or-conflict', group: `${p.number}-conflict` });
      sends.push({ kind: 'result', municipality: p.number, body: { ...a, ballots: { counted: 210, rejected: 0, blank: 0 }, votes: { A: 210 } }, expect: 'created-or-conflict', group: `${p.number}-conflict` });
      // Each fits the electorate alone, not both: one is created, the other refused.
      const half = Math.floor(p.electorate * 0.6);
      sends.push({ kind: 'result', municipality: p.number, body: makeResultReport({ municipality: p.number, district: d3, stage: 'final', ballots: { counted: half, rejected: 0, blank: 0 }, votes: { A: 1 } }), expect: 'created-or-invalid', group: `${p.number}-bound` });
      sends.push({ kind: 'result', municipality: p.number, body: makeResultReport({ municipality: p.number, district: d1, stage: 'final', ballots: { counted: half, rejected: 0, blank: 0 }, votes: { H: 1 } }), expect: 'created-or-invalid', group: `${p.number}-bound` });
      sends.push({ kind: 'status', municipality: p.number, body: makeStatusReport({ municipality: p.number, districts: [d1, d2] }), expect: 'created' });
      sends.push({ kind: 'status', municipality: p.number, body: makeStatusReport({ municipality: p.number, districts: [d2, d3], at: nightIso('21:52') }), expect: 'created' });
    }

    // On the server, hold the change-log lock while the requests arrive, so they are certain to queue up and
    // share transactions (PGlite's single connection cannot be held from here without stopping requests too).
    let release: (() => Promise<void>) | undefined;
    if (backend === 'postgres') {
      const client = new pg.Client({ connectionString: stack.database.connectionString });
      await client.connect();
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [0x56_56_00_01]);
      release = async () => {
        await client.query('COMMIT');
        await client.end();
      };
    }
    const pending = sends.map(async (send) => {
      const response = await fetch(`${stack.baseUrl}/api/v1/${send.kind === 'result' ? 'results' : 'status'}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.get(send.municipality)}`, 'content-type': 'application/json' },
        body: JSON.stringify(send.body),
      });
      return { send, status: response.status, answer: await response.json(), committedAt: response.headers.get('x-valgvakt-committed-at') };
    });
    if (release) {
      // Everything but the one transaction waiting for the lock is queued at the writer.
      while (stack.sidecar.ingestWriter.queueDepth() < sends.length - 1) await new Promise((resolve) => setTimeout(resolve, 20));
      await release();
    }
    const answers = await Promise.all(pending);

    const groups = new Map<string, typeof answers>();
    for (const a of answers) if (a.send.group) groups.set(a.send.group, [...(groups.get(a.send.group) ?? []), a]);
    for (const [group, pair] of groups) {
      const statuses = pair.map((a) => a.status).sort();
      if (group.endsWith('-dup')) {
        expect(statuses, group).toEqual([200, 201]);
        expect(pair[0]!.answer.seq, group).toBe(pair[1]!.answer.seq);
      } else if (group.endsWith('-conflict')) expect(statuses, group).toEqual([201, 409]);
      else expect(statuses, group).toEqual([201, 422]);
    }
    const statusAnswers = answers.filter((a) => a.send.kind === 'status');
    expect(statusAnswers.map((a) => a.status)).toEqual(statusAnswers.map(() => 201));

    // Accepted answers carry their commit time; a later seq never committed earlier, and a resend is
    // answered after its original committed.
    const accepted = answers.filter((a) => a.status === 201).sort((a, b) => a.answer.seq - b.answer.seq);
    for (const a of [...accepted, ...answers.filter((a) => a.status === 200)]) expect(a.committedAt).toMatch(/^\d{13}\.\d{3}$/);
    for (let i = 1; i < accepted.length; i++) expect(Number(accepted[i]!.committedAt)).toBeGreaterThanOrEqual(Number(accepted[i - 1]!.committedAt));
    for (const resend of answers.filter((a) => a.status === 200)) {
      expect(Number(resend.committedAt)).toBeGreaterThanOrEqual(Number(accepted.find((a) => a.answer.seq === resend.answer.seq)!.committedAt));
    }
    expect(answers.filter((a) => a.status >= 400).every((a) => a.committedAt === null)).toBe(true);
    // The queued requests shared commits.
    if (backend === 'postgres') expect(new Set(accepted.map((a) => a.committedAt)).size).toBeLessThan(accepted.length / 2);
    // The log holds the accepted changes, one seq each and nothing in between.
    const seqs = accepted.map((a) => a.answer.seq as number);
    expect((await changes(seqs)).map((c) => c.seq)).toEqual(seqs);
    expect(seqs.at(-1)! - seqs[0]!).toBe(seqs.length - 1);

    // The read model holds exactly the winners.
    await stack.settle();
    for (const p of picks) {
      const detail = (await stack.getJson(`/api/v1/municipalities/${p.number}`)).body;
      for (const number of p.districts.slice(0, 3)) {
        const winners = accepted.filter((a) => a.send.kind === 'result' && a.send.municipality === p.number && (a.send.body as ResultReport).district === number);
        const district = detail.districts.find((d: { number: string }) => d.number === number);
        const shown = district.results.map((r: { stage: string; version: number; ballotsCounted: number; votes: Record<string, number> }) => ({ stage: r.stage, version: r.version, ballots: r.ballotsCounted, votes: r.votes }));
        const expected = winners.map((w) => w.send.body as ResultReport).map((r) => ({ stage: r.stage, version: r.version, ballots: r.ballots.counted, votes: r.votes }));
        expect(shown.sort((a: { stage: string }, b: { stage: string }) => a.stage.localeCompare(b.stage)), `${p.number} ${number}`).toEqual(expected.sort((a, b) => a.stage.localeCompare(b.stage)));
        expect(district.countedLocallyAt, `${p.number} ${number}`).not.toBeNull();
      }
    }
  });
});
