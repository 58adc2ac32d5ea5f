// Finding the fields of an API body that a parser does not know (pure). A parser lists every field path it
// knows — the ones it reads and the ones it deliberately leaves unread — and anything else in a body is
// reported by path instead of being guessed at. Array elements are written "[]", so a new key in every
// party of a body is ONE path ("partier[].nyttFelt"), not one per party.

// Fields both schemas of the official feed (2021 and 2025) have.
/**
 * The fields of a body's head both schemas have alike: ids, times, notes, electorate, seats, votes and ballots
 * (`stemmegiving`). Each schema adds its own (`frammote`, counting progress, a district's advance-venue mark).
 */
export const BODY_FIELDS = [
  'id.valgaar', 'id.valgtype', 'id.nivaa', 'id.navn', 'id.nr',
  'tidspunkt.rapportGenerert', 'tidspunkt.sisteStemmer',
  'merknader[]',
  'antallsb',
  'mandater.antall', 'mandater.endring',
  'stemmer.total', 'stemmer.fhs', 'stemmer.totalForkastede', 'stemmer.fhsForkastede',
  'stemmegiving.totalGodkjente', 'stemmegiving.fhsGodkjente', 'stemmegiving.totalForkastede', 'stemmegiving.fhsForkastede',
] as const;
/** The fields of a party's id (`partier[].id`). */
export const PARTY_ID_FIELDS = ['partikategori', 'partikode', 'navn'] as const;
/** The fields of a link (`_links.self`, `.up`, `.related[]`). */
export const LINK_FIELDS = ['nr', 'href', 'hrefNavn', 'navn'] as const;
/** The fields of a party's seat result (`partier[].mandater.resultat`). */
export const SEAT_FIELDS = [
  'antall', 'endring', 'utjevningAntall', 'utjevning.kvotient', 'utjevning.mandatrang',
  'sisteMandat.kvotient', 'sisteMandat.mandatrang', 'nesteMandat.kvotient', 'nesteMandat.mandatrang',
  'representanter[].navn', 'representanter[].kjonn', 'representanter[].alder', 'representanter[].utjevningsmandat',
  'nesteKandidater[].navn', 'nesteKandidater[].kjonn', 'nesteKandidater[].alder',
] as const;

/** The set of known paths from the known leaf paths: every prefix of a leaf is known too. */
export function buildKnownPaths(leaves: readonly string[]): ReadonlySet<string> {
  const known = new Set<string>();
  for (const leaf of leaves) {
    const parts = leaf.split('.');
    for (let i = 1; i <= parts.length; i++) known.add(parts.slice(0, i).join('.').replace(/(\[\])+$/, ''));
  }
  return known;
}

/**
 * Paths in `value` that are not in `known`, each once, in the order met. An unknown key is reported as a
 * whole (its contents are not listed); a known key is walked into, so a new key inside it is found.
 */
export function listUnknownPaths(value: unknown, known: ReadonlySet<string>): string[] {
  const unknown = new Set<string>();
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      for (const element of node) walk(element, `${path}[]`);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [key, child] of Object.entries(node)) {
      const childPath = path === '' ? key : `${path}.${key}`;
      if (known.has(childPath)) walk(child, childPath);
      else unknown.add(childPath);
    }
  };
  walk(value, '');
  return [...unknown];
}
