// npm run election:build-st2025 [-- --out <dir>]: writes elections/st2025/ (Stortingsvalget 2025) from the
// recording of the official results feed on election night (../shared/data/HNygard-valgresultat.no-copy/
// recorded/st2025-night.ndjson.gz; SOURCES.md §6). Deterministic: sorted rows, no build time, so the same
// recording gives byte-identical files. The package must pass the validator, or the build fails.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ELECTIONS_DIR, readElectionPackage } from '../data/election-package.ts';
import { readRecording, RECORDING_PATH } from '../data/official-recording.ts';
import { toCsv } from '../lib/csv.ts';
import type { Manifest } from '../lib/election-package/manifest.ts';
import { formatIssue, packageColumns, PACKAGE_CSV_DELIMITER, PACKAGE_FILES } from '../lib/election-package/validate.ts';
import { zonedTimeToInstant } from '../lib/election-package/zoned-time.ts';
import { packageRowsFromRecording } from '../lib/official-feed/package-from-recording.ts';

// Re-exported where it was first published; data/official-recording.ts owns it.
export { RECORDING_PATH };

// Polls closed at 21:00 on 8 September 2025 (the feed's first counts are stamped after 21:00 local).
const MANIFEST: Manifest = { format: 1, id: 'st2025', name: 'Stortingsvalget 2025', kind: 'storting', electionDay: '2025-09-08', pollsClose: '21:00', timeZone: 'Europe/Oslo' };

const outFlag = process.argv.indexOf('--out');
const outArg = outFlag >= 0 ? process.argv[outFlag + 1] : undefined;
const OUT_DIR = outArg ? path.resolve(outArg) : ELECTIONS_DIR;

const lines = await readRecording(RECORDING_PATH);
const rows = packageRowsFromRecording(lines, zonedTimeToInstant(MANIFEST.electionDay, MANIFEST.pollsClose, MANIFEST.timeZone));

const dir = path.join(OUT_DIR, MANIFEST.id);
await rm(dir, { recursive: true, force: true });
await mkdir(dir, { recursive: true });
await writeFile(path.join(dir, PACKAGE_FILES.manifest), `${JSON.stringify(MANIFEST, null, 2)}\n`);
const files = [
  [PACKAGE_FILES.municipalities, rows.municipalities], [PACKAGE_FILES.countingUnits, rows.countingUnits], [PACKAGE_FILES.lists, rows.lists],
  [PACKAGE_FILES.expectedResults, rows.expectedResults], [PACKAGE_FILES.arrival, rows.arrival],
] as const;
for (const [file, data] of files) await writeFile(path.join(dir, file), toCsv(data, packageColumns(file), { delimiter: PACKAGE_CSV_DELIMITER }));

const check = await readElectionPackage(dir);
if (!check.ok) throw new Error(`wrote an invalid package st2025:\n${check.issues.map(formatIssue).join('\n')}`);
for (const [field, count] of [...rows.unknownFields].sort()) console.warn(`feed field not known to the parser (not read): ${field} ×${count}`);
console.log(`st2025: ${check.package.municipalities.length} municipalities, ${check.package.countingUnits.length} counting units, ${check.package.lists.length} lists, polls close ${check.package.pollsCloseAt}`);
