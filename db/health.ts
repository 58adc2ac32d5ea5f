// The database's liveness, for the sidecar's /healthz.
import type { Db } from './client.ts';

/** Resolves when the database answers a trivial query; rejects when it cannot be reached. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.$queryRaw`SELECT 1`;
}
