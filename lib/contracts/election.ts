// The served election, as its package describes it (GET /api/v1/election; also the snapshot's `election`).
import { z } from 'zod';

export const ZElectionInfo = z.object({
  id: z.string(),
  name: z.string(),
  /** municipal: councils are computed; storting: seats only as a source reports them (no council). */
  kind: z.enum(['municipal', 'storting']),
  /** YYYY-MM-DD */
  electionDay: z.iso.date(),
  pollsCloseAt: z.iso.datetime({ offset: true }),
  /** IANA time zone of the election's local times. */
  timeZone: z.string(),
  /** Year of the election that changes are measured against; null without one. */
  comparisonYear: z.number().int().nullable(),
});
export type ElectionInfo = z.infer<typeof ZElectionInfo>;
