// Builds the status map's shapes: public/municipality-map.json, one compact SVG path per municipality.
// Usage: npm run map:build [-- sharedDataDir]   (default: ../shared/data relative to the repo root)
//
// The pages must not ship the 3.3 MB GeoJSON, and the app must not need ../shared at run time, so this runs
// once and its output is committed. Method (data/SOURCES.md, "Map"):
//   1. project every vertex with UTM zone 33's transverse Mercator (conformal; Kartverket's national map
//      projection) fitted to a viewBox WIDTH units wide (d3-geo);
//   2. build a topology (topojson-server), so neighbours share their border arcs, and simplify the arcs by
//      Visvalingam's effective area (topojson-simplify): a shared border is simplified once, identically for
//      both sides, which leaves no gaps or slivers;
//   3. round to whole viewBox units, drop islands smaller than MIN_ISLAND (never a municipality's largest
//      part), and write each municipality as one path of relative moves.
// Deterministic: fixed inputs give byte-identical output. Fails loudly if any of our municipalities has no shape.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { geoTransverseMercator } from 'd3-geo';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { feature } from 'topojson-client';
import { topology } from 'topojson-server';
import { presimplify, simplify } from 'topojson-simplify';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { parseCsv } from '../lib/csv.ts';
import { ZMunicipalityMap, type MunicipalityMap } from '../lib/contracts/map.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = resolve(process.argv[2] ?? join(repoRoot, '..', 'shared', 'data'));
const out = join(repoRoot, 'public', 'municipality-map.json');

/** viewBox width in units; one unit is about 1.2 km of Norway's 1,200 km east–west. */
const WIDTH = 1000;
/** Visvalingam weight (triangle area, square units) below which a vertex goes. */
const MIN_WEIGHT = 0.6;
/** Islands (and lakes cut out as holes) smaller than this many square units are left out. */
const MIN_ISLAND = 1.5;

function fail(msg: string): never {
  throw new Error(`build-map: ${msg}`);
}

type Shape = Feature<Polygon | MultiPolygon, { kommunenummer: string; kommunenavn: string }>;

// Taken as GeoJSON on trust only as far as `features`: each feature's number and geometry are checked below.
const geo = JSON.parse(readFileSync(join(src, 'FemtiGram-kart', 'kommuner.geojson'), 'utf8')) as FeatureCollection;
const shapes = new Map<string, Shape>();
for (const f of geo.features) {
  const number = String(f.properties?.kommunenummer ?? '');
  if (!/^\d{4}$/.test(number)) fail(`a feature without a four-digit kommunenummer: ${JSON.stringify(f.properties)}`);
  if (shapes.has(number)) fail(`two features for ${number}`);
  if (f.geometry?.type !== 'Polygon' && f.geometry?.type !== 'MultiPolygon') fail(`${number}: geometry ${f.geometry?.type}`);
  // Checked just above: a four-digit kommunenummer and a (Multi)Polygon; TypeScript narrows f.geometry, not f.
  shapes.set(number, f as Shape);
}

// Our municipalities. data/municipalities.csv's `number` (what the app and the URLs use) is already in the
// 2024 numbering the GeoJSON has (data/SOURCES.md; the 2020–2023 number is its own column), so the join is by
// number. The names are checked too, so a number that came to mean another municipality fails here; the
// GeoJSON adds the official Sami or Kven name ("Trondheim - Tråante"), of which ours must be one part.
const ours = parseCsv(readFileSync(join(repoRoot, 'data', 'municipalities.csv'), 'utf8'));
const shapeOf = new Map<string, string>();
const missing: string[] = [];
for (const m of ours) {
  const number = m.number ?? '';
  const shape = shapes.get(number);
  const name = String(shape?.properties.kommunenavn ?? '');
  if (!shape) missing.push(`${number} ${m.name}`);
  else if (name !== m.name && !name.split(' - ').includes(m.name ?? '')) fail(`${number}: our name ${m.name} is not the shape's ${name}`);
  else shapeOf.set(number, number);
}
if (missing.length > 0) fail(`no shape for ${missing.length} of our municipalities: ${missing.join(', ')}`);
if (shapeOf.size !== 357) fail(`expected 357 municipalities, got ${shapeOf.size}`);
if (new Set(shapeOf.values()).size !== shapeOf.size) fail('two of our municipalities map to one shape');

// 1. Project. Vertex by vertex (not as spherical polygons), so ring winding does not matter.
const allPoints: Position[] = [...shapeOf.values()].flatMap((n) => {
  const g = shapes.get(n)?.geometry;
  if (!g) return [];
  return g.type === 'Polygon' ? g.coordinates.flat() : g.coordinates.flat(2);
});
const projection = geoTransverseMercator().rotate([-15, 0]).fitWidth(WIDTH, { type: 'MultiPoint', coordinates: allPoints });
const project = (p: Position): Position => {
  const xy = projection([p[0] ?? 0, p[1] ?? 0]);
  if (!xy) fail(`unprojectable point ${p.join(',')}`);
  return xy;
};
const planar: FeatureCollection<MultiPolygon, { number: string }> = {
  type: 'FeatureCollection',
  features: [...shapeOf].map(([number, geoNumber]) => {
    const g = shapes.get(geoNumber)?.geometry ?? fail(`lost ${geoNumber}`);
    const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    return { type: 'Feature', properties: { number }, geometry: { type: 'MultiPolygon', coordinates: polygons.map((poly) => poly.map((ring) => ring.map(project))) } };
  }),
};
const height = Math.ceil(Math.max(...planar.features.flatMap((f) => f.geometry.coordinates.flat(2).map((p) => p[1] ?? 0))));

// 2. Topology and simplification (planar triangle areas, in viewBox units).
// topology() types its objects loosely; we gave it one collection, `municipalities`, of features with { number }.
const topo = presimplify(topology({ municipalities: planar }, 1e6) as Topology<{ municipalities: GeometryCollection<{ number: string }> }>);
const simplified = simplify(topo, MIN_WEIGHT);
// feature() types any geometry; ours are the MultiPolygons of step 1, and topojson keeps a polygon a (Multi)Polygon.
const back = feature(simplified, simplified.objects.municipalities) as FeatureCollection<Polygon | MultiPolygon, { number: string }>;

// 3. Round, drop specks, encode.
const ringArea = (ring: Position[]) => {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += ((ring[j]?.[0] ?? 0) * (ring[i]?.[1] ?? 0)) - ((ring[i]?.[0] ?? 0) * (ring[j]?.[1] ?? 0));
  return Math.abs(a / 2);
};
const roundRing = (ring: Position[]): Position[] => {
  const r: Position[] = [];
  for (const p of ring) {
    const q = [Math.round(p[0] ?? 0), Math.round(p[1] ?? 0)];
    const last = r[r.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) r.push(q);
  }
  const first = r[0];
  const last = r[r.length - 1];
  if (r.length > 1 && first && last && first[0] === last[0] && first[1] === last[1]) r.pop();
  return r;
};
/** "M12 34l3-1 0 5z": absolute start, then relative moves (implicit repeated l), so most numbers are 1–2 digits. */
const encodeRing = (ring: Position[]) => {
  let moves = '';
  // A minus sign separates numbers by itself; otherwise one space.
  const put = (n: number) => { moves += n < 0 || moves === '' ? `${n}` : ` ${n}`; };
  const [start, ...rest] = ring;
  let [px = 0, py = 0] = start ?? [];
  for (const [x = 0, y = 0] of rest) {
    put(x - px);
    put(y - py);
    [px, py] = [x, y];
  }
  return `M${start?.[0] ?? 0} ${start?.[1] ?? 0}l${moves}z`;
};

const paths: Record<string, string> = {};
const stats = { dropped: 0, kept: 0 };
for (const f of back.features) {
  const number = f.properties.number;
  const polygons = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates)
    .map((poly) => poly.map(roundRing).filter((ring) => ring.length >= 3))
    .filter((poly) => poly.length > 0 && poly[0] !== undefined);
  const areas = polygons.map((poly) => ringArea(poly[0] ?? []));
  const largest = areas.indexOf(Math.max(...areas));
  const rings: Position[][] = [];
  polygons.forEach((poly, i) => {
    if (i !== largest && (areas[i] ?? 0) < MIN_ISLAND) return void (stats.dropped += 1);
    stats.kept += 1;
    const [outer, ...holes] = poly;
    if (outer) rings.push(outer);
    rings.push(...holes.filter((h) => ringArea(h) >= MIN_ISLAND));
  });
  if (rings.length === 0) fail(`${number}: nothing left after simplification`);
  paths[number] = rings.map(encodeRing).join('');
}

const map: MunicipalityMap = ZMunicipalityMap.parse({
  viewBox: [0, 0, WIDTH, height],
  source: 'FemtiGram/kart public/data/kommuner.geojson @ 7bfdad6; UTM 33 transverse Mercator, simplified (npm run map:build)',
  paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
});
const json = `${JSON.stringify(map)}\n`;
writeFileSync(out, json);
const input = readFileSync(join(src, 'FemtiGram-kart', 'kommuner.geojson'));
console.log(`build-map: ${Object.keys(map.paths).length} municipalities, viewBox 0 0 ${WIDTH} ${height}, ${stats.kept} parts kept, ${stats.dropped} specks dropped`);
console.log(`build-map: ${out}: ${json.length} bytes (${gzipSync(json).length} gzipped); the GeoJSON: ${input.length} bytes (${gzipSync(input).length} gzipped)`);
