// Joins what the reporter knows (each report's seq and commit time) with what viewers saw (deltas carrying
// (prevSeq, seq] and when they arrived), without keeping one sample per (viewer, report).
//
// Every viewer in a room gets the same deltas, so a load process groups arrivals by delta: the first
// arrival and a histogram of the others' offsets from it. A report's latency for each viewer is then that
// delta's offsets shifted by (first arrival − commit time), for the delta that covers the report's seq.
import { z } from 'zod';
import { Histogram, type HistogramData } from './histogram.ts';

export interface CommitRecord {
  seq: number;
  /** Epoch ms at which the report's transaction committed (or the best stand-in for it). */
  committedAt: number;
  /** Epoch ms at which the reporter sent it, on the same clock as the viewers' arrivals (one machine). */
  sentAt: number;
}

export interface DeltaGroup {
  prevSeq: number;
  seq: number;
  /** Epoch ms of the earliest arrival of this delta at any viewer of the group. */
  firstArrival: number;
  /** Arrival − firstArrival of every viewer that got this delta. */
  offsets: HistogramData;
}

/** The header a sidecar may send with a 201: epoch ms right after the report's transaction committed. */
export const COMMITTED_AT_HEADER = 'x-valgvakt-committed-at';

/** The part of an accepted report's answer (201/200) the bench reads: its seq. */
export const ZAccepted = z.object({ seq: z.number() });

/** A response header as text: null when absent (or, never for ours, repeated). */
export const headerText = (value: string | string[] | undefined): string | null => (typeof value === 'string' ? value : null);

/**
 * A report's commit time: the sidecar's own stamp when it sends one, otherwise the moment its 201
 * arrived (a little after the commit, so latencies measured from it come out slightly low).
 */
export function commitTime(header: string | null, answerArrivedAt: number): { at: number; from: 'header' | 'arrival' } {
  const stamped = header === null ? Number.NaN : Number(header);
  return Number.isFinite(stamped) && stamped > 0 ? { at: stamped, from: 'header' } : { at: answerArrivedAt, from: 'arrival' };
}

/** A delta (prevSeq, seq] covers a report when prevSeq < report seq ≤ seq. */
export function covers(delta: { prevSeq: number; seq: number }, seq: number): boolean {
  return delta.prevSeq < seq && seq <= delta.seq;
}

/**
 * What a delta brings one viewer that it did not have: the part of (prevSeq, seq] after the newest seq the
 * viewer already got, or null when it brings nothing new. A report counts as delivered to a viewer once,
 * at its first arrival: a delta resent after a reconnect (connection-state recovery replays what the
 * viewer may have missed, a new sender resends what its predecessor may not have sent) must not count the
 * same (viewer, report) pair again — counted twice, delivery rose above 100 %.
 */
export function newlyCovered(lastSeq: number | undefined, delta: { prevSeq: number; seq: number }): { prevSeq: number; seq: number } | null {
  const prevSeq = lastSeq === undefined ? delta.prevSeq : Math.max(delta.prevSeq, lastSeq);
  return delta.seq > prevSeq ? { prevSeq, seq: delta.seq } : null;
}

/** Collects delta arrivals in one load process, grouped by (prevSeq, seq). */
export class DeltaRecorder {
  private readonly groups = new Map<string, { prevSeq: number; seq: number; firstArrival: number; offsets: Histogram }>();

  record(prevSeq: number, seq: number, arrival: number): void {
    const key = `${prevSeq}:${seq}`;
    let group = this.groups.get(key);
    if (!group) {
      group = { prevSeq, seq, firstArrival: arrival, offsets: new Histogram() };
      this.groups.set(key, group);
    }
    group.offsets.add(arrival - group.firstArrival);
  }

  reset(): void {
    this.groups.clear();
  }

  toJSON(): DeltaGroup[] {
    return [...this.groups.values()].map((g) => ({ prevSeq: g.prevSeq, seq: g.seq, firstArrival: g.firstArrival, offsets: g.offsets.toJSON() }));
  }
}

export interface PushLatency {
  /** Commit → viewer receipt. */
  latency: Histogram;
  /** Reporter send → viewer receipt. */
  sendLatency: Histogram;
  /** (viewer, report) pairs that got a delta covering the report. */
  delivered: number;
  /** Reports no delta covered at all. */
  uncovered: number;
}

export function pushLatency(commits: CommitRecord[], groups: DeltaGroup[]): PushLatency {
  const latency = new Histogram();
  const sendLatency = new Histogram();
  let delivered = 0;
  let uncovered = 0;
  for (const commit of commits) {
    let covered = false;
    for (const group of groups) {
      if (!covers(group, commit.seq)) continue;
      covered = true;
      delivered += group.offsets.total;
      latency.addShifted(group.offsets, group.firstArrival - commit.committedAt);
      sendLatency.addShifted(group.offsets, group.firstArrival - commit.sentAt);
    }
    if (!covered) uncovered += 1;
  }
  return { latency, sendLatency, delivered, uncovered };
}

/** One poll answered: when the response arrived and the seq it reflected. */
export type Poll = [arrival: number, seq: number];

export interface PollStaleness {
  staleness: Histogram;
  /** (poller, report) pairs where the poller saw the report's seq before it stopped. */
  seen: number;
  /** (poller, report) pairs where it never did. */
  unseen: number;
}

/** Staleness = when a poller first got a snapshot at or past the report's seq − the report's commit. */
export function pollStaleness(commits: CommitRecord[], pollers: Poll[][]): PollStaleness {
  const staleness = new Histogram();
  let seen = 0;
  let unseen = 0;
  for (const polls of pollers) {
    const ordered = [...polls].sort((a, b) => a[0] - b[0]);
    // A poller's seqs never go down, so the first poll at or past a seq is found by bisection.
    const best: number[] = [];
    for (const [, seq] of ordered) best.push(Math.max(best.at(-1) ?? -Infinity, seq));
    for (const commit of commits) {
      let lo = 0;
      let hi = ordered.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        // lo ≤ mid < hi ≤ ordered.length = best.length.
        if (best[mid]! >= commit.seq) hi = mid;
        else lo = mid + 1;
      }
      if (lo === ordered.length) unseen += 1;
      else {
        seen += 1;
        // lo < ordered.length (the branch above).
        staleness.add(ordered[lo]![0] - commit.committedAt);
      }
    }
  }
  return { staleness, seen, unseen };
}
