// One entry point for a body of valgresultat.no's results API, whichever generation served it (pure). The
// schema is chosen by SHAPE, not by year (the 2023 election still used the 2021 schema): `opptalt` means the
// 2021 schema, `opptellingsStatus` / `opptellingsStatusKrets` the 2025 schema, anything else is refused with
// the reason. The result is always a `FeedBody` with `schema` set, and `unknownFields` lists every field
// path the parser does not know, in either schema (for 2025 deeper than `parseFeedBody` looks on its own).
import { COUNT_CATEGORIES, COUNT_STAGES, parseFeedBody, type ParseResult } from './feed-2025.ts';
import { parseFeedBody2021 } from './feed-2021.ts';
import { BODY_FIELDS, LINK_FIELDS, PARTY_ID_FIELDS, SEAT_FIELDS, buildKnownPaths, listUnknownPaths } from './known-fields.ts';

export type OfficialSchema = '2021' | '2025';


/**
 * Every field of the 2025 schema as the stored responses and the whole recorded night have it. Known but not
 * read by `parseFeedBody`: rejected ballots, `stemmegiving`, changes, party percentages (`prosent`,
 * `fhsProsent`, `vtsProsent`), `frammote.prosentAndelFhs`, a district's `id.forhaandsstemmelokale`, the
 * `type` of the status objects, candidates and quotients, `hrefNavn`, and `tellesIkke` (units not to be
 * counted; 0 in every recorded body, so its effect on `ferdig`/`totalt` is not known).
 */
const KNOWN_PATHS_2025 = buildKnownPaths([
  ...BODY_FIELDS, 'id.forhaandsstemmelokale',
  'frammote.prosent', 'frammote.prosentAndelFhs',
  'opptellingsStatus.type',
  ...COUNT_STAGES.flatMap((stage) => COUNT_CATEGORIES.flatMap((category) => ['status', 'ferdig', 'totalt', 'tellesIkke'].map((f) => `opptellingsStatus.${stage}.${category}.${f}`))),
  'opptellingsStatusKrets.type', 'opptellingsStatusKrets.kretsStatus',
  ...PARTY_ID_FIELDS.map((f) => `partier[].id.${f}`),
  'partier[].stemmer.resultat.antall.total', 'partier[].stemmer.resultat.antall.fhs', 'partier[].stemmer.resultat.endring.samme',
  'partier[].stemmer.resultat.prosent', 'partier[].stemmer.resultat.fhsProsent', 'partier[].stemmer.resultat.vtsProsent',
  ...SEAT_FIELDS.map((f) => `partier[].mandater.resultat.${f}`),
  ...LINK_FIELDS.map((f) => `_links.self.${f}`),
  ...LINK_FIELDS.map((f) => `_links.up.${f}`),
  ...[...LINK_FIELDS, 'rapportGenerert', 'harUnderordnet', 'forhaandsstemmelokale'].map((f) => `_links.related[].${f}`),
]);

const SCHEMA_2021_KEYS = ['opptalt'];
const SCHEMA_2025_KEYS = ['opptellingsStatus', 'opptellingsStatusKrets'];

/** Which schema a body has by its shape, or why it has neither. */
export function detectOfficialSchema(raw: unknown): { ok: true; schema: OfficialSchema } | { ok: false; error: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, error: 'body: not a JSON object, so not a result body of either schema' };
  const keys = Object.keys(raw);
  const has2021 = SCHEMA_2021_KEYS.some((k) => keys.includes(k));
  const has2025 = SCHEMA_2025_KEYS.some((k) => keys.includes(k));
  if (has2021 && has2025) return { ok: false, error: 'opptalt: found together with opptellingsStatus(Krets), the marks of both schemas; refused rather than guessed' };
  if (has2021) return { ok: true, schema: '2021' };
  if (has2025) return { ok: true, schema: '2025' };
  const shown = keys.slice(0, 8).join(', ') + (keys.length > 8 ? ', …' : '');
  return { ok: false, error: `body: neither schema (no opptalt for 2021, no opptellingsStatus or opptellingsStatusKrets for 2025); its keys: ${shown || 'none'}` };
}

/** Parses one body of the official results API in whichever schema it has. */
export function parseOfficialBody(raw: unknown): ParseResult {
  const detected = detectOfficialSchema(raw);
  if (!detected.ok) return detected;
  if (detected.schema === '2021') {
    const result = parseFeedBody2021(raw);
    return result.ok ? result : { ok: false, error: `2021 schema: ${result.error}` };
  }
  const result = parseFeedBody(raw);
  if (!result.ok) return { ok: false, error: `2025 schema: ${result.error}` };
  const unknownFields = [...new Set([...result.body.unknownFields, ...listUnknownPaths(raw, KNOWN_PATHS_2025)])];
  return { ok: true, body: { ...result.body, schema: '2025', countedPercent: null, unknownFields } };
}
