// The manifest of an election package (manifest.json): what the election is, and what Valgvakt computes for it.
import { z } from 'zod';
import { ZElectionKind } from '../contracts/election.ts';
import { isKnownTimeZone } from './zoned-time.ts';

/** A scenario's name is its file's name (scenarios/<name>.json) and what `--scenario NAME` looks up. */
export const SCENARIO_NAME = /^[a-z0-9][a-z0-9._-]{0,39}$/;
export const SCENARIO_NAME_RULE = 'must be 1–40 characters: lower-case letters, digits, ".", "_" and "-", not starting with a sign';

// Defined with the served election's contract, which the database's election_kind enum follows.
export { ZElectionKind, type ElectionKind } from '../contracts/election.ts';

export const ZManifest = z.strictObject({
  format: z.literal(1, { error: 'must be 1 (the only package format so far)' }),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, { error: 'must be 2–40 characters: lower-case letters, digits and "-"' }),
  name: z.string().trim().min(3).max(120),
  kind: ZElectionKind,
  electionDay: z.iso.date({ error: 'must be a date YYYY-MM-DD' }),
  /** Local time the polls close on election day, in timeZone. */
  pollsClose: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a local time HH:MM' }),
  timeZone: z.string().refine(isKnownTimeZone, { error: 'must be an IANA time zone, e.g. "Europe/Oslo"' }),
  /** Year of the election in comparison-results.csv; absent when the package has none. */
  comparisonYear: z.number().int().min(1900).max(2100).optional(),
  /** A rehearsal: its results are made up (built by a script), never a real count. */
  rehearsal: z.boolean().optional(),
  /** The replay scenario `npm run replay` plays unless told otherwise: the name of a file scenarios/<name>.json. */
  replayScenario: z.string().regex(SCENARIO_NAME, { error: SCENARIO_NAME_RULE }).optional(),
});
export type Manifest = z.infer<typeof ZManifest>;
