// Why a municipality is in its state, as structured facts rather than a sentence: the pages render it in
// the reader's language (lib/domain/state-reason.ts `renderStateReason`), and the published bokmål
// `stateReason` / `reason` strings are the same facts rendered in bokmål. Counts only, never elapsed time
// (a page renders durations live from `since`).
import { z } from 'zod';
import { ZCountCategory, ZCountStage } from './ingest.ts';

const ZCount = z.number().int().nonnegative();

/** Units of one kind: "42 kretser". */
export const ZUnitCount = z.object({ category: ZCountCategory, count: ZCount });
export type UnitCount = z.infer<typeof ZUnitCount>;

/** Units of one stage of the count, advance before election day: "1 forhåndsstemmeenhet og 42 kretser". */
export const ZStageUnits = z.object({ stage: ZCountStage, units: z.array(ZUnitCount).min(1) });
export type StageUnits = z.infer<typeof ZStageUnits>;

/** What a track (or the municipality's progress) says, without an operator's review around it. */
export const ZProgressReason = z.discriminatedUnion('kind', [
  /** Nothing yet: "venter på første resultat"; at the final stage "endelig opptelling ikke startet". */
  z.object({ kind: z.literal('waiting'), stage: ZCountStage }),
  /** "12 av 101 kretser rapportert" (final stage prefixed "endelig opptelling: "). */
  z.object({ kind: z.literal('counting'), stage: ZCountStage, category: ZCountCategory, received: ZCount, total: ZCount }),
  /** "alle kretser har rapportert"; at the final stage "endelig opptelling ferdig". */
  z.object({ kind: z.literal('complete'), stage: ZCountStage }),
  /** Units counted locally whose results have not arrived, per stage: "3 kretser ferdig talt lokalt, ikke mottatt". */
  z.object({ kind: z.literal('pending'), stages: z.array(ZStageUnits).min(1) }),
  /** Quiet with no result at all: "ingen resultater etter at valglokalene stengte — 42 kretser gjenstår". */
  z.object({ kind: z.literal('no_results'), stage: ZCountStage, remaining: z.array(ZUnitCount).min(1) }),
  /** Quiet after some results: "ingen nye kretser — 10 av 101 gjenstår". */
  z.object({ kind: z.literal('no_new'), stage: ZCountStage, category: ZCountCategory, remaining: ZCount, total: ZCount }),
]);
export type ProgressReason = z.infer<typeof ZProgressReason>;

export const ZStateReason = z.union([
  ZProgressReason,
  /** A correction lowered a published total: "korrigert: versjon 2 erstatter versjon 1 i krets 0004 (−12 stemmer)". */
  z.object({ kind: z.literal('regressed'), district: z.string(), version: z.number().int(), previousVersion: z.number().int(), lost: ZCount }),
  /** The municipality announced a recount: "telles på nytt etter melding fra kommunen". */
  z.object({ kind: z.literal('recount') }),
  /** An operator set it under review: "til gjennomgang", with what the count says when it says something. */
  z.object({ kind: z.literal('under_review'), detail: ZProgressReason.nullable() }),
]);
export type StateReason = z.infer<typeof ZStateReason>;
