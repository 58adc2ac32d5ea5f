// Database chores from the command line, on the same database the sidecar would open (DATABASE_URL, or
// the embedded one under DATA_DIR — stop the sidecar first: one process owns an embedded data folder).
//   migrate            apply pending migrations
//   seed               migrate, then load the shipped package of ELECTION_ID (idempotent; see npm run election)
//   token <number> [label] [--expires <when>]
//                      print a new ingest token for a municipality (only its hash is stored); <when> is a
//                      duration ("36h", "2d") or an ISO time with offset
//   token list         list the election's ingest credentials (id, municipality, label, state)
//   token revoke <id>  revoke one; every sidecar refuses it from the next request
//   token seats [label] [--expires <when>] | token seats list | token seats revoke <id>
//                      the same for a seat source's token (POST /api/v1/seats: seats as the source reports them)
//   token all [label] [--expires <when>]
//                      a token for every municipality of the election and one seat source's, printed as one
//                      JSON object { "0301": "vv_…", …, "seats": "vv_seats_…" }: the tokens file of
//                      `npm run replay -- --tokens-file` and `npm run watch-official -- --tokens-file`
import { loadShippedReferenceData } from '../data/election-package.ts';
import { createIngestCredential, createIngestCredentials, listIngestCredentials, revokeIngestCredential } from '../db/credentials.ts';
import { createSeatsCredential, listSeatsCredentials, revokeSeatsCredential } from '../db/seats.ts';
import { parseTokenExpiry } from '../lib/token-expiry.ts';
import { openDatabase } from '../db/database.ts';
import { findElectionId, seedReferenceData } from '../db/reference-data.ts';
import { embeddedDataDir, parseSidecarEnv } from '../server/config.ts';
import { exitWhenWritten } from './exit-when-written.ts';
import { errorMessage } from '../lib/error-message.ts';

const [command, ...given] = process.argv.slice(2);
// `token seats …`: a seat source's credentials instead of a municipality's.
const seats = command === 'token' && given[0] === 'seats';
const args = seats ? given.slice(1) : given;
const env = parseSidecarEnv(process.env);
const usage = 'usage: db-tool migrate | seed | token <municipality number> [label] [--expires 36h|2d|<ISO time>] | token list | token revoke <id> | token seats [label] [--expires …] | token seats list | token seats revoke <id> | token all [label] [--expires …]';
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
    const rows = seats
      ? (await listSeatsCredentials(database.db, env.ELECTION_ID)).map((row) => ({ ...row, municipality: 'seats' }))
      : await listIngestCredentials(database.db, env.ELECTION_ID);
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
      const outcome = await (seats ? revokeSeatsCredential : revokeIngestCredential)(database.db, env.ELECTION_ID, id);
      if (outcome === 'unknown') {
        console.error(`no ${seats ? 'seats' : 'ingest'} credential ${id}`);
        process.exitCode = 1;
      } else {
        console.log(outcome === 'revoked' ? `revoked credential ${id}` : `credential ${id} was already revoked`);
      }
    }
  } else {
    const expiresFlag = args.indexOf('--expires');
    const positional = expiresFlag >= 0 ? args.filter((_, i) => i !== expiresFlag && i !== expiresFlag + 1) : args;
    const [municipality, label] = seats ? [undefined, positional[0]] : positional;
    let expiresAt: Date | null = null;
    try {
      if (expiresFlag >= 0) expiresAt = parseTokenExpiry(args[expiresFlag + 1] ?? '', new Date());
    } catch (error) {
      console.error(errorMessage(error));
      process.exitCode = 2;
    }
    if (process.exitCode) {
      // refused above
    } else if (municipality === 'all') {
      if (!(await findElectionId(database.db, env.ELECTION_ID))) await seedReferenceData(database.db, await loadShippedReferenceData(env.ELECTION_ID));
      const name = label ?? 'all';
      const tokens = await createIngestCredentials(database.db, env.ELECTION_ID, name, undefined, expiresAt);
      const { token: seatsToken } = await createSeatsCredential(database.db, env.ELECTION_ID, name, expiresAt);
      // JSON alone on stdout (redirect it to a file); how many on stderr.
      console.log(JSON.stringify({ ...tokens, seats: seatsToken }, null, 1));
      console.error(`${Object.keys(tokens).length} municipality tokens and 1 seats token for ${env.ELECTION_ID}, label ${name}${expiresAt ? `, expire ${expiresAt.toISOString()}` : ''}`);
    } else if (seats) {
      if (!(await findElectionId(database.db, env.ELECTION_ID))) await seedReferenceData(database.db, await loadShippedReferenceData(env.ELECTION_ID));
      const { token, id } = await createSeatsCredential(database.db, env.ELECTION_ID, label ?? 'seats', expiresAt);
      console.log(token);
      console.error(`seats credential ${id}${expiresAt ? `, expires ${expiresAt.toISOString()}` : ''}`);
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
await exitWhenWritten();
