// Parser for one response of valgresultat.no's results API, 2025 schema (pure, no I/O). It reads only the
// fields Valgvakt uses and reports, rather than guesses at, anything it does not know: unknown levels,
// unknown counting-status categories and unknown keys at the top level come back as `unknownFields`.
import { z } from 'zod';

export const FEED_LEVELS = ['land', 'fylke', 'kommune', 'bydel', 'stemmekrets'] as const;
export type FeedLevel = (typeof FEED_LEVELS)[number];

/** Counting stages and categories of `opptellingsStatus` as the 2025 feed names them. */
export const COUNT_STAGES = ['forste', 'andre', 'kontroll', 'oppgjor'] as const;
export const COUNT_CATEGORIES = ['forhaandsstemmelokale', 'valgtingslokale', 'ovrige-fhs', 'ovrige-vts', 'teltEtter17'] as const;
export type CountStage = (typeof COUNT_STAGES)[number];
export type CountCategory = (typeof COUNT_CATEGORIES)[number];

export const isFeedLevel = (value: string): value is FeedLevel => FEED_LEVELS.some((level) => level === value);
const isCountStage = (value: string): value is CountStage => COUNT_STAGES.some((stage) => stage === value);
const isCountCategory = (value: string): value is CountCategory => COUNT_CATEGORIES.some((category) => category === value);

/** Top-level keys of a 2025 body; anything else is reported. */
const KNOWN_KEYS = new Set(['id', 'tidspunkt', 'merknader', 'antallsb', 'mandater', 'stemmer', 'stemmegiving', 'frammote', 'opptellingsStatus', 'opptellingsStatusKrets', 'partier', '_links']);

const ZLink = z.object({
  nr: z.string(),
  href: z.string(),
  navn: z.string(),
  rapportGenerert: z.string().nullable().optional(),
  harUnderordnet: z.boolean().optional(),
  forhaandsstemmelokale: z.boolean().nullable().optional(),
});

const ZCount = z.object({ status: z.string().nullable(), ferdig: z.number().int(), totalt: z.number().int() });

/** A party in a body; the 2021 schema has the same shape. */
export const ZFeedParty = z.object({
  id: z.object({ partikode: z.string(), navn: z.string(), partikategori: z.number().int().optional() }),
  // Seats as the feed reports them (county and national levels); Valgvakt computes no Storting seats.
  // `resultat` only: `prognose` (2021) is the feed's forecast, not a result.
  mandater: z.object({ resultat: z.object({ antall: z.number().int().nullable(), utjevningAntall: z.number().int().nullable().optional() }).nullable() }).nullable().optional(),
  stemmer: z.object({
    resultat: z.object({
      antall: z.object({ total: z.number().int().nullable(), fhs: z.number().int().nullable().optional() }).nullable().optional(),
    }),
  }),
});

const ZBody2025 = z.object({
  id: z.object({ valgaar: z.string(), valgtype: z.string(), nivaa: z.string(), navn: z.string(), nr: z.string() }),
  tidspunkt: z.object({ rapportGenerert: z.string().nullable(), sisteStemmer: z.string().nullable().optional() }).optional(),
  antallsb: z.number().int().nullable(),
  mandater: z.object({ antall: z.number().int().nullable(), endring: z.number().int().nullable().optional() }).nullable().optional(),
  stemmer: z.object({ total: z.number().int().nullable(), fhs: z.number().int().nullable() }).optional(),
  frammote: z.object({ prosent: z.number().nullable() }).optional(),
  opptellingsStatus: z.record(z.string(), z.unknown()).optional(),
  opptellingsStatusKrets: z.object({ kretsStatus: z.string().nullable() }).optional(),
  partier: z.array(ZFeedParty),
  _links: z.object({ self: ZLink.omit({ rapportGenerert: true }).partial({ navn: true }), up: z.object({ nr: z.string().nullable(), href: z.string().nullable(), navn: z.string().nullable() }).partial().optional(), related: z.array(ZLink).default([]) }),
});

export type FeedCount = { status: string | null; done: number; total: number };
export type FeedPartyVotes = {
  code: string; name: string; total: number | null; advance: number | null;
  /**
   * One of the feed's pools (`partikategori` 0: `Andre`, `Andre2`): the sum of lists that are also itemised
   * (in every recorded body, the pool equals the lists of categories 2 and 3 but blank, and the lists without
   * the pools add up to `stemmer.total`). Counting it as a list counts those votes twice.
   */
  pool: boolean;
  /** Seats won here as the feed reports them (levelling seats among them), null where it reports none. */
  seats: { count: number; levelling: number } | null;
};
/**
 * Counting progress as the 2021 schema gives it (`opptalt` of a body, the same fields on each related link):
 * percentages 0–100, never counts of done/total units.
 */
export type CountedPercent = { advancePreliminary: number; electionDayPreliminary: number; preliminary: number; final: number; settlement: number };

export type FeedLink = {
  nr: string; href: string; name: string; reportGenerated: string | null; hasChildren: boolean | null; advanceVenue: boolean | null;
  /** 2021 schema only: the unit's own `forelopigFhs … oppgjor`; absent or null in the 2025 schema. */
  countedPercent?: CountedPercent | null;
};

export type FeedBody = {
  /** Which API generation the body was read as; set by `parseOfficialBody` (parse.ts) and the 2021 parser. */
  schema?: '2021' | '2025';
  level: FeedLevel;
  /** Numbers along the API path, e.g. /2025/st/12/4601/0001 → county "12", municipality "4601", unit "0001". */
  ids: { year: string; county: string | null; municipality: string | null; unit: string | null };
  nr: string;
  name: string;
  reportGenerated: string | null;
  electorate: number | null;
  votes: { total: number | null; advance: number | null };
  turnoutPercent: number | null;
  /** Seats of this area as the feed reports them (`mandater.antall`; 0 below the county), null if absent. */
  seats: number | null;
  /** 2021 schema only: `opptalt` (percentages); null or absent in the 2025 schema, which has `counting` instead. */
  countedPercent?: CountedPercent | null;
  /** stage → category → count; only the categories the body has (always empty in the 2021 schema). */
  counting: Partial<Record<CountStage, Partial<Record<CountCategory, FeedCount>>>>;
  /** A counting district's own status (`opptellingsStatusKrets.kretsStatus`: forsteFerdig, andreFerdig, …), null above that level. */
  unitStatus: string | null;
  parties: FeedPartyVotes[];
  links: { self: string; up: FeedLink | null; related: FeedLink[] };
  /** Paths of fields this parser does not know (e.g. "opptellingsStatus.andre.nyKategori"): to report, not to read. */
  unknownFields: string[];
};

export type ParseResult = { ok: true; body: FeedBody } | { ok: false; error: string };

function link(l: z.infer<typeof ZLink>): FeedLink {
  return { nr: l.nr, href: l.href, name: l.navn, reportGenerated: l.rapportGenerert ?? null, hasChildren: l.harUnderordnet ?? null, advanceVenue: l.forhaandsstemmelokale ?? null };
}

/** The part of a body both schemas have alike (the 2021 schema's `mandater` lacks `endring`, its `_links` differ below `up`). */
type SharedBody = Pick<z.infer<typeof ZBody2025>, 'id' | 'tidspunkt' | 'antallsb' | 'stemmer' | 'frammote'> & {
  mandater?: { antall: number | null } | null | undefined;
  _links: { self: { href: string } };
};

/** The fields of a `FeedBody` both schemas give alike, read the same way (the 2021 parser uses it too). */
export function readSharedFields(b: SharedBody): Pick<FeedBody, 'ids' | 'nr' | 'name' | 'reportGenerated' | 'electorate' | 'votes' | 'turnoutPercent' | 'seats'> {
  return {
    ids: idsFromHref(b._links.self.href),
    nr: b.id.nr,
    name: b.id.navn,
    reportGenerated: b.tidspunkt?.rapportGenerert ?? null,
    electorate: b.antallsb,
    votes: { total: b.stemmer?.total ?? null, advance: b.stemmer?.fhs ?? null },
    turnoutPercent: b.frammote?.prosent ?? null,
    seats: b.mandater?.antall ?? null,
  };
}

/** A party of a body, either schema. */
export function readParty(p: z.infer<typeof ZFeedParty>): FeedPartyVotes {
  return {
    code: p.id.partikode,
    name: p.id.navn,
    pool: p.id.partikategori === 0,
    total: p.stemmer.resultat.antall?.total ?? null,
    advance: p.stemmer.resultat.antall?.fhs ?? null,
    seats: p.mandater?.resultat && p.mandater.resultat.antall !== null ? { count: p.mandater.resultat.antall, levelling: p.mandater.resultat.utjevningAntall ?? 0 } : null,
  };
}

/** The link up (`_links.up`), either schema: null unless it has a number, an address and a name. */
export function readUpLink(up: { nr?: string | null; href?: string | null; navn?: string | null } | undefined): FeedLink | null {
  return up?.href && up.nr && up.navn ? { nr: up.nr, href: up.href, name: up.navn, reportGenerated: null, hasChildren: null, advanceVenue: null } : null;
}

/** Splits "/2025/st/<county>/<municipality>/<unit>" into its numbers. */
export function idsFromHref(href: string): FeedBody['ids'] {
  const [, year = '', , county = null, municipality = null, unit = null] = href.split('/');
  return { year, county, municipality, unit };
}

/** Parses one API body of the 2025 schema. */
export function parseFeedBody(raw: unknown): ParseResult {
  // The 2021 schema has the same envelope but counting progress as `opptalt` percentages: another API, refused.
  if (typeof raw === 'object' && raw !== null && 'opptalt' in raw) return { ok: false, error: 'opptalt: the 2021 schema, not 2025\'s' };
  const parsed = ZBody2025.safeParse(raw);
  if (!parsed.success) return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  const b = parsed.data;
  const unknownFields: string[] = [];
  // ZBody2025 accepted raw, so it is an object; the check only tells TypeScript so.
  for (const key of typeof raw === 'object' && raw !== null ? Object.keys(raw) : []) if (!KNOWN_KEYS.has(key)) unknownFields.push(key);
  const level = b.id.nivaa;
  if (!isFeedLevel(level)) return { ok: false, error: `id.nivaa: unknown level "${level}"` };

  const counting: FeedBody['counting'] = {};
  for (const [stage, categories] of Object.entries(b.opptellingsStatus ?? {})) {
    if (stage === 'type') continue;
    if (!isCountStage(stage) || typeof categories !== 'object' || categories === null) {
      unknownFields.push(`opptellingsStatus.${stage}`);
      continue;
    }
    const out: Partial<Record<CountCategory, FeedCount>> = {};
    for (const [category, value] of Object.entries(categories)) {
      const count = ZCount.safeParse(value);
      if (!isCountCategory(category) || !count.success) {
        unknownFields.push(`opptellingsStatus.${stage}.${category}`);
        continue;
      }
      out[category] = { status: count.data.status, done: count.data.ferdig, total: count.data.totalt };
    }
    counting[stage] = out;
  }

  return {
    ok: true,
    body: {
      level,
      ...readSharedFields(b),
      counting,
      unitStatus: b.opptellingsStatusKrets?.kretsStatus ?? null,
      parties: b.partier.map(readParty),
      links: { self: b._links.self.href, up: readUpLink(b._links.up), related: b._links.related.map(link) },
      unknownFields,
    },
  };
}

/** One line of a recording (`recorded/st2025-night.ndjson.gz`). */
export const ZRecordedLine = z.object({ polledAt: z.string(), level: z.enum(['nasjonalt', 'fylke', 'kommune', 'krets']), file: z.string(), body: z.unknown() });
export type RecordedLine = z.infer<typeof ZRecordedLine>;
