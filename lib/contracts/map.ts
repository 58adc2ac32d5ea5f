// The status map's shapes (public/municipality-map.json, built by scripts/build-map.ts): fetched by the
// browser, so validated there like any other input.
import { z } from 'zod';

/**
 * Relative SVG path data as the build writes it: M x y, then l with whole numbers separated by a space or by
 * their own minus sign, then z. Written so each digit has one way to match (no catastrophic backtracking).
 */
const PATH = /^(?:M-?\d+ -?\d+l-?\d+(?:[ -]\d+)*z)+$/;

export const ZMunicipalityMap = z.object({
  /** [minX, minY, width, height] in the units of the paths. */
  viewBox: z.tuple([z.number(), z.number(), z.number().positive(), z.number().positive()]),
  source: z.string(),
  /** Municipality number → path data. */
  paths: z.record(z.string().regex(/^\d{4}$/), z.string().regex(PATH)),
});
export type MunicipalityMap = z.infer<typeof ZMunicipalityMap>;

/** Where the pages fetch it from (a static file, so the shapes stay out of the JavaScript bundles). */
export const MUNICIPALITY_MAP_URL = '/municipality-map.json';
