// Database chores from the command line, on the same database the sidecar would open (DATABASE_URL, or
// the embedded one under DATA_DIR — stop the sidecar first: one process owns an embedded data folder).
//   migrate            apply pending migrations
//   seed               migrate, then load the reference data (idempotent)
//   token <number>     print a new ingest token for a municipality (only its hash is stored)
import { loadReferenceData2023 } from '../data/reference.ts';
import { createIngestCredential } from '../db/credentials.ts';
import { openDatabase } from '../db/database.ts';
import { seedReferenceData } from '../db/reference-data.ts';
import { embeddedDataDir, parseSidecarEnv } from '../server/config.ts';

const [command, ...args] = process.argv.slice(2);
const env = parseSidecarEnv(process.env);
const usage = 'usage: db-tool migrate | seed | token <municipality number> [label]';
if (!command || !['migrate', 'seed', 'token'].includes(command)) {
  console.error(usage);
  process.exit(2);
}

const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: embeddedDataDir(env), joinRunning: true });
try {
  if (command === 'migrate') {
    console.log(database.appliedMigrations.length ? `applied: ${database.appliedMigrations.join(', ')}` : 'database is up to date');
  } else if (command === 'seed') {
    console.log('inserted', await seedReferenceData(database.db, await loadReferenceData2023()));
  } else {
    const [municipality, label] = args;
    if (!municipality || !/^\d{4}$/.test(municipality)) {
      console.error(usage);
      process.exitCode = 2;
    } else {
      await seedReferenceData(database.db, await loadReferenceData2023());
      const { token } = await createIngestCredential(database.db, env.ELECTION_ID, municipality, label ?? `municipality-${municipality}`);
      // The token alone on stdout, so scripts can capture it.
      console.log(token);
    }
  }
} finally {
  await database.close();
}
// Prisma's schema engine leaves a timer running after migrations; nothing else is pending here.
process.exit(process.exitCode ?? 0);
