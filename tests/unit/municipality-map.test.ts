// The committed map artifact (public/municipality-map.json, scripts/build-map.ts): one shape for exactly our
// municipalities, inside its viewBox, and small enough to ship to a phone.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../lib/csv.ts';
import { ZMunicipalityMap } from '../../lib/contracts/map.ts';

const text = readFileSync(new URL('../../public/municipality-map.json', import.meta.url), 'utf8');
const map = ZMunicipalityMap.parse(JSON.parse(text));
const ours = parseCsv(readFileSync(new URL('../../data/municipalities.csv', import.meta.url), 'utf8')).map((m) => m.number);

/** Absolute points of a path written as M x y l dx dy … z. */
function points(d: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const ring of d.match(/M[^z]*z/g) ?? []) {
    const [start = '', moves = ''] = ring.slice(1, -1).split('l');
    let [x = 0, y = 0] = start.split(' ').map(Number);
    out.push([x, y]);
    const nums = (moves.match(/-?\d+/g) ?? []).map(Number);
    for (let i = 0; i + 1 < nums.length; i += 2) {
      x += nums[i] ?? 0;
      y += nums[i + 1] ?? 0;
      out.push([x, y]);
    }
  }
  return out;
}

describe('municipality map artifact', () => {
  it('has a shape for exactly our 357 municipalities', () => {
    expect(ours).toHaveLength(357);
    expect(Object.keys(map.paths).toSorted()).toEqual(ours.toSorted());
  });

  it('keeps every shape inside the viewBox, with at least a triangle', () => {
    const [minX, minY, width, height] = map.viewBox;
    for (const [number, d] of Object.entries(map.paths)) {
      const pts = points(d);
      expect(pts.length, number).toBeGreaterThanOrEqual(3);
      for (const [x, y] of pts) {
        expect(x >= minX - 1 && x <= minX + width + 1 && y >= minY - 1 && y <= minY + height + 1, `${number} ${x},${y}`).toBe(true);
      }
    }
  });

  it('is compact: under 120 kB, under 40 kB gzipped (the GeoJSON is 3.3 MB)', () => {
    expect(text.length).toBeLessThan(120_000);
    expect(gzipSync(text).length).toBeLessThan(40_000);
  });
});

describe('ZMunicipalityMap', () => {
  const valid = { viewBox: [0, 0, 10, 10], source: 'test', paths: { '0301': 'M1 2l3-4 5 6-7-8zM0 0l1 0 0 1z' } };
  it('takes path data as the build writes it', () => {
    expect(ZMunicipalityMap.safeParse(valid).success).toBe(true);
  });
  it.each([
    ['an absolute command', 'M1 2L3 4 5 6z'],
    ['an unclosed ring', 'M1 2l3 4 5 6'],
    ['script', 'M1 2l3 4z"><script>'],
    ['a long run of digits before garbage (answers at once)', `M1 2l${'1'.repeat(5000)}x`],
  ])('refuses %s', (_what, d) => {
    expect(ZMunicipalityMap.safeParse({ ...valid, paths: { '0301': d } }).success).toBe(false);
  });
  it('refuses a number that is not a municipality number', () => {
    expect(ZMunicipalityMap.safeParse({ ...valid, paths: { '301': 'M1 2l3 4 5 6z' } }).success).toBe(false);
  });
});
