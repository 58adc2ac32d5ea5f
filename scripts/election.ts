// npm run election -- <command>: election packages (docs/election-packages.md) on the database the sidecar
// would open (DATABASE_URL, or the embedded one under DATA_DIR — stop the sidecar first).
//   check <folder>    validate a package; print every problem as file:line: column: reason
//   import <folder>   validate, then load it in one transaction (nothing is written if anything is wrong);
//                     importing the same package again changes nothing
//   list              the elections in the database
// Exit codes: 0 done, 1 the package or the import was refused, 2 usage.
import path from 'node:path';
import { readElectionPackage, toReferenceData } from '../data/election-package.ts';
import { openDatabase } from '../db/database.ts';
import { ElectionPackageConflict, listElections, seedReferenceData } from '../db/reference-data.ts';
import { formatIssue } from '../lib/election-package/validate.ts';
import { embeddedDataDir, parseSidecarEnv } from '../server/config.ts';
import { exitWhenWritten } from './exit-when-written.ts';

const usage = 'usage: npm run election -- check <folder> | import <folder> | list';
const [command, folder, ...rest] = process.argv.slice(2);
if (!command || !['check', 'import', 'list'].includes(command) || (command !== 'list' && (!folder || rest.length > 0)) || (command === 'list' && folder)) {
  console.error(usage);
  process.exit(2);
}

async function validated() {
  // Only check and import call this, and the usage check above requires a folder for both.
  const outcome = await readElectionPackage(path.resolve(folder!));
  if (!outcome.ok) {
    for (const issue of outcome.issues) console.error(formatIssue(issue));
    console.error(`${folder}: refused, ${outcome.issues.length} problem${outcome.issues.length === 1 ? '' : 's'}; nothing was loaded`);
    return await exitWhenWritten(1);
  }
  return outcome;
}

if (command === 'check') {
  const { package: pkg } = await validated();
  console.log(`${folder}: valid package ${pkg.manifest.id} (${pkg.manifest.name}), ${pkg.municipalities.length} municipalities, ${pkg.countingUnits.length} counting units`);
  await exitWhenWritten(0);
}

const env = parseSidecarEnv(process.env);
const outcome = command === 'import' ? await validated() : null;
const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: embeddedDataDir(env), joinRunning: true });
try {
  if (outcome) {
    const id = outcome.package.manifest.id;
    try {
      const seeded = await seedReferenceData(database.db, toReferenceData(outcome.package, outcome.hash));
      console.log(seeded.status === 'unchanged'
        ? `${id}: already loaded from this package; nothing changed`
        : `${id}: loaded ${seeded.municipalities} municipalities, ${seeded.districts} counting units, ${seeded.partyLists} lists, ${seeded.referenceResults} comparison results`);
    } catch (error) {
      if (!(error instanceof ElectionPackageConflict)) throw error;
      console.error(`${id}: refused: ${error.message}; nothing was loaded`);
      process.exitCode = 1;
    }
  } else {
    const rows = await listElections(database.db);
    console.log(['id', 'kind', 'election day', 'polls close', 'municipalities', 'watched', 'changes', 'served', 'name'].join('\t'));
    for (const row of rows) {
      console.log([row.id, row.kind, row.electionDay.toISOString().slice(0, 10), row.pollsCloseAt.toISOString(), row.municipalities, row.watched, row.changes, row.id === env.ELECTION_ID ? 'yes' : '', row.name].join('\t'));
    }
    if (rows.length === 0) console.log('(no elections loaded)');
  }
} finally {
  await database.close();
}
