import { readRecording } from '/work/wt-watchdog/data/official-recording.ts';
import { parseOfficialBody } from '/work/wt-watchdog/lib/official-feed/parse.ts';
import { loadShippedElection } from '/work/wt-watchdog/data/election-package.ts';
import { computeMunicipalityReports, listUnitLinks } from '/work/wt-watchdog/lib/official-feed/to-reports.ts';
const NR = process.argv[2]!;
const { package: pkg } = await loadShippedElection('st2025');
const frame = { number: NR, units: pkg.countingUnits.filter((u) => u.municipality === NR).map((u) => ({ number: u.number, kind: u.kind })), lists: pkg.lists.filter((l) => l.municipality === NR).map((l) => l.code), held: [] };
console.log('electorate', pkg.municipalities.find((m) => m.number === NR)!.electorate);
const lines = await readRecording();
for (const AT of ['2025-09-08T20:00:00Z', '2025-09-08T21:30:00Z', '2025-09-09T09:00:00Z']) {
  const bodies = new Map<string, any>();
  for (const line of lines) {
    if (line.polledAt > AT) continue;
    const p = parseOfficialBody(line.body); if (!p.ok) throw new Error();
    if (p.body.ids.municipality === NR) bodies.set(p.body.links.self, p.body);
  }
  const k = [...bodies.values()].find((b) => b.level === 'kommune');
  const links = listUnitLinks(k, frame);
  const out = computeMunicipalityReports(frame, k, links.map((l) => bodies.get(l.href)).filter(Boolean), new Date('2025-09-08T19:00:00Z'));
  if (!out.ok) { console.log(out.error); continue; }
  const andre = k.parties.find((p: any) => p.code === 'Andre');
  console.log(AT, 'kommune total', k.votes, 'Andre', andre?.total, andre?.advance);
  for (const r of out.reports.results) console.log(' ', r.district, r.category, r.stage, r.ballots.counted, 'Andre', r.votes.Andre);
}
