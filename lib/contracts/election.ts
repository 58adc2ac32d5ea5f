// The served election, as its package describes it (GET /api/v1/election; also the snapshot's `election`).
import { z } from 'zod';

/**
 * municipal: Valgvakt computes each municipality's council from the votes (council-sizes.csv required).
 * storting: seats are not computed (county and levelling seats need the whole country); pages show no council.
 * The database holds the same list as the enum election_kind (tests/unit/schema-kinds.test.ts).
 */
export const ZElectionKind = z.enum(['municipal', 'storting']);
export type ElectionKind = z.infer<typeof ZElectionKind>;

export const ZElectionInfo = z.object({
  id: z.string(),
  name: z.string(),
  /** municipal: councils are computed; storting: seats only as a source reports them (no council). */
  kind: ZElectionKind,
  /** YYYY-MM-DD */
  electionDay: z.iso.date(),
  pollsCloseAt: z.iso.datetime({ offset: true }),
  /** IANA time zone of the election's local times. */
  timeZone: z.string(),
  /** Year of the election that changes are measured against; null without one. */
  comparisonYear: z.number().int().nullable(),
});
export type ElectionInfo = z.infer<typeof ZElectionInfo>;
