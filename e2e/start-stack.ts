// The sidecar as the end-to-end specs see it: a throwaway embedded database, seeded, with ingest tokens
// issued before the sidecar takes the database (written to e2e/.artifacts/tokens.json for the specs).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadReferenceData2023 } from '../data/reference.ts';
import { createIngestCredentials } from '../db/credentials.ts';
import { openDatabase } from '../db/database.ts';
import { seedReferenceData } from '../db/reference-data.ts';
import { systemClock } from '../server/clock.ts';
import { createLogger } from '../server/logger.ts';
import { createSidecar } from '../server/sidecar.ts';

const port = Number(process.env.SIDECAR_PORT ?? 3101);
const artifacts = path.resolve('e2e/.artifacts');

const dir = await mkdtemp(path.join(tmpdir(), 'valgvakt-e2e-'));
const database = await openDatabase({ dataDir: path.join(dir, 'pglite') });
await seedReferenceData(database.db, await loadReferenceData2023());
const tokens = await createIngestCredentials(database.db, 'ko2023', 'e2e');
await mkdir(artifacts, { recursive: true });
await writeFile(path.join(artifacts, 'tokens.json'), JSON.stringify(tokens));

const sidecar = await createSidecar({
  db: database.db, clock: systemClock, logger: createLogger(process.env.LOG_LEVEL ?? 'warn', 'e2e-sidecar'),
  electionId: 'ko2023', corsOrigins: true, databaseKind: 'embedded',
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
