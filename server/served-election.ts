// The election this sidecar serves (ELECTION_ID): loaded from its shipped package on first start, and
// the simulated clock's default start, both read from the package rather than written into the code.
import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import { loadShippedReferenceData, shippedPackageDir } from '../data/election-package.ts';
import type { Db } from '../db/client.ts';
import { seedReferenceData } from '../db/reference-data.ts';
import type { SidecarEnv } from './config.ts';

/**
 * Loads the served election's shipped package (elections/<id>/) into an empty database. Any other
 * election is imported with `npm run election -- import`; one that is neither stops the process, since a
 * sidecar serving nothing would answer every read with 404.
 */
export async function ensureServedElectionLoaded(db: Db, env: SidecarEnv, logger: Logger): Promise<void> {
  const loaded = await db.election.findUnique({ where: { id: env.ELECTION_ID }, select: { packageHash: true } });
  const shipped = existsSync(shippedPackageDir(env.ELECTION_ID));
  if (loaded && !loaded.packageHash && shipped && env.SEED_ON_START) {
    // Loaded before packages existed: the shipped package adds the description (kind, comparison year, …).
    const described = await seedReferenceData(db, await loadShippedReferenceData(env.ELECTION_ID));
    logger.info({ electionId: env.ELECTION_ID, ...described }, 'described the election from its shipped package');
    return;
  }
  if (loaded) return;
  if (!env.SEED_ON_START || !shipped) {
    logger.fatal({ electionId: env.ELECTION_ID }, 'election not loaded: import its package first (npm run election -- import <folder>)');
    process.exit(1);
  }
  const seeded = await seedReferenceData(db, await loadShippedReferenceData(env.ELECTION_ID));
  logger.info({ electionId: env.ELECTION_ID, ...seeded }, 'loaded the shipped election package');
}

/** CLOCK_START, or else five minutes before the served election's polls close (where a replay begins). */
export async function simulatedClockStart(db: Db, env: SidecarEnv): Promise<Date> {
  if (env.CLOCK_START) return new Date(env.CLOCK_START);
  const election = await db.election.findUniqueOrThrow({ where: { id: env.ELECTION_ID }, select: { pollsCloseAt: true } });
  return new Date(election.pollsCloseAt.getTime() - 5 * 60_000);
}
