// The one Prisma client factory. Every database access goes through a client made here. The client runs
// on a pg.Pool this module owns, so the few hot paths that need the wire protocol itself (the ingest
// batch: several statements in one message, constant SQL text; db/ingest.ts) borrow connections from the
// same pool rather than opening their own.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client.ts';

export type Db = InstanceType<typeof PrismaClient>;
export { Prisma } from './generated/prisma/client.ts';

export interface DbOptions {
  /** Pool size. PGlite executes one query at a time whatever this is; a server benefits from a few. */
  maxConnections?: number;
}

const pools = new WeakMap<Db, pg.Pool>();

export function createDb(connectionString: string, options: DbOptions = {}): Db {
  const pool = new pg.Pool({ connectionString, max: options.maxConnections ?? 8 });
  // An idle connection that breaks is dropped by the pool; without a listener the 'error' would end the process.
  pool.on('error', () => {});
  // $disconnect ends the pool too.
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(db, pool);
  return db;
}

/** The pg.Pool under a client made by `createDb`. */
export function getPool(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('this Prisma client was not made by createDb');
  return pool;
}
