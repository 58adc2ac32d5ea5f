import { readRecording } from '/work/main/data/official-recording.ts';
async function main() {
  const lines = await readRecording();
  const want = process.argv[2];
  const hits = lines.filter((l) => (l as any).path === want || ((l.body as any)?._links?.self?.href === want));
  console.log(hits.length, hits.map((h) => h.polledAt).join(' '));
  const b = hits.at(-1)?.body as any;
  if (b) console.log(JSON.stringify({ id: b.id, t: b.tidspunkt, st: b.stemmer, os: b.opptellingsStatus, osk: b.opptellingsStatusKrets, m: b.merknader, p: b.partier?.slice(0, 2).map((p: any) => p.stemmer) }).slice(0, 2500));
}
main();
