// Database chores from the command line, on the same database the sidecar would open (DATABASE_URL, or
// the embedded one under DATA_DIR — stop the sidecar first: one process owns an embedded data folder).
//   migrate            apply pending migrations
//   seed               migrate, then load the shipped package of ELECTION_ID (idempotent; see npm run election)
//   token <number> [label] [--expires <when>]
//                      print a new ingest token for a municipality (only its hash is stored); <when> is a
//                      duration ("36h", "2d") or an ISO time with offset
//   token list         list the election's ingest credentials (id, municipality, label, state)
//   token revoke <id>  revoke one; every sidecar refuses it from the next request
import { loadShippedReferenceData } from '../data/election-package.ts';
import { createIngestCredential, listIngestCredentials, revokeIngestCredential } from '../db/credentials.ts';
import { parseTokenExpiry } from '../lib/token-expiry.ts';
import { openDatabase } from '../db/database.ts';
import { findElectionId, seedReferenceData } from '../db/reference-data.ts';
import { embeddedDataDir, parseSidecarEnv } from '../server/config.ts';

const [command, ...args] = process.argv.slice(2);
const env = parseSidecarEnv(process.env);
const usage = 'usage: db-tool migrate | seed | token <municipality number> [label] [--expires 36h|2d|<ISO time>] | token list | token revoke <id>';
if (!command || !['migrate', 'seed', 'token'].includes(command)) {
  console.error(usage);
  process.exit(2);
}

const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: embeddedDataDir(env), joinRunning: true });
try {
  if (command === 'migrate') {
    console.log(database.appliedMigrations.length ? `applied: ${database.appliedMigrations.join(', ')}` : 'database is up to date');
  } else if (command === 'seed') {
    console.log('inserted', await seedReferenceData(database.db, await loadShippedReferenceData(env.ELECTION_ID)));
  } else if (args[0] === 'list') {
    const now = new Date();
    const rows = await listIngestCredentials(database.db, env.ELECTION_ID);
    console.log(['id', 'municipality', 'state', 'created', 'expires', 'label'].join('\t'));
    for (const row of rows) {
      const state = row.revokedAt ? `revoked ${row.revokedAt.toISOString()}` : row.expiresAt && row.expiresAt <= now ? 'expired' : 'active';
      console.log([row.id, row.municipality, state, row.createdAt.toISOString(), row.expiresAt?.toISOString() ?? '-', row.label].join('\t'));
    }
  } else if (args[0] === 'revoke') {
    const id = Number(args[1]);
    if (!Number.isInteger(id) || id <= 0 || id > 2_147_483_647) {
      console.error(usage);
      process.exitCode = 2;
    } else {
      const outcome = await revokeIngestCredential(database.db, env.ELECTION_ID, id);
      if (outcome === 'unknown') {
        console.error(`no ingest credential ${id}`);
        process.exitCode = 1;
      } else {
        console.log(outcome === 'revoked' ? `revoked credential ${id}` : `credential ${id} was already revoked`);
      }
    }
  } else {
    const expiresFlag = args.indexOf('--expires');
    const positional = expiresFlag >= 0 ? args.filter((_, i) => i !== expiresFlag && i !== expiresFlag + 1) : args;
    const [municipality, label] = positional;
    let expiresAt: Date | null = null;
    try {
      if (expiresFlag >= 0) expiresAt = parseTokenExpiry(args[expiresFlag + 1] ?? '', new Date());
    } catch (error) {
      console.error((error as Error).message);
      process.exitCode = 2;
    }
    if (process.exitCode) {
      // refused above
    } else if (!municipality || !/^\d{4}$/.test(municipality)) {
      console.error(usage);
      process.exitCode = 2;
    } else {
      if (!(await findElectionId(database.db, env.ELECTION_ID))) await seedReferenceData(database.db, await loadShippedReferenceData(env.ELECTION_ID));
      const { token, id } = await createIngestCredential(database.db, env.ELECTION_ID, municipality, label ?? `municipality-${municipality}`, expiresAt);
      // The token alone on stdout, so scripts can capture it; its id (for revoke) on stderr.
      console.log(token);
      console.error(`credential ${id}${expiresAt ? `, expires ${expiresAt.toISOString()}` : ''}`);
    }
  }
} finally {
  await database.close();
}
// Prisma's schema engine leaves a timer running after migrations; nothing else is pending here.
process.exit(process.exitCode ?? 0);
