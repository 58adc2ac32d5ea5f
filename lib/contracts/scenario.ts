// A replay scenario as JSON: rehearsals and tests describe a night without code. Times are "HH:MM" on
// election night (before noon = the next morning) or ISO 8601 instants.
import { z } from 'zod';

const ZNightTime = z.union([
  z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time like "23:20"'),
  z.iso.datetime({ offset: true, error: 'a time like "23:20" or an ISO 8601 instant with offset' }),
]);
const ZMunicipalities = z.union([z.literal('watchlist'), z.literal('all'), z.array(z.string().regex(/^\d{4}$/))]);
const ZShare = z.number().min(0).max(1);

export const ZTransferBacklog = z.strictObject({
  municipalities: ZMunicipalities,
  /** Results of districts counted locally from this time on wait in the transfer queue. */
  from: ZNightTime,
  /** The queue starts draining at this time ... */
  drainFrom: ZNightTime,
  /** ... at this many results a minute per municipality. */
  drainPerMinute: z.number().positive().default(3),
  /** Spread `from` and `drainFrom` per municipality by up to ± this many minutes (seeded). */
  jitterMinutes: z.number().nonnegative().default(0),
  /** The advance-vote result waits in the queue too, whenever it is counted. */
  holdAdvance: z.boolean().default(false),
  /** Results stop going out once this many ballots are published (the queue takes the rest). */
  publishCapBallots: z.number().int().positive().optional(),
  /** Choose `from` so that exactly this many locally counted districts wait at `at`. */
  pendingAt: z.strictObject({ at: ZNightTime, districts: z.number().int().positive() }).optional(),
});

export const ZScenario = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  seed: z.string().default('2023'),
  /** Where the replay's clock starts. */
  start: ZNightTime.default('20:55'),
  municipalities: ZMunicipalities.default('all'),
  stages: z.array(z.enum(['preliminary', 'final'])).min(1).default(['preliminary', 'final']),
  /** Municipalities also say which districts finished counting locally (POST /api/v1/status). */
  statusReports: z.boolean().default(true),
  /** Final counts are published between these times; default 10:00 to 15:00 the day after the election. */
  finalsFrom: ZNightTime.optional(),
  finalsUntil: ZNightTime.optional(),
  /** Stretch a municipality's local counting so that this many districts are counted locally at `at`. */
  countedLocally: z.array(z.strictObject({ municipality: z.string().regex(/^\d{4}$/), at: ZNightTime, districts: z.number().int().positive() })).default([]),
  transferBacklog: z.array(ZTransferBacklog).default([]),
  /** A municipality stops publishing preliminary results (e.g. to re-check ballots) until `until`. */
  hold: z.array(z.strictObject({
    municipality: z.string().regex(/^\d{4}$/), from: ZNightTime, until: ZNightTime.optional(), reason: z.string().optional(),
    /** The municipality says so at `from` in a status report (`recount: true`, the reason as `recountReason`). */
    announce: z.boolean().default(false),
  })).default([]),
  /** A municipality goes quiet from `from`: nothing more is sent. */
  silentStop: z.array(z.strictObject({ municipality: z.string().regex(/^\d{4}$/), from: ZNightTime })).default([]),
  faults: z.strictObject({
    /** Share of requests never sent. */
    drop: ZShare.default(0),
    /** Share of requests sent twice. */
    duplicate: ZShare.default(0),
    /** Share of requests swapped with the next one of the same municipality. */
    reorder: ZShare.default(0),
    /** Share of requests delayed by up to maxMinutes. */
    delay: z.strictObject({ share: ZShare, maxMinutes: z.number().positive() }).default({ share: 0, maxMinutes: 10 }),
    /** Share of counting units first sent with an error and corrected by version 2. */
    correction: ZShare.default(0),
  }).default({ drop: 0, duplicate: 0, reorder: 0, delay: { share: 0, maxMinutes: 10 }, correction: 0 }),
});
export type Scenario = z.infer<typeof ZScenario>;
export type ScenarioInput = z.input<typeof ZScenario>;
export type TransferBacklog = z.infer<typeof ZTransferBacklog>;
