// The sidecar as the end-to-end specs see it: a throwaway embedded database, seeded, with ingest tokens and
// an operator account created before the sidecar takes the database. It serves the shipped package
// E2E_ELECTION_ID (default: the sidecar's default election; E2E_ALSO_LOAD names further packages loaded into
// the same database) and runs a simulated clock from 5 minutes before its polls close (so the stall monitor
// judges the specs' reports against that night's schedule) that specs may move with the control token. Secrets go to e2e/.artifacts/:
// tokens.json (ingest tokens) and stack.json (clock control token, operator credentials). E2E_PACKAGE_DIR serves
// the package in that folder instead (its manifest's id).
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadElectionPackage, loadShippedElection, loadShippedReferenceData, toReferenceData } from '../data/election-package.ts';
import { createIngestCredentials } from '../db/credentials.ts';
import { createOperator } from '../db/operators.ts';
import { createSeatsCredential } from '../db/seats.ts';
import { openSeededDatabase } from '../db/seeded-database.ts';
import { createSimulatedClock } from '../server/clock.ts';
import { createLogger } from '../server/logger.ts';
import { createSidecar } from '../server/sidecar.ts';
import { loadThresholds } from '../server/thresholds.ts';
import { DEFAULT_ELECTION_ID } from '../server/config.ts';

const served = process.env.E2E_PACKAGE_DIR
  ? await loadElectionPackage(process.env.E2E_PACKAGE_DIR)
  : await loadShippedElection(process.env.E2E_ELECTION_ID ?? DEFAULT_ELECTION_ID);
const ELECTION_ID = served.package.manifest.id;
const E2E_CLOCK_START = new Date(Date.parse(served.package.pollsCloseAt) - 5 * 60_000).toISOString();
const E2E_OPERATOR = 'e2e-operator';

const port = Number(process.env.SIDECAR_PORT ?? 3101);
// A spec that starts a stack of its own (the replayed night) gives it its own folder.
const artifacts = path.resolve(process.env.E2E_ARTIFACTS ?? 'e2e/.artifacts');

const dir = await mkdtemp(path.join(tmpdir(), 'valgvakt-e2e-'));
// Migrated and seeded once per kind, then started as a copy (db/seeded-database.ts): a spec's stack is up sooner.
const alsoLoad = await Promise.all((process.env.E2E_ALSO_LOAD ?? '').split(',').filter(Boolean).map((other) => loadShippedReferenceData(other)));
const { database } = await openSeededDatabase({ seeds: [...alsoLoad, toReferenceData(served.package, served.hash)], dataDir: path.join(dir, 'pglite') });
const tokens = await createIngestCredentials(database.db, ELECTION_ID, 'e2e');
// A seat source's token (POST /api/v1/seats), for the specs of a storting election.
const seatsToken = (await createSeatsCredential(database.db, ELECTION_ID, 'e2e')).token;
const operatorPassword = randomBytes(18).toString('base64url');
await createOperator(database.db, E2E_OPERATOR, operatorPassword);
const clockControlToken = randomBytes(24).toString('base64url');
await mkdir(artifacts, { recursive: true });
await writeFile(path.join(artifacts, 'tokens.json'), JSON.stringify(tokens));
await writeFile(path.join(artifacts, 'stack.json'), JSON.stringify({
  clockStart: E2E_CLOCK_START,
  clockControlToken,
  seatsToken,
  operator: { name: E2E_OPERATOR, password: operatorPassword },
}, null, 2));

const sidecar = await createSidecar({
  db: database.db,
  clock: createSimulatedClock(new Date(E2E_CLOCK_START), 1),
  clockControlToken,
  thresholds: await loadThresholds(),
  logger: createLogger(process.env.LOG_LEVEL ?? 'warn', 'e2e-sidecar'),
  electionId: ELECTION_ID, corsOrigins: true, databaseKind: 'embedded',
});
await sidecar.listen(port, '127.0.0.1');

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await sidecar.close();
  await database.close();
  await rm(dir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
