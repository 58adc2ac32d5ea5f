// Builds a replay plan: every request a night's municipal systems would send, when, and what the system
// should answer. Pure and deterministic: the same reference data, scenario and seed give the same plan.
import type { ResultReport, StatusReport } from '../contracts/ingest.ts';
import { ZScenario, type Scenario, type ScenarioInput, type TransferBacklog } from '../contracts/scenario.ts';
import { canonicalizeReport } from '../domain/report-rules.ts';
import { getOrThrow } from '../get-or-throw.ts';
import { distributeMunicipality, type CountingUnit, type UnitCount } from './distribute.ts';
import { addMinutes, afterPollsClose, parseNightTime, type ElectionNight } from './night-time.ts';
import { createRandom, type Random } from './random.ts';
import type { ReplayMunicipality, ReplayReference } from './reference.ts';
import { assignLocalMinutes, stretchToCount } from './timing.ts';

export type ExpectedStatus = 200 | 201 | 409;

/** What a request carries: its kind names its body (a result to /api/v1/results, a status to /api/v1/status). */
export type PlannedBody = { kind: 'result'; body: ResultReport } | { kind: 'status'; body: StatusReport };

export type PlannedRequest = PlannedBody & {
  /** Position in the plan; the runner sends in this order (per municipality strictly). */
  id: number;
  /** Simulated time to send it, ISO (UTC). */
  at: string;
  municipality: string;
  expect: ExpectedStatus;
  /** Why this request looks the way it does, for summaries and tests. */
  tags: string[];
};

export interface ReplayPlan {
  scenario: string;
  seed: string;
  start: string;
  end: string;
  requests: PlannedRequest[];
  /** Requests a fault dropped: never sent. */
  dropped: number;
  /** What the system should hold once every request is answered: list votes per municipality. */
  expectedVotes: Record<string, Record<string, number>>;
  /** Facts about the night the plan reproduces, e.g. "0301 at 00:30: 91 of 101 counted locally". */
  notes: string[];
}

type Draft = PlannedBody & {
  at: Date;
  municipality: string;
  tags: string[];
  /** Tie-break within the same instant: keeps a municipality's own order stable. */
  order: number;
};

/** The kind and body alone (TypeScript cannot carry the pairing through a spread of the whole draft). */
function bodyOf(draft: PlannedBody): PlannedBody {
  return draft.kind === 'result' ? { kind: 'result', body: draft.body } : { kind: 'status', body: draft.body };
}

const PUBLISH_LATENCY = [0.2, 1.2] as const;

export function buildReplayPlan(reference: ReplayReference, input: ScenarioInput): ReplayPlan {
  const scenario = ZScenario.parse(input);
  const night: ElectionNight = reference;
  const at = (value: string) => parseNightTime(value, night);
  const chosen = selectMunicipalities(reference.municipalities, scenario.municipalities);
  const backlogFor = assignBacklogs(chosen, scenario.transferBacklog);
  const notes: string[] = [];
  const drafts: Draft[] = [];
  let order = 0;

  for (const m of chosen) {
    const random = createRandom(scenario.seed, `timing:${m.number}`);
    const { units } = distributeMunicipality(m, scenario.seed);
    const advanceUnit = units.find((u) => u.category === 'advance');
    if (!advanceUnit) throw new Error(`municipality ${m.number} has no advance unit`);
    const dayUnits = units.filter((u) => u.category === 'election_day');
    let minutes = assignLocalMinutes(dayUnits.map((u) => u.district), m.arrival, random);
    const anchor = scenario.countedLocally.find((c) => c.municipality === m.number);
    if (anchor) {
      const anchorMinutes = minutesAfterPollsClose(at(anchor.at), night);
      minutes = stretchToCount(minutes, anchorMinutes, anchor.districts);
      notes.push(`${m.number} at ${anchor.at}: ${anchor.districts} of ${dayUnits.length} districts counted locally`);
    }
    const local = new Map<string, Date>([
      [advanceUnit.district, afterPollsClose(m.arrival.advanceMinutes + random.between(0, 1), night)],
      ...dayUnits.map((u): [string, Date] => [u.district, afterPollsClose(getOrThrow(minutes, u.district, 'local count time of district'), night)]),
    ]);
    const localAtOf = (unit: CountingUnit) => getOrThrow(local, unit.district, 'local count time of district');
    const byLocalTime = [...units].sort((a, b) => localAtOf(a).getTime() - localAtOf(b).getTime() || a.district.localeCompare(b.district));
    const publish = new Map(byLocalTime.map((u) => [u.district, addMinutes(localAtOf(u), random.between(...PUBLISH_LATENCY))]));

    const backlog = backlogFor.get(m.number);
    if (backlog) notes.push(...applyBacklog(m, backlog, byLocalTime, local, publish, scenario.seed, night));

    const hold = scenario.hold.find((h) => h.municipality === m.number);
    const stop = scenario.silentStop.find((s) => s.municipality === m.number);
    const stopAt = stop ? at(stop.from) : null;
    const holdFrom = hold ? at(hold.from) : null;
    const holdUntil = hold?.until ? at(hold.until) : null;
    if (hold) notes.push(`${m.number}: preliminary results held from ${hold.from}${hold.until ? ` until ${hold.until}` : ' (none on the night)'}${hold.reason ? `: ${hold.reason}` : ''}`);
    const silenced = (when: Date) => stopAt !== null && when >= stopAt;
    if (hold?.announce && holdFrom && !silenced(holdFrom)) {
      // The counting system announces the re-check itself, so Valgvakt shows it under review, not stalled.
      drafts.push({
        at: holdFrom, municipality: m.number, kind: 'status', tags: ['status', 'recount'], order: order++,
        body: {
          municipality: m.number, at: holdFrom.toISOString(), category: 'election_day', stage: 'preliminary', districts: [],
          recount: true, ...(hold.reason?.trim() ? { recountReason: hold.reason.trim().slice(0, 240) } : {}),
        } satisfies StatusReport,
      });
    }

    if (scenario.stages.includes('preliminary')) {
      const counted: string[] = [];
      let releaseIndex = 0;
      for (const unit of byLocalTime) {
        const localAt = localAtOf(unit);
        const held = holdFrom !== null && localAt >= holdFrom;
        if (scenario.statusReports && !held && !silenced(localAt)) {
          counted.push(unit.district);
          const category = unit.category;
          drafts.push({
            at: localAt, municipality: m.number, kind: 'status', tags: ['status'], order: order++,
            body: { municipality: m.number, at: localAt.toISOString(), category, stage: 'preliminary', districts: category === 'advance' ? [unit.district] : counted.filter((d) => d !== advanceUnit.district) } satisfies StatusReport,
          });
        }
        let sendAt = getOrThrow(publish, unit.district, 'publish time of district');
        const tags = ['preliminary', ...(sendAt.getTime() - localAt.getTime() > 5 * 60_000 ? ['backlog'] : [])];
        if (held) {
          if (!holdUntil) continue;
          sendAt = addMinutes(holdUntil, 0.5 * releaseIndex++);
          tags.push('held');
        }
        if (silenced(sendAt)) continue;
        drafts.push({ at: sendAt, municipality: m.number, kind: 'result', tags, order: order++, body: resultBody(m.number, unit, 'preliminary', localAt, 1) });
      }
    }

    if (scenario.stages.includes('final')) {
      // Defaults relative to the election day, so that every package's night has its finals the next day.
      const from = at(scenario.finalsFrom ?? '10:00');
      const until = scenario.finalsUntil ? at(scenario.finalsUntil) : addMinutes(from, 5 * 60);
      const span = Math.max(0, until.getTime() - from.getTime()) / 60_000;
      let when = addMinutes(from, random.between(0, 0.6) * span);
      for (const unit of byLocalTime) {
        when = addMinutes(when, random.between(0.3, 2));
        if (silenced(when)) break;
        drafts.push({ at: when, municipality: m.number, kind: 'result', tags: ['final'], order: order++, body: resultBody(m.number, unit, 'final', addMinutes(when, -0.5), 1) });
      }
    }
  }

  const faulted = applyFaults(drafts, scenario, createRandom(scenario.seed, 'faults'));
  // A silent stop holds whatever the faults did: a delayed, reordered, duplicated or corrected request
  // would otherwise be sent after the municipality went quiet.
  const stops = new Map<string, number>();
  for (const s of scenario.silentStop) if (!stops.has(s.municipality)) stops.set(s.municipality, at(s.from).getTime());
  const audible = faulted.drafts.filter((d) => d.at.getTime() < (stops.get(d.municipality) ?? Infinity));
  const sorted = audible.sort((a, b) => a.at.getTime() - b.at.getTime() || a.order - b.order);
  const { answered, votes } = simulateServer(sorted);
  const requests: PlannedRequest[] = answered.map(({ draft, expect }, id) => ({
    id, at: draft.at.toISOString(), municipality: draft.municipality, ...bodyOf(draft), expect, tags: draft.tags,
  }));
  const start = at(scenario.start);
  notes.push(...describeQueue(requests, night));
  return {
    scenario: scenario.name,
    seed: scenario.seed,
    start: start.toISOString(),
    end: (requests.at(-1)?.at ?? start.toISOString()),
    requests,
    dropped: faulted.dropped,
    expectedVotes: Object.fromEntries(chosen.map((m) => [m.number, votes.get(m.number) ?? {}])),
    notes,
  };
}

/** The national transfer queue (counted locally, result not yet sent) at a few times of the night. */
function describeQueue(requests: PlannedRequest[], night: ElectionNight): string[] {
  const localAt = new Map<string, number>();
  const sentAt = new Map<string, number>();
  for (const r of requests) {
    if (r.kind === 'status') {
      const body = r.body;
      for (const d of body.districts) {
        const key = `${body.municipality}:${d}:${body.category}`;
        if (!localAt.has(key)) localAt.set(key, Date.parse(body.at));
      }
    } else {
      const body = r.body;
      const key = `${body.municipality}:${body.district}:${body.category}`;
      if (body.stage === 'preliminary' && !sentAt.has(key)) sentAt.set(key, Date.parse(r.at));
    }
  }
  if (localAt.size === 0) return [];
  const depth = (at: number) => [...localAt].filter(([key, t]) => t <= at && (sentAt.get(key) ?? Infinity) > at).length;
  return [`transfer queue (counted locally, not published): ${['22:00', '23:00', '00:00', '01:00', '02:00'].map((t) => `${t} ${depth(parseNightTime(t, night).getTime())}`).join(', ')}`];
}

function minutesAfterPollsClose(at: Date, night: ElectionNight): number {
  return (at.getTime() - afterPollsClose(0, night).getTime()) / 60_000;
}

function selectMunicipalities(all: ReplayMunicipality[], which: Scenario['municipalities']): ReplayMunicipality[] {
  if (which === 'all') return all;
  if (which === 'watchlist') return all.filter((m) => m.watch);
  const wanted = new Set(which);
  const chosen = all.filter((m) => wanted.has(m.number));
  const missing = [...wanted].filter((n) => !chosen.some((m) => m.number === n));
  if (missing.length) throw new RangeError(`unknown municipalities in scenario: ${missing.join(', ')}`);
  return chosen;
}

/** Each municipality takes the first backlog entry that names it. */
function assignBacklogs(chosen: ReplayMunicipality[], entries: TransferBacklog[]): Map<string, TransferBacklog> {
  const assigned = new Map<string, TransferBacklog>();
  for (const entry of entries) {
    for (const m of selectMunicipalities(chosen, entry.municipalities === 'all' || entry.municipalities === 'watchlist' ? entry.municipalities : entry.municipalities.filter((n) => chosen.some((c) => c.number === n)))) {
      if (!assigned.has(m.number)) assigned.set(m.number, entry);
    }
  }
  return assigned;
}

/**
 * A slow results transfer: units counted locally from `from` on (or past a cap of published ballots, or
 * the advance unit if held) wait in a queue that drains from `drainFrom` at `drainPerMinute`.
 */
function applyBacklog(
  m: ReplayMunicipality, backlog: TransferBacklog, byLocalTime: CountingUnit[],
  local: Map<string, Date>, publish: Map<string, Date>, seed: string, night: ElectionNight,
): string[] {
  const random = createRandom(seed, `backlog:${m.number}`);
  const jitter = () => random.between(-backlog.jitterMinutes, backlog.jitterMinutes);
  let from = addMinutes(parseNightTime(backlog.from, night), jitter());
  const drainFrom = addMinutes(parseNightTime(backlog.drainFrom, night), Math.abs(jitter()));
  const notes: string[] = [];
  if (backlog.pendingAt) {
    const pendingAt = parseNightTime(backlog.pendingAt.at, night);
    const done = byLocalTime.filter((u) => u.category === 'election_day' && getOrThrow(local, u.district, 'local count time of district') <= pendingAt);
    const first = done[done.length - backlog.pendingAt.districts];
    if (first) from = new Date(getOrThrow(local, first.district, 'local count time of district').getTime() - 1000);
    notes.push(`${m.number} at ${backlog.pendingAt.at}: ${Math.min(done.length, backlog.pendingAt.districts)} districts counted locally but not published`);
  }
  const queue: CountingUnit[] = [];
  let published = 0;
  let blocked = false;
  for (const unit of byLocalTime) {
    const localAt = getOrThrow(local, unit.district, 'local count time of district');
    blocked ||= backlog.publishCapBallots !== undefined && published + unit.preliminary.counted > backlog.publishCapBallots && !(unit.category === 'advance' && backlog.holdAdvance);
    if ((unit.category === 'advance' && backlog.holdAdvance) || localAt >= from || blocked) queue.push(unit);
    else published += unit.preliminary.counted;
  }
  queue.forEach((unit, i) => {
    const drainAt = addMinutes(drainFrom, i / backlog.drainPerMinute);
    const normal = getOrThrow(publish, unit.district, 'publish time of district');
    publish.set(unit.district, drainAt > normal ? drainAt : normal);
  });
  if (backlog.publishCapBallots !== undefined) notes.push(`${m.number}: transfer stalls after ${published} ballots are published`);
  notes.push(`${m.number}: ${queue.length} results wait in the transfer queue from ${from.toISOString()}, draining from ${drainFrom.toISOString()}`);
  return notes;
}

function resultBody(municipality: string, unit: CountingUnit, stage: 'preliminary' | 'final', countedAt: Date, version: number, count?: UnitCount): ResultReport {
  const c = count ?? unit[stage];
  return {
    municipality, district: unit.district, category: unit.category, stage, version,
    countedAt: countedAt.toISOString(),
    ballots: { counted: c.counted, rejected: c.rejected, blank: c.blank },
    votes: { ...c.votes },
  };
}

function applyFaults(drafts: Draft[], scenario: Scenario, random: Random): { drafts: Draft[]; dropped: number } {
  const { faults } = scenario;
  let out: Draft[] = [];
  let order = drafts.length;
  // Corrections: a unit's first version goes out wrong and version 2 puts it right minutes later.
  for (const draft of drafts) {
    if (draft.kind === 'result' && random.chance(faults.correction)) {
      const right = draft.body;
      const wrong = misreport(right, random);
      out.push({ ...draft, body: wrong, tags: [...draft.tags, 'corrected-later'] });
      out.push({ ...draft, at: addMinutes(draft.at, random.between(2, 15)), body: { ...right, version: 2 }, tags: [...draft.tags, 'correction'], order: order++ });
    } else out.push(draft);
  }
  let dropped = 0;
  out = out.filter(() => {
    if (!random.chance(faults.drop)) return true;
    dropped += 1;
    return false;
  });
  for (const draft of out) {
    if (random.chance(faults.delay.share)) {
      draft.at = addMinutes(draft.at, random.between(0, faults.delay.maxMinutes));
      draft.tags = [...draft.tags, 'delayed'];
    }
  }
  // Reordering only ever sends something later (never before its own count time).
  const byMunicipality = new Map<string, Draft[]>();
  for (const draft of [...out].sort((a, b) => a.at.getTime() - b.at.getTime() || a.order - b.order)) {
    byMunicipality.set(draft.municipality, [...(byMunicipality.get(draft.municipality) ?? []), draft]);
  }
  for (const list of byMunicipality.values()) {
    for (let i = 0; i + 1 < list.length; i++) {
      if (!random.chance(faults.reorder)) continue;
      // i + 1 < list.length, so both are drafts of the list.
      const [first, second] = [list[i]!, list[i + 1]!];
      first.at = new Date(second.at.getTime() + 1);
      first.order = order++;
      first.tags = [...first.tags, 'reordered'];
      list[i] = second;
      list[i + 1] = first;
    }
  }
  const duplicates = out.filter(() => random.chance(faults.duplicate)).map((draft) => ({ ...draft, at: new Date(draft.at.getTime() + 1), tags: [...draft.tags, 'duplicate'], order: order++ }));
  return { drafts: [...out, ...duplicates], dropped };
}

/** A plausible counting error: some votes of one list booked to another, ballots unchanged. */
function misreport(report: ResultReport, random: Random): ResultReport {
  const codes = Object.keys(report.votes).filter((c) => (report.votes[c] ?? 0) > 0);
  if (codes.length < 2) return { ...report, ballots: { ...report.ballots, rejected: report.ballots.rejected + 1 } };
  // At least two codes (checked above), and a shuffle keeps them all.
  const [from, to] = random.shuffle(codes) as [string, string];
  // Both are keys of report.votes with votes > 0 (the filter above).
  const [fromVotes, toVotes] = [report.votes[from]!, report.votes[to]!];
  const moved = Math.max(1, Math.round(fromVotes * random.between(0.01, 0.05)));
  return { ...report, votes: { ...report.votes, [from]: fromVotes - moved, [to]: toVotes + moved } };
}

/** Plays the plan against the ingest rules (docs/api.md) to know each answer and the final state. */
function simulateServer(drafts: Draft[]): { answered: Array<{ draft: Draft; expect: ExpectedStatus }>; votes: Map<string, Record<string, number>> } {
  const versions = new Map<string, Map<number, string>>();
  const current = new Map<string, { version: number; report: ResultReport }>();
  const statusSeen = new Set<string>();
  const answer = (draft: Draft): ExpectedStatus => {
    const hash = canonicalizeReport(draft.body);
    if (draft.kind === 'status') {
      const key = `${draft.municipality}:${hash}`;
      if (statusSeen.has(key)) return 200;
      statusSeen.add(key);
      return 201;
    }
    const report = draft.body;
    const unit = `${report.municipality}:${report.district}:${report.category}:${report.stage}`;
    const seen = versions.get(unit) ?? new Map<number, string>();
    versions.set(unit, seen);
    const same = seen.get(report.version);
    if (same !== undefined) return same === hash ? 200 : 409;
    const held = current.get(unit);
    if (held && report.version <= held.version) return 409;
    seen.set(report.version, hash);
    current.set(unit, { version: report.version, report });
    return 201;
  };
  const answered = drafts.map((draft) => ({ draft, expect: answer(draft) }));
  const votes = new Map<string, Record<string, number>>();
  const best = new Map<string, ResultReport>();
  for (const { report } of current.values()) {
    const key = `${report.municipality}:${report.district}:${report.category}`;
    const held = best.get(key);
    if (!held || (held.stage === 'preliminary' && report.stage === 'final')) best.set(key, report);
  }
  for (const report of best.values()) {
    const tally = votes.get(report.municipality) ?? {};
    for (const [code, v] of Object.entries(report.votes)) tally[code] = (tally[code] ?? 0) + v;
    votes.set(report.municipality, tally);
  }
  return { answered, votes };
}
