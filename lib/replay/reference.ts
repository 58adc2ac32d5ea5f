import type { ArrivalCurve } from '../domain/arrival.ts';
import type { ElectionNight } from './night-time.ts';

export type { ArrivalCurve };
// What the planner needs to know about each municipality; made from the served election package by
// lib/election-package/replay-reference.ts (read by data/election-package.ts).
export interface ReplayDistrict {
  number: string;
  electorate: number;
  kind: 'advance' | 'election_day';
}

/** Votes (and blank ballots where known) of one counting unit. */
export interface UnitVotes {
  votes: Record<string, number>;
  blank?: number;
}

export interface ReplayMunicipality {
  number: string;
  name: string;
  electorate: number;
  watch: boolean;
  districts: ReplayDistrict[];
  /** The real final result: votes per list code, and blank ballots where known. */
  final: { votes: Record<string, number>; blank: number | null };
  /** Real 2023 counts per district and category where we have them (Oslo, Eigersund, Stavanger). */
  real2023: Array<{ district: string; category: 'advance' | 'election_day'; votes: UnitVotes }>;
  /** 2019 results per district (same numbering as `districts` where the list came from 2019). */
  pattern2019: Array<{ district: string; code: string; advance: number; electionDay: number }>;
  arrival: ArrivalCurve;
}

export interface ReplayReference extends ElectionNight {
  municipalities: ReplayMunicipality[];
}
