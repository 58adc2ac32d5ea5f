// Parser for one response of valgresultat.no's results API, 2021 schema (pure, no I/O): the generation that
// served the 2021 Storting and 2023 local elections. Same envelope as 2025 (id, antallsb, stemmer, partier,
// _links), but counting progress is `opptalt { forelopigFhs, forelopigVts, forelopig, endelig, oppgjor }`:
// PERCENTAGES, on the body and on each `_links.related` unit. It returns the 2025 parser's `FeedBody`, with
// `counting` empty (the schema has no done/total counts, and none is made up from the percentages) and the
// percentages in `countedPercent`. Every field path it does not know is reported in `unknownFields`.
import { z } from 'zod';
import { ZFeedParty, isFeedLevel, readParty, readSharedFields, readUpLink, type CountedPercent, type FeedBody, type FeedLink, type ParseResult } from './feed-2025.ts';
import { BODY_FIELDS, LINK_FIELDS, PARTY_ID_FIELDS, SEAT_FIELDS, buildKnownPaths, listUnknownPaths } from './known-fields.ts';

const STATUS_FIELDS = ['forelopigFhs', 'forelopigVts', 'forelopig', 'endelig', 'oppgjor'] as const;

/**
 * Every field of the 2021 schema as the stored responses (national, county, municipality, district) have
 * it. Read: ids, times, electorate, seats, votes, turnout, `opptalt`, parties' votes and seat results, links.
 * Known but not read: rejected ballots, `stemmegiving`, changes (`endring`), percentages of parties, the
 * forecast (`prognose`, body and parties), candidates and quotients, `hrefNavn`, and the link of the body
 * itself repeating `opptalt`.
 */
const KNOWN_PATHS = buildKnownPaths([
  ...BODY_FIELDS,
  'frammote.prosent', 'frammote.endring', 'frammote.prosentStemmegiving',
  ...STATUS_FIELDS.map((f) => `opptalt.${f}`),
  'prognose.beregnet', 'prognose.historiskTotalavvik',
  ...PARTY_ID_FIELDS.map((f) => `partier[].id.${f}`),
  ...['resultat', 'prognose'].flatMap((kind) => [`partier[].stemmer.${kind}.prosent`, `partier[].stemmer.${kind}.endring.samme`, `partier[].stemmer.${kind}.endring.ekvivalent`]),
  'partier[].stemmer.resultat.antall.total', 'partier[].stemmer.resultat.antall.fhs',
  ...['resultat', 'prognose'].flatMap((kind) => SEAT_FIELDS.map((f) => `partier[].mandater.${kind}.${f}`)),
  ...[...LINK_FIELDS, ...STATUS_FIELDS].map((f) => `_links.self.${f}`),
  ...LINK_FIELDS.map((f) => `_links.up.${f}`),
  ...[...LINK_FIELDS, ...STATUS_FIELDS, 'rapportGenerert', 'harUnderordnet'].map((f) => `_links.related[].${f}`),
]);

const ZPercent = z.number().min(0).max(100);
const ZOpptalt = z.object({ forelopigFhs: ZPercent, forelopigVts: ZPercent, forelopig: ZPercent, endelig: ZPercent, oppgjor: ZPercent });

const ZLink2021 = z.object({
  nr: z.string(),
  href: z.string(),
  navn: z.string(),
  rapportGenerert: z.string().nullable().optional(),
  harUnderordnet: z.boolean().optional(),
  // A unit's own progress is the reason to read a related link in this schema: required, not defaulted.
  ...ZOpptalt.shape,
});

const ZBody2021 = z.object({
  id: z.object({ valgaar: z.string(), valgtype: z.string(), nivaa: z.string(), navn: z.string(), nr: z.string() }),
  tidspunkt: z.object({ rapportGenerert: z.string().nullable(), sisteStemmer: z.string().nullable().optional() }).optional(),
  antallsb: z.number().int().nullable(),
  mandater: z.object({ antall: z.number().int().nullable() }).nullable().optional(),
  stemmer: z.object({ total: z.number().int().nullable(), fhs: z.number().int().nullable() }).optional(),
  frammote: z.object({ prosent: z.number().nullable() }).optional(),
  opptalt: ZOpptalt,
  partier: z.array(ZFeedParty),
  _links: z.object({
    self: z.object({ href: z.string() }),
    up: z.object({ nr: z.string().nullable(), href: z.string().nullable(), navn: z.string().nullable() }).partial().optional(),
    related: z.array(ZLink2021).default([]),
  }),
});

function countedPercent(o: z.infer<typeof ZOpptalt>): CountedPercent {
  return { advancePreliminary: o.forelopigFhs, electionDayPreliminary: o.forelopigVts, preliminary: o.forelopig, final: o.endelig, settlement: o.oppgjor };
}

function link(l: z.infer<typeof ZLink2021>): FeedLink {
  // The 2021 schema does not mark advance venues: advanceVenue is unknown (null), not false.
  return { nr: l.nr, href: l.href, name: l.navn, reportGenerated: l.rapportGenerert ?? null, hasChildren: l.harUnderordnet ?? null, advanceVenue: null, countedPercent: countedPercent(l) };
}

/** Parses one API body of the 2021 schema into the same shape as the 2025 parser. */
export function parseFeedBody2021(raw: unknown): ParseResult {
  const parsed = ZBody2021.safeParse(raw);
  if (!parsed.success) return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  const b = parsed.data;
  const level = b.id.nivaa;
  if (!isFeedLevel(level)) return { ok: false, error: `id.nivaa: unknown level "${level}"` };

  const body: FeedBody = {
    schema: '2021',
    level,
    ...readSharedFields(b),
    countedPercent: countedPercent(b.opptalt),
    counting: {},
    unitStatus: null,
    parties: b.partier.map(readParty),
    links: {
      self: b._links.self.href,
      up: readUpLink(b._links.up),
      related: b._links.related.map(link),
    },
    unknownFields: listUnknownPaths(raw, KNOWN_PATHS),
  };
  return { ok: true, body };
}
